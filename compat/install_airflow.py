"""Create (once) the cached virtualenv holding the real Apache Airflow the harness compares against.

Stdlib only, so it runs before anything else is installed:
``python compat/install_airflow.py`` prints the venv's path. The install takes minutes, so the
venv lives outside the clone (``$ORCHESTRATOR_API_COMPAT_CACHE``, default ``~/.cache/orchestrator-api``)
and a marker file says it finished; a half-done install is redone, a finished one is reused.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

AIRFLOW_VERSION = "2.10.5"


def cache_dir() -> Path:
    default = Path.home() / ".cache" / "orchestrator-api"
    return Path(os.environ.get("ORCHESTRATOR_API_COMPAT_CACHE", default))


def venv_dir() -> Path:
    return cache_dir() / f"airflow-{AIRFLOW_VERSION}"


def airflow_bin(name: str = "airflow") -> Path:
    return venv_dir() / "bin" / name


def ensure_airflow() -> Path:
    """Return the venv's path, installing Airflow into it first unless a finished install is there."""
    target = venv_dir()
    marker = target / ".installed"
    if marker.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(target)
    python = str(target / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run(
        [python, "-m", "pip", "install", f"apache-airflow=={AIRFLOW_VERSION}"],
        check=True,
    )
    marker.write_text(AIRFLOW_VERSION + "\n")
    return target


if __name__ == "__main__":
    print(ensure_airflow(), file=sys.stdout)
