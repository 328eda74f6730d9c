"""The contract tests' configuration, read from the one allow-list `schemathesis.toml` beside this file."""

from __future__ import annotations

from pathlib import Path

import schemathesis

CONFIG_FILE = Path(__file__).with_name("schemathesis.toml")
CONFIG = schemathesis.Config.from_path(CONFIG_FILE)
