"""Two organizations with the same names inside: what the isolation and role tests start from."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models.organization import Organization
from orchestrator_api.tenancy.context import scoped
from tests import factories
from tests.factories_authoring import definition

ORGS = "/api/v1/organizations"
RUN_ID = "nightly"


def in_org(org_id: str) -> dict[str, str]:
    return {"Organization": org_id}


def organization_pk(org_id: str) -> int:
    with db.transaction() as session:
        return session.scalars(select(Organization.id).where(Organization.org_id == org_id)).one()


def fill(client: Any, auth: Any, org_id: str | None, marker: str) -> None:
    """The same dag_id, run_id, variable key, pool, connection id and XCom key, told apart by ``marker``."""
    headers = in_org(org_id) if org_id else {}

    def ok(response: Any) -> None:
        assert response.status_code in (200, 201), response.text

    ok(client.post("/api/v1/variables", json={"key": "shared", "value": marker}, headers=headers, auth=auth))
    ok(client.post("/api/v1/pools", json={"name": "etl", "slots": len(marker)}, headers=headers, auth=auth))
    ok(
        client.post(
            "/api/v1/connections",
            json={
                "connection_id": "warehouse",
                "conn_type": "postgres",
                "host": f"{marker}.db",
                "login": f"{marker}-login",
                "password": f"{marker}-secret",
                "extra": '{"k": "v"}',
            },
            headers=headers,
            auth=auth,
        )
    )
    body = definition("pipeline", description=marker, schedule=None)
    ok(client.post("/api/v1/dags", json=body, headers=headers, auth=auth))
    ok(client.patch("/api/v1/dags/pipeline", json={"is_paused": False}, headers=headers, auth=auth))
    ok(
        client.post(
            "/api/v1/dags/pipeline/dagRuns",
            json={"dag_run_id": RUN_ID, "conf": {"marker": marker}},
            headers=headers,
            auth=auth,
        )
    )
    with scoped(organization_pk(org_id or "default")):
        factories.xcom("pipeline", RUN_ID, "extract", "result", marker)


@pytest.fixture
def alice(make_user: Any) -> Any:
    return make_user("alice", "Viewer")  # a Viewer in the default organization, an Owner in acme


@pytest.fixture
def bob(make_user: Any) -> Any:
    return make_user("bob", "Viewer")


@pytest.fixture
def two_orgs(client: Any, admin: Any, alice: Any, bob: Any) -> dict[str, Any]:
    """acme (alice owns it), globex (bob owns it) and the default organization, all with the same names."""
    for org_id, owner in (("acme", alice), ("globex", bob)):
        created = client.post(ORGS, json={"org_id": org_id, "name": org_id.title()}, auth=owner)
        assert created.status_code == 201, created.text
    fill(client, alice, "acme", "acme")
    fill(client, bob, "globex", "globex")
    fill(client, admin, None, "default")
    return {"acme": alice, "globex": bob, "default": admin}
