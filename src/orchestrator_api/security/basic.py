"""HTTP basic authentication against the users table (connexion's ``x-basicInfoFunc``).

A password check is slow on purpose, so a verified credential is cached per worker under a keyed hash for
``AUTH_CACHE_TTL`` seconds, and failed checks are throttled per username and client (``throttle.py``).
Each request still runs one cheap query that confirms the user is active and that their ``auth_version``
(and the RBAC version) are unchanged, so a password, role or `active` change made through any worker
takes effect on the very next request everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import anyio.to_thread
from connexion.lifecycle import ConnexionRequest
from sqlalchemy import bindparam, select, update

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.instance import rbac_version_column, secret_key
from orchestrator_api.models.auth import User, user_role
from orchestrator_api.security import throttle
from orchestrator_api.security.cache import (
    VerifiedUser,
    credential_key,
    credentials,
    permissions_for,
    verifying,
)
from orchestrator_api.security.passwords import verify_password
from orchestrator_api.security.principal import Principal
from orchestrator_api.timeutil import utcnow


@dataclass(frozen=True)
class UserState:
    active: bool
    auth_version: int
    rbac_version: str
    failed_logins: int = 0


# Built once: it runs on every authenticated request, and building it (with the RBAC-version subquery)
# cost about as much as executing it.
_USER_STATE = select(User.active, User.auth_version, rbac_version_column(), User.failed_login_count).where(
    User.id == bindparam("user_id")
)


def load_user_state(user_id: int) -> UserState | None:
    """The one query per authenticated request: is the user still active, and what versions apply."""
    with db.session_factory()() as session:
        row = session.execute(_USER_STATE, {"user_id": user_id}).first()
    if row is None:
        return None
    return UserState(active=row[0], auth_version=row[1], rbac_version=row[2] or "0", failed_logins=row[3])


def _reset_failed_logins(user_id: int) -> None:
    """A good password resets the user's failed-login counter, as Airflow's does; written only when a
    failure was counted since, so a cached good login costs no write."""
    with db.transaction() as session:
        session.execute(update(User).where(User.id == user_id).values(failed_login_count=0))


def principal_for(user: VerifiedUser, state: UserState, method: str = "basic") -> Principal:
    return Principal(
        username=user.username,
        method=method,
        user_id=user.user_id,
        role_ids=user.role_ids,
        permissions=permissions_for(user.role_ids, state.rbac_version),
    )


def check_password(username: str, password: str) -> VerifiedUser | None:
    """Verify a password against the store, keeping the login counters; the same work for unknown users.

    The counters change by atomic ``UPDATE ... SET n = n + 1``: concurrent logins on several workers must
    each count, which a read-modify-write through the ORM would not guarantee.
    """
    with db.transaction() as session:
        user = session.execute(
            select(User.id, User.username, User.password_hash, User.active, User.auth_version).where(
                User.username == username
            )
        ).first()
        if not verify_password(user.password_hash if user else None, password):
            if user is not None:
                session.execute(
                    update(User)
                    .where(User.id == user.id)
                    .values(failed_login_count=User.failed_login_count + 1)
                )
            return None
        assert user is not None
        if not user.active:
            return None
        session.execute(
            update(User)
            .where(User.id == user.id)
            .values(login_count=User.login_count + 1, last_login=utcnow(), failed_login_count=0)
        )
        role_ids = session.scalars(select(user_role.c.role_id).where(user_role.c.user_id == user.id)).all()
        return VerifiedUser(
            user_id=user.id,
            username=user.username,
            auth_version=user.auth_version,
            role_ids=frozenset(role_ids),
        )


def authenticate_basic(username: str, password: str, client: str | None) -> dict[str, Any] | None:
    """Token info for a valid user, None for anything else (401); 429 while a failure budget is spent.

    Blocking (database, password hash): :func:`verify_basic` runs it in a worker thread.
    """
    key = credential_key(secret_key(), "basic", username, password)
    found = _cached_login(key)
    if found is not None:
        return found
    # One check per credential at a time in this worker. A client's connection pool sends its first
    # requests together: each paying the deliberately slow hash at once (8 on 2 cores) took 1.6 s per
    # request, every time the cache entry expired. Later arrivals use the first one's verdict; a failed
    # check is not cached, so each wrong guess is still hashed, counted and throttled.
    with verifying.hold(key):
        found = _cached_login(key)
        if found is not None:
            return found
        return _login(key, username, password, client)


def _cached_login(key: str) -> dict[str, Any] | None:
    """Token info from a cached verdict still valid against the user's row, else None (entry dropped)."""
    cached = credentials.get(key)
    if cached is None:
        return None
    state = load_user_state(cached.user_id)
    if state is not None and state.active and state.auth_version == cached.auth_version:
        if state.failed_logins:
            _reset_failed_logins(cached.user_id)
        return principal_for(cached, state).token_info()
    credentials.drop(key)
    return None


def _login(key: str, username: str, password: str, client: str | None) -> dict[str, Any] | None:
    spent = throttle.budgets(username, client)
    throttle.check(spent)  # before the hash: a refused guess costs one indexed read
    verified = check_password(username, password)
    if verified is None:
        throttle.record_failure(spent)
        return None
    throttle.forget(spent[:1])
    state = load_user_state(verified.user_id)
    if state is None or not state.active:
        return None
    credentials.put(key, verified, ttl=get_settings().auth_cache_ttl)
    return principal_for(verified, state).token_info()


async def verify_basic(
    username: str, password: str, request: ConnexionRequest | None = None
) -> dict[str, Any] | None:
    """connexion's basic-auth hook. The hash is slow by design and the lookups block: both run in a
    worker thread so the event loop keeps serving other requests meanwhile."""
    return await anyio.to_thread.run_sync(authenticate_basic, username, password, client_address(request))


def client_address(request: ConnexionRequest | None) -> str | None:
    """The peer's address as the server saw it (behind a proxy: what ``--forwarded-allow-ips`` trusts)."""
    client = request.scope.get("client") if request is not None else None
    return str(client[0]) if client else None
