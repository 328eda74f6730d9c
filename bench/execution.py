"""Benchmark execution: task instances scheduled and run per second, and the delay each hop adds.

    python -m bench.execution [--tasks 200] [--chain 20] [--workers 2] [--concurrency 8]

Starts `orchestrator-api serve`, one `scheduler` and `--workers` reference workers on a fresh database
(SQLite, or ``ORCHESTRATOR_API_BENCH_DATABASE_URL``), then runs two DAGs: `--tasks` parallel
EmptyOperator instances (throughput: instances per second from trigger to the run's end) and a chain of
`--chain` EmptyOperator tasks (hop delay: from one task's end to the next one's start, which includes
the scheduler noticing, queueing, and a worker claiming). Numbers depend on the machine; compare like
with like.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import httpx

from bench.dataset import cli
from bench.servers import free_port as _free_port

PASSWORD = "bench-password-123"
WIDE = """
dag_id: wide
schedule: null
start_date: 2026-01-01
max_active_tasks: 256
tasks:
  - task_id: each
    operator: EmptyOperator
    expand: {tasks}
"""


def _chain(length: int) -> str:
    lines = ["dag_id: chain", "schedule: null", "start_date: 2026-01-01", "tasks:"]
    for index in range(length):
        lines += [f"  - task_id: t{index}", "    operator: EmptyOperator"]
        if index:
            lines.append(f"    upstream: [t{index - 1}]")
    return "\n".join(lines) + "\n"


def _start(env: dict[str, str], *argv: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "orchestrator_api.cli", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )


def _run(api: httpx.Client, dag_id: str) -> tuple[float, str]:
    api.patch(f"/dags/{dag_id}", json={"is_paused": False}).raise_for_status()
    started = time.monotonic()
    run_id = api.post(f"/dags/{dag_id}/dagRuns", json={}).json()["dag_run_id"]
    while api.get(f"/dags/{dag_id}/dagRuns/{run_id}").json()["state"] not in ("success", "failed"):
        time.sleep(0.05)
    return time.monotonic() - started, run_id


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench.execution", description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=200)
    parser.add_argument("--chain", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="orchestrator-bench-exec-"))
    (workdir / "dags").mkdir()
    (workdir / "dags" / "wide.yaml").write_text(WIDE.format(tasks=args.tasks))
    (workdir / "dags" / "chain.yaml").write_text(_chain(args.chain))
    env = {
        **os.environ,
        "ORCHESTRATOR_API_DATABASE_URL": os.environ.get(
            "ORCHESTRATOR_API_BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.db'}"
        ),
        "ORCHESTRATOR_API_DAGS_FOLDER": str(workdir / "dags"),
        "ORCHESTRATOR_API_LOGS_FOLDER": str(workdir / "logs"),
        "ORCHESTRATOR_API_LOG_LEVEL": "WARNING",
        "ORCHESTRATOR_API_SCHEDULER_INTERVAL": "0.05",
    }
    cli(env, "db", "migrate")
    cli(env, "users", "create", "--username", "bench", "--email", "b@example.org", "--role", "Admin",
         "--password", PASSWORD)  # fmt: skip
    cli(env, "dags", "sync")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    processes = [
        _start(env, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"),
        _start(env, "scheduler"),
    ]
    try:
        with httpx.Client(base_url=f"{url}/api/v1", auth=("bench", PASSWORD), timeout=30) as api:
            deadline = time.monotonic() + 60
            while True:
                try:
                    api.get("/version").raise_for_status()
                    break
                except httpx.HTTPError:
                    if time.monotonic() > deadline:
                        print("the server did not start", file=sys.stderr)
                        return 1
                    time.sleep(0.2)
            for number in range(args.workers):
                token = api.post("/workers", json={"name": f"bench-{number}"}).json()["token"]
                worker = ["worker", "--api-url", url, "--token", token, "--poll-interval", "0.05"]
                processes.append(_start(env, *worker, "--concurrency", str(args.concurrency)))
            seconds, _ = _run(api, "wide")
            rate = args.tasks / seconds
            print(f"{args.tasks} parallel task instances: {seconds:.2f} s, {rate:.1f} per second")
            seconds, run_id = _run(api, "chain")
            rows = api.get(f"/dags/chain/dagRuns/{run_id}/taskInstances", params={"limit": 100}).json()
            by_task = {ti["task_id"]: ti for ti in rows["task_instances"]}
            hops = [
                (
                    datetime.fromisoformat(by_task[f"t{i}"]["start_date"])
                    - datetime.fromisoformat(by_task[f"t{i - 1}"]["end_date"])
                ).total_seconds()
                for i in range(1, args.chain)
            ]
            print(
                f"chain of {args.chain}: {seconds:.2f} s; hop delay (upstream end -> downstream start) "
                f"median {statistics.median(hops) * 1000:.0f} ms, max {max(hops) * 1000:.0f} ms"
            )
    finally:
        # Workers first, the server last: a worker outliving the server only logs failed claims.
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
