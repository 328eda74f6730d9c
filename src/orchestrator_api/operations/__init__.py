"""What operators expect around the API: metrics, CORS, compression, JSON logs, CLI progress.

:func:`add_outer_middlewares` adds the layers that must wrap everything else, in this order from the
outside: CORS (a preflight is answered before anything else runs), then gzip (it compresses whatever the
inner layers answer, problems included) with :class:`~.compression.WholeBody` just inside it.
``app.py`` adds them before the request-id/access-log layer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # config reads this package's settings: no import back at run time
    from connexion import FlaskApp

    from orchestrator_api.config import Settings

# Level 5 compresses JSON nearly as well as 9 at a fraction of the CPU per response.
GZIP_LEVEL = 5
# Headers a browser script may read from a cross-origin answer, beyond the CORS-safelisted ones.
CORS_EXPOSED_HEADERS = (
    "X-Request-ID",
    "WWW-Authenticate",
    "Allow",
    "Retry-After",
    # A list's page headers, so a browser client can follow Link and read the totals.
    "Link",
    "X-Total",
    "X-Total-Pages",
    "X-Page",
    "X-Per-Page",
    "X-Next-Page",
    "X-Prev-Page",
)


def add_outer_middlewares(app: FlaskApp, settings: Settings) -> None:
    """Add CORS (when configured) and gzip (unless turned off); call before any other ``add_middleware``."""
    # Imported here: `config` imports this package (for its settings), and gunicorn's master process
    # imports `config` but must not load connexion (about 25 MiB it would hold for the server's life).
    from connexion.middleware import MiddlewarePosition
    from starlette.middleware.cors import CORSMiddleware
    from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

    from orchestrator_api.operations.compression import STREAMED_MEDIA_TYPES, WholeBody

    if settings.cors_enabled:
        app.add_middleware(
            CORSMiddleware,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            allow_origins=settings.cors_allow_origins,
            allow_origin_regex=settings.cors_allow_origin_regex or None,
            allow_credentials=settings.cors_allow_credentials,
            allow_headers=settings.cors_allow_headers,
            allow_methods=settings.cors_allow_methods,
            expose_headers=CORS_EXPOSED_HEADERS,
            max_age=settings.cors_max_age,
        )
    if settings.gzip_minimum_bytes:
        app.add_middleware(
            GZipMiddleware,
            position=MiddlewarePosition.BEFORE_EXCEPTION,
            minimum_size=settings.gzip_minimum_bytes,
            compresslevel=GZIP_LEVEL,
            exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *STREAMED_MEDIA_TYPES),
        )
        app.add_middleware(WholeBody, position=MiddlewarePosition.BEFORE_EXCEPTION)
