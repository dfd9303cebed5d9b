"""Time and peak memory of the import commands on hostile and real-size spreadsheets, each in a
process of its own as a council would run it (make bench-uploads; docs/benchmarks.md).

Files, made in memory by bench.workbooks: a plan workbook and an indicator workbook of a few
hundred kilobytes holding 3.2 million cells (both to be refused), and 10,000 monthly figures
formatted out to column XFD (to be loaded, dry run). Each command runs `--runs` times; the
figures are the median wall time and the highest peak memory (the process's maximum resident
set), beside the same command refusing an empty file: its start-up, which every command pays.
"""

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from bench.management.commands.bench import indicator_file
from bench.workbooks import dense_xlsx, formatted_to_last_column
from plans.workbook import write_xlsx


def run_once(arguments: list[str], environment: dict) -> tuple[float, float, int]:
    """Wall seconds, peak resident MB and exit code of one `manage.py` run."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 (this interpreter, this project's manage.py)
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR, env=environment,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    return seconds, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


class Command(BaseCommand):
    help = "Time the import commands on dense and real-size spreadsheets (each its own process)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=5)
        parser.add_argument("--out", help="a JSON file to write the figures to")

    def handle(self, *args, runs, out, **options):
        folder = Path(tempfile.mkdtemp(prefix="bench-uploads-"))
        sheets = indicator_file(values=10_000, today=timezone.localdate())
        files = {
            "empty.xlsx": b"",
            "dense-plan.xlsx": dense_xlsx(sheet="Plan", rows=200, columns=16_000),
            "dense-indicators.xlsx": dense_xlsx(sheet="Values", rows=100_000, columns=32),
            "figures-to-xfd.xlsx": formatted_to_last_column(write_xlsx(sheets)),
        }
        for name, content in files.items():
            (folder / name).write_bytes(content)
        cases = {
            "Start-up: import_plan refusing an empty file": (
                ["import_plan", "empty.xlsx"], "refused"),
            "import_plan, dense workbook (3.2 million cells)": (
                ["import_plan", "dense-plan.xlsx"], "refused"),
            "import_indicators, dense workbook (3.2 million cells)": (
                ["import_indicators", "dense-indicators.xlsx", "--dry-run"], "refused"),
            "import_indicators, 10,000 figures formatted to column XFD": (
                ["import_indicators", "figures-to-xfd.xlsx", "--dry-run"], "loaded"),
        }  # fmt: skip
        environment = os.environ | {"DEMO_MODE": "true", "DEBUG": "false"}
        results = {}
        for name, (arguments, expected) in cases.items():
            arguments = [arguments[0], str(folder / arguments[1]), *arguments[2:]]
            samples = [run_once(arguments, environment) for _ in range(runs)]
            codes = {code for _, _, code in samples}
            outcome = "loaded" if codes == {0} else "refused" if 0 not in codes else "mixed"
            results[name] = {
                "file_kib": round(len(files[Path(arguments[1]).name]) / 1024),
                "median_seconds": round(statistics.median(s for s, _, _ in samples), 2),
                "peak_mb": round(max(m for _, m, _ in samples)),
                "outcome": outcome,
                "expected": expected,
            }
            self.stdout.write(f"{name}: {results[name]}")
        start_up = results["Start-up: import_plan refusing an empty file"]["median_seconds"]
        for figures in results.values():
            figures["beyond_start_up_seconds"] = round(figures["median_seconds"] - start_up, 2)
        summary = {
            "date": timezone.localdate().isoformat(),
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
            "runs": runs,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
            "commands": results,
        }
        if out:
            Path(out).write_text(json.dumps(summary, indent=2))
        self.stdout.write(json.dumps(summary, indent=2))
