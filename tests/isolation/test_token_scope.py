"""DAG-scoped organization tokens see and touch only their DAGs, on every DAG-bearing operation."""

from __future__ import annotations

from typing import Any

import pytest

from orchestrator_api.tenancy.context import scoped
from tests import factories, factories_observability
from tests.factories_access import bearer
from tests.factories_authoring import definition
from tests.isolation.orgs import Org, author_dag, organization_pk
from tests.problems import assert_problem

# Lists that carry DAG ids, and where each row keeps its DAG id.
DAG_LISTS = {
    "/api/v1/dags": ("dags", "dag_id"),
    "/api/v1/dags/~/dagRuns": ("dag_runs", "dag_id"),
    "/api/v1/dags/~/dagRuns/~/taskInstances": ("task_instances", "dag_id"),
    "/api/v1/dags/~/dagRuns/~/taskInstances/~/xcomEntries": ("xcom_entries", "dag_id"),
    "/api/v1/eventLogs?event=scope-probe": ("event_logs", "dag_id"),
    "/api/v1/dagWarnings": ("dag_warnings", "dag_id"),
    "/api/v1/datasets/events": ("dataset_events", "source_dag_id"),
    "/api/v1/dagStats?dag_ids=a,b": ("dags", "dag_id"),
}


@pytest.fixture
def two_dags(client: Any, acme: Org) -> Org:
    """DAGs `a` (tag `etl`) and `b` (tag `ml`) in acme, each with a run, task instances, an XCom, an audit
    row, a warning and a dataset event."""
    author_dag(client, acme, "a", tags=["etl"])
    author_dag(client, acme, "b", tags=["ml"])
    for dag_id in ("a", "b"):
        run = client.post(
            f"/api/v1/dags/{dag_id}/dagRuns", json={"dag_run_id": "r1"}, auth=acme.owner, headers=acme.header
        )
        assert run.status_code == 200, run.text
    with scoped(organization_pk("acme")):
        factories_observability.dataset("s3://scope/data")
        for dag_id in ("a", "b"):
            factories.xcom(dag_id, "r1", "extract", "k", 1)
            factories_observability.event_log("scope-probe", dag_id=dag_id)
            factories_observability.dag_warning(dag_id, "non-existent pool", f"warning of {dag_id}")
            factories.dataset_event("s3://scope/data", source=(dag_id, "load", "r1"))
    return acme


def dag_ids_in(client: Any, path: str, headers: dict[str, str]) -> set[str]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.text)
    body = response.json()
    rows = next(value for value in body.values() if isinstance(value, list))
    key = DAG_LISTS[path][1]
    return {row[key] for row in rows if row.get(key)}


@pytest.mark.parametrize("scope", [{"dag_ids": ["a"]}, {"dag_tags": ["etl"]}], ids=["ids", "tags"])
def test_a_scoped_token_lists_only_its_dags(client, two_dags, org_token, scope):
    token = org_token(two_dags, role="Owner", **scope)["token"]
    unscoped = org_token(two_dags, role="Owner")["token"]
    for path in DAG_LISTS:
        assert dag_ids_in(client, path, bearer(unscoped)) == {"a", "b"}, path
        assert dag_ids_in(client, path, bearer(token)) == {"a"}, path
    listed = client.get("/api/v1/dags", headers=bearer(token)).json()
    assert listed["total_entries"] == 1


@pytest.mark.parametrize("scope", [{"dag_ids": ["a"]}, {"dag_tags": ["etl"]}], ids=["ids", "tags"])
def test_a_scoped_token_is_refused_on_other_dags_routes(client, two_dags, org_token, scope):
    """As for a role granted `DAG:a` only: the other DAG's routes answer 403, whether it exists or not."""
    headers = bearer(org_token(two_dags, role="Owner", **scope)["token"])
    for dag_id, status in (("a", 200), ("b", 403), ("missing", 403)):
        for path in (
            f"/api/v1/dags/{dag_id}",
            f"/api/v1/dags/{dag_id}/details",
            f"/api/v1/dags/{dag_id}/tasks",
            f"/api/v1/dags/{dag_id}/dagRuns",
            f"/api/v1/dags/{dag_id}/dagRuns/r1/taskInstances",
            f"/api/v1/dags/{dag_id}/dagRuns/r1/taskInstances/extract/xcomEntries/k",
            f"/api/v1/dags/{dag_id}/dagRuns/r1/taskInstances/extract/logs/1",
            f"/api/v1/dags/{dag_id}/dagRuns/r1/upstreamDatasetEvents",
        ):
            response = client.get(path, headers=headers)
            if status == 200 and dag_id == "a" and path.endswith("/logs/1"):
                assert response.status_code in (200, 404), (path, response.text)  # no log written
            elif status == 200:
                assert response.status_code == 200, (path, response.text)
            else:
                assert_problem(response, status, f"DAG {dag_id!r}")


