"""Extra links: a task's URL templates filled in for one of its task instances."""

from __future__ import annotations

import string
from collections.abc import Mapping
from urllib.parse import quote


def render_link(template: str, values: Mapping[str, str | int]) -> str:
    """``template`` with its ``{dag_id}``-style placeholders replaced by URL-encoded values.

    Templates were checked when the DAG file was loaded (only known placeholders, ``{{`` for a brace).
    """
    parts: list[str] = []
    for literal, field, spec, _conversion in string.Formatter().parse(template):
        parts.append(literal)
        if field is None:
            continue
        raw = values.get(field, "")
        try:
            text = format(raw, spec or "")
        except ValueError:  # a format spec that does not suit the value: use it plainly
            text = str(raw)
        parts.append(quote(text, safe=""))
    return "".join(parts)
