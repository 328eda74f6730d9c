"""Wire shape of organizations and their members (extension)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from orchestrator_api.models.organization import ORG_ID_PATTERN, ORG_ROLES


class OrganizationSchema(Schema):
    org_id = fields.String(required=True, validate=validate.Regexp(ORG_ID_PATTERN))
    name = fields.String(required=True, validate=validate.Length(min=1, max=250))
    created_at = fields.DateTime(dump_only=True)
    created_by = fields.String(dump_only=True, allow_none=True)
    # Set on the object by the handler from the caller's membership (None for a non-member Admin).
    your_role = fields.String(dump_only=True, allow_none=True)


class OrganizationMemberSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=256))
    role = fields.String(required=True, validate=validate.OneOf(ORG_ROLES))
    added_at = fields.DateTime(dump_only=True)


organization_schema = OrganizationSchema()
member_schema = OrganizationMemberSchema()
