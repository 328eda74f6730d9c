"""The route a request took, as a bounded label for logs and metrics: the OpenAPI path template."""

from __future__ import annotations

from collections.abc import Mapping

from starlette.types import Scope

UNMATCHED = "unmatched"


class RouteNames:
    """Map a served request to its route template: ``/api/v1/dags/{dag_id}``, never ``/api/v1/dags/etl``.

    Requests no operation answered get a fixed name (the spec documents, Swagger UI, ``/metrics``) or
    ``unmatched``, so a scan of random paths cannot grow the label set, and a token in a path never shows.
    """

    def __init__(self, templates: Mapping[str, str], base: str) -> None:
        self.templates = {operation_id: base + path for operation_id, path in templates.items()}
        self.base = base
        self.fixed = {"/", "/metrics", f"{base}/openapi.json", f"{base}/openapi.yaml"}

    def of(self, scope: Scope) -> str:
        routing = scope.get("extensions", {}).get("connexion_routing") or {}
        template = self.templates.get(routing.get("operation_id") or "")
        if template is not None:
            return template
        path: str = scope.get("path", "")
        if path in self.fixed:
            return path
        if path.startswith(f"{self.base}/ui"):
            return f"{self.base}/ui/"
        return UNMATCHED
