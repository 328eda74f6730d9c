"""``/metrics``: Prometheus text, counted by route template (never the raw path), pool gauges, auth."""

from __future__ import annotations

from typing import Any

import pytest

from tests.operations.conftest import sample, samples
from tests.problems import assert_problem

REQUESTS = "orchestrator_api_http_requests_total"
LATENCY_COUNT = "orchestrator_api_http_request_duration_seconds_count"
LATENCY_BUCKET = "orchestrator_api_http_request_duration_seconds_bucket"
DAG_ROUTE = "/api/v1/dags/{dag_id}"


def scrape(client: Any, **kwargs: Any) -> str:
    response = client.get("/metrics", **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return str(response.text)


def test_requests_are_counted_by_route_template_method_and_status_class(client, admin, example_dags):
    before = scrape(client)
    for _ in range(3):
        assert client.get("/api/v1/dags/etl_daily", auth=admin).status_code == 200
    assert_problem(client.get("/api/v1/dags/no_such_dag", auth=admin), 404)
    assert client.patch("/api/v1/dags/etl_daily", json={"is_paused": False}, auth=admin).status_code == 200
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    assert delta(REQUESTS, route=DAG_ROUTE, method="GET", status="2xx") == 3
    assert delta(REQUESTS, route=DAG_ROUTE, method="GET", status="4xx") == 1
    assert delta(REQUESTS, route=DAG_ROUTE, method="PATCH", status="2xx") == 1
    assert delta(LATENCY_COUNT, route=DAG_ROUTE, method="GET") == 4
    assert delta(LATENCY_BUCKET, route=DAG_ROUTE, method="GET", le="+Inf") == 4
    # Labels hold templates only: neither a DAG id nor a raw path becomes a series.
    assert "etl_daily" not in after
    assert "no_such_dag" not in after


def test_trigger_tokens_and_unknown_paths_never_become_labels(client):
    secret = "oapi_trg_never-in-metrics-0123456789"
    before = scrape(client)
    assert_problem(client.post(f"/api/v1/triggers/{secret}", json={}), 401)
    assert_problem(client.get("/wp-admin/setup-config.php"), 404, framework=True)
    after = scrape(client)
    assert secret not in after
    assert "wp-admin" not in after
    route = "/api/v1/triggers/{token}"
    assert (
        sample(after, REQUESTS, route=route, method="POST", status="4xx")
        - sample(before, REQUESTS, route=route, method="POST", status="4xx")
        == 1
    )
    assert (
        sample(after, REQUESTS, route="unmatched", method="GET", status="4xx")
        - sample(before, REQUESTS, route="unmatched", method="GET", status="4xx")
        == 1
    )


def test_pool_gauges_follow_the_database_pool(client, admin):
    assert client.get("/api/v1/pools", auth=admin).status_code == 200
    found = samples(scrape(client))
    gauges = {dict(labels).get("state"): value for (name, labels), value in found.items()
              if name == "orchestrator_api_db_pool_connections"}  # fmt: skip
    assert gauges["open"] >= 1, gauges  # the request opened at least one connection, now idle
    assert gauges["checked_out"] == 0, gauges  # between requests nothing holds a connection
    assert found[("orchestrator_api_db_pool_limit", frozenset())] >= 1


def test_metrics_stay_out_of_the_airflow_surface(client):
    document = client.get("/api/v1/openapi.json").json()
    assert not [path for path in document["paths"] if "metrics" in path]
    assert_problem(client.get("/api/v1/metrics"), 404, framework=True)


def test_metrics_accept_only_get(client):
    body = assert_problem(client.post("/metrics"), 405)
    assert "GET" in body["detail"]


def test_with_a_scrape_token_metrics_need_it(make_app, admin):
    app = make_app(METRICS_TOKEN="scrape-token-s3cret")
    with app.test_client() as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "scrape-token-s3cret"}):
            response = client.get("/metrics", headers=headers)
            assert response.status_code == 401
            assert response.headers["content-type"] == "application/problem+json"
            assert response.headers["www-authenticate"].startswith("Bearer")
            assert "s3cret" not in response.text
        # A user's credentials are not the scrape token.
        assert client.get("/metrics", auth=admin).status_code == 401
        scrape(client, headers={"Authorization": "Bearer scrape-token-s3cret"})


def test_metrics_can_be_turned_off(make_app):
    app = make_app(METRICS_ENABLED="false")
    with app.test_client() as client:
        assert_problem(client.get("/metrics"), 404, framework=True)


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_metrics_answer_get_and_head(client, method):
    response = client.request(method, "/metrics")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) > 0
