"""Parse one YAML DAG file into a :class:`DagSpec`, or raise a :class:`DagFileError` saying what and where."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

from croniter import croniter

from orchestrator_api.dags.errors import DagFileError
from orchestrator_api.dags.fields import FieldReader, describe_value
from orchestrator_api.dags.graph import find_cycle
from orchestrator_api.dags.schedule import (
    PRESETS,
    CronSchedule,
    DatasetSchedule,
    IntervalSchedule,
    PresetSchedule,
    Schedule,
    next_tick,
)
from orchestrator_api.dags.spec import DEFAULT_OWNER, DagSpec, TaskSpec
from orchestrator_api.dags.task_fields import DEFAULT_ARG_KEYS, TASK_KEYS, dataset_uris, read_task
from orchestrator_api.dags.yaml_lines import load_yaml
from orchestrator_api.timeutil import utcnow

DAG_KEYS = frozenset(
    {
        "dag_id",
        "dag_display_name",
        "description",
        "schedule",
        "start_date",
        "end_date",
        "catchup",
        "is_paused_upon_creation",
        "max_active_runs",
        "max_active_tasks",
        "max_consecutive_failed_dag_runs",
        "dagrun_timeout",
        "tags",
        "owner",
        "params",
        "doc_md",
        "default_args",
        "tasks",
    }
)


def parse_file(path: Path) -> DagSpec:
    """Read and parse ``path`` (UTF-8); the error's filename is the path as given."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DagFileError(str(path), None, f"cannot read file: {error}") from None
    return parse_text(text, str(path))


def parse_text(text: str, filename: str) -> DagSpec:
    """Parse the YAML ``text`` of a DAG file; ``filename`` is only used in the spec and in errors."""
    doc = load_yaml(text, filename)
    if not isinstance(doc.data, dict):
        got = "an empty file" if doc.data is None else describe_value(doc.data)
        raise DagFileError(filename, doc.line(), f"expected a mapping with dag_id and tasks, got {got}")
    top = FieldReader(doc, filename, (), doc.data, DAG_KEYS)
    dag_id = top.identifier("dag_id")
    schedule = _schedule(top)
    start_date, end_date = top.timestamp("start_date"), top.timestamp("end_date")
    if start_date is not None and end_date is not None and start_date >= end_date:
        raise top.error("end_date", "must be after start_date")
    if start_date is None and isinstance(schedule, CronSchedule | PresetSchedule):
        raise top.error("schedule", "a time-based schedule needs a start_date")
    owner = top.text("owner", max_length=500)
    tasks = _tasks(top, top.nested("default_args", DEFAULT_ARG_KEYS), owner or DEFAULT_OWNER)
    return DagSpec(
        dag_id=dag_id,
        filename=filename,
        tasks=tasks,
        line=doc.line("dag_id"),
        dag_display_name=top.text("dag_display_name"),
        description=top.text("description", max_length=100_000, allow_empty=True),
        schedule=schedule,
        start_date=start_date,
        end_date=end_date,
        catchup=top.boolean("catchup", False),
        is_paused_upon_creation=top.optional_boolean("is_paused_upon_creation"),
        max_active_runs=top.integer("max_active_runs", 16, minimum=1),
        max_active_tasks=top.integer("max_active_tasks", 16, minimum=1),
        max_consecutive_failed_dag_runs=top.integer("max_consecutive_failed_dag_runs", 0, minimum=0),
        dagrun_timeout=top.seconds("dagrun_timeout", positive=True),
        tags=tuple(top.string_list("tags", max_length=100)),
        owner=owner,
        params=_json_object(top, "params"),
        doc_md=top.text("doc_md", max_length=1_000_000, allow_empty=True),
    )


