"""DAG authoring refusals: invalid definitions (400 naming the field), permissions, file vs API DAGs."""

from __future__ import annotations

import pytest

from orchestrator_api import db
from orchestrator_api.dags import sync_dags
from tests import factories
from tests.factories_authoring import YAML, create_dag, definition
from tests.problems import assert_problem


def tasks(*extra):
    base = definition()["tasks"]
    return [*base, *extra]


@pytest.mark.parametrize(
    ("fields", "detail"),
    [
        (
            {
                "tasks": [
                    {"task_id": "a", "operator": "X", "upstream": ["b"]},
                    {"task_id": "b", "operator": "X", "upstream": ["a"]},
                ]
            },
            "tasks: dependency cycle a -> b -> a",
        ),
        (
            {"tasks": tasks({"task_id": "z", "operator": "X", "upstream": ["ghost"]})},
            "tasks[3].upstream[0]: unknown task_id",
        ),
        (
            {"tasks": tasks({"task_id": "extract", "operator": "X"})},
            "tasks[3].task_id: duplicate task_id 'extract'",
        ),
        ({"schedule": "61 * * * *"}, "schedule: invalid cron expression"),
        ({"schedule": "* * *"}, "schedule: the cron expression has 3 fields"),
        ({"schedule": "@fortnightly"}, "schedule: unknown preset"),
        ({"max_consecutive_failed_dag_runs": 51978672213017}, "up to 2147483647"),
        ({"tasks": tasks({"task_id": "bad id!", "operator": "X"})}, "Body field /tasks/3/task_id"),
        (
            {"tasks": tasks({"task_id": "x", "operator": "not an operator"})},
            "tasks[3].operator: expected a class",
        ),
        (
            {"tasks": tasks({"task_id": "x", "operator": "X", "trigger_rule": "maybe"})},
            "tasks[3].trigger_rule",
        ),
        ({"default_args": {"retries": -1}}, "default_args.retries"),
        ({"start_date": "yesterday"}, "start_date: expected an RFC 3339 timestamp"),
    ],
)
def test_invalid_definitions_are_400_naming_the_field_and_change_nothing(client, admin, fields, detail):
    assert_problem(client.post("/api/v1/dags", json=definition(**fields), auth=admin), 400, detail)
    assert_problem(client.get("/api/v1/dags/authored", auth=admin), 404)
    etag = create_dag(client, admin).headers["etag"]
    put = client.put("/api/v1/dags/authored/definition", json=definition(**fields), auth=admin)
    assert_problem(put, 400, detail)
    after = client.get("/api/v1/dags/authored/definition", auth=admin)
    assert after.headers["etag"] == etag
    assert after.json() == definition()


def test_an_invalid_dag_id_is_refused_by_the_schema(client, admin):
    response = client.post("/api/v1/dags", json=definition("no spaces"), auth=admin)
    assert_problem(response, 400, "dag_id")


def test_yaml_errors_point_at_the_line(client, admin):
    text = "dag_id: y\ntasks:\n  - task_id: a\n    operator: X\n    upstream: [nope]\n"
    response = client.post("/api/v1/dags", content=text, headers={"Content-Type": YAML}, auth=admin)
    assert_problem(response, 400, "tasks[0].upstream[0]: unknown task_id 'nope' (line 5)")
    broken = client.post("/api/v1/dags", content="dag_id: [", headers={"Content-Type": YAML}, auth=admin)
    assert_problem(broken, 400, "invalid YAML")
    binary = client.post("/api/v1/dags", content=b"\xff\xfe", headers={"Content-Type": YAML}, auth=admin)
    assert_problem(binary, 400, "UTF-8")
    unknown = client.post(
        "/api/v1/dags",
        content="dag_id: y\ntasks: []\ncolor: red\n",
        headers={"Content-Type": YAML},
        auth=admin,
    )
    assert_problem(unknown, 400, "unknown key 'color'")


def test_other_media_types_are_refused(client, admin):
    response = client.post(
        "/api/v1/dags", content="dag_id: x", headers={"Content-Type": "text/plain"}, auth=admin
    )
    assert_problem(response, 415, framework=True)
    create_dag(client, admin)
    html = client.get("/api/v1/dags/authored/definition", headers={"Accept": "text/html"}, auth=admin)
    assert_problem(html, 406)


