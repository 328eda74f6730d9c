"""Signed, URL-safe tokens for DAG file locations, so the API never takes a file path from a client."""

from __future__ import annotations

import functools

from itsdangerous import BadData, URLSafeSerializer

_SALT = "dag-file"


@functools.lru_cache(maxsize=4096)  # a pure function of its arguments; a DAG page signs up to 100 paths
def file_token(fileloc: str, secret_key: str) -> str:
    """A token naming ``fileloc`` that only holders of ``secret_key`` can produce."""
    return URLSafeSerializer(secret_key, salt=_SALT).dumps(fileloc)


def fileloc_from_token(token: str, secret_key: str) -> str | None:
    """The file location in ``token``; None if it is malformed or was not signed with ``secret_key``."""
    try:
        value = URLSafeSerializer(secret_key, salt=_SALT).loads(token)
    except BadData:
        return None
    return value if isinstance(value, str) else None