def _schedule(top: FieldReader) -> Schedule | None:
    value = top.get("schedule")
    if value is None:
        return None
    if isinstance(value, dict) and "every" in value:
        every = top.nested("schedule", {"every"}).seconds("every", positive=True)
        assert every is not None
        return IntervalSchedule(every)
    if isinstance(value, dict):
        datasets = top.nested("schedule", {"datasets"})
        uris = dataset_uris(datasets, "datasets")
        if not uris:
            raise top.error("schedule", "datasets must list at least one dataset URI")
        return DatasetSchedule(tuple(uris))
    if not isinstance(value, str):
        raise top.error(
            "schedule", f"expected a cron expression, a preset or null; got {describe_value(value)}"
        )
    text = " ".join(value.split())
    if text.startswith("@"):
        if text not in PRESETS:
            raise top.error("schedule", f"unknown preset; expected one of {', '.join(PRESETS)}")
        return PresetSchedule(text)
    fields = text.split(" ")
    if len(fields) != 5:
        raise top.error(
            "schedule",
            f"the cron expression has {len(fields)} fields; expected 5 "
            "(minute hour day-of-month month day-of-week)",
        )
    if not croniter.is_valid(text):
        raise top.error("schedule", "invalid cron expression")
    try:
        next_tick(text, utcnow())
    except ValueError:  # croniter's "no match for decades", e.g. 30 February
        raise top.error("schedule", "the cron expression never matches a date") from None
    return CronSchedule(text)


def _tasks(top: FieldReader, defaults: FieldReader, dag_owner: str) -> tuple[TaskSpec, ...]:
    raw_tasks = top.get("tasks")
    if raw_tasks is None:
        raise top.error("tasks", "is required (a list of tasks)")
    if not isinstance(raw_tasks, list):
        raise top.error("tasks", f"expected a list of tasks, got {describe_value(raw_tasks)}")
    tasks: list[TaskSpec] = []
    first_line: dict[str, int | None] = {}
    for index, raw in enumerate(raw_tasks):
        if not isinstance(raw, dict):
            raise top.error("tasks", f"expected a mapping, got {describe_value(raw)}", index)
        reader = FieldReader(top.doc, top.filename, ("tasks", index), raw, TASK_KEYS)
        task = read_task(reader, defaults, dag_owner)
        if task.task_id in first_line:
            where = first_line[task.task_id]
            raise reader.error("task_id", f"duplicate task_id {task.task_id!r} (first on line {where})")
        first_line[task.task_id] = task.line
        tasks.append(task)
    _check_graph(top, tasks)
    return tuple(tasks)


def _check_graph(top: FieldReader, tasks: list[TaskSpec]) -> None:
    known = {task.task_id for task in tasks}
    for index, task in enumerate(tasks):
        for position, upstream_id in enumerate(task.upstream):
            if upstream_id not in known:
                reader = FieldReader(top.doc, top.filename, ("tasks", index), {}, ())
                raise reader.error("upstream", f"unknown task_id {upstream_id!r}", position)
    cycle = find_cycle({task.task_id: task.upstream for task in tasks})
    if cycle is not None:
        line = next(task.line for task in tasks if task.task_id == cycle[0])
        raise DagFileError(top.filename, line, f"tasks: dependency cycle {' -> '.join(cycle)}")


def _json_object(top: FieldReader, key: str) -> dict[str, Any]:
    value = top.mapping(key)
    return {} if value is None else _to_json(top, key, value, ())


def _to_json(top: FieldReader, key: str, value: Any, sub: tuple[str | int, ...]) -> Any:
    if isinstance(value, dict):
        result: dict[str, Any] = {}
        for name, item in value.items():
            if not isinstance(name, str):
                raise top.error(key, f"keys must be strings, got {describe_value(name)}", *sub)
            result[name] = _to_json(top, key, item, (*sub, name))
        return result
    if isinstance(value, list):
        return [_to_json(top, key, item, (*sub, index)) for index, item in enumerate(value)]
    if isinstance(value, date):
        # YAML turns unquoted dates into date objects; JSON columns need text, and ISO text round-trips.
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise top.error(key, "must not contain NaN or infinity", *sub)
    if value is None or isinstance(value, str | int | float):
        return value
    raise top.error(key, f"unsupported value {describe_value(value)}", *sub)
