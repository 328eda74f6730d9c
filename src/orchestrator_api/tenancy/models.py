"""The tenancy models (defined with the other tables in ``models.organization``, re-exported here)."""

from orchestrator_api.models.organization import (
    ORG_ID_PATTERN,
    ORG_ROLES,
    OWNER,
    USER,
    Organization,
    OrganizationMember,
    OrgScoped,
)

__all__ = ["ORG_ID_PATTERN", "ORG_ROLES", "OWNER", "USER", "OrgScoped", "Organization", "OrganizationMember"]
