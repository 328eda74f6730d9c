"""An API DAG for the contract tests, so generated authoring requests also meet a DAG they may change."""

from __future__ import annotations

from orchestrator_api import db
from orchestrator_api.authoring import store
from tests.factories_authoring import as_yaml, definition


def seed_authoring(_admin: tuple[str, str]) -> None:
    with db.transaction() as session:
        store.create(session, as_yaml(definition("seed_authored")), from_yaml=True, actor="seed")
