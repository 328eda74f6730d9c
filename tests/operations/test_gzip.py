"""gzip: large answers are compressed for clients that accept it; small ones and others are not."""

from __future__ import annotations

import gzip

import httpx
import pytest

from tests.operations.conftest import served


@pytest.fixture
def many_pools(client, admin):
    for number in range(60):
        body = {"name": f"pool_{number:03d}", "slots": number, "description": "x" * 40}
        assert client.post("/api/v1/pools", json=body, auth=admin).status_code == 200


def test_large_answers_are_gzipped_when_accepted(client, admin, many_pools):
    plain = client.get("/api/v1/pools?limit=100", auth=admin, headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert "content-encoding" not in plain.headers
    assert len(plain.content) > 1024

    packed = client.get("/api/v1/pools?limit=100", auth=admin, headers={"Accept-Encoding": "gzip"})
    assert packed.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.json() == plain.json()  # the test client inflated it


def test_small_answers_are_sent_as_they_are(client):
    response = client.get("/api/v1/version", headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers


def test_compression_can_be_turned_off(make_app, admin, many_pools):
    app = make_app(GZIP_MINIMUM_BYTES="0")
    with app.test_client() as client:
        response = client.get("/api/v1/pools?limit=100", auth=admin, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "content-encoding" not in response.headers


def test_the_bytes_on_the_wire_are_gzip(app, admin, many_pools):
    with (
        served(app) as url,
        httpx.Client(base_url=url) as http,
        http.stream(
            "GET", "/api/v1/pools?limit=100", auth=admin, headers={"Accept-Encoding": "gzip"}
        ) as response,
    ):
        raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip"
        assert int(response.headers["content-length"]) == len(raw)
    assert b'"pool_059"' in gzip.decompress(raw)
    assert len(raw) * 3 < len(gzip.decompress(raw))


def test_a_body_too_large_to_hold_streams_through_gzip_intact(client):
    plain = client.get("/api/v1/ui/swagger-ui-bundle.js", headers={"Accept-Encoding": "identity"})
    assert plain.status_code == 200
    assert len(plain.content) > 1 << 20  # over the size held in memory before compressing
    packed = client.get("/api/v1/ui/swagger-ui-bundle.js", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert packed.content == plain.content  # the test client inflated it
