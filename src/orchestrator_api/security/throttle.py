"""Login throttling: failure budgets per username and per client address, kept in the database.

A password check costs a deliberately slow hash, so a password-guessing flood would otherwise eat every
worker. Each failed check adds one, by an atomic upsert, to two counters: the username's and the client
address's. A check whose username or client has spent its budget in the current window is refused with
429 and ``Retry-After`` before any hash is computed, which costs one indexed read. Counters live in the
database, so every worker and every instance share them. A successful login clears the username's counter.

Credentials already verified and cached (see ``security/cache.py``) skip the password check and so the
throttle: clients that are signed in keep working during a flood against their own name.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import case, delete, select
from sqlalchemy.orm import Session

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.instance import secret_key
from orchestrator_api.models.auth import LoginThrottle
from orchestrator_api.problems import TooManyRequests
from orchestrator_api.queries import upsert
from orchestrator_api.security.cache import credential_key


@dataclass(frozen=True)
class Budget:
    """One counter: its key in the table and how many failures it allows per window."""

    key: str
    limit: int


def budgets(username: str, client: str | None) -> list[Budget]:
    """The counters a password check for ``username`` from ``client`` spends from."""
    settings = get_settings()
    found = [
        Budget(credential_key(secret_key(), "throttle-user", username), settings.login_failures_per_user)
    ]
    if client:
        found.append(
            Budget(
                credential_key(secret_key(), "throttle-client", client), settings.login_failures_per_client
            )
        )
    return found


def check(spent: list[Budget]) -> None:
    """429 with ``Retry-After`` when any of these budgets is spent for the current window."""
    now, window = int(time.time()), get_settings().login_failure_window
    limits = {budget.key: budget.limit for budget in spent}
    stmt = select(LoginThrottle.key, LoginThrottle.failures, LoginThrottle.window_start).where(
        LoginThrottle.key.in_(limits), LoginThrottle.window_start > now - window
    )
    with db.session_factory()() as session:
        rows = session.execute(stmt).all()
    waits = [row.window_start + window - now for row in rows if row.failures >= limits[row.key]]
    if waits:
        retry_after = max(1, *waits)
        raise TooManyRequests(
            title="Too many failed logins",
            detail=f"Too many failed logins for this user or client; retry in {retry_after} seconds",
            headers={"Retry-After": str(retry_after)},
        )


def record_failure(spent: list[Budget]) -> None:
    """Add one failure to each budget: an upsert per counter, atomic on SQLite and PostgreSQL alike."""
    now, window = int(time.time()), get_settings().login_failure_window
    with db.transaction() as session:
        for budget in spent:
            _increment(session, budget.key, now, now - window)
        # Keep the table small: counters of windows that ended long ago are noise.
        session.execute(delete(LoginThrottle).where(LoginThrottle.window_start <= now - 2 * window))


def forget(spent: list[Budget]) -> None:
    """Clear these counters (a successful login proves the name's owner is the one asking)."""
    with db.transaction() as session:
        session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_([b.key for b in spent])))


def _increment(session: Session, key: str, now: int, expired_before: int) -> None:
    stmt = upsert(session, LoginThrottle).values(key=key, failures=1, window_start=now)
    # The row's own values decide, inside the one statement: a new window starts at 1, else add 1.
    expired = LoginThrottle.window_start <= expired_before
    stmt = stmt.on_conflict_do_update(
        index_elements=[LoginThrottle.key],
        set_={
            "failures": case((expired, 1), else_=LoginThrottle.failures + 1),
            "window_start": case((expired, now), else_=LoginThrottle.window_start),
        },
    )
    session.execute(stmt)
