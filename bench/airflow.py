"""``--airflow``: a real Airflow 2.10.5 webserver beside ours, seeded with the same dataset (ratio column).

The Airflow venv is the compat harness's (``compat/install_airflow.py``: cached, installed once); the
webserver is started by ``compat/servers.py`` (its own gunicorn, ``workers`` workers, the basic-auth API
backend, SQLite) after ``airflow db migrate``, ``users create`` and ``airflow dags reserialize`` over the
generated YAML DAGs translated to Python. The runs and task instances are then written into its metadata
database by ``bench/airflow_seed.py``, run by the Airflow venv's own Python with Airflow's models (the rows
its trigger endpoint writes); the task instance states are spread by SQL, as for our database.
"""

from __future__ import annotations

import sqlite3
import subprocess
import time
from pathlib import Path

from bench import dataset
from bench.servers import Process

Headers = dict[str, dict[str, str]]
SEED_SCRIPT = Path(__file__).with_name("airflow_seed.py")


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
    workdir: Path, runs_per_dag: int, workers: int, timings: dict[str, float]
) -> tuple[Process, Headers]:
    """Install (once) and start Airflow on the benchmark's DAG files, then write the same runs into its
    database; ``timings`` gets the seconds each phase took."""
    from compat.install_airflow import airflow_bin, ensure_airflow
    from compat.servers import ADMIN, start_airflow

    started = time.monotonic()
    ensure_airflow()
    timings["install"] = time.monotonic() - started
    started = time.monotonic()
    # migrate, users create, dags reserialize, then the webserver until /health answers
    server = start_airflow(workdir, workdir / "dags", workers=workers)
    timings["dags"] = time.monotonic() - started
    if server.process is None or server.log is None:
        raise RuntimeError("the Airflow webserver did not start")
    process = Process("airflow", server.url, server.process, server.log)
    try:
        started = time.monotonic()
        done = subprocess.run(
            # -P: the script's folder (bench/, which holds this module, airflow.py) must not shadow Airflow
            [
                str(airflow_bin("python")),
                "-P",
                str(SEED_SCRIPT),
                str(runs_per_dag),
                dataset.START.isoformat(),
            ],
            env=server.env,
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"bench/airflow_seed.py failed:\n{done.stderr[-3000:]}")
        timings["runs"] = time.monotonic() - started
        print(f"airflow: runs and task instances written: {done.stdout.strip()}", flush=True)
        started = time.monotonic()
        spread_states(server.home / "airflow.db")
        timings["states"] = time.monotonic() - started
    except BaseException:
        process.stop()
        raise
    return process, {"none": {}, "basic": dataset.basic_auth(ADMIN["username"], ADMIN["password"])}
