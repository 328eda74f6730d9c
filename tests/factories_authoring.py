"""Definitions for the DAG authoring tests: a three-task DAG, its YAML, and calls that create it."""

from __future__ import annotations

from typing import Any

import yaml

YAML = "application/yaml"


def definition(dag_id: str = "authored", **fields: Any) -> dict[str, Any]:
    """A valid definition: extract -> transform -> load, hourly, with one operator argument."""
    return {
        "dag_id": dag_id,
        "description": "Written through the API",
        "schedule": "0 * * * *",
        "start_date": "2026-01-01T00:00:00Z",
        "tags": ["api"],
        "owner": "data-eng",
        "params": {"env": "staging"},
        "default_args": {"retries": 1},
        "tasks": [
            {"task_id": "extract", "operator": "BashOperator", "bash_command": "echo extract"},
            {"task_id": "transform", "operator": "PythonOperator", "upstream": ["extract"]},
            {
                "task_id": "load",
                "operator": "BashOperator",
                "upstream": ["transform"],
                "pool": "default_pool",
            },
        ],
        **fields,
    }


def as_yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False)


def create_dag(client: Any, auth: tuple[str, str], **fields: Any) -> Any:
    """POST a definition; asserts it was created and returns the response."""
    response = client.post("/api/v1/dags", json=definition(**fields), auth=auth)
    assert response.status_code == 201, response.text
    return response


def task_ids(client: Any, auth: tuple[str, str], dag_id: str = "authored") -> list[str]:
    response = client.get(f"/api/v1/dags/{dag_id}/tasks", auth=auth)
    assert response.status_code == 200, response.text
    return [task["task_id"] for task in response.json()["tasks"]]
