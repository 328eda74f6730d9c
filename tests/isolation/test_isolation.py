"""The isolation proof of issue 13: two organizations hold rows under the same names, and no read or write
made in one of them ever reaches the other's rows.

Through a real server (`orchestrator-api serve`), on the test's database: SQLite in the first pass of
`make test`, PostgreSQL in the second. Every GET operation of the spec is swept (``sweep.reads``), so an
operation added later is covered without touching this file; a path parameter the sweep has no value for
fails the test.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests import servers
from tests.factories_access import bearer
from tests.factories_authoring import definition
from tests.isolation.orgs import Auth, make_org
from tests.isolation.population import CONN, DAG, FOREIGN_KEYS, KEY, POOL, Contents, path_values, populate
from tests.isolation.sweep import call, reads, without_echo
from tests.problems import assert_problem

# What only a deployment Admin sees across organizations, by design: the list of every organization.
ADMIN_SEES_ALL = frozenset({"get_organizations"})
# Reads whose answer must show the caller's own marker: proof that the sweep reads real rows.
SHOWS_OWN_ROWS = frozenset(
    {
        "get_dags",
        "get_dag",
        "get_dag_details",
        "get_dag_definition",
        "get_dag_runs",
        "get_dag_run",
        "get_task_instances",
        "get_task_instance",
        "get_xcom_entry",
        "get_log",
        "get_variables",
        "get_variable",
        "get_pools",
        "get_pool",
        "get_connections",
        "get_connection",
        "get_event_logs",
        "get_event_log",
        "get_import_errors",
        "get_import_error",
        "get_dag_warnings",
        "get_datasets",
        "get_dataset",
        "get_dataset_events",
    }
)


@dataclass
class World:
    http: httpx.Client
    admin: Auth
    orgs: dict[str, Contents]

    def other(self, org_id: str) -> Contents:
        return next(c for name, c in self.orgs.items() if name != org_id)


@pytest.fixture
def world(database: str, tmp_path: Path, admin: Auth, make_user: Any) -> Iterator[World]:
    alice, bob = make_user("alice", "Viewer"), make_user("bob", "Viewer")
    with servers.serve(database, tmp_path) as (url,), httpx.Client(base_url=url, timeout=60) as http:
        acme, globex = make_org(http, alice, "acme"), make_org(http, bob, "globex")
        yield World(http, admin, {"acme": populate(http, acme), "globex": populate(http, globex)})


def callers(world: World, contents: Contents) -> dict[str, dict[str, Any]]:
    """Who reads in an organization: its Owner, its Owner-role token (no header), a deployment Admin."""
    org = contents.org
    return {
        "owner": {"auth": org.owner, "headers": org.header, "username": org.owner[0]},
        "token": {"auth": None, "headers": bearer(contents.org_token), "username": org.owner[0]},
        "admin": {"auth": world.admin, "headers": org.header, "username": world.admin[0]},
    }


def sweep(world: World, contents: Contents, who: str, values: dict[str, str]) -> dict[str, tuple[int, str]]:
    caller = callers(world, contents)[who]
    world.http.auth = caller["auth"]  # type: ignore[assignment]
    try:
        return {r.operation_id: call(world.http, r, values, caller["headers"]) for r in reads()}
    finally:
        world.http.auth = None  # type: ignore[assignment]


@pytest.mark.parametrize("who", ["owner", "token", "admin"])
def test_no_read_shows_a_foreign_row(world, who):
    for org_id, contents in world.orgs.items():
        foreign = world.other(org_id).org.org_id
        values = path_values(contents, callers(world, contents)[who]["username"])
        answers = sweep(world, contents, who, values)
        for operation_id, (status, text) in answers.items():
            assert status < 500, (operation_id, status, text)
            if not (who == "admin" and operation_id in ADMIN_SEES_ALL):
                assert foreign not in text.lower(), (org_id, who, operation_id, text)
        # Each of these shows the caller's own rows, unless the caller's role may not read it at all.
        # The Admin may read them all, so the sweep provably reads real rows of both organizations.
        shown = {op for op, (status, text) in answers.items() if status == 200 and org_id in text.lower()}
        refused = {op for op, (status, _) in answers.items() if status == 403}
        assert shown | refused >= SHOWS_OWN_ROWS, (org_id, who, sorted(SHOWS_OWN_ROWS - shown - refused))
        if who == "admin":
            assert shown >= SHOWS_OWN_ROWS, (org_id, sorted(SHOWS_OWN_ROWS - shown))


@pytest.mark.parametrize("who", ["owner", "token"])
def test_a_foreign_key_in_a_path_is_not_found(world, who):
    for org_id, contents in world.orgs.items():
        other = world.other(org_id)
        foreign_values = path_values(other, "")
        values = path_values(contents, callers(world, contents)[who]["username"])
        probes = [r for r in reads() if set(r.path_parameters) & set(FOREIGN_KEYS)]
        assert {p.operation_id for p in probes} >= {"get_event_log", "get_import_error", "get_organization"}
        for read in probes:
            swapped = {**values, **{k: foreign_values[k] for k in FOREIGN_KEYS if k in read.path_parameters}}
            status, text = sweep_one(world, contents, who, read, swapped)
            assert status in (403, 404), (org_id, who, read.operation_id, status, text)
            assert other.org.org_id not in without_echo(text).lower(), (read.operation_id, text)


def sweep_one(
    world: World, contents: Contents, who: str, read: Any, values: dict[str, str]
) -> tuple[int, str]:
    caller = callers(world, contents)[who]
    response_auth = caller["auth"]
    world.http.auth = response_auth  # type: ignore[assignment]
    try:
        return call(world.http, read, values, caller["headers"])
    finally:
        world.http.auth = None  # type: ignore[assignment]


SNAPSHOT = (
    "/dags",
    "/dags/~/dagRuns",
    "/dags/~/dagRuns/~/taskInstances",
    "/variables",
    "/pools",
    "/connections",
    "/eventLogs",
    f"/dags/{DAG}/triggerTokens",
    "/datasets/events",
)


def snapshot(world: World, contents: Contents) -> dict[str, Any]:
    """What the organization's Owner reads; audit rows of their own reads (listing trigger tokens is
    audited, as it needs an edit permission) are left out, so only rows others caused count."""
    org = contents.org
    taken = {
        path: world.http.get(f"/api/v1{path}", auth=org.owner, headers=org.header).json() for path in SNAPSHOT
    }
    events = [e for e in taken["/eventLogs"]["event_logs"] if e["owner"] != org.owner[0]]
    taken["/eventLogs"] = events
    return taken


def foreign_writes(world: World, foreign: Contents) -> list[tuple[str, str, dict[str, Any] | None]]:
    only, org_id = foreign.only, foreign.org.org_id
    return [
        ("PATCH", f"/variables/{only['variable']}", {"key": only["variable"], "value": "stolen"}),
        ("DELETE", f"/variables/{only['variable']}", None),
        ("PATCH", f"/pools/{only['pool']}", {"name": only["pool"], "slots": 99}),
        ("DELETE", f"/pools/{only['pool']}", None),
        (
            "PATCH",
            f"/connections/{only['connection']}",
            {"connection_id": only["connection"], "conn_type": "ftp"},
        ),
        ("DELETE", f"/connections/{only['connection']}", None),
        ("PATCH", f"/dags/{only['dag']}", {"is_paused": False}),
        ("POST", f"/dags/{only['dag']}/dagRuns", {}),
        ("PUT", f"/dags/{only['dag']}/definition", definition(only["dag"], description="stolen")),
        ("DELETE", f"/dags/{only['dag']}", None),
        ("DELETE", f"/dags/{DAG}/triggerTokens/{foreign.trigger_token_id}", None),
        ("DELETE", f"/organizations/{org_id}/tokens/{foreign.org_token_id}", None),
        ("PATCH", f"/organizations/{org_id}?update_mask=name", {"name": "stolen"}),
        ("POST", f"/organizations/{org_id}/members", {"username": "admin", "role": "Owner"}),
        ("DELETE", f"/organizations/{org_id}", None),
    ]


def test_foreign_writes_fail_and_change_nothing(world):
    acme, globex = world.orgs["acme"], world.orgs["globex"]
    before = snapshot(world, globex)
    for method, path, body in foreign_writes(world, globex):
        response = world.http.request(
            method, f"/api/v1{path}", json=body, auth=acme.org.owner, headers=acme.org.header
        )
        assert_problem(response, 404)
    # Naming the other organization in the header is refused the same way, before anything is read.
    refused = world.http.post(
        "/api/v1/variables", json={"key": KEY, "value": "x"}, auth=acme.org.owner, headers=globex.org.header
    )
    assert_problem(refused, 404)
    as_token = world.http.post(
        "/api/v1/variables",
        json={"key": KEY, "value": "x"},
        headers={**bearer(acme.org_token), **globex.org.header},
    )
    assert_problem(as_token, 404)
    # The same names in acme change acme's rows only.
    for method, path, body in (
        ("PATCH", f"/variables/{KEY}", {"key": KEY, "value": "acme changed"}),
        ("PATCH", f"/pools/{POOL}", {"name": POOL, "slots": 7}),
        ("DELETE", f"/connections/{CONN}", None),
        ("PATCH", f"/dags/{DAG}", {"is_paused": False}),
    ):
        response = world.http.request(method, f"/api/v1{path}", json=body, headers=bearer(acme.org_token))
        assert response.status_code in (200, 204), (path, response.text)
    after = snapshot(world, globex)
    assert after == before


def test_names_are_unique_per_organization_only(world):
    for contents in world.orgs.values():
        org = contents.org
        for path, body in (
            ("/pools", {"name": POOL, "slots": 1}),
            ("/connections", {"connection_id": CONN, "conn_type": "http"}),
            ("/dags", definition(DAG)),
        ):
            response = world.http.post(f"/api/v1{path}", json=body, auth=org.owner, headers=org.header)
            assert_problem(response, 409)
        variable = world.http.get(f"/api/v1/variables/{KEY}", auth=org.owner, headers=org.header)
        assert variable.json()["value"] == f"{org.org_id} value "
