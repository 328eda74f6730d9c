"""Timedelta schedules (`schedule: {every: SECONDS}`): Airflow's delta timetable, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from orchestrator_api.dags.schedule import (
    IntervalSchedule,
    infer_manual_data_interval,
    next_dagrun_info,
    schedule_from_json,
    schedule_interval,
    schedule_to_json,
)

START = datetime(2026, 1, 1, tzinfo=UTC)
TWO_HOURS = IntervalSchedule(7200.0)
NOW = datetime(2026, 6, 1, 12, 30, tzinfo=UTC)


def test_with_catchup_intervals_follow_each_other_from_the_start_date() -> None:
    first = next_dagrun_info(TWO_HOURS, START, None, True, None, NOW)
    assert first is not None
    assert (first.logical_date, first.data_interval_end, first.create_after) == (
        START,
        START + timedelta(hours=2),
        START + timedelta(hours=2),
    )
    second = next_dagrun_info(TWO_HOURS, START, None, True, first.logical_date, NOW)
    assert second is not None
    assert second.data_interval_start == START + timedelta(hours=2)


def test_without_catchup_the_next_interval_starts_no_earlier_than_one_interval_ago() -> None:
    info = next_dagrun_info(TWO_HOURS, START, None, False, None, NOW)
    assert info is not None
    assert (info.data_interval_start, info.data_interval_end) == (NOW - timedelta(hours=2), NOW)


def test_no_run_starts_after_the_end_date() -> None:
    end = START + timedelta(hours=3)
    assert next_dagrun_info(TWO_HOURS, START, end, True, START + timedelta(hours=2), NOW) is None


def test_stored_and_wire_shapes() -> None:
    assert schedule_from_json(schedule_to_json(TWO_HOURS)) == TWO_HOURS
    day_and_a_half = IntervalSchedule(129600.0)
    assert schedule_interval(day_and_a_half) == {
        "__type": "TimeDelta",
        "days": 1,
        "seconds": 43200,
        "microseconds": 0,
    }
    assert infer_manual_data_interval(TWO_HOURS, NOW) == (NOW - timedelta(hours=2), NOW)
