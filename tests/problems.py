"""Assertions on RFC 7807 problem responses, shared by every API test."""

from __future__ import annotations

from typing import Any

FRAGMENTS = {
    400: "BadRequest",
    401: "Unauthenticated",
    403: "PermissionDenied",
    404: "NotFound",
    405: "MethodNotAllowed",
    406: "NotAcceptable",
    409: "AlreadyExists",
    412: "PreconditionFailed",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
    500: "Unknown",
    503: "ServiceUnavailable",
}


def assert_problem(
    response: Any, status: int, detail_contains: str | None = None, *, framework: bool = False
) -> dict[str, Any]:
    """The response is a problem with ``status``, the matching type fragment and (optionally) detail text.

    ``framework``: an error of routing or media-type negotiation, whose type is ``about:blank`` (Airflow's).
    """
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    if framework:
        assert body["type"] == "about:blank", body["type"]
    else:
        assert body["type"].endswith(f"#section/Errors/{FRAGMENTS[status]}"), body["type"]
    assert body["title"]
    assert body["detail"]
    assert body["instance"].startswith("/")
    if detail_contains is not None:
        assert detail_contains in body["detail"], body["detail"]
    if status == 401:
        assert "Basic" in response.headers["www-authenticate"]
    return body
