"""``orchestrator-api`` commands against the test's database, checked through the HTTP API they feed."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from orchestrator_api.cli import main
from tests.conftest import EXAMPLE_DAGS


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_db_migrate_on_a_current_database_changes_nothing(capsys):
    code, out, err = run(capsys, "db", "migrate")
    assert (code, err) == (0, "")
    assert re.fullmatch(r"database \S+: at \d{4}\n", out), out


def test_users_create_generates_a_password_shown_once_that_works(client, capsys):
    code, out, _ = run(
        capsys, "users", "create", "--username", "ops1", "--email", "ops1@example.com", "--role", "Op",
        "--generate-password",
    )  # fmt: skip
    assert code == 0
    created, shown = out.splitlines()
    assert created == "created user ops1 with role Op"
    password = shown.removeprefix("password for ops1 (shown once): ")
    assert len(password) >= 16
    me = client.get("/api/v1/users/ops1", auth=("ops1", password))
    assert me.status_code == 403, "Op may not read users: proof the credentials were accepted"
    assert client.get("/api/v1/pools", auth=("ops1", password)).status_code == 200
    assert client.get("/api/v1/pools", auth=("ops1", password + "x")).status_code == 401

    code, out, _ = run(
        capsys, "users", "create", "--username", "ops1", "--email", "other@example.com", "--role", "Admin",
        "--generate-password",
    )  # fmt: skip
    assert (code, out) == (0, "user ops1 already exists; left unchanged\n")
    assert client.get("/api/v1/pools", auth=("ops1", password)).status_code == 200


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--role", "Wizard", "--password", "long-enough-1"], "role 'Wizard' does not exist (roles: "),
        (["--role", "Viewer", "--password", "short"], "the password must have at least 8 characters"),
        (["--role", "Viewer"], "no password: pass --password"),
    ],
)
def test_users_create_refusals_exit_1_and_create_nothing(client, admin, capsys, monkeypatch, extra, message):
    monkeypatch.setattr("sys.stdin", io.StringIO())  # not a terminal: nobody to prompt
    code, out, err = run(capsys, "users", "create", "--username", "u2", "--email", "u2@example.com", *extra)
    assert (code, out) == (1, "")
    assert err.startswith(f"orchestrator-api: error: {message}"), err
    assert client.get("/api/v1/users/u2", auth=admin).status_code == 404


def test_dags_sync_loads_a_folder_and_strict_fails_on_import_errors(client, admin, capsys, tmp_path: Path):
    code, out, _ = run(capsys, "dags", "sync", "--dags-folder", str(EXAMPLE_DAGS))
    assert code == 0
    assert out.splitlines()[-1].startswith("4 added, 0 updated, 0 unchanged, 0 deactivated, 0 import errors")
    assert client.get("/api/v1/dags", auth=admin).json()["total_entries"] == 4

    (tmp_path / "broken.yaml").write_text("dag_id: [not, a, string\n")
    code, out, err = run(capsys, "dags", "sync", "--dags-folder", str(tmp_path), "--strict")
    assert code == 1
    assert "1 import error" in out.splitlines()[-1]
    assert err == "orchestrator-api: error: 1 DAG file(s) failed to load\n"
    errors: Any = client.get("/api/v1/importErrors", auth=admin).json()
    assert [Path(e["filename"]).name for e in errors["import_errors"]] == ["broken.yaml"]


def test_dags_sync_of_a_missing_folder_is_a_one_line_error(capsys, tmp_path: Path):
    code, out, err = run(capsys, "dags", "sync", "--dags-folder", str(tmp_path / "nowhere"))
    assert (code, out) == (1, "")
    assert err.startswith("orchestrator-api: error: ")
    assert len(err.splitlines()) == 1
