"""Two organizations (acme, globex) with their Owners, and organization tokens."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.isolation.orgs import Auth, Org, make_org


@pytest.fixture
def acme(client: Any, make_user: Callable[..., Auth]) -> Org:
    return make_org(client, make_user("alice", "Viewer"), "acme")


@pytest.fixture
def globex(client: Any, make_user: Callable[..., Auth]) -> Org:
    return make_org(client, make_user("bob", "Viewer"), "globex")


@pytest.fixture
def org_token(client: Any) -> Callable[..., dict[str, Any]]:
    """Create an organization token as the organization's Owner: ``org_token(acme, role="User")``."""

    def create(org: Org, *, name: str = "ci", role: str = "Owner", **body: Any) -> dict[str, Any]:
        response = client.post(
            f"/api/v1/organizations/{org.org_id}/tokens",
            json={"name": name, "role": role, **body},
            auth=org.owner,
        )
        assert response.status_code == 201, response.text
        created: dict[str, Any] = response.json()
        return created

    return create
