"""DAG authoring: post_dag, get_dag_definition, put_dag_definition (JSON and YAML, ETag and If-Match)."""

from __future__ import annotations

import pytest

from tests.factories_access import audit_rows
from tests.factories_authoring import YAML, as_yaml, create_dag, definition, task_ids
from tests.problems import assert_problem


def test_post_dag_answers_the_dag_as_get_dag_details_shows_it(client, admin):
    created = create_dag(client, admin)
    details = client.get("/api/v1/dags/authored/details", auth=admin)
    assert created.json() == details.json()
    body = created.json()
    assert body["dag_id"] == "authored"
    assert body["description"] == "Written through the API"
    assert body["schedule_interval"] == {"__type": "CronExpression", "value": "0 * * * *"}
    assert body["tags"] == [{"name": "api"}]
    assert body["params"]["env"]["value"] == "staging"
    assert body["fileloc"] == "api://dags/authored"
    assert created.headers["etag"].startswith('"1-')
    assert task_ids(client, admin) == ["extract", "load", "transform"]
    task = client.get("/api/v1/dags/authored/tasks/load", auth=admin).json()
    assert (task["retries"], task["downstream_task_ids"]) == (1, [])
    assert client.get("/api/v1/dags/authored/tasks/extract", auth=admin).json()["downstream_task_ids"] == [
        "transform"
    ]


def test_post_dag_accepts_yaml(client, admin):
    response = client.post(
        "/api/v1/dags", content=as_yaml(definition()), headers={"Content-Type": YAML}, auth=admin
    )
    assert response.status_code == 201, response.text
    assert response.json()["dag_id"] == "authored"


def test_an_api_dag_is_listed_paused_and_its_source_is_the_yaml(client, admin):
    create_dag(client, admin)
    listed = client.get("/api/v1/dags", auth=admin).json()
    assert [dag["dag_id"] for dag in listed["dags"]] == ["authored"]
    paused = client.patch("/api/v1/dags/authored", json={"is_paused": True}, auth=admin)
    assert paused.status_code == 200
    assert paused.json()["is_paused"] is True
    token = listed["dags"][0]["file_token"]
    source = client.get(f"/api/v1/dagSources/{token}", headers={"Accept": "text/plain"}, auth=admin)
    assert source.status_code == 200
    assert (
        source.text
        == client.get("/api/v1/dags/authored/definition", headers={"Accept": YAML}, auth=admin).text
    )


def test_get_definition_as_json_and_as_yaml_with_the_same_etag(client, admin):
    created = create_dag(client, admin)
    as_json = client.get("/api/v1/dags/authored/definition", auth=admin)
    assert as_json.status_code == 200
    assert as_json.headers["content-type"].startswith("application/json")
    assert as_json.json() == definition()
    in_yaml = client.get("/api/v1/dags/authored/definition", headers={"Accept": YAML}, auth=admin)
    assert in_yaml.headers["content-type"].startswith(YAML)
    assert "dag_id: authored" in in_yaml.text
    assert as_json.headers["etag"] == in_yaml.headers["etag"] == created.headers["etag"]


def test_get_definition_of_a_file_dag_is_the_file(client, admin, example_dags):
    response = client.get("/api/v1/dags/etl_daily/definition", headers={"Accept": YAML}, auth=admin)
    assert response.status_code == 200
    assert response.text.startswith("# Nightly sales ETL")
    assert response.headers["etag"].startswith('"file-')
    assert client.get("/api/v1/dags/etl_daily/definition", auth=admin).json()["dag_id"] == "etl_daily"


def test_put_definition_replaces_it_and_bumps_the_revision(client, admin):
    first = create_dag(client, admin).headers["etag"]
    changed = definition(description="Second version")
    changed["tasks"].append({"task_id": "report", "operator": "EmailOperator", "upstream": ["load"]})
    response = client.put(
        "/api/v1/dags/authored/definition", json=changed, headers={"If-Match": first}, auth=admin
    )
    assert response.status_code == 200, response.text
    assert response.json() == changed
    second = response.headers["etag"]
    assert second.startswith('"2-')
    assert second != first
    assert task_ids(client, admin) == ["extract", "load", "report", "transform"]
    assert client.get("/api/v1/dags/authored", auth=admin).json()["description"] == "Second version"
    assert next(row.extra for row in audit_rows("api.put_dag_definition")).count('"revision": 2') == 1


