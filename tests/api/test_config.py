"""get_config and get_value: off unless exposed, secrets masked in every form of the answer."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet

from tests.problems import assert_problem

FERNET_KEY = Fernet.generate_key().decode()
SECRET_KEY = "Puffin-Cobalt-6631-key"
DB_PASSWORD = "Marten-Quartz-1187-db"
METRICS_TOKEN = "Heron-Basalt-4402-scrape"
SECRETS = (FERNET_KEY, SECRET_KEY, DB_PASSWORD, METRICS_TOKEN)


@pytest.fixture
def exposed(settings_env: Any) -> None:
    settings_env(
        EXPOSE_CONFIG="true",
        FERNET_KEY=FERNET_KEY,
        SECRET_KEY=SECRET_KEY,
        METRICS_TOKEN=METRICS_TOKEN,
        # Only read by get_config here: the test's database is already bound.
        DATABASE_URL=f"postgresql+psycopg://orchestrator:{DB_PASSWORD}@db.internal/orchestrator",
    )


def options(body: dict[str, Any]) -> dict[str, str]:
    return {f"{s['name']}.{o['key']}": o["value"] for s in body["sections"] for o in s["options"]}


@pytest.mark.parametrize("path", ["/api/v1/config", "/api/v1/config/section/api/option/maximum_page_limit"])
def test_config_is_refused_unless_exposed(client, admin, path):
    assert_problem(client.get(path, auth=admin), 403, "ORCHESTRATOR_API_EXPOSE_CONFIG")


def test_config_lists_every_setting_by_section_with_secrets_masked(client, admin, exposed):
    response = client.get("/api/v1/config", auth=admin)
    assert response.status_code == 200
    shown = options(response.json())
    assert shown["api.maximum_page_limit"] == "100"
    assert shown["api.test_connection"] == "false"
    assert shown["api.fernet_key"] == "< hidden >"
    assert shown["api.secret_key"] == "< hidden >"
    assert shown["database.database_url"] == "postgresql+psycopg://orchestrator:***@db.internal/orchestrator"
    assert shown["metrics.metrics_token"] == "< hidden >"
    assert shown["cors.cors_allow_methods"] == "GET POST PUT PATCH DELETE"
    assert [s["name"] for s in response.json()["sections"]] == [
        "database",
        "dags",
        "logging",
        "api",
        "auth",
        "server",
        "execution",
        "metrics",
        "cors",
    ]
    for secret in SECRETS:
        assert secret not in response.text


def test_config_as_text_is_ini_style_and_masked_too(client, admin, exposed):
    response = client.get("/api/v1/config?section=auth", auth=admin, headers={"Accept": "text/plain"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.splitlines()[:2] == ["[auth]", "auth_cache_ttl = 30"]
    everything = client.get("/api/v1/config", auth=admin, headers={"Accept": "text/plain"}).text
    assert "fernet_key = < hidden >" in everything.splitlines()
    for secret in SECRETS:
        assert secret not in everything


def test_get_value_answers_one_option(client, admin, exposed):
    response = client.get("/api/v1/config/section/auth/option/token_max_days", auth=admin)
    assert response.json() == {
        "sections": [{"name": "auth", "options": [{"key": "token_max_days", "value": "365"}]}]
    }
    hidden = client.get("/api/v1/config/section/api/option/fernet_key", auth=admin).json()
    assert options(hidden) == {"api.fernet_key": "< hidden >"}


@pytest.mark.parametrize(
    ("path", "detail"),
    [
        ("/api/v1/config?section=nope", "Section 'nope' not found"),
        ("/api/v1/config/section/api/option/nope", "Option 'nope' in section 'api' not found"),
        ("/api/v1/config/section/auth/option/maximum_page_limit", "in section 'auth' not found"),
    ],
)
def test_unknown_sections_and_options_are_404(client, admin, exposed, path, detail):
    assert_problem(client.get(path, auth=admin), 404, detail)


def test_config_refuses_media_types_it_cannot_answer(client, admin, exposed):
    assert_problem(client.get("/api/v1/config", auth=admin, headers={"Accept": "application/xml"}), 406)
