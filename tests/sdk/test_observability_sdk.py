"""XComs, event logs, import errors, DAG warnings, datasets, plugins and providers through
apache-airflow-client 2.10.0: it must parse every answer into its models."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from airflow_client.client.api.dag_run_api import DAGRunApi
from airflow_client.client.api.dag_warning_api import DagWarningApi
from airflow_client.client.api.dataset_api import DatasetApi
from airflow_client.client.api.event_log_api import EventLogApi
from airflow_client.client.api.import_error_api import ImportErrorApi
from airflow_client.client.api.plugin_api import PluginApi
from airflow_client.client.api.provider_api import ProviderApi
from airflow_client.client.api.x_com_api import XComApi
from airflow_client.client.exceptions import ApiException, NotFoundException
from airflow_client.client.model.create_dataset_event import CreateDatasetEvent

from tests import factories
from tests import factories_observability as more

FACT = "s3://warehouse/sales/fact_sales"
DAY = datetime(2026, 1, 5, tzinfo=UTC)


@pytest.fixture
def observed(example_dags: list[str]) -> None:
    factories.dag_run("etl_daily", "etl_run", DAY, state="success", task_ids=["extract_orders"])
    factories.dag_run("sales_report", "report_run", DAY, run_type="dataset_triggered")
    factories.xcom("etl_daily", "etl_run", "extract_orders", "return_value", {"rows": 3})
    factories.xcom("etl_daily", "etl_run", "extract_orders", "note", "fine")
    event = factories.dataset_event(FACT, source=("etl_daily", "load_fact_sales", "etl_run"))
    more.link_event_to_run(event, "sales_report", "report_run")
    more.import_error("/dags/broken.yaml", "line 1: not a mapping")
    more.dag_warning("etl_daily", "non-existent pool", "Dag 'etl_daily' uses pool 'fast'")
    more.event_log("patch_dag", dag_id="etl_daily", owner="admin", extra='{"token": "abc"}')


def test_xcoms(sdk, observed):
    api = XComApi(sdk)
    entries = api.get_xcom_entries("~", "~", "~", limit=10)
    assert entries.total_entries == 2
    assert sorted(e.key for e in entries.xcom_entries) == ["note", "return_value"]
    assert entries.xcom_entries[0].execution_date.startswith("2026-01-05")
    text = api.get_xcom_entry("etl_daily", "etl_run", "extract_orders", "return_value")
    assert text.value == "{'rows': 3}"  # Python's text of the value, as Airflow answers by default
    native = api.get_xcom_entry("etl_daily", "etl_run", "extract_orders", "return_value", stringify=False)
    assert native.value == {"rows": 3}
    # Off by default, as Airflow's [api] enable_xcom_deserialize_support.
    with pytest.raises(ApiException) as refused:
        api.get_xcom_entry("etl_daily", "etl_run", "extract_orders", "note", deserialize=True)
    assert refused.value.status == 400
    assert json.loads(refused.value.body)["detail"] == "XCom deserialization is disabled in configuration."


def test_event_logs(sdk, observed):
    api = EventLogApi(sdk)
    logs = api.get_event_logs(dag_id="etl_daily", order_by="-when")
    assert logs.total_entries == 1
    entry = logs.event_logs[0]
    assert entry.event == "patch_dag"
    assert json.loads(entry.extra) == {"token": "***"}
    assert api.get_event_log(entry.event_log_id).owner == "admin"


def test_import_errors_and_warnings(sdk, observed):
    errors = ImportErrorApi(sdk).get_import_errors(order_by="-timestamp")
    assert errors.total_entries == 1
    error = errors.import_errors[0]
    assert ImportErrorApi(sdk).get_import_error(error.import_error_id).stack_trace == "line 1: not a mapping"
    warnings = DagWarningApi(sdk).get_dag_warnings(dag_id="etl_daily")
    assert warnings.total_entries == 1
    # Airflow's server sends `dag_warnings`, which the SDK's model (built from the published spec) keeps
    # as an extra key, as it does against Airflow.
    assert warnings["dag_warnings"][0]["warning_type"] == "non-existent pool"


def test_datasets_and_their_events(sdk, observed):
    api = DatasetApi(sdk)
    datasets = api.get_datasets(dag_ids="sales_report", order_by="uri")
    assert datasets.total_entries == 2
    fact = api.get_dataset(FACT)
    assert [ref.dag_id for ref in fact.consuming_dags] == ["sales_report"]
    assert [ref.task_id for ref in fact.producing_tasks] == ["load_fact_sales"]
    events = api.get_dataset_events(source_dag_id="etl_daily")
    assert events.total_entries == 1
    assert events.dataset_events[0].created_dagruns[0].run_id == "report_run"
    # Keys Airflow's server sends beyond its published schema reach the SDK as extra attributes.
    assert events.dataset_events[0].created_dagruns[0]["dag_run_id"] == "report_run"
    assert events.dataset_events[0]["id"] >= 1  # the SDK reads untyped extras as float
    upstream = DAGRunApi(sdk).get_upstream_dataset_events("sales_report", "report_run")
    assert upstream.dataset_events[0].dataset_uri == FACT


def test_create_a_dataset_event_and_manage_its_queue(sdk, observed):
    api = DatasetApi(sdk)
    created = api.create_dataset_event(CreateDatasetEvent(dataset_uri=FACT, extra={"rows": 12}))
    assert created.dataset_uri == FACT
    assert created.source_dag_id is None
    assert created.source_map_index == -1
    assert created.extra == {"rows": 12, "from_rest_api": True}
    queued = api.get_dag_dataset_queued_events("sales_report")
    assert queued.total_entries == 1
    # Airflow's server sends `queued_events`, which the SDK keeps as an extra key, as it does against Airflow.
    assert queued["queued_events"][0]["uri"] == FACT
    assert api.get_dataset_queued_events(FACT)["queued_events"][0]["dag_id"] == "sales_report"
    assert api.get_dag_dataset_queued_event("sales_report", FACT).uri == FACT
    api.delete_dag_dataset_queued_event("sales_report", FACT)
    with pytest.raises(NotFoundException):
        api.get_dag_dataset_queued_events("sales_report")
    api.create_dataset_event(CreateDatasetEvent(dataset_uri=FACT))
    api.delete_dataset_queued_events(FACT)
    api.create_dataset_event(CreateDatasetEvent(dataset_uri=FACT))
    api.delete_dag_dataset_queued_events("sales_report")


def test_plugins_and_providers(sdk):
    plugins = PluginApi(sdk).get_plugins()
    assert plugins.total_entries == 0
    providers = ProviderApi(sdk).get_providers()
    assert [p["package_name"] for p in providers["providers"]] == ["orchestrator-api"]


def test_missing_things_raise_with_the_problem_body(sdk, observed):
    with pytest.raises(NotFoundException) as caught:
        DatasetApi(sdk).get_dataset("s3://nowhere/at/all")
    problem = json.loads(caught.value.body)
    assert problem["type"].endswith("#section/Errors/NotFound")
    assert "s3://nowhere/at/all" in problem["detail"]
    with pytest.raises(NotFoundException) as caught:
        XComApi(sdk).get_xcom_entry("etl_daily", "etl_run", "extract_orders", "nope")
    assert "'nope'" in json.loads(caught.value.body)["detail"]
    with pytest.raises(NotFoundException):
        DatasetApi(sdk).create_dataset_event(CreateDatasetEvent(dataset_uri="s3://nowhere"))
