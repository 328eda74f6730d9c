"""Differences we keep on purpose, each with the README's reason. Anything else the harness finds is a bug.

An entry matches a difference by the case name and the place in the answer (``fnmatch`` patterns).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

from compat.compare import Difference

ANY: Any = object()


@dataclass(frozen=True)
class Deliberate:
    case: str
    where: str
    reason: str
    airflow: Any = ANY  # only when Airflow answered exactly this there


LAST_ADMIN = (
    "The last active Admin cannot be deleted, deactivated or demoted (409): it would lock everyone out."
)
URL_SAFE = (
    "Pool names, variable keys and connection ids are letters, digits, _ . - so each is safe in a URL path "
    "(Airflow accepts names its own GET/PATCH/DELETE URLs cannot address)."
)
EXTRA_LINKS = (
    "get_extra_links answers the {'extra_links': [...]} shape that Airflow's published spec and the SDK "
    "declare."
)
OUR_PLUGINS = "Plugins and providers are what each server has installed; only the item shape is compared."

POOL_IN_USE = (
    "A pool that task instances are using cannot be renamed or deleted (409): they would wait for a pool "
    "that no longer exists."
)

LINK_MODULE = (
    "Our DAG files declare an extra link by name; Airflow's operator links are classes in a Python module "
    "(the translation's is `compat_links`), so class_ref.module_path differs by construction."
)

AIRFLOW_500 = (
    "Airflow 2.10.5 fails here with a 500 Internal Server Error (a bug in Airflow, not a contract); a 500 is "
    "a bug for us too, so we answer with the status the situation calls for."
)
PROBLEM_BODIES = (
    "Every error is an RFC 7807 problem (application/problem+json); Airflow answers this one as text/html "
    "with the same status."
)

OUR_VERSION = "get_version reports this service's version (and no git version), not Airflow's."


DATASET_TOTAL = (
    "get_datasets' total_entries counts the datasets the filters (uri_pattern, dag_ids) select; Airflow "
    "2.10.5 counts every dataset whatever the filters, which tells a caller about datasets it did not ask "
    "for (and, with organizations, ones it may not see)."
)
ROLE_ACTIONS_REPLACED = (
    "PATCH /roles/{name} with actions replaces the role's permissions; Airflow 2.10.5 only adds the listed "
    "ones, so a permission an administrator removes from the list stays granted."
)

OUR_EXTRA_EVENTS = (
    "Changes to users and roles, DAG-file reparse requests and connection tests are in our event log; "
    "Airflow 2.10.5 records none of them, yet who changed access or had the server connect somewhere is "
    "what an audit trail is for."
)

DELIBERATE: tuple[Deliberate, ...] = (
    Deliberate("get_event_logs: changes Airflow does not record", "body.*", OUR_EXTRA_EVENTS),
    Deliberate("get_version: ok", "body.*", OUR_VERSION),
    Deliberate("test_connection: ok", "content-type", PROBLEM_BODIES),
    Deliberate("test_connection: ok", "problem.*", PROBLEM_BODIES),
    Deliberate("get_task*", "body*extra_links*module_path", LINK_MODULE),
    Deliberate("delete_pool: 409 a pool in use", "*", POOL_IN_USE),
    Deliberate("delete_user: the only Admin", "*", LAST_ADMIN),
    Deliberate("*: 400 name not URL-safe", "*", URL_SAFE),
    Deliberate("get_extra_links: *", "body*", EXTRA_LINKS),
    Deliberate("get_plugins: *", "body.plugins*", OUR_PLUGINS),
    Deliberate("get_plugins: *", "body.total_entries", OUR_PLUGINS),
    Deliberate("get_providers: *", "body.providers*", OUR_PLUGINS),
    Deliberate("get_providers: *", "body.total_entries", OUR_PLUGINS),
    Deliberate("get_datasets: *", "body.total_entries", DATASET_TOTAL),
    Deliberate("patch_role: *", "body.actions*", ROLE_ACTIONS_REPLACED),
)


def reason_for(case_name: str, difference: Difference, airflow_status: int) -> str | None:
    """The documented reason ``difference`` is kept, or None when it is not deliberate."""
    for entry in DELIBERATE:
        if (
            fnmatchcase(case_name, entry.case)
            and fnmatchcase(difference.where, entry.where)
            and (entry.airflow is ANY or entry.airflow == difference.airflow)
        ):
            return entry.reason
    return AIRFLOW_500 if airflow_status == 500 else None
