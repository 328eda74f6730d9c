"""Swagger UI in a real browser: authorize with basic credentials, then "Try it out" on GET /dags and on
the trigger operation with its default example, as a new user would. Screenshots of each step are kept
in test-artifacts/swagger-ui/ (git-ignored; CI can publish them)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.clients.tools import need

pytestmark = pytest.mark.slow
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "swagger-ui"
WAIT_SECONDS = 30


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    need("chromium", "chromium")
    need("chromedriver", "chromium-driver")
    from tests.clients.browser import chromium

    driver = chromium(tmp_path / "chromium-profile")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        yield driver
    finally:
        driver.quit()


def _wait(driver: Any, css: str, root: Any = None) -> Any:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    scope = root or driver
    WebDriverWait(scope, WAIT_SECONDS).until(
        lambda _: (
            scope.find_elements(By.CSS_SELECTOR, css)
            and expected_conditions.visibility_of(scope.find_element(By.CSS_SELECTOR, css))(driver)
        )
    )
    return scope.find_element(By.CSS_SELECTOR, css)


def _click(driver: Any, element: Any) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def _authorize(driver: Any, username: str, password: str) -> None:
    _click(driver, _wait(driver, ".btn.authorize"))
    _wait(driver, "input[aria-label=auth-basic-username]").send_keys(username)
    _wait(driver, "input[aria-label=auth-basic-password]").send_keys(password)
    driver.save_screenshot(str(ARTIFACTS / "1-authorize.png"))
    _click(driver, _wait(driver, ".auth-container .btn.modal-btn.authorize"))
    _click(driver, _wait(driver, ".auth-container .btn-done"))


def _try_it_out(driver: Any, block_id: str, shot: str) -> tuple[str, Any]:
    """Expand an operation, press Try it out then Execute with the defaults; answer (status, JSON body)."""
    block = _wait(driver, f"#{block_id}")
    _click(driver, _wait(driver, ".opblock-summary", block))
    _click(driver, _wait(driver, ".try-out__btn", block))
    _click(driver, _wait(driver, ".btn.execute", block))
    status = _wait(driver, ".live-responses-table tr.response .response-col_status", block)
    body = _wait(driver, ".live-responses-table tr.response .response-col_description pre", block)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", status)
    block.screenshot(str(ARTIFACTS / shot))
    return status.text.strip(), json.loads(body.text)


def test_swagger_ui_authorize_and_try_it_out(
    browser: Any, live_server: str, admin: tuple[str, str], example_dags: list[str]
) -> None:
    browser.get(f"{live_server}/api/v1/ui/")
    _authorize(browser, *admin)

    status, dags = _try_it_out(browser, "operations-DAG-get_dags", "2-get-dags.png")
    # Swagger UI fills optional filters with their examples (tags=etl, dag_id_pattern=etl): one DAG.
    assert status == "200"
    assert [dag["dag_id"] for dag in dags["dags"]] == ["etl_daily"]
    assert dags["total_entries"] == 1
    assert {"name": "etl"} in dags["dags"][0]["tags"]
    assert dags["dags"][0]["timetable_description"]

    status, run = _try_it_out(browser, "operations-DAGRun-post_dag_run", "3-post-dag-run.png")
    assert status == "200", run
    assert run["dag_id"] == "etl_daily"
    assert run["state"] == "queued"
    assert run["conf"] == {"env": "staging"}
    assert run["note"] == "Rerun after the upstream fix"
    assert run["dag_run_id"].startswith("manual__")  # chosen by the server, not invented by the UI

    stored = httpx.get(f"{live_server}/api/v1/dags/etl_daily/dagRuns", auth=admin).json()
    assert [r["dag_run_id"] for r in stored["dag_runs"]] == [run["dag_run_id"]]
