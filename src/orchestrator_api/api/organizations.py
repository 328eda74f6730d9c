"""Organizations and their members (extension): create, list, read, rename, delete; add, change, remove.

Who may act is decided per organization by ``tenancy.membership`` (a role there is not a permission of the
caller's deployment roles); the `Organization` header does not apply to these operations.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, select

from orchestrator_api import db
from orchestrator_api.models.auth import User
from orchestrator_api.models.organization import OWNER, Organization, OrganizationMember
from orchestrator_api.models.resources import DEFAULT_POOL, Pool
from orchestrator_api.pagination import SortColumn, paginate
from orchestrator_api.patching import PatchRules, apply_patch, apply_plan, plan_patch
from orchestrator_api.problems import AlreadyExists, NotFound, PermissionDenied
from orchestrator_api.queries import refuse_duplicate
from orchestrator_api.schemas.common import dump, dump_many
from orchestrator_api.schemas.organization import member_schema, organization_schema
from orchestrator_api.security.permissions import is_deployment_admin
from orchestrator_api.security.principal import current_principal
from orchestrator_api.tenancy.context import DEFAULT_ORGANIZATION_ID
from orchestrator_api.tenancy.membership import keep_an_owner, managing_seat, seat

ORGANIZATION_SORTABLE: dict[str, SortColumn] = {"org_id": Organization.org_id}
MEMBER_SORTABLE: dict[str, SortColumn] = {"username": OrganizationMember.username}
ORGANIZATION_PATCH = PatchRules(frozen={"org_id": "org_id cannot be changed"}, replace=False)
MEMBER_PATCH = PatchRules(frozen={"username": "username cannot be changed"}, replace=False)


def _dump(organization: Organization, role: str | None) -> dict[str, Any]:
    return {**dump(organization_schema, organization), "your_role": role}


def get_organizations(limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    principal = current_principal()
    stmt = select(Organization, OrganizationMember.role).outerjoin(
        OrganizationMember,
        and_(
            OrganizationMember.organization_id == Organization.id,
            OrganizationMember.username == principal.username,
        ),
    )
    if not is_deployment_admin(principal):
        stmt = stmt.where(OrganizationMember.role.is_not(None))
    page = paginate(
        stmt,
        limit=limit,
        offset=offset,
        order_by=None,
        sortable=ORGANIZATION_SORTABLE,
        default="org_id",
        tiebreak=[Organization.id],
        scalars=False,
    )
    return {
        "organizations": [_dump(organization, role) for organization, role in page.rows],
        "total_entries": page.total,
    }


def post_organization(body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    principal = current_principal()
    values: dict[str, Any] = organization_schema.load(body)
    if principal.user_id is None:
        raise PermissionDenied(detail="Only a user can create an organization (and become its Owner)")
    org_id = values["org_id"]
    refuse_duplicate(Organization.org_id == org_id, detail=f"Organization {org_id!r} already exists")
    session = db.session()
    organization = Organization(org_id=org_id, name=values["name"], created_by=principal.username)
    session.add(organization)
    session.flush()
    session.add(OrganizationMember(organization_id=organization.id, username=principal.username, role=OWNER))
    # Tasks without a pool run in `default_pool`, so every organization starts with its own.
    session.add(
        Pool(
            organization_id=organization.id,
            pool=DEFAULT_POOL,
            slots=128,
            description="Default pool",
            include_deferred=False,
        )
    )
    session.flush()
    return _dump(organization, OWNER), 201


def get_organization(org_id: str) -> dict[str, Any]:
    found = seat(current_principal(), org_id)
    return _dump(found.organization, found.role)


def patch_organization(
    org_id: str, body: dict[str, Any], update_mask: list[str] | None = None
) -> dict[str, Any]:
    found = managing_seat(current_principal(), org_id)
    apply_patch(found.organization, body, update_mask, schema=organization_schema, rules=ORGANIZATION_PATCH)
    db.session().flush()
    return _dump(found.organization, found.role)


def delete_organization(org_id: str) -> tuple[str, int]:
    found = managing_seat(current_principal(), org_id)
    if found.organization.id == DEFAULT_ORGANIZATION_ID:
        raise AlreadyExists(detail="The default organization cannot be deleted")
    # Every row of the organization goes with it (ON DELETE CASCADE from each scoped table).
    db.session().execute(delete(Organization).where(Organization.id == found.organization.id))
    return "", 204


def get_organization_members(org_id: str, limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    found = seat(current_principal(), org_id)
    page = paginate(
        select(OrganizationMember).where(OrganizationMember.organization_id == found.organization.id),
        limit=limit,
        offset=offset,
        order_by=None,
        sortable=MEMBER_SORTABLE,
        default="username",
        tiebreak=[OrganizationMember.username],
    )
    return {"members": dump_many(member_schema, page.rows), "total_entries": page.total}


def post_organization_member(org_id: str, body: dict[str, Any]) -> tuple[dict[str, Any], int]:
    found = managing_seat(current_principal(), org_id)
    values: dict[str, Any] = member_schema.load(body)
    session = db.session()
    username = values["username"]
    if session.scalar(select(User.id).where(User.username == username)) is None:
        raise NotFound(title="User not found", detail="No user has this username")
    refuse_duplicate(
        and_(
            OrganizationMember.organization_id == found.organization.id,
            OrganizationMember.username == username,
        ),
        detail="This user is already a member of the organization",
    )
    member = OrganizationMember(organization_id=found.organization.id, username=username, role=values["role"])
    session.add(member)
    session.flush()
    return dump(member_schema, member), 201


def _member_or_404(organization: Organization, username: str) -> OrganizationMember:
    member = db.session().get(OrganizationMember, (organization.id, username))
    if member is None:
        raise NotFound(title="Member not found", detail="This user is not a member of the organization")
    return member


def patch_organization_member(
    org_id: str, username: str, body: dict[str, Any], update_mask: list[str] | None = None
) -> dict[str, Any]:
    found = managing_seat(current_principal(), org_id)
    member = _member_or_404(found.organization, username)
    plan = plan_patch(member, body, update_mask, schema=member_schema, rules=MEMBER_PATCH)
    if plan.get("role", member.role) != OWNER:
        keep_an_owner(found.organization, member)  # a demotion, when the member is an Owner now
    apply_plan(member, plan)
    db.session().flush()
    return dump(member_schema, member)


def delete_organization_member(org_id: str, username: str) -> tuple[str, int]:
    principal = current_principal()
    found = seat(principal, org_id)
    if username != principal.username and not found.manages:
        raise PermissionDenied(detail="Only the organization's Owners may change it or its members")
    member = _member_or_404(found.organization, username)
    keep_an_owner(found.organization, member)
    db.session().delete(member)
    return "", 204
