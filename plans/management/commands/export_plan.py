import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.exporters import export_plan
from plans.models import Plan


class Command(BaseCommand):
    help = "Export a plan in the import template's sheets (re-importing it changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["xlsx", "csv", "json"], default="xlsx")
        parser.add_argument("--plan", help="the plan's reference (needed when there are several)")
        parser.add_argument(
            "--output", type=Path, help="file to write; '-' for standard output (json only)"
        )

    def handle(self, *args, format: str, plan=None, output=None, **options):
        plans = Plan.objects.all()
        if plan:
            plans = plans.filter(reference=plan)
        found = list(plans[:2])
        if not found:
            raise CommandError("No such plan. Import one first, or check --plan.")
        if len(found) > 1:
            references = ", ".join(Plan.objects.values_list("reference", flat=True))
            raise CommandError(f"There are several plans: choose one with --plan ({references}).")
        filename, content = export_plan(found[0], format)
        if output == Path("-"):
            if format != "json":
                raise CommandError("Only --format json can be written to standard output.")
            sys.stdout.write(content.decode("utf-8"))
            return
        target = output or Path(filename)
        target.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {target}"))
