"""Salted, deliberately slow password hashes (scrypt, through werkzeug)."""

from __future__ import annotations

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

_METHOD = "scrypt"

# Checked against when the username is unknown, so that answer costs the same as a wrong password.
_DUMMY_HASH = generate_password_hash(secrets.token_urlsafe(16), method=_METHOD)


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=_METHOD)


NO_PASSWORD = ""
"""The stored hash of a user created without a password (as Airflow allows): no password matches it."""


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check ``password``; with no hash (unknown user, or none set) do the same work and answer False."""
    if not password_hash:
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)


def generate_password(length: int = 20) -> str:
    """A random password for `make run`'s admin user."""
    return secrets.token_urlsafe(length)[:length]
