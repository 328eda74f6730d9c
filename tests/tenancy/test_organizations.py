"""Organizations and members through HTTP: CRUD, roles, the last-Owner rule, 404 (never 403) for strangers."""

from __future__ import annotations

from typing import Any

import pytest

from tests.problems import assert_problem

URL = "/api/v1/organizations"
ACME = {"org_id": "acme", "name": "Acme Corp"}


@pytest.fixture
def owner(make_user: Any) -> Any:
    return make_user("olivia", "User")


@pytest.fixture
def member(make_user: Any) -> Any:
    return make_user("uma", "Viewer")


@pytest.fixture
def stranger(make_user: Any) -> Any:
    return make_user("stan", "Op")


@pytest.fixture
def acme(client: Any, owner: Any, member: Any) -> str:
    assert client.post(URL, json=ACME, auth=owner).status_code == 201
    added = client.post(f"{URL}/acme/members", json={"username": "uma", "role": "User"}, auth=owner)
    assert added.status_code == 201, added.text
    return "acme"


def test_the_creator_becomes_owner_and_sees_only_their_organizations(client, owner, admin, member):
    created = client.post(URL, json=ACME, auth=owner)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["org_id"] == "acme"
    assert body["name"] == "Acme Corp"
    assert body["created_by"] == "olivia"
    assert body["your_role"] == "Owner"
    assert body["created_at"]
    mine = client.get(URL, auth=owner).json()
    assert [o["org_id"] for o in mine["organizations"]] == ["acme"]
    assert mine["total_entries"] == 1
    assert client.get(URL, auth=member).json() == {"organizations": [], "total_entries": 0}
    everyone = client.get(URL, auth=admin).json()
    assert [(o["org_id"], o["your_role"]) for o in everyone["organizations"]] == [
        ("acme", None),
        ("default", None),
    ]
    members = client.get(f"{URL}/acme/members", auth=owner).json()
    assert [(m["username"], m["role"]) for m in members["members"]] == [("olivia", "Owner")]


def test_a_taken_or_malformed_org_id_is_refused(client, owner):
    assert client.post(URL, json=ACME, auth=owner).status_code == 201
    assert_problem(client.post(URL, json=ACME, auth=owner), 409, "already exists")
    assert_problem(client.post(URL, json={"org_id": "default", "name": "x"}, auth=owner), 409)
    for bad in ("Acme", "-acme", "a" * 64, "ac me", ""):
        assert_problem(client.post(URL, json={"org_id": bad, "name": "x"}, auth=owner), 400)
    assert_problem(client.post(URL, json={"org_id": "x"}, auth=owner), 400)


def test_strangers_get_the_same_404_as_for_a_missing_organization(client, acme, stranger):
    missing = assert_problem(client.get(f"{URL}/nope", auth=stranger), 404)
    foreign = assert_problem(client.get(f"{URL}/acme", auth=stranger), 404)
    assert missing["detail"] == foreign["detail"]
    assert missing["title"] == foreign["title"]
    for method, path, body in (
        ("patch", f"{URL}/acme", {"name": "Mine"}),
        ("delete", f"{URL}/acme", None),
        ("get", f"{URL}/acme/members", None),
        ("post", f"{URL}/acme/members", {"username": "stan", "role": "Owner"}),
        ("patch", f"{URL}/acme/members/olivia", {"role": "User"}),
        ("delete", f"{URL}/acme/members/olivia", None),
    ):
        response = (
            getattr(client, method)(path, json=body, auth=stranger)
            if body
            else getattr(client, method)(path, auth=stranger)
        )
        assert assert_problem(response, 404)["detail"] == missing["detail"]
    # The header works the same way: a foreign organization is indistinguishable from a missing one.
    by_header = assert_problem(
        client.get("/api/v1/variables", headers={"Organization": "acme"}, auth=stranger), 404
    )
    assert by_header["detail"] == missing["detail"]
    missing_header = client.get("/api/v1/variables", headers={"Organization": "nope"}, auth=stranger)
    assert assert_problem(missing_header, 404)["detail"] == missing["detail"]


