"""Cases for connections, variables and pools."""

from __future__ import annotations

from compat.case import Case, delete, get, patch, post

PG = {
    "connection_id": "pg_main",
    "conn_type": "postgres",
    "host": "db.example.org",
    "login": "etl",
    "password": "s3cret",
    "port": 5432,
    "schema": "shop",
    "extra": '{"sslmode": "require"}',
    "description": "Shop database",
}

CONNECTIONS: list[Case] = [
    post("post_connection", "/connections", body=PG),
    post("post_connection", "/connections", "409 same id", body=PG),
    post("post_connection", "/connections", "400 missing conn_type", body={"connection_id": "x"}),
    post(
        "post_connection",
        "/connections",
        "400 wrong type",
        body={"connection_id": "x", "conn_type": "h", "port": "high"},
    ),
    post(
        "post_connection",
        "/connections",
        "second connection",
        body={"connection_id": "http_api", "conn_type": "http", "host": "api.example.org"},
    ),
    get("get_connections", "/connections"),
    get("get_connections", "/connections", "order_by -connection_id", params={"order_by": "-connection_id"}),
    get("get_connections", "/connections", "400 bad order_by", params={"order_by": "password"}),
    get("get_connection", "/connections/pg_main"),
    get("get_connection", "/connections/nope", "404"),
    patch(
        "patch_connection",
        "/connections/pg_main",
        "with update_mask",
        params={"update_mask": "host"},
        body={"connection_id": "pg_main", "conn_type": "postgres", "host": "db2.example.org"},
    ),
    patch(
        "patch_connection",
        "/connections/pg_main",
        "without update_mask",
        body={"connection_id": "pg_main", "conn_type": "postgres", "login": "etl2"},
    ),
    patch("patch_connection", "/connections/pg_main", "400 without conn_type", body={"login": "x"}),
    patch(
        "patch_connection",
        "/connections/pg_main",
        "400 unknown mask field",
        params={"update_mask": "bogus"},
        body={"connection_id": "pg_main", "conn_type": "postgres"},
    ),
    patch(
        "patch_connection",
        "/connections/pg_main",
        "400 id differs from path",
        body={"connection_id": "other", "conn_type": "postgres"},
    ),
    patch(
        "patch_connection", "/connections/nope", "404", body={"connection_id": "nope", "conn_type": "http"}
    ),
    get("get_connection", "/connections/pg_main", "after the patches"),
    post("test_connection", "/connections/test", body={"connection_id": "t", "conn_type": "http"}),
    delete("delete_connection", "/connections/http_api"),
    delete("delete_connection", "/connections/http_api", "404 already deleted"),
]

VARIABLES: list[Case] = [
    post("post_variables", "/variables", body={"key": "env", "value": "prod", "description": "where we run"}),
    post("post_variables", "/variables", "same key again", body={"key": "env", "value": "staging"}),
    post("post_variables", "/variables", "400 missing value", body={"key": "x"}),
    post("post_variables", "/variables", "400 value not a string", body={"key": "x", "value": 3}),
    post("post_variables", "/variables", "second variable", body={"key": "batch_size", "value": "500"}),
    get("get_variables", "/variables"),
    get("get_variables", "/variables", "order_by -key", params={"order_by": "-key"}),
    get("get_variable", "/variables/env"),
    get("get_variable", "/variables/nope", "404"),
    patch(
        "patch_variable",
        "/variables/env",
        "with update_mask",
        params={"update_mask": "value"},
        body={"key": "env", "value": "qa"},
    ),
    patch("patch_variable", "/variables/env", "without update_mask", body={"key": "env", "value": "prod"}),
    patch(
        "patch_variable", "/variables/env", "400 key differs from path", body={"key": "other", "value": "x"}
    ),
    patch("patch_variable", "/variables/env", "400 without value", body={"key": "env"}),
    patch(
        "patch_variable",
        "/variables/env",
        "400 unknown mask field",
        params={"update_mask": "bogus"},
        body={"key": "env", "value": "x"},
    ),
    patch("patch_variable", "/variables/nope", "404", body={"key": "nope", "value": "x"}),
    get("get_variable", "/variables/env", "after the patches"),
    delete("delete_variable", "/variables/batch_size"),
    delete("delete_variable", "/variables/batch_size", "404 already deleted"),
]

POOLS: list[Case] = [
    post(
        "post_pool",
        "/pools",
        body={"name": "etl", "slots": 4, "description": "ETL", "include_deferred": False},
    ),
    post("post_pool", "/pools", "409 same name", body={"name": "etl", "slots": 4}),
    post("post_pool", "/pools", "unlimited slots", body={"name": "unlimited", "slots": -1}),
    # Airflow cannot list or show a pool with -1 slots (it answers 500), so it goes right away.
    delete("delete_pool", "/pools/unlimited"),
    post("post_pool", "/pools", "400 missing slots", body={"name": "x"}),
    post("post_pool", "/pools", "400 slots not a number", body={"name": "x", "slots": "many"}),
    get("get_pools", "/pools"),
    get("get_pools", "/pools", "order_by -name", params={"order_by": "-name"}),
    get("get_pools", "/pools", "limit", params={"limit": 1}),
    get("get_pool", "/pools/default_pool"),
    get("get_pool", "/pools/nope", "404"),
    patch(
        "patch_pool",
        "/pools/etl",
        "with update_mask",
        params={"update_mask": "slots"},
        body={"name": "etl", "slots": 8},
    ),
    patch("patch_pool", "/pools/etl", "without update_mask", body={"name": "etl", "slots": 6}),
    patch("patch_pool", "/pools/etl", "400 without slots", body={"name": "etl"}),
    patch(
        "patch_pool",
        "/pools/etl",
        "400 unknown mask field",
        params={"update_mask": "bogus"},
        body={"name": "etl", "slots": 1},
    ),
    patch(
        "patch_pool", "/pools/default_pool", "400 rename the default pool", body={"name": "other", "slots": 5}
    ),
    patch(
        "patch_pool",
        "/pools/default_pool",
        "default pool slots",
        params={"update_mask": "slots"},
        body={"slots": 64},
    ),
    patch("patch_pool", "/pools/nope", "404", body={"name": "nope", "slots": 1}),
    get("get_pool", "/pools/etl", "after the patches"),
    delete("delete_pool", "/pools/default_pool", "400 default pool"),
    post("post_pool", "/pools", "a pool to delete", body={"name": "spare", "slots": 2}),
    delete("delete_pool", "/pools/spare", "a pool nobody uses"),
    delete("delete_pool", "/pools/spare", "404 already deleted"),
]

# Names Airflow accepts but its own URLs cannot always address; we refuse them (deliberate). Last in the
# plan, so the rows Airflow creates do not show up in the other cases' lists.
URL_SAFE_NAMES: list[Case] = [
    post("post_pool", "/pools", "400 name not URL-safe", body={"name": "ad hoc/pool", "slots": 1}),
    post(
        "post_variables",
        "/variables",
        "400 name not URL-safe",
        body={"key": "a key/with slash", "value": "v"},
    ),
    post(
        "post_connection",
        "/connections",
        "400 name not URL-safe",
        body={"connection_id": "my conn/1", "conn_type": "http"},
    ),
]

# The seed step left a running task instance in busy_pool (a pool that did not exist yet).
POOL_IN_USE: list[Case] = [
    post("post_pool", "/pools", "a pool a running task uses", body={"name": "busy_pool", "slots": 3}),
    get("get_pool", "/pools/busy_pool", "a pool in use"),
    delete("delete_pool", "/pools/busy_pool", "409 a pool in use"),
]
