"""Cases for DAGs, their tasks, sources and stats, and the protocol edges (401, 405, 406)."""

from __future__ import annotations

from compat.case import Case, delete, get, patch, post, put

ETL = "/dags/etl_daily"
FEEDS = "/dags/partner_feeds_hourly"

EDGES: list[Case] = [
    get("get_dags", "/dags", "401 without credentials", auth="none"),
    get("get_dags", "/dags", "401 with a wrong password", auth="bad"),
    get("get_pools", "/pools", "401 without credentials", auth="none"),
    post("post_pool", "/pools", "401 without credentials", auth="none", body={"name": "x", "slots": 1}),
    put("get_pools", "/pools", "405 PUT on a collection", body={}),
    delete("get_dags", "/dags", "405 DELETE on a collection"),
    post("get_dag", ETL, "405 POST on a DAG", body={}),
    get("get_pools", "/pools", "406 Accept application/xml", headers={"Accept": "application/xml"}),
    get("get_dags", "/nope", "404 unknown path"),
]

DAGS: list[Case] = [
    get("get_dags", "/dags", capture={"etl_token": "dags.0.file_token"}),
    get("get_dags", "/dags", "limit and offset", params={"limit": 2, "offset": 1}),
    get("get_dags", "/dags", "tags filter", params={"tags": "etl"}),
    get("get_dags", "/dags", "dag_id_pattern", params={"dag_id_pattern": "sales"}),
    get("get_dags", "/dags", "paused filter", params={"paused": "false"}),
    get("get_dags", "/dags", "order_by -dag_id", params={"order_by": "-dag_id"}),
    get("get_dags", "/dags", "400 unknown order_by", params={"order_by": "bogus"}),
    get("get_dags", "/dags", "400 limit not a number", params={"limit": "x"}),
    get("get_dags", "/dags", "fields", params={"fields": "dag_id,is_paused"}),
    get("get_dag", ETL),
    get("get_dag", "/dags/partner_feeds_hourly", "another DAG"),
    get("get_dag", "/dags/nope", "404"),
    get("get_dag_details", f"{ETL}/details"),
    get("get_dag_details", f"{FEEDS}/details", "mapped tasks and a cron preset"),
    get("get_dag_details", "/dags/sales_report/details", "dataset schedule"),
    get("get_dag_details", "/dags/rebuild_search_index/details", "no schedule"),
    get("get_dag_details", "/dags/nope/details", "404"),
    get("get_tasks", f"{ETL}/tasks"),
    get("get_tasks", f"{FEEDS}/tasks", "mapped and branching tasks"),
    get("get_tasks", f"{ETL}/tasks", "order_by -task_id", params={"order_by": "-task_id"}),
    get("get_tasks", "/dags/nope/tasks", "404"),
    get("get_task", f"{ETL}/tasks/extract_orders"),
    get("get_task", f"{FEEDS}/tasks/download_feed", "a mapped task"),
    get("get_task", f"{ETL}/tasks/nope", "404 task"),
    get("get_task", "/dags/nope/tasks/extract_orders", "404 DAG"),
    # The source is the file: YAML for us, its Python translation for Airflow; only the shape is compared.
    get(
        "get_dag_source",
        "/dagSources/{etl_token}",
        "as JSON",
        headers={"Accept": "application/json"},
        volatile=["content"],
    ),
    get("get_dag_source", "/dagSources/{etl_token}", "as text", headers={"Accept": "text/plain"}),
    get("get_dag_source", "/dagSources/not-a-token", "404 bad token"),
    put("reparse_dag_file", "/parseDagFile/{etl_token}"),
    put("reparse_dag_file", "/parseDagFile/not-a-token", "404 bad token"),
    patch(
        "patch_dag", ETL, "with update_mask", params={"update_mask": "is_paused"}, body={"is_paused": False}
    ),
    patch("patch_dag", ETL, "without update_mask", body={"is_paused": True}),
    patch("patch_dag", ETL, "400 wrong type", body={"is_paused": "maybe"}),
    patch(
        "patch_dag",
        ETL,
        "400 mask names another field",
        params={"update_mask": "description"},
        body={"description": "x"},
    ),
    patch("patch_dag", "/dags/nope", "404", body={"is_paused": False}),
    patch(
        "patch_dags",
        "/dags",
        "with a pattern",
        params={"dag_id_pattern": "feeds", "update_mask": "is_paused"},
        body={"is_paused": False},
    ),
    patch(
        "patch_dags",
        "/dags",
        "without a pattern",
        params={"update_mask": "is_paused"},
        body={"is_paused": True},
    ),
    patch("patch_dags", "/dags", "400 wrong type", params={"dag_id_pattern": "etl"}, body={"is_paused": 3}),
    get("get_dag_stats", "/dagStats", params={"dag_ids": "etl_daily,sales_report"}, unordered=["dags"]),
    get("get_dag_stats", "/dagStats", "without dag_ids", unordered=["dags"]),
]

DAG_DELETES: list[Case] = [
    delete("delete_dag", "/dags/rebuild_search_index"),
    delete("delete_dag", "/dags/rebuild_search_index", "404 already deleted"),
    get("get_dags", "/dags", "after a deletion"),
]
