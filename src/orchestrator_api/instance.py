"""Instance-wide values kept in the database so every worker agrees on them."""

from __future__ import annotations

import functools
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql.selectable import ScalarSelect

from orchestrator_api import db
from orchestrator_api.config import get_settings
from orchestrator_api.models.meta import RBAC_VERSION, SECRET_KEY, InstanceMeta


@functools.cache
def secret_key() -> str:
    """The configured secret key, else the random one `db migrate` stored for this instance."""
    configured = get_settings().secret_key
    if configured:
        return configured
    with db.session_factory()() as session:
        stored = session.scalar(select(InstanceMeta.value).where(InstanceMeta.key == SECRET_KEY))
    if not stored:
        raise RuntimeError("no secret key: run `orchestrator-api db migrate` first")
    return stored


def new_secret_key() -> str:
    return secrets.token_urlsafe(48)


def rbac_version_column() -> ScalarSelect[str]:
    """A scalar subquery for the RBAC version, to fold into the one query that checks a caller."""
    return select(InstanceMeta.value).where(InstanceMeta.key == RBAC_VERSION).scalar_subquery()


def bump_rbac_version(session: Session) -> None:
    """Tell every worker that some role's permissions changed (their permission caches then reload)."""
    current = session.scalar(select(InstanceMeta.value).where(InstanceMeta.key == RBAC_VERSION)) or "0"
    session.execute(
        update(InstanceMeta).where(InstanceMeta.key == RBAC_VERSION).values(value=str(int(current) + 1))
    )
