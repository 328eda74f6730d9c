"""Syncing YAML DAG folders into a real (SQLite file) metadata store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from orchestrator_api.dags import (
    DagFolderError,
    SyncReport,
    file_token,
    fileloc_from_token,
    find_dag_files,
    sync_dags,
    sync_file,
)
from orchestrator_api.db import make_engine
from orchestrator_api.models import (
    Base,
    Dag,
    DagCode,
    DagImportError,
    DagRun,
    DagScheduleDatasetReference,
    DagWarning,
    Dataset,
    Job,
    Pool,
    Task,
    TaskOutletDatasetReference,
)
from orchestrator_api.models.organization import Organization
from orchestrator_api.tenancy.context import DEFAULT_ORGANIZATION_ID

NOW = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "dags"


def dag_yaml(dag_id: str, *, header: str = "", tasks: str | None = None) -> str:
    default_tasks = """\
  - task_id: extract
    operator: airflow.operators.bash.BashOperator
  - task_id: load
    operator: PythonOperator
    upstream: [extract]
"""
    return f"dag_id: {dag_id}\n{header}tasks:\n{default_tasks if tasks is None else tasks}"


def make_store(path: Path) -> Engine:
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        # What migration 0007 creates: every row belongs to an organization, the default one here.
        session.add(Organization(id=DEFAULT_ORGANIZATION_ID, org_id="default", name="Default"))
        session.add(Pool(pool="default_pool", slots=128))
    return engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_store(tmp_path / "store.db")
    yield engine
    engine.dispose()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "dags"
    path.mkdir()
    return path.resolve()


def sync(engine: Engine, folder: Path, now: datetime = NOW) -> SyncReport:
    with Session(engine) as session, session.begin():
        return sync_dags(session, folder, now=now)


def read(engine: Engine, statement: Any) -> list[Any]:
    with Session(engine) as session:
        return list(session.scalars(statement))


def get_dag(engine: Engine, dag_id: str) -> Dag:
    with Session(engine, expire_on_commit=False) as session:
        dag = session.get(Dag, (DEFAULT_ORGANIZATION_ID, dag_id))
        assert dag is not None, dag_id
        _ = dag.tasks, dag.tags  # load while the session is open
        return dag


def test_valid_files_become_dags_tasks_and_code(engine: Engine, folder: Path) -> None:
    header = (
        'schedule: "0 3 * * *"\nstart_date: 2026-01-01T00:00:00Z\ntags: [etl, daily]\nowner: data-eng\n'
        "params: {env: staging}\ndagrun_timeout: 600\nmax_active_runs: 2\n"
    )
    text = dag_yaml("etl", header=header)
    (folder / "etl.yaml").write_text(text, encoding="utf-8")
    (folder / "nested").mkdir()
    (folder / "nested" / "manual.yml").write_text(dag_yaml("manual"), encoding="utf-8")

    report = sync(engine, folder)

    assert (report.added, report.updated, report.deactivated, report.import_errors) == (
        ["etl", "manual"],
        [],
        [],
        [],
    )
    dag = get_dag(engine, "etl")
    assert dag.fileloc == str(folder / "etl.yaml")
    assert (dag.is_active, dag.is_paused, dag.has_import_errors) == (True, False, False)
    assert dag.owners == "data-eng"
    assert dag.schedule == {"cron": "0 3 * * *"}
    assert dag.schedule_interval == {"__type": "CronExpression", "value": "0 3 * * *"}
    assert dag.timetable_description == "At 03:00"
    assert (dag.params, dag.dag_run_timeout_seconds, dag.max_active_runs) == ({"env": "staging"}, 600.0, 2)
    assert dag.last_parsed_time == NOW
    assert [tag.name for tag in dag.tags] == ["daily", "etl"]
    assert [(t.task_id, t.position, t.operator, t.operator_module) for t in dag.tasks] == [
        ("extract", 0, "BashOperator", "airflow.operators.bash"),
        ("load", 1, "PythonOperator", ""),
    ]
    assert [(t.upstream_task_ids, t.downstream_task_ids) for t in dag.tasks] == [
        ([], ["load"]),
        (["extract"], []),
    ]
    assert dag.tasks[0].start_date == datetime(2026, 1, 1, tzinfo=UTC)
    assert read(engine, select(DagCode.source_code).where(DagCode.fileloc == dag.fileloc)) == [text]
    assert get_dag(engine, "manual").fileloc == str(folder / "nested" / "manual.yml")
    assert get_dag(engine, "manual").timetable_description == "Never, external triggers only"
    jobs = read(engine, select(Job))
    assert [(job.job_type, job.state) for job in jobs] == [("DagSyncJob", "success")]
    assert jobs[0].latest_heartbeat == jobs[0].end_date
    assert jobs[0].hostname


def test_hidden_files_and_other_suffixes_are_skipped(folder: Path) -> None:
    for name in ("a.yaml", "b.yml", ".hidden.yaml", "notes.txt", ".git/c.yaml", "sub/d.yaml", "sub/.e.yml"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("x", encoding="utf-8")

    assert [path.relative_to(folder).as_posix() for path in find_dag_files(folder)] == [
        "a.yaml",
        "b.yml",
        "sub/d.yaml",
    ]


def test_resync_is_idempotent(engine: Engine, folder: Path) -> None:
    (folder / "a.yaml").write_text(dag_yaml("a", header="tags: [x]\n"), encoding="utf-8")
    (folder / "b.yaml").write_text(dag_yaml("b", tasks="  - {task_id: t, operator: X, outlets: [s3://o]}\n"))
    sync(engine, folder)

    report = sync(engine, folder)

    assert (report.added, report.updated, report.deactivated) == ([], [], [])
    assert sorted(report.unchanged) == ["a", "b"]
    assert len(read(engine, select(Task))) == 3
    assert len(read(engine, select(Dataset))) == 1
    assert len(read(engine, select(TaskOutletDatasetReference))) == 1
    assert len(read(engine, select(Job))) == 2


def test_changed_file_updates_tasks_in_place(engine: Engine, folder: Path) -> None:
    path = folder / "a.yaml"
    path.write_text(dag_yaml("a"), encoding="utf-8")
    sync(engine, folder)
    path.write_text(
        dag_yaml("a", tasks="  - {task_id: load, operator: pkg.New, retries: 4}\n"), encoding="utf-8"
    )

    report = sync(engine, folder)

    assert report.updated == ["a"]
    tasks = get_dag(engine, "a").tasks
    assert [(t.task_id, t.operator, t.operator_module, t.retries, t.upstream_task_ids) for t in tasks] == [
        ("load", "New", "pkg", 4, [])
    ]


def test_broken_file_records_an_import_error_and_leaves_dags_alone(engine: Engine, folder: Path) -> None:
    (folder / "good.yaml").write_text(dag_yaml("good"), encoding="utf-8")
    broken = folder / "broken.yaml"
    broken.write_text(dag_yaml("broken"), encoding="utf-8")
    sync(engine, folder)
    broken.write_text(
        "dag_id: broken\ntasks:\n  - task_id: x\n    operator: X\n    retries: lots\n", encoding="utf-8"
    )

    report = sync(engine, folder, now=datetime(2026, 3, 11, tzinfo=UTC))

    assert report.import_errors == [
        (str(broken), f"{broken}:5: tasks[0].retries: expected an integer >= 0, got a string")
    ]
    errors = read(engine, select(DagImportError))
    assert [(error.filename, error.stack_trace) for error in errors] == [tuple(report.import_errors[0])]
    kept = get_dag(engine, "broken")
    assert (kept.is_active, kept.has_import_errors, kept.last_parsed_time) == (True, True, NOW)
    assert [task.task_id for task in kept.tasks] == ["extract", "load"]
    good = get_dag(engine, "good")
    assert (good.has_import_errors, good.is_active) == (False, True)
    assert report.deactivated == []

    broken.write_text(dag_yaml("broken"), encoding="utf-8")
    fixed = sync(engine, folder)
    assert (fixed.import_errors, fixed.updated) == ([], ["broken"])
    assert read(engine, select(DagImportError)) == []
    assert get_dag(engine, "broken").has_import_errors is False


def test_vanished_file_deactivates_its_dag(engine: Engine, folder: Path) -> None:
    (folder / "stay.yaml").write_text(dag_yaml("stay"), encoding="utf-8")
    gone = folder / "gone.yaml"
    gone.write_text(dag_yaml("gone"), encoding="utf-8")
    sync(engine, folder)
    gone.unlink()

    report = sync(engine, folder)

    assert report.deactivated == ["gone"]
    assert get_dag(engine, "gone").is_active is False
    assert get_dag(engine, "stay").is_active is True
    assert len(get_dag(engine, "gone").tasks) == 2  # deactivated, not deleted

    gone.write_text(dag_yaml("gone"), encoding="utf-8")
    back = sync(engine, folder)
    assert back.updated == ["gone"]
    assert get_dag(engine, "gone").is_active is True


def test_renamed_dag_id_deactivates_the_old_one(engine: Engine, folder: Path) -> None:
    path = folder / "a.yaml"
    path.write_text(dag_yaml("old_name"), encoding="utf-8")
    sync(engine, folder)
    path.write_text(dag_yaml("new_name"), encoding="utf-8")

    report = sync(engine, folder)

    assert (report.added, report.deactivated) == (["new_name"], ["old_name"])


def test_duplicate_dag_id_is_an_import_error_naming_both_files(engine: Engine, folder: Path) -> None:
    first, second = folder / "a.yaml", folder / "b.yaml"
    first.write_text(dag_yaml("same"), encoding="utf-8")
    second.write_text(
        "# copy\n" + dag_yaml("same", tasks="  - {task_id: other, operator: X}\n"), encoding="utf-8"
    )

    report = sync(engine, folder)

    assert report.added == ["same"]
    assert [error.filename for error in report.import_errors] == [str(second)]
    message = report.import_errors[0].message
    assert message.startswith(f"{second}:2: ")
    assert str(first) in message
    dag = get_dag(engine, "same")
    assert dag.fileloc == str(first)
    assert [t.task_id for t in dag.tasks] == ["extract", "load"]


def test_existing_owner_keeps_its_dag_against_a_new_duplicate(engine: Engine, folder: Path) -> None:
    owner = folder / "z.yaml"
    owner.write_text(dag_yaml("same"), encoding="utf-8")
    sync(engine, folder)
    (folder / "a.yaml").write_text(dag_yaml("same"), encoding="utf-8")

    report = sync(engine, folder)

    assert [error.filename for error in report.import_errors] == [str(folder / "a.yaml")]
    assert get_dag(engine, "same").fileloc == str(owner)


def test_missing_pool_is_a_warning(engine: Engine, folder: Path) -> None:
    path = folder / "a.yaml"
    path.write_text(dag_yaml("a", header="default_args: {pool: gpu}\n"), encoding="utf-8")

    report = sync(engine, folder)

    assert report.warnings == 1
    warnings = read(engine, select(DagWarning))
    assert [(w.dag_id, w.warning_type) for w in warnings] == [("a", "non-existent pool")]
    assert "'gpu'" in warnings[0].message
    assert "extract, load" in warnings[0].message

    path.write_text(dag_yaml("a"), encoding="utf-8")
    assert sync(engine, folder).warnings == 0
    assert read(engine, select(DagWarning)) == []


def test_is_paused_upon_creation_only_applies_on_creation(engine: Engine, folder: Path) -> None:
    (folder / "paused.yaml").write_text(dag_yaml("paused", header="is_paused_upon_creation: true\n"))
    (folder / "plain.yaml").write_text(dag_yaml("plain"), encoding="utf-8")
    sync(engine, folder)
    assert (get_dag(engine, "paused").is_paused, get_dag(engine, "plain").is_paused) == (True, False)
    with Session(engine) as session, session.begin():
        dag = session.get(Dag, (DEFAULT_ORGANIZATION_ID, "paused"))
        assert dag is not None
        dag.is_paused = False

    sync(engine, folder)

    assert get_dag(engine, "paused").is_paused is False
    assert get_dag(engine, "paused").is_paused_upon_creation is True


def test_dataset_references_and_orphans(engine: Engine, folder: Path) -> None:
    producer = folder / "producer.yaml"
    producer.write_text(
        dag_yaml("producer", tasks="  - {task_id: make, operator: X, outlets: [s3://a, s3://b]}\n")
    )
    consumer = folder / "consumer.yaml"
    consumer.write_text(dag_yaml("consumer", header="schedule: {datasets: [s3://a]}\n"), encoding="utf-8")

    sync(engine, folder)

    assert get_dag(engine, "consumer").dataset_expression == {"all": ["s3://a"]}
    assert get_dag(engine, "consumer").timetable_description == "Triggered by datasets"
    uris = {dataset.id: dataset.uri for dataset in read(engine, select(Dataset))}
    assert sorted(uris.values()) == ["s3://a", "s3://b"]
    outlets = read(engine, select(TaskOutletDatasetReference))
    assert sorted((uris[ref.dataset_id], ref.dag_id, ref.task_id) for ref in outlets) == [
        ("s3://a", "producer", "make"),
        ("s3://b", "producer", "make"),
    ]
    consumers = read(engine, select(DagScheduleDatasetReference))
    assert [(uris[ref.dataset_id], ref.dag_id) for ref in consumers] == [("s3://a", "consumer")]
    assert read(engine, select(Dataset.uri).where(Dataset.is_orphaned)) == []

    producer.write_text(dag_yaml("producer", tasks="  - {task_id: make, operator: X, outlets: [s3://a]}\n"))
    consumer.unlink()
    sync(engine, folder)
    assert read(engine, select(Dataset.uri).where(Dataset.is_orphaned)) == ["s3://b"]
    assert read(engine, select(DagScheduleDatasetReference)) == []

    producer.write_text(dag_yaml("producer", tasks="  - {task_id: make, operator: X, outlets: [s3://b]}\n"))
    sync(engine, folder)
    assert read(engine, select(Dataset.uri).where(Dataset.is_orphaned)) == ["s3://a"]


def test_next_dagrun_for_a_cron_dag(engine: Engine, folder: Path) -> None:
    header = 'schedule: "0 3 * * *"\nstart_date: 2026-01-01T00:00:00Z\n'
    (folder / "a.yaml").write_text(dag_yaml("a", header=header), encoding="utf-8")

    sync(engine, folder)

    dag = get_dag(engine, "a")
    assert (dag.next_dagrun, dag.next_dagrun_data_interval_start) == (at(9, 3), at(9, 3))
    assert (dag.next_dagrun_data_interval_end, dag.next_dagrun_create_after) == (at(10, 3), at(10, 3))

    with Session(engine) as session, session.begin():
        session.add(DagRun(dag_id="a", run_id="scheduled__1", logical_date=at(9, 3), run_type="scheduled"))
        session.add(DagRun(dag_id="a", run_id="manual__1", logical_date=at(10, 9), run_type="manual"))
    sync(engine, folder)
    assert get_dag(engine, "a").next_dagrun == at(10, 3)


def test_sync_file_reparses_one_file(engine: Engine, folder: Path) -> None:
    (folder / "a.yaml").write_text(dag_yaml("a"), encoding="utf-8")
    (folder / "b.yaml").write_text(dag_yaml("b"), encoding="utf-8")
    sync(engine, folder)
    (folder / "a.yaml").write_text(
        dag_yaml("a", tasks="  - {task_id: only, operator: X}\n"), encoding="utf-8"
    )
    (folder / "b.yaml").unlink()

    with Session(engine) as session, session.begin():
        report = sync_file(session, Path("a.yaml"), folder)

    assert (report.updated, report.deactivated) == (["a"], [])
    assert [task.task_id for task in get_dag(engine, "a").tasks] == ["only"]
    assert get_dag(engine, "b").is_active is True  # only a.yaml was looked at
    with Session(engine) as session, session.begin():
        gone = sync_file(session, folder / "b.yaml", folder)
    assert gone.deactivated == ["b"]
    assert len(read(engine, select(Job))) == 1  # only the folder sync records a processor job


def test_sync_file_outside_the_folder_is_refused(engine: Engine, folder: Path, tmp_path: Path) -> None:
    with Session(engine) as session, pytest.raises(DagFolderError, match="not inside the DAG folder"):
        sync_file(session, tmp_path / "elsewhere.yaml", folder)


def test_missing_folder_is_an_error(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as session, pytest.raises(DagFolderError, match="does not exist"):
        sync_dags(session, tmp_path / "nope")


def count_statements(engine: Engine, folder: Path, now: datetime) -> int:
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    event.listen(engine, "before_cursor_execute", record)
    try:
        sync(engine, folder, now=now)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return len(statements)


def statements_to_create_then_update(tmp_path: Path, files: int) -> tuple[int, int]:
    folder = tmp_path / f"dags{files}"
    folder.mkdir()
    engine = make_store(tmp_path / f"store{files}.db")
    for index in range(files):
        tasks = (
            f"  - {{task_id: t, operator: X, outlets: [s3://d{index}]}}\n  - {{task_id: u, operator: X}}\n"
        )
        (folder / f"d{index}.yaml").write_text(dag_yaml(f"d{index}", header="tags: [t]\n", tasks=tasks))
    created = count_statements(engine, folder, NOW)
    for index in range(files):
        tasks = (
            f"  - {{task_id: t, operator: Y, outlets: [s3://e{index}]}}\n  - {{task_id: v, operator: X}}\n"
        )
        (folder / f"d{index}.yaml").write_text(dag_yaml(f"d{index}", header="tags: [u]\n", tasks=tasks))
    updated = count_statements(engine, folder, datetime(2026, 3, 11, tzinfo=UTC))
    engine.dispose()
    return created, updated


def test_statement_count_does_not_grow_with_files(tmp_path: Path) -> None:
    few = statements_to_create_then_update(tmp_path, 2)
    many = statements_to_create_then_update(tmp_path, 8)

    assert few == many


def test_examples_load_without_errors_or_warnings(engine: Engine) -> None:
    report = sync(engine, EXAMPLES)

    assert report.import_errors == []
    assert report.warnings == 0
    assert len(report.added) >= 3
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(DagWarning)) == 0
        mapped = session.scalars(select(Task).where(Task.map_count.is_not(None))).all()
        assert [task.map_count for task in mapped] == [3]
        consumers = session.scalars(select(DagScheduleDatasetReference.dag_id)).all()
        producers = session.scalars(select(TaskOutletDatasetReference.dag_id)).all()
        assert consumers
        assert set(consumers) <= set(session.scalars(select(Dag.dag_id)))
        assert set(producers) - set(consumers)  # a dataset-scheduled DAG waits on another DAG's outlet


def test_file_token_round_trip() -> None:
    token = file_token("/dags/etl.yaml", "secret")

    assert fileloc_from_token(token, "secret") == "/dags/etl.yaml"
    assert fileloc_from_token(token, "other-secret") is None
    assert fileloc_from_token(token[:-2] + "xx", "secret") is None
    assert fileloc_from_token("not-a-token", "secret") is None


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def test_summary_has_one_line_per_item_and_totals(engine: Engine, folder: Path) -> None:
    (folder / "a.yaml").write_text(dag_yaml("a", header="default_args: {pool: gpu}\n"), encoding="utf-8")
    (folder / "b.yaml").write_text("dag_id: b\n", encoding="utf-8")

    summary = sync(engine, folder).summary()

    assert summary.splitlines() == [
        "added: a",
        f"import error: {folder / 'b.yaml'}:1: tasks: is required (a list of tasks)",
        "1 added, 0 updated, 0 unchanged, 0 deactivated, 1 import error, 1 warning",
    ]
