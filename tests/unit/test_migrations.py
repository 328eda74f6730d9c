"""The Alembic migrations build exactly the models' schema, go down and up again, and seal old secrets."""

from __future__ import annotations

from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from cryptography.fernet import Fernet
from sqlalchemy import column, insert, inspect, select, table, text

from orchestrator_api import db, models
from orchestrator_api.migrations import alembic_config, current_revision, seed_0009, upgrade

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
    head = ScriptDirectory.from_config(alembic_config(db.engine())).get_current_head()
    assert head is not None
    assert current_revision(db.engine()) == head
    assert schema_differences() == []


def test_migrations_go_down_to_nothing_and_up_again():
    downgrade("base")
    assert current_revision(db.engine()) is None
    upgrade(db.engine())
    assert schema_differences() == []


@pytest.mark.parametrize("fernet_key", ["", KEY], ids=["plain", "encrypted"])
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


def test_0004_grants_dag_definitions_to_admin_and_op_and_its_downgrade_removes_them():
    query = """
        SELECT roles.name, action.name FROM role_permission
        JOIN roles ON roles.id = role_permission.role_id
        JOIN permission ON permission.id = role_permission.permission_id
        JOIN action ON action.id = permission.action_id
        JOIN resource ON resource.id = permission.resource_id
        WHERE resource.name = 'DAG Definitions' ORDER BY 1, 2
    """
    expected = [
        (role, action) for role in ("Admin", "Op") for action in ("can_create", "can_delete", "can_edit")
    ]
    with db.engine().connect() as connection:
        assert [tuple(row) for row in connection.execute(text(query))] == expected
    downgrade("0002")
    with db.engine().connect() as connection:
        assert list(connection.execute(text(query))) == []
        assert "dag_definition" not in inspect(connection).get_table_names()
    upgrade(db.engine())
    with db.engine().connect() as connection:
        assert [tuple(row) for row in connection.execute(text(query))] == expected


def role_grants() -> set[tuple[str, str, str]]:
    query = """
        SELECT roles.name, action.name, resource.name FROM role_permission
        JOIN roles ON roles.id = role_permission.role_id
        JOIN permission ON permission.id = role_permission.permission_id
        JOIN action ON action.id = permission.action_id
        JOIN resource ON resource.id = permission.resource_id
    """
    with db.engine().connect() as connection:
        return {(role, action, resource) for role, action, resource in connection.execute(text(query))}


def test_0009_adds_airflows_web_ui_grants_and_its_downgrade_removes_exactly_them():
    added = {(role, a, r) for role, pairs in seed_0009.GRANTS.items() for a, r in pairs}
    at_head = role_grants()
    assert added <= at_head
    downgrade("0008")
    at_0008 = role_grants()
    assert at_0008 == at_head - added
    with db.engine().connect() as connection:
        actions = set(connection.execute(text("SELECT name FROM action")).scalars())
        assert actions.isdisjoint(seed_0009.NEW_ACTIONS)
        names = set(connection.execute(text("SELECT name FROM resource")).scalars())
        assert names.isdisjoint(seed_0009.NEW_RESOURCES)
    upgrade(db.engine())
    assert role_grants() == at_head
