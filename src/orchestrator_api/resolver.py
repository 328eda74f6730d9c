"""operationId -> the function of the same name in ``orchestrator_api.api``, guarded by permissions and audit.

Every module in the ``api`` package is scanned once; a function name may be used by one module only. An
operationId without a function stops the app at boot (connexion raises), and ``unused_functions()`` lets a
test find handlers no operation uses. Each resolved function is wrapped so that, before it runs, the one
permission check applies, and a mutating operation writes its audit row (see ``audit``).
"""

from __future__ import annotations

import functools
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from types import ModuleType
from typing import Any

import flask
from connexion.exceptions import ResolverError
from connexion.resolver import Resolver
from marshmallow import ValidationError

from orchestrator_api import api, audit, handler_stage
from orchestrator_api.pagination import add_page_headers, page_arguments
from orchestrator_api.problem_titles import INVALID_BODY, current_operation
from orchestrator_api.problems import BadRequest, describe_messages
from orchestrator_api.security.permissions import OPERATION_NEEDS, authorize, is_mutating
from orchestrator_api.security.principal import optional_principal
from orchestrator_api.spec import OperationInfo
from orchestrator_api.tenancy import access
from orchestrator_api.timeutil import parse_datetime


def _api_modules() -> list[ModuleType]:
    return [importlib.import_module(f"{api.__name__}.{m.name}") for m in pkgutil.iter_modules(api.__path__)]


@functools.cache
def handler_functions() -> dict[str, Callable[..., Any]]:
    """Every public function defined in an ``api`` module, by name."""
    found: dict[str, Callable[..., Any]] = {}
    for module in _api_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            if name in found:
                raise ResolverError(
                    f"{name} is defined in both {found[name].__module__} and {module.__name__}"
                )
            found[name] = function
    return found


def _convert_datetimes(kwargs: dict[str, Any], names: frozenset[str]) -> None:
    """connexion checked the format; hand handlers aware UTC datetimes instead of strings."""
    for name in names & kwargs.keys():
        value = kwargs[name]
        if isinstance(value, str):
            try:
                kwargs[name] = parse_datetime(value)
            except ValueError:
                raise BadRequest(detail=f"{name} is not an RFC 3339 date-time: {value!r}") from None


def guarded(
    operation_id: str,
    function: Callable[..., Any],
    datetime_parameters: frozenset[str] = frozenset(),
    *,
    lists: bool = False,
    pages: bool = False,
) -> Callable[..., Any]:
    """``function`` behind the permission check, followed by the audit record when it mutates.

    A list operation's answer gets the page headers; ``page``/``per_page`` reach its handler as the
    ``limit``/``offset`` it takes.
    """
    if operation_id not in OPERATION_NEEDS:
        raise ResolverError(f"{operation_id} has no entry in security.permissions.OPERATION_NEEDS")
    needs_principal = bool(OPERATION_NEEDS[operation_id])
    audited = is_mutating(operation_id)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        current_operation(operation_id, kwargs)
        _convert_datetimes(kwargs, datetime_parameters)
        if pages:
            kwargs = page_arguments(kwargs)
        principal = access.enter(optional_principal(), operation_id)
        if principal is not None:
            authorize(principal, operation_id, kwargs)
        elif needs_principal:
            raise RuntimeError(f"{operation_id} reached its handler without authentication")
        row = audit.pending(operation_id, principal) if audited else None
        try:
            try:
                handler_stage.raise_deferred()  # what Airflow's handler, not its spec, refuses
                result = function(*args, **kwargs)
            except ValidationError as exc:
                # A body the resource's schema refuses; the title is Airflow's for this operation.
                raise BadRequest(title=INVALID_BODY, detail=describe_messages(exc.messages)) from None
        except Exception:
            if row is not None:
                audit.record_refused(row)  # logged all the same, as Airflow logs before running
            raise
        response = as_response(result)
        if row is not None and response.status_code >= 400:
            audit.record_refused(row)  # a refusal answered rather than raised: rolled back all the same
        elif row is not None:
            audit.record(row)
        if lists:
            add_page_headers(response, result)
        return response

    return wrapper


def as_response(result: Any) -> flask.Response:
    """A handler's return value as a response with an explicit media type.

    Every operation also documents `application/problem+json`, so connexion cannot guess the media type of
    a bare dict; handlers return a dict or list (JSON, 200), ``(body, status)``, or a ready ``Response``.
    """
    if isinstance(result, flask.Response):
        return result
    body, status = result if isinstance(result, tuple) else (result, 200)
    if body is None or body == "":
        empty = flask.Response(status=status)
        del empty.headers["Content-Type"]  # no body, so no media type (Flask would claim text/html)
        return empty
    response = flask.jsonify(body)
    response.status_code = status
    return response


class OperationResolver(Resolver):  # type: ignore[misc]  # connexion ships no type hints
    """Resolve an operationId to the same-named handler, wrapped by :func:`guarded`."""

    def __init__(self, operations: dict[str, OperationInfo]) -> None:
        super().__init__(function_resolver=self._resolve)
        self.operations = operations

    def _resolve(self, operation_id: str) -> Callable[..., Any]:
        function = handler_functions().get(operation_id)
        if function is None:
            raise ResolverError(f"operationId {operation_id!r} has no handler in orchestrator_api.api")
        info = self.operations[operation_id]
        return guarded(operation_id, function, info.datetime_parameters, lists=info.lists, pages=info.pages)


def unused_functions(operation_ids: set[str]) -> set[str]:
    """Handler functions that no operation in the spec refers to."""
    return set(handler_functions()) - operation_ids
