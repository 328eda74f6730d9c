"""Tools the client tests run: a missing one fails in CI (where .ci/run installs it) and skips elsewhere."""

from __future__ import annotations

import os
import shutil

import pytest


def need(tool: str, package: str) -> str:
    """The tool's path; a missing tool fails in CI (which installs it) and skips elsewhere."""
    path = shutil.which(tool)
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is missing: .ci/run installs {package}")
    pytest.skip(f"{tool} is not installed (apt-get install {package})")
