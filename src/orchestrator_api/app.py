"""``create_app()``: the connexion app that serves ``openapi/v1.yaml``.

The spec is added once under ``/api/v1``; the resolver binds each operationId to its handler; problem
handlers sit on connexion's middleware so routing, validation and security errors become RFC 7807 bodies;
the Flask app commits the request's session in one ``after_request`` hook.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import flask
import werkzeug.exceptions
from connexion import FlaskApp
from connexion import context as connexion_context
from connexion.exceptions import ProblemException
from connexion.middleware import MiddlewarePosition
from connexion.options import SwaggerUIOptions
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from orchestrator_api import db, problems
from orchestrator_api.concurrency import handler_pool, limit_credential_checks
from orchestrator_api.config import Settings, get_settings
from orchestrator_api.middleware import (
    RESPONSE_VALIDATORS,
    AcceptMiddleware,
    BodyLimitMiddleware,
    RequestContextMiddleware,
)
from orchestrator_api.operations import add_outer_middlewares
from orchestrator_api.operations.metrics import MetricsEndpoint
from orchestrator_api.operations.routes import RouteNames
from orchestrator_api.resolver import OperationResolver
from orchestrator_api.security.encryption import UndecryptableSecret
from orchestrator_api.spec import load_spec, operations
from orchestrator_api.validation import VALIDATOR_MAP

API_BASE = "/api/v1"


def _reraise_werkzeug(exc: werkzeug.exceptions.HTTPException) -> flask.Response:
    """Routing errors inside Flask become the framework's problems (``problems.handle_http_exception``:
    Airflow's sentences, type about:blank, 405 with its ``Allow`` header)."""
    raise HTTPException(exc.code or 500, detail=exc.description)


def _require_routed_operation() -> None:
    """404 for paths Flask would route but connexion did not (e.g. a control character in a parameter).

    The two routers use slightly different path rules; without connexion's operation context a handler
    cannot run, so such a request is simply not a resource of the API.
    """
    if flask.request.blueprint is None:
        return
    try:
        connexion_context.operation.operation_id  # noqa: B018  # raises when connexion did not route it
    except RuntimeError:
        raise problems.NotFound(detail="No resource at this path") from None


def _root() -> werkzeug.Response:
    return flask.redirect(f"{API_BASE}/ui/")


def _lifespan(concurrency: int, *, freeze: bool) -> Callable[[Any], AbstractAsyncContextManager[None]]:
    """What a worker does once its event loop runs, before the first request."""

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        limit_credential_checks(concurrency)
        if freeze:
            # Move everything built at start (the parsed and resolved spec copies, validators, models,
            # modules: hundreds of thousands of objects) out of the garbage collector's reach. connexion
            # builds its middleware stack when the lifespan starts, just before this runs. Without it
            # every full collection walks them all again, a pause of tens of milliseconds that lands on
            # the requests in flight (the p99 at 8 connections); they live as long as the process anyway.
            gc.collect()
            gc.freeze()
        yield

    return lifespan


def create_app(settings: Settings | None = None, *, server: bool = False) -> FlaskApp:
    """Build the ASGI app; the database is bound lazily by :mod:`orchestrator_api.db`.

    ``server``: the app a server process runs for its whole life (``asgi.py``), which may freeze what it
    built at start (tests build many apps in one process and leave that alone).
    """
    settings = settings or get_settings()
    spec: dict[str, Any] = load_spec()
    ops = operations(spec)
    app = FlaskApp(
        __name__,
        lifespan=_lifespan(settings.request_concurrency, freeze=server),
        swagger_ui_options=SwaggerUIOptions(
            swagger_ui_path="/ui",
            swagger_ui_config={"persistAuthorization": True, "displayRequestDuration": True},
        ),
    )
    # connexion gives the Flask app a2wsgi's default pool (10 threads, no admission limit).
    app._middleware_app.asgi_app = handler_pool(app.app.wsgi_app, settings.request_concurrency)
    # A dataset URI path parameter may hold "//" (or start with "/"): Flask must route such paths as they
    # are instead of answering a redirect to a path with the slashes merged. Set before routes are added.
    app.app.url_map.merge_slashes = False
    # Outermost first: CORS, gzip, then request ids and the access log (connexion keeps the order in
    # which middlewares are added at one position).
    add_outer_middlewares(app, settings)
    app.add_middleware(
        RequestContextMiddleware,
        position=MiddlewarePosition.BEFORE_EXCEPTION,
        routes=RouteNames({op_id: info.path for op_id, info in ops.items()}, API_BASE),
        metrics=settings.metrics_enabled,
    )
    if settings.metrics_enabled:
        app.add_middleware(
            MetricsEndpoint, position=MiddlewarePosition.BEFORE_SWAGGER, token=settings.metrics_token
        )
    app.add_middleware(
        BodyLimitMiddleware,
        position=MiddlewarePosition.BEFORE_SWAGGER,
        max_bytes=settings.max_request_body_bytes,
    )
    app.add_middleware(
        AcceptMiddleware,
        position=MiddlewarePosition.BEFORE_VALIDATION,
        produces={op_id: list(info.produces) for op_id, info in ops.items()},
        negotiating=frozenset(op_id for op_id, info in ops.items() if info.negotiates),
    )
    app.add_api(
        spec,
        resolver=OperationResolver(ops),
        strict_validation=True,
        validate_responses=settings.validate_responses,
        pythonic_params=False,
        validator_map={**VALIDATOR_MAP, "response": RESPONSE_VALIDATORS},
    )
    app.add_error_handler(ProblemException, problems.handle_problem)
    app.add_error_handler(HTTPException, problems.handle_http_exception)
    app.add_error_handler(ValidationError, problems.handle_validation_error)
    app.add_error_handler(UnicodeDecodeError, problems.handle_undecodable_body)
    app.add_error_handler(RecursionError, problems.handle_too_deep)
    app.add_error_handler(IntegrityError, problems.handle_integrity_error)
    app.add_error_handler(OperationalError, problems.handle_operational_error)
    app.add_error_handler(UndecryptableSecret, problems.handle_undecryptable_secret)
    app.add_error_handler(Exception, problems.handle_unexpected)

    flask_app = app.app
    flask_app.json.sort_keys = False
    flask_app.before_request(_require_routed_operation)
    flask_app.after_request(db.commit_request_session)
    flask_app.teardown_request(db.close_request_session)
    flask_app.register_error_handler(werkzeug.exceptions.HTTPException, _reraise_werkzeug)
    flask_app.add_url_rule("/", "root", _root)
    logging.getLogger("connexion").setLevel(logging.ERROR)
    return app
