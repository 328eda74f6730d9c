"""The Airflow operations of our spec: everything in ``openapi/v1.yaml`` outside the extension tags."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from orchestrator_api.spec import extension_tags

SPEC = Path(__file__).resolve().parents[1] / "openapi" / "v1.yaml"


@dataclass(frozen=True)
class SpecOperation:
    operation_id: str
    method: str
    path: str
    public: bool  # needs no credentials


def airflow_spec_operations(spec_path: Path = SPEC) -> list[SpecOperation]:
    """Airflow's operations in spec order."""
    document: dict[str, Any] = yaml.safe_load(spec_path.read_text(encoding="utf-8"))
    extensions = extension_tags(document)
    found = []
    for path, item in document["paths"].items():
        for method in ("get", "put", "post", "delete", "patch"):
            operation = item.get(method)
            if operation and not extensions & set(operation.get("tags", [])):
                public = operation.get("security", document.get("security")) == []
                found.append(SpecOperation(operation["operationId"], method.upper(), path, public))
    return found
