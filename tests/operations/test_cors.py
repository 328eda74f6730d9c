"""CORS: off by default as in Airflow; configured origins (list or pattern) get preflights answered."""

from __future__ import annotations

import pytest

from orchestrator_api.config import ConfigError, load_settings
from tests.problems import assert_problem

ORIGIN = "https://ui.example.org"
PREFLIGHT = {
    "Origin": ORIGIN,
    "Access-Control-Request-Method": "PATCH",
    "Access-Control-Request-Headers": "authorization, content-type",
}


def test_cors_is_off_by_default(client, admin):
    response = client.options("/api/v1/dags", headers=PREFLIGHT)
    assert_problem(response, 405, framework=True)
    assert "access-control-allow-origin" not in response.headers
    answer = client.get("/api/v1/dags", headers={"Origin": ORIGIN}, auth=admin)
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers


@pytest.fixture
def cors_client(make_app):
    app = make_app(
        CORS_ALLOW_ORIGINS=f"{ORIGIN} https://other.example.org",
        CORS_ALLOW_ORIGIN_REGEX=r"https://[a-z0-9-]+\.preview\.example\.org",
        CORS_MAX_AGE="120",
    )
    with app.test_client() as client:
        yield client


@pytest.mark.parametrize("origin", [ORIGIN, "https://other.example.org", "https://pr-42.preview.example.org"])
def test_a_preflight_from_an_allowed_origin_is_answered(cors_client, origin):
    response = cors_client.options("/api/v1/dags/etl_daily", headers={**PREFLIGHT, "Origin": origin})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == origin
    assert "PATCH" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert "authorization" in allowed_headers
    assert "content-type" in allowed_headers
    assert response.headers["access-control-max-age"] == "120"
    assert "access-control-allow-credentials" not in response.headers


@pytest.mark.parametrize(
    "origin", ["https://evil.example.com", "https://x.preview.example.org.evil.com", "http://ui.example.org"]
)
def test_a_preflight_from_another_origin_is_refused(cors_client, origin):
    response = cors_client.options("/api/v1/dags", headers={**PREFLIGHT, "Origin": origin})
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_a_preflight_asking_for_another_header_is_refused(cors_client):
    headers = {**PREFLIGHT, "Access-Control-Request-Headers": "x-forwarded-user"}
    assert cors_client.options("/api/v1/dags", headers=headers).status_code == 400


def test_answers_and_problems_carry_cors_headers_for_allowed_origins(cors_client, admin):
    answer = cors_client.get("/api/v1/pools", headers={"Origin": ORIGIN}, auth=admin)
    assert answer.status_code == 200
    assert answer.headers["access-control-allow-origin"] == ORIGIN
    exposed = answer.headers["access-control-expose-headers"].lower()
    assert "x-request-id" in exposed
    # A browser script can read why it was refused, too.
    refused = cors_client.get("/api/v1/pools", headers={"Origin": ORIGIN})
    assert_problem(refused, 401)
    assert refused.headers["access-control-allow-origin"] == ORIGIN
    other = cors_client.get("/api/v1/pools", headers={"Origin": "https://evil.example.com"}, auth=admin)
    assert "access-control-allow-origin" not in other.headers


def test_credentials_are_allowed_only_when_configured(make_app):
    app = make_app(CORS_ALLOW_ORIGINS=ORIGIN, CORS_ALLOW_CREDENTIALS="true")
    with app.test_client() as client:
        response = client.options("/api/v1/dags", headers=PREFLIGHT)
    assert response.status_code == 200
    assert response.headers["access-control-allow-credentials"] == "true"
    assert response.headers["access-control-allow-origin"] == ORIGIN


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        (
            {"ORCHESTRATOR_API_CORS_ALLOW_ORIGINS": "*", "ORCHESTRATOR_API_CORS_ALLOW_CREDENTIALS": "true"},
            "cannot be combined with the origin *",
        ),
        ({"ORCHESTRATOR_API_CORS_ALLOW_ORIGIN_REGEX": "https://(unclosed"}, "is not a regular expression"),
    ],
)
def test_unsafe_or_broken_cors_settings_refuse_to_start(environ, message):
    with pytest.raises(ConfigError, match=message.replace("*", r"\*")):
        load_settings(environ)


def test_a_browser_script_may_read_the_page_headers(cors_client, admin):
    answer = cors_client.get("/api/v1/pools?page=1&per_page=1", headers={"Origin": ORIGIN}, auth=admin)
    assert answer.status_code == 200
    exposed = {name.strip() for name in answer.headers["access-control-expose-headers"].lower().split(",")}
    paging = {"link", "x-total", "x-total-pages", "x-page", "x-per-page", "x-next-page", "x-prev-page"}
    assert paging <= exposed
    assert paging <= set(answer.headers)
