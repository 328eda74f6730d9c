"""Helpers of the DAG endpoint tests: a DAG file template and the ids of a DAG collection."""

from __future__ import annotations

from typing import Any

DAG = """
dag_id: {dag_id}
schedule: "0 3 * * *"
start_date: 2026-01-01T00:00:00Z
is_paused_upon_creation: {paused}
tags: {tags}
owner: {owner}
tasks:
  - task_id: only
    operator: EmptyOperator
"""


def ids(response: Any) -> list[str]:
    return [dag["dag_id"] for dag in response.json()["dags"]]
