from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from plans.importers import import_plan_file
from plans.workbook import WorkbookError
from plans.workbook_checks import ImportRejected


class Command(BaseCommand):
    help = "Import (or update) a plan from the workbook template. Nothing is written on any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="an .xlsx workbook, or a .zip/.json export")
        parser.add_argument("--user", help="username to record in the history as the importer")

    def handle(self, *args, file: Path, user=None, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist. Give the path of the plan workbook.")
        by = None
        if user:
            by = get_user_model().objects.filter(username=user).first()
            if by is None:
                raise CommandError(f"There is no user '{user}'. Leave out --user or create them.")
        try:
            summary = import_plan_file(filename=file.name, content=file.read_bytes(), by=by)
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        except ImportRejected as error:
            lines = [str(error), *(f"  - {problem}" for problem in error.problems)]
            lines.append("Correct these cells and import the file again.")
            raise CommandError("\n".join(lines)) from error
        self.stdout.write(self.style.SUCCESS(str(summary)))
