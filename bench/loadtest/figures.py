"""Locust's figures read back, and written as the summary's tables, with the machine and commit."""

import csv
import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def read_stats(path: Path) -> list[dict]:
    with path.open() as stats:
        return list(csv.DictReader(stats))


def read_failures(path: Path) -> list[dict]:
    return read_stats(path) if path.exists() else []


def ms(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return "–"
    return f"{number / 1000:.2f} s" if number >= 1000 else f"{number:.0f} ms"


def main_table(rows: list[dict]) -> list[str]:
    lines = [
        "| endpoint | requests | errors | req/s | median | p95 | p99 | max |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        label = "all requests" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        lines.append(
            f"| {label} | {row['Request Count']} | {row['Failure Count']} | "
            f"{float(row['Requests/s']):.2f} | {ms(row['50%'])} | {ms(row['95%'])} | "
            f"{ms(row['99%'])} | {ms(row['Max Response Time'])} |"
        )
    return lines


def steps_table(steps: list[dict], limit_ms: float) -> list[str]:
    lines = [
        "| users | requests | req/s | errors | median | p95 | slowest endpoint by p95 |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for step in steps:
        worst = max(step["endpoints"].items(), key=lambda item: item[1]["p95_ms"] or 0)
        passed = " (passes the limit)" if step["p95_ms"] > limit_ms else ""
        lines.append(
            f"| {step['users']} | {step['requests']} | {step['rps']:.2f} | {step['failures']} | "
            f"{ms(step['p50_ms'])} | {ms(step['p95_ms'])}{passed} | "
            f"{worst[0]} {ms(worst[1]['p95_ms'])} |"
        )
    return lines


def machine() -> str:
    memory = next(
        (line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
         if line.startswith("MemTotal")), "0",
    )  # fmt: skip
    model = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.machine(),
    )  # fmt: skip
    return (
        f"{os.cpu_count()} CPUs ({model}), {int(memory) / 1024 / 1024:.0f} GB, "
        f"{platform.platform(terse=True)}, Python {platform.python_version()}"
    )


def git(*args: str) -> str:
    command = ["git", *args]
    try:
        answer = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607
    except OSError:  # no git
        return ""
    return answer.stdout.strip()
