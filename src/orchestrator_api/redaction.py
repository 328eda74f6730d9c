"""Keep secrets out of logs and problem bodies: trigger tokens travel in a URL path."""

from __future__ import annotations

import json
import re
from typing import Any

_TRIGGER_PATH = re.compile(r"(/triggers/)[^/?#]+")


def redact_path(path: str) -> str:
    """``path`` with any trigger token replaced, safe to log or echo back."""
    return _TRIGGER_PATH.sub(r"\1[redacted]", path)


SENSITIVE_WORDS = (
    "password",
    "passwd",
    "secret",
    "token",
    "api_key",
    "apikey",
    "private_key",
    "passphrase",
    "access_key",
    "authorization",
    "credential",
    "keyfile_dict",
)
MASK = "***"


def is_sensitive(name: str) -> bool:
    """Whether a field or variable named ``name`` holds a secret (Airflow's sensitive-name rule)."""
    lowered = name.lower()
    return any(word in lowered for word in SENSITIVE_WORDS)


def mask_secrets(value: Any) -> Any:
    """A copy of ``value`` with every secret replaced by ``***``.

    Secret keys are masked at any depth; a ``{"key": k, "value": v}`` pair with a sensitive ``k`` (a variable)
    has its value masked; a JSON object held in a string (a connection's ``extra``) is masked inside.
    """
    if isinstance(value, dict):
        masked = {
            k: (MASK if is_sensitive(str(k)) and v is not None else mask_secrets(v)) for k, v in value.items()
        }
        if isinstance(value.get("key"), str) and is_sensitive(value["key"]) and "value" in value:
            masked["value"] = MASK
        return masked
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    if isinstance(value, str) and value.startswith("{"):
        try:
            parsed = json.loads(value)
        except ValueError:
            return value
        if isinstance(parsed, dict):
            return json.dumps(mask_secrets(parsed))
    return value
