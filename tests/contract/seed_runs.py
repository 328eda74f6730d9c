"""Runs and task instances in every state the run and task instance operations distinguish.

Generated strings are often "0", so a DAG "0" with a run "0" and a task "0" lets schemathesis reach real
rows (a task instance with tries, a log and an extra link) instead of 404s only.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from orchestrator_api.config import get_settings
from tests import factories, factories_runs

ZERO_DAG = """
dag_id: "0"
schedule: "@daily"
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: "0"
    operator: EmptyOperator
    retries: 1
    extra_links:
      Docs: "https://docs.example.com/{dag_id}/{run_id}/{task_id}/{map_index}?try={try_number}"
  - task_id: fan
    operator: EmptyOperator
    upstream: ["0"]
    expand: 2
"""

FEEDS = "partner_feeds_hourly"


def seed_runs(admin: tuple[str, str]) -> None:
    factories_runs.run(FEEDS, "seeded_running", datetime(2026, 2, 1, 10, tzinfo=UTC), state="running")
    factories_runs.run(FEEDS, "seeded_failed", datetime(2026, 2, 1, 11, tzinfo=UTC), state="failed")
    factories_runs.run("etl_daily", "seeded_queued", datetime(2026, 2, 2, 3, tzinfo=UTC))
    started = datetime(2026, 2, 1, 10, 5, tzinfo=UTC)
    factories.set_task_instance(
        FEEDS,
        "seeded_running",
        "list_partners",
        state="success",
        try_number=2,
        start_date=started,
        end_date=datetime(2026, 2, 1, 10, 6, tzinfo=UTC),
    )
    factories_runs.history(FEEDS, "seeded_running", "list_partners", 1, "failed")
    factories.set_task_instance(FEEDS, "seeded_running", "download_feed", 1, state="running", try_number=1)
    factories.set_task_instance(FEEDS, "seeded_failed", "check_feeds", state="failed", try_number=1)
    logs = Path(get_settings().logs_folder)
    factories.write_log(logs, FEEDS, "seeded_running", "list_partners", 2, "line one\nline two\n")
    _seed_zero(logs)


def _seed_zero(logs: Path) -> None:
    folder = logs.parent / "contract_dags"
    folder.mkdir(exist_ok=True)
    (folder / "zero.yaml").write_text(ZERO_DAG)
    factories.sync_folder(folder)
    factories_runs.run("0", "0", datetime(2026, 2, 3, tzinfo=UTC), state="running")
    factories_runs.history("0", "0", "0", 1, "failed")
    factories.set_task_instance("0", "0", "0", state="success", try_number=2)
    factories.write_log(logs, "0", "0", "0", 1, "first try\n")
    factories.write_log(logs, "0", "0", "0", 2, "second try\n")
    factories.set_task_instance("0", "0", "fan", 0, state="failed", try_number=1)
