"""Fixtures for the client tests: clients generated once per session, and a server with example data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.clients import sdkgen


@pytest.fixture(scope="session")
def generated_sdk() -> Path:
    """build/sdk with the Python, TypeScript and Go clients, generated once per session."""
    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("java is missing: .ci/run installs default-jre-headless")
        pytest.skip("java is not installed (apt-get install default-jre-headless)")
    return sdkgen.generate()


def need(tool: str, package: str) -> str:
    """The tool's path; a missing tool fails in CI (which installs it) and skips elsewhere."""
    path = shutil.which(tool)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing: .ci/run installs {package}")
    pytest.skip(f"{tool} is not installed (apt-get install {package})")
