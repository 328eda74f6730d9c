"""RFC 7807 problems: one exception hierarchy, and the handlers that turn every error into one.

Handlers raise ``NotFound(detail=...)`` and friends; everything else (connexion's validation and
security errors, routing 404/405, marshmallow errors, database conflicts, unexpected exceptions) is
mapped here, so every error response has the same shape: ``type``, ``title``, ``status``, ``detail`` and
``instance``, served as ``application/problem+json``. The ``type`` URIs end in Airflow's fragments, so
clients that switch on them keep working; the framework's own errors (no such route, a method the route
does not offer, a media type the operation does not take) carry ``about:blank``, as Airflow's do.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any, ClassVar

from connexion.exceptions import ProblemException
from connexion.lifecycle import ConnexionRequest, ConnexionResponse
from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from orchestrator_api.config import get_settings
from orchestrator_api.problem_titles import airflow_title
from orchestrator_api.redaction import redact_path
from orchestrator_api.security.encryption import UndecryptableSecret
from orchestrator_api.spec import allowed_methods

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
# The `type` of the framework's errors, where Airflow sends no documented fragment either (RFC 7807 3.1).
ABOUT_BLANK = "about:blank"
# Airflow 2.10.5's details for them (werkzeug's fixed sentences, which name nothing the client sent).
NO_ROUTE = (
    "The requested URL was not found on the server. If you entered the URL manually please check your "
    "spelling and try again."
)
NO_METHOD = "The method is not allowed for the requested URL."
AUTHENTICATE_CHALLENGE = 'Basic realm="orchestrator-api", Bearer realm="orchestrator-api"'


class ApiProblem(ProblemException):  # type: ignore[misc]  # connexion ships no type hints
    """Base of every problem a handler raises; subclasses set the class attributes."""

    status_code: ClassVar[int] = 500
    default_title: ClassVar[str] = "Internal Server Error"
    fragment: ClassVar[str] = "Unknown"

    def __init__(
        self,
        detail: str | None = None,
        *,
        title: str | None = None,
        headers: Mapping[str, str] | None = None,
        ext: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(
            status=self.status_code,
            title=airflow_title(title) if title else self.default_title,
            detail=detail,
            headers=dict(headers or {}),
            ext=dict(ext) if ext else None,
        )


class BadRequest(ApiProblem):
    status_code = 400
    default_title = "Bad Request"
    fragment = "BadRequest"


class Unauthenticated(ApiProblem):
    status_code = 401
    default_title = "Unauthorized"
    fragment = "Unauthenticated"


class PermissionDenied(ApiProblem):
    status_code = 403
    default_title = "Forbidden"
    fragment = "PermissionDenied"


class NotFound(ApiProblem):
    status_code = 404
    default_title = "Not Found"
    fragment = "NotFound"


class MethodNotAllowed(ApiProblem):
    status_code = 405
    default_title = "Method Not Allowed"
    fragment = "MethodNotAllowed"


class NotAcceptable(ApiProblem):
    status_code = 406
    default_title = "Not Acceptable"
    fragment = "NotAcceptable"


class AlreadyExists(ApiProblem):
    status_code = 409
    default_title = "Conflict"
    fragment = "AlreadyExists"


class PreconditionFailed(ApiProblem):
    status_code = 412
    default_title = "Precondition Failed"
    fragment = "PreconditionFailed"


class LeaseLost(ApiProblem):
    status_code = 409
    default_title = "Conflict"
    fragment = "LeaseLost"


class PayloadTooLarge(ApiProblem):
    status_code = 413
    default_title = "Payload Too Large"
    fragment = "PayloadTooLarge"


class UnsupportedMediaType(ApiProblem):
    status_code = 415
    default_title = "Unsupported Media Type"
    fragment = "UnsupportedMediaType"


class TooManyRequests(ApiProblem):
    status_code = 429
    default_title = "Too Many Requests"
    fragment = "TooManyRequests"


class Unknown(ApiProblem):
    status_code = 500
    default_title = "Internal Server Error"
    fragment = "Unknown"


class ServiceUnavailable(ApiProblem):
    status_code = 503
    default_title = "Service Unavailable"
    fragment = "ServiceUnavailable"


_BY_STATUS: dict[int, type[ApiProblem]] = {
    cls.status_code: cls
    for cls in (
        BadRequest,
        Unauthenticated,
        PermissionDenied,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
        AlreadyExists,
        PreconditionFailed,
        PayloadTooLarge,
        UnsupportedMediaType,
        TooManyRequests,
        Unknown,
        ServiceUnavailable,
    )
}


def problem_type(fragment: str) -> str:
    """The ``type`` URI for a problem: our documentation URL with Airflow's section fragment."""
    base: str = get_settings().docs_url
    return f"{base}#section/Errors/{fragment}"


def problem_response(
    request: ConnexionRequest | None,
    status: int,
    *,
    title: str | None = None,
    detail: str | None = None,
    headers: Mapping[str, str] | None = None,
    ext: Mapping[str, Any] | None = None,
    fragment: str | None = None,
    type_uri: str | None = None,
) -> ConnexionResponse:
    """Build the one problem body every error gets (``type_uri`` replaces the documented type)."""
    cls = _BY_STATUS.get(status) or (BadRequest if status < 500 else Unknown)
    body: dict[str, Any] = {
        "type": type_uri or problem_type(fragment or cls.fragment),
        "title": title or cls.default_title,
        "status": status,
        "detail": detail or title or cls.default_title,
        "instance": redact_path(request.url.path) if request is not None else "",
    }
    if ext:
        body.update({k: v for k, v in ext.items() if k not in body})
    all_headers = dict(headers or {})
    if status == 401:
        all_headers.setdefault("WWW-Authenticate", AUTHENTICATE_CHALLENGE)
    return ConnexionResponse(
        status_code=status,
        mimetype=PROBLEM_JSON,
        content_type=PROBLEM_JSON,
        body=json.dumps(body),
        headers=all_headers,
    )


