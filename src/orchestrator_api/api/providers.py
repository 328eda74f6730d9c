"""Providers installed through the ``orchestrator_api.providers`` entry points."""

from __future__ import annotations

from typing import Any

from orchestrator_api.extensions import installed_providers
from orchestrator_api.pagination import effective_limit, slice_page
from orchestrator_api.schemas.common import dump_many
from orchestrator_api.schemas.extensions import provider_schema


def get_providers(limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    providers = installed_providers()
    page = slice_page(providers, offset=offset, size=effective_limit(limit))
    return {"providers": dump_many(provider_schema, page.rows), "total_entries": page.total}
