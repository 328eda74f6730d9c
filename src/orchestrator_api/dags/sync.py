"""``dags sync``: load the YAML files of a folder (or one file) into the metadata store.

The caller owns the transaction (``with transaction() as s: sync_dags(s, folder)``); nothing here commits.
Existing rows are loaded with a handful of set-based queries, whatever the number of files.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import ColumnElement, delete, func, insert, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from orchestrator_api.dags.errors import DagFolderError
from orchestrator_api.dags.spec import DagSpec
from orchestrator_api.dags.sync_datasets import clear_dataset_references, write_dataset_references
from orchestrator_api.dags.sync_plan import ParsedFile, SyncPlan, parse_path, plan_sync
from orchestrator_api.dags.sync_report import ImportErrorReport, SyncReport
from orchestrator_api.dags.sync_rows import apply_spec, new_dag
from orchestrator_api.models.dag import Dag, DagCode, DagImportError, DagWarning
from orchestrator_api.models.resources import Pool
from orchestrator_api.models.run import DagRun, Job
from orchestrator_api.timeutil import as_utc, utcnow

DAG_FILE_SUFFIXES = (".yaml", ".yml")
NON_EXISTENT_POOL = "non-existent pool"
# Manual and dataset-triggered runs do not move the schedule forward, as in Airflow 2.
_AUTOMATED_RUN_TYPES = ("scheduled", "backfill")


@dataclass(frozen=True)
class _Scope:
    """The files being re-synchronised: DAGs loaded from them and not declared any more are deactivated."""

    contains: Callable[[str], bool]
    clause: Callable[[InstrumentedAttribute[str]], ColumnElement[bool]]


def find_dag_files(folder: Path, skip: Collection[Path] = ()) -> list[Path]:
    """The ``*.yaml`` / ``*.yml`` files below ``folder``, sorted, skipping hidden files and directories
    and the directories in ``skip`` (another organization's folders)."""
    found: list[Path] = []
    for directory, subdirectories, filenames in os.walk(folder):
        subdirectories[:] = sorted(
            name for name in subdirectories if not name.startswith(".") and Path(directory, name) not in skip
        )
        found.extend(
            Path(directory, name)
            for name in filenames
            if not name.startswith(".") and name.endswith(DAG_FILE_SUFFIXES)
        )
    return sorted(found)


def sync_dags(
    session: Session,
    folder: Path,
    *,
    now: datetime | None = None,
    progress: Callable[[int, int], None] | None = None,
    skip: Collection[Path] = (),
) -> SyncReport:
    """Load every DAG file in ``folder``, deactivate DAGs whose file is gone, and record a processor job.

    ``now`` stamps ``last_parsed_time`` and anchors the next-run computation (default: the current time).
    ``progress(parsed, total)`` is called after each file is parsed (the CLI prints progress lines).
    """
    started = utcnow()
    root = _existing_folder(folder)
    prefix = f"{root}{os.sep}"
    scope = _Scope(
        contains=lambda fileloc: fileloc.startswith(prefix),
        clause=lambda column: column.startswith(prefix, autoescape=True),
    )
    paths = find_dag_files(root, skip)
    parsed = []
    for done, path in enumerate(paths, start=1):
        parsed.append(parse_path(path))
        if progress is not None:
            progress(done, len(paths))
    report = _sync(session, parsed, scope, now or started)
    ended = utcnow()
    session.add(
        Job(
            job_type="DagSyncJob",
            state="success",
            hostname=socket.getfqdn(),
            start_date=started,
            end_date=ended,
            latest_heartbeat=ended,
        )
    )
    session.flush()
    return report


def sync_file(session: Session, path: Path, folder: Path, *, now: datetime | None = None) -> SyncReport:
    """Re-parse one file of ``folder`` (``path`` may be relative to it); if it is gone, deactivate its DAG."""
    root = _existing_folder(folder)
    absolute = path if path.is_absolute() else root / path
    absolute = absolute.parent.resolve() / absolute.name
    if not absolute.is_relative_to(root):
        raise DagFolderError(f"{absolute} is not inside the DAG folder {root}")
    if not absolute.name.endswith(DAG_FILE_SUFFIXES):
        raise DagFolderError(f"{absolute} is not a DAG file (expected a .yaml or .yml file)")
    fileloc = str(absolute)
    scope = _Scope(contains=lambda other: other == fileloc, clause=lambda column: column == fileloc)
    parsed = [parse_path(absolute)] if absolute.is_file() else []
    return _sync(session, parsed, scope, now or utcnow())


def _existing_folder(folder: Path) -> Path:
    if not folder.exists():
        raise DagFolderError(f"DAG folder {folder} does not exist")
    if not folder.is_dir():
        raise DagFolderError(f"DAG folder {folder} is not a directory")
    return folder.resolve()


def _sync(session: Session, parsed: list[ParsedFile], scope: _Scope, now: datetime) -> SyncReport:
    now = as_utc(now)
    declared = {item.spec.dag_id for item in parsed if item.spec is not None}
    existing = {
        dag.dag_id: dag
        for dag in session.scalars(
            select(Dag)
            .where(or_(scope.clause(Dag.fileloc), Dag.dag_id.in_(declared)))
            .options(selectinload(Dag.tags), selectinload(Dag.tasks))
        )
    }
    active = {dag.dag_id: dag.fileloc for dag in existing.values() if dag.is_active}
    plan = plan_sync(parsed, active, scope.contains)
    winners = [item.spec for item in plan.winners if item.spec is not None]
    winner_ids = {spec.dag_id for spec in winners}
    broken = plan.broken_files
    to_deactivate = [
        dag
        for dag in existing.values()
        if dag.is_active
        and scope.contains(dag.fileloc)
        and dag.dag_id not in winner_ids
        and dag.fileloc not in broken
    ]
    report = SyncReport(deactivated=sorted(dag.dag_id for dag in to_deactivate))

    clear_dataset_references(session, winner_ids | set(report.deactivated))
    if winner_ids:
        session.execute(delete(DagWarning).where(DagWarning.dag_id.in_(winner_ids)))
    _record_import_errors(session, plan, existing.values(), scope, now, report)
    for dag in to_deactivate:
        dag.is_active = False

    _write_dags(session, plan, existing, now, report)
    session.flush()
    write_dataset_references(session, winners)
    report.warnings = _record_pool_warnings(session, winners, now)
    session.flush()
    return report


def _record_import_errors(
    session: Session,
    plan: SyncPlan,
    existing: Collection[Dag],
    scope: _Scope,
    now: datetime,
    report: SyncReport,
) -> None:
    session.execute(delete(DagImportError).where(scope.clause(DagImportError.filename)))
    broken = plan.broken_files
    report.import_errors.extend(ImportErrorReport(error.filename, str(error)) for error in plan.errors)
    if report.import_errors:
        # One executemany: ORM inserts that must return generated ids go row by row on SQLite.
        rows = [
            {"filename": name, "stack_trace": message, "timestamp": now}
            for name, message in report.import_errors
        ]
        session.execute(insert(DagImportError), rows)
    for dag in existing:
        if dag.fileloc in broken:
            dag.has_import_errors = True


def _write_dags(
    session: Session, plan: SyncPlan, existing: dict[str, Dag], now: datetime, report: SyncReport
) -> None:
    filelocs = [item.fileloc for item in plan.winners]
    codes = {
        code.fileloc: code for code in session.scalars(select(DagCode).where(DagCode.fileloc.in_(filelocs)))
    }
    last_runs = last_scheduled_runs(session, [item.spec.dag_id for item in plan.winners if item.spec])
    for item in plan.winners:
        spec, source = item.spec, item.source or ""
        assert spec is not None  # winners always parsed
        dag = existing.get(spec.dag_id)
        code = codes.get(item.fileloc)
        _classify(report, dag, item.fileloc, code, source, spec)
        if dag is None:
            dag = existing[spec.dag_id] = new_dag(spec)
            session.add(dag)
        apply_spec(dag, spec, fileloc=item.fileloc, now=now, last_scheduled=last_runs.get(spec.dag_id))
        if code is None:
            session.add(DagCode(fileloc=item.fileloc, source_code=source, last_updated=now))
        elif code.source_code != source:
            code.source_code, code.last_updated = source, now


def _classify(
    report: SyncReport, dag: Dag | None, fileloc: str, code: DagCode | None, source: str, spec: DagSpec
) -> None:
    if dag is None:
        report.added.append(spec.dag_id)
    elif (
        dag.is_active
        and not dag.has_import_errors
        and dag.fileloc == fileloc
        and code is not None
        and code.source_code == source
    ):
        report.unchanged.append(spec.dag_id)
    else:
        report.updated.append(spec.dag_id)


def last_scheduled_runs(session: Session, dag_ids: list[str]) -> dict[str, datetime]:
    if not dag_ids:
        return {}
    rows = session.execute(
        select(DagRun.dag_id, func.max(DagRun.logical_date))
        .where(DagRun.dag_id.in_(dag_ids), DagRun.run_type.in_(_AUTOMATED_RUN_TYPES))
        .group_by(DagRun.dag_id)
    )
    return {dag_id: as_utc(latest) for dag_id, latest in rows if latest is not None}


def _record_pool_warnings(session: Session, specs: list[DagSpec], now: datetime) -> int:
    wanted = {task.pool for spec in specs for task in spec.tasks}
    known = set(session.scalars(select(Pool.pool).where(Pool.pool.in_(wanted)))) if wanted else set()
    warnings = [warning for spec in specs if (warning := missing_pool_warning(spec, known, now)) is not None]
    session.add_all(warnings)
    return len(warnings)


def missing_pool_warning(spec: DagSpec, known_pools: Collection[str], now: datetime) -> DagWarning | None:
    """The "non-existent pool" warning for ``spec`` when a task names a pool not in ``known_pools``."""
    missing: dict[str, list[str]] = {}
    for task in spec.tasks:
        if task.pool not in known_pools:
            missing.setdefault(task.pool, []).append(task.task_id)
    if not missing:
        return None
    detail = "; ".join(f"{pool!r} (tasks: {', '.join(ids)})" for pool, ids in sorted(missing.items()))
    message = f"Dag {spec.dag_id!r} references non-existent pools: {detail}; create them or change the pool"
    return DagWarning(dag_id=spec.dag_id, warning_type=NON_EXISTENT_POOL, message=message, timestamp=now)
