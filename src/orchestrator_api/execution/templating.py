"""Airflow-style Jinja templating of operator arguments with the context that matters to a task."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jinja2
import jinja2.sandbox


def context_for(claim: dict[str, Any]) -> dict[str, Any]:
    """The template context of a claimed task instance: ``ds``, ``logical_date``, ``params``, ``dag_run``,
    ``ti`` and friends, as Airflow names them."""
    logical_date = datetime.fromisoformat(claim["logical_date"])
    ti = {
        "dag_id": claim["dag_id"],
        "task_id": claim["task_id"],
        "run_id": claim["dag_run_id"],
        "map_index": claim["map_index"],
        "try_number": claim["try_number"],
        "max_tries": claim["max_tries"],
    }
    return {
        "ds": logical_date.strftime("%Y-%m-%d"),
        "ds_nodash": logical_date.strftime("%Y%m%d"),
        "ts": logical_date.isoformat(),
        "logical_date": logical_date,
        "execution_date": logical_date,
        "data_interval_start": claim.get("data_interval_start"),
        "data_interval_end": claim.get("data_interval_end"),
        "run_id": claim["dag_run_id"],
        "params": {**claim.get("params", {}), **_conf_params(claim)},
        "dag_run": {
            "conf": claim.get("conf", {}),
            "run_id": claim["dag_run_id"],
            "run_type": claim["run_type"],
        },
        "ti": ti,
        "task_instance": ti,
        "dag": {"dag_id": claim["dag_id"]},
        "task": {"task_id": claim["task_id"]},
    }


def _conf_params(claim: dict[str, Any]) -> dict[str, Any]:
    # Airflow lets a run's conf override params of the same name (dag_run_conf_overrides_params).
    params = claim.get("params", {})
    return {k: v for k, v in claim.get("conf", {}).items() if k in params}


def render(value: Any, context: dict[str, Any], environment: jinja2.Environment | None = None) -> Any:
    """``value`` with every string rendered (recursively through lists and mappings)."""
    env = environment or jinja2.sandbox.SandboxedEnvironment(undefined=jinja2.StrictUndefined)
    if isinstance(value, str):
        return env.from_string(value).render(**context)
    if isinstance(value, list):
        return [render(item, context, env) for item in value]
    if isinstance(value, dict):
        return {key: render(item, context, env) for key, item in value.items()}
    return value
