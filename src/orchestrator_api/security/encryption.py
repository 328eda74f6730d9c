"""Secrets at rest: connection passwords and extras, and variable values, sealed with Fernet.

Every stored value carries a marker of how it was stored, ``plain:`` or ``fernet:``, so switching encryption
on, rotating keys, or reading a value written before either is never a guess. With no key configured values
are stored as ``plain:``; with keys, the first one encrypts and every one of them decrypts.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from orchestrator_api.config import PREFIX, get_settings

if TYPE_CHECKING:
    from cryptography.fernet import MultiFernet

PLAIN = "plain:"
FERNET = "fernet:"


class UndecryptableSecret(RuntimeError):
    """A stored value was encrypted with a key this process does not have."""

    def __init__(self) -> None:
        super().__init__(
            f"a stored secret cannot be decrypted with the keys in {PREFIX}FERNET_KEY; "
            "restore the key it was encrypted with"
        )


def configured_keys() -> list[str]:
    """The Fernet keys of ``ORCHESTRATOR_API_FERNET_KEY``, the encrypting one first."""
    return _keys(get_settings().fernet_key)


def _keys(setting: str) -> list[str]:
    return [key for key in setting.split(",") if key]


@functools.cache
def _fernet(setting: str) -> MultiFernet | None:
    # Cached on the raw setting: every sealed value read or written asks for it. cryptography is imported
    # here, once a key is configured: without one nothing is sealed, and its bindings cost every server
    # worker about 7 MiB for nothing.
    from cryptography.fernet import Fernet, MultiFernet

    keys = _keys(setting)
    return MultiFernet([Fernet(key) for key in keys]) if keys else None


def _configured() -> MultiFernet | None:
    return _fernet(get_settings().fernet_key)


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
    from cryptography.fernet import InvalidToken  # loaded already: _configured() built a MultiFernet

    try:
        return fernet.decrypt(stored[len(FERNET) :].encode("ascii")).decode("utf-8", "surrogatepass")
    except (InvalidToken, UnicodeError):
        raise UndecryptableSecret from None
