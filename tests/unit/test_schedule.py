"""Schedule helpers: Airflow's wire shapes, descriptions and cron data-interval semantics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from orchestrator_api.dags import (
    CronSchedule,
    DagRunInfo,
    DatasetSchedule,
    PresetSchedule,
    Schedule,
    infer_manual_data_interval,
    next_dagrun_info,
    schedule_from_json,
    schedule_interval,
    schedule_to_json,
    timetable_description,
)

DAILY_3AM = CronSchedule("0 3 * * *")
JAN_1 = datetime(2026, 1, 1, tzinfo=UTC)


def at(day: int, hour: int = 0, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (DAILY_3AM, {"__type": "CronExpression", "value": "0 3 * * *"}),
        (PresetSchedule("@daily"), {"__type": "CronExpression", "value": "@daily"}),
        (PresetSchedule("@once"), {"__type": "CronExpression", "value": "@once"}),
        (DatasetSchedule(("s3://a",)), {"__type": "CronExpression", "value": "Dataset"}),
        (None, None),
        ({"preset": "@hourly"}, {"__type": "CronExpression", "value": "@hourly"}),
    ],
)
def test_schedule_interval(
    schedule: Schedule | dict[str, Any] | None, expected: dict[str, str] | None
) -> None:
    assert schedule_interval(schedule) == expected


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        (DAILY_3AM, "At 03:00"),
        (PresetSchedule("@hourly"), "Every hour"),
        (CronSchedule("0 * * * *"), "Every hour"),
        (PresetSchedule("@daily"), "At 00:00"),
        (PresetSchedule("@weekly"), "At 00:00, only on Sunday"),
        (PresetSchedule("@monthly"), "At 00:00, on day 1 of the month"),
        (PresetSchedule("@yearly"), "At 00:00, on day 1 of the month, only in January"),
        (PresetSchedule("@once"), "Once, as soon as possible"),
        (None, "Never, external triggers only"),
        (DatasetSchedule(("s3://a",)), "Triggered by datasets"),
        (CronSchedule("*/15 * * * *"), "Every 15 minutes"),
        (CronSchedule("* * * * *"), "Every minute"),
        (CronSchedule("30 * * * *"), "At 30 minutes past the hour"),
        (CronSchedule("0 */6 * * *"), "Every 6 hours"),
        (CronSchedule("15 */2 * * *"), "At 15 minutes past the hour, every 2 hours"),
        (CronSchedule("30 9 * * 1-5"), "At 09:30, Monday through Friday"),
        (CronSchedule("0 9,17 * * MON,fri"), "At 09:00 and 17:00, only on Monday and Friday"),
        (CronSchedule("*/10 9-17 * * *"), "Every 10 minutes, between 09:00 and 17:59"),
        (CronSchedule("0 6 1,15 * *"), "At 06:00, on day 1 and 15 of the month"),
        (CronSchedule("0 0 * 1-3 *"), "At 00:00, January through March"),
        (CronSchedule("0 12 * * 7"), "At 12:00, only on Sunday"),
        (
            CronSchedule("5,35 */3 * * 1-5"),
            "At 5 and 35 minutes past the hour, every 3 hours, Monday through Friday",
        ),
        (CronSchedule("0 0 L * *"), "At 00:00, on the last day of the month"),
    ],
)
def test_timetable_description(schedule: Schedule | None, expected: str) -> None:
    assert timetable_description(schedule) == expected


@pytest.mark.parametrize(
    "schedule",
    [DAILY_3AM, PresetSchedule("@once"), DatasetSchedule(("s3://a", "s3://b")), None],
)
def test_stored_json_round_trips(schedule: Schedule | None) -> None:
    assert schedule_from_json(schedule_to_json(schedule)) == schedule


def test_schedule_from_json_rejects_unknown_shapes() -> None:
    with pytest.raises(ValueError, match="not a stored schedule"):
        schedule_from_json({"timetable": "x"})


def test_no_catchup_picks_the_latest_complete_interval() -> None:
    info = next_dagrun_info(DAILY_3AM, JAN_1, None, False, None, now=at(10, 12, 30))

    assert info == DagRunInfo(at(9, 3), at(9, 3), at(10, 3), at(10, 3))


def test_no_catchup_on_a_boundary_takes_the_interval_that_just_ended() -> None:
    info = next_dagrun_info(DAILY_3AM, JAN_1, None, False, None, now=at(10, 3))

    assert info is not None
    assert (info.logical_date, info.data_interval_end) == (at(9, 3), at(10, 3))


def test_no_catchup_never_starts_before_start_date() -> None:
    info = next_dagrun_info(DAILY_3AM, at(20, 1), None, False, None, now=at(10, 12))

    assert info == DagRunInfo(at(20, 3), at(20, 3), at(21, 3), at(21, 3))


def test_no_catchup_after_a_recent_run_moves_to_the_next_interval() -> None:
    info = next_dagrun_info(DAILY_3AM, JAN_1, None, False, at(9, 3), now=at(10, 12))

    assert info is not None
    assert info.logical_date == at(10, 3)
    assert info.create_after == at(11, 3)


def test_no_catchup_skips_missed_intervals_after_an_old_run() -> None:
    info = next_dagrun_info(DAILY_3AM, JAN_1, None, False, at(1, 3), now=at(10, 12))

    assert info is not None
    assert info.logical_date == at(9, 3)


def test_catchup_starts_at_the_first_tick_after_start_date() -> None:
    info = next_dagrun_info(DAILY_3AM, datetime(2026, 1, 1, 5, tzinfo=UTC), None, True, None, now=at(10))

    assert info == DagRunInfo(
        datetime(2026, 1, 2, 3, tzinfo=UTC),
        datetime(2026, 1, 2, 3, tzinfo=UTC),
        datetime(2026, 1, 3, 3, tzinfo=UTC),
        datetime(2026, 1, 3, 3, tzinfo=UTC),
    )


def test_catchup_continues_after_the_last_run() -> None:
    info = next_dagrun_info(DAILY_3AM, JAN_1, None, True, datetime(2026, 1, 5, 3, tzinfo=UTC), now=at(10))

    assert info is not None
    assert info.logical_date == datetime(2026, 1, 6, 3, tzinfo=UTC)


def test_start_date_on_a_tick_is_the_first_logical_date() -> None:
    info = next_dagrun_info(PresetSchedule("@daily"), JAN_1, None, True, None, now=at(10))

    assert info is not None
    assert info.logical_date == JAN_1


def test_end_date_stops_the_schedule() -> None:
    end = datetime(2026, 1, 5, 12, tzinfo=UTC)

    last_allowed = next_dagrun_info(
        DAILY_3AM, JAN_1, end, True, datetime(2026, 1, 4, 3, tzinfo=UTC), now=at(10)
    )
    assert last_allowed is not None
    assert last_allowed.logical_date == datetime(2026, 1, 5, 3, tzinfo=UTC)
    assert (
        next_dagrun_info(DAILY_3AM, JAN_1, end, True, datetime(2026, 1, 5, 3, tzinfo=UTC), now=at(10)) is None
    )
    assert next_dagrun_info(DAILY_3AM, JAN_1, end, False, None, now=at(10)) is None


def test_naive_and_offset_inputs_are_treated_as_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    info = next_dagrun_info(
        {"cron": "0 3 * * *"},
        datetime(2026, 1, 1),
        None,
        False,
        None,
        now=datetime(2026, 3, 10, 14, 30, tzinfo=plus_two),
    )

    assert info is not None
    assert info.logical_date == at(9, 3)
    assert info.logical_date.tzinfo is not None
    assert info.logical_date.utcoffset() == timedelta(0)


def test_once_runs_at_start_date_only_if_never_run() -> None:
    once = PresetSchedule("@once")

    assert next_dagrun_info(once, JAN_1, None, False, None, now=at(10)) == DagRunInfo(
        JAN_1, JAN_1, JAN_1, JAN_1
    )
    assert next_dagrun_info(once, JAN_1, None, False, JAN_1, now=at(10)) is None
    assert next_dagrun_info(once, None, None, False, None, now=at(10)) is None


@pytest.mark.parametrize("schedule", [None, DatasetSchedule(("s3://a",))])
def test_unscheduled_dags_have_no_next_run(schedule: Schedule | None) -> None:
    assert next_dagrun_info(schedule, JAN_1, None, True, None, now=at(10)) is None


@pytest.mark.parametrize(
    ("schedule", "logical_date", "expected"),
    [
        (DAILY_3AM, at(10, 12), (at(9, 3), at(10, 3))),
        (DAILY_3AM, at(10, 3), (at(9, 3), at(10, 3))),
        (DAILY_3AM, at(10, 2, 59), (at(8, 3), at(9, 3))),
        (PresetSchedule("@hourly"), at(10, 12, 30), (at(10, 11), at(10, 12))),
        (PresetSchedule("@once"), at(10, 12, 30), (at(10, 12, 30), at(10, 12, 30))),
        (None, at(10, 12, 30), (at(10, 12, 30), at(10, 12, 30))),
        (DatasetSchedule(("s3://a",)), at(10, 12, 30), (at(10, 12, 30), at(10, 12, 30))),
        ({"cron": "*/15 * * * *"}, at(10, 12, 40), (at(10, 12, 15), at(10, 12, 30))),
    ],
)
def test_infer_manual_data_interval(
    schedule: Schedule | dict[str, Any] | None, logical_date: datetime, expected: tuple[datetime, datetime]
) -> None:
    assert infer_manual_data_interval(schedule, logical_date) == expected
