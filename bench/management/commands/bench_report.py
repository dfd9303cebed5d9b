"""Read the JSON files `manage.py bench` wrote and print one table per database and dataset,
then the issue's targets, each passed or failed (the figures: docs/benchmarks.md)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

PAGE_P95_MS = 200  # every page at scale, on both databases
# The report built cold: nothing kept anywhere, the previous papers not yet recorded either.
COLD_REPORT_P95_MS = 250
COLD_REPORT = "Exception report page, built cold"
PDF_SECONDS = 3  # one plan's exception report PDF at scale
AS_AT_RATIO = 1.5  # the report as at a year back against the current one
IMPORT_SECONDS = 5  # a 10,000-value indicator file
# Each page's time over its floor view's (the same rows in the fewest queries, bare) is shown
# as a measurement, not judged: the floor has no layout and no rules.


class Command(BaseCommand):
    help = "Summarise bench JSON files as tables, and check them against the targets."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="where bench wrote its JSON files")
        parser.add_argument("--scale-dataset", default="scale-10")
        parser.add_argument("--out", help="also write the tables and checks to this file")

    def handle(self, *args, folder, scale_dataset, out, **options):
        found = [json.loads(p.read_text()) for p in sorted(Path(folder).glob("*.json"))]
        runs = [run for run in found if run.get("kind") != "reminders"]
        reminders = [run for run in found if run.get("kind") == "reminders"]
        if not runs:
            raise CommandError(f"No bench results in {folder}: run make bench.")
        lines = []
        for run in runs:
            lines += self._table(run)
        if reminders:
            lines += self._reminders_table(reminders)
        lines += ["", "## Targets", ""]
        checks = self._checks(runs, scale_dataset)
        lines += [
            f"- {'INFO' if ok is None else 'PASS' if ok else 'FAIL'}: {text}" for ok, text in checks
        ]
        text = "\n".join(lines) + "\n"
        self.stdout.write(text)
        if out:
            Path(out).write_text(text)

    def _reminders_table(self, reminders: list[dict]) -> list[str]:
        columns = ["database", "actions", "people", "sweep", "sweep and delivery", "missed"]
        heading = "| " + " | ".join([*columns, "duplicates"]) + " |"
        lines = ["### Reminders: the sweep and delivery through two workers", "", heading]
        lines.append("| --- " * 7 + "|")
        for run in reminders:
            cells = [
                run["database"], run["actions"], run["people"], f"{run['sweep_seconds']} s",
                f"{run['sweep_and_delivery_seconds']} s", run["missed"], run["duplicates"],
            ]  # fmt: skip
            lines.append("| " + " | ".join(str(cell) for cell in cells) + " |")
        return [*lines, ""]

    def _table(self, run: dict) -> list[str]:
        data, machine = run["data"], run["machine"]
        lines = [
            f"### {run['dataset']} on {run['database']} ({run['date']})",
            "",
            f"{data['plans']} plans, {data['actions']} actions, {data['progress_updates']} "
            f"progress updates; measured plan {data['measured_plan']} "
            f"({data['measured_plan_actions']} actions). {machine['cpus']} CPUs, "
            f"{machine['machine']}, Python {machine['python']}.",
            "",
            "| page | p50 | p95 | queries | peak memory | floor p50 | floor queries | ratio |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name, page in run["pages"].items():
            floor = page["floor"]
            lines.append(
                f"| {name} | {page['p50_ms']} ms | {page['p95_ms']} ms | {page['queries']} | "
                f"{page['peak_memory_kib']} KiB | {floor['p50_ms']} ms | {floor['queries']} | "
                f"{page['ratio_to_floor']}× |"
            )
        layout = run.get("layout")
        if layout:  # no floor: what every page costs before its own rows
            lines.append(
                f"| Empty page in the app's layout, signed in | {layout['p50_ms']} ms | "
                f"{layout['p95_ms']} ms | {layout['queries']} | {layout['peak_memory_kib']} KiB "
                "| | | |"
            )
        for name, measured in run.get("one_off", {}).items():
            lines.append(
                f"| {name} | {measured['seconds']} s | | | {measured['peak_memory_kib']} KiB "
                "| | | |"
            )
        return [*lines, ""]

    def _checks(self, runs: list[dict], scale_dataset: str) -> list[tuple[bool | None, str]]:
        checks = []
        by_key = {(run["database"], run["dataset"]): run for run in runs}
        for run in runs:
            if run["dataset"] != scale_dataset:
                continue
            where = f"{scale_dataset} on {run['database']}"
            pages = run["pages"]
            for name, page in pages.items():
                if name == COLD_REPORT:
                    checks.append((
                        page["p95_ms"] < COLD_REPORT_P95_MS,
                        f"{name} p95 {page['p95_ms']} ms < {COLD_REPORT_P95_MS} ms ({where})",
                    ))  # fmt: skip
                elif "PDF" not in name and "XLSX" not in name:  # files: their own targets
                    checks.append((
                        page["p95_ms"] < PAGE_P95_MS,
                        f"{name} p95 {page['p95_ms']} ms < {PAGE_P95_MS} ms ({where})",
                    ))  # fmt: skip
                checks.append((None, f"{name}: {page['ratio_to_floor']}× its floor ({where})"))
            pdf = pages["Exception report PDF"]["p95_ms"] / 1000
            checks.append(
                (pdf < PDF_SECONDS, f"Exception report PDF p95 {pdf:.2f} s < 3 s ({where})")
            )
            now = pages["Exception report page"]["p50_ms"]
            then = pages["Exception report as at a year back"]["p50_ms"]
            checks.append((
                then <= AS_AT_RATIO * now,
                f"as-at report {then} ms ≤ {AS_AT_RATIO}× the current {now} ms ({where})",
            ))  # fmt: skip
            demo = by_key.get((run["database"], "demo"))
            if demo:
                for name, page in pages.items():
                    small = demo["pages"].get(name, {}).get("queries")
                    checks.append((
                        small == page["queries"],
                        f"{name}: {small} queries on the demo, {page['queries']} at scale "
                        f"({run['database']})",
                    ))  # fmt: skip
            imported = run.get("one_off", {}).get("Indicator import, 10,000 values")
            if imported:
                checks.append((
                    imported["seconds"] < IMPORT_SECONDS,
                    f"10,000-value indicator import {imported['seconds']} s < 5 s ({where})",
                ))  # fmt: skip
        return checks
