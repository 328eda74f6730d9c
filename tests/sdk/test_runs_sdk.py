"""DAG run journeys through apache-airflow-client 2.10.0: it must parse every answer into its models."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from airflow_client.client.api.dag_run_api import DAGRunApi
from airflow_client.client.exceptions import ApiException, NotFoundException
from airflow_client.client.model.clear_dag_run import ClearDagRun
from airflow_client.client.model.dag_run import DAGRun
from airflow_client.client.model.list_dag_runs_form import ListDagRunsForm
from airflow_client.client.model.set_dag_run_note import SetDagRunNote
from airflow_client.client.model.update_dag_run_state import UpdateDagRunState

from tests import factories


def test_trigger_list_and_read_runs(sdk, example_dags):
    api = DAGRunApi(sdk)
    created = api.post_dag_run(
        "partner_feeds_hourly",
        DAGRun(
            dag_run_id="sdk_run",
            logical_date=datetime(2026, 2, 1, 12, tzinfo=UTC),
            conf={"partners": ["a", "b"]},
            note="from the SDK",
        ),
    )
    assert created.dag_run_id == "sdk_run"
    assert created.state.value == "queued"
    assert created.conf == {"partners": ["a", "b"]}
    assert created.data_interval_end == datetime(2026, 2, 1, 12, tzinfo=UTC)
    api.post_dag_run("partner_feeds_hourly", DAGRun(logical_date=datetime(2026, 2, 2, tzinfo=UTC)))

    listed = api.get_dag_runs("partner_feeds_hourly", limit=1, order_by="-execution_date")
    assert listed.total_entries == 2
    assert listed.dag_runs[0].logical_date == datetime(2026, 2, 2, tzinfo=UTC)
    everything = api.get_dag_runs("~", state=["queued"], execution_date_gte=datetime(2026, 2, 1, tzinfo=UTC))
    assert {run.dag_run_id for run in everything.dag_runs} == {"sdk_run", "manual__2026-02-02T00:00:00+00:00"}
    batch = api.get_dag_runs_batch(ListDagRunsForm(dag_ids=["partner_feeds_hourly"], page_limit=10))
    assert batch.total_entries == 2
    uncapped = api.get_dag_runs_batch(ListDagRunsForm(page_limit=1_000_000))
    assert len(uncapped.dag_runs) == 2

    fetched = api.get_dag_run("partner_feeds_hourly", "sdk_run")
    assert fetched.note == "from the SDK"
    assert fetched.run_type == "manual"


def test_mark_clear_annotate_and_delete_a_run(sdk, example_dags):
    api = DAGRunApi(sdk)
    api.post_dag_run("etl_daily", DAGRun(dag_run_id="r"))
    factories.set_task_instance("etl_daily", "r", "extract_orders", state="running", try_number=1)

    failed = api.update_dag_run_state("etl_daily", "r", UpdateDagRunState(state="failed"))
    assert failed.state.value == "failed"
    assert failed.end_date is not None
    succeeded = api.update_dag_run_state("etl_daily", "r", UpdateDagRunState(state="success"))
    assert succeeded.end_date == failed.end_date, "a finished run keeps its end"

    preview = api.clear_dag_run("etl_daily", "r", ClearDagRun(dry_run=True))
    assert len(preview["task_instances"]) == 4
    cleared = api.clear_dag_run("etl_daily", "r", ClearDagRun(dry_run=False))
    assert cleared["state"] == "queued"

    noted = api.set_dag_run_note("etl_daily", "r", SetDagRunNote(note="re-run after fix"))
    assert noted.note == "re-run after fix"

    api.delete_dag_run("etl_daily", "r")
    with pytest.raises(NotFoundException):
        api.get_dag_run("etl_daily", "r")


def test_errors_carry_the_problem_body(sdk, example_dags):
    api = DAGRunApi(sdk)
    api.post_dag_run("etl_daily", DAGRun(dag_run_id="dup"))
    with pytest.raises(ApiException) as caught:
        api.post_dag_run("etl_daily", DAGRun(dag_run_id="dup"))
    assert caught.value.status == 409
    problem = json.loads(caught.value.body)
    assert problem["type"].endswith("#section/Errors/AlreadyExists")
    assert "dup" in problem["detail"]
    with pytest.raises(NotFoundException) as missing:
        api.get_dag_run("no_such_dag", "dup")
    assert "no_such_dag" in json.loads(missing.value.body)["detail"]
    assert api.get_dag_runs("no_such_dag").total_entries == 0
    with pytest.raises(ApiException) as reserved:
        api.post_dag_run("etl_daily", DAGRun(dag_run_id="scheduled__2026-01-01T00:00:00+00:00"))
    assert reserved.value.status == 400
    with pytest.raises(ApiException) as long_note:
        api.set_dag_run_note("etl_daily", "dup", SetDagRunNote(note="n" * 1001))
    assert long_note.value.status == 400
