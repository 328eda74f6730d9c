"""Fixtures for the client tests: the clients generated from the spec, once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.clients import sdkgen
from tests.clients.tools import need


@pytest.fixture(scope="session")
def generated_sdk() -> Path:
    """build/sdk with the Python, TypeScript and Go clients, generated once per session."""
    need("java", "default-jre-headless")
    return sdkgen.generate()
