"""Helpers of the isolation tests: organizations, members, DAGs authored in one, and row keys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.tenancy.models import Organization
from tests.factories_authoring import definition

Auth = tuple[str, str]


@dataclass(frozen=True)
class Org:
    """An organization of the test and its Owner."""

    org_id: str
    owner: Auth

    @property
    def header(self) -> dict[str, str]:
        return {"Organization": self.org_id}


def make_org(client: Any, owner: Auth, org_id: str) -> Org:
    response = client.post(
        "/api/v1/organizations", json={"org_id": org_id, "name": f"{org_id} corp"}, auth=owner
    )
    assert response.status_code == 201, response.text
    return Org(org_id, owner)


def add_member(client: Any, org: Org, username: str, role: str) -> None:
    response = client.post(
        f"/api/v1/organizations/{org.org_id}/members",
        json={"username": username, "role": role},
        auth=org.owner,
    )
    assert response.status_code in (200, 201), response.text


def author_dag(client: Any, org: Org, dag_id: str, *, tags: list[str], **fields: Any) -> None:
    """An API-authored DAG in ``org`` (extract -> transform -> load)."""
    body = definition(dag_id, tags=tags, **fields)
    response = client.post("/api/v1/dags", json=body, auth=org.owner, headers=org.header)
    assert response.status_code == 201, response.text


def organization_pk(org_id: str) -> int:
    """The integer key of an organization, for factories that write rows inside it."""
    with db.session_factory()() as session:
        found = session.scalar(select(Organization.id).where(Organization.org_id == org_id))
    assert found is not None
    return found
