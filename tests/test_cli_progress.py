"""Progress lines on stderr for long CLI work; the result stays alone on stdout; ``--quiet`` silences them."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.test_cli import run

DAG = """dag_id: {dag_id}
schedule: null
start_date: 2026-01-01T00:00:00Z
tasks:
  - task_id: only
    operator: EmptyOperator
"""


@pytest.fixture
def big_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "dags"
    folder.mkdir()
    for number in range(25):
        (folder / f"dag_{number:02d}.yaml").write_text(DAG.format(dag_id=f"dag_{number:02d}"))
    return folder


def test_dags_sync_reports_progress_every_n_files(capsys, client, admin, big_folder):
    code, out, err = run(capsys, "dags", "sync", "--dags-folder", str(big_folder), "--progress-every", "10")
    assert code == 0
    assert err.splitlines() == [
        "dags sync: 10/25 files parsed",
        "dags sync: 20/25 files parsed",
        "dags sync: 25/25 files parsed",
    ]
    assert "25" in out
    assert "dags sync:" not in out
    listed = client.get("/api/v1/dags?limit=100", auth=admin).json()
    assert listed["total_entries"] == 25


def test_dags_sync_is_silent_with_quiet_or_on_small_folders(capsys, client, admin, big_folder):
    code, _, err = run(
        capsys, "dags", "sync", "--dags-folder", str(big_folder), "--progress-every", "10", "--quiet"
    )
    assert (code, err) == (0, "")
    code, _, err = run(capsys, "dags", "sync", "--dags-folder", str(big_folder))  # 25 files < 100
    assert (code, err) == (0, "")


def test_secrets_rotate_reports_progress_every_n_rows(capsys, client, admin, monkeypatch, settings_env):
    for number in range(12):
        body = {"key": f"var_{number:02d}", "value": f"value {number}"}
        assert client.post("/api/v1/variables", json=body, auth=admin).status_code == 200
    settings_env(FERNET_KEY=Fernet.generate_key().decode())
    code, out, err = run(capsys, "secrets", "rotate", "--progress-every", "5")
    assert code == 0
    assert out == "rewrote 12 secret value(s) encrypted with the first of 1 key(s)\n"
    assert err.splitlines() == [
        "secrets rotate: 5/12 rows rewritten",
        "secrets rotate: 10/12 rows rewritten",
        "secrets rotate: 12/12 rows rewritten",
    ]
    assert client.get("/api/v1/variables/var_07", auth=admin).json()["value"] == "value 7"
    code, _, err = run(capsys, "secrets", "rotate", "--progress-every", "5", "--quiet")
    assert (code, err) == (0, "")
