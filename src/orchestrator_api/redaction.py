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
    "service_account",
)
MASK = "***"


def is_sensitive(name: str) -> bool:
    """Whether a field or variable named ``name`` holds a secret (Airflow's sensitive-name rule)."""
    lowered = name.lower()
    return any(word in lowered for word in SENSITIVE_WORDS)


def mask_secrets(value: Any) -> Any:
    """A copy of ``value`` with every secret replaced by ``***``.

    Secret keys are masked at any depth; a ``{"key": k, "value": v}`` pair with a sensitive ``k`` (a variable)
    has its value masked, and so do arguments ``{"variable_key": k, "body": {"value": v}}`` (a variable
    changed through its path); a JSON object held in a string is masked inside, and a string under the key
    ``extra`` (a connection's) is masked by :func:`mask_extra`.
    """
    if isinstance(value, dict):
        masked = {k: _mask_entry(str(k), v) for k, v in value.items()}
        if isinstance(value.get("key"), str) and is_sensitive(value["key"]) and "value" in value:
            masked["value"] = MASK
        body = masked.get("body")
        path_key = value.get("variable_key")
        if (
            isinstance(path_key, str)
            and is_sensitive(path_key)
            and isinstance(body, dict)
            and "value" in body
        ):
            masked["body"] = {**body, "value": MASK}
        return masked
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    if isinstance(value, str) and value.startswith("{"):
        try:
            parsed = json.loads(value)
            if isinstance(parsed, dict):
                return json.dumps(mask_secrets(parsed))
        except ValueError:
            return value
        except RecursionError:  # nested too deep to inspect: judge the text as a whole
            return MASK if is_sensitive(value) else value
    return value


def _mask_entry(key: str, value: Any) -> Any:
    if is_sensitive(key) and value is not None:
        return MASK
    if key == "extra" and isinstance(value, str):
        return mask_extra(value)
    return mask_secrets(value)


def mask_extra(text: str) -> str:
    """A connection's ``extra`` as it may be shown, in an answer or in the audit trail.

    JSON objects and arrays have every value under a sensitive key masked, at any depth; they come back as
    sent when nothing needed masking, re-serialised otherwise. Any other text (a JSON scalar, an object
    repeating a key, or no JSON at all, which Airflow accepts too) cannot be inspected key by key: it is
    shown as sent unless it mentions a sensitive name anywhere, and then as ``***`` altogether.
    """
    try:
        parsed = json.loads(text, object_pairs_hook=_unique_keys)
        if isinstance(parsed, dict | list):
            masked = mask_secrets(parsed)
            return text if masked == parsed else json.dumps(masked)
    except (ValueError, RecursionError):
        pass
    return MASK if is_sensitive(text) else text


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # With a repeated key only the last value survives parsing, so the text would hide what masking saw.
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("repeated key")
    return dict(pairs)
