"""Users, roles and permissions through apache-airflow-client 2.10.0: it must parse every answer."""

from __future__ import annotations

import json

import httpx
import pytest
from airflow_client import client as airflow_client
from airflow_client.client.api.dag_api import DAGApi
from airflow_client.client.api.permission_api import PermissionApi
from airflow_client.client.api.role_api import RoleApi
from airflow_client.client.api.user_api import UserApi
from airflow_client.client.exceptions import ApiException, ForbiddenException, NotFoundException
from airflow_client.client.model.action import Action
from airflow_client.client.model.action_resource import ActionResource
from airflow_client.client.model.resource import Resource
from airflow_client.client.model.role import Role
from airflow_client.client.model.user import User
from airflow_client.client.model.user_collection_item_roles import UserCollectionItemRoles


def test_user_lifecycle(sdk, live_server, example_dags):
    api = UserApi(sdk)
    created = api.post_user(
        User(
            username="sdk_user",
            email="sdk_user@example.org",
            first_name="Sdk",
            last_name="User",
            password="sdk-password-1",
            roles=[UserCollectionItemRoles(name="Viewer")],
        )
    )
    assert created.username == "sdk_user"
    assert [role.name for role in created.roles] == ["Viewer"]
    assert created.active is True
    assert created.login_count is None  # as Airflow sends it until the first sign-in

    listed = api.get_users(limit=10, order_by="username")
    assert listed.total_entries == 2
    assert [u.username for u in listed.users] == ["admin", "sdk_user"]

    fetched = api.get_user("sdk_user")
    assert fetched.email == "sdk_user@example.org"
    assert fetched.last_login is None

    patched = api.patch_user(
        "sdk_user",
        # Airflow wants the user's names and email in the body even with a mask.
        User(first_name="Renamed", last_name="ignored", username="sdk_user", email="sdk_user@example.org"),
        update_mask=["first_name"],
    )
    assert (patched.first_name, patched.last_name) == ("Renamed", "User")

    # the new user can sign in with the SDK too
    config = airflow_client.Configuration(
        host=f"{live_server}/api/v1", username="sdk_user", password="sdk-password-1"
    )
    with airflow_client.ApiClient(config) as as_user:
        assert DAGApi(as_user).get_dags().total_entries == len(example_dags)
        with pytest.raises(ForbiddenException):
            UserApi(as_user).get_users()

    api.delete_user("sdk_user")
    with pytest.raises(NotFoundException):
        api.get_user("sdk_user")


def test_password_change_through_the_sdk(sdk, live_server, example_dags):
    api = UserApi(sdk)
    api.post_user(
        User(username="sdk2", email="sdk2@example.org", first_name="S", last_name="D", password="first-pw")
    )
    identity = {"username": "sdk2", "email": "sdk2@example.org", "first_name": "S", "last_name": "D"}
    api.patch_user("sdk2", User(password="second-pw", **identity), update_mask=["password"])
    url = f"{live_server}/api/v1/dags"
    assert httpx.get(url, auth=("sdk2", "first-pw")).status_code == 401
    assert httpx.get(url, auth=("sdk2", "second-pw")).status_code == 403  # Public: signed in, no DAGs


def test_role_lifecycle(sdk, example_dags):
    api = RoleApi(sdk)
    read_etl = ActionResource(action=Action(name="can_read"), resource=Resource(name="DAG:etl_daily"))
    assert api.post_role(Role(name="sdk_role", actions=[read_etl])).to_dict() == {}  # as Airflow answers
    created = api.get_role("sdk_role")
    assert created.name == "sdk_role"
    assert [(a.action.name, a.resource.name) for a in created.actions] == [("can_read", "DAG:etl_daily")]

    listed = api.get_roles(limit=100, order_by="name")
    assert listed.total_entries == 6
    assert "sdk_role" in [r.name for r in listed.roles]
    viewer = api.get_role("Viewer")
    assert ("can_read", "DAGs") in [(a.action.name, a.resource.name) for a in viewer.actions]

    pools = ActionResource(action=Action(name="can_read"), resource=Resource(name="Pools"))
    patched = api.patch_role("sdk_role", Role(name="sdk_role", actions=[pools]), update_mask=["actions"])
    assert [(a.action.name, a.resource.name) for a in patched.actions] == [("can_read", "Pools")]

    api.delete_role("sdk_role")
    with pytest.raises(NotFoundException):
        api.get_role("sdk_role")


def test_list_permissions(sdk):
    actions = PermissionApi(sdk).get_permissions()
    # Airflow 2.10.5's actions, in its order (creation order).
    expected = ["can_edit", "can_read", "can_create", "can_delete", "menu_access"]
    assert [a.name for a in actions.actions] == expected
    assert actions.total_entries == 5


def test_conflicts_carry_the_problem_body(sdk):
    with pytest.raises(ApiException) as caught:
        UserApi(sdk).delete_user("admin")
    assert caught.value.status == 409
    problem = json.loads(caught.value.body)
    assert problem["type"].endswith("#section/Errors/AlreadyExists")
    assert "last active Admin" in problem["detail"]

    with pytest.raises(ApiException) as unknown_role:
        UserApi(sdk).post_user(
            User(
                username="x",
                email="x@example.org",
                first_name="X",
                last_name="Y",
                password="pw",
                roles=[UserCollectionItemRoles(name="Wizard")],
            )
        )
    assert unknown_role.value.status == 400
    assert "'Wizard'" in json.loads(unknown_role.value.body)["detail"]
