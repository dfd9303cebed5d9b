from django.db import migrations, models

# Until now a plan showed the indicators linked to its priority areas, and every plan showed
# those linked to none. Each indicator is now linked to exactly those plans, in its history too
# (so a report as at a past date shows what it showed then), and each board summary choice is
# kept for every plan that showed it.


def _plans_of(area_ids, area_plan, every_plan):
    """The plans that showed an indicator with these area links, by the rule until now."""
    return sorted({area_plan[a] for a in area_ids if a in area_plan}) or every_plan


def link_indicators_to_plans(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    HistoricalIndicator = apps.get_model("indicators", "HistoricalIndicator")
    HistoricalAreas = apps.get_model("indicators", "HistoricalIndicator_priority_areas")
    HistoricalPlans = apps.get_model("indicators", "HistoricalIndicator_plans")
    # Areas deleted since are in their history: a link to one counted for its plan.
    area_plan = dict(
        apps.get_model("plans", "HistoricalPriorityArea").objects.values_list("id", "plan_id")
    )
    area_plan |= dict(apps.get_model("plans", "PriorityArea").objects.values_list("pk", "plan_id"))
    every_plan = sorted(apps.get_model("plans", "Plan").objects.values_list("pk", flat=True))
    through = Indicator.plans.through
    areas_now = {}
    for indicator_id, area_id in Indicator.priority_areas.through.objects.values_list(
        "indicator_id", "priorityarea_id"
    ):
        areas_now.setdefault(indicator_id, []).append(area_id)
    through.objects.bulk_create(
        through(indicator_id=pk, plan_id=plan_id)
        for pk in Indicator.objects.values_list("pk", flat=True)
        for plan_id in _plans_of(areas_now.get(pk, []), area_plan, every_plan)
    )
    areas_then = {}
    for history_id, area_id in HistoricalAreas.objects.values_list("history_id", "priorityarea_id"):
        areas_then.setdefault(history_id, []).append(area_id)
    # A history row names the link row it copied: the link made above, or none (0) for an
    # indicator linked no longer (or deleted).
    link_ids = {
        (i, p): pk for pk, i, p in through.objects.values_list("pk", "indicator_id", "plan_id")
    }
    HistoricalPlans.objects.bulk_create(
        HistoricalPlans(
            id=link_ids.get((indicator_id, plan_id), 0),
            history_id=history_id,
            indicator_id=indicator_id,
            plan_id=plan_id,
        )
        for history_id, indicator_id in HistoricalIndicator.objects.values_list("history_id", "id")
        for plan_id in _plans_of(areas_then.get(history_id, []), area_plan, every_plan)
    )


def give_summary_choices_their_plans(apps, schema_editor):
    """The first plan takes each choice (and its history); every other plan that showed the
    indicator gets a copy with a key of its own, history and all."""
    Choice = apps.get_model("indicators", "IndicatorSummaryChoice")
    HistoricalChoice = apps.get_model("indicators", "HistoricalIndicatorSummaryChoice")
    links = {}
    for indicator_id, plan_id in apps.get_model(
        "indicators", "Indicator"
    ).plans.through.objects.values_list("indicator_id", "plan_id"):
        links.setdefault(indicator_id, []).append(plan_id)
    current = {choice.pk: choice for choice in Choice.objects.all()}
    history = {}
    for row in HistoricalChoice.objects.order_by("history_id"):
        history.setdefault(row.id, []).append(row)
    taken = set(current) | set(history)
    for choice_id in sorted(taken):
        choice = current.get(choice_id)
        indicator_id = choice.indicator_id if choice else history[choice_id][-1].indicator_id
        plans = sorted(links.get(indicator_id, []))
        if not plans:
            continue  # no plan to own it: kept as it is
        first, others = plans[0], plans[1:]
        if choice:
            Choice.objects.filter(pk=choice_id).update(plan_id=first)
        HistoricalChoice.objects.filter(id=choice_id).update(plan_id=first)
        for plan_id in others:
            source = choice or history[choice_id][-1]
            copy = _choice_with_unused_key(Choice, taken, plan_id=plan_id, month=source.month,
                                           indicator_id=source.indicator_id,
                                           summary_list=source.summary_list,
                                           chosen_by_id=source.chosen_by_id)  # fmt: skip
            copy_id = copy.pk
            if not choice:  # deleted since: so is its copy
                copy.delete()
            for row in history.get(choice_id, []):
                row.pk = None  # a new history row
                row.id, row.plan_id = copy_id, plan_id
                row.save(force_insert=True)


def _choice_with_unused_key(Choice, taken: set, **fields):
    """A new choice whose key no choice has had: on SQLite, rebuilding the table above resets
    its counter to the highest key there, below those of choices deleted since."""
    while True:
        choice = Choice.objects.create(**fields)
        if choice.pk not in taken:
            taken.add(choice.pk)
            return choice
        choice.delete()


def keep_one_choice_a_month(apps, schema_editor):
    """Undoing: one choice a month for each indicator again, the first plan's."""
    Choice = apps.get_model("indicators", "IndicatorSummaryChoice")
    HistoricalChoice = apps.get_model("indicators", "HistoricalIndicatorSummaryChoice")
    kept = set()
    copies = []
    for choice in Choice.objects.order_by(models.F("plan_id").asc(nulls_last=True), "pk"):
        key = (choice.month, choice.indicator_id)
        if key in kept:
            copies.append(choice.pk)
        kept.add(key)
    HistoricalChoice.objects.filter(id__in=copies).delete()
    Choice.objects.filter(pk__in=copies).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_indicators_belong_to_plans")]

    operations = [
        migrations.RunPython(link_indicators_to_plans, migrations.RunPython.noop),
        migrations.RunPython(give_summary_choices_their_plans, keep_one_choice_a_month),
    ]