def test_owners_rename_users_cannot(client, acme, owner, member):
    assert_problem(client.patch(f"{URL}/acme", json={"name": "Uma's"}, auth=member), 403)
    renamed = client.patch(f"{URL}/acme?update_mask=name", json={"name": "Acme Inc"}, auth=owner)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Acme Inc"
    assert client.get(f"{URL}/acme", auth=member).json()["your_role"] == "User"
    assert_problem(client.patch(f"{URL}/acme", json={"org_id": "other"}, auth=owner), 400, "org_id")
    assert client.get(f"{URL}/acme", auth=owner).json()["org_id"] == "acme"


def test_members_are_managed_by_owners_only(client, acme, owner, member, stranger):
    assert_problem(
        client.post(f"{URL}/acme/members", json={"username": "stan", "role": "User"}, auth=member), 403
    )
    assert_problem(client.patch(f"{URL}/acme/members/olivia", json={"role": "User"}, auth=member), 403)
    assert_problem(client.delete(f"{URL}/acme/members/olivia", auth=member), 403)
    assert_problem(
        client.post(f"{URL}/acme/members", json={"username": "uma", "role": "User"}, auth=owner), 409
    )
    assert_problem(
        client.post(f"{URL}/acme/members", json={"username": "ghost", "role": "User"}, auth=owner), 404
    )
    assert_problem(
        client.post(f"{URL}/acme/members", json={"username": "stan", "role": "Boss"}, auth=owner), 400
    )
    promoted = client.patch(f"{URL}/acme/members/uma", json={"role": "Owner"}, auth=owner)
    assert promoted.status_code == 200
    assert promoted.json()["role"] == "Owner"
    assert_problem(client.patch(f"{URL}/acme/members/nobody", json={"role": "User"}, auth=owner), 404)


def test_the_last_owner_can_neither_leave_nor_be_demoted(client, acme, owner, member):
    assert_problem(
        client.patch(f"{URL}/acme/members/olivia", json={"role": "User"}, auth=owner), 409, "Owner"
    )
    assert_problem(client.delete(f"{URL}/acme/members/olivia", auth=owner), 409, "Owner")
    assert client.patch(f"{URL}/acme/members/uma", json={"role": "Owner"}, auth=owner).status_code == 200
    assert client.patch(f"{URL}/acme/members/olivia", json={"role": "User"}, auth=owner).status_code == 200
    assert client.delete(f"{URL}/acme/members/olivia", auth=owner).status_code == 204
    assert_problem(client.get(f"{URL}/acme", auth=owner), 404)
    assert_problem(client.delete(f"{URL}/acme/members/uma", auth=member), 409)


def test_a_member_may_leave(client, acme, member):
    assert client.delete(f"{URL}/acme/members/uma", auth=member).status_code == 204
    assert_problem(client.get(f"{URL}/acme", auth=member), 404)


def test_deleting_an_organization_deletes_its_rows_but_never_the_default_one(client, acme, owner, admin):
    headers = {"Organization": "acme"}
    assert (
        client.post(
            "/api/v1/variables", json={"key": "k", "value": "v"}, headers=headers, auth=owner
        ).status_code
        == 200
    )
    assert_problem(client.delete(f"{URL}/default", auth=admin), 409, "default")
    assert client.delete(f"{URL}/acme", auth=owner).status_code == 204
    assert_problem(client.get(f"{URL}/acme", auth=admin), 404)
    assert client.post(URL, json=ACME, auth=owner).status_code == 201
    assert client.get("/api/v1/variables", headers=headers, auth=owner).json()["total_entries"] == 0


def test_admins_manage_organizations_they_do_not_belong_to(client, acme, admin):
    assert client.get(f"{URL}/acme", auth=admin).json()["your_role"] is None
    added = client.post(f"{URL}/acme/members", json={"username": "admin", "role": "User"}, auth=admin)
    assert added.status_code == 201
    assert client.get(f"{URL}/acme", auth=admin).json()["your_role"] == "User"
