"""The request's organization: the ``Organization`` header (or the token's binding) and the caller's role.

Without the header a request acts in the default organization with the caller's Airflow roles, exactly
as before organizations existed. With it, the caller must be a member (or a deployment Admin); their
permissions there come from their organization role (``security.permissions.ORGANIZATION_ROLE_PERMISSIONS``).
An unknown organization and one the caller does not belong to get the same 404, so neither is revealed.
"""

from __future__ import annotations

import dataclasses

import flask
from sqlalchemy import and_, select

from orchestrator_api import db
from orchestrator_api.models.organization import Organization, OrganizationMember
from orchestrator_api.problems import NotFound
from orchestrator_api.security.permissions import (
    OPERATION_NEEDS,
    ORGANIZATION_OPERATIONS,
    ORGANIZATION_ROLE_PERMISSIONS,
    is_deployment_admin,
)
from orchestrator_api.security.principal import (
    BOUND_ORGANIZATION,
    NARROWED,
    WORKER_API,
    Principal,
    set_acting_principal,
)
from orchestrator_api.tenancy.context import (
    DEFAULT_ORG_ID,
    DEFAULT_ORGANIZATION_ID,
    set_request_organization,
    set_request_unscoped,
)

ORGANIZATION_HEADER = "Organization"
ORGANIZATION_NOT_FOUND = "Organization not found"


def organization_not_found() -> NotFound:
    # The same words whether the organization is missing or foreign; the submitted name is never echoed.
    return NotFound(
        title=ORGANIZATION_NOT_FOUND,
        detail="No organization with this org_id exists among those you belong to",
    )


def membership(username: str, org_id: str) -> tuple[Organization, str | None] | None:
    """The organization ``org_id`` with ``username``'s role there (None: no member); None: no such org."""
    row = (
        db.session()
        .execute(
            select(Organization, OrganizationMember.role)
            .outerjoin(
                OrganizationMember,
                and_(
                    OrganizationMember.organization_id == Organization.id,
                    OrganizationMember.username == username,
                ),
            )
            .where(Organization.org_id == org_id)
        )
        .first()
    )
    return None if row is None else (row[0], row[1])


def enter(principal: Principal | None, operation_id: str) -> Principal | None:
    """Bind the request to its organization; returns the principal as it acts there."""
    if WORKER_API in OPERATION_NEEDS[operation_id]:
        set_request_unscoped()  # a worker serves every organization; its lease names the row
        return principal
    bound = principal.extra.get(BOUND_ORGANIZATION) if principal is not None else None
    header = (flask.request.headers.get(ORGANIZATION_HEADER) or "").strip()
    if operation_id in ORGANIZATION_OPERATIONS or principal is None:
        set_request_organization(DEFAULT_ORGANIZATION_ID)
        return principal
    if isinstance(bound, int):
        return _enter_bound(principal, bound, header)
    if not header or header == DEFAULT_ORG_ID:
        set_request_organization(DEFAULT_ORGANIZATION_ID)
        return principal
    found = membership(principal.username, header)
    admin = is_deployment_admin(principal)
    if found is None or (found[1] is None and not admin):
        raise organization_not_found()
    organization, role = found
    set_request_organization(organization.id)
    acting = principal if admin or role is None else _as_member(principal, role)
    set_acting_principal(acting)
    return acting


def _enter_bound(principal: Principal, bound: int, header: str) -> Principal:
    """A token bound to an organization acts there; a header naming another organization is a 404."""
    if header:
        org_id = db.session().scalar(select(Organization.org_id).where(Organization.id == bound))
        if header != org_id:
            raise organization_not_found()
    set_request_organization(bound)
    return principal


def _as_member(principal: Principal, role: str) -> Principal:
    """The caller with their organization role's permissions instead of their deployment roles'.

    A token narrowed to some roles keeps within them: it gets what both its roles and the organization
    role allow.
    """
    permissions = ORGANIZATION_ROLE_PERMISSIONS[role]
    if principal.extra.get(NARROWED):
        permissions = permissions & principal.permissions
    return dataclasses.replace(
        principal,
        role_ids=frozenset(),
        permissions=permissions,
        extra={**principal.extra, "organization_role": role},
    )
