"""A request without credentials to every Airflow operation that needs them: 401 from both, no change."""

from __future__ import annotations

from typing import Any

from compat.case import NO_BODY, Case
from compat.spec_operations import airflow_spec_operations

# Path parameters filled with rows the plan creates (or harmless values: the request is refused first).
EXAMPLE_VALUES = {
    "dag_id": "etl_daily",
    "dag_run_id": "run_1",
    "task_id": "extract_orders",
    "map_index": "0",
    "task_try_number": "1",
    "xcom_key": "return_value",
    "connection_id": "pg_main",
    "variable_key": "env",
    "pool_name": "default_pool",
    "event_log_id": "1",
    "import_error_id": "1",
    "uri": "s3%3A%2F%2Fwarehouse%2Fsales%2Ffact_sales",
    "username": "admin",
    "role_name": "Admin",
    "file_token": "x",
    "section": "core",
    "option": "dags_folder",
}


# Airflow validates these operations' input before it authenticates, so they get valid input: the case
# is about credentials, not about which check comes first.
VALID_INPUT: dict[str, tuple[dict[str, Any], Any]] = {
    "patch_dags": ({"dag_id_pattern": "etl", "update_mask": "is_paused"}, {"is_paused": True}),
    "get_dag_stats": ({"dag_ids": "etl_daily"}, NO_BODY),
    "set_task_instance_note": ({}, {"note": "x"}),
    "set_mapped_task_instance_note": ({}, {"note": "x"}),
    "create_dataset_event": ({}, {"dataset_uri": "s3://warehouse/sales/fact_sales"}),
}


def _concrete(path: str) -> str:
    for name, value in EXAMPLE_VALUES.items():
        path = path.replace("{" + name + "}", value)
    return path


def unauthenticated_cases() -> list[Case]:
    cases = []
    for op in airflow_spec_operations():
        if op.public:
            continue
        default_body = {} if op.method in {"POST", "PATCH", "PUT"} else NO_BODY
        params, body = VALID_INPUT.get(op.operation_id, ({}, default_body))
        cases.append(
            Case(
                name=f"{op.operation_id}: 401 without credentials (every operation)",
                operation=op.operation_id,
                method=op.method,
                path=_concrete(op.path),
                params=params,
                body=body,
                auth="none",
            )
        )
    return cases
