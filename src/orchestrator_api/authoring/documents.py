"""A definition as YAML text (how it is stored and validated) and as JSON data (how JSON clients see it)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import yaml

from orchestrator_api.problems import BadRequest

YAML_MEDIA_TYPE = "application/yaml"


def render(data: Mapping[str, Any]) -> str:
    """``data`` as a block-style YAML document, keys in the order given."""
    return yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=100)


def text_from_body(body: Any) -> tuple[str, bool]:
    """The YAML text of a request body, and whether it came as YAML (so its line numbers mean something).

    connexion hands a JSON body over parsed and any other media type as bytes.
    """
    if isinstance(body, bytes | str):
        try:
            text = body.decode("utf-8") if isinstance(body, bytes) else body
        except UnicodeDecodeError:
            raise BadRequest(detail="The YAML definition is not valid UTF-8") from None
        return text, True
    if isinstance(body, Mapping):
        return render(body), False
    raise BadRequest(detail="The definition must be a JSON object or a YAML mapping")


def load(text: str) -> dict[str, Any]:
    """The data of a stored (already validated) definition."""
    data = yaml.safe_load(text)
    return data if isinstance(data, dict) else {}


def jsonable(value: Any) -> Any:
    """YAML data as JSON data: timestamps and dates become RFC 3339 / ISO text."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    return value
