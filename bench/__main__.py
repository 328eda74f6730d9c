"""Benchmark the list endpoints against a real server (gunicorn + uvicorn workers, SQLite by default).

    python -m bench [--seconds 5] [--concurrency 16] [--workers 2] [--dags 100] [--runs-per-dag 20]

Seeds a fresh database, starts `orchestrator-api serve` on a free port, measures each scenario (requests
per second, median/p95/p99 latency, errors) and the workers' resident memory, prints a table and writes
`var/bench/results.json`. The load generator runs on the same machine and takes CPU from the server, so
compare numbers from the same machine only.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench.load import Result, measure

SCENARIOS: list[tuple[str, str, bool]] = [
    ("health (no auth)", "/api/v1/health", False),
    ("version (no auth)", "/api/v1/version", False),
    ("version (basic auth)", "/api/v1/version", True),
    ("dags limit=100", "/api/v1/dags?limit=100", True),
    ("dag runs limit=100", "/api/v1/dags/~/dagRuns?limit=100", True),
    ("task instances limit=100", "/api/v1/dags/~/dagRuns/~/taskInstances?limit=100", True),
    ("task instances state=failed", "/api/v1/dags/~/dagRuns/~/taskInstances?state=failed&limit=100", True),
    ("pools", "/api/v1/pools", True),
    ("variables", "/api/v1/variables", True),
    ("connections", "/api/v1/connections", True),
    ("event logs limit=100", "/api/v1/eventLogs?limit=100", True),
    ("datasets", "/api/v1/datasets", True),
]
PASSWORD = "bench-password-123"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mib(pid: int) -> float:
    """Resident memory of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for each in pids:
        status = Path(f"/proc/{each}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def main() -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dags", type=int, default=100)
    parser.add_argument("--runs-per-dag", type=int, default=20)
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this text")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="orchestrator-bench-"))
    env = {
        **os.environ,
        "ORCHESTRATOR_API_DATABASE_URL": os.environ.get(
            "ORCHESTRATOR_API_BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.db'}"
        ),
        "ORCHESTRATOR_API_DAGS_FOLDER": str(workdir / "dags"),
        "ORCHESTRATOR_API_LOGS_FOLDER": str(workdir / "logs"),
        "ORCHESTRATOR_API_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    from bench.seed import build

    print(f"seeding {args.dags} DAGs x {args.runs_per_dag} runs into {workdir} ...", flush=True)
    build(workdir / "dags", dags=args.dags, runs_per_dag=args.runs_per_dag, password=PASSWORD)

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orchestrator_api.cli",
            "serve",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.2)
        auth = {"Authorization": "Basic " + base64.b64encode(f"bench:{PASSWORD}".encode()).decode()}
        results: list[Result] = []
        print(f"{'scenario':32} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
        for name, path, authenticated in SCENARIOS:
            if args.only not in name:
                continue
            probe = httpx.get(base + path, headers=auth if authenticated else {}, timeout=10)
            if probe.status_code == 404 and probe.json().get("detail", "").startswith("No resource"):
                continue  # an endpoint this build does not serve
            result = measure(
                name,
                base + path,
                auth if authenticated else {},
                concurrency=args.concurrency,
                seconds=args.seconds,
            )
            results.append(result)
            print(
                f"{name:32} {result.throughput:8.0f} {result.median:8.1f} {result.percentile(0.95):8.1f} "
                f"{result.percentile(0.99):8.1f} {result.errors:7d}",
                flush=True,
            )
        memory = _rss_mib(server.pid)
        print(f"resident memory of the server (master + {args.workers} workers): {memory:.0f} MiB")
        out = Path("var/bench")
        out.mkdir(parents=True, exist_ok=True)
        report = {
            "settings": vars(args),
            "memory_mib": round(memory, 1),
            "scenarios": [
                {
                    "name": r.name,
                    "requests_per_second": round(r.throughput, 1),
                    "p50_ms": round(r.median, 2),
                    "p95_ms": round(r.percentile(0.95), 2),
                    "p99_ms": round(r.percentile(0.99), 2),
                    "errors": r.errors,
                }
                for r in results
            ],
        }
        (out / "results.json").write_text(json.dumps(report, indent=2))
        print(f"written to {out / 'results.json'}")
        return 0 if all(r.errors == 0 for r in results) else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
