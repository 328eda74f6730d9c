"""The built-in provider: the connection types this service can test, installed with the service itself.

``pyproject.toml`` declares it as the entry point ``core`` in the ``orchestrator_api.providers`` group, so
it is listed by ``get_providers`` exactly like a provider another package would install.
"""

from __future__ import annotations

import importlib.metadata

from orchestrator_api.extensions import ProviderInfo

DISTRIBUTION = "orchestrator-api"
CONNECTION_TYPES = ("http", "postgres", "sqlite")

PROVIDER = ProviderInfo(
    package_name=DISTRIBUTION,
    description=(
        "Built-in connection types that this service can test: " + ", ".join(CONNECTION_TYPES) + "."
    ),
    version=importlib.metadata.version(DISTRIBUTION),
    connection_types=CONNECTION_TYPES,
)
