"""Write compat/seed.json's rows into Airflow's metadata database, as its workers and parser would.

Run with the Airflow venv's python and the webserver's AIRFLOW_* environment (compat/servers.py does):
``python compat/seed_airflow.py compat/seed.json``. Uses Airflow's own ORM models, nothing else.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from airflow.models import TaskInstance, XCom
from airflow.models.dagwarning import DagWarning
from airflow.models.errors import ParseImportError
from airflow.models.taskinstancehistory import TaskInstanceHistory
from airflow.utils.session import create_session

DATES = ("start_date", "end_date")


def _values(row: dict[str, Any]) -> dict[str, Any]:
    skip = {"dag_id", "run_id", "task_id", "map_index"}
    values = {k: v for k, v in row.items() if k not in skip}
    for key in DATES:
        if isinstance(values.get(key), str):
            values[key] = datetime.fromisoformat(values[key])
    if values.get("start_date") and values.get("end_date"):
        values["duration"] = (values["end_date"] - values["start_date"]).total_seconds()
    return values


def _instance(session: Any, row: dict[str, Any]) -> TaskInstance:
    return (
        session.query(TaskInstance)
        .filter_by(
            dag_id=row["dag_id"], run_id=row["run_id"], task_id=row["task_id"], map_index=row["map_index"]
        )
        .one()
    )


def seed(data: dict[str, Any]) -> None:
    with create_session() as session:
        for row in data["history"]:
            live = _instance(session, row)
            archived = TaskInstanceHistory(live, state=row["state"])
            for key, value in _values(row).items():
                setattr(archived, key, value)
            session.add(archived)
        for row in data["task_instances"]:
            live = _instance(session, row)
            for key, value in _values(row).items():
                setattr(live, key, value)
        for row in data["xcoms"]:
            XCom.set(
                key=row["key"],
                value=row["value"],
                dag_id=row["dag_id"],
                task_id=row["task_id"],
                run_id=row["run_id"],
                map_index=row["map_index"],
                session=session,
            )
        for row in data["import_errors"]:
            session.add(
                ParseImportError(
                    filename=row["filename"],
                    stacktrace=row["stack_trace"],
                    timestamp=datetime.now().astimezone(),
                )
            )
        for row in data["dag_warnings"]:
            session.add(DagWarning(row["dag_id"], row["warning_type"], row["message"]))
    logs = Path(os.environ["AIRFLOW__LOGGING__BASE_LOG_FOLDER"])
    for row in data["logs"]:
        folder = logs / f"dag_id={row['dag_id']}" / f"run_id={row['run_id']}" / f"task_id={row['task_id']}"
        if row["map_index"] >= 0:
            folder = folder / f"map_index={row['map_index']}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"attempt={row['try_number']}.log").write_text(row["text"])


if __name__ == "__main__":
    seed(json.loads(Path(sys.argv[1]).read_text()))
