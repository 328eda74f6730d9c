"""Cases for DAG runs: triggering, listing, state, notes, clearing, deletion."""

from __future__ import annotations

from compat.case import Case, delete, get, patch, post

ETL = "/dags/etl_daily"
RUN_1 = f"{ETL}/dagRuns/run_1"
DAY_1 = "2026-02-01T00:00:00+00:00"
GENERATED = ("dag_run_id", "logical_date", "execution_date", "data_interval_start", "data_interval_end")

TRIGGERS: list[Case] = [
    post(
        "post_dag_run",
        f"{ETL}/dagRuns",
        body={"dag_run_id": "run_1", "logical_date": DAY_1, "conf": {"env": "prod"}, "note": "first"},
    ),
    post(
        "post_dag_run",
        f"{ETL}/dagRuns",
        "second run",
        body={"dag_run_id": "run_2", "logical_date": "2026-02-02T00:00:00+00:00"},
    ),
    post(
        "post_dag_run",
        f"{ETL}/dagRuns",
        "run to delete",
        body={"dag_run_id": "doomed_run", "logical_date": "2026-02-03T00:00:00+00:00"},
    ),
    post(
        "post_dag_run",
        "/dags/partner_feeds_hourly/dagRuns",
        "DAG with a mapped task",
        body={"dag_run_id": "feed_run", "logical_date": "2026-02-01T01:00:00+00:00"},
    ),
    post(
        "post_dag_run",
        "/dags/sales_report/dagRuns",
        "dataset-scheduled DAG",
        body={"dag_run_id": "report_run", "logical_date": DAY_1},
    ),
    post("post_dag_run", "/dags/rebuild_search_index/dagRuns", "empty body", body={}, volatile=GENERATED),
    post("post_dag_run", f"{ETL}/dagRuns", "409 same run id", body={"dag_run_id": "run_1"}),
    post(
        "post_dag_run",
        f"{ETL}/dagRuns",
        "409 same logical date",
        body={"dag_run_id": "run_other", "logical_date": DAY_1},
    ),
    post(
        "post_dag_run",
        f"{ETL}/dagRuns",
        "400 body with state",
        body={"dag_run_id": "run_state", "state": "success"},
    ),
    post("post_dag_run", f"{ETL}/dagRuns", "400 bad logical_date", body={"logical_date": "yesterday"}),
    post("post_dag_run", f"{ETL}/dagRuns", "400 conf not an object", body={"conf": [1, 2]}),
    post(
        "post_dag_run",
        f"{ETL}/dagRuns",
        "400 malformed JSON",
        raw=b"{nope",
        headers={"Content-Type": "application/json"},
    ),
    post(
        "post_dag_run",
        f"{ETL}/dagRuns",
        "415 form body",
        raw=b"a=b",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ),
    post("post_dag_run", "/dags/nope/dagRuns", "404 DAG", body={}),
]

RUN_READS: list[Case] = [
    get("get_dag_runs", f"{ETL}/dagRuns"),
    get(
        "get_dag_runs", "/dags/~/dagRuns", "every DAG", params={"order_by": "dag_run_id"}, volatile=GENERATED
    ),
    get("get_dag_runs", f"{ETL}/dagRuns", "state filter", params={"state": "queued"}),
    get("get_dag_runs", f"{ETL}/dagRuns", "order_by -execution_date", params={"order_by": "-execution_date"}),
    get("get_dag_runs", f"{ETL}/dagRuns", "400 bad order_by", params={"order_by": "nope"}),
    get("get_dag_runs", f"{ETL}/dagRuns", "400 bad date filter", params={"execution_date_gte": "soon"}),
    get("get_dag_runs", "/dags/nope/dagRuns", "unknown DAG"),
    post("get_dag_runs_batch", "/dags/~/dagRuns/list", body={"dag_ids": ["etl_daily"]}),
    post(
        "get_dag_runs_batch",
        "/dags/~/dagRuns/list",
        "states and order",
        body={"states": ["queued"], "order_by": "-dag_run_id", "page_limit": 2},
        volatile=GENERATED,
    ),
    post("get_dag_runs_batch", "/dags/~/dagRuns/list", "400 bad page_limit", body={"page_limit": "x"}),
    post("get_dag_runs_batch", "/dags/~/dagRuns/list", "400 unknown field", body={"bogus": 1}),
    get("get_dag_run", RUN_1),
    get("get_dag_run", f"{ETL}/dagRuns/nope", "404"),
    get("get_dag_run", RUN_1, "fields", params={"fields": "dag_run_id,state"}),
    get("get_upstream_dataset_events", "/dags/sales_report/dagRuns/report_run/upstreamDatasetEvents"),
    get("get_upstream_dataset_events", f"{ETL}/dagRuns/nope/upstreamDatasetEvents", "404"),
]

RUN_CHANGES: list[Case] = [
    patch("set_dag_run_note", f"{RUN_1}/setNote", body={"note": "checked"}),
    patch("set_dag_run_note", f"{RUN_1}/setNote", "400 null note", body={"note": None}),
    patch("set_dag_run_note", f"{RUN_1}/setNote", "400 empty body", body={}),
    patch("set_dag_run_note", f"{ETL}/dagRuns/nope/setNote", "404", body={"note": "x"}),
    patch("update_dag_run_state", f"{ETL}/dagRuns/run_2", body={"state": "success"}),
    patch("update_dag_run_state", f"{ETL}/dagRuns/run_2", "to queued", body={"state": "queued"}),
    patch("update_dag_run_state", f"{ETL}/dagRuns/run_2", "400 state running", body={"state": "running"}),
    patch("update_dag_run_state", f"{ETL}/dagRuns/nope", "404", body={"state": "failed"}),
    post("clear_dag_run", f"{RUN_1}/clear", "dry run", body={"dry_run": True}),
    post("clear_dag_run", f"{ETL}/dagRuns/run_2/clear", body={"dry_run": False}),
    post("clear_dag_run", f"{RUN_1}/clear", "400 unknown field", body={"dry_run": True, "bogus": 1}),
    post("clear_dag_run", f"{ETL}/dagRuns/nope/clear", "404", body={"dry_run": True}),
]

RUN_DELETES: list[Case] = [
    delete("delete_dag_run", f"{ETL}/dagRuns/doomed_run"),
    delete("delete_dag_run", f"{ETL}/dagRuns/doomed_run", "404 already deleted"),
]
