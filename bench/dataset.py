"""The benchmark's dataset: generated YAML DAGs, runs triggered through the API, task instance states.

What goes through the API and what does not (``bench/RESULTS.md`` repeats it):

- DAGs: generated YAML files loaded by ``orchestrator-api dags sync``, the way DAG files are deployed.
- Runs: ``POST /api/v1/dags/{dag_id}/dagRuns``, one request per run, several in flight; each run creates its
  task instances, exactly as a user's trigger does.
- Task instance states: one SQL ``UPDATE`` per state. The API changes states one instance (or one task) at a
  time, and 100 000 such requests would make seeding last longer than the benchmark; the states are only
  there so the lists return a realistic mix.
"""

from __future__ import annotations

import asyncio
import base64
import os
import random
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text, update

from orchestrator_api.models.run import TaskInstance

TASKS_PER_DAG = 10
OPERATORS = ["BashOperator", "PythonOperator", "EmptyOperator", "SQLCheckOperator", "EmailOperator"]
# Weighted like a busy installation: mostly finished work, some failures, a few in flight.
TI_STATES = ["success"] * 6 + ["failed", "running", "queued", "skipped"]
START = datetime(2026, 1, 1, tzinfo=UTC)
USER, PASSWORD = "bench", "bench-password-123"
"""The Admin every benchmark database holds."""


def dag_yaml(n: int) -> str:
    """One generated DAG: a chain of ``TASKS_PER_DAG`` tasks with a few tags."""
    lines = [
        f"dag_id: bench_{n:05d}",
        f'schedule: "{n % 60} * * * *"',
        "start_date: 2026-01-01T00:00:00Z",
        f"tags: [bench, group_{n % 7}]",
        f"owner: team_{n % 7}",
        "tasks:",
    ]
    for t in range(TASKS_PER_DAG):
        lines += [f"  - task_id: task_{t:02d}", f"    operator: {OPERATORS[t % len(OPERATORS)]}"]
        if t:
            lines.append(f"    upstream: [task_{t - 1:02d}]")
    return "\n".join(lines) + "\n"


def write_dags(folder: Path, dags: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(dags):
        (folder / f"bench_{n:05d}.yaml").write_text(dag_yaml(n))


def environment(workdir: Path, database_url: str) -> dict[str, str]:
    """The server's settings for a benchmark database whose files live under ``workdir``."""
    return {
        **os.environ,
        "ORCHESTRATOR_API_DATABASE_URL": database_url,
        "ORCHESTRATOR_API_DAGS_FOLDER": str(workdir / "dags"),
        "ORCHESTRATOR_API_LOGS_FOLDER": str(workdir / "logs"),
        "ORCHESTRATOR_API_LOG_LEVEL": "WARNING",
    }


def prepare(env: dict[str, str], dags: int) -> None:
    """Migrate, create the benchmark's Admin, write ``dags`` DAG files and load them with ``dags sync``."""
    cli(env, "db", "migrate")
    cli(
        env, "users", "create", "--username", USER, "--email", "bench@example.org", "--role", "Admin",
        "--firstname", "Bench", "--lastname", "Mark", "--password", PASSWORD,
    )  # fmt: skip
    write_dags(Path(env["ORCHESTRATOR_API_DAGS_FOLDER"]), dags)
    cli(env, "dags", "sync")


def cli(env: dict[str, str], *argv: str) -> str:
    """Run ``orchestrator-api`` with the benchmark's environment."""
    done = subprocess.run(
        [sys.executable, "-m", "orchestrator_api.cli", *argv],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def basic_auth(username: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def admin_auth() -> dict[str, str]:
    """The basic-auth header of the benchmark's Admin."""
    return basic_auth(USER, PASSWORD)


async def _trigger_all(base: str, headers: dict[str, str], dags: int, runs_per_dag: int) -> int:
    jobs: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
    for n in range(dags):
        for r in range(runs_per_dag):
            jobs.put_nowait((n, r))
    failures = 0

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal failures
        while not jobs.empty():
            n, r = jobs.get_nowait()
            body = {
                "dag_run_id": f"bench_{r:03d}",
                "logical_date": (START + timedelta(days=r)).isoformat(),
            }
            response = await client.post(f"{base}/api/v1/dags/bench_{n:05d}/dagRuns", json=body)
            if response.status_code != 200:
                failures += 1

    async with httpx.AsyncClient(headers=headers, timeout=60) as client:
        await asyncio.gather(*(worker(client) for _ in range(6)))
    return failures


def trigger_runs(base: str, headers: dict[str, str], dags: int, runs_per_dag: int) -> None:
    """Trigger ``runs_per_dag`` runs of every DAG through the API; every request must succeed."""
    failures = asyncio.run(_trigger_all(base, headers, dags, runs_per_dag))
    if failures:
        raise RuntimeError(f"{failures} run triggers failed")


def spread_states(database_url: str, seed: int = 7) -> None:
    """Give task instances a realistic mix of states (one UPDATE per state, by id modulo)."""
    rng = random.Random(seed)
    engine = create_engine(database_url)
    with engine.begin() as conn:
        buckets = len(TI_STATES)
        order = list(range(buckets))
        rng.shuffle(order)
        for bucket, state in zip(order, TI_STATES, strict=True):
            conn.execute(
                update(TaskInstance)
                .where(TaskInstance.id % buckets == bucket)
                .values(
                    state=state,
                    try_number=1,
                    start_date=START,
                    end_date=START + timedelta(minutes=1),
                    duration=60.0,
                )
            )
    engine.dispose()


def settle(database_url: str) -> bool:
    """On PostgreSQL, ``VACUUM ANALYZE`` after the bulk writes, as autovacuum would do minutes later: without
    it the first minutes of measuring would see stale planner statistics and the dead rows of the state
    updates. SQLite has no background statistics, so nothing is done there. Returns whether it ran."""
    if not database_url.startswith("postgresql"):
        return False
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()
    return True
