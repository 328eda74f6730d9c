"""Wire shapes of plugins and providers."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from orchestrator_api.extensions import PluginInfo


class ProviderSchema(Schema):
    package_name = fields.String()
    description = fields.String()
    version = fields.String()


def plugin_item(plugin: PluginInfo) -> dict[str, Any]:
    """A plugin's answer: its name and source, then each contribution list under its attribute name."""
    return {"name": plugin.name, "source": plugin.source, **plugin.texts, **plugin.objects}


provider_schema = ProviderSchema()
