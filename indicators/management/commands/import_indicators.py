from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.importers import load_indicator_file
from plans.workbook import WorkbookError
from plans.workbook_checks import ImportRejected


class Command(BaseCommand):
    help = "Load indicators, monthly values and benchmarks. Nothing is written on any error."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="an .xlsx workbook (or .zip/.json)")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and say what would change"
        )

    def handle(self, *args, file: Path, dry_run=False, **options):
        if not file.is_file():
            raise CommandError(f"{file} does not exist. Give the path of the indicator workbook.")
        try:
            summary = load_indicator_file(
                filename=file.name, content=file.read_bytes(), dry_run=dry_run
            )
        except WorkbookError as error:
            raise CommandError(str(error)) from error
        except ImportRejected as error:
            lines = [str(error), *(f"  - {problem}" for problem in error.problems)]
            lines.append("Correct these cells and load the file again.")
            raise CommandError("\n".join(lines)) from error
        prefix = "Checked only, nothing written. Would have: " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + str(summary)))
