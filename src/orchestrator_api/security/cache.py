"""A small per-process TTL cache of verified credentials and of role permission sets.

Workers stay stateless: entries live seconds, and every use re-checks a version number that any worker bumps
in the database when a user's password, roles or `active` flag (or any role's permissions) change.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy import select

from orchestrator_api import db
from orchestrator_api.models.auth import Action, Permission, Resource, role_permission

K = TypeVar("K")
V = TypeVar("V")


class TTLCache(Generic[K, V]):
    """Thread-safe, bounded, time-limited mapping."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._data: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._lock = threading.Lock()
        self._max = max_entries

    def get(self, key: K) -> V | None:
        now = time.monotonic()
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            expires, value = item
            if expires <= now:
                del self._data[key]
                return None
            return value

    def put(self, key: K, value: V, ttl: float) -> None:
        with self._lock:
            self._data[key] = (time.monotonic() + ttl, value)
            self._data.move_to_end(key)
            while len(self._data) > self._max:
                self._data.popitem(last=False)

    def drop(self, key: K) -> None:
        with self._lock:
            self._data.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()


class KeyedLocks:
    """One lock per key, held only while someone uses it (the map never outgrows the threads waiting)."""

    def __init__(self) -> None:
        self._held: dict[str, tuple[threading.Lock, list[int]]] = {}
        self._guard = threading.Lock()

    @contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._guard:
            lock, users = self._held.setdefault(key, (threading.Lock(), [0]))
            users[0] += 1
        try:
            with lock:
                yield
        finally:
            with self._guard:
                users[0] -= 1
                if not users[0]:
                    del self._held[key]


@dataclass(frozen=True)
class VerifiedUser:
    """What a successful password check proved, valid while the user's ``auth_version`` is unchanged."""

    user_id: int
    username: str
    auth_version: int
    role_ids: frozenset[int]


@dataclass(frozen=True)
class VerifiedToken:
    """A personal or session token found valid, with the roles it acts with; valid while its user's
    ``auth_version`` is unchanged (revocation and expiry are checked on every request)."""

    token_id: int
    kind: str
    user_id: int
    username: str
    auth_version: int
    role_ids: frozenset[int]
    # Narrowed to some of its user's roles: it never acts with more, not even through an organization role.
    narrowed: bool = False


credentials: TTLCache[str, VerifiedUser] = TTLCache()
verifying = KeyedLocks()
"""Held per credential key while its password is checked, so requests arriving together with the same
credentials wait for one verdict instead of each paying the slow hash."""
tokens: TTLCache[str, VerifiedToken] = TTLCache()
_permission_sets: TTLCache[tuple[frozenset[int], str], frozenset[tuple[str, str]]] = TTLCache(1_000)


def credential_key(secret: str, *parts: str) -> str:
    """A keyed hash of presented credentials: the cache never holds a password, even in memory."""
    message = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def permissions_for(role_ids: frozenset[int], rbac_version: str) -> frozenset[tuple[str, str]]:
    """The (action, resource) pairs granted by ``role_ids``, cached until any role changes."""
    key = (role_ids, rbac_version)
    cached = _permission_sets.get(key)
    if cached is not None:
        return cached
    if not role_ids:
        perms: frozenset[tuple[str, str]] = frozenset()
    else:
        stmt = (
            select(Action.name, Resource.name)
            .select_from(role_permission)
            .join(Permission, Permission.id == role_permission.c.permission_id)
            .join(Action, Action.id == Permission.action_id)
            .join(Resource, Resource.id == Permission.resource_id)
            .where(role_permission.c.role_id.in_(sorted(role_ids)))
        )
        with db.session_factory()() as session:
            perms = frozenset((action, resource) for action, resource in session.execute(stmt))
    _permission_sets.put(key, perms, ttl=300)
    return perms


def clear_all() -> None:
    """Forget everything (tests that swap databases call this)."""
    credentials.clear()
    tokens.clear()
    _permission_sets.clear()
