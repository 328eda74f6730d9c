"""DAG authoring through apache-airflow-client 2.10.0: its generic ``call_api`` for the extension paths,
its typed calls for Airflow's, and a fresh server process at the end to find everything still there."""

from __future__ import annotations

import json
from typing import Any

import pytest
from airflow_client import client as airflow_client
from airflow_client.client.api.dag_api import DAGApi
from airflow_client.client.api.dag_run_api import DAGRunApi
from airflow_client.client.api.task_instance_api import TaskInstanceApi
from airflow_client.client.exceptions import ApiException
from airflow_client.client.model.dag_run import DAGRun

from tests.factories_authoring import YAML, definition
from tests.servers import serve

JSON = "application/json"


def call(sdk: Any, method: str, path: str, body: Any = None, **headers: str) -> Any:
    """An extension operation through the SDK's generic transport; answers the raw urllib3 response."""
    header_params = {"Accept": headers.pop("accept", JSON), "Content-Type": headers.pop("content_type", JSON)}
    header_params.update({name.replace("_", "-"): value for name, value in headers.items()})
    query = []
    if "?" in path:
        path, _, raw = path.partition("?")
        query = [tuple(part.split("=", 1)) for part in raw.split("&")]
    return sdk.call_api(
        path,
        method,
        query_params=query,
        header_params=header_params,
        body=body,
        auth_settings=["Basic"],
        _preload_content=False,
    )


@pytest.mark.slow  # starts `orchestrator-api serve` processes
def test_authoring_journey_through_the_sdk(sdk, database, admin, tmp_path):
    created = call(sdk, "POST", "/dags", definition())
    assert created.status == 201
    assert json.loads(created.data)["dag_id"] == "authored"
    assert DAGApi(sdk).get_dag("authored").fileloc == "api://dags/authored"

    call(
        sdk,
        "POST",
        "/dags/authored/tasks",
        {"task_id": "report", "operator": "EmailOperator", "upstream": ["load"]},
    )
    patched = call(sdk, "PATCH", "/dags/authored/tasks/report?update_mask=retries", {"retries": 2})
    assert json.loads(patched.data)["retries"] == 2
    assert call(sdk, "DELETE", "/dags/authored/tasks/report").status == 204
    assert sorted(task.task_id for task in DAGApi(sdk).get_tasks("authored").tasks) == [
        "extract",
        "load",
        "transform",
    ]

    current = call(sdk, "GET", "/dags/authored/definition")
    changed = {**json.loads(current.data), "description": "From the SDK"}
    with pytest.raises(ApiException) as stale:
        call(sdk, "PUT", "/dags/authored/definition", changed, If_Match=created.headers["ETag"])
    assert stale.value.status == 412
    fresh = call(sdk, "PUT", "/dags/authored/definition", changed, If_Match=current.headers["ETag"])
    assert fresh.status == 200
    assert DAGApi(sdk).get_dag("authored").description == "From the SDK"

    run = DAGRunApi(sdk).post_dag_run("authored", DAGRun(dag_run_id="sdk_run", conf={"env": "prod"}))
    assert run.state.value == "queued"
    instances = TaskInstanceApi(sdk).get_task_instances("authored", "sdk_run").task_instances
    assert sorted(ti.task_id for ti in instances) == ["extract", "load", "transform"]

    exported = call(sdk, "GET", "/dags/authored/definition", accept=YAML)
    assert exported.headers["Content-Type"].startswith(YAML)
    again = call(
        sdk, "PUT", "/dags/authored/definition", exported.data.decode(), accept=YAML, content_type=YAML
    )
    assert (again.data, again.headers["ETag"]) == (exported.data, exported.headers["ETag"])

    with serve(database, tmp_path) as (url,):
        configuration = airflow_client.Configuration(
            host=f"{url}/api/v1", username=admin[0], password=admin[1]
        )
        with airflow_client.ApiClient(configuration) as restarted:
            after = call(restarted, "GET", "/dags/authored/definition", accept=YAML)
            assert (after.data, after.headers["ETag"]) == (exported.data, exported.headers["ETag"])
            assert DAGApi(restarted).get_dag("authored").description == "From the SDK"
            instances = TaskInstanceApi(restarted).get_task_instances("authored", "sdk_run").task_instances
            assert sorted(ti.task_id for ti in instances) == ["extract", "load", "transform"]
