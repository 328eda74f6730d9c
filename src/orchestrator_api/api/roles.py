"""Roles: list, create, read, update (update_mask), delete.

Any change to what a role grants (or its deletion) bumps the instance's RBAC version, so every worker's
cached permission sets reload on the next request. The Admin role keeps its name and every permission.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import selectinload

from orchestrator_api import db
from orchestrator_api.instance import bump_rbac_version
from orchestrator_api.models.auth import Role
from orchestrator_api.pagination import SortColumn, ascending_only, paginate
from orchestrator_api.patching import PatchRules, apply_patch
from orchestrator_api.problems import AlreadyExists
from orchestrator_api.queries import get_or_404, refuse_duplicate
from orchestrator_api.schemas.auth import role_schema
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.security.accounts import ADMIN_ROLE, forget_role

ROLE_SORTABLE: dict[str, SortColumn] = {"name": Role.name, "role_id": Role.id}

# As in Airflow, a role PATCH carries the role's name even with a mask.
PATCH_RULES = PatchRules(required=("name",), required_with_mask=True)


def _role_or_404(role_name: str) -> Role:
    return get_or_404(
        Role, Role.name == role_name, title="Role not found", detail=f"Role {role_name!r} not found"
    )


def _ensure_name_free(role: Role) -> None:
    other_role = (
        Role.name == role.name if role.id is None else and_(Role.name == role.name, Role.id != role.id)
    )
    refuse_duplicate(other_role, detail=f"Role {role.name!r} already exists")


def _grants(role: Role) -> frozenset[int]:
    return frozenset(permission.id for permission in role.permissions)


def get_roles(limit: int | None = None, offset: int = 0, order_by: str | None = None) -> dict[str, Any]:
    page = paginate(
        select(Role).options(selectinload(Role.permissions)),
        limit=limit,
        offset=offset,
        order_by=ascending_only(order_by, ROLE_SORTABLE),
        sortable=ROLE_SORTABLE,
        default="name",
        tiebreak=[Role.id],
    )
    return {"roles": dump_many(role_schema, page.rows), "total_entries": page.total}


def post_role(body: dict[str, Any]) -> dict[str, Any]:
    values = role_schema.load(body)
    role = Role(name=values["name"], permissions=values.get("permissions", []))
    _ensure_name_free(role)
    session = db.session()
    session.add(role)
    session.flush()
    # A new role id may be one a deleted role had: make sure no cached permission set outlives that.
    bump_rbac_version(session)
    # Airflow 2.10.5 answers a new role with an empty object (it serialises the role it looked up before
    # creating it); GET /roles/{name} reads it back.
    return {}


def get_role(role_name: str) -> dict[str, Any]:
    return dump(role_schema, _role_or_404(role_name))


def patch_role(role_name: str, body: dict[str, Any], update_mask: list[str] | None = None) -> dict[str, Any]:
    role = _role_or_404(role_name)
    granted_before = _grants(role)
    changed = apply_patch(role, body, update_mask, schema=role_schema, rules=PATCH_RULES)
    renamed = "name" in changed
    regranted = _grants(role) != granted_before
    if role_name == ADMIN_ROLE and (renamed or regranted):
        raise AlreadyExists(detail="The Admin role keeps its name and every permission")
    if renamed:
        _ensure_name_free(role)
    if regranted:
        bump_rbac_version(db.session())
    return dump(role_schema, role)


def delete_role(role_name: str) -> tuple[str, int]:
    role = _role_or_404(role_name)
    if role.name == ADMIN_ROLE:
        raise AlreadyExists(detail="The Admin role cannot be deleted")
    session = db.session()
    forget_role(session, role.id)
    session.delete(role)
    bump_rbac_version(session)
    return "", 204
