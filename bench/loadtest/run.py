"""`make loadtest`: scale-10 data on PostgreSQL, gunicorn on loopback, locust in two runs.

    uv run --frozen --group loadtest python -m bench.loadtest.run [--reuse]

1. Builds the database `tracker_loadtest` afresh (drop, create, migrate, generate_scale_data
   --scale 10; about 100 s), unless --reuse (or LOADTEST_REUSE=1) finds it already built; then
   bench/loadtest/prepare.py gives the test's accounts a fresh random password.
2. Starts gunicorn (tracker.wsgi, gunicorn.conf.py, DEBUG=false) on 127.0.0.1 and a free port,
   and a Celery worker (2 processes, Redis LOADTEST_REDIS, default database 11) that makes the
   PDF and Word papers, and stops both at the end whatever happens.
3. Runs locust headless (bench/loadtest/locustfile.py): LOADTEST_USERS people (50) for
   LOADTEST_DURATION (5m), started LOADTEST_SPAWN_RATE a second (2). Locust's CSV files go to
   .tools/loadtest/main_*.csv.
4. Then the stepped run: LOADTEST_STEPS users ("60,70,80,90,100,125,150,200"; "none" skips
   it), each step measured for LOADTEST_STEP_SECONDS (60) once its users are running and have
   settled, until the p95 of all requests passes LOADTEST_STEP_LIMIT_MS (2000). If the first
   run's p95 has already passed it, the steps go from 10 users up instead. Figures:
   .tools/loadtest/steps.json.
5. Prints a summary (requests, throughput, errors, p95 per endpoint, the steps) and writes it
   to .tools/loadtest/summary.md with the machine, the code's commit and anything else that
   used the CPU meanwhile. Exits 1 if the first run had any error.

Other settings: LOADTEST_WORKERS (gunicorn workers, 4), LOADTEST_THINK (seconds between pages,
"3-9"), LOADTEST_POSTGRES (the server, postgres://postgres@127.0.0.1:5432),
LOADTEST_DATABASE_OPTIONS (added to the app's DATABASE_URL: "conn_max_age=60", as in
docs/deploy.md; "none" for Django's default of a new connection for every request),
LOADTEST_OUT (where the files go, .tools/loadtest).
For a quick try: LOADTEST_DURATION=30s LOADTEST_STEPS=none make loadtest LOADTEST_REUSE=1.
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

from bench.loadtest.cpu_watch import CpuWatch
from bench.loadtest.figures import (
    git,
    machine,
    main_table,
    ms,
    read_failures,
    read_stats,
    steps_table,
)

ROOT = Path(__file__).resolve().parents[2]
DATABASE = "tracker_loadtest"
DEFAULT_STEPS = "60,70,80,90,100,125,150,200"
LOW_STEPS = "10,20,30,40"  # when 50 users are already past the limit


def env(name: str, default: str) -> str:
    return os.environ.get(name, "").strip() or default


def log(message: str) -> None:
    print(f"[loadtest {time.strftime('%H:%M:%S')}] {message}", flush=True)


def run(args: list[str], environ: dict, **kwargs) -> None:
    subprocess.run(args, cwd=ROOT, env=environ, check=True, **kwargs)  # noqa: S603


# ---------------------------------------------------------------------------------------------
# The database


def build_database(server: str, url: str, environ: dict, reuse: bool) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]
        ).fetchone()
        if reuse and exists:
            with psycopg.connect(url) as db:
                try:
                    plans = db.execute("SELECT count(*) FROM plans_plan").fetchone()[0]
                except psycopg.errors.UndefinedTable:
                    plans = 0
            if plans:
                log(f"Reusing {DATABASE} ({plans} plans; earlier runs' updates are still in it).")
                run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], environ)
                return
        log(f"Building {DATABASE} afresh: migrate, then generate_scale_data --scale 10.")
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], environ)
    run([sys.executable, "manage.py", "generate_scale_data", "--scale", "10"], environ)


# ---------------------------------------------------------------------------------------------
# The server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, environ: dict, workers: int, logfile: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = logfile.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tracker.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(workers),
            ],
            cwd=ROOT,  # gunicorn reads gunicorn.conf.py from here
            env=environ,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped at start: see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/accounts/login/", timeout=5) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise SystemExit(f"gunicorn did not answer within {seconds:.0f} s: see {self.log.name}")

    def worker_pids(self) -> set[int]:
        return _with_children(self.process.pid)

    def stop(self) -> None:
        _stop(self.process)
        self.log.close()


class Worker:
    """The Celery worker that makes the PDF and Word papers, as the Procfile runs it."""

    def __init__(self, environ: dict, logfile: Path):
        self.log = logfile.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "celery", "--app", "tracker", "worker", "--pool", "prefork",
             "--concurrency", environ.get("LOADTEST_CELERY_CONCURRENCY", "2"),
             "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
            cwd=ROOT, env=environ, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip

    def pids(self) -> set[int]:
        return _with_children(self.process.pid)

    def stop(self) -> None:
        _stop(self.process)
        self.log.close()


def _with_children(pid: int) -> set[int]:
    """A process and its children (gunicorn's or Celery's workers), for the CPU watch."""
    try:
        return {pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())}
    except OSError:
        return {pid}


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()  # a graceful stop: work in hand is finished
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# ---------------------------------------------------------------------------------------------
# Locust and its figures


def locust(
    server: Server, environ: dict, out: Path, prefix: str, users: int, duration: str | None,
    spawn_rate: str, limit: float,
) -> int:  # fmt: skip
    """Run locust; give up after `limit` seconds."""
    args = [
        sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "loadtest" / "locustfile.py"),
        "--headless", "--host", server.url, "--csv", str(out / prefix),
        "--loglevel", "WARNING", "--only-summary",
    ]  # fmt: skip
    if duration:
        args += ["--users", str(users), "--spawn-rate", spawn_rate, "--run-time", duration]
    with (out / f"{prefix}.log").open("w") as logfile:
        try:
            return subprocess.run(  # noqa: S603
                args, cwd=ROOT, env=environ, stdout=logfile, stderr=subprocess.STDOUT,
                timeout=limit,
            ).returncode  # fmt: skip
        except subprocess.TimeoutExpired:
            log(f"locust ran past {limit:.0f} s and was stopped: see {logfile.name}")
            return -1


# ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description="The tracker's load test (docs/loadtest.md).")
    parser.add_argument(
        "--reuse", action="store_true", default=env("LOADTEST_REUSE", "") not in ("", "0"),
        help=f"keep {DATABASE} if it is already built (LOADTEST_REUSE=1)",
    )  # fmt: skip
    options = parser.parse_args()
    users = int(env("LOADTEST_USERS", "50"))
    duration = env("LOADTEST_DURATION", "5m")
    spawn_rate = env("LOADTEST_SPAWN_RATE", "2")
    workers = int(env("LOADTEST_WORKERS", "4"))
    steps = env("LOADTEST_STEPS", DEFAULT_STEPS)
    limit_ms = float(env("LOADTEST_STEP_LIMIT_MS", "2000"))
    server_url = env("LOADTEST_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
    out = Path(env("LOADTEST_OUT", str(ROOT / ".tools" / "loadtest")))
    out.mkdir(parents=True, exist_ok=True)
    for old in [*out.glob("main*"), *out.glob("steps*")]:
        old.unlink()

    database_url = f"{server_url}/{DATABASE}"
    # Django's database options through django-environ's URL. docs/deploy.md's example keeps
    # each worker's connection open (conn_max_age=60); "none" opens one for every request.
    options_query = env("LOADTEST_DATABASE_OPTIONS", "conn_max_age=60")
    options_query = "" if options_query == "none" else options_query
    password = secrets.token_urlsafe(16)
    environ = {
        **os.environ,
        "DATABASE_URL": database_url + (f"?{options_query}" if options_query else ""),
        "DEBUG": "false",
        "DEMO_MODE": "false",
        # Plain http on loopback: cookies marked Secure would never come back.
        "SECURE_COOKIES": "false",
        "LOG_LEVEL": "WARNING",
        "LOADTEST_ACCOUNTS": str(out / "accounts.json"),
        "LOADTEST_PASSWORD": password,
        "LOADTEST_STEPS": "",
        "LOADTEST_SPAWN_RATE": spawn_rate,
        "LOADTEST_STEP_LIMIT_MS": str(limit_ms),
        "LOADTEST_STEPS_OUT": str(out / "steps.json"),
        # The worker that makes the PDF and Word papers, and where they are kept.
        "REDIS_URL": env("LOADTEST_REDIS", "redis://127.0.0.1:6379/11"),
        "MEDIA_ROOT": str(out / "media"),
    }

    started = time.monotonic()
    build_database(server_url, database_url, environ, options.reuse)
    run([sys.executable, "bench/loadtest/prepare.py", "--password", password,
         "--out", str(out / "accounts.json")], environ)  # fmt: skip

    commit = git("rev-parse", "--short", "HEAD") or "unknown (not a git checkout)"
    dirty = [line for line in git("status", "--porcelain").splitlines() if line.strip()]
    log(f"Starting gunicorn ({workers} workers) at commit {commit}, {len(dirty)} changed files.")
    server = Server(environ, workers, out / "gunicorn.log")
    worker = Worker(environ, out / "celery.log")
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGTERM, signal.SIGHUP)}
    for sig in previous:  # stop gunicorn on Ctrl+C (KeyboardInterrupt), kill or hang-up too
        signal.signal(sig, interrupted)
    watch = CpuWatch(
        lambda: {os.getpid(), *server.worker_pids(), *worker.pids(), *locust_pids()}, DATABASE
    )
    try:
        server.wait_ready()
        watch.start()
        load_before = os.getloadavg()
        log(f"Server {server.url} ready. Run 1: {users} users for {duration}, "
            f"{spawn_rate} started a second.")  # fmt: skip
        locust(server, environ, out, "main", users, duration, spawn_rate, seconds(duration) + 120)
        main_rows = read_stats(out / "main_stats.csv")
        total = next(row for row in main_rows if row["Name"] == "Aggregated")
        step_results = []
        if steps.lower() != "none":
            if float(total["95%"] or 0) > limit_ms:
                log(f"Run 1's p95 is already past {limit_ms:.0f} ms: stepping from 10 users.")
                steps = LOW_STEPS
            log(f"Run 2: steps of {steps} users until p95 passes {limit_ms:.0f} ms.")
            stepped = {**environ, "LOADTEST_STEPS": steps}
            counts = [int(n) for n in steps.split(",")]
            per_step = float(env("LOADTEST_STEP_SECONDS", "60")) + 15 + 60
            limit = max(counts) / float(spawn_rate) + len(counts) * per_step + 60
            locust(server, stepped, out, "steps", 0, None, spawn_rate, limit)
            if (out / "steps.json").exists():
                step_results = json.loads((out / "steps.json").read_text())
    finally:
        server.stop()
        worker.stop()
        cpu = watch.stop() if watch.is_alive() else None
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    failures = read_failures(out / "main_failures.csv")
    changed = f" with {len(dirty)} changed files in the work tree" if dirty else ""
    tracebacks = (out / "gunicorn.log").read_text().count("Traceback")
    summary = [
        f"## Load test, {time.strftime('%d %B %Y %H:%M')}",
        "",
        f"- Machine: {machine()}; load average {load_before[0]:.2f} at the start.",
        f"- Code: commit {commit}{changed}.",
        f"- Server: gunicorn, {workers} sync workers, DEBUG=false, PostgreSQL {DATABASE} "
        f"(generate_scale_data --scale 10{', ' + options_query if options_query else ''}), all "
        "on this machine with locust.",
        f"- Run 1: {users} users for {duration} ({spawn_rate} started a second), think time "
        f"{env('LOADTEST_THINK', '3-9')} s between pages.",
        "",
        f"**Run 1:** {total['Request Count']} requests, {float(total['Requests/s']):.2f} req/s, "
        f"{total['Failure Count']} errors, p95 {ms(total['95%'])} over all requests; "
        f"{tracebacks} tracebacks in gunicorn's log.",
        "",
        *main_table(main_rows),
    ]
    if failures:
        summary += ["", "Errors:", ""]
        summary += [f"- {f['Occurrences']} × {f['Method']} {f['Name']}: {f['Error']}"
                    for f in failures]  # fmt: skip
    if step_results:
        measured = env("LOADTEST_STEP_SECONDS", "60")
        summary += [
            "",
            f"**Run 2, stepping up** (each step measured for {measured} s once its users had "
            "settled):",
            "",
        ]
        summary += steps_table(step_results, limit_ms)
        over = next((s for s in step_results if s["p95_ms"] > limit_ms), None)
        if over:
            index = step_results.index(over)
            below = (
                (step_results[index - 1]["users"], step_results[index - 1]["p95_ms"])
                if index
                else (users, float(total["95%"] or 0))
            )
            verdict = (
                f"p95 passed {limit_ms / 1000:g} s at {over['users']} users "
                f"({ms(over['p95_ms'])}; {ms(below[1])} at {below[0]} users)."
            )
        else:
            verdict = (
                f"p95 stayed under {limit_ms / 1000:g} s up to {step_results[-1]['users']} users"
                + (f" (run 1's {users} users passed it)." if steps == LOW_STEPS else ".")
            )
        summary += ["", verdict]
        errors = [e for s in step_results for e in s["errors"]]
        summary += [f"- step error: {e['count']} × {e['name']}: {e['error']}" for e in errors]
    if cpu:
        summary += [
            "",
            f"CPU meanwhile ({cpu['seconds']} s watched): the machine was busy "
            f"{cpu['machine_cores']} cores of {os.cpu_count()} on average; long-lived processes: "
            f"the test's (gunicorn, locust, PostgreSQL) {cpu['test_cores']} cores, others "
            f"{cpu['other_cores']}; load average up to {cpu['load_max']}.",
        ]
        summary += [f"- other: {b['cores']} cores: {b['command']}" for b in cpu["busy_others"]]
        worst = cpu["busiest_other"]
        if worst and worst["other_cores"] > 0.2:
            summary.append(
                f"- the busiest 10 s for other processes, to {worst['at']}: "
                f"{worst['other_cores']} cores ({worst['top_other']})"
            )
        (out / "cpu.json").write_text(json.dumps(cpu, indent=1))
    summary += ["", f"Whole run: {(time.monotonic() - started) / 60:.1f} minutes."]
    text = "\n".join(summary) + "\n"
    (out / "summary.md").write_text(text)
    print("\n" + text, flush=True)
    log(f"Locust's CSV files, logs and this summary: {out}")
    return 1 if int(total["Failure Count"]) else 0


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def seconds(duration: str) -> int:
    """Locust's run time ("30s", "5m", "1h30m") in seconds."""
    total, number = 0, ""
    for char in duration.strip():
        if char.isdigit():
            number += char
        else:
            total += int(number or 0) * {"h": 3600, "m": 60, "s": 1}[char]
            number = ""
    return total + int(number or 0)


def locust_pids() -> set[int]:
    """This script's children (locust) and theirs."""
    found, frontier = set(), [os.getpid()]
    while frontier:
        pid = frontier.pop()
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            if child not in found:
                found.add(child)
                frontier.append(child)
    return found


if __name__ == "__main__":
    sys.exit(main())
