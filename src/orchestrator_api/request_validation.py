"""Request-body validation as Airflow's connexion does it: a `readOnly` property in a body is a 400.

connexion 3 ignores `readOnly` in requests; Airflow 2.10's connexion refuses any body that carries one
("Property is read-only - 'state'"), whatever its value, so a client that sends a run's `state` when
triggering it learns it as it would from Airflow. Everything else is connexion's own JSON validation.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from connexion.datastructures import MediaTypeDict
from connexion.json_schema import Draft4RequestValidator
from connexion.validators import VALIDATOR_MAP, JSONRequestBodyValidator
from jsonschema import Draft4Validator, ValidationError  # type: ignore[import-untyped]
from jsonschema.validators import extend  # type: ignore[import-untyped]


def _refuse_read_only(
    validator: Any, read_only: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if read_only:
        yield ValidationError("Property is read-only")


_ReadOnlyRefusingValidator = extend(Draft4RequestValidator, {"readOnly": _refuse_read_only})


class ReadOnlyRefusingBodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]  # connexion ships no type hints
    """connexion's JSON body validator, with `readOnly` enforced."""

    @property
    def _validator(self) -> Any:
        return _ReadOnlyRefusingValidator(self._schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def validator_map() -> dict[str, Any]:
    """connexion's validators with the JSON body one replaced (the body entry is replaced as a whole)."""
    bodies = MediaTypeDict(dict(VALIDATOR_MAP["body"]))
    bodies["*/*json"] = ReadOnlyRefusingBodyValidator
    return {"body": bodies}
