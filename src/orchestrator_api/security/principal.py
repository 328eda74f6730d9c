"""The principal: who is calling and what they may do, the same object for every authentication scheme."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import flask
from connexion.context import context

CAN_READ = "can_read"
CAN_EDIT = "can_edit"
CAN_CREATE = "can_create"
CAN_DELETE = "can_delete"

RESOURCE_DAG = "DAGs"
# Held by worker tokens only (not a stored resource, so no role can grant it).
WORKER_API = ("can_execute", "Worker API")
DAG_RESOURCE_PREFIX = "DAG:"
# Key of ``Principal.extra`` naming the organization (integer key) a token is bound to: it acts there only.
BOUND_ORGANIZATION = "organization_id"
# Key of ``Principal.extra`` set on a token narrowed to some of its user's roles.
NARROWED = "narrowed"


def dag_resource(dag_id: str) -> str:
    """The per-DAG resource name, as Airflow spells it."""
    return f"{DAG_RESOURCE_PREFIX}{dag_id}"


@dataclass(frozen=True)
class DagScope:
    """The DAGs an organization token is narrowed to: those with one of ``ids``, or one of ``tags``."""

    ids: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Principal:
    """An authenticated caller. ``method`` says how they signed in; handlers should not need to care."""

    username: str
    method: str  # "basic", "token", "session", "trigger", "worker" or "organization"
    user_id: int | None
    role_ids: frozenset[int]
    permissions: frozenset[tuple[str, str]]
    token_id: int | None = None
    # A trigger token may call these operations and nothing else; None means no such restriction.
    allowed_operations: frozenset[str] | None = None
    # An organization token narrowed to some DAGs; None means every DAG its roles allow.
    dag_scope: DagScope | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def has(self, action: str, resource: str) -> bool:
        # A DAG-scoped token holds its role's all-DAGs permission for its DAGs only, like a role granted
        # single `DAG:<dag_id>` permissions: code that asks "every DAG?" must hear no.
        if resource == RESOURCE_DAG and self.dag_scope is not None:
            return False
        return (action, resource) in self.permissions

    def can_dag(self, action: str, dag_id: str) -> bool:
        """May act on this DAG: through the all-DAGs permission or the DAG's own.

        For a token scoped by tags this is "maybe": whether the DAG carries one of them is a query, which
        ``permissions.authorize`` runs for a DAG named in the path and ``dag_filter`` runs for rows.
        """
        if self.dag_scope is not None:
            scope = self.dag_scope
            return (action, RESOURCE_DAG) in self.permissions and (dag_id in scope.ids or bool(scope.tags))
        return self.has(action, RESOURCE_DAG) or self.has(action, dag_resource(dag_id))

    def can_some_dag(self, action: str) -> bool:
        """May act on at least one DAG (list endpoints then filter rows with ``dag_filter``)."""
        return (action, RESOURCE_DAG) in self.permissions or any(
            act == action and res.startswith(DAG_RESOURCE_PREFIX) for act, res in self.permissions
        )

    def token_info(self) -> dict[str, Any]:
        """What a connexion security function returns; ``sub`` becomes ``context['user']``."""
        return {"sub": self.username, "principal": self}


# The principal as it acts in the request's organization (tenancy.access), when that differs from the
# signed-in one: a member of another organization acts with their role there.
_ACTING_KEY = "acting_principal"


def set_acting_principal(principal: Principal) -> None:
    setattr(flask.g, _ACTING_KEY, principal)


def _acting() -> Principal | None:
    found = flask.g.get(_ACTING_KEY) if flask.has_request_context() else None
    return found if isinstance(found, Principal) else None


def current_principal() -> Principal:
    """The principal of the current request, set by the security functions before the handler runs."""
    if (acting := _acting()) is not None:
        return acting
    info = context.get("token_info") or {}
    principal = info.get("principal")
    if not isinstance(principal, Principal):
        raise RuntimeError("no authenticated principal on this request")
    return principal


def optional_principal() -> Principal | None:
    """The principal when the operation needs none (e.g. ``get_health``), else the same as above."""
    if (acting := _acting()) is not None:
        return acting
    try:
        info = context.get("token_info") or {}
    except LookupError:
        return None
    principal = info.get("principal")
    return principal if isinstance(principal, Principal) else None
