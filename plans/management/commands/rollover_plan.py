from datetime import date

from django.core.management.base import BaseCommand, CommandError

from plans.accounts import COMMAND_LINE, user_or_system_account
from plans.models import Plan
from plans.rollover import RolloverRefused, rollover_plan, rollover_preview


def day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--start {text!r} is not a date: write it as 2027-04-01.") from None


def _actions(count: int) -> str:
    return f"{count} action{'' if count == 1 else 's'}"


class Command(BaseCommand):
    help = (
        "The yearly rollover: next year's plan from SOURCE's areas, objectives and unfinished "
        "actions; SOURCE is archived (read-only). All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="the reference of the plan to roll over")
        parser.add_argument("--slug", required=True, help="the new plan's reference")
        parser.add_argument("--title", required=True, help="the new plan's title")
        parser.add_argument("--start", required=True, type=day, help="its first day: 2027-04-01")
        parser.add_argument("--dry-run", action="store_true", help="say what it would do only")
        parser.add_argument(
            "--user",
            help=f"username to record in the history as who rolled it over "
            f"(else '{COMMAND_LINE[0]}')",
        )

    def handle(self, *args, source, slug, title, start, dry_run, user=None, **options):
        plan = Plan.objects.filter(reference=source).first()
        if plan is None:
            known = ", ".join(Plan.objects.values_list("reference", flat=True)) or "none"
            raise CommandError(f"There is no plan '{source}'. The plans are: {known}.")
        by = user_or_system_account(user)
        if by is None:
            raise CommandError(
                f"There is no user '{user}'. Give an existing username, or leave out --user to "
                "record the command line's system account."
            )
        preview = rollover_preview(plan, reference=slug, title=title, start=start)
        self.stdout.write(
            f"{plan.title} → {preview.title} ({preview.period}): {preview.areas} priority "
            f"areas, {preview.objectives} objectives, {preview.criteria} success criteria; "
            f"{_actions(len(preview.carried))} not complete carried over, "
            f"{_actions(preview.staying)} complete staying."
        )
        if dry_run and not preview.problems:
            self.stdout.write("Nothing was written (--dry-run).")
            return
        try:
            if dry_run:
                raise RolloverRefused(preview.problems)
            new = rollover_plan(plan, reference=slug, title=title, start=start, by=by)
        except RolloverRefused as refused:
            lines = ["Nothing was written:", *(f"  - {p}" for p in refused.problems)]
            raise CommandError("\n".join(lines)) from refused
        self.stdout.write(
            self.style.SUCCESS(f"Made {new.title} ({new.reference}); {plan.title} is archived.")
        )
