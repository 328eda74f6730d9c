"""Write compat/seed.json's rows into our metadata database with the test suite's factories.

Run from the checkout being measured, with its venv and the server's ORCHESTRATOR_API_* environment
(compat/servers.py does): ``python -m compat.seed_ours compat/seed.json``.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from tests import factories, factories_observability, factories_runs

DATES = ("start_date", "end_date")
KEYS = ("dag_id", "run_id", "task_id", "map_index")


def _values(row: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in row.items() if k not in KEYS}
    for key in DATES:
        if isinstance(values.get(key), str):
            values[key] = datetime.fromisoformat(values[key])
    if values.get("start_date") and values.get("end_date"):  # as compat/seed_airflow.py does
        values["duration"] = (values["end_date"] - values["start_date"]).total_seconds()
    return values


def seed(data: dict[str, Any]) -> None:
    for row in data["history"]:
        values = _values(row)
        factories_runs.history(
            row["dag_id"],
            row["run_id"],
            row["task_id"],
            values.pop("try_number"),
            values.pop("state"),
            row["map_index"],
            **values,
        )
    for row in data["task_instances"]:
        factories.set_task_instance(
            row["dag_id"], row["run_id"], row["task_id"], row["map_index"], **_values(row)
        )
    for row in data["xcoms"]:
        factories.xcom(
            row["dag_id"], row["run_id"], row["task_id"], row["key"], row["value"], row["map_index"]
        )
    for row in data["import_errors"]:
        factories_observability.import_error(row["filename"], row["stack_trace"])
    for row in data["dag_warnings"]:
        factories_observability.dag_warning(row["dag_id"], row["warning_type"], row["message"])
    logs = Path(os.environ["ORCHESTRATOR_API_LOGS_FOLDER"])
    for row in data["logs"]:
        factories.write_log(
            logs,
            row["dag_id"],
            row["run_id"],
            row["task_id"],
            row["try_number"],
            row["text"],
            row["map_index"],
        )


if __name__ == "__main__":
    seed(json.loads(Path(sys.argv[1]).read_text()))
