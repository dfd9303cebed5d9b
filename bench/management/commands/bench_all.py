"""`make bench`: for the demo and for generated data at scale 10, on SQLite and on PostgreSQL,
build a database of its own, load it, run `bench` and `benchmark_reminders`, then `bench_report`.

Each database is made for the benchmark (SQLite files under .tools/bench/, PostgreSQL databases
named tracker_bench_*), never the one the demo or the tests use.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DATASETS = {
    "demo": ["load_demo"],
    "scale-10": ["generate_scale_data", "--scale", "10"],
}


class Command(BaseCommand):
    help = "Run the whole benchmark (make bench): both datasets on SQLite and PostgreSQL."

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(Path(settings.BASE_DIR) / ".tools" / "bench"))
        parser.add_argument(
            "--postgres",
            default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
            help="a PostgreSQL server the benchmark may create databases on ('' to skip it)",
        )
        parser.add_argument("--datasets", nargs="+", default=list(DATASETS), choices=DATASETS)
        parser.add_argument(
            "--reuse", action="store_true", help="keep databases already loaded by a last run"
        )
        parser.add_argument("--no-reminders", action="store_true")

    def handle(self, *args, folder, postgres, datasets, reuse, no_reminders, **options):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        databases = {"sqlite": lambda name: f"sqlite:///{folder / name}.sqlite3"}
        if postgres:
            try:
                psycopg.connect(f"{postgres}/postgres", connect_timeout=3).close()
            except psycopg.OperationalError as error:
                raise CommandError(
                    f"PostgreSQL is not reachable at {postgres} ({error}). Start it, or run "
                    "with --postgres '' to measure SQLite only."
                ) from error
            databases["postgresql"] = lambda name: f"{postgres}/tracker_bench_{name}"
        for vendor, url_for in databases.items():
            for dataset in datasets:
                name = dataset.replace("-", "_")
                url = url_for(name)
                sqlite_file = folder / f"{name}.sqlite3"
                if self._prepare(vendor, url, sqlite_file, postgres, name, reuse):
                    self._manage(url, "migrate", "--no-input", "--verbosity", "0")
                    self._manage(url, *DATASETS[dataset])
                out = str(folder / f"{vendor}-{name}.json")
                self._manage(url, "bench", "--dataset", dataset, "--out", out)
            if not no_reminders:
                url = url_for("reminders")
                sqlite_file = folder / "reminders.sqlite3"
                self._prepare(vendor, url, sqlite_file, postgres, "reminders", reuse=False)
                self._manage(url, "migrate", "--no-input", "--verbosity", "0")
                self._manage(
                    url, "benchmark_reminders", "--json", str(folder / f"{vendor}-reminders.json")
                )
        self._manage("", "bench_report", str(folder), "--out", str(folder / "report.md"), show=True)

    def _prepare(self, vendor, url, sqlite_file: Path, postgres, name, reuse) -> bool:
        """An empty database for `url` (True), or the one a last run loaded when reusing."""
        if vendor == "sqlite":
            if reuse and sqlite_file.exists():
                return False
            sqlite_file.unlink(missing_ok=True)
            return True
        with psycopg.connect(f"{postgres}/postgres", autocommit=True) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [f"tracker_bench_{name}"]
            ).fetchone()
            if reuse and exists:
                return False
            # The name is ours (tracker_bench_ and a dataset), never user input.
            connection.execute(f'DROP DATABASE IF EXISTS "tracker_bench_{name}"')
            connection.execute(f'CREATE DATABASE "tracker_bench_{name}"')
        return True

    def _manage(self, url: str, *arguments: str, show: bool = False):
        environment = os.environ | {"DEMO_MODE": "true", "DEBUG": "false"}
        if url:
            environment["DATABASE_URL"] = url
        started = time.perf_counter()
        self.stdout.write(f"== manage.py {' '.join(arguments)}  [{url or 'report'}]")
        result = subprocess.run(  # noqa: S603 (this project's own manage.py)
            [sys.executable, "manage.py", *arguments],
            cwd=settings.BASE_DIR,
            env=environment,
            capture_output=not show,
            text=True,
        )
        if result.returncode:
            raise CommandError(
                f"manage.py {arguments[0]} failed:\n{result.stdout or ''}{result.stderr or ''}"
            )
        self.stdout.write(f"   done in {time.perf_counter() - started:.0f} s")
