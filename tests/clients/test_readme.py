"""The README's shell examples, run in order against a live server as a reader would paste them.

Every `curl` and `orchestrator-api users create` line of the README's ```sh blocks runs through bash,
with the server's address, the admin's password and the tokens that earlier commands printed put in
place of `http://127.0.0.1:8080`, `PASSWORD` and `oapi_pat_...`/`oapi_ses_...`/`oapi_trg_...`/
`oapi_org_...`. Each must answer a success status.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
TOKEN = re.compile(r"oapi_(pat|ses|trg|org)_[A-Za-z0-9_-]{8,}")
RUNNABLE = ("curl ", "orchestrator-api users create ")


def shell_commands(text: str) -> list[str]:
    """The runnable commands of the ```sh blocks, each joined across continuations and quoted newlines."""
    commands: list[str] = []
    for block in BLOCK.findall(text):
        pending = ""
        for line in block.splitlines():
            if not pending and (not line.strip() or line.lstrip().startswith("#")):
                continue
            pending += line + "\n"
            try:
                shlex.split(pending, comments=True)
            except ValueError:  # an open quote: the command goes on on the next line
                continue
            if pending.rstrip().endswith("\\"):
                continue
            command = pending.strip()
            pending = ""
            if command.startswith(RUNNABLE):
                commands.append(command)
    return commands


def test_the_readme_lists_the_examples_it_promises() -> None:
    commands = shell_commands(README.read_text())
    assert len(commands) >= 18, commands
    assert any("/users/ci-bot/tokens" in c and "-X POST" in c for c in commands)
    assert any("/triggers/oapi_trg_..." in c for c in commands)


def test_readme_examples_run_in_order(
    live_server: str, admin: tuple[str, str], example_dags: list[str]
) -> None:
    cli = str(Path(sys.executable).with_name("orchestrator-api"))
    tokens: dict[str, str] = {}
    for command in shell_commands(README.read_text()):
        line = command.replace("http://127.0.0.1:8080", live_server).replace(
            "admin:PASSWORD", ":".join(admin)
        )
        for kind, secret in tokens.items():
            line = line.replace(f"oapi_{kind}_...", secret)
        if line.startswith("curl "):
            line = "curl -sS --fail-with-body -w '\\n%{http_code}' " + line.removeprefix("curl ")
        else:
            line = cli + line.removeprefix("orchestrator-api")
        done = subprocess.run(
            ["bash", "-c", line], capture_output=True, text=True, timeout=60, env=dict(os.environ)
        )
        assert done.returncode == 0, f"{command}\n-> {done.stdout}{done.stderr}"
        if line.startswith("curl "):
            assert done.stdout.rstrip().splitlines()[-1] in {"200", "201", "204"}, (command, done.stdout)
        for match in TOKEN.finditer(done.stdout):
            tokens[match.group(1)] = match.group(0)
    assert set(tokens) == {"pat", "ses", "trg", "org"}