def _request_id(request: ConnexionRequest) -> str:
    return str(request.headers.get("x-request-id", "-"))


def handle_problem(request: ConnexionRequest, exc: ProblemException) -> ConnexionResponse:
    """Ours and connexion's problems (validation 400, security 401/403, media type 415...)."""
    status = int(exc.status or 500)
    detail = exc.detail
    if status >= 500 and not isinstance(exc, ApiProblem):
        # connexion's own 5xx (e.g. a response that breaks the spec) is a bug: log it, show nothing.
        log.error("request %s: %s: %s", _request_id(request), type(exc).__name__, exc.detail)
        detail = None
    if status == 401 and not isinstance(exc, ApiProblem):
        # connexion speaks of "tokens" even for passwords, and must not hint which part was wrong.
        detail = (
            "Authentication required: send basic credentials or a token"
            if detail == "No authorization token provided"
            else "The credentials are not valid"
        )
    if status == 400 and detail and not isinstance(exc, ApiProblem):
        # jsonschema appends the whole failing schema to its message; the first paragraph is the useful part.
        detail = str(detail).split("\n\n", 1)[0]
    if status == 415 and not isinstance(exc, ApiProblem):
        # connexion quotes the Content-Type that was sent; name only what the operation accepts.
        expected = re.search(r"expected (\[.*\])", str(detail or ""))
        detail = "The request's Content-Type is not supported" + (
            f"; expected one of {expected.group(1)}" if expected else ""
        )
    title = exc.title if isinstance(exc, ApiProblem) else None
    ext = exc.ext if isinstance(exc, ApiProblem) else None
    fragment = exc.fragment if isinstance(exc, ApiProblem) else None
    type_uri = ABOUT_BLANK if status == 415 and not isinstance(exc, ApiProblem) else None
    return problem_response(
        request,
        status,
        title=title,
        detail=detail,
        headers=exc.headers,
        ext=ext,
        fragment=fragment,
        type_uri=type_uri,
    )


def handle_http_exception(request: ConnexionRequest, exc: HTTPException) -> ConnexionResponse:
    """Starlette/werkzeug HTTP errors that reached the middleware (routing 404 and 405, mostly)."""
    headers = dict(exc.headers or {})
    detail = exc.detail if isinstance(exc.detail, str) else None
    type_uri = None
    if exc.status_code == 404:
        detail, type_uri = NO_ROUTE, ABOUT_BLANK
    elif exc.status_code == 405:
        # Routing only knows the first route that matched the path; the spec knows every method it offers.
        headers["Allow"] = ", ".join(allowed_methods(request.url.path))
        detail, type_uri = NO_METHOD, ABOUT_BLANK
    return problem_response(request, exc.status_code, detail=detail, headers=headers, type_uri=type_uri)


def handle_validation_error(request: ConnexionRequest, exc: ValidationError) -> ConnexionResponse:
    """A marshmallow error while loading a body: a 400 naming the fields."""
    return problem_response(request, 400, detail=describe_messages(exc.messages))


def handle_undecodable_body(request: ConnexionRequest, exc: UnicodeDecodeError) -> ConnexionResponse:
    """A JSON body that is not UTF-8 text."""
    return problem_response(request, 400, detail="The request body is not valid UTF-8")


def handle_too_deep(request: ConnexionRequest, exc: RecursionError) -> ConnexionResponse:
    """A body nested deeper than Python can walk (JSON decoding, validation or masking gave up)."""
    return problem_response(request, 400, detail="The request body is nested too deeply")


def handle_integrity_error(request: ConnexionRequest, exc: IntegrityError) -> ConnexionResponse:
    """A constraint violation no handler anticipated: the request conflicts with existing rows."""
    log.warning("request %s: integrity error: %s", _request_id(request), type(exc.orig).__name__)
    return problem_response(
        request, 409, detail="The request conflicts with the current state of the resource"
    )


def handle_operational_error(request: ConnexionRequest, exc: OperationalError) -> ConnexionResponse:
    """The database is unreachable or locked: the client may retry."""
    log.error("request %s: database unavailable: %s", _request_id(request), type(exc.orig).__name__)
    return problem_response(
        request,
        503,
        detail="The metadata database is unavailable; retry shortly",
        headers={"Retry-After": "1"},
    )


def handle_undecryptable_secret(request: ConnexionRequest, exc: UndecryptableSecret) -> ConnexionResponse:
    """Stored secrets were encrypted with a key the server was not given: an operator must fix the config."""
    log.error("request %s: %s", _request_id(request), exc)
    return problem_response(
        request, 503, detail="Stored secrets cannot be decrypted with the server's configured keys"
    )


def handle_unexpected(request: ConnexionRequest, exc: Exception) -> ConnexionResponse:
    """Anything else is a bug: log it with the request id, answer a bare 500."""
    log.error("request %s: unhandled %s", _request_id(request), type(exc).__name__, exc_info=exc)
    return problem_response(request, 500, detail="An unexpected error occurred; it has been logged")


def describe_messages(messages: Any, prefix: str = "") -> str:
    """Flatten marshmallow's nested messages into one readable line."""
    if isinstance(messages, dict):
        parts = [describe_messages(value, f"{prefix}{key}.") for key, value in messages.items()]
        return "; ".join(parts)
    if isinstance(messages, list):
        return (
            f"{prefix.rstrip('.')}: {' '.join(str(m) for m in messages)}"
            if prefix
            else " ".join(map(str, messages))
        )
    return f"{prefix.rstrip('.')}: {messages}"
