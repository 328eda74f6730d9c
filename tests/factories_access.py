"""Builders and store reads for the access-control tests: bodies for the API, and the few row edits the API
cannot make (a token whose expiry is already past, without sleeping)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from orchestrator_api import db
from orchestrator_api.models import AccessToken, EventLog, TriggerToken, User

PASSWORD = "s3cret-enough"


def user_body(username: str, *roles: str, password: str = PASSWORD, **fields: Any) -> dict[str, Any]:
    """A POST /users body."""
    body: dict[str, Any] = {
        "username": username,
        "email": f"{username}@example.org",
        "first_name": username.capitalize(),
        "last_name": "Example",
        "password": password,
        **fields,
    }
    if roles:
        body["roles"] = [{"name": role} for role in roles]
    return body


# Airflow wants a user's names and email in every PATCH body, mask or not.
USER_IDENTITY = ("first_name", "last_name", "username", "email")


def user_patch(username: str, /, **changes: Any) -> dict[str, Any]:
    """A PATCH /users body as Airflow wants it: the identity fields of ``username``, and ``changes``."""
    user = stored_user(username)
    return {**{name: getattr(user, name) for name in USER_IDENTITY}, **changes}


def role_body(name: str, *actions: tuple[str, str]) -> dict[str, Any]:
    """A POST /roles body from (action, resource) pairs."""
    return {
        "name": name,
        "actions": [{"action": {"name": a}, "resource": {"name": r}} for a, r in actions],
    }


def stored_user(username: str) -> User:
    with db.session_factory()() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        session.expunge(user)
        return user


def set_access_token_expiry(token_id: int, when: datetime) -> None:
    with db.transaction() as session:
        session.execute(update(AccessToken).where(AccessToken.id == token_id).values(expires_at=when))


def set_trigger_token_expiry(token_id: int, when: datetime) -> None:
    with db.transaction() as session:
        session.execute(update(TriggerToken).where(TriggerToken.id == token_id).values(expires_at=when))


def stored_access_token(token_id: int) -> AccessToken:
    with db.session_factory()() as session:
        token = session.get(AccessToken, token_id)
        assert token is not None
        session.expunge(token)
        return token


def stored_trigger_token(token_id: int) -> TriggerToken:
    with db.session_factory()() as session:
        token = session.get(TriggerToken, token_id)
        assert token is not None
        session.expunge(token)
        return token


def audit_rows(event: str) -> list[EventLog]:
    with db.session_factory()() as session:
        rows = list(session.scalars(select(EventLog).where(EventLog.event == event).order_by(EventLog.id)))
        session.expunge_all()
        return rows


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def private_token(token: str) -> dict[str, str]:
    return {"Private-Token": token}
