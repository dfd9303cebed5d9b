from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.accounts import COMMAND_LINE, user_or_system_account
from plans.importers import import_plan_file
from plans.spreadsheets import WorkbookError, read_file
from plans.workbook_checks import ImportRejected


class Command(BaseCommand):
    help = "Import (or update) a plan from the workbook template. Nothing is written on any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="an .xlsx workbook, or a .zip/.json export")
        parser.add_argument(
            "--user",
            help=f"username to record in the history as the importer (else '{COMMAND_LINE[0]}')",
        )

    def handle(self, *args, file: Path, user=None, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist. Give the path of the plan workbook.")
        by = user_or_system_account(user)
        if by is None:
            raise CommandError(
                f"There is no user '{user}'. Give an existing username, or leave "
                "out --user to record the command line's system account."
            )
        try:
            summary = import_plan_file(filename=file.name, content=read_file(file), by=by)
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        except ImportRejected as error:
            lines = [str(error), *(f"  - {problem}" for problem in error.problems)]
            lines.append("Correct these cells and import the file again.")
            raise CommandError("\n".join(lines)) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
