"""Connections, variables and pools for the contract tests, so generated requests also meet real rows."""

from __future__ import annotations

import json

from orchestrator_api import db
from orchestrator_api.models import Connection, Pool, Variable


def seed_resources(_admin: tuple[str, str]) -> None:
    with db.transaction() as session:
        session.add_all(
            [
                Connection(
                    conn_id="seed_http",
                    conn_type="http",
                    host="localhost",
                    port=8080,
                    login="svc",
                    password="seed-password",
                    extra=json.dumps({"headers": {"Authorization": "Bearer x"}, "timeout": 5}),
                ),
                Connection(conn_id="seed_postgres", conn_type="postgres", host="db", schema="warehouse"),
                Connection(conn_id="seed_opaque", conn_type="generic", extra="not json; token=abc"),
                Variable(key="seed_region", val="eu-west-1", description="Where the warehouse runs"),
                Variable(key="seed_api_token", val="seed-secret"),
                Pool(pool="seed_pool", slots=4, description="Seeded", include_deferred=True),
                Pool(pool="seed_unlimited", slots=-1, include_deferred=False),
            ]
        )
