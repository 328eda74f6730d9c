"""``dags export`` / ``dags import``: the same reads and writes as the API, for definitions kept in git."""

from __future__ import annotations

from sqlalchemy.orm import Session

from orchestrator_api import audit
from orchestrator_api.authoring import store
from orchestrator_api.models.dag import Dag
from orchestrator_api.tenancy.context import current_organization_id

ACTOR = "cli"


def export_definition(session: Session, dag_id: str) -> str:
    """The YAML of a DAG: the stored definition of an API DAG, the file's text for a file DAG."""
    return store.read(session, dag_id).source


def import_definition(session: Session, text: str) -> str:
    """Create the API DAG ``text`` declares, or replace its definition; returns a one-line summary."""
    spec = store.parse_definition(text, from_yaml=True)
    if session.get(Dag, (current_organization_id(), spec.dag_id)) is None:
        authored = store.create(session, text, from_yaml=True, actor=ACTOR)
        verb = "created"
    else:
        before = store.editable(session, spec.dag_id)
        revision = before.definition.revision if before.definition else None
        authored = store.replace(session, before, text, from_yaml=True, actor=ACTOR)
        if authored.definition is not None and authored.definition.revision == revision:
            return f"DAG {spec.dag_id} unchanged (revision {revision})"
        verb = "updated"
    revision = authored.definition.revision if authored.definition else None
    audit.record_command(session, "dags_import", dag_id=spec.dag_id, detail={"revision": revision})
    return f"{verb} DAG {spec.dag_id} (revision {revision})"
