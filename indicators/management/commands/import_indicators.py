from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.importers import load_indicator_file, only_plan
from plans.accounts import COMMAND_LINE, user_or_system_account
from plans.models import Plan
from plans.spreadsheets import WorkbookError, read_file
from plans.workbook_checks import ImportRejected


class Command(BaseCommand):
    help = (
        "Load indicators, monthly values and benchmarks into a plan: the file's indicators join "
        "it. Nothing is written on any error."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="an .xlsx workbook (or .zip/.json)")
        parser.add_argument(
            "--plan",
            help="the plan's reference (needed when the council runs more than one live plan)",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )
        parser.add_argument(
            "--user",
            help=f"username to record in the history as the loader (else '{COMMAND_LINE[0]}')",
        )

    def handle(self, *args, file: Path, plan=None, dry_run=False, user=None, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist. Give the path of the indicator workbook.")
        by = user_or_system_account(user)
        if by is None:
            raise CommandError(
                f"There is no user '{user}'. Give an existing username, or leave "
                "out --user to record the command line's system account."
            )
        into = self._plan(plan)
        try:
            summary = load_indicator_file(
                filename=file.name, content=read_file(file), by=by, plan=into, dry_run=dry_run
            )
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        except ImportRejected as error:
            lines = [str(error), *(f"  - {problem}" for problem in error.problems)]
            lines.append("Correct these cells and load the file again.")
            raise CommandError("\n".join(lines)) from error
        prefix = "Checked only, nothing written. Would have: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + str(summary)))

    @staticmethod
    def _plan(reference: str | None) -> Plan | None:
        live = Plan.objects.filter(archived__isnull=True)
        if reference is None:
            plan = only_plan()
            if plan is None and live.exists():  # more than one: which is not for us to guess
                references = ", ".join(live.values_list("reference", flat=True))
                raise CommandError(
                    f"There are several live plans ({references}). Give --plan with the "
                    "reference of the plan these indicators are for."
                )
            return plan
        plan = live.filter(reference=reference).first()
        if plan is None:
            references = ", ".join(live.values_list("reference", flat=True)) or "none yet"
            raise CommandError(
                f"There is no live plan '{reference}'. Live plans: {references}. An archived "
                "plan is read-only: load into the plan that followed it."
            )
        return plan
