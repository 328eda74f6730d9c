"""The scoping rule covers ORM statements only, so no code outside migrations may bypass the ORM."""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[2] / "src" / "orchestrator_api"
# Ways around the ORM's do_orm_execute hook: raw SQL, a connection of one's own, a DBAPI cursor.
BYPASS = re.compile(
    r"\bexec_driver_sql\(|\bengine\(\)\.(connect|begin)\(|\.cursor\(\)|(?<![.\w])text\(\s*[\"']"
)
ALLOWED = {
    "db.py": "the SQLite pragmas on each new DBAPI connection",
    "api/monitoring.py": "get_health's `SELECT 1`, which reads no table",
}


def test_no_statement_bypasses_the_orm_outside_migrations() -> None:
    found = {
        str(path.relative_to(SOURCE))
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts and BYPASS.search(path.read_text(encoding="utf-8"))
    }
    assert found <= set(ALLOWED), sorted(found - set(ALLOWED))
