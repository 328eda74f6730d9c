"""schemathesis' stateful phase against a real gunicorn server: it follows the spec's OpenAPI links.

Starting from the seeded rows (the example DAGs, a run, users, roles, tokens), it chains calls with the
ids that earlier responses returned: create -> read -> patch -> delete for pools, variables, connections,
users, roles and tokens; a DAG -> trigger (by API or trigger token) -> run -> its task instances. Every
response goes through all checks, including the stateful ones (a created resource must be readable
through its link; a deleted one must be gone). The server runs in a subprocess on this test's database,
so the run covers whichever backend the suite runs on. It runs schemathesis' own engine (its CLI), which
copes with a server whose state changes between scenarios.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.contract.policy import CONFIG_FILE
from tests.contract.seed import seed_contract_data
from tests.servers import serve

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
SPEC = Path(__file__).resolve().parents[2] / "openapi" / "v1.yaml"
# Bounded so that a run takes a minute or two on a busy 2-core machine; raise it for a longer walk.
EXAMPLES = os.environ.get("ORCHESTRATOR_API_STATEFUL_EXAMPLES", "100")
SEED = "20261204"


@pytest.mark.slow
def test_stateful_walk_over_links_finds_no_failure(
    database: str, admin: tuple[str, str], example_dags: list[str], tmp_path: Path
) -> None:
    seed_contract_data(admin)
    # The fuzzer's wrong-credential checks would spend the login budget and turn later requests into 429s.
    unthrottled = {"LOGIN_FAILURES_PER_USER": "1000000", "LOGIN_FAILURES_PER_CLIENT": "1000000"}
    with serve(database, tmp_path, workers=2, **unthrottled) as (url,):
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "--config-file",
                str(CONFIG_FILE),
                "--no-color",
                "run",
                f"{url}/api/v1/openapi.json",
                "--phases=stateful",
                "--checks=all",
                f"--auth={admin[0]}:{admin[1]}",
                f"--seed={SEED}",
                f"--max-examples={EXAMPLES}",
                "--workers=1",
                "--request-timeout=30",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
    print(run.stdout)
    assert run.returncode == 0, run.stdout + run.stderr
    # Every link of the spec was loaded (none inferred), and the walk followed some with real ids.
    links = re.search(r"API Links:\s+(\d+) covered / (\d+) selected / (\d+) total", run.stdout)
    assert links, run.stdout
    covered, selected, total = map(int, links.groups())
    assert selected == total == declared_links()
    assert covered > 0


def declared_links() -> int:
    spec = yaml.safe_load(SPEC.read_text())
    return sum(
        len(response.get("links", {}))
        for item in spec["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict)
        for response in operation.get("responses", {}).values()
    )
