"""Migrations indicators 0005 to 0007: each indicator is linked to the plans that showed it
(those of its priority areas, or every plan when it had none), in its history too; each board
summary choice is kept for every plan that showed it, history and all."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.upgrade.migrating import leaf_nodes, migrate

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("indicators", "0004_provisional_figures"), ("plans", "0025_several_plans")]
AFTER = [("indicators", "0007_one_summary_choice_a_month_for_each_plan")]
MONTH, MONTH2 = date(2026, 10, 1), date(2026, 9, 1)


def _history_row(apps, model_name, instance, moment, app="indicators", **extra):
    """A history row as simple_history writes one, at `moment`."""
    Historical = apps.get_model(app, f"Historical{model_name}")
    fields = {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}
    fields |= {"id": instance.pk, "history_date": moment, "history_type": "+", **extra}
    return Historical.objects.create(**fields)


def test_indicators_join_the_plans_that_showed_them_then_and_now():
    old = migrate(BEFORE)
    Plan = old.get_model("plans", "Plan")
    Area = old.get_model("plans", "PriorityArea")
    Indicator = old.get_model("indicators", "Indicator")
    Choice = old.get_model("indicators", "IndicatorSummaryChoice")
    HistoricalAreas = old.get_model("indicators", "HistoricalIndicator_priority_areas")
    first, second = (
        Plan.objects.create(reference=f"p{n}", title=f"Plan {n}", organisation="Council",
                            period="2021–22")
        for n in (1, 2)
    )  # fmt: skip
    area = Area.objects.create(plan=second, reference="1", title="Help", position=1)
    common = dict(area="Front door", unit="number", period_type="snapshot")
    in_second = Indicator.objects.create(reference="FD1", title="Contacts", **common)
    in_second.priority_areas.add(area)
    everywhere = Indicator.objects.create(reference="FD2", title="Referrals", **common)
    moment = timezone.now() - timedelta(days=30)
    row = _history_row(old, "Indicator", in_second, moment)
    HistoricalAreas.objects.create(id=1, history=row, indicator_id=in_second.pk, priorityarea=area)
    earlier = _history_row(old, "Indicator", everywhere, moment - timedelta(days=1))
    # Linked to the second plan's area for a while, then to none.
    HistoricalAreas.objects.create(
        id=2, history=earlier, indicator_id=everywhere.pk, priorityarea=area
    )
    later = _history_row(old, "Indicator", everywhere, moment, history_type="~")
    kept = Choice.objects.create(month=MONTH, indicator=everywhere, summary_list="do_better")
    _history_row(old, "IndicatorSummaryChoice", kept, moment)
    gone = Choice.objects.create(month=MONTH, indicator=in_second, summary_list="going_well")
    _history_row(old, "IndicatorSummaryChoice", gone, moment)
    _history_row(old, "IndicatorSummaryChoice", gone, moment + timedelta(days=1), history_type="-")
    gone.delete()
    # A choice for the indicator both plans showed, since deleted: each plan keeps its past.
    undone = Choice.objects.create(month=MONTH2, indicator=everywhere, summary_list="do_better")
    _history_row(old, "IndicatorSummaryChoice", undone, moment)
    _history_row(old, "IndicatorSummaryChoice", undone, moment + timedelta(days=1),
                 history_type="-")  # fmt: skip
    undone.delete()
    # Linked to an area of the second plan deleted since: its past rows count for that plan.
    gone_area = Area.objects.create(plan=second, reference="8", title="Gone", position=2)
    _history_row(old, "PriorityArea", gone_area, moment, app="plans")
    third = Indicator.objects.create(reference="FD3", title="Re-referrals", **common)
    third_then = _history_row(old, "Indicator", third, moment)
    HistoricalAreas.objects.create(
        id=3, history=third_then, indicator_id=third.pk, priorityarea=gone_area
    )
    gone_area.delete()

    new = migrate(AFTER)
    Indicator = new.get_model("indicators", "Indicator")
    Choice = new.get_model("indicators", "IndicatorSummaryChoice")
    HistoricalChoice = new.get_model("indicators", "HistoricalIndicatorSummaryChoice")
    HistoricalPlans = new.get_model("indicators", "HistoricalIndicator_plans")

    def plans_of(indicator):
        return set(Indicator.objects.get(pk=indicator.pk).plans.values_list("reference", flat=True))

    assert plans_of(in_second) == {"p2"}
    assert plans_of(everywhere) == {"p1", "p2"}

    def plans_then(history_row):
        return set(HistoricalPlans.objects.filter(history_id=history_row.pk)
                   .values_list("plan_id", flat=True))  # fmt: skip

    assert plans_then(row) == {second.pk}
    assert plans_then(earlier) == {second.pk}
    assert plans_then(later) == {first.pk, second.pk}
    assert plans_then(third_then) == {second.pk}

    choices = Choice.objects.order_by("plan_id")
    assert [(c.plan_id, c.indicator_id, c.summary_list) for c in choices] == [
        (first.pk, everywhere.pk, "do_better"),
        (second.pk, everywhere.pk, "do_better"),
    ]
    for choice in choices:  # each plan's choice has its own history
        rows = HistoricalChoice.objects.filter(id=choice.pk)
        assert list(rows.values_list("plan_id", "summary_list")) == [(choice.plan_id, "do_better")]
    rows = HistoricalChoice.objects.filter(indicator_id=in_second.pk).order_by("history_id")
    assert list(rows.values_list("plan_id", "history_type")) == [(second.pk, "+"), (second.pk, "-")]

    rows = HistoricalChoice.objects.filter(month=MONTH2).order_by("plan_id", "history_id")
    assert list(rows.values_list("plan_id", "history_type")) == [
        (first.pk, "+"), (first.pk, "-"), (second.pk, "+"), (second.pk, "-"),
    ]  # fmt: skip
    assert len({row.id for row in rows}) == 2  # each plan's its own key
    # A new choice takes a key no choice has had, so it takes on no other's history.
    fresh = Choice.objects.create(
        plan_id=second.pk, month=date(2026, 12, 1), indicator_id=in_second.pk,
        summary_list="going_well",
    )  # fmt: skip
    assert fresh.pk not in set(HistoricalChoice.objects.values_list("id", flat=True))

    Choice = migrate(BEFORE).get_model("indicators", "IndicatorSummaryChoice")  # undone
    assert set(Choice.objects.values_list("indicator_id", "summary_list")) == {
        (everywhere.pk, "do_better"), (in_second.pk, "going_well"),
    }  # fmt: skip
    migrate(leaf_nodes())
