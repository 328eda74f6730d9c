"""Behaviour every operation shares: request ids, the access log, body limits, negotiation, routing errors."""

from __future__ import annotations

import logging

from tests.problems import assert_problem


def test_request_id_is_echoed_or_generated(client, admin):
    mine = client.get("/api/v1/version", headers={"X-Request-ID": "abc-123"})
    assert mine.headers["x-request-id"] == "abc-123"
    generated = client.get("/api/v1/version", headers={"X-Request-ID": "bad id with spaces\n"})
    assert generated.headers["x-request-id"] != "bad id with spaces\n"
    assert len(generated.headers["x-request-id"]) == 32


def test_access_log_has_one_line_with_user_status_and_id(client, admin, caplog):
    caplog.set_level(logging.INFO, logger="orchestrator_api.access")
    response = client.get("/api/v1/dags?limit=1", auth=admin, headers={"X-Request-ID": "trace-1"})
    lines = [r.getMessage() for r in caplog.records if r.name == "orchestrator_api.access"]
    assert len(lines) == 1
    assert lines[0].startswith("GET /api/v1/dags 200 ")
    assert "id=trace-1" in lines[0]
    assert "user=admin" in lines[0]
    assert "limit" not in lines[0], "query strings may carry secrets and are not logged"
    assert response.headers["x-request-id"] == "trace-1"


def test_trigger_tokens_in_paths_are_redacted_from_logs_and_problems(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.post("/api/v1/triggers/oapi_trg_supersecretvalue", json={})
    assert "supersecretvalue" not in response.text
    server_records = [
        r for r in caplog.records if not r.name.startswith("httpx")
    ]  # httpx is the test's client
    assert server_records
    assert all("supersecretvalue" not in r.getMessage() for r in server_records)


def test_oversized_bodies_are_refused(client, admin, settings_env):
    settings_env(MAX_REQUEST_BODY_BYTES="64")
    from orchestrator_api.app import create_app

    small_app = create_app()
    with small_app.test_client() as small_client:
        declared = small_client.patch(
            "/api/v1/dags/x", json={"is_paused": True, "pad": "x" * 100}, auth=admin
        )
        assert_problem(declared, 413, "64 bytes")

        def chunks():
            yield b'{"is_paused": true, "pad": "'
            yield b"x" * 100
            yield b'"}'

        streamed = small_client.patch(
            "/api/v1/dags/x", content=chunks(), headers={"Content-Type": "application/json"}, auth=admin
        )
        assert_problem(streamed, 413)


def test_airflow_operations_answer_json_whatever_accept_says(client, admin):
    # Measured on Airflow 2.10.5: GET /pools with Accept: application/xml (or text/html) answers 200 JSON.
    for accept in ("application/xml", "text/html"):
        response = client.get("/api/v1/pools", headers={"Accept": accept}, auth=admin)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("application/json")
        assert response.json()["pools"][0]["name"] == "default_pool"


def test_operations_that_negotiate_answer_406(client, admin):
    # Airflow's get_config chooses its media type from Accept and answers 406; so do our extensions.
    assert_problem(client.get("/api/v1/config", headers={"Accept": "text/html"}, auth=admin), 406)
    assert_problem(client.get("/api/v1/users/admin/tokens", headers={"Accept": "text/html"}, auth=admin), 406)
    assert (
        client.get("/api/v1/dags", headers={"Accept": "application/*;q=0.5"}, auth=admin).status_code == 200
    )
    assert client.get("/api/v1/dags", headers={"Accept": "*/*"}, auth=admin).status_code == 200


# Airflow 2.10.5's answers to a route or method it does not have (measured): werkzeug's sentences, type
# about:blank.
NO_ROUTE = (
    "The requested URL was not found on the server. If you entered the URL manually please check your "
    "spelling and try again."
)
NO_METHOD = "The method is not allowed for the requested URL."


def test_unknown_paths_and_methods(client, admin):
    for path in ("/api/v1/nothing/here", "/elsewhere"):
        body = assert_problem(client.get(path, auth=admin), 404, framework=True)
        assert (body["title"], body["detail"]) == ("Not Found", NO_ROUTE)
    response = client.delete("/api/v1/health")
    body = assert_problem(response, 405, framework=True)
    assert (body["title"], body["detail"]) == ("Method Not Allowed", NO_METHOD)
    assert response.headers["allow"] == "HEAD, GET"


def test_an_unsupported_media_type_is_a_framework_error(client, admin):
    headers = {"Content-Type": "text/plain"}
    response = client.post("/api/v1/pools", content=b"a=b", headers=headers, auth=admin)
    body = assert_problem(response, 415, framework=True)
    assert body["title"] == "Unsupported Media Type"
    assert "text/plain" not in body["detail"], "the submitted value is not echoed"


def test_root_redirects_to_swagger_ui(client):
    response = client.get("/", follow_redirects=False)
    assert response.status_code == 302
    assert response.headers["location"].endswith("/api/v1/ui/")
    ui = client.get("/api/v1/ui/")
    assert ui.status_code == 200
    assert "swagger" in ui.text.lower()


def test_spec_is_served_as_json_and_yaml(client):
    as_json = client.get("/api/v1/openapi.json")
    assert as_json.status_code == 200
    assert as_json.json()["info"]["title"] == "orchestrator-api"
    as_yaml = client.get("/api/v1/openapi.yaml")
    assert as_yaml.status_code == 200
    assert "openapi: 3.0.3" in as_yaml.text


def test_wrong_credentials_get_a_generic_401(client, admin):
    unknown = client.get("/api/v1/dags", auth=("ghost", "whatever"))
    wrong = client.get("/api/v1/dags", auth=("admin", "not-it"))
    assert assert_problem(unknown, 401)["detail"] == assert_problem(wrong, 401)["detail"]
    missing = assert_problem(client.get("/api/v1/dags"), 401)
    assert "credentials" in missing["detail"]


def test_deeply_nested_body_is_a_bad_request(client, admin):
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(
        "/api/v1/variables",
        content=f'{{"key": "k", "value": "v", "x": {deep}}}',
        headers={"Content-Type": "application/json"},
        auth=admin,
    )
    assert_problem(response, 400, "nested too deeply")
