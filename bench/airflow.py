"""``--airflow``: a real Airflow 2.10.5 webserver beside ours, seeded the same way, for the ratio column.

The Airflow venv is the compat harness's (``compat/install_airflow.py``: cached, installed once); the
webserver is started by ``compat/servers.py`` over the same generated YAML DAGs, translated to Python.
Runs are triggered through Airflow's own ``POST /dags/{dag_id}/dagRuns`` (which creates their task
instances, as ours does); the task instance states are spread by SQL, as for our database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench import dataset
from bench.servers import Process

Headers = dict[str, dict[str, str]]


def spread_states(database: Path) -> None:
    """The same mix of states as ``dataset.spread_states``, by SQLite row id (Airflow's key is composite)."""
    buckets = len(dataset.TI_STATES)
    with sqlite3.connect(database) as conn:
        for bucket, state in enumerate(dataset.TI_STATES):
            conn.execute(
                "UPDATE task_instance SET state = ?, try_number = 1, start_date = ?, end_date = ?, "
                "duration = 60.0 WHERE rowid % ? = ?",
                (state, "2026-01-01 00:00:00.000000", "2026-01-01 00:01:00.000000", buckets, bucket),
            )


def start_seeded_airflow(
    workdir: Path, dags: int, runs_per_dag: int, workers: int
) -> tuple[Process, Headers]:
    """Install (once) and start Airflow on the benchmark's DAG files, then trigger the same runs."""
    from compat.install_airflow import ensure_airflow
    from compat.servers import ADMIN, start_airflow

    ensure_airflow()
    server = start_airflow(workdir, workdir / "dags", workers=workers)
    if server.process is None or server.log is None:
        raise RuntimeError("the Airflow webserver did not start")
    process = Process("airflow", server.url, server.process, server.log)
    try:
        basic = dataset.basic_auth(ADMIN["username"], ADMIN["password"])
        dataset.trigger_runs(server.url, basic, dags, runs_per_dag)
        spread_states(server.home / "airflow.db")
    except BaseException:
        process.stop()
        raise
    return process, {"none": {}, "basic": basic}