def test_a_scoped_token_changes_only_its_dags(client, two_dags, org_token):
    headers = bearer(org_token(two_dags, role="Owner", dag_ids=["a"])["token"])
    owner = {"auth": two_dags.owner, "headers": two_dags.header}
    runs = {d: client.get(f"/api/v1/dags/{d}/dagRuns", **owner).json()["total_entries"] for d in "ab"}
    assert_problem(client.post("/api/v1/dags/b/dagRuns", json={}, headers=headers), 403)
    assert_problem(client.patch("/api/v1/dags/b", json={"is_paused": False}, headers=headers), 403)
    clear = {"dry_run": False, "reset_dag_runs": False}
    assert_problem(client.post("/api/v1/dags/b/clearTaskInstances", json=clear, headers=headers), 403)
    assert client.post("/api/v1/dags/a/dagRuns", json={}, headers=headers).status_code == 200
    b_paused = client.get("/api/v1/dags/b", **owner).json()["is_paused"]
    flipped = not b_paused
    bulk = client.patch("/api/v1/dags?dag_id_pattern=~", json={"is_paused": flipped}, headers=headers)
    assert bulk.status_code == 200, bulk.text
    assert [d["dag_id"] for d in bulk.json()["dags"]] == ["a"]
    assert client.get("/api/v1/dags/b", **owner).json()["is_paused"] is b_paused
    assert client.get("/api/v1/dags/a", **owner).json()["is_paused"] is flipped
    after = {d: client.get(f"/api/v1/dags/{d}/dagRuns", **owner).json()["total_entries"] for d in "ab"}
    assert after == {"a": runs["a"] + 1, "b": runs["b"]}


def test_batch_reads_skip_or_refuse_other_dags(client, two_dags, org_token):
    headers = bearer(org_token(two_dags, role="Owner", dag_ids=["a"])["token"])
    runs = client.post("/api/v1/dags/~/dagRuns/list", json={}, headers=headers)
    assert {r["dag_id"] for r in runs.json()["dag_runs"]} == {"a"}
    instances = client.post("/api/v1/dags/~/dagRuns/~/taskInstances/list", json={}, headers=headers)
    assert {t["dag_id"] for t in instances.json()["task_instances"]} == {"a"}
    refused = client.post(
        "/api/v1/dags/~/dagRuns/~/taskInstances/list", json={"dag_ids": ["b"]}, headers=headers
    )
    assert_problem(refused, 403)


def test_retagging_moves_a_dag_into_a_tag_scope(client, two_dags, org_token):
    headers = bearer(org_token(two_dags, role="Viewer", dag_tags=["etl"])["token"])
    assert_problem(client.get("/api/v1/dags/b", headers=headers), 403)
    definition = client.get("/api/v1/dags/b/definition", auth=two_dags.owner, headers=two_dags.header)
    assert definition.status_code == 200, definition.text
    body = {**definition.json(), "tags": ["ml", "etl"]}
    etag = definition.headers.get("ETag")
    extra = {"If-Match": etag} if etag else {}
    put = client.put(
        "/api/v1/dags/b/definition", json=body, auth=two_dags.owner, headers={**two_dags.header, **extra}
    )
    assert put.status_code == 200, put.text
    assert client.get("/api/v1/dags/b", headers=headers).status_code == 200


def test_a_tag_scope_reads_tags_of_its_own_organization(client, two_dags, globex, org_token):
    """Another organization's DAG `b` carries the tag: acme's `b` still does not."""
    author_dag(client, globex, "b", tags=["etl"])
    headers = bearer(org_token(two_dags, role="Viewer", dag_tags=["etl"])["token"])
    assert dag_ids_in(client, "/api/v1/dags", headers) == {"a"}
    assert_problem(client.get("/api/v1/dags/b", headers=headers), 403)


def test_a_scoped_token_creates_no_dags(client, acme, org_token):
    headers = bearer(org_token(acme, role="Owner", dag_ids=["c"])["token"])
    assert_problem(client.post("/api/v1/dags", json=definition("c"), headers=headers), 403, "narrowed")
    unscoped = bearer(org_token(acme, role="Owner")["token"])
    assert client.post("/api/v1/dags", json=definition("c"), headers=unscoped).status_code == 201
