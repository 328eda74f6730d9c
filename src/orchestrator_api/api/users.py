"""Users: list, create, read, update (update_mask), delete.

A change of password, roles, ``active`` or username bumps the user's ``auth_version``: every worker's
credential cache compares it on the next request, so the change applies at once everywhere.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from orchestrator_api import db
from orchestrator_api.models.auth import User
from orchestrator_api.pagination import SortColumn, ascending_only, paginate
from orchestrator_api.patching import PatchRules, apply_patch
from orchestrator_api.problems import AlreadyExists
from orchestrator_api.schemas.auth import user_schema
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.security.accounts import (
    default_roles,
    ensure_other_active_admin,
    is_active_admin,
    user_or_404,
)
from orchestrator_api.security.passwords import NO_PASSWORD

USER_SORTABLE: dict[str, SortColumn] = {
    "id": User.id,
    "username": User.username,
    "email": User.email,
    "first_name": User.first_name,
    "last_name": User.last_name,
    "active": User.active,
    "last_login": User.last_login,
    "login_count": User.login_count,
    "failed_login_count": User.failed_login_count,
    "created_on": User.created_on,
    "changed_on": User.changed_on,
}

# Attributes whose change must invalidate cached credentials and the user's tokens' role sets.
_AUTH_ATTRIBUTES = frozenset({"password_hash", "roles", "active", "username"})

# As in Airflow, a user PATCH carries the user's names and email even with a mask; the password is optional.
PATCH_RULES = PatchRules(required=("first_name", "last_name", "username", "email"), required_with_mask=True)


def _ensure_unique(user: User) -> None:
    """409 when another user already has this username or email."""
    session = db.session()
    with session.no_autoflush:
        stmt = select(User.username, User.email).where(
            or_(User.username == user.username, User.email == user.email)
        )
        if user.id is not None:
            stmt = stmt.where(User.id != user.id)
        clash = session.execute(stmt).first()
    if clash is None:
        return
    if clash.username == user.username:
        raise AlreadyExists(detail=f"User {user.username!r} already exists")
    raise AlreadyExists(detail=f"The email {user.email!r} is already used by another user")


def get_users(limit: int | None = None, offset: int = 0, order_by: str | None = None) -> dict[str, Any]:
    page = paginate(
        select(User).options(selectinload(User.roles)),
        limit=limit,
        offset=offset,
        order_by=ascending_only(order_by, USER_SORTABLE),
        sortable=USER_SORTABLE,
        default="id",
        tiebreak=[User.id],
    )
    return {"users": dump_many(user_schema, page.rows), "total_entries": page.total}


def post_user(body: dict[str, Any]) -> dict[str, Any]:
    values = user_schema.load(body)
    if not values.get("roles"):  # absent or empty: Airflow's registration role
        values["roles"] = default_roles()
    values.setdefault("password_hash", NO_PASSWORD)  # Airflow accepts a user without one
    user = User(**values)
    _ensure_unique(user)
    session = db.session()
    session.add(user)
    session.flush()
    return dump(user_schema, user)


def get_user(username: str) -> dict[str, Any]:
    return dump(user_schema, user_or_404(username))


def patch_user(username: str, body: dict[str, Any], update_mask: list[str] | None = None) -> dict[str, Any]:
    user = user_or_404(username)
    was_active_admin = is_active_admin(user)
    changed = apply_patch(user, body, update_mask, schema=user_schema, rules=PATCH_RULES)
    if changed & {"username", "email"}:
        _ensure_unique(user)
    if was_active_admin and not is_active_admin(user):
        ensure_other_active_admin(
            user, detail=f"{username!r} is the last active Admin: they keep the Admin role and stay active"
        )
    if changed & _AUTH_ATTRIBUTES:
        user.auth_version += 1
    return dump(user_schema, user)


def delete_user(username: str) -> tuple[str, int]:
    user = user_or_404(username)
    if is_active_admin(user):
        ensure_other_active_admin(user, detail=f"{username!r} is the last active Admin and cannot be deleted")
    # Their access tokens and role assignments go with them (ON DELETE CASCADE).
    db.session().delete(user)
    return "", 204
