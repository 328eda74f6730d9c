"""Login throttling through real servers: failure budgets per username and per client, answered with 429
and ``Retry-After`` before any password hash is computed, counted in the database so every worker agrees,
and a failed-login counter that loses no update under concurrency."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx

from tests.problems import assert_problem


def failed_login_count(url: str, admin: tuple[str, str], username: str) -> int:
    response = httpx.get(f"{url}/api/v1/users/{username}", auth=admin)
    assert response.status_code == 200, response.text
    return int(response.json()["fail_login_count"])


def assert_throttled(response: httpx.Response) -> None:
    body = assert_problem(response, 429, "Too many failed logins")
    assert body["type"].endswith("#section/Errors/TooManyRequests")
    assert 1 <= int(response.headers["retry-after"]) <= 300


def test_a_username_over_its_budget_gets_429_before_the_password_hash(
    live_server, admin, make_user, settings_env
):
    settings_env(LOGIN_FAILURES_PER_USER="3", LOGIN_FAILURES_PER_CLIENT="1000")
    make_user("victim", "Viewer", password="the-real-password")
    for _ in range(3):
        wrong = httpx.get(f"{live_server}/api/v1/dags", auth=("victim", "guess"))
        assert_problem(wrong, 401)
    for password in ("guess", "the-real-password"):  # refused unchecked, even the right one
        assert_throttled(httpx.get(f"{live_server}/api/v1/dags", auth=("victim", password)))
    # Refused before the check: the password was not hashed, the user's counter did not move.
    assert failed_login_count(live_server, admin, "victim") == 3
    # The session-token exchange is a password check too.
    assert_throttled(httpx.post(f"{live_server}/api/v1/auth/token", auth=("victim", "the-real-password")))
    # Other users are not affected.
    assert httpx.get(f"{live_server}/api/v1/dags", auth=admin).status_code == 200


def test_a_signed_in_client_keeps_working_during_a_flood_against_its_name(
    live_server, make_user, settings_env
):
    settings_env(LOGIN_FAILURES_PER_USER="2", LOGIN_FAILURES_PER_CLIENT="1000")
    owner = make_user("owner", "Viewer", password="owner-password")
    assert httpx.get(f"{live_server}/api/v1/dags", auth=owner).status_code == 200
    for _ in range(5):
        httpx.get(f"{live_server}/api/v1/dags", auth=("owner", "guess"))
    assert_throttled(httpx.get(f"{live_server}/api/v1/dags", auth=("owner", "guess")))
    # Verified a moment ago and cached: no password check, so no throttle.
    assert httpx.get(f"{live_server}/api/v1/dags", auth=owner).status_code == 200


def test_a_client_over_its_budget_gets_429_for_any_username(live_server, admin, settings_env):
    settings_env(LOGIN_FAILURES_PER_USER="1000", LOGIN_FAILURES_PER_CLIENT="4")
    for attempt in range(4):
        assert_problem(httpx.get(f"{live_server}/api/v1/dags", auth=(f"nobody{attempt}", "x")), 401)
    assert_throttled(httpx.get(f"{live_server}/api/v1/dags", auth=("somebody-else", "x")))
    assert_throttled(httpx.post(f"{live_server}/api/v1/auth/token", auth=("another", "x")))


def test_a_successful_login_clears_the_username_budget(live_server, make_user, settings_env):
    settings_env(LOGIN_FAILURES_PER_USER="3", LOGIN_FAILURES_PER_CLIENT="1000")
    user = make_user("forgetful", "Viewer", password="finally-right")
    for _ in range(2):
        assert_problem(httpx.get(f"{live_server}/api/v1/dags", auth=("forgetful", "nope")), 401)
    assert httpx.get(f"{live_server}/api/v1/dags", auth=user).status_code == 200
    for _ in range(2):  # a fresh budget: two more mistakes are still 401, not 429
        assert_problem(httpx.get(f"{live_server}/api/v1/dags", auth=("forgetful", "nope-again")), 401)


def test_concurrent_failures_are_all_counted(live_server, admin, make_user, settings_env):
    settings_env(LOGIN_FAILURES_PER_USER="1000", LOGIN_FAILURES_PER_CLIENT="1000")
    make_user("target", "Viewer", password="target-password")

    def fail(attempt: int) -> int:
        url = f"{live_server}/api/v1/dags"
        return httpx.get(url, auth=("target", f"guess-{attempt}"), timeout=120).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(fail, range(40)))
    assert statuses == [401] * 40
    assert failed_login_count(live_server, admin, "target") == 40


def test_every_worker_shares_the_budget(serve, admin, make_user):
    served = serve(workers=2, LOGIN_FAILURES_PER_USER="5", LOGIN_FAILURES_PER_CLIENT="1000")
    make_user("shared", "Viewer", password="shared-password")
    statuses = []
    for _ in range(8):
        # A new connection per request, so gunicorn hands them to either worker.
        with httpx.Client() as fresh:
            statuses.append(fresh.get(f"{served.url}/api/v1/dags", auth=("shared", "guess")).status_code)
    assert statuses == [401] * 5 + [429] * 3
    assert failed_login_count(served.url, admin, "shared") == 5


def login_count(url: str, admin: tuple[str, str], username: str) -> int:
    response = httpx.get(f"{url}/api/v1/users/{username}", auth=admin)
    assert response.status_code == 200, response.text
    return int(response.json()["login_count"])


def test_requests_arriving_together_share_one_password_check(live_server, admin, make_user, settings_env):
    """A client's pool sends its first requests at once: one slow hash answers them all (each login
    check counts one login), while the same wrong password sent at once is still checked and counted
    every time."""
    settings_env(LOGIN_FAILURES_PER_USER="1000", LOGIN_FAILURES_PER_CLIENT="1000")
    user = make_user("pooled", "Viewer", password="pooled-password")

    def get(auth: tuple[str, str]) -> int:
        return httpx.get(f"{live_server}/api/v1/dags", auth=auth, timeout=120).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(get, [user] * 8)) == [200] * 8
        assert list(pool.map(get, [("pooled", "same-wrong-guess")] * 8)) == [401] * 8
    assert login_count(live_server, admin, "pooled") == 1
    assert failed_login_count(live_server, admin, "pooled") == 8
