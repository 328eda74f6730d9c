"""DAG journeys through apache-airflow-client 2.10.0: it must parse every answer into its models."""

from __future__ import annotations

import json

import pytest
from airflow_client.client.api.config_api import ConfigApi
from airflow_client.client.api.dag_api import DAGApi
from airflow_client.client.api.dag_stats_api import DagStatsApi
from airflow_client.client.api.monitoring_api import MonitoringApi
from airflow_client.client.exceptions import NotFoundException
from airflow_client.client.model.dag import DAG

from orchestrator_api import __version__


def test_list_get_and_patch_dags(sdk, example_dags):
    api = DAGApi(sdk)
    collection = api.get_dags(limit=2, order_by="-dag_id")
    assert collection.total_entries == len(example_dags)
    assert [d.dag_id for d in collection.dags] == sorted(example_dags, reverse=True)[:2]

    dag = api.get_dag("etl_daily")
    assert dag.dag_id == "etl_daily"
    assert dag.schedule_interval.type == "CronExpression"
    assert [t.name for t in dag.tags]

    patched = api.patch_dag("etl_daily", DAG(is_paused=False), update_mask=["is_paused"])
    assert patched.is_paused is False
    assert api.get_dag("etl_daily").is_paused is False

    paused = api.patch_dags("~", DAG(is_paused=True), update_mask=["is_paused"])
    assert {d.dag_id for d in paused.dags} == set(example_dags)
    assert all(d.is_paused for d in paused.dags)
    one_page = api.patch_dags("~", DAG(is_paused=False), update_mask=["is_paused"], limit=1)
    assert (len(one_page.dags), one_page.total_entries) == (1, len(example_dags))


def test_details_tasks_and_source(sdk, example_dags):
    api = DAGApi(sdk)
    details = api.get_dag_details("partner_feeds_hourly")
    assert details.timezone == "UTC"
    # The SDK parses DAGDetail, but its composed model cannot hand out schedule_interval (any non-null
    # value), so the value is read from the DAG model.
    assert api.get_dag_details("sales_report").dag_id == "sales_report"
    on_datasets = api.get_dag("sales_report").schedule_interval
    assert (on_datasets.type, on_datasets.value) == ("CronExpression", "Dataset")
    tasks = api.get_tasks("partner_feeds_hourly").tasks
    assert any(task.is_mapped for task in tasks)
    assert all(task.retry_delay.type == "TimeDelta" for task in tasks)
    source = api.get_dag_source(details.file_token)
    assert "partner_feeds_hourly" in source.content


def test_one_task_reparse_and_delete(sdk, example_dags):
    api = DAGApi(sdk)
    task = api.get_task("etl_daily", "extract_orders")
    assert (task.task_id, task.class_ref.class_name) == ("extract_orders", "PostgresOperator")
    assert task.downstream_task_ids == ["clean_orders"]
    assert task.execution_timeout.seconds == 1800

    api.reparse_dag_file(api.get_dag("sales_report").file_token)
    api.delete_dag("sales_report")
    with pytest.raises(NotFoundException):
        api.get_dag("sales_report")
    assert api.get_dags().total_entries == len(example_dags) - 1


def test_version_and_exposed_config(sdk, settings_env):
    version = MonitoringApi(sdk).get_version()
    assert version.version == __version__
    settings_env(EXPOSE_CONFIG="non-sensitive-only", SECRET_KEY="Gannet-Flint-5521-key")
    config = ConfigApi(sdk).get_config()
    options = {f"{s.name}.{o.key}": o.value for s in config.sections for o in s.options}
    assert options["api.maximum_page_limit"] == "100"
    assert options["api.secret_key"] == "< hidden >"
    one = ConfigApi(sdk).get_value("auth", "token_max_days")
    assert [(s.name, [(o.key, o.value) for o in s.options]) for s in one.sections] == [
        ("auth", [("token_max_days", "365")])
    ]


def test_stats_and_health(sdk, example_dags):
    stats = DagStatsApi(sdk).get_dag_stats(dag_ids="etl_daily,sales_report")
    assert {d.dag_id for d in stats.dags} == {"etl_daily", "sales_report"}
    health = MonitoringApi(sdk).get_health()
    assert health.metadatabase.status.value == "healthy"


def test_missing_dag_raises_with_the_problem_body(sdk):
    with pytest.raises(NotFoundException) as caught:
        DAGApi(sdk).get_dag("does_not_exist")
    assert caught.value.status == 404
    problem = json.loads(caught.value.body)
    assert problem["type"].endswith("#section/Errors/NotFound")
    assert "does_not_exist" in problem["detail"]
