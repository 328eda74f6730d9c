"""The Alembic migrations build exactly the models' schema, go down and up again, and seal old secrets."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import column, insert, select, table

from orchestrator_api import db, models
from orchestrator_api.migrations import alembic_config, current_revision, upgrade

KEY = Fernet.generate_key().decode()
CONNECTION = table("connection", column("conn_id"), column("conn_type"), column("password"), column("extra"))
VARIABLE = table("variable", column("key"), column("val"))


def downgrade(revision: str) -> None:
    command.downgrade(alembic_config(db.engine()), revision)


def schema_differences() -> list[Any]:
    with db.engine().connect() as connection:
        return list(compare_metadata(MigrationContext.configure(connection), models.Base.metadata))


def raw_secrets() -> list[Any]:
    with db.engine().connect() as connection:
        return [
            *connection.execute(select(CONNECTION.c.password, CONNECTION.c.extra)).one(),
            connection.execute(select(VARIABLE.c.val)).scalar_one(),
        ]


def insert_written_before_0002() -> None:
    with db.engine().begin() as connection:
        connection.execute(
            insert(CONNECTION).values(
                conn_id="legacy", conn_type="http", password="fernet:looks-sealed", extra='{"token": "t"}'
            )
        )
        connection.execute(insert(VARIABLE).values(key="legacy", val="plain:looks-marked"))


def test_the_migrated_schema_is_the_models_schema():
    assert current_revision(db.engine()) == "0005"
    assert schema_differences() == []


def test_migrations_go_down_to_nothing_and_up_again():
    downgrade("base")
    assert current_revision(db.engine()) is None
    upgrade(db.engine())
    assert schema_differences() == []


@pytest.mark.parametrize("fernet_key", ["", KEY])
def test_0002_seals_values_written_before_it_and_its_downgrade_restores_them(settings_env, fernet_key):
    settings_env(FERNET_KEY=fernet_key)
    downgrade("0001")
    insert_written_before_0002()
    upgrade(db.engine())
    sealed = raw_secrets()
    if fernet_key:
        assert all(value.startswith("fernet:") for value in sealed)
        assert not [v for v in sealed for text in ("looks-sealed", "looks-marked", "token") if text in v]
    else:
        assert sealed == ["plain:fernet:looks-sealed", 'plain:{"token": "t"}', "plain:plain:looks-marked"]
    downgrade("0001")
    assert raw_secrets() == ["fernet:looks-sealed", '{"token": "t"}', "plain:looks-marked"]
