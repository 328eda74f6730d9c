"""Seed Airflow 2.10.5's metadata database with the benchmark's runs, run by the Airflow venv's own Python:

    $AIRFLOW_VENV/bin/python bench/airflow_seed.py RUNS_PER_DAG START_ISO

(with the webserver's environment: ``AIRFLOW_HOME``, ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN``.) Triggering
through Airflow's REST API runs at about 3.5 runs/s on two cores (50 minutes for 10 000 runs); this writes
the rows its trigger endpoint writes, with Airflow's own models and helpers, in one bulk insert per batch:

- one ``DagRun`` per run as ``DAG.create_dagrun`` makes it for ``POST /dags/{dag_id}/dagRuns`` (manual,
  queued, external, the data interval from the DAG's timetable, the serialized DAG's hash, the latest log
  template);
- its task instances from ``TaskInstance.insert_mapping``, which Airflow's own run creation bulk-inserts.

The DAGs themselves come from ``airflow dags reserialize`` over the generated Python files before this runs.
Not written: the audit ``log`` row per trigger, which none of the measured endpoints reads. Prints the
number of runs and task instances written. Imports nothing from this repository (another interpreter).
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from typing import Any

from airflow.models.dagrun import DagRun
from airflow.models.serialized_dag import SerializedDagModel
from airflow.models.taskinstance import TaskInstance
from airflow.models.tasklog import LogTemplate
from airflow.utils import timezone
from airflow.utils.session import create_session
from sqlalchemy import func, select

BATCH = 100  # DAGs per bulk insert


def main(runs_per_dag: int, start: datetime) -> None:
    runs_written = instances_written = 0
    with create_session() as session:
        log_template_id = session.scalar(select(func.max(LogTemplate.id)))
        hashes = dict(session.execute(select(SerializedDagModel.dag_id, SerializedDagModel.dag_hash)).all())
        dags = SerializedDagModel.read_all_dags(session=session)
        queued_at = timezone.utcnow()
        dag_ids = sorted(dags)
        for offset in range(0, len(dag_ids), BATCH):
            runs: list[dict[str, Any]] = []
            instances: list[dict[str, Any]] = []
            for dag_id in dag_ids[offset : offset + BATCH]:
                dag = dags[dag_id]
                template = [TaskInstance.insert_mapping("", task, map_index=-1) for task in dag.tasks]
                for number in range(runs_per_dag):
                    run_id = f"bench_{number:03d}"
                    logical_date = start + timedelta(days=number)
                    interval = dag.timetable.infer_manual_data_interval(run_after=logical_date)
                    runs.append(
                        {
                            "dag_id": dag_id,
                            "run_id": run_id,
                            "execution_date": logical_date,
                            "data_interval_start": interval.start,
                            "data_interval_end": interval.end,
                            "_state": "queued",  # DagRun.state is a synonym of this column attribute
                            "run_type": "manual",
                            "external_trigger": True,
                            "conf": {},
                            "queued_at": queued_at,
                            "dag_hash": hashes.get(dag_id),
                            "log_template_id": log_template_id,
                            "clear_number": 0,
                        }
                    )
                    instances.extend({**row, "run_id": run_id} for row in template)
            session.bulk_insert_mappings(DagRun, runs)
            session.bulk_insert_mappings(TaskInstance, instances)
            runs_written += len(runs)
            instances_written += len(instances)
    print(f"{runs_written} {instances_written}")


if __name__ == "__main__":
    main(int(sys.argv[1]), timezone.parse(sys.argv[2]))
