"""Cases for task instances (read after the seed step gave some of them states, tries, logs and XComs)."""

from __future__ import annotations

from compat.case import Case, get, patch, post

RUN_1 = "/dags/etl_daily/dagRuns/run_1/taskInstances"
FEEDS = "/dags/partner_feeds_hourly/dagRuns/feed_run/taskInstances"
EXTRACT = f"{RUN_1}/extract_orders"
CLEAN = f"{RUN_1}/clean_orders"
MAPPED = f"{FEEDS}/download_feed"
# Airflow's file handler wraps a log file's lines with its own header naming the worker and local paths.
LOG_TEXT = ("content",)
# Airflow gives no order to task instance lists without order_by (database order).
TIS = ("task_instances",)

TI_READS: list[Case] = [
    get("get_task_instances", RUN_1, unordered=TIS),
    get(
        "get_task_instances",
        "/dags/~/dagRuns/~/taskInstances",
        "every run",
        params={"limit": 100},
        unordered=TIS,
        # The list holds the instances of a run triggered without a logical date (each server's time).
        volatile=("execution_date",),
    ),
    get("get_task_instances", RUN_1, "state filter", params={"state": "success"}, unordered=TIS),
    get("get_task_instances", RUN_1, "400 bad state", params={"state": "bogus"}),
    get("get_task_instances", "/dags/etl_daily/dagRuns/nope/taskInstances", "unknown run"),
    post(
        "get_task_instances_batch",
        "/dags/~/dagRuns/~/taskInstances/list",
        body={"dag_ids": ["etl_daily"]},
        unordered=TIS,
    ),
    post(
        "get_task_instances_batch",
        "/dags/~/dagRuns/~/taskInstances/list",
        "state filter",
        body={"state": ["failed", "success"]},
        unordered=TIS,
    ),
    post(
        "get_task_instances_batch",
        "/dags/~/dagRuns/~/taskInstances/list",
        "400 unknown field",
        body={"bogus": True},
    ),
    get("get_task_instance", EXTRACT),
    get("get_task_instance", CLEAN, "a failed second try"),
    get("get_task_instance", f"{RUN_1}/nope", "404 task"),
    get("get_task_instance", MAPPED, "404 mapped task without map index"),
    get("get_mapped_task_instance", f"{MAPPED}/1"),
    get("get_mapped_task_instance", f"{MAPPED}/9", "404 map index"),
    get("get_mapped_task_instances", f"{MAPPED}/listMapped"),
    get(
        "get_mapped_task_instances",
        f"{MAPPED}/listMapped",
        "order_by -map_index",
        params={"order_by": "-map_index"},
    ),
    get("get_mapped_task_instances", f"{EXTRACT}/listMapped", "404 not mapped"),
    get("get_task_instance_dependencies", f"{RUN_1}/load_fact_sales/dependencies"),
    get("get_task_instance_dependencies", f"{RUN_1}/nope/dependencies", "404"),
    get("get_mapped_task_instance_dependencies", f"{MAPPED}/2/dependencies"),
    get("get_mapped_task_instance_dependencies", f"{MAPPED}/9/dependencies", "404"),
    get("get_task_instance_tries", f"{CLEAN}/tries"),
    get("get_task_instance_tries", f"{RUN_1}/nope/tries", "404"),
    get("get_task_instance_try_details", f"{CLEAN}/tries/1"),
    get("get_task_instance_try_details", f"{CLEAN}/tries/2", "the live try"),
    get("get_task_instance_try_details", f"{CLEAN}/tries/7", "404 try"),
    get("get_mapped_task_instance_tries", f"{MAPPED}/0/tries"),
    get("get_mapped_task_instance_tries", f"{MAPPED}/9/tries", "404"),
    get("get_mapped_task_instance_try_details", f"{MAPPED}/0/tries/1"),
    get("get_mapped_task_instance_try_details", f"{MAPPED}/0/tries/5", "404 try"),
    get("get_log", f"{EXTRACT}/logs/1", "as JSON", headers={"Accept": "application/json"}, volatile=LOG_TEXT),
    get("get_log", f"{EXTRACT}/logs/1", "as text", headers={"Accept": "text/plain"}),
    get("get_log", f"{EXTRACT}/logs/1", "full_content", params={"full_content": "true"}, volatile=LOG_TEXT),
    get("get_log", f"{EXTRACT}/logs/1", "400 bad token", params={"token": "garbage"}),
    get("get_log", f"{RUN_1}/nope/logs/1", "404 task"),
    get("get_extra_links", f"{EXTRACT}/links"),
    get(
        "get_extra_links",
        "/dags/sales_report/dagRuns/report_run/taskInstances/refresh_dashboard/links",
        "a task with a link",
    ),
    get("get_extra_links", f"{RUN_1}/nope/links", "404"),
    get("get_xcom_entries", f"{EXTRACT}/xcomEntries"),
    get(
        "get_xcom_entries",
        "/dags/~/dagRuns/~/taskInstances/~/xcomEntries",
        "every task",
        params={"xcom_key": "path"},
    ),
    get("get_xcom_entry", f"{EXTRACT}/xcomEntries/return_value"),
    get(
        "get_xcom_entry",
        f"{EXTRACT}/xcomEntries/return_value",
        "stringify false",
        params={"stringify": "false"},
    ),
    get(
        "get_xcom_entry", f"{EXTRACT}/xcomEntries/return_value", "deserialize", params={"deserialize": "true"}
    ),
    get("get_xcom_entry", f"{EXTRACT}/xcomEntries/nope", "404"),
]

