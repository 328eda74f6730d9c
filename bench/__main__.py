"""Benchmark the API as issue 14 measures it, and write ``bench/RESULTS.md``.

    python -m bench [--seconds 10] [--connections 1,8] [--scale 1] [--airflow] [--dry-run]

Seeds a fresh database (SQLite in a temporary folder, or ``BENCH_DATABASE_URL``, which must be an empty
database) with 1000 DAGs x 10 tasks, 10 000 runs and 100 000 task instances (``bench/dataset.py`` says what
goes through the API), starts the production ``orchestrator-api serve`` and the bare connexion ceiling app
of ``bench/ceiling`` on it, and runs wrk against both at each connection count. Every figure is also given
as a ratio to the ceiling (and, with ``--airflow``, to a real Airflow 2.10.5 seeded the same way). The load
generator shares the machine's cores with the servers: compare figures from one run only.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import dataset, report
from bench.servers import Process, start_ceiling, start_server
from bench.wrk import WrkResult, ensure_wrk, run

PASSWORD = "bench-password-123"
DAG = "bench_00005"
# (name, path under /api/v1, authentication, measured on the ceiling too)
SCENARIOS: list[tuple[str, str, str, bool]] = [
    ("dags?limit=100", "dags?limit=100", "basic", True),
    ("dags?limit=100", "dags?limit=100", "pat", False),
    ("dags/{id}/dagRuns?limit=100", f"dags/{DAG}/dagRuns?limit=100", "basic", True),
    ("dags/{id}/dagRuns?limit=100", f"dags/{DAG}/dagRuns?limit=100", "pat", False),
    ("dags/~/dagRuns/~/taskInstances?limit=100", "dags/~/dagRuns/~/taskInstances?limit=100", "basic", True),
    ("dags/~/dagRuns/~/taskInstances?limit=100", "dags/~/dagRuns/~/taskInstances?limit=100", "pat", False),
    ("dags/{id}", f"dags/{DAG}", "basic", True),
    ("dags/{id}", f"dags/{DAG}", "pat", False),
    ("health", "health", "none", True),
    ("version", "version", "none", True),
    ("version", "version", "basic", False),
    ("version", "version", "pat", False),
]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each wrk run")
    parser.add_argument("--connections", default="1,8", help="comma-separated wrk connection counts")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    parser.add_argument("--dags", type=int, default=1000)
    parser.add_argument("--runs-per-dag", type=int, default=10)
    parser.add_argument(
        "--scale", type=int, default=1, help="multiply the number of DAGs (10: the 10x check)"
    )
    parser.add_argument("--passes", type=int, default=1, help="interleaved passes; the best one is kept")
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this text")
    parser.add_argument("--airflow", action="store_true", help="add a real Airflow 2.10.5 column")
    parser.add_argument("--out", type=Path, default=Path("bench/RESULTS.md"))
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="a tiny dataset, 1-second runs at 1 connection, nothing written: checks the bench still works",
    )
    args = parser.parse_args()
    if args.dry_run:
        args.dags, args.runs_per_dag, args.seconds, args.connections, args.workers = 6, 2, 1.0, "1", 1
    args.dags *= args.scale
    return args


def _environment(workdir: Path) -> dict[str, str]:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("ORCHESTRATOR_API_BENCH_DATABASE_URL")
    return {
        **os.environ,
        "ORCHESTRATOR_API_DATABASE_URL": url or f"sqlite:///{workdir / 'bench.db'}",
        "ORCHESTRATOR_API_DAGS_FOLDER": str(workdir / "dags"),
        "ORCHESTRATOR_API_LOGS_FOLDER": str(workdir / "logs"),
        "ORCHESTRATOR_API_LOG_LEVEL": "WARNING",
    }


def _seed(env: dict[str, str], workdir: Path, args: argparse.Namespace) -> tuple[Process, dict[str, float]]:
    """Migrate, load the DAGs, start the server, trigger the runs through it; returns the server."""
    timings: dict[str, float] = {}
    started = time.monotonic()
    dataset.cli(env, "db", "migrate")
    dataset.cli(
        env, "users", "create", "--username", "bench", "--email", "bench@example.org", "--role", "Admin",
        "--firstname", "Bench", "--lastname", "Mark", "--password", PASSWORD,
    )  # fmt: skip
    dataset.write_dags(workdir / "dags", args.dags)
    dataset.cli(env, "dags", "sync")
    timings["dags"] = time.monotonic() - started
    server = start_server(env, workdir / "server.log", args.workers)
    started = time.monotonic()
    dataset.trigger_runs(server.url, dataset.basic_auth("bench", PASSWORD), args.dags, args.runs_per_dag)
    timings["runs"] = time.monotonic() - started
    started = time.monotonic()
    dataset.spread_states(env["ORCHESTRATOR_API_DATABASE_URL"])
    timings["states"] = time.monotonic() - started
    return server, timings


def _personal_token(server: Process) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/users/bench/tokens",
        json={"name": "bench", "expires_in_days": 1},
        headers=dataset.basic_auth("bench", PASSWORD),
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["token"])


def _measure(
    servers: dict[str, tuple[Process, dict[str, dict[str, str]]]],
    args: argparse.Namespace,
) -> dict[tuple[str, str, str, int], WrkResult]:
    """Every scenario at every connection count on every server, interleaved; the best pass is kept."""
    results: dict[tuple[str, str, str, int], WrkResult] = {}
    connections = [int(c) for c in args.connections.split(",")]
    for _ in range(args.passes):
        for name, path, auth, on_ceiling in SCENARIOS:
            if args.only not in name:
                continue
            for count in connections:
                for server_name, (server, headers) in servers.items():
                    if server_name == "ceiling" and not on_ceiling:
                        continue
                    if server_name == "airflow" and auth == "pat":
                        continue  # Airflow has no personal access tokens
                    method = "none" if server_name == "ceiling" else auth
                    result = run(
                        f"{server.url}/api/v1/{path}",
                        connections=count,
                        seconds=args.seconds,
                        headers=headers[method],
                    )
                    key = (server_name, name, auth, count)
                    best = results.get(key)
                    if best is None or result.requests_per_second > best.requests_per_second:
                        results[key] = result
                    print(
                        f"{server_name:16} {name:44} {auth:5} c={count:<2} {result.requests_per_second:8.1f} "
                        f"req/s p99 {result.p99_ms:7.1f} ms errors {result.socket_errors} "
                        f"non-2xx {result.non_2xx}",
                        flush=True,
                    )
    return results


def main() -> int:
    args = _arguments()
    ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="orchestrator-bench-"))
    env = _environment(workdir)
    print(f"seeding {args.dags} DAGs x {args.runs_per_dag} runs into {workdir} ...", flush=True)
    server, timings = _seed(env, workdir, args)
    running: list[Process] = [server]
    try:
        token = _personal_token(server)
        ours_headers = {
            "none": {},
            "basic": dataset.basic_auth("bench", PASSWORD),
            "pat": {"Authorization": f"Bearer {token}"},
        }
        print(f"seeded in {sum(timings.values()):.0f} s ({timings}); measuring ...", flush=True)
        ceiling = start_ceiling(env, workdir / "ceiling.log", args.workers)
        running.append(ceiling)
        servers = {"orchestrator-api": (server, ours_headers), "ceiling": (ceiling, {"none": {}})}
        if args.airflow:
            from bench.airflow import start_seeded_airflow

            print("starting and seeding Airflow 2.10.5 (minutes) ...", flush=True)
            airflow, airflow_headers = start_seeded_airflow(
                workdir, args.dags, args.runs_per_dag, args.workers
            )
            running.append(airflow)
            servers["airflow"] = (airflow, airflow_headers)
        results = _measure(servers, args)
        memory = {name: process.rss_mib() for name, (process, _) in servers.items()}
        print(f"resident memory after the run (MiB): {memory}")
        clean = all(result.clean for result in results.values())
        if not args.dry_run:
            text = report.render(
                results, memory, timings, args=vars(args), database_url=env["ORCHESTRATOR_API_DATABASE_URL"]
            )
            args.out.write_text(text)
            print(f"written to {args.out}")
        return 0 if clean else 1
    finally:
        for process in reversed(running):
            process.stop()


if __name__ == "__main__":
    sys.exit(main())
