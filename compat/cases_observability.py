"""Cases for monitoring, config, the event log, import errors, DAG warnings, datasets, plugins, providers."""

from __future__ import annotations

from compat.case import Case, delete, get, patch, post

FACT = "s3%3A%2F%2Fwarehouse%2Fsales%2Ffact_sales"
FACT_URI = "s3://warehouse/sales/fact_sales"
UNORDERED = ("datasets", "producing_tasks", "consuming_dags")

MONITORING: list[Case] = [
    get("get_health", "/health", auth="none"),
    get("get_version", "/version", auth="none"),
    get("get_config", "/config", "403 not exposed"),
    get("get_config", "/config", "401 without credentials", auth="none"),
    get("get_value", "/config/section/core/option/dags_folder", "403 not exposed"),
    get("get_plugins", "/plugins"),
    get("get_plugins", "/plugins", "limit", params={"limit": 1}),
    get("get_providers", "/providers"),
]

DATASETS: list[Case] = [
    # Dataset ids follow the order each server first met the URIs, so the default order (by id) is not fixed.
    get("get_datasets", "/datasets", unordered=UNORDERED),
    get("get_datasets", "/datasets", "uri_pattern", params={"uri_pattern": "warehouse"}, unordered=UNORDERED),
    get("get_datasets", "/datasets", "dag_ids", params={"dag_ids": "sales_report"}, unordered=UNORDERED),
    get("get_datasets", "/datasets", "order_by -uri", params={"order_by": "-uri"}),
    get("get_dataset", f"/datasets/{FACT}"),
    get("get_dataset", "/datasets/s3%3A%2F%2Fnope", "404"),
    patch(
        "patch_dag",
        "/dags/sales_report",
        "unpause the consumer",
        params={"update_mask": "is_paused"},
        body={"is_paused": False},
    ),
    post("create_dataset_event", "/datasets/events", body={"dataset_uri": FACT_URI, "extra": {"rows": 42}}),
    post(
        "create_dataset_event", "/datasets/events", "404 unknown dataset", body={"dataset_uri": "s3://nope"}
    ),
    post("create_dataset_event", "/datasets/events", "400 missing uri", body={"extra": {}}),
    get("get_dataset_events", "/datasets/events"),
    get("get_dataset_events", "/datasets/events", "filtered", params={"source_dag_id": "etl_daily"}),
    get("get_dataset_events", "/datasets/events", "order_by -timestamp", params={"order_by": "-timestamp"}),
    get("get_dataset_queued_events", f"/datasets/queuedEvent/{FACT}"),
    get("get_dataset_queued_events", "/datasets/queuedEvent/s3%3A%2F%2Fnope", "404"),
    get("get_dag_dataset_queued_events", "/dags/sales_report/datasets/queuedEvent"),
    get("get_dag_dataset_queued_events", "/dags/etl_daily/datasets/queuedEvent", "404 none queued"),
    get("get_dag_dataset_queued_event", f"/dags/sales_report/datasets/queuedEvent/{FACT}"),
    get("get_dag_dataset_queued_event", f"/dags/etl_daily/datasets/queuedEvent/{FACT}", "404"),
    delete("delete_dag_dataset_queued_event", f"/dags/sales_report/datasets/queuedEvent/{FACT}"),
    delete("delete_dag_dataset_queued_event", f"/dags/sales_report/datasets/queuedEvent/{FACT}", "404 gone"),
    post("create_dataset_event", "/datasets/events", "queue again", body={"dataset_uri": FACT_URI}),
    delete("delete_dag_dataset_queued_events", "/dags/sales_report/datasets/queuedEvent"),
    delete("delete_dag_dataset_queued_events", "/dags/sales_report/datasets/queuedEvent", "404 gone"),
    post("create_dataset_event", "/datasets/events", "queue a third time", body={"dataset_uri": FACT_URI}),
    delete("delete_dataset_queued_events", f"/datasets/queuedEvent/{FACT}"),
    delete("delete_dataset_queued_events", f"/datasets/queuedEvent/{FACT}", "404 gone"),
]

SEEDED_READS: list[Case] = [
    get("get_import_errors", "/importErrors", capture={"import_error_id": "import_errors.0.import_error_id"}),
    get("get_import_errors", "/importErrors", "order_by -filename", params={"order_by": "-filename"}),
    get("get_import_error", "/importErrors/{import_error_id}"),
    get("get_import_error", "/importErrors/999999", "404"),
    get("get_dag_warnings", "/dagWarnings"),
    get(
        "get_dag_warnings",
        "/dagWarnings",
        "filtered",
        params={"dag_id": "etl_daily", "warning_type": "non-existent pool"},
    ),
    get("get_dag_warnings", "/dagWarnings", "400 bad warning_type", params={"warning_type": "bogus"}),
]

EVENT_LOGS: list[Case] = [
    get(
        "get_event_logs",
        "/eventLogs",
        params={"order_by": "-event_log_id", "limit": 5},
        capture={"event_log_id": "event_logs.0.event_log_id"},
    ),
    get("get_event_logs", "/eventLogs", "variable events", params={"included_events": "api.variable.create"}),
    get("get_event_logs", "/eventLogs", "by DAG", params={"dag_id": "etl_daily", "order_by": "event_log_id"}),
    get("get_event_logs", "/eventLogs", "400 bad order_by", params={"order_by": "bogus"}),
    get("get_event_log", "/eventLogs/{event_log_id}"),
    get("get_event_log", "/eventLogs/999999", "404"),
]

# Rows Airflow writes for its own CLI (the harness creates its admin user and serialises its DAGs with it).
AIRFLOW_CLI_EVENTS = "cli_users_create,cli_dag_reserialize,cli_webserver"
# What we record and Airflow 2.10.5 does not: changes to users and roles, reparse requests, connection tests.
OUR_EXTRA_EVENTS = (
    "api.post_user,api.patch_user,api.delete_user,api.post_role,api.patch_role,api.delete_role,"
    "api.reparse_dag_file,api.test_connection"
)

# The whole event log once every change has been made: row by row the same, bar the two lists above.
AUDIT_TRAIL: list[Case] = [
    get(
        "get_event_logs",
        "/eventLogs",
        "the whole trail at the end",
        params={
            "order_by": "event_log_id",
            "limit": 100,
            "excluded_events": f"{AIRFLOW_CLI_EVENTS},{OUR_EXTRA_EVENTS}",
        },
    ),
    get(
        "get_event_logs",
        "/eventLogs",
        "the whole trail at the end, second page",
        params={
            "order_by": "event_log_id",
            "limit": 100,
            "offset": 100,
            "excluded_events": f"{AIRFLOW_CLI_EVENTS},{OUR_EXTRA_EVENTS}",
        },
    ),
    get(
        "get_event_logs",
        "/eventLogs",
        "changes Airflow does not record",
        params={"order_by": "event_log_id", "included_events": OUR_EXTRA_EVENTS},
    ),
]