def test_an_unknown_pool_is_accepted_with_a_dag_warning(client, admin):
    create_dag(client, admin, default_args={"pool": "gpu"})
    warnings = client.get("/api/v1/dagWarnings?dag_id=authored", auth=admin).json()["dag_warnings"]
    assert [w["warning_type"] for w in warnings] == ["non-existent pool"]
    assert "'gpu'" in warnings[0]["message"]
    client.put("/api/v1/dags/authored/definition", json=definition(), auth=admin)
    assert client.get("/api/v1/dagWarnings?dag_id=authored", auth=admin).json()["dag_warnings"] == []


# ---------------------------------------------------------------- permissions

OPERATIONS = [
    ("post", "/api/v1/dags", definition()),
    ("get", "/api/v1/dags/authored/definition", None),
    ("put", "/api/v1/dags/authored/definition", definition()),
    ("post", "/api/v1/dags/authored/tasks", {"task_id": "t", "operator": "X"}),
    ("patch", "/api/v1/dags/authored/tasks/load", {"retries": 2}),
    ("delete", "/api/v1/dags/authored/tasks/load", None),
]


@pytest.mark.parametrize(("method", "path", "body"), OPERATIONS)
def test_every_authoring_operation_needs_credentials(client, admin, method, path, body):
    create_dag(client, admin)
    assert_problem(client.request(method, path, json=body), 401)


@pytest.mark.parametrize(("method", "path", "body"), [op for op in OPERATIONS if op[0] != "get"])
def test_viewers_and_users_may_not_author(client, admin, make_user, method, path, body):
    create_dag(client, admin)
    for auth in (make_user("viewer", "Viewer"), make_user("user", "User")):
        assert_problem(client.request(method, path, json=body, auth=auth), 403, "DAG")
    assert client.get("/api/v1/dags/authored/definition", auth=admin).headers["etag"].startswith('"1-')


def test_viewers_may_read_definitions_and_ops_may_author(client, admin, make_user):
    create_dag(client, admin)
    viewer = make_user("viewer", "Viewer")
    assert client.get("/api/v1/dags/authored/definition", auth=viewer).status_code == 200
    op = make_user("op", "Op")
    assert client.post("/api/v1/dags", json=definition("by_op"), auth=op).status_code == 201
    assert client.delete("/api/v1/dags/authored/tasks/load", auth=op).status_code == 204


def test_per_dag_edit_rights_apply_to_definitions_and_tasks(client, admin, make_user):
    create_dag(client, admin)
    create_dag(client, admin, dag_id="other")
    factories.role(
        "authored_editor",
        ("can_read", "DAGs"),
        ("can_edit", "DAG:authored"),
        ("can_edit", "DAG Definitions"),
    )
    editor = make_user("editor", "authored_editor")
    ok = client.patch("/api/v1/dags/authored/tasks/load", json={"retries": 2}, auth=editor)
    assert ok.status_code == 200, ok.text
    refused = client.patch("/api/v1/dags/other/tasks/load", json={"retries": 2}, auth=editor)
    assert_problem(refused, 403, "DAG 'other'")
    put = client.put("/api/v1/dags/other/definition", json=definition("other"), auth=editor)
    assert_problem(put, 403, "DAG 'other'")


def test_deleting_an_api_dag_needs_delete_on_dag_definitions(client, admin, make_user):
    create_dag(client, admin)
    user = make_user("user", "User")  # may delete DAGs, not definitions
    assert_problem(client.delete("/api/v1/dags/authored", auth=user), 403, "DAG Definitions")
    assert client.get("/api/v1/dags/authored", auth=admin).status_code == 200


# ---------------------------------------------------------------- DAG files and API DAGs


def test_dags_sync_never_touches_an_api_dag_and_a_file_cannot_shadow_it(client, admin, tmp_path):
    etag = create_dag(client, admin).headers["etag"]
    shadow = "dag_id: authored\ntasks:\n  - task_id: only\n    operator: BashOperator\n"
    (tmp_path / "shadow.yaml").write_text(shadow)
    (tmp_path / "own.yaml").write_text(shadow.replace("authored", "own"))
    with db.transaction() as session:
        report = sync_dags(session, tmp_path)
    assert (report.added, report.updated, report.deactivated) == (["own"], [], [])
    errors = client.get("/api/v1/importErrors", auth=admin).json()["import_errors"]
    assert [e["filename"].rsplit("/", 1)[-1] for e in errors] == ["shadow.yaml"]
    assert "is defined through the API" in errors[0]["stack_trace"]
    current = client.get("/api/v1/dags/authored/definition", auth=admin)
    assert current.headers["etag"] == etag
    assert current.json() == definition()
    assert client.get("/api/v1/dags/authored", auth=admin).json()["is_active"] is True
