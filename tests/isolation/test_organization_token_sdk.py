"""The official SDK (apache-airflow-client 2.10.0) with an organization token as its Bearer credential:
no `Organization` header, and it works in the token's organization, scope included."""

from __future__ import annotations

import pytest
from airflow_client import client as airflow_client
from airflow_client.client.api.dag_api import DAGApi
from airflow_client.client.api.dag_run_api import DAGRunApi
from airflow_client.client.api.task_instance_api import TaskInstanceApi
from airflow_client.client.api.variable_api import VariableApi
from airflow_client.client.exceptions import ForbiddenException
from airflow_client.client.model.dag import DAG
from airflow_client.client.model.dag_run import DAGRun
from airflow_client.client.model.variable import Variable

from tests.isolation.orgs import author_dag


def sdk_with(live_server: str, token: str) -> airflow_client.ApiClient:
    configuration = airflow_client.Configuration(host=f"{live_server}/api/v1")
    return airflow_client.ApiClient(
        configuration, header_name="Authorization", header_value=f"Bearer {token}"
    )


def test_the_sdk_works_with_an_organization_token(client, live_server, admin, example_dags, acme, org_token):
    author_dag(client, acme, "a", tags=["etl"])
    author_dag(client, acme, "b", tags=["ml"])
    token = org_token(acme, role="Owner")["token"]
    with sdk_with(live_server, token) as api:
        dags = DAGApi(api).get_dags()
        assert sorted(d.dag_id for d in dags.dags) == ["a", "b"]  # acme's, none of the default organization's
        DAGApi(api).patch_dag("a", DAG(is_paused=False), update_mask=["is_paused"])
        run = DAGRunApi(api).post_dag_run("a", DAGRun(dag_run_id="sdk_run", conf={"env": "acme"}))
        assert (run.dag_id, run.conf) == ("a", {"env": "acme"})
        instances = TaskInstanceApi(api).get_task_instances("a", "sdk_run")
        assert sorted(t.task_id for t in instances.task_instances) == ["extract", "load", "transform"]
        VariableApi(api).post_variables(Variable(key="region", value="eu"))
        assert VariableApi(api).get_variable("region").value == "eu"
    default_variables = client.get("/api/v1/variables", auth=admin).json()
    assert default_variables["total_entries"] == 0


def test_the_sdk_sees_only_a_scoped_tokens_dags(client, live_server, acme, org_token):
    author_dag(client, acme, "a", tags=["etl"])
    author_dag(client, acme, "b", tags=["ml"])
    token = org_token(acme, role="User", dag_tags=["ml"])["token"]
    with sdk_with(live_server, token) as api:
        assert [d.dag_id for d in DAGApi(api).get_dags().dags] == ["b"]
        assert DAGApi(api).get_dag("b").dag_id == "b"
        with pytest.raises(ForbiddenException):
            DAGApi(api).get_dag("a")
