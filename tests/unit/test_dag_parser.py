"""Parsing and validating YAML DAG files (pure: no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from orchestrator_api.dags import (
    CronSchedule,
    DagFileError,
    DatasetSchedule,
    PresetSchedule,
    parse_file,
    parse_text,
)

FULL = """\
dag_id: etl_daily
dag_display_name: ETL
description: Nightly ETL
schedule: "0  3 * * *"
start_date: 2026-01-01T00:00:00Z
end_date: 2027-01-01T00:00:00Z
catchup: true
is_paused_upon_creation: true
max_active_runs: 2
max_active_tasks: 4
max_consecutive_failed_dag_runs: 3
dagrun_timeout: 3600
tags: [etl, daily, etl]
owner: data-eng
params: {env: staging, since: 2026-01-01, nested: {items: [1, 2.5, true, null]}}
doc_md: "# ETL"
default_args: {retries: 1, retry_delay: 60, queue: fast, pool: etl_pool, owner: defaults-owner}
tasks:
  - task_id: extract
    operator: airflow.operators.bash.BashOperator
    outlets: ["s3://bucket/raw"]
    template_fields: [bash_command]
  - task_id: transform
    task_display_name: Transform it
    operator: PythonOperator
    upstream: [extract, extract]
    retries: 5
    owner: alice
    expand: 3
    trigger_rule: none_failed
    weight_rule: absolute
    extra_links: {Logs: "https://logs/{dag_id}/{task_id}/{run_id}/{map_index}/{try_number}"}
  - task_id: load
    operator: PostgresOperator
    upstream: [transform, extract]
    execution_timeout: 90.5
    owner: null
"""

MINIMAL = """\
dag_id: minimal
tasks:
  - task_id: only
    operator: EmptyOperator
