"""Migration 0007: existing rows move into the default organization; going down keeps only theirs."""

from __future__ import annotations

from typing import Any

from alembic import command
from sqlalchemy import column, insert, select, table

from orchestrator_api import db
from orchestrator_api.migrations import alembic_config, upgrade
from tests.tenancy.conftest import ORGS, in_org

VARIABLE = table("variable", column("key"), column("val"), column("organization_id"))
LEGACY_VARIABLE = table("variable", column("key"), column("val"))  # as 0006 left it


def test_rows_written_before_0007_belong_to_the_default_organization(client: Any, admin: Any) -> None:
    command.downgrade(alembic_config(db.engine()), "0006")
    with db.engine().begin() as connection:
        connection.execute(insert(LEGACY_VARIABLE).values(key="legacy", val="plain:old"))
    upgrade(db.engine())
    with db.engine().connect() as connection:
        assert connection.execute(select(VARIABLE.c.organization_id)).scalars().all() == [1]
    assert client.get("/api/v1/variables/legacy", auth=admin).json()["value"] == "old"
    assert client.post(ORGS, json={"org_id": "acme", "name": "Acme"}, auth=admin).status_code == 201
    same_key = {"key": "legacy", "value": "acme's"}
    assert (
        client.post("/api/v1/variables", json=same_key, headers=in_org("acme"), auth=admin).status_code == 200
    )
    command.downgrade(alembic_config(db.engine()), "0006")
    with db.engine().connect() as connection:
        assert connection.execute(select(VARIABLE.c.key)).scalars().all() == ["legacy"]
    upgrade(db.engine())
    assert client.get("/api/v1/variables/legacy", auth=admin).json()["value"] == "old"
