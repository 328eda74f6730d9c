"""Connection passwords and extras and variable values are sealed at rest; the API reads them unchanged."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import column, select, table

from orchestrator_api import db
from orchestrator_api.cli import main
from orchestrator_api.config import ConfigError, get_settings
from tests.problems import assert_problem

OLD_KEY = Fernet.generate_key().decode()
NEW_KEY = Fernet.generate_key().decode()
PASSWORD = "Otter-Granite-4417-pw"
EXTRA_SECRET = "Heron-Basalt-2209-key"
VARIABLE_SECRET = "Falcon-Shale-8812-val"

STORED = {
    "connection": ("password", "extra"),
    "variable": ("val",),
}


def stored_values() -> list[str]:
    """Every sealed column of every row, exactly as the database holds it (no decryption)."""
    values: list[str] = []
    with db.engine().connect() as connection:
        for name, columns in STORED.items():
            raw = table(name, *(column(c) for c in columns))
            for row in connection.execute(select(raw)):
                values.extend(value for value in row if value is not None)
    return values


def stored_with_updated_at() -> list[tuple[Any, ...]]:
    with db.engine().connect() as connection:
        return [
            tuple(row)
            for name in STORED
            # Ordered: PostgreSQL returns rewritten rows in a new physical order.
            for row in connection.execute(
                select(table(name, column("id"), column("updated_at"))).order_by(column("id"))
            )
        ]


@pytest.fixture
def secrets_stored(client: Any, admin: Any) -> None:
    connection = {
        "connection_id": "warehouse",
        "conn_type": "postgres",
        "host": "db.internal",
        "login": "loader",
        "password": PASSWORD,
        "extra": json.dumps({"sslmode": "require", "api_key": EXTRA_SECRET}),
    }
    assert client.post("/api/v1/connections", json=connection, auth=admin).status_code == 200
    variable = {"key": "warehouse_token", "value": VARIABLE_SECRET}
    assert client.post("/api/v1/variables", json=variable, auth=admin).status_code == 200
    region = {"key": "region", "value": "eu"}
    assert client.post("/api/v1/variables", json=region, auth=admin).status_code == 200


def read_back(client: Any, admin: Any) -> dict[str, Any]:
    extra = json.loads(client.get("/api/v1/connections/warehouse", auth=admin).json()["extra"])
    return {
        "extra": extra,
        "secret_variable": client.get("/api/v1/variables/warehouse_token", auth=admin).json()["value"],
        "plain_variable": client.get("/api/v1/variables/region", auth=admin).json()["value"],
    }


EXPECTED = {
    "extra": {"sslmode": "require", "api_key": "***"},
    "secret_variable": VARIABLE_SECRET,
    "plain_variable": "eu",
}


def rotate(capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["secrets", "rotate"]) == 0
    return capsys.readouterr().out


def test_without_a_key_values_are_marked_plain(client, admin, secrets_stored):
    assert sorted(stored_values()) == sorted(
        [
            f"plain:{PASSWORD}",
            "plain:" + json.dumps({"sslmode": "require", "api_key": EXTRA_SECRET}),
            f"plain:{VARIABLE_SECRET}",
            "plain:eu",
        ]
    )
    assert read_back(client, admin) == EXPECTED


def test_with_a_key_no_secret_is_readable_in_the_database(client, admin, settings_env, secrets_stored):
    settings_env(FERNET_KEY=OLD_KEY)
    client.post("/api/v1/variables", json={"key": "later", "value": VARIABLE_SECRET}, auth=admin)
    client.patch(
        "/api/v1/connections/warehouse?update_mask=password", json={"password": PASSWORD * 2}, auth=admin
    )
    values = stored_values()
    encrypted = [value for value in values if value.startswith("fernet:")]
    assert len(encrypted) == 2, "the new variable and the changed password"
    for value in encrypted:
        assert PASSWORD not in value
        assert VARIABLE_SECRET not in value
    assert read_back(client, admin) == EXPECTED
    assert client.get("/api/v1/variables/later", auth=admin).json()["value"] == VARIABLE_SECRET


def test_rotate_encrypts_existing_plain_values_and_keeps_updated_at(
    client, admin, settings_env, secrets_stored, capsys
):
    before = stored_with_updated_at()
    settings_env(FERNET_KEY=OLD_KEY)
    assert rotate(capsys) == "rewrote 4 secret value(s) encrypted with the first of 1 key(s)\n"
    values = stored_values()
    assert len(values) == 4
    assert all(value.startswith("fernet:") for value in values)
    # Only long secrets are searched for: a short text such as "eu" occurs in random ciphertext by chance.
    assert not any(secret in value for value in values for secret in (PASSWORD, VARIABLE_SECRET))
    assert stored_with_updated_at() == before
    assert read_back(client, admin) == EXPECTED


def test_key_rotation_old_values_readable_until_rotated_away(
    client, admin, settings_env, secrets_stored, capsys
):
    settings_env(FERNET_KEY=OLD_KEY)
    rotate(capsys)
    under_old_key = set(stored_values())

    settings_env(FERNET_KEY=f"{NEW_KEY},{OLD_KEY}")
    assert read_back(client, admin) == EXPECTED, "old values still decrypt with the second key"
    assert rotate(capsys) == "rewrote 4 secret value(s) encrypted with the first of 2 key(s)\n"
    assert not under_old_key & set(stored_values())

    settings_env(FERNET_KEY=NEW_KEY)
    assert read_back(client, admin) == EXPECTED, "the old key is no longer needed"


def test_values_under_a_missing_key_answer_503_and_reveal_nothing(
    client, admin, settings_env, secrets_stored, capsys, caplog
):
    settings_env(FERNET_KEY=OLD_KEY)
    rotate(capsys)
    settings_env(FERNET_KEY=NEW_KEY)
    caplog.set_level(logging.DEBUG)
    responses = [
        client.get("/api/v1/variables/warehouse_token", auth=admin),
        client.get("/api/v1/variables", auth=admin),
        client.get("/api/v1/connections/warehouse", auth=admin),
    ]
    for response in responses:
        assert_problem(response, 503, "cannot be decrypted")
    assert main(["secrets", "rotate"]) == 1
    assert "cannot be decrypted" in capsys.readouterr().err
    for text in [*(r.text for r in responses), caplog.text]:
        for secret in (PASSWORD, EXTRA_SECRET, VARIABLE_SECRET, OLD_KEY, NEW_KEY):
            assert secret not in text
    settings_env(FERNET_KEY=f"{NEW_KEY},{OLD_KEY}")
    assert read_back(client, admin) == EXPECTED, "nothing was lost: giving the key back is enough"


def test_a_malformed_key_is_refused_without_echoing_it(settings_env):
    settings_env(FERNET_KEY=f"{OLD_KEY},not-a-key")
    with pytest.raises(ConfigError) as refused:
        get_settings()
    assert str(refused.value) == (
        "ORCHESTRATOR_API_FERNET_KEY: key 2 is not a Fernet key (32 url-safe base64-encoded bytes)"
    )
