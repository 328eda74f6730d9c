"""Schedules: what a DAG file may say, how Airflow 2 shows it, and when the next run is due.

Everything here is pure, so the API can use it too (triggering a run, serializing a DAG). Functions accept a
:data:`Schedule` or the JSON shape stored in ``Dag.schedule`` (``{"cron": ...}``, ``{"preset": ...}``,
``{"datasets": [...]}`` or null). All datetimes are aware UTC.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from cron_descriptor import CasingTypeEnum, ExpressionDescriptor, FormatException, MissingFieldException
from croniter import CroniterBadCronError, croniter

from orchestrator_api.timeutil import as_utc

ONCE = "@once"
# Presets other than @once are plain cron expressions, as in Airflow.
PRESET_CRON: dict[str, str] = {
    "@hourly": "0 * * * *",
    "@daily": "0 0 * * *",
    "@weekly": "0 0 * * 0",
    "@monthly": "0 0 1 * *",
    "@yearly": "0 0 1 1 *",
}
PRESETS: tuple[str, ...] = (ONCE, *PRESET_CRON)
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True)
class CronSchedule:
    """A five-field cron expression, whitespace-normalised."""

    expression: str


@dataclass(frozen=True)
class PresetSchedule:
    """One of :data:`PRESETS`."""

    name: str


@dataclass(frozen=True)
class DatasetSchedule:
    """Run when every listed dataset has been updated."""

    uris: tuple[str, ...]


@dataclass(frozen=True)
class IntervalSchedule:
    """Every ``seconds`` (Airflow's timedelta schedule): intervals follow each other from ``start_date``."""

    seconds: float

    @property
    def delta(self) -> timedelta:
        return timedelta(seconds=self.seconds)


Schedule = CronSchedule | PresetSchedule | DatasetSchedule | IntervalSchedule
ScheduleLike = Schedule | Mapping[str, Any] | None


class DagRunInfo(NamedTuple):
    """When a run is due: its logical date (= data interval start) and when it may be created."""

    logical_date: datetime
    data_interval_start: datetime
    data_interval_end: datetime
    create_after: datetime


def schedule_to_json(schedule: Schedule | None) -> dict[str, Any] | None:
    """The shape stored in ``Dag.schedule``."""
    if isinstance(schedule, CronSchedule):
        return {"cron": schedule.expression}
    if isinstance(schedule, PresetSchedule):
        return {"preset": schedule.name}
    if isinstance(schedule, DatasetSchedule):
        return {"datasets": list(schedule.uris)}
    if isinstance(schedule, IntervalSchedule):
        return {"every": schedule.seconds}
    return None


def schedule_from_json(value: ScheduleLike) -> Schedule | None:
    """The schedule for a stored ``Dag.schedule`` value (a :data:`Schedule` is returned unchanged)."""
    if value is None or isinstance(value, CronSchedule | PresetSchedule | DatasetSchedule | IntervalSchedule):
        return value
    if "every" in value:
        return IntervalSchedule(float(value["every"]))
    if "cron" in value:
        return CronSchedule(str(value["cron"]))
    if "preset" in value:
        return PresetSchedule(str(value["preset"]))
    if "datasets" in value:
        return DatasetSchedule(tuple(str(uri) for uri in value["datasets"]))
    raise ValueError(f"not a stored schedule: {dict(value)!r}")


def cron_expression(schedule: ScheduleLike) -> str | None:
    """The cron expression that drives ``schedule``, or None when it is not time-based (or is @once)."""
    resolved = schedule_from_json(schedule)
    if isinstance(resolved, CronSchedule):
        return resolved.expression
    if isinstance(resolved, PresetSchedule):
        return PRESET_CRON.get(resolved.name)
    return None


DATASET_SCHEDULE_SUMMARY = "Dataset"
"""What Airflow stores as the ``schedule_interval`` of a DAG scheduled on datasets."""


def schedule_interval(schedule: ScheduleLike) -> dict[str, Any] | None:
    """Airflow's ``schedule_interval`` wire shape: a ``CronExpression``, or None for manual-only DAGs.

    Its value is the cron expression or preset as written (``@once`` included); a DAG scheduled on
    datasets shows ``Dataset``, as Airflow does.
    """
    resolved = schedule_from_json(schedule)
    if isinstance(resolved, CronSchedule):
        value = resolved.expression
    elif isinstance(resolved, PresetSchedule):
        value = resolved.name
    elif isinstance(resolved, DatasetSchedule):
        value = DATASET_SCHEDULE_SUMMARY
    elif isinstance(resolved, IntervalSchedule):
        delta = resolved.delta
        return {
            "__type": "TimeDelta",
            "days": delta.days,
            "seconds": delta.seconds,
            "microseconds": delta.microseconds,
        }
    else:
        return None
    return {"__type": "CronExpression", "value": value}


def timetable_description(schedule: ScheduleLike) -> str:
    """A sentence describing ``schedule`` the way Airflow's UI does ("At 03:00", "Every hour", ...)."""
    resolved = schedule_from_json(schedule)
    if resolved is None:
        return "Never, external triggers only"
    if isinstance(resolved, DatasetSchedule):
        return "Triggered by datasets"
    if isinstance(resolved, IntervalSchedule):
        return f"Every {resolved.delta}"
    if isinstance(resolved, PresetSchedule) and resolved.name == ONCE:
        return "Once, as soon as possible"
    expression = cron_expression(resolved)
    assert expression is not None  # every other preset maps to cron
    return describe_cron(expression)


@functools.lru_cache(maxsize=1024)
def describe_cron(expression: str) -> str:
    """Airflow's description of a cron expression: cron-descriptor with the options Airflow passes.

    Sentence casing and a 24-hour clock, as Airflow 2.10's cron timetables ask for; an expression
    croniter reads with more than five fields, or one either library refuses, is described as ``""``, as
    in Airflow. Cached: the same few expressions are described on every DAG listing.
    """
    try:
        descriptor = ExpressionDescriptor(
            expression=expression, casing_type=CasingTypeEnum.Sentence, use_24hour_time_format=True
        )
        if len(croniter(expression).expanded) > 5:
            return ""
        description: str = descriptor.get_description()
    except (CroniterBadCronError, FormatException, MissingFieldException):
        return ""
    return description


def next_tick(expression: str, moment: datetime) -> datetime:
    """The first tick of ``expression`` strictly after ``moment``."""
    result: datetime = croniter(expression, as_utc(moment)).get_next(datetime)
    return as_utc(result)


def previous_tick(expression: str, moment: datetime) -> datetime:
    """The last tick of ``expression`` strictly before ``moment``."""
    result: datetime = croniter(expression, as_utc(moment)).get_prev(datetime)
    return as_utc(result)


def next_dagrun_info(
    schedule: ScheduleLike,
    start_date: datetime | None,
    end_date: datetime | None,
    catchup: bool,
    last_logical_date: datetime | None,
    now: datetime,
) -> DagRunInfo | None:
    """The next scheduled run after ``last_logical_date`` (the latest scheduled run), or None.

    Airflow 2's cron semantics: a run's logical date is the start of its data interval and the run is
    created once the interval has ended. Without catchup the next run is the latest complete interval
    (never before ``start_date``); with catchup it is the first interval after the last run, or the first
    interval starting at or after ``start_date``. Runs starting after ``end_date`` are never due.
    """
    resolved = schedule_from_json(schedule)
    if isinstance(resolved, PresetSchedule) and resolved.name == ONCE:
        return _once_info(start_date, end_date, last_logical_date)
    if isinstance(resolved, IntervalSchedule):
        return _interval_info(resolved.delta, start_date, end_date, catchup, last_logical_date, now)
    expression = cron_expression(resolved)
    if expression is None:
        return None
    earliest = None if start_date is None else next_tick(expression, as_utc(start_date) - _TICK)
    if not catchup:
        latest_end = previous_tick(expression, as_utc(now) + _TICK)
        latest_complete = previous_tick(expression, latest_end)
        earliest = latest_complete if earliest is None else max(earliest, latest_complete)
    if last_logical_date is None:
        if earliest is None:
            return None
        start = earliest
    else:
        after_last = next_tick(expression, as_utc(last_logical_date))
        start = after_last if earliest is None else max(after_last, earliest)
    if end_date is not None and start > as_utc(end_date):
        return None
    end = next_tick(expression, start)
    return DagRunInfo(start, start, end, end)


def _interval_info(
    delta: timedelta,
    start_date: datetime | None,
    end_date: datetime | None,
    catchup: bool,
    last_logical_date: datetime | None,
    now: datetime,
) -> DagRunInfo | None:
    """Airflow's timedelta timetable: the first interval starts at ``start_date``, each next one where the
    last ended; without catchup, no earlier than one interval before now."""
    if last_logical_date is None:
        if start_date is None:
            return None
        start = as_utc(start_date)
    else:
        start = as_utc(last_logical_date) + delta
    if not catchup:
        start = max(start, as_utc(now) - delta)
    if end_date is not None and start > as_utc(end_date):
        return None
    return DagRunInfo(start, start, start + delta, start + delta)


def _once_info(
    start_date: datetime | None, end_date: datetime | None, last_logical_date: datetime | None
) -> DagRunInfo | None:
    if last_logical_date is not None or start_date is None:
        return None
    start = as_utc(start_date)
    if end_date is not None and start > as_utc(end_date):
        return None
    return DagRunInfo(start, start, start, start)


def infer_manual_data_interval(schedule: ScheduleLike, logical_date: datetime) -> tuple[datetime, datetime]:
    """The data interval of a manually triggered run at ``logical_date``.

    For cron schedules it is the interval ending at the latest tick at or before ``logical_date``, as in
    Airflow 2; otherwise it is empty, starting and ending at ``logical_date``.
    """
    moment = as_utc(logical_date)
    resolved = schedule_from_json(schedule)
    if isinstance(resolved, IntervalSchedule):
        return moment - resolved.delta, moment
    expression = cron_expression(schedule)
    if expression is None:
        return moment, moment
    end = previous_tick(expression, moment + _TICK)
    return previous_tick(expression, end), end
