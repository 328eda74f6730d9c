"""Rows for the observability family's operations: a run with XComs (one mapped), an import error, a DAG
warning, dataset events (one that triggered a run) and queued events, so generated requests meet real rows."""

from __future__ import annotations

from datetime import UTC, datetime

from tests import factories
from tests import factories_observability as more

FACT = "s3://warehouse/sales/fact_sales"
MERGED = "s3://lake/partners/merged"
DAY = datetime(2026, 1, 5, tzinfo=UTC)


def seed_observability(admin: tuple[str, str]) -> None:
    factories.dag_run("etl_daily", "seed_etl_run", DAY, state="success", task_ids=["extract_orders"])
    factories.dag_run("partner_feeds_hourly", "seed_feed_run", DAY, task_ids=["download_feed"])
    factories.dag_run("sales_report", "seed_report_run", DAY, run_type="dataset_triggered")
    factories.xcom("etl_daily", "seed_etl_run", "extract_orders", "return_value", {"rows": 3})
    factories.xcom("etl_daily", "seed_etl_run", "extract_orders", "note", "fine")
    for index in range(2):
        factories.xcom("partner_feeds_hourly", "seed_feed_run", "download_feed", "return_value", index, index)
    produced = factories.dataset_event(FACT, source=("etl_daily", "load_fact_sales", "seed_etl_run"))
    factories.dataset_event(MERGED, source=("partner_feeds_hourly", "merge_feeds", "seed_feed_run"))
    more.link_event_to_run(produced, "sales_report", "seed_report_run")
    more.queued_event(FACT, "sales_report", DAY)
    more.import_error("/dags/broken.yaml", "line 1: not a mapping")
    more.dag_warning("etl_daily", "non-existent pool", "Dag 'etl_daily' uses pool 'fast'")
    more.event_log("patch_dag", dag_id="etl_daily", owner=admin[0], extra='{"update_mask": ["is_paused"]}')
