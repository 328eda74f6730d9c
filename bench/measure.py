"""What is measured: the scenarios (the issue's table plus PAT variants), wrk over every server, interleaved,
and the check that a seeded server answers with the dataset's totals before any figure is taken."""

from __future__ import annotations

import argparse

import httpx

from bench.servers import Process
from bench.wrk import WrkResult, run

DAG = "bench_00005"
Headers = dict[str, dict[str, str]]
Results = dict[tuple[str, str, str, int], WrkResult]
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


def verify_totals(server: Process, headers: dict[str, str], dags: int, runs: int, tasks: int) -> None:
    """Refuse to measure a server whose lists do not count the whole dataset (a half-seeded database
    would make every figure meaningless)."""
    expected = {
        "dags?limit=1": dags,
        "dags/~/dagRuns?limit=1": runs,
        "dags/~/dagRuns/~/taskInstances?limit=1": runs * tasks,
    }
    for path, total in expected.items():
        response = httpx.get(f"{server.url}/api/v1/{path}", headers=headers, timeout=300)
        found = response.json().get("total_entries") if response.status_code == 200 else None
        if found != total:
            raise RuntimeError(
                f"{server.name}: GET /api/v1/{path} answered {response.status_code} with total_entries "
                f"{found}, expected {total}; see {server.log}"
            )
    print(f"{server.name}: totals verified ({dags} DAGs, {runs} runs, {runs * tasks} task instances)")


def measure(servers: dict[str, tuple[Process, Headers]], args: argparse.Namespace) -> Results:
    """Every scenario at every connection count on every server, interleaved; the best pass is kept."""
    results: Results = {}
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
