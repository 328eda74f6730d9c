"""``dags export`` / ``dags import``: the same code as the API, checked through the API."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestrator_api.cli import main
from tests.factories_access import audit_rows
from tests.factories_authoring import YAML, as_yaml, create_dag, definition


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_import_round_trips_unchanged(client, admin, capsys, tmp_path: Path):
    etag = create_dag(client, admin).headers["etag"]
    code, out, err = run(capsys, "dags", "export", "authored")
    assert (code, err) == (0, "")
    assert out == client.get("/api/v1/dags/authored/definition", headers={"Accept": YAML}, auth=admin).text
    target = tmp_path / "authored.yaml"
    assert run(capsys, "dags", "export", "authored", "-o", str(target))[0] == 0
    assert target.read_text() == out
    assert run(capsys, "dags", "import", str(target))[1] == "DAG authored unchanged (revision 1)\n"
    assert client.get("/api/v1/dags/authored/definition", auth=admin).headers["etag"] == etag


def test_import_creates_then_updates_and_is_audited(client, admin, capsys, tmp_path: Path):
    path = tmp_path / "new.yaml"
    path.write_text(as_yaml(definition("from_git")))
    assert run(capsys, "dags", "import", str(path)) == (0, "created DAG from_git (revision 1)\n", "")
    path.write_text(as_yaml(definition("from_git", description="edited in git")))
    assert run(capsys, "dags", "import", str(path)) == (0, "updated DAG from_git (revision 2)\n", "")
    assert client.get("/api/v1/dags/from_git", auth=admin).json()["description"] == "edited in git"
    assert [(row.dag_id, row.owner.startswith("cli:")) for row in audit_rows("dags_import")] == [
        ("from_git", True),
        ("from_git", True),
    ]


def test_import_refusals_are_one_line_errors(client, admin, capsys, tmp_path: Path, example_dags):
    bad = tmp_path / "bad.yaml"
    bad.write_text("dag_id: x\ntasks:\n  - task_id: a\n    operator: X\n    upstream: [b]\n")
    code, out, err = run(capsys, "dags", "import", str(bad))
    assert (code, out) == (1, "")
    expected = "Invalid DAG definition: tasks[0].upstream[0]: unknown task_id 'b' (line 5)"
    assert err == f"orchestrator-api: error: {expected}\n"
    file_dag = tmp_path / "etl.yaml"
    file_dag.write_text(as_yaml(definition("etl_daily")))
    code, _, err = run(capsys, "dags", "import", str(file_dag))
    assert code == 1
    assert "comes from a DAG file" in err
    code, _, err = run(capsys, "dags", "import", str(tmp_path / "missing.yaml"))
    assert code == 1
    assert "cannot read" in err
    code, _, err = run(capsys, "dags", "export", "nope")
    assert (code, err) == (1, "orchestrator-api: error: DAG 'nope' not found\n")
