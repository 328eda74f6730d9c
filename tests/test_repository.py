"""The front door stays true: the README documents every setting and the command CI runs."""

from __future__ import annotations

from pathlib import Path

from orchestrator_api.config import PREFIX, SETTINGS

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def test_readme_documents_every_setting() -> None:
    missing = [f"{PREFIX}{s.name}" for s in SETTINGS if f"`{PREFIX}{s.name}`" not in README]
    assert missing == []


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in README
    ci_lines = [
        line.strip()
        for line in (REPO / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert ci_lines[-1] == "make test"


def test_every_example_dag_is_described_in_the_readme() -> None:
    assert len(list((REPO / "examples" / "dags").rglob("*.yaml"))) >= 3
    assert "examples/dags" in README
