"""Secrets at rest: connection passwords and extras, and variable values, sealed with Fernet.

Every stored value carries a marker of how it was stored, ``plain:`` or ``fernet:``, so switching encryption
on, rotating keys, or reading a value written before either is never a guess. With no key configured values
are stored as ``plain:``; with keys, the first one encrypts and every one of them decrypts.
"""

from __future__ import annotations

import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from orchestrator_api.config import PREFIX, get_settings

PLAIN = "plain:"
FERNET = "fernet:"


class UndecryptableSecret(RuntimeError):
    """A stored value was encrypted with a key this process does not have."""

    def __init__(self) -> None:
        super().__init__(
            f"a stored secret cannot be decrypted with the keys in {PREFIX}FERNET_KEY; "
            "restore the key it was encrypted with"
        )


@functools.cache
def _fernet(keys: str) -> MultiFernet | None:
    parsed = [Fernet(key) for key in keys.split(",") if key]
    return MultiFernet(parsed) if parsed else None


def _configured() -> MultiFernet | None:
    return _fernet(get_settings().fernet_key)


def encryption_enabled() -> bool:
    return _configured() is not None


def seal(value: str) -> str:
    """``value`` as it is stored: encrypted with the first key if there is one, else marked plain."""
    fernet = _configured()
    if fernet is None:
        return PLAIN + value
    return FERNET + fernet.encrypt(value.encode("utf-8", "surrogatepass")).decode("ascii")


def unseal(stored: str) -> str:
    """The value behind ``stored``; unmarked text (written outside this service) is taken as plain."""
    if stored.startswith(PLAIN):
        return stored[len(PLAIN) :]
    if not stored.startswith(FERNET):
        return stored
    fernet = _configured()
    if fernet is None:
        raise UndecryptableSecret
    try:
        return fernet.decrypt(stored[len(FERNET) :].encode("ascii")).decode("utf-8", "surrogatepass")
    except (InvalidToken, UnicodeError):
        raise UndecryptableSecret from None
