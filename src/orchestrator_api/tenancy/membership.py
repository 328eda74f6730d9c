"""Who may do what to an organization and its members; the last-Owner rule.

Organizations are deployment-level rows (not ``OrgScoped``): these checks replace the operation-level
permission for them. A non-member who is not a deployment Admin gets the same 404 as for a missing
organization.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from orchestrator_api import db
from orchestrator_api.models.organization import OWNER, Organization, OrganizationMember
from orchestrator_api.problems import AlreadyExists, PermissionDenied
from orchestrator_api.security.permissions import is_deployment_admin
from orchestrator_api.security.principal import Principal
from orchestrator_api.tenancy.access import membership, organization_not_found


@dataclass(frozen=True)
class Seat:
    """An organization as the caller sees it: their role there, and whether they administer the deployment."""

    organization: Organization
    role: str | None
    admin: bool

    @property
    def manages(self) -> bool:
        return self.admin or self.role == OWNER


def seat(principal: Principal, org_id: str) -> Seat:
    """The organization ``org_id`` and the caller's role in it; 404 unless they are a member or an Admin."""
    found = membership(principal.username, org_id)
    admin = is_deployment_admin(principal)
    if found is None or (found[1] is None and not admin):
        raise organization_not_found()
    return Seat(found[0], found[1], admin)


def managing_seat(principal: Principal, org_id: str) -> Seat:
    """As :func:`seat`, and 403 unless the caller is an Owner there or a deployment Admin."""
    found = seat(principal, org_id)
    if not found.manages:
        raise PermissionDenied(detail="Only the organization's Owners may change it or its members")
    return found


def keep_an_owner(organization: Organization, leaving: OrganizationMember) -> None:
    """409 when ``leaving`` is the organization's last Owner (removed or demoted)."""
    if leaving.role != OWNER:
        return
    owners = db.session().scalar(
        select(func.count())
        .select_from(OrganizationMember)
        .where(OrganizationMember.organization_id == organization.id, OrganizationMember.role == OWNER)
    )
    if (owners or 0) <= 1:
        raise AlreadyExists(
            detail="An organization keeps at least one Owner: make another member an Owner first",
        )
