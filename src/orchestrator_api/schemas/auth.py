"""Users, roles and permissions in Airflow's wire format.

Loading resolves names into rows: a password becomes its salted hash, role names become roles and
`{action, resource}` pairs become permissions (409 for names that do not exist), so ``apply_patch`` can set
what it loads straight onto the model and a PATCH validates exactly like a POST.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_dump, post_load
from marshmallow.validate import Length

from orchestrator_api.schemas.common import UTCDateTime
from orchestrator_api.security.accounts import permissions_named, roles_named
from orchestrator_api.security.passwords import hash_password


class NameSchema(Schema):
    name = fields.String(required=True)


def _never_signed_in(user: Any) -> bool:
    return not user.login_count and not user.failed_login_count


class UserSchema(Schema):
    username = fields.String(required=True, validate=Length(1, 256))
    email = fields.String(required=True, validate=Length(3, 256))
    first_name = fields.String(required=True, validate=Length(max=256))
    last_name = fields.String(required=True, validate=Length(max=256))
    password = fields.String(load_only=True, validate=Length(1, 1024))
    active = fields.Boolean()
    last_login = UTCDateTime(dump_only=True, allow_none=True)
    login_count = fields.Method("_login_count", dump_only=True)
    # Airflow sends the counter under FAB's column name.
    fail_login_count = fields.Method("_fail_login_count", dump_only=True)
    roles = fields.List(fields.Nested(NameSchema))
    created_on = UTCDateTime(dump_only=True)
    changed_on = UTCDateTime(dump_only=True)

    # Airflow's counters stay null until the first sign-in attempt (success or failure) sets both; ours
    # start at 0, and both are still 0 exactly when no attempt was ever made.
    @staticmethod
    def _login_count(user: Any) -> int | None:
        return None if _never_signed_in(user) else int(user.login_count)

    @staticmethod
    def _fail_login_count(user: Any) -> int | None:
        return None if _never_signed_in(user) else int(user.failed_login_count)

    @post_load
    def _to_model_values(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if "password" in data:
            # Hashing is slow by design; handlers run in worker threads, never on the event loop.
            data["password_hash"] = hash_password(data.pop("password"))
        if "roles" in data:
            data["roles"] = roles_named(role["name"] for role in data["roles"])
        return data


class ActionResourceSchema(Schema):
    action = fields.Nested(NameSchema, required=True)
    resource = fields.Nested(NameSchema, required=True)


class RoleSchema(Schema):
    name = fields.String(required=True, validate=Length(1, 64))
    actions = fields.List(fields.Nested(ActionResourceSchema), attribute="permissions")

    @post_load
    def _to_model_values(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if "permissions" in data:
            data["permissions"] = permissions_named(
                (item["action"]["name"], item["resource"]["name"]) for item in data["permissions"]
            )
        return data

    @post_dump
    def _sorted_actions(self, data: dict[str, Any], **_kwargs: Any) -> dict[str, Any]:
        if "actions" in data:
            data["actions"].sort(key=lambda item: (item["resource"]["name"], item["action"]["name"]))
        return data


user_schema = UserSchema()
role_schema = RoleSchema()
