"""Runs and task instances in every state the run and task instance operations distinguish."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from orchestrator_api.config import get_settings
from tests import factories, factories_runs

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
