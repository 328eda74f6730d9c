"""Benchmark the API as issue 14 measures it, and write ``bench/RESULTS.md``.

    python -m bench [--seconds 10] [--connections 1,8] [--scales 1,10] [--airflow] [--seed auto] [--dry-run]

For each scale, seeds a fresh database (SQLite in a temporary folder, or ``BENCH_DATABASE_URL``: with one
scale an empty database, with several a PostgreSQL server on which ``orchestrator_bench_<N>x`` databases are
created) with 1000 x N DAGs of 10 tasks, 10 runs each (``bench/dataset.py``, ``bench/bulk.py`` say how),
starts the production ``orchestrator-api serve`` and the bare connexion ceiling app of ``bench/ceiling`` on
it, checks their totals, and runs wrk against both at each connection count. Every figure is also given as a
ratio to the ceiling (and, with ``--airflow``, to a real Airflow 2.10.5 seeded with the same dataset, at the
first scale); with several scales a last table compares each scale with the first. The load generator shares
the machine's cores with the servers: compare figures from one run only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx

from bench import bulk, dataset, report
from bench.measure import Headers, measure, verify_totals
from bench.servers import Process, start_ceiling, start_server
from bench.wrk import ensure_wrk

# Above this many runs the API path takes too long (about 65 runs/s): ``--seed auto`` writes them in bulk.
API_SEED_LIMIT = 10_000


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each wrk run")
    parser.add_argument("--connections", default="1,8", help="comma-separated wrk connection counts")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    parser.add_argument("--dags", type=int, default=1000, help="DAGs at scale 1")
    parser.add_argument("--runs-per-dag", type=int, default=10)
    parser.add_argument("--scale", type=int, default=1, help="one scale (10: the 10x dataset alone)")
    parser.add_argument(
        "--scales", default="", help="comma-separated scales measured one after the other and compared (1,10)"
    )
    parser.add_argument(
        "--seed",
        choices=["auto", "api", "bulk"],
        default="auto",
        help=f"how runs are written: through the API, in bulk (bench/bulk.py), or auto (the API at scale 1 "
        f"up to {API_SEED_LIMIT} runs, bulk otherwise)",
    )
    parser.add_argument("--passes", type=int, default=1, help="interleaved passes; the best one is kept")
    parser.add_argument("--only", default="", help="run only the scenarios whose name contains this text")
    parser.add_argument(
        "--airflow", action="store_true", help="add a real Airflow 2.10.5 column (first scale)"
    )
    parser.add_argument("--out", type=Path, default=Path("bench/RESULTS.md"))
    parser.add_argument(
        "--keep", action="store_true", help="keep each scale's folder and database (deleted after measuring)"
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="a tiny dataset, 1-second runs at 1 connection, nothing written: checks the bench still works",
    )
    args = parser.parse_args()
    if args.dry_run:
        args.dags, args.runs_per_dag, args.seconds, args.connections, args.workers = 6, 2, 1.0, "1", 1
    args.scale_list = [int(s) for s in args.scales.split(",")] if args.scales else [args.scale]
    return args


def _base_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or os.environ.get("ORCHESTRATOR_API_BENCH_DATABASE_URL") or ""


def _database_url(workdir: Path, scale: int, several: bool) -> str:
    """This scale's database: SQLite in ``workdir``, ``BENCH_DATABASE_URL`` itself, or with several scales a
    new database per scale on its PostgreSQL server (dropped first if a previous run left it)."""
    base = _base_url()
    if not base:
        return f"sqlite:///{workdir / 'bench.db'}"
    if not several:
        return base
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    url = make_url(base)
    if not url.drivername.startswith("postgresql"):
        raise SystemExit("several --scales with BENCH_DATABASE_URL need a PostgreSQL server")
    name = f"orchestrator_bench_{scale}x"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))  # a fixed name, never input
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _discard(workdir: Path, database_url: str, *, created: bool) -> None:
    """Free the disk a scale used (the 10x SQLite file and Airflow's home take gigabytes): its folder, and on
    PostgreSQL the database the bench created for it (never one it was given)."""
    shutil.rmtree(workdir, ignore_errors=True)
    if created and database_url.startswith("postgresql"):
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        engine = create_engine(_base_url(), isolation_level="AUTOCOMMIT")  # where it was created from
        with engine.connect() as conn:
            name = make_url(database_url).database  # orchestrator_bench_<N>x: our own name, never input
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def _seed(
    env: dict[str, str], workdir: Path, args: argparse.Namespace, dags: int, method: str
) -> tuple[Process, dict[str, float]]:
    """Migrate, load the DAGs, write the runs (``method``), start the server; returns it and the seconds
    each phase took."""
    timings: dict[str, float] = {}
    started = time.monotonic()
    dataset.prepare(env, dags)
    timings["dags"] = time.monotonic() - started
    print(f"  DAG files + dags sync: {timings['dags']:.0f} s", flush=True)
    started = time.monotonic()
    if method == "bulk":
        bulk.seed_runs(env["ORCHESTRATOR_API_DATABASE_URL"], args.runs_per_dag, dataset.START, "bench")
        timings["runs"] = time.monotonic() - started
    server = start_server(env, workdir / "server.log", args.workers)
    if method == "api":
        started = time.monotonic()
        dataset.trigger_runs(server.url, dataset.admin_auth(), dags, args.runs_per_dag)
        timings["runs"] = time.monotonic() - started
    print(f"  runs ({method}): {timings['runs']:.0f} s", flush=True)
    started = time.monotonic()
    dataset.spread_states(env["ORCHESTRATOR_API_DATABASE_URL"])
    timings["states"] = time.monotonic() - started
    print(f"  task instance states: {timings['states']:.1f} s", flush=True)
    started = time.monotonic()
    if dataset.settle(env["ORCHESTRATOR_API_DATABASE_URL"]):
        timings["vacuum"] = time.monotonic() - started
        print(f"  VACUUM ANALYZE: {timings['vacuum']:.1f} s", flush=True)
    return server, timings


def _personal_token(server: Process) -> str:
    response = httpx.post(
        f"{server.url}/api/v1/users/bench/tokens",
        json={"name": "bench", "expires_in_days": 1},
        headers=dataset.admin_auth(),
        timeout=30,
    )
    response.raise_for_status()
    return str(response.json()["token"])


def _run_scale(root: Path, scale: int, args: argparse.Namespace, with_airflow: bool) -> report.ScaleRun:
    """Seed, verify and measure one scale; every server it started is stopped before it returns."""
    workdir = root / f"{scale}x"
    workdir.mkdir()
    dags = args.dags * scale
    runs = dags * args.runs_per_dag
    method = args.seed
    if method == "auto":
        method = "api" if scale == 1 and runs <= API_SEED_LIMIT else "bulk"
    database_url = _database_url(workdir, scale, len(args.scale_list) > 1)
    env = dataset.environment(workdir, database_url)
    print(
        f"== {scale}x: seeding {dags} DAGs x {args.runs_per_dag} runs ({method}) into {workdir}", flush=True
    )
    server, timings = _seed(env, workdir, args, dags, method)
    running: list[Process] = [server]
    try:
        token = _personal_token(server)
        ours: Headers = {
            "none": {},
            "basic": dataset.admin_auth(),
            "pat": {"Authorization": f"Bearer {token}"},
        }
        verify_totals(server, ours["basic"], dags, runs, dataset.TASKS_PER_DAG)
        ceiling = start_ceiling(env, workdir / "ceiling.log", args.workers)
        running.append(ceiling)
        servers: dict[str, tuple[Process, Headers]] = {
            "orchestrator-api": (server, ours),
            "ceiling": (ceiling, {"none": {}}),
        }
        airflow_timings: dict[str, float] = {}
        if with_airflow:
            from bench.airflow import start_seeded_airflow

            print(f"== {scale}x: starting and seeding Airflow 2.10.5 (minutes) ...", flush=True)
            airflow, airflow_headers = start_seeded_airflow(
                workdir, args.runs_per_dag, args.workers, airflow_timings
            )
            running.append(airflow)
            print(f"  Airflow phases (s): { {k: round(v) for k, v in airflow_timings.items()} }", flush=True)
            verify_totals(airflow, airflow_headers["basic"], dags, runs, dataset.TASKS_PER_DAG)
            servers["airflow"] = (airflow, airflow_headers)
        started = time.monotonic()
        results = measure(servers, args)
        print(f"== {scale}x: measured in {time.monotonic() - started:.0f} s", flush=True)
        memory = {name: process.rss_mib() for name, (process, _) in servers.items()}
        print(f"resident memory after the run (MiB): {memory}", flush=True)
        return report.ScaleRun(
            scale, dags, args.runs_per_dag, method, database_url, timings, airflow_timings, results, memory
        )
    finally:
        for process in reversed(running):
            process.stop()
        if not args.keep:
            _discard(workdir, database_url, created=len(args.scale_list) > 1)


def main() -> int:
    args = _arguments()
    ensure_wrk()
    root = Path(tempfile.mkdtemp(prefix="orchestrator-bench-"))
    started = time.monotonic()
    runs = [
        _run_scale(root, scale, args, with_airflow=args.airflow and index == 0)
        for index, scale in enumerate(args.scale_list)
    ]
    print(f"all scales done in {time.monotonic() - started:.0f} s", flush=True)
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    clean = all(result.clean for run in runs for result in run.results.values())
    if not args.dry_run:
        args.out.write_text(report.render(runs, args=vars(args)))
        print(f"written to {args.out}")
    else:
        print(report.render(runs, args=vars(args)))  # the report renders too, without being written
    return 0 if clean else 1


if __name__ == "__main__":
    sys.exit(main())