"""


def test_full_file_is_parsed_with_defaults_applied() -> None:
    spec = parse_text(FULL, "dags/etl.yaml")

    assert spec.dag_id == "etl_daily"
    assert spec.filename == "dags/etl.yaml"
    assert spec.line == 1
    assert spec.schedule == CronSchedule("0 3 * * *")  # whitespace normalised
    assert spec.start_date == datetime(2026, 1, 1, tzinfo=UTC)
    assert spec.end_date == datetime(2027, 1, 1, tzinfo=UTC)
    assert spec.catchup is True
    assert spec.is_paused_upon_creation is True
    assert (spec.max_active_runs, spec.max_active_tasks, spec.max_consecutive_failed_dag_runs) == (2, 4, 3)
    assert spec.dagrun_timeout == 3600.0
    assert spec.tags == ("etl", "daily")
    assert spec.params == {"env": "staging", "since": "2026-01-01", "nested": {"items": [1, 2.5, True, None]}}
    extract, transform, load = spec.tasks
    assert (extract.operator_class, extract.operator_module) == ("BashOperator", "airflow.operators.bash")
    assert (transform.operator_class, transform.operator_module) == ("PythonOperator", "")
    assert extract.retries == 1
    assert transform.retries == 5
    assert extract.retry_delay == 60.0
    assert extract.queue == "fast"
    assert extract.pool == "etl_pool"
    assert [extract.owner, transform.owner, load.owner] == ["defaults-owner", "alice", "defaults-owner"]
    assert transform.upstream == ("extract",)
    assert transform.expand == 3
    assert extract.expand is None
    assert (transform.trigger_rule, transform.weight_rule) == ("none_failed", "absolute")
    assert load.trigger_rule == "all_success"
    assert load.execution_timeout == 90.5
    assert transform.extra_links["Logs"].startswith("https://logs/{dag_id}")
    assert extract.template_fields == ("bash_command",)
    assert spec.owners == ["alice", "defaults-owner"]
    assert spec.downstream == {"extract": ["transform", "load"], "transform": ["load"], "load": []}
    assert spec.dataset_uris == ["s3://bucket/raw"]
    assert [task.line for task in spec.tasks] == [19, 23, 33]


def test_minimal_file_gets_the_documented_defaults() -> None:
    spec = parse_text(MINIMAL, "m.yaml")

    assert spec.schedule is None
    assert spec.catchup is False
    assert spec.is_paused_upon_creation is None
    assert (spec.max_active_runs, spec.max_active_tasks) == (16, 16)
    task = spec.tasks[0]
    assert (task.owner, task.pool, task.queue, task.retries, task.retry_delay) == (
        "airflow",
        "default_pool",
        "default",
        0,
        300.0,
    )
    assert (task.weight_rule, task.trigger_rule, task.priority_weight, task.pool_slots) == (
        "downstream",
        "all_success",
        1,
        1,
    )


def test_dag_owner_is_the_default_task_owner() -> None:
    spec = parse_text(MINIMAL + "owner: team-a\n", "m.yaml")

    assert spec.tasks[0].owner == "team-a"


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ('"@daily"', PresetSchedule("@daily")),
        ('"@once"', PresetSchedule("@once")),
        ("'*/15 * * * *'", CronSchedule("*/15 * * * *")),
        ("null", None),
        ("{datasets: [s3://a, 'db://b/c', s3://a]}", DatasetSchedule(("s3://a", "db://b/c"))),
    ],
)
def test_schedule_forms(schedule: str, expected: object) -> None:
    text = MINIMAL + f"schedule: {schedule}\nstart_date: 2026-01-01\n"

    assert parse_text(text, "m.yaml").schedule == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-01", datetime(2026, 1, 1, tzinfo=UTC)),
        ("2026-01-01 05:00:00", datetime(2026, 1, 1, 5, tzinfo=UTC)),
        ("2026-01-01T05:00:00+02:00", datetime(2026, 1, 1, 3, tzinfo=UTC)),
        ("'2026-01-01T05:00:00Z'", datetime(2026, 1, 1, 5, tzinfo=UTC)),
        ("'2026-01-01T05:00:00-01:00'", datetime(2026, 1, 1, 6, tzinfo=UTC)),
    ],
)
def test_start_date_forms_become_aware_utc(value: str, expected: datetime) -> None:
    start = parse_text(MINIMAL + f"start_date: {value}\n", "m.yaml").start_date

    assert start == expected
    assert start is not None
    assert start.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("dag_id: etl_daily", "dag_id: etl daily!", 1, "dag_id: must be 1-250 letters"),
        ("dag_id: etl_daily\n", "", 1, "dag_id: is required"),
        ("tags: [etl, daily, etl]", "tagz: [etl]", 13, "unknown key 'tagz' (did you mean 'tags'?)"),
        ("    retries: 5", "    retires: 5", 27, "tasks[1]: unknown key 'retires'"),
        ("{retries: 1,", "{retries: 1, colour: red,", 17, "default_args: unknown key 'colour'"),
        ('"0  3 * * *"', '"0 3 * *"', 4, "has 4 fields; expected 5"),
        ('"0  3 * * *"', '"0 3 * * * *"', 4, "has 6 fields"),
        ('"0  3 * * *"', '"61 3 * * *"', 4, "invalid cron expression"),
        ('"0  3 * * *"', '"0 0 30 2 *"', 4, "never matches"),
        ('"0  3 * * *"', '"@fortnightly"', 4, "unknown preset"),
        ('"0  3 * * *"', "@daily", 4, 'quote schedule presets, e.g. schedule: "@daily"'),
        ('"0  3 * * *"', "42", 4, "schedule: expected a cron expression, a preset or null"),
        ('"0  3 * * *"', "{datasets: []}", 4, "at least one dataset URI"),
        (
            '"0  3 * * *"',
            "{datasets: ['s3://a b']}",
            4,
            "schedule.datasets[0]: dataset URI must not contain whitespace",
        ),
        ('"0  3 * * *"', "{uris: [a]}", 4, "schedule: unknown key 'uris'"),
        (
            'outlets: ["s3://bucket/raw"]',
            'outlets: [""]',
            21,
            "tasks[0].outlets[0]: expected a non-empty string",
        ),
        (
            "end_date: 2027-01-01T00:00:00Z",
            "end_date: 2025-01-01T00:00:00Z",
            6,
            "end_date: must be after start_date",
        ),
        ("start_date: 2026-01-01T00:00:00Z\n", "", 4, "a time-based schedule needs a start_date"),
        ("start_date: 2026-01-01T00:00:00Z", "start_date: yesterday", 5, "expected an RFC 3339 timestamp"),
        (
            "max_active_runs: 2",
            "max_active_runs: 0",
            9,
            "max_active_runs: expected an integer >= 1, got a smaller one",
        ),
        ("max_active_runs: 2", "max_active_runs: true", 9, "expected an integer >= 1, got a boolean"),
        ("max_active_runs: 2", "max_active_runs: 51978672213017", 9, "up to 2147483647, got a larger one"),
        (
            "dagrun_timeout: 3600",
            "dagrun_timeout: -5",
            12,
            "dagrun_timeout: expected a number of seconds > 0",
        ),
        ("catchup: true", "catchup: maybe", 7, "catchup: expected true or false"),
        ("expand: 3", "expand: 0", 29, "tasks[1].expand: expected an integer >= 1, got a smaller one"),
        (
            "trigger_rule: none_failed",
            "trigger_rule: sometimes",
            30,
            "tasks[1].trigger_rule: expected one of",
        ),
        ("weight_rule: absolute", "weight_rule: heavy", 31, "tasks[1].weight_rule: expected one of"),
        ("operator: PythonOperator", "operator: not a class", 25, "tasks[1].operator: expected a class name"),
        ("    operator: PythonOperator\n", "", 23, "tasks[1].operator: is required"),
        ("task_id: load", "task_id: extract", 33, "duplicate task_id 'extract' (first on line 19)"),
        (
            "upstream: [transform, extract]",
            "upstream: [transform, nope]",
            35,
            "tasks[2].upstream[1]: unknown task_id 'nope'",
        ),
        ("{run_id}/", "{run}/", 32, "tasks[1].extra_links.Logs: unknown placeholder {run}"),
        ("{run_id}/", "{run_id/", 32, "tasks[1].extra_links.Logs: malformed URL template"),
        ("    owner: alice", "    owner: alice\n    owner: bob", 29, "duplicate key 'owner'"),
        ("params: {env: staging,", "params: {1: x, env: staging,", 15, "params: keys must be strings"),
        ("tags: [etl, daily, etl]", "tags: etl", 13, "tags: expected a list, got a string"),
        ("  - task_id: load", "  - just a string\n  - task_id: load", 33, "tasks[2]: expected a mapping"),
    ],
)
def test_invalid_files_name_the_file_line_and_problem(old: str, new: str, line: int, message: str) -> None:
    assert old in FULL
    with pytest.raises(DagFileError) as caught:
        parse_text(FULL.replace(old, new, 1), "dags/etl.yaml")

    error = caught.value
    assert (error.filename, error.line) == ("dags/etl.yaml", line)
    assert message in error.message
    assert str(error).startswith(f"dags/etl.yaml:{line}: ")
    assert "\n" not in str(error)


def test_cycle_is_named_in_run_order() -> None:
    text = FULL.replace(
        "    operator: airflow.operators.bash.BashOperator", "    operator: X\n    upstream: [load]"
    )

    with pytest.raises(DagFileError, match=r"dependency cycle extract -> transform -> load -> extract"):
        parse_text(text, "c.yaml")


def test_self_dependency_is_a_cycle() -> None:
    with pytest.raises(DagFileError, match=r"dependency cycle only -> only"):
        parse_text(MINIMAL + "    upstream: [only]\n", "c.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "got an empty file"),
        ("- a\n- b\n", "expected a mapping with dag_id and tasks"),
        ("dag_id: x\n", "tasks: is required"),
        ("dag_id: x\ntasks: {a: 1}\n", "tasks: expected a list of tasks"),
        ("dag_id: x\ntasks: []\n---\ndag_id: y\n", "expected a single document"),
        ("dag_id: [unclosed\n", "invalid YAML"),
    ],
)
def test_structural_errors(text: str, message: str) -> None:
    with pytest.raises(DagFileError, match=message):
        parse_text(text, "s.yaml")


def test_parse_file_reports_the_path(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(
        "dag_id: ok\ntasks:\n  - task_id: a\n    operator: X\n    pool_slots: 0\n", encoding="utf-8"
    )

    with pytest.raises(DagFileError) as caught:
        parse_file(path)

    assert str(caught.value) == f"{path}:5: tasks[0].pool_slots: expected an integer >= 1, got a smaller one"


def test_parse_file_rejects_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"dag_id: caf\xe9\n")

    with pytest.raises(DagFileError, match="cannot read file"):
        parse_file(path)
