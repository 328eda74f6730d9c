"""Organization tokens: get/post_organization_tokens, get/delete_organization_token, and using them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from orchestrator_api.tenancy.context import scoped
from orchestrator_api.timeutil import utcnow
from tests.factories_access import (
    audit_rows,
    bearer,
    private_token,
    set_access_token_expiry,
    stored_access_token,
)
from tests.isolation.orgs import add_member, author_dag, organization_pk
from tests.problems import assert_problem

TOKEN_FIELDS = {
    "id",
    "org_id",
    "name",
    "role",
    "dag_ids",
    "dag_tags",
    "prefix",
    "created_by",
    "created_at",
    "expires_at",
    "last_used_at",
}


def put_variable(client, org, key, value):
    body = {"key": key, "value": value}
    response = client.post("/api/v1/variables", json=body, auth=org.owner, headers=org.header)
    assert response.status_code == 200, response.text


# ---------------------------------------------------------------- managing


def test_owner_creates_a_token_owned_by_the_organization(client, acme, org_token):
    created = org_token(acme, name="deploys", role="User", dag_ids=["b", "a", "a"], dag_tags=["etl"])
    assert set(created) == TOKEN_FIELDS | {"token"}
    assert created["token"].startswith("oapi_org_")
    assert created["token"].startswith(created["prefix"])
    expected = {"org_id": "acme", "name": "deploys", "role": "User", "created_by": "alice"}
    assert {k: created[k] for k in expected} == expected
    assert (created["dag_ids"], created["dag_tags"]) == (["a", "b"], ["etl"])
    assert created["last_used_at"] is None
    stored = stored_access_token(created["id"])
    assert (stored.user_id, stored.kind, stored.created_by) == (None, "organization", "alice")
    assert created["token"] not in stored.token_hash
    without_secret = {k: v for k, v in created.items() if k != "token"}
    listed = client.get("/api/v1/organizations/acme/tokens", auth=acme.owner)
    assert listed.status_code == 200
    assert listed.json() == {"organization_tokens": [without_secret], "total_entries": 1}
    assert created["token"] not in listed.text
    one = client.get(f"/api/v1/organizations/acme/tokens/{created['id']}", auth=acme.owner)
    assert one.status_code == 200
    assert one.json() == without_secret


def test_lifetime_defaults_and_is_capped(client, acme, org_token):
    default = org_token(acme)
    capped = org_token(acme, expires_in_days=36500)
    for token, days in ((default, 30), (capped, 365)):
        expires = stored_access_token(token["id"]).expires_at
        assert timedelta(days=days - 1) < expires - utcnow() <= timedelta(days=days)


def test_admin_manages_any_organizations_tokens(client, admin, acme):
    created = client.post(
        "/api/v1/organizations/acme/tokens", json={"name": "x", "role": "Viewer"}, auth=admin
    )
    assert created.status_code == 201, created.text
    assert created.json()["created_by"] == "admin"
    gone = client.delete(f"/api/v1/organizations/acme/tokens/{created.json()['id']}", auth=admin)
    assert gone.status_code == 204


def test_a_user_member_may_not_manage_tokens(client, acme, make_user, org_token):
    carol = make_user("carol", "Viewer")
    add_member(client, acme, "carol", "User")
    token = org_token(acme)
    body = {"name": "x", "role": "Viewer"}
    assert_problem(client.post("/api/v1/organizations/acme/tokens", json=body, auth=carol), 403)
    assert_problem(client.get("/api/v1/organizations/acme/tokens", auth=carol), 403)
    assert_problem(client.get(f"/api/v1/organizations/acme/tokens/{token['id']}", auth=carol), 403)
    assert_problem(client.delete(f"/api/v1/organizations/acme/tokens/{token['id']}", auth=carol), 403)
    assert client.get("/api/v1/dags", headers=bearer(token["token"])).status_code == 200


def test_a_foreign_or_unknown_organization_is_a_404(client, acme, globex, org_token):
    token = org_token(globex)
    body = {"name": "x", "role": "Viewer"}
    foreign = assert_problem(
        client.post("/api/v1/organizations/globex/tokens", json=body, auth=acme.owner), 404
    )
    unknown = assert_problem(
        client.post("/api/v1/organizations/nope/tokens", json=body, auth=acme.owner), 404
    )
    assert foreign["title"] == unknown["title"]
    assert_problem(client.get("/api/v1/organizations/globex/tokens", auth=acme.owner), 404)
    path = f"/api/v1/organizations/globex/tokens/{token['id']}"
    assert_problem(client.get(path, auth=acme.owner), 404)
    assert_problem(client.delete(path, auth=acme.owner), 404)
    # ... and a token of another organization is not one of this organization's tokens
    assert_problem(client.get(f"/api/v1/organizations/acme/tokens/{token['id']}", auth=acme.owner), 404)
    assert_problem(client.delete(f"/api/v1/organizations/acme/tokens/{token['id']}", auth=acme.owner), 404)
    assert client.get("/api/v1/variables", headers=bearer(token["token"])).status_code == 200


def test_an_organization_token_cannot_manage_tokens(client, acme, org_token):
    token = org_token(acme, role="Owner")
    body = {"name": "copy", "role": "Owner"}
    response = client.post("/api/v1/organizations/acme/tokens", json=body, headers=bearer(token["token"]))
    assert_problem(response, 403)
    path = f"/api/v1/organizations/acme/tokens/{token['id']}"
    assert_problem(client.delete(path, headers=bearer(token["token"])), 403)
    assert client.get(path, auth=acme.owner).status_code == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "role": "Admin"}, "role"),
        ({"name": "x"}, "role"),
        ({"role": "User"}, "name"),
        ({"name": "x", "role": "User", "dag_ids": ["bad id"]}, "dag_ids"),
        ({"name": "x", "role": "User", "dag_ids": ["a"] * 101}, "dag_ids"),
        ({"name": "x", "role": "User", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "role": "User", "user_id": 1}, "user_id"),
    ],
)
def test_bad_bodies_are_a_400_and_create_nothing(client, acme, body, field):
    response = client.post("/api/v1/organizations/acme/tokens", json=body, auth=acme.owner)
    assert field in assert_problem(response, 400)["detail"]
    assert client.get("/api/v1/organizations/acme/tokens", auth=acme.owner).json()["total_entries"] == 0


def test_unauthenticated_is_a_401(client, acme):
    assert_problem(client.get("/api/v1/organizations/acme/tokens"), 401)
    assert_problem(client.post("/api/v1/organizations/acme/tokens", json={"name": "x", "role": "User"}), 401)


# ---------------------------------------------------------------- using


@pytest.mark.parametrize("header", [bearer, private_token], ids=["bearer", "private-token"])
def test_a_token_acts_in_its_organization_without_a_header(client, admin, acme, org_token, header):
    put_variable(client, acme, "region", "acme-eu")
    client.post("/api/v1/variables", json={"key": "region", "value": "default-us"}, auth=admin)
    token = org_token(acme, role="Owner")["token"]
    response = client.get("/api/v1/variables/region", headers=header(token))
    assert response.status_code == 200, response.text
    assert response.json()["value"] == "acme-eu"
    named = client.get("/api/v1/variables/region", headers={**header(token), **acme.header})
    assert named.json()["value"] == "acme-eu"


@pytest.mark.parametrize("other", ["default", "globex", "nope"])
def test_a_token_naming_another_organization_is_a_404(client, acme, globex, org_token, other):
    token = org_token(acme)["token"]
    response = client.get("/api/v1/variables", headers={**bearer(token), "Organization": other})
    assert_problem(response, 404)


def test_the_role_decides_what_a_token_may_do(client, acme, org_token):
    author_dag(client, acme, "a", tags=["etl"])
    viewer = org_token(acme, role="Viewer")["token"]
    user = org_token(acme, role="User")["token"]
    owner = org_token(acme, role="Owner")["token"]
    assert client.get("/api/v1/dags/a", headers=bearer(viewer)).status_code == 200
    unpause = {"is_paused": False}
    assert_problem(client.patch("/api/v1/dags/a", json=unpause, headers=bearer(viewer)), 403)
    assert client.patch("/api/v1/dags/a", json=unpause, headers=bearer(user)).status_code == 200
    body = {"key": "k", "value": "v"}
    for refused in (viewer, user):
        assert_problem(client.post("/api/v1/variables", json=body, headers=bearer(refused)), 403)
    assert client.post("/api/v1/variables", json=body, headers=bearer(owner)).status_code == 200
    assert client.get("/api/v1/variables/k", auth=acme.owner, headers=acme.header).json()["value"] == "v"


def test_a_user_token_reads_connections_without_their_secrets(client, acme, org_token):
    body = {"connection_id": "warehouse", "conn_type": "postgres", "host": "db.acme", "password": "pw-1"}
    created = client.post("/api/v1/connections", json=body, auth=acme.owner, headers=acme.header)
    assert created.status_code == 200, created.text
    user = org_token(acme, role="User")["token"]
    response = client.get("/api/v1/connections/warehouse", headers=bearer(user))
    assert response.status_code == 200, response.text
    assert response.json()["host"] == "db.acme"
    assert "pw-1" not in response.text


def test_writes_are_audited_as_the_token(client, acme, org_token):
    token = org_token(acme, role="Owner")
    client.post("/api/v1/variables", json={"key": "k", "value": "v"}, headers=bearer(token["token"]))
    assert audit_rows("api.variable.create") == []  # not in the default organization
    with scoped(organization_pk("acme")):
        rows = audit_rows("api.variable.create")
    assert [row.owner for row in rows] == [f"organization-token:{token['id']}"]


def test_revoked_and_expired_tokens_are_refused(client, acme, org_token):
    revoked, expired = org_token(acme), org_token(acme)
    gone = client.delete(f"/api/v1/organizations/acme/tokens/{revoked['id']}", auth=acme.owner)
    assert gone.status_code == 204
    assert_problem(client.get("/api/v1/dags", headers=bearer(revoked["token"])), 401)
    assert_problem(client.get(f"/api/v1/organizations/acme/tokens/{revoked['id']}", auth=acme.owner), 404)
    assert_problem(client.delete(f"/api/v1/organizations/acme/tokens/{revoked['id']}", auth=acme.owner), 404)
    listed = client.get("/api/v1/organizations/acme/tokens", auth=acme.owner).json()
    assert [t["id"] for t in listed["organization_tokens"]] == [expired["id"]]
    set_access_token_expiry(expired["id"], utcnow() - timedelta(seconds=1))
    assert_problem(client.get("/api/v1/dags", headers=private_token(expired["token"])), 401, "expired")


def test_a_token_outlives_its_creator(client, admin, acme, make_user):
    dora = make_user("dora", "Viewer")
    add_member(client, acme, "dora", "Owner")
    created = client.post(
        "/api/v1/organizations/acme/tokens", json={"name": "x", "role": "Viewer"}, auth=dora
    )
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    left = client.delete("/api/v1/organizations/acme/members/dora", auth=acme.owner)
    assert left.status_code == 204, left.text
    assert client.get("/api/v1/dags", headers=bearer(token)).status_code == 200
    assert client.delete("/api/v1/users/dora", auth=admin).status_code == 204
    assert client.get("/api/v1/dags", headers=bearer(token)).status_code == 200
    listed = client.get("/api/v1/organizations/acme/tokens", auth=acme.owner).json()
    assert listed["organization_tokens"][0]["created_by"] == "dora"
