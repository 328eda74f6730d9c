"""Plugins and providers, read from the entry points of what is really installed."""

from __future__ import annotations

import importlib.metadata
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.problems import assert_problem

PACKAGE = "obs_demo_extension"
PLUGIN_MODULE = f'''
import types


class DemoHook:
    pass


class DemoLink:
    pass


class DemoView:
    pass


def shout(text):
    return text.upper()


class DemoPlugin:
    name = "demo_plugin"
    hooks = [DemoHook]
    macros = [shout]
    global_operator_extra_links = [DemoLink()]
    listeners = ["{PACKAGE}.listener"]
    appbuilder_views = [{{"name": "Demo", "category": "Tools", "view": DemoView()}}]


PROVIDER = types.SimpleNamespace(package_name="demo-provider", description="Demo hooks", version="1.2.3")
NOT_A_PROVIDER = types.SimpleNamespace(package_name="half")
'''
ENTRY_POINTS = f"""
[orchestrator_api.plugins]
demo = {PACKAGE}:DemoPlugin
minimal = {PACKAGE}.minimal
broken = {PACKAGE}.missing:Thing

[orchestrator_api.providers]
demo = {PACKAGE}:PROVIDER
half = {PACKAGE}:NOT_A_PROVIDER
"""


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Install a tiny distribution (package + .dist-info with entry points) on sys.path."""
    site = tmp_path / "site"
    package = site / PACKAGE
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(textwrap.dedent(PLUGIN_MODULE))
    (package / "minimal.py").write_text('"""A plugin that contributes nothing but its presence."""\n')
    info = site / "obs_demo_extension-1.2.3.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: obs-demo-extension\nVersion: 1.2.3\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(site))
    yield
    for name in [name for name in sys.modules if name.startswith(PACKAGE)]:
        del sys.modules[name]


def test_no_plugins_installed_is_an_empty_list(client, admin):
    response = client.get("/api/v1/plugins", auth=admin)
    assert response.status_code == 200
    assert response.json() == {"plugins": [], "total_entries": 0}


def test_installed_plugins_are_described_by_their_attributes(client, admin, installed):
    response = client.get("/api/v1/plugins", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 2  # the broken entry point is left out
    demo, minimal = body["plugins"]
    assert demo == {
        "name": "demo_plugin",
        "source": "obs-demo-extension==1.2.3",
        "hooks": [f"{PACKAGE}.DemoHook"],
        "executors": [],
        "macros": [f"{PACKAGE}.shout"],
        "flask_blueprints": [],
        "global_operator_extra_links": [f"{PACKAGE}.DemoLink"],
        "operator_extra_links": [],
        "ti_deps": [],
        "listeners": [f"{PACKAGE}.listener"],
        "timetables": [],
        "appbuilder_views": [{"name": "Demo", "category": "Tools", "view": f"{PACKAGE}.DemoView"}],
        "appbuilder_menu_items": [],
    }
    assert minimal["name"] == "minimal"
    assert minimal["hooks"] == minimal["appbuilder_views"] == []


def test_plugins_page(client, admin, installed):
    first = client.get("/api/v1/plugins?limit=1", auth=admin).json()
    second = client.get("/api/v1/plugins?limit=1&offset=1", auth=admin).json()
    assert [p["name"] for p in first["plugins"] + second["plugins"]] == ["demo_plugin", "minimal"]
    assert first["total_entries"] == second["total_entries"] == 2


def test_core_provider_is_listed_from_the_package_metadata(client, admin):
    response = client.get("/api/v1/providers", auth=admin)
    assert response.status_code == 200
    body = response.json()
    assert body["total_entries"] == 1
    (core,) = body["providers"]
    assert core["package_name"] == "orchestrator-api"
    assert core["version"] == importlib.metadata.version("orchestrator-api")
    assert all(kind in core["description"] for kind in ("http", "postgres", "sqlite"))


def test_installed_providers_are_listed_and_paged(client, admin, installed):
    body = client.get("/api/v1/providers", auth=admin).json()
    assert [p["package_name"] for p in body["providers"]] == ["demo-provider", "orchestrator-api"]
    assert body["providers"][0] == {
        "package_name": "demo-provider",
        "description": "Demo hooks",
        "version": "1.2.3",
    }
    assert body["total_entries"] == 2  # the entry without description and version is left out
    second = client.get("/api/v1/providers?limit=1&offset=1", auth=admin).json()
    assert [p["package_name"] for p in second["providers"]] == ["orchestrator-api"]
    assert second["total_entries"] == 2


def test_plugin_and_provider_errors(client, admin, viewer, public_user):
    assert_problem(client.get("/api/v1/plugins"), 401)
    assert_problem(client.get("/api/v1/providers"), 401)
    assert_problem(client.get("/api/v1/plugins", auth=public_user), 403, "Plugins")
    assert_problem(client.get("/api/v1/plugins", auth=viewer), 403, "Plugins")  # Op and Admin, as in Airflow
    assert_problem(client.get("/api/v1/providers", auth=viewer), 403, "Providers")
    assert_problem(client.get("/api/v1/plugins?limit=-1", auth=admin), 400, "minimum")
    assert_problem(client.get("/api/v1/providers?offset=-3", auth=admin), 400, "minimum")


@pytest.mark.parametrize("path", ["/api/v1/plugins?limit=1", "/api/v1/providers?limit=1"])
def test_plugins_and_providers_need_no_query_beyond_the_caller(
    client, admin, installed, count_statements, path
):
    client.get(path, auth=admin)
    count_statements.clear()
    assert client.get(path, auth=admin).status_code == 200
    assert len(count_statements) == 1, count_statements  # the principal check
