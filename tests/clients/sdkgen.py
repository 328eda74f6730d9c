"""`make sdk`: generate the Python, TypeScript and Go clients from openapi/v1.yaml with openapi-generator.

The generator (the PyPI `openapi-generator-cli` package, whose wheel carries the jar, so the venv is the
jar's cache) runs once per generator, in parallel, into build/sdk/<generator>. Its log must hold no
warning and no error: each one points at something in our spec that generated clients get wrong.
A stamp with the spec's hash lets a test session reuse clients generated from the same spec.
"""

from __future__ import annotations

import fcntl
import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "openapi" / "v1.yaml"
OUT = REPO / "build" / "sdk"
CONFIGS = Path(__file__).resolve().parent
GENERATORS = ("python", "typescript-fetch", "go")
CLI = Path(sys.executable).with_name("openapi-generator-cli")

# openapi-generator logs these without naming any schema or property, for free-form values (an XCom's
# value may be any JSON) and for its own bookkeeping of composed schemas; nothing in the spec to fix.
KNOWN_NOISE = (
    "Codegen property is null (e.g. map/dict of undefined type). Default to typing.Any.",
    "Failed to get the schema name: null",
)
PROBLEM = re.compile(r"\b(WARN|ERROR)\b\s+\S+\s+-\s+(.*)")


class GenerationError(RuntimeError):
    """The generator failed or complained about the spec."""


def _spec_hash() -> str:
    configs = b"".join((CONFIGS / f"{name}.yaml").read_bytes() for name in GENERATORS)
    return hashlib.sha256(SPEC.read_bytes() + configs).hexdigest()


def complaints(log: str) -> list[str]:
    """The generator's warnings and errors, minus the known noise that names nothing in the spec."""
    found = [match.group(2).strip() for match in map(PROBLEM.search, log.splitlines()) if match]
    return [line for line in found if line not in KNOWN_NOISE]


def generate(force: bool = False) -> Path:
    """Generate every client into build/sdk (skipped when the stamp matches); returns build/sdk.

    Parallel test workers may ask at once: a lock beside the folder lets one generate while the others
    wait, then find the stamp current.
    """
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with (OUT.parent / ".sdk.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _generate(force)


def _generate(force: bool) -> Path:
    stamp = OUT / ".spec-sha256"
    digest = _spec_hash()
    if not force and stamp.exists() and stamp.read_text() == digest:
        return OUT
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    runs = {
        name: subprocess.Popen(
            [str(CLI), "generate", "--config", str(CONFIGS / f"{name}.yaml")],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in GENERATORS
    }
    failures = []
    for name, run in runs.items():
        log, _ = run.communicate(timeout=600)
        (OUT / f"{name}.log").write_text(log)
        if run.returncode != 0:
            failures.append(f"{name}: exit {run.returncode}\n{log[-2000:]}")
        failures.extend(f"{name}: {line}" for line in complaints(log))
    if failures:
        raise GenerationError("\n".join(failures))
    stamp.write_text(digest)
    return OUT


if __name__ == "__main__":
    try:
        print(f"clients generated in {generate(force=True).relative_to(REPO)}/{{{','.join(GENERATORS)}}}")
    except GenerationError as error:
        sys.exit(f"openapi-generator complained:\n{error}")
