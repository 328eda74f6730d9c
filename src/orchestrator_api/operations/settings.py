"""The operator features' settings (README "Operating it"): log format, metrics, CORS, compression."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from orchestrator_api.setting import PREFIX, ConfigError, Setting, bool_value, non_negative_int, word_list

if TYPE_CHECKING:
    from orchestrator_api.config import Settings


def log_format(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"text", "json"}:
        raise ConfigError(f"expected text or json, got {raw!r}")
    return value


OPERATIONS_SETTINGS: tuple[Setting, ...] = (
    # Operator features (README "Operating it"): log format, metrics, CORS, compression.
    Setting(
        "LOG_FORMAT",
        log_format,
        "text",
        "logging",
        "`text` (one plain line per record) or `json` (one JSON object per line; access lines carry "
        "request_id, principal, method, route, path, status and duration_ms).",
    ),
    Setting("METRICS_ENABLED", bool_value, "true", "metrics", "Serve Prometheus metrics at `/metrics`."),
    Setting(
        "METRICS_TOKEN",
        str,
        "",
        "metrics",
        "When set, `/metrics` answers only requests with `Authorization: Bearer <token>` (401 otherwise). "
        "Empty: no credentials needed.",
        secret=True,
    ),
    Setting(
        "CORS_ALLOW_ORIGINS",
        word_list,
        "",
        "cors",
        "Origins (space- or comma-separated, `*` for any) whose browser scripts may call the API. Empty, "
        "with no regex either: CORS is off, as in Airflow.",
    ),
    Setting(
        "CORS_ALLOW_ORIGIN_REGEX",
        str,
        "",
        "cors",
        "A regular expression an origin may fully match instead (e.g. `https://.*\\.example\\.org`).",
    ),
    Setting(
        "CORS_ALLOW_CREDENTIALS",
        bool_value,
        "false",
        "cors",
        "Let browsers send credentials cross-origin (`Access-Control-Allow-Credentials: true`); not "
        "allowed with the origin `*`.",
    ),
    Setting(
        "CORS_ALLOW_HEADERS",
        word_list,
        "Authorization Content-Type Private-Token X-Request-ID",
        "cors",
        "Request headers a preflight may ask for.",
    ),
    Setting(
        "CORS_ALLOW_METHODS",
        word_list,
        "GET POST PUT PATCH DELETE",
        "cors",
        "Methods a preflight may ask for.",
    ),
    Setting(
        "CORS_MAX_AGE", non_negative_int, "600", "cors", "Seconds a browser may cache a preflight answer."
    ),
    Setting(
        "GZIP_MINIMUM_BYTES",
        non_negative_int,
        "1024",
        "api",
        "Responses of at least this many bytes are gzip-compressed for clients that send "
        "`Accept-Encoding: gzip`; `0` turns compression off.",
    ),
)


def check_cors(settings: Settings) -> None:
    """Refuse CORS settings that are unsafe or cannot work."""
    # A browser refuses `*` with credentials; echoing any origin instead would let every web page use a
    # logged-in user's credentials, so this combination is refused rather than "made to work".
    if settings.cors_allow_credentials and "*" in settings.cors_allow_origins:
        raise ConfigError(f"{PREFIX}CORS_ALLOW_CREDENTIALS cannot be combined with the origin *")
    if settings.cors_allow_origin_regex:
        try:
            re.compile(settings.cors_allow_origin_regex)
        except re.error as exc:
            raise ConfigError(f"{PREFIX}CORS_ALLOW_ORIGIN_REGEX is not a regular expression: {exc}") from None
