"""Which request checks wait until after the permission check and the audit row, as in Airflow.

Airflow 2.10.5 checks a request twice: connexion validates it against Airflow's spec first, before the
permission check and the event-log row; then the handler's own schema checks the body, after both. Airflow's
spec has no ``additionalProperties: false``, hardly any ``required``, no patterns or bounds, and takes any
field name in ``update_mask``, so a request that breaks only those rules reaches Airflow's handler: the
caller's permissions are checked first (403 before 400) and the attempt is in the event log.

Our spec states those rules (generated clients should know them), so the validators do not raise when
every rule a request breaks is one of them: they keep the problem in the ASGI scope, and the resolver raises
it after the permission check and the audit row, where Airflow's handler would. A schema names in
``x-airflow-spec-checks`` the keywords Airflow's own spec checks for it (a note's ``required``), which stay
in the first step.
"""

from __future__ import annotations

from connexion import context as connexion_context
from jsonschema import ValidationError
from starlette.types import Scope

from orchestrator_api.problems import BadRequest

# Schema keywords Airflow's spec leaves to its handlers.
HANDLER_KEYWORDS = frozenset(
    {"additionalProperties", "required", "pattern", "minimum", "maximum", "maxLength"}
)
# Parameters whose values Airflow's spec does not restrict (its handlers refuse unknown mask fields).
HANDLER_PARAMETERS = frozenset({"update_mask"})

_SCOPE_KEY = "orchestrator_api.refused_by_handler"


def checked_by_handler(errors: list[ValidationError]) -> bool:
    """Whether each of ``errors`` breaks a rule Airflow checks in its handler rather than its spec."""
    return bool(errors) and all(
        error.validator in HANDLER_KEYWORDS
        and isinstance(error.schema, dict)
        and error.validator not in error.schema.get("x-airflow-spec-checks", ())
        for error in errors
    )


def defer(scope: Scope, problem: BadRequest) -> None:
    """Keep ``problem`` for :func:`raise_deferred` (the first one kept is the one answered)."""
    scope.setdefault(_SCOPE_KEY, problem)


def raise_deferred() -> None:
    """Raise the problem a validator kept for the handler step, if it kept one."""
    problem: BadRequest | None = connexion_context.scope.get(_SCOPE_KEY)
    if problem is not None:
        raise problem


def parameter_errors_for_handler(errors: list[ValidationError]) -> bool:
    """Whether the ``errors`` of one of the ``HANDLER_PARAMETERS`` are Airflow's handler's to report (an
    unknown mask field)."""
    return bool(errors) and all(e.validator == "enum" for e in errors)