TI_CHANGES: list[Case] = [
    patch("set_task_instance_note", f"{EXTRACT}/setNote", body={"note": "looked fine"}),
    patch("set_task_instance_note", f"{EXTRACT}/setNote", "400 null note", body={"note": None}),
    patch("set_task_instance_note", f"{RUN_1}/nope/setNote", "404", body={"note": "x"}),
    patch("set_mapped_task_instance_note", f"{MAPPED}/0/setNote", body={"note": "partner A"}),
    patch("set_mapped_task_instance_note", f"{MAPPED}/9/setNote", "404", body={"note": "x"}),
    patch(
        "patch_task_instance",
        f"{RUN_1}/load_fact_sales",
        "dry run",
        body={"dry_run": True, "new_state": "success"},
    ),
    patch("patch_task_instance", f"{RUN_1}/load_fact_sales", body={"dry_run": False, "new_state": "failed"}),
    patch(
        "patch_task_instance",
        f"{RUN_1}/load_fact_sales",
        "400 bad state",
        body={"dry_run": False, "new_state": "running"},
    ),
    patch("patch_task_instance", f"{RUN_1}/nope", "404", body={"new_state": "success"}),
    patch("patch_mapped_task_instance", f"{MAPPED}/2", body={"dry_run": False, "new_state": "success"}),
    patch("patch_mapped_task_instance", f"{MAPPED}/9", "404", body={"new_state": "success"}),
    post(
        "post_set_task_instances_state",
        "/dags/etl_daily/updateTaskInstancesState",
        "dry run",
        body={
            "dry_run": True,
            "task_id": "notify_done",
            "dag_run_id": "run_1",
            "new_state": "success",
            "include_upstream": False,
            "include_downstream": False,
            "include_future": False,
            "include_past": False,
        },
    ),
    post(
        "post_set_task_instances_state",
        "/dags/etl_daily/updateTaskInstancesState",
        body={
            "dry_run": False,
            "task_id": "notify_done",
            "dag_run_id": "run_1",
            "new_state": "skipped",
            "include_upstream": False,
            "include_downstream": False,
            "include_future": False,
            "include_past": False,
        },
    ),
    post(
        "post_set_task_instances_state",
        "/dags/etl_daily/updateTaskInstancesState",
        "400 without include flags",
        body={"dry_run": True, "task_id": "notify_done", "dag_run_id": "run_1", "new_state": "success"},
    ),
    post(
        "post_set_task_instances_state",
        "/dags/nope/updateTaskInstancesState",
        "404",
        body={
            "dry_run": True,
            "task_id": "x",
            "dag_run_id": "run_1",
            "new_state": "success",
            "include_upstream": False,
            "include_downstream": False,
            "include_future": False,
            "include_past": False,
        },
    ),
    post(
        "post_clear_task_instances",
        "/dags/etl_daily/clearTaskInstances",
        "dry run",
        body={"dry_run": True, "dag_run_id": "run_1", "only_failed": True},
    ),
    post(
        "post_clear_task_instances",
        "/dags/etl_daily/clearTaskInstances",
        body={"dry_run": False, "dag_run_id": "run_1", "task_ids": ["clean_orders"]},
    ),
    post(
        "post_clear_task_instances",
        "/dags/etl_daily/clearTaskInstances",
        "400 unknown field",
        body={"dry_run": True, "bogus": 1},
    ),
    post("post_clear_task_instances", "/dags/nope/clearTaskInstances", "404", body={"dry_run": True}),
    get("get_task_instance_tries", f"{CLEAN}/tries", "after a clear"),
]
