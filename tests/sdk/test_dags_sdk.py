"""DAG journeys through apache-airflow-client 2.10.0: it must parse every answer into its models."""

from __future__ import annotations

import json

import pytest
from airflow_client.client.api.dag_api import DAGApi
from airflow_client.client.api.dag_stats_api import DagStatsApi
from airflow_client.client.api.monitoring_api import MonitoringApi
from airflow_client.client.exceptions import NotFoundException
from airflow_client.client.model.dag import DAG


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


def test_details_tasks_and_source(sdk, example_dags):
    api = DAGApi(sdk)
    details = api.get_dag_details("partner_feeds_hourly")
    assert details.timezone == "UTC"
    tasks = api.get_tasks("partner_feeds_hourly").tasks
    assert any(task.is_mapped for task in tasks)
    assert all(task.retry_delay.type == "TimeDelta" for task in tasks)
    source = api.get_dag_source(details.file_token)
    assert "partner_feeds_hourly" in source.content


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
