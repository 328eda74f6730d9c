"""Differences we keep on purpose, each with the README's reason. Anything else the harness finds is a bug.

An entry matches a difference by the case name and the place in the answer (``fnmatch`` patterns).
"""

from __future__ import annotations

from dataclasses import dataclass
from fnmatch import fnmatchcase

from compat.compare import Difference


@dataclass(frozen=True)
class Deliberate:
    case: str
    where: str
    reason: str


LAST_ADMIN = (
    "The last active Admin cannot be deleted, deactivated or demoted (409): it would lock everyone out."
)
NO_SCHEDULER = (
    "This service runs no scheduler or triggerer; get_health reports them as null instead of a stale "
    "'unhealthy' (README: Where we answer differently)."
)
URL_SAFE = (
    "Pool names, variable keys and connection ids are letters, digits, _ . - so each is safe in a URL path "
    "(Airflow accepts names its own GET/PATCH/DELETE URLs cannot address)."
)
XCOM_JSON = "XCom values are stored as JSON, so deserialize=true needs no server setting."
EXTRA_LINKS = (
    "get_extra_links answers the {'extra_links': [...]} shape that Airflow's published spec and the SDK "
    "declare."
)
OUR_PLUGINS = "Plugins and providers are what each server has installed; only the item shape is compared."

DELIBERATE: tuple[Deliberate, ...] = (
    Deliberate("delete_user: the only Admin", "*", LAST_ADMIN),
    Deliberate("get_health: ok", "body.scheduler.*", NO_SCHEDULER),
    Deliberate("get_health: ok", "body.triggerer.*", NO_SCHEDULER),
    Deliberate("get_health: ok", "body.dag_processor*", NO_SCHEDULER),
    Deliberate("*: 400 name not URL-safe", "*", URL_SAFE),
    Deliberate("get_xcom_entry: deserialize", "*", XCOM_JSON),
    Deliberate("get_extra_links: *", "body*", EXTRA_LINKS),
    Deliberate("get_plugins: *", "body.plugins*", OUR_PLUGINS),
    Deliberate("get_plugins: *", "body.total_entries", OUR_PLUGINS),
    Deliberate("get_providers: *", "body.providers*", OUR_PLUGINS),
    Deliberate("get_providers: *", "body.total_entries", OUR_PLUGINS),
)


def reason_for(case_name: str, difference: Difference) -> str | None:
    """The documented reason ``difference`` is kept, or None when it is not deliberate."""
    for entry in DELIBERATE:
        if fnmatchcase(case_name, entry.case) and fnmatchcase(difference.where, entry.where):
            return entry.reason
    return None
