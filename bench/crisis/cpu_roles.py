"""CPU seconds by role during a broadcast (bench/crisis/broadcast.py `--cpu-phases`), from the processes' own
clocks (user + system), so the numbers hold while other jobs share the machine.

Roles: the broadcast's Celery workers (each one's whole process group: the main process and its pool), the
stack's other processes of this checkout (`web` — `portal.serve` —, the stack's `worker` and `beat`, when a
`runstack` runs beside it), PostgreSQL's backends (the one serving this bench process apart: its progress counts
and the sweep it plays), Redis, and this process split by thread: its main thread (the sweep, as beat, and the
bench's own progress counts) and every other thread (the local Postmark / SMTP sink and SMS gateway, which stand in
for remote providers). A killed worker's CPU is kept from its last sample before the kill."""

from __future__ import annotations

import os
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[2]


class CpuByRole:
    """Call `tick()` often (each second): every process's CPU is remembered by pid, so one that ends between
    samples (the killed worker's pool, the PostgreSQL backends of its connections) keeps what it used until its
    last tick."""

    def __init__(self, *, bench_backend_pid: int | None):
        self.bench_backend_pid = bench_backend_pid
        self.bench_groups: set[int] = set()  # the broadcast's workers' process groups, killed ones included
        self.last: dict[int, tuple[str, float]] = {}  # pid -> (role, CPU seconds at the last tick)
        self.me = psutil.Process()
        self.var = os.path.realpath(ROOT / "var")

    def worker_started(self, pgid: int) -> None:
        self.bench_groups.add(pgid)

    def _role(self, process: psutil.Process) -> str | None:
        if os.getpgid(process.pid) in self.bench_groups:
            return "bench_worker"
        command = " ".join(process.info["cmdline"] or [])
        cwd = process.info["cwd"] or ""
        if not (cwd == str(ROOT) or cwd.startswith(self.var) or self.var in command):
            return None
        padded = f" {command} "
        if "postgres" in padded:
            return "postgres_bench_conn" if process.pid == self.bench_backend_pid else "postgres"
        if "redis" in padded:
            return "redis"
        if "portal.serve" in padded:
            return "web"
        if " worker " in padded:
            return "stack_worker"
        if " beat " in padded:
            return "stack_beat"
        return None

    def tick(self) -> None:
        for process in psutil.process_iter(["cmdline", "cwd"]):
            if process.pid == self.me.pid:
                continue
            try:
                role = self._role(process)
                if role is None:
                    continue
                times = process.cpu_times()
                self.last[process.pid] = (role, times.user + times.system)
            except (psutil.Error, ProcessLookupError):
                continue

    def sample(self) -> dict[str, float]:
        self.tick()
        used = dict.fromkeys(
            ("bench_worker", "web", "stack_worker", "stack_beat", "postgres_bench_conn", "postgres", "redis"), 0.0
        )
        for role, cpu in self.last.values():
            used[role] += cpu
        times = self.me.cpu_times()
        main = next((t for t in self.me.threads() if t.id == self.me.pid), None)
        main_cpu = (main.user_time + main.system_time) if main else 0.0
        used["bench_main_thread"] = main_cpu
        used["fake_providers"] = times.user + times.system - main_cpu
        return used


def phase(before: dict[str, float], after: dict[str, float], seconds: float) -> dict:
    """CPU seconds per role between two samples, and the share of one core each used over the phase."""
    spent = {role: round(after[role] - before.get(role, 0.0), 2) for role in after}
    return {
        "seconds": round(seconds, 1),
        "cpu_s": spent,
        "cpu_s_total": round(sum(spent.values()), 2),
        "cores": {role: round(value / seconds, 3) for role, value in spent.items()} if seconds > 0 else {},
        "cores_total": round(sum(spent.values()) / seconds, 3) if seconds > 0 else 0.0,
    }
