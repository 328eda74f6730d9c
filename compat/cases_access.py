"""Cases for users, roles and permissions."""

from __future__ import annotations

from compat.case import Case, delete, get, patch, post

BOB = {
    "username": "bob",
    "email": "bob@example.org",
    "first_name": "Bob",
    "last_name": "Builder",
    "password": "bob-password-1",
    "roles": [{"name": "Viewer"}],
}
ETL_TEAM = {
    "name": "etl_team",
    "actions": [
        {"action": {"name": "can_read"}, "resource": {"name": "DAG:etl_daily"}},
        {"action": {"name": "can_edit"}, "resource": {"name": "DAG:etl_daily"}},
    ],
}
# Values the servers choose for each user (login times and counters move with every request).
USER_VOLATILE = ("last_login", "login_count", "failed_login_count")

ACCESS: list[Case] = [
    post("post_user", "/users", body=BOB, volatile=USER_VOLATILE),
    post("post_user", "/users", "409 same username", body=BOB),
    post("post_user", "/users", "409 same email", body={**BOB, "username": "bob2"}),
    post(
        "post_user",
        "/users",
        "400 unknown role",
        body={**BOB, "username": "carol", "email": "c@example.org", "roles": [{"name": "Nope"}]},
    ),
    post(
        "post_user",
        "/users",
        "400 missing password",
        body={
            **{k: v for k, v in BOB.items() if k != "password"},
            "username": "dave",
            "email": "d@example.org",
        },
    ),
    get("get_users", "/users", volatile=USER_VOLATILE),
    get(
        "get_users", "/users", "order_by -username", params={"order_by": "-username"}, volatile=USER_VOLATILE
    ),
    get("get_user", "/users/bob", volatile=USER_VOLATILE),
    get("get_user", "/users/nope", "404"),
    patch(
        "patch_user",
        "/users/bob",
        "with update_mask",
        params={"update_mask": "last_name"},
        body={**BOB, "last_name": "Mason"},
        volatile=USER_VOLATILE,
    ),
    patch(
        "patch_user",
        "/users/bob",
        "without update_mask",
        body={"username": "bob", "email": "bob@example.org", "first_name": "Robert", "last_name": "Mason"},
        volatile=USER_VOLATILE,
    ),
    patch("patch_user", "/users/bob", "400 missing email", body={"username": "bob", "first_name": "B"}),
    patch("patch_user", "/users/bob", "400 unknown mask field", params={"update_mask": "bogus"}, body=BOB),
    patch("patch_user", "/users/nope", "404", body={**BOB, "username": "nope"}),
    post("post_role", "/roles", body=ETL_TEAM),
    post("post_role", "/roles", "409 same name", body=ETL_TEAM),
    post(
        "post_role",
        "/roles",
        "400 unknown action",
        body={
            "name": "r2",
            "actions": [{"action": {"name": "can_fly"}, "resource": {"name": "DAG:etl_daily"}}],
        },
    ),
    post("post_role", "/roles", "400 missing actions", body={"name": "r3"}),
    get("get_roles", "/roles"),
    get("get_roles", "/roles", "order_by -name", params={"order_by": "-name", "limit": 3}),
    get("get_role", "/roles/etl_team"),
    get("get_role", "/roles/Viewer", "a default role"),
    get("get_role", "/roles/nope", "404"),
    patch(
        "patch_role",
        "/roles/etl_team",
        "with update_mask",
        params={"update_mask": "actions"},
        body={"name": "etl_team", "actions": [ETL_TEAM["actions"][0]]},
    ),
    patch(
        "patch_role", "/roles/etl_team", "rename", body={"name": "etl_crew", "actions": ETL_TEAM["actions"]}
    ),
    patch(
        "patch_role",
        "/roles/etl_crew",
        "400 unknown action",
        body={
            "name": "etl_crew",
            "actions": [{"action": {"name": "can_fly"}, "resource": {"name": "DAG:etl_daily"}}],
        },
    ),
    patch("patch_role", "/roles/nope", "404", body=ETL_TEAM),
    get("get_permissions", "/permissions"),
    get("get_permissions", "/permissions", "limit", params={"limit": 5, "offset": 2}),
    delete("delete_user", "/users/bob"),
    delete("delete_user", "/users/bob", "404 already deleted"),
    delete("delete_role", "/roles/etl_crew"),
    delete("delete_role", "/roles/etl_crew", "404 already deleted"),
    delete("delete_user", "/users/admin", "the only Admin"),
]
