"""Creating, replacing and deleting API DAGs: the definition row and the rows the rest of the service reads.

Every change is parsed by the DAG file parser first and written only if it is valid, all in the caller's
transaction: a refused change leaves the definition and its revision as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from orchestrator_api.authoring.revisions import etag
from orchestrator_api.dags.errors import DagFileError
from orchestrator_api.dags.parser import parse_text
from orchestrator_api.dags.spec import API_FILELOC_PREFIX, DagSpec
from orchestrator_api.dags.sync import NON_EXISTENT_POOL, last_scheduled_runs, missing_pool_warning
from orchestrator_api.dags.sync_datasets import clear_dataset_references, write_dataset_references
from orchestrator_api.dags.sync_rows import apply_spec, new_dag
from orchestrator_api.models.dag import Dag, DagCode, DagWarning
from orchestrator_api.models.definition import DagDefinition
from orchestrator_api.models.resources import Pool
from orchestrator_api.problems import AlreadyExists, BadRequest, NotFound, PreconditionFailed
from orchestrator_api.tenancy.context import current_organization_id
from orchestrator_api.timeutil import utcnow

# The name parser errors would give the file; API answers leave it out.
DEFINITION = "definition"


def api_fileloc(dag_id: str) -> str:
    """The ``fileloc`` of an API DAG (and of its ``DagCode`` row, so ``dagSources`` serves the YAML)."""
    return f"{API_FILELOC_PREFIX}{dag_id}"


@dataclass(frozen=True)
class Authored:
    """A DAG and its definition: the stored document for an API DAG, the file's text for a file DAG."""

    dag: Dag
    definition: DagDefinition | None
    source: str

    @property
    def etag(self) -> str:
        revision = None if self.definition is None else self.definition.revision
        return etag(self.source, revision)


def parse_definition(text: str, *, from_yaml: bool) -> DagSpec:
    """The DAG ``text`` declares, validated exactly as a DAG file is; a 400 naming the field otherwise."""
    try:
        return parse_text(text, DEFINITION)
    except DagFileError as error:
        # Line numbers point into the document as sent only when it was sent as YAML.
        where = f" (line {error.line})" if from_yaml and error.line is not None else ""
        raise BadRequest(detail=f"Invalid DAG definition: {error.message}{where}") from None


def read(session: Session, dag_id: str) -> Authored:
    """The DAG and its definition, API or file; 404 if there is no such DAG or its source is not stored."""
    dag = session.get(Dag, (current_organization_id(), dag_id))
    if dag is None:
        raise NotFound(title="DAG not found", detail=f"DAG {dag_id!r} not found")
    definition = session.get(DagDefinition, (current_organization_id(), dag_id))
    source = (
        definition.source
        if definition is not None
        else session.scalar(select(DagCode.source_code).where(DagCode.fileloc == dag.fileloc))
    )
    if source is None:
        raise NotFound(detail=f"The source of DAG {dag_id!r} is not stored")
    return Authored(dag, definition, source)


def editable(session: Session, dag_id: str) -> Authored:
    """An API DAG; 409 for a DAG that comes from a file, which only its file may change."""
    authored = read(session, dag_id)
    if authored.definition is None:
        raise AlreadyExists(
            detail=f"DAG {dag_id!r} comes from a DAG file and is read-only here; edit the file and run "
            "`orchestrator-api dags sync` instead"
        )
    return authored


def create(session: Session, text: str, *, from_yaml: bool, actor: str | None) -> Authored:
    """A new API DAG from the YAML ``text``; 409 when its dag_id is taken by a file DAG or an API DAG."""
    spec = parse_definition(text, from_yaml=from_yaml)
    existing = session.get(Dag, (current_organization_id(), spec.dag_id))
    if existing is not None:
        origin = "through the API" if existing.fileloc.startswith(API_FILELOC_PREFIX) else "by a DAG file"
        raise AlreadyExists(detail=f"DAG {spec.dag_id!r} already exists (defined {origin})")
    now = utcnow()
    dag = new_dag(spec)
    session.add(dag)
    _project(session, dag, spec, text, now)
    session.flush()  # the definition row references the DAG row
    definition = DagDefinition(
        dag_id=spec.dag_id, source=text, created_by=actor, created_at=now, updated_by=actor, updated_at=now
    )
    session.add(definition)
    session.flush()
    return Authored(dag, definition, text)


def replace(
    session: Session, authored: Authored, text: str, *, from_yaml: bool, actor: str | None
) -> Authored:
    """Replace an API DAG's definition; the same document again is no change and keeps the revision."""
    definition = authored.definition
    assert definition is not None  # callers get `authored` from `editable`
    spec = parse_definition(text, from_yaml=from_yaml)
    if spec.dag_id != authored.dag.dag_id:
        raise BadRequest(
            detail=f"Invalid DAG definition: dag_id: must be {authored.dag.dag_id!r}, the DAG being changed "
            "(a DAG cannot be renamed; create a new one)"
        )
    if text == definition.source:
        return authored
    now = utcnow()
    definition.source, definition.updated_by, definition.updated_at = text, actor, now
    _project(session, authored.dag, spec, text, now)
    try:
        session.flush()
    except StaleDataError:
        raise PreconditionFailed(
            detail="The definition was changed by another request meanwhile; GET it again and retry"
        ) from None
    return Authored(authored.dag, definition, text)


def forget_source(session: Session, dag: Dag) -> None:
    """Drop what an API DAG keeps outside its own rows (its ``DagCode``) when the DAG is deleted."""
    if dag.fileloc.startswith(API_FILELOC_PREFIX):
        session.execute(delete(DagCode).where(DagCode.fileloc == dag.fileloc))


def _project(session: Session, dag: Dag, spec: DagSpec, text: str, now: datetime) -> None:
    """Write what ``dags sync`` writes for a file: the DAG's rows, its source, datasets and pool warning."""
    fileloc = api_fileloc(spec.dag_id)
    with session.no_autoflush:  # a new DAG row is complete only once `apply_spec` has filled it
        last = last_scheduled_runs(session, [spec.dag_id]).get(spec.dag_id)
        code = session.get(DagCode, (current_organization_id(), fileloc))
    apply_spec(dag, spec, fileloc=fileloc, now=now, last_scheduled=last)
    if code is None:
        session.add(DagCode(fileloc=fileloc, source_code=text, last_updated=now))
    else:
        code.source_code, code.last_updated = text, now
    clear_dataset_references(session, [spec.dag_id])
    session.execute(
        delete(DagWarning).where(
            DagWarning.dag_id == spec.dag_id, DagWarning.warning_type == NON_EXISTENT_POOL
        )
    )
    session.flush()
    write_dataset_references(session, [spec])
    pools = {task.pool for task in spec.tasks}
    known = set(session.scalars(select(Pool.pool).where(Pool.pool.in_(pools)))) if pools else set()
    warning = missing_pool_warning(spec, known, now)
    if warning is not None:
        session.add(warning)
