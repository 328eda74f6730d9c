"""Wire shapes of variables: lists mask the value of a key that names a secret, reads answer it."""

from __future__ import annotations

from marshmallow import Schema, fields

from orchestrator_api.models.resources import Variable
from orchestrator_api.redaction import MASK, is_sensitive


class VariableSchema(Schema):
    key = fields.String(required=True)
    value = fields.String(attribute="val", required=True)
    description = fields.String(allow_none=True)


class VariableCollectionItemSchema(Schema):
    key = fields.String()
    value = fields.Method("_masked_value")
    description = fields.String(allow_none=True)

    def _masked_value(self, variable: Variable) -> str:
        return MASK if is_sensitive(variable.key) else variable.val


variable_schema = VariableSchema()
variable_item_schema = VariableCollectionItemSchema()
