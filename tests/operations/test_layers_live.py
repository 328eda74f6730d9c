"""The layers in order on a real server: CORS outermost, then gzip, then request ids and body limits."""

from __future__ import annotations

import gzip

import httpx
import pytest

from tests.operations.conftest import served
from tests.problems import assert_problem

ORIGIN = "https://ui.example.org"


@pytest.fixture
def live(make_app):
    app = make_app(CORS_ALLOW_ORIGINS=ORIGIN, GZIP_MINIMUM_BYTES="200", MAX_REQUEST_BODY_BYTES="64")
    with served(app) as url, httpx.Client(base_url=url, headers={"Origin": ORIGIN}) as http:
        yield http


def test_one_answer_goes_through_every_layer(live, admin):
    response = live.get(
        "/api/v1/openapi.json", headers={"Accept-Encoding": "gzip", "X-Request-ID": "trace-42"}, auth=admin
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN  # CORS
    assert response.headers["content-encoding"] == "gzip"  # gzip
    assert response.headers["x-request-id"] == "trace-42"  # request context, inside gzip
    assert response.json()["openapi"].startswith("3.")


def test_a_preflight_is_answered_before_any_inner_layer(live):
    response = live.options(
        "/api/v1/variables",
        headers={"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    # The request-id layer never saw it: CORS answered from outside.
    assert "x-request-id" not in response.headers


def test_a_refused_body_still_carries_cors_and_request_id(live, admin):
    response = live.post("/api/v1/variables", json={"key": "k", "value": "v" * 100}, auth=admin)
    assert_problem(response, 413)
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["x-request-id"]


def test_a_large_problem_is_compressed_too(live, admin):
    path = "/api/v1/dags/" + "d" * 180
    with live.stream("GET", path, headers={"Accept-Encoding": "gzip"}, auth=admin) as response:
        body = b"".join(response.iter_raw())
        assert response.status_code == 404
        assert response.headers["content-encoding"] == "gzip"
        assert response.headers["content-type"] == "application/problem+json"
    assert b"NotFound" in gzip.decompress(body)
