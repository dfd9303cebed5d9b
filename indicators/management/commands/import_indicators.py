from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.importers import load_indicator_file
from plans.accounts import COMMAND_LINE, user_or_system_account
from plans.spreadsheets import WorkbookError, read_file
from plans.workbook_checks import ImportRejected


class Command(BaseCommand):
    help = "Load indicators, monthly values and benchmarks. Nothing is written on any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="an .xlsx workbook (or .zip/.json)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )
        parser.add_argument(
            "--user",
            help=f"username to record in the history as the loader (else '{COMMAND_LINE[0]}')",
        )

    def handle(self, *args, file: Path, dry_run=False, user=None, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist. Give the path of the indicator workbook.")
        by = user_or_system_account(user)
        if by is None:
            raise CommandError(
                f"There is no user '{user}'. Give an existing username, or leave "
                "out --user to record the command line's system account."
            )
        try:
            summary = load_indicator_file(
                filename=file.name, content=read_file(file), by=by, dry_run=dry_run
            )
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        except ImportRejected as error:
            lines = [str(error), *(f"  - {problem}" for problem in error.problems)]
            lines.append("Correct these cells and load the file again.")
            raise CommandError("\n".join(lines)) from error
        prefix = "Checked only, nothing written. Would have: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + str(summary)))