def test_put_definition_with_a_stale_if_match_is_refused_and_changes_nothing(client, admin):
    stale = create_dag(client, admin).headers["etag"]
    client.put("/api/v1/dags/authored/definition", json=definition(description="v2"), auth=admin)
    response = client.put(
        "/api/v1/dags/authored/definition",
        json=definition(description="v3"),
        headers={"If-Match": stale},
        auth=admin,
    )
    assert_problem(response, 412, "changed since")
    current = client.get("/api/v1/dags/authored/definition", auth=admin)
    assert current.json()["description"] == "v2"
    assert current.headers["etag"].startswith('"2-')


def test_put_the_same_yaml_again_keeps_the_revision(client, admin):
    create_dag(client, admin)
    text = as_yaml(definition()) + "# kept in git\n"
    put = client.put(
        "/api/v1/dags/authored/definition",
        content=text,
        headers={"Content-Type": YAML, "Accept": YAML},
        auth=admin,
    )
    assert put.status_code == 200
    assert put.text == text
    again = client.put(
        "/api/v1/dags/authored/definition", content=put.text, headers={"Content-Type": YAML}, auth=admin
    )
    assert again.headers["etag"] == put.headers["etag"]
    assert again.headers["etag"].startswith('"2-')


def test_if_match_star_matches_any_revision(client, admin):
    create_dag(client, admin)
    response = client.put(
        "/api/v1/dags/authored/definition",
        json=definition(description="x"),
        headers={"If-Match": "*"},
        auth=admin,
    )
    assert response.status_code == 200


def test_post_dag_with_a_taken_id_is_a_conflict(client, admin, example_dags):
    create_dag(client, admin)
    assert_problem(client.post("/api/v1/dags", json=definition(), auth=admin), 409, "through the API")
    taken = client.post("/api/v1/dags", json=definition("etl_daily"), auth=admin)
    assert_problem(taken, 409, "by a DAG file")


def test_file_dags_are_read_only_here(client, admin, example_dags):
    put = client.put("/api/v1/dags/etl_daily/definition", json=definition("etl_daily"), auth=admin)
    assert_problem(put, 409, "edit the file")
    post = client.post(
        "/api/v1/dags/etl_daily/tasks", json={"task_id": "t", "operator": "BashOperator"}, auth=admin
    )
    assert_problem(post, 409, "edit the file")
    patch = client.patch("/api/v1/dags/etl_daily/tasks/clean_orders", json={"retries": 5}, auth=admin)
    assert_problem(patch, 409, "edit the file")
    delete = client.delete("/api/v1/dags/etl_daily/tasks/notify_done", auth=admin)
    assert_problem(delete, 409, "edit the file")


def test_put_cannot_rename_the_dag(client, admin):
    create_dag(client, admin)
    response = client.put("/api/v1/dags/authored/definition", json=definition("renamed"), auth=admin)
    assert_problem(response, 400, "dag_id: must be 'authored'")


@pytest.mark.parametrize("method", ["get", "put"])
def test_definition_of_a_missing_dag_is_404(client, admin, method):
    response = client.request(method, "/api/v1/dags/nope/definition", json=definition("nope"), auth=admin)
    assert_problem(response, 404, "'nope'")


def test_delete_dag_deletes_an_api_dag_with_its_definition(client, admin):
    create_dag(client, admin)
    assert client.delete("/api/v1/dags/authored", auth=admin).status_code == 204
    assert_problem(client.get("/api/v1/dags/authored/definition", auth=admin), 404)
    assert create_dag(client, admin).headers["etag"].startswith('"1-')
