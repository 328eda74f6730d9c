"""Seed a small database once, then serve it with ``orchestrator-api serve`` and the ceiling side by side.

    python -m bench.probes.side_by_side WORKDIR [--dags 100] [--runs-per-dag 10] [--workers 2]

Prints both URLs, the basic-auth header and each server's memory (RSS and PSS summed over master and
workers, per process too), then waits until interrupted, so wrk (or py-spy) can be pointed at either.
With ``--measure`` it runs the wrk scenarios given by ``--paths`` instead, interleaved, and exits.
"""

from __future__ import annotations

import argparse
import contextlib
import time
from pathlib import Path

from bench import dataset
from bench.servers import Process, start_ceiling, start_server
from bench.wrk import run

AUTH = dataset.admin_auth()


def _field(path: str, name: str) -> int:
    with contextlib.suppress(FileNotFoundError):
        for line in Path(path).read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1])
    return 0


def memory(server: Process) -> str:
    """``name: RSS total (PSS total) MiB [per process RSS]``."""
    pids = server.pids()
    rss = [_field(f"/proc/{p}/status", "VmRSS:") for p in pids]
    pss = [_field(f"/proc/{p}/smaps_rollup", "Pss:") for p in pids]
    per = ", ".join(f"{p}={r / 1024:.0f}" for p, r in zip(pids, rss, strict=True))
    return f"{server.name}: RSS {sum(rss) / 1024:.0f} MiB, PSS {sum(pss) / 1024:.0f} MiB [{per}]"


def seed(env: dict[str, str], workdir: Path, dags: int, runs_per_dag: int) -> None:
    dataset.prepare(env, dags)
    server = start_server(env, workdir / "seed.log", 2)
    try:
        dataset.trigger_runs(server.url, AUTH, dags, runs_per_dag)
    finally:
        server.stop()
    dataset.spread_states(env["ORCHESTRATOR_API_DATABASE_URL"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--dags", type=int, default=100)
    parser.add_argument("--runs-per-dag", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--paths", default="version,dags/bench_00001/dagRuns?limit=100")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--only", default="ours,ceiling")
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = dataset.environment(args.workdir, f"sqlite:///{args.workdir / 'bench.db'}")
    if not (args.workdir / "bench.db").exists():
        seed(env, args.workdir, args.dags, args.runs_per_dag)
    servers: dict[str, Process] = {}
    if "ours" in args.only:
        servers["ours"] = start_server(env, args.workdir / "server.log", args.workers)
    if "ceiling" in args.only:
        servers["ceiling"] = start_ceiling(env, args.workdir / "ceiling.log", args.workers)
    auth = AUTH
    try:
        for server in servers.values():
            print(server.name, server.url, memory(server), flush=True)
        if not args.measure:
            print("auth header:", auth, flush=True)
            while True:
                time.sleep(3600)
        for _ in range(args.passes):
            for path in args.paths.split(","):
                for name, server in servers.items():
                    for headers in ({}, auth) if name == "ours" else ({},):
                        result = run(
                            f"{server.url}/api/v1/{path}",
                            connections=args.connections,
                            seconds=args.seconds,
                            headers=headers,
                        )
                        print(
                            f"{name:8} {'basic' if headers else 'none':5} {path:40} "
                            f"{result.requests_per_second:8.1f} req/s p50 {result.p50_ms:6.1f} "
                            f"p99 {result.p99_ms:7.1f} ms err {result.socket_errors} non2xx {result.non_2xx}",
                            flush=True,
                        )
        for server in servers.values():
            print(memory(server), flush=True)
    finally:
        for server in servers.values():
            server.stop()


if __name__ == "__main__":
    main()
