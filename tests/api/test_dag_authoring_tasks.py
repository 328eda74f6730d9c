"""DAG authoring: post_task, patch_task (update_mask), delete_task (cascade), and runs of API DAGs."""

from __future__ import annotations

from tests.factories_access import audit_rows
from tests.factories_authoring import create_dag, definition, task_ids
from tests.problems import assert_problem

TASKS = "/api/v1/dags/authored/tasks"


def definition_tasks(client, admin):
    return client.get("/api/v1/dags/authored/definition", auth=admin).json()["tasks"]


def test_post_task_adds_it_to_the_definition_and_the_dag(client, admin):
    etag = create_dag(client, admin).headers["etag"]
    body = {"task_id": "report", "operator": "EmailOperator", "upstream": ["load"], "retries": 3}
    response = client.post(TASKS, json=body, headers={"If-Match": etag}, auth=admin)
    assert response.status_code == 201, response.text
    assert response.json() == body
    assert response.headers["etag"].startswith('"2-')
    assert definition_tasks(client, admin)[-1] == body
    assert task_ids(client, admin) == ["extract", "load", "report", "transform"]
    assert client.get(f"{TASKS}/load", auth=admin).json()["downstream_task_ids"] == ["report"]
    [row] = audit_rows("api.post_task")
    assert row.dag_id == "authored"
    assert '"revision": 2' in row.extra


def test_patch_task_with_a_mask_changes_only_the_masked_fields(client, admin):
    create_dag(client, admin)
    response = client.patch(
        f"{TASKS}/transform?update_mask=retries",
        json={"retries": 4, "operator": "Ignored"},
        auth=admin,
    )
    assert response.status_code == 200, response.text
    assert response.json() == {
        "task_id": "transform",
        "operator": "PythonOperator",
        "upstream": ["extract"],
        "retries": 4,
    }
    assert client.get(f"{TASKS}/transform", auth=admin).json()["retries"] == 4


def test_patch_task_without_a_mask_applies_the_body_and_null_removes_a_field(client, admin):
    create_dag(client, admin)
    response = client.patch(
        f"{TASKS}/extract", json={"bash_command": None, "trigger_rule": "all_done"}, auth=admin
    )
    assert response.status_code == 200, response.text
    assert response.json() == {"task_id": "extract", "operator": "BashOperator", "trigger_rule": "all_done"}
    assert client.get(f"{TASKS}/extract", auth=admin).json()["trigger_rule"] == "all_done"


def test_patch_task_refuses_a_new_task_id_an_unknown_mask_field_and_a_bad_value(client, admin):
    etag = create_dag(client, admin).headers["etag"]
    assert_problem(client.patch(f"{TASKS}/extract", json={"task_id": "x"}, auth=admin), 400, "task_id cannot")
    masked = client.patch(f"{TASKS}/extract?update_mask=colour", json={}, auth=admin)
    assert_problem(masked, 400, "update_mask names an unknown field: colour")
    bad = client.patch(f"{TASKS}/extract", json={"trigger_rule": "sometimes"}, auth=admin)
    assert_problem(bad, 400, "tasks[0].trigger_rule")
    assert client.get("/api/v1/dags/authored/definition", auth=admin).headers["etag"] == etag


def test_patch_or_delete_a_missing_task_is_404(client, admin):
    create_dag(client, admin)
    assert_problem(client.patch(f"{TASKS}/nope", json={"retries": 1}, auth=admin), 404, "'nope'")
    assert_problem(client.delete(f"{TASKS}/nope", auth=admin), 404, "'nope'")


def test_delete_task_that_others_depend_on_is_refused_unless_cascade(client, admin):
    etag = create_dag(client, admin).headers["etag"]
    refused = client.delete(f"{TASKS}/extract", auth=admin)
    assert_problem(refused, 409, "upstream of 'transform'")
    assert client.get("/api/v1/dags/authored/definition", auth=admin).headers["etag"] == etag
    response = client.delete(f"{TASKS}/extract?cascade=true", auth=admin)
    assert response.status_code == 204
    assert response.headers["etag"].startswith('"2-')
    assert task_ids(client, admin) == ["load", "transform"]
    assert definition_tasks(client, admin)[0] == {"task_id": "transform", "operator": "PythonOperator"}


def test_delete_a_leaf_task(client, admin):
    create_dag(client, admin)
    assert client.delete(f"{TASKS}/load", auth=admin).status_code == 204
    assert task_ids(client, admin) == ["extract", "transform"]
    assert client.get(f"{TASKS}/transform", auth=admin).json()["downstream_task_ids"] == []


def test_task_changes_honour_if_match(client, admin):
    stale = create_dag(client, admin).headers["etag"]
    client.patch(f"{TASKS}/load", json={"retries": 2}, auth=admin)
    new_task = {"task_id": "t", "operator": "BashOperator"}
    assert_problem(client.post(TASKS, json=new_task, headers={"If-Match": stale}, auth=admin), 412)
    assert_problem(
        client.patch(f"{TASKS}/load", json={"retries": 5}, headers={"If-Match": stale}, auth=admin), 412
    )
    assert_problem(client.delete(f"{TASKS}/load", headers={"If-Match": stale}, auth=admin), 412)
    assert task_ids(client, admin) == ["extract", "load", "transform"]
    assert client.get(f"{TASKS}/load", auth=admin).json()["retries"] == 2


def test_a_run_gets_the_tasks_current_at_trigger_time(client, admin):
    create_dag(client, admin)
    first = client.post("/api/v1/dags/authored/dagRuns", json={"dag_run_id": "one"}, auth=admin)
    assert first.status_code == 200, first.text
    client.delete(f"{TASKS}/load", auth=admin)
    client.post(
        TASKS, json={"task_id": "publish", "operator": "BashOperator", "pool": "default_pool"}, auth=admin
    )
    second = client.post(
        "/api/v1/dags/authored/dagRuns", json={"dag_run_id": "two", "conf": {"x": 1}}, auth=admin
    )
    assert second.status_code == 200, second.text

    def instances(run_id):
        response = client.get(f"/api/v1/dags/authored/dagRuns/{run_id}/taskInstances", auth=admin)
        return sorted(ti["task_id"] for ti in response.json()["task_instances"])

    assert instances("one") == ["extract", "load", "transform"]
    assert instances("two") == ["extract", "publish", "transform"]
    assert definition() != client.get("/api/v1/dags/authored/definition", auth=admin).json()
