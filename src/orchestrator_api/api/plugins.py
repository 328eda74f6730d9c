"""Plugins installed through the ``orchestrator_api.plugins`` entry points."""

from __future__ import annotations

from typing import Any

from orchestrator_api.extensions import installed_plugins
from orchestrator_api.pagination import effective_limit, slice_page
from orchestrator_api.schemas.extensions import plugin_item


def get_plugins(limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    plugins = installed_plugins()
    page = slice_page(plugins, offset=offset, size=effective_limit(limit))
    return {"plugins": [plugin_item(plugin) for plugin in page.rows], "total_entries": page.total}
