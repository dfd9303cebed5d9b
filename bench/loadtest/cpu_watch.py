"""What else used the CPU while the load test ran: another job on the machine shifts every
figure, so the summary says how much there was."""

import os
import threading
import time
from pathlib import Path


class CpuWatch(threading.Thread):
    """Every 10 s, the CPU each process used; at the end, the busiest that are not the test's
    own (this script, locust, gunicorn, and PostgreSQL backends of the test's database), and the
    whole machine's. Processes that live less than 10 s (PostgreSQL's backend for each request,
    a test run) are missed by the per-process count but not by the machine's. The 10-s timeline
    goes to cpu.json, to match a slow spell in locust's history to what else ran then."""

    def __init__(self, ours: callable, database: str):
        super().__init__(daemon=True)
        self.ours = ours
        self.database = database  # its PostgreSQL backends are the test's own
        self.stop_event = threading.Event()
        self.used: dict[str, float] = {}  # command -> CPU seconds
        self.ours_seconds = 0.0
        self.wall = 0.0
        self.loads: list[float] = []
        self.machine_seconds = 0.0
        self.timeline: list[dict] = []

    @staticmethod
    def _sample() -> dict[int, tuple[float, str]]:
        ticks = os.sysconf("SC_CLK_TCK")
        found = {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode().strip()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            found[int(entry.name)] = ((int(fields[11]) + int(fields[12])) / ticks, command)
        return found

    @staticmethod
    def _busy() -> float:
        """CPU seconds the whole machine has spent busy (all but idle and iowait)."""
        fields = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
        return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")

    def run(self):
        busy_before = self._busy()
        before, started = self._sample(), time.monotonic()
        busy_last = busy_before
        while not self.stop_event.wait(10):
            now, at, busy = self._sample(), time.monotonic(), self._busy()
            ours = self.ours()
            test, others = 0.0, {}
            for pid, (cpu, command) in now.items():
                used = cpu - before.get(pid, (0.0, ""))[0]
                if used <= 0 or not command:
                    continue
                if pid in ours or f" {self.database} " in command:
                    test += used
                else:
                    others[command[:120]] = others.get(command[:120], 0.0) + used
            interval = at - started
            for command, used in others.items():
                self.used[command] = self.used.get(command, 0.0) + used
            self.ours_seconds += test
            self.wall += interval
            top = max(others.items(), key=lambda item: item[1], default=("", 0.0))
            self.timeline.append({
                "at": time.strftime("%H:%M:%S"),
                "machine_cores": round((busy - busy_last) / interval, 2),
                "test_cores": round(test / interval, 2),
                "other_cores": round(sum(others.values()) / interval, 2),
                "top_other": f"{top[1] / interval:.2f} {top[0]}" if top[0] else "",
            })  # fmt: skip
            before, started, busy_last = now, at, busy
            self.loads.append(os.getloadavg()[0])
            self.machine_seconds = busy - busy_before

    def stop(self) -> dict:
        self.stop_event.set()
        self.join(timeout=15)
        wall = self.wall or 1.0
        others = sorted(self.used.items(), key=lambda item: -item[1])
        busy = [(command, seconds / wall) for command, seconds in others if seconds / wall > 0.05]
        return {
            "seconds": round(self.wall),
            "machine_cores": round(self.machine_seconds / wall, 2),
            "test_cores": round(self.ours_seconds / wall, 2),
            "other_cores": round(sum(self.used.values()) / wall, 2),
            "busy_others": [{"command": c, "cores": round(share, 2)} for c, share in busy[:8]],
            "load_max": round(max(self.loads), 2) if self.loads else None,
            "busiest_other": max(self.timeline, key=lambda t: t["other_cores"], default=None),
            "timeline": self.timeline,
        }
