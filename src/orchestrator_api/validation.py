"""Request validation with connexion's validators, made safe: parse JSON bodies strictly and describe every
schema violation by the field's location and the rule it breaks, never by the submitted value.

connexion's stock messages come from jsonschema and quote the offending value (``"['s3cret'] is not of type
'string'"``), which would echo secrets into responses and logs. Its JSON parsing also lets through what the
store cannot hold (a lone UTF-16 surrogate) or Python cannot convert (an integer of more than 4300 digits),
which then surface as 500s. These subclasses, registered once through ``validator_map`` in ``create_app``,
close both for every operation's body, query, path and header parameters.

connexion 3 also ignores `readOnly` in requests, where Airflow 2.10's connexion refuses any body carrying a
read-only property whatever its value ("Property is read-only - 'state'"); the body validator enforces it,
so a client that sends a run's `state` when triggering learns it as it would from Airflow.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncGenerator, Iterable, Iterator
from typing import Any
from urllib.parse import parse_qsl

from connexion import context as connexion_context
from connexion.datastructures import MediaTypeDict
from connexion.json_schema import Draft4RequestValidator
from connexion.utils import is_null, is_nullable
from connexion.validators import VALIDATOR_MAP as CONNEXION_VALIDATORS
from connexion.validators import JSONRequestBodyValidator, ParameterValidator
from jsonschema import Draft4Validator, ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import extend
from starlette.types import Scope

from orchestrator_api import handler_stage
from orchestrator_api.problems import BadRequest

# What an unknown property's name must look like to be repeated in an error: short, identifier-like.
_FIELD_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,63}$")

# jsonschema's own wording (clients and tests know it), minus the instance it starts with.
# What a value that fails an enum must look like to be repeated: a bare name, no digits-and-dashes secrets.
_ENUM_NAME = re.compile(r"^(?=.{1,64}$)-?[A-Za-z_][A-Za-z_.]*(,-?[A-Za-z_][A-Za-z_.]*)*$")

_EXPLAINED = {
    "minLength": "is too short (minimum length {})",
    "maxLength": "is too long (maximum length {})",
    "minimum": "is less than the minimum of {}",
    "maximum": "is greater than the maximum of {}",
    "exclusiveMinimum": "is not greater than {}",
    "exclusiveMaximum": "is not less than {}",
    "minItems": "is too short (minimum {} items)",
    "maxItems": "is too long (maximum {} items)",
    "minProperties": "does not have enough properties (minimum {})",
    "maxProperties": "has too many properties (maximum {})",
    "multipleOf": "is not a multiple of {}",
    "pattern": "does not match {!r}",
    "format": "is not a {!r}",
    "uniqueItems": "has non-unique elements",
    "oneOf": "is not valid under any of the given schemas",
    "anyOf": "is not valid under any of the given schemas",
    "not": "should not be valid under the given schema",
}


def parse_json(raw: bytes | str) -> Any:
    """Decode a JSON request body, refusing what would fail later: 400 for invalid UTF-8, malformed JSON,
    integers Python will not convert, nesting too deep to walk, and strings that are not valid Unicode."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise BadRequest(detail="The request body is not valid UTF-8") from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        # The position, never the text around it.
        raise BadRequest(
            detail=f"The request body is not valid JSON: {exc.msg} at position {exc.pos}"
        ) from None
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        raise BadRequest(detail="The request body holds a number too long to read") from None
    except RecursionError:
        raise BadRequest(detail="The request body is nested too deeply") from None
    try:
        # A "\ud800" escape decodes to a lone surrogate, which no database can store as text.
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(
            detail="The request body holds a string with a lone UTF-16 surrogate (\\ud800-\\udfff), "
            "which is not valid Unicode text"
        ) from None
    except RecursionError:
        raise BadRequest(detail="The request body is nested too deeply") from None
    return value


def json_pointer(path: Iterable[Any]) -> str:
    """RFC 6901 pointer of a location inside the body (``/conf/items/0``); ``/`` is the whole body."""
    parts = [str(part).replace("~", "~0").replace("/", "~1") for part in path]
    return "/" + "/".join(parts)


def describe_rule(error: ValidationError) -> str:
    """What the schema asks for, in words built from the schema alone (never from the instance)."""
    rule, expected = str(error.validator), error.validator_value
    if rule == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        return f"is not of type {', '.join(map(repr, kinds))}"
    if rule == "required":
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = [name for name in expected if name not in present]
        return f"{', '.join(map(repr, missing))} is a required property"
    if rule == "additionalProperties":
        return _unknown_properties(error)
    if rule == "enum":
        return f"{_misspelt_name(error.instance)}is not one of {list(expected)!r}"
    if rule in _EXPLAINED:
        return _EXPLAINED[rule].format(expected)
    return f"does not satisfy the schema rule {rule!r}"


def _misspelt_name(value: Any) -> str:
    """An enum is a closed list of names, so a short identifier that fails one is a misspelt name, worth
    repeating (``'nonsense' is not one of [...]``); anything else (free text, a token) is never repeated."""
    if isinstance(value, str) and _ENUM_NAME.match(value):
        return f"{value!r} "
    return ""


def _unknown_properties(error: ValidationError) -> str:
    """Name the unknown fields when they look like field names (a key can be pasted data, too)."""
    allowed = sorted(error.schema.get("properties", {}))
    present = error.instance if isinstance(error.instance, dict) else {}
    unknown = sorted(str(key) for key in present if key not in allowed)
    named = [key for key in unknown if _FIELD_NAME.match(key)]
    what = (
        f"({', '.join(map(repr, named))} {'was' if len(named) == 1 else 'were'} unexpected)" if named else ""
    )
    if len(named) < len(unknown):
        what = f"{what} and others".strip()
    allowed_text = f"; allowed: {', '.join(allowed)}" if allowed else ""
    return f"Additional properties are not allowed {what}{allowed_text}"


def _refuse_read_only(
    validator: Any, read_only: Any, instance: Any, schema: Any
) -> Iterator[ValidationError]:
    if read_only:
        yield ValidationError("Property is read-only")


_ReadOnlyRefusingValidator = extend(Draft4RequestValidator, {"readOnly": _refuse_read_only})


class SafeJSONBodyValidator(JSONRequestBodyValidator):  # type: ignore[misc]  # connexion ships no hints
    """JSON bodies: strict parsing, read-only properties refused, and errors that name the field and rule."""

    @property
    def _validator(self) -> Any:
        return _ReadOnlyRefusingValidator(self._schema, format_checker=Draft4Validator.FORMAT_CHECKER)

    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> Any:
        self._request_scope = scope
        raw = b"".join([chunk async for chunk in stream])
        if not raw:
            return None
        return parse_json(raw)

    def _validate(self, body: Any) -> dict[str, Any] | None:
        if not self._nullable and body is None:
            raise BadRequest(detail="The request body must not be empty")
        try:
            errors = list(self._validator.iter_errors(body))
        except RecursionError:
            raise BadRequest(detail="The request body is nested too deeply") from None
        error = best_match(errors)
        if error is None:
            return None
        if error.validator == "readOnly":
            # Airflow's wording, which names the field (dotted path) and never the value.
            raise BadRequest(detail=f"Property is read-only - '{'.'.join(map(str, error.path))}'")
        where = json_pointer(error.absolute_path)
        subject = "The request body" if where == "/" else f"Body field {where}"
        problem = BadRequest(detail=f"{subject}: {describe_rule(error)}")
        if handler_stage.checked_by_handler(errors):
            handler_stage.defer(self._request_scope, problem)  # refused after the audit row, as by Airflow
            return None
        raise problem


class SafeParameterValidator(ParameterValidator):  # type: ignore[misc]
    """Query, path, header and cookie parameters: errors that name the parameter and rule."""

    def validate_query_parameter(self, param: dict[str, Any], request: Any) -> str | None:
        error: str | None = super().validate_query_parameter(param, request)
        if error is None or param["name"] not in handler_stage.HANDLER_PARAMETERS:
            return error
        value = request.query_params.get(param["name"])
        schema = param.get("schema", param)
        errors = list(
            Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER).iter_errors(value)
        )
        if handler_stage.parameter_errors_for_handler(errors):
            handler_stage.defer(request.scope, BadRequest(detail=error))  # after the audit row, as Airflow
            return None
        return error

    @staticmethod
    def validate_parameter(
        parameter_type: str, value: Any, param: dict[str, Any], param_name: str | None = None
    ) -> str | None:
        name = param.get("name", param_name)
        if is_nullable(param) and is_null(value):
            return None
        if value is not None:
            schema = param.get("schema", param)
            validator = Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)
            error = best_match(validator.iter_errors(value))
            if error is None:
                return None
            where = json_pointer(error.absolute_path)
            item = "" if where == "/" else f" (item {where})"
            return f"The {parameter_type} parameter {name!r}{item}: {describe_rule(error)}"
        if param.get("required"):
            return f"The {parameter_type} parameter {name!r} is required"
        return None


FORM = "application/x-www-form-urlencoded"
_FORM_SCOPE_KEY = "orchestrator_api.form"


def parse_form(raw: bytes) -> dict[str, str | list[str]]:
    """A form body as a mapping: a field's value, or the list of its values when it is repeated.

    400 for anything that is not ``name=value`` pairs joined by ``&``, for invalid UTF-8 (also behind
    percent escapes) and for NUL characters, which no database stores as text; never quoting the body.
    """
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=True, errors="strict")
    except UnicodeDecodeError:
        raise BadRequest(detail="The request body is not valid UTF-8") from None
    except ValueError:
        raise BadRequest(detail="The request body is not form data: name=value pairs joined by &") from None
    form: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if "\x00" in name or "\x00" in value:
            raise BadRequest(detail="The request body holds a NUL character")
        held = form.get(name)
        if held is None:
            form[name] = value
        elif isinstance(held, list):
            held.append(value)
        else:
            form[name] = [held, value]
    return form


def submitted_form() -> dict[str, str | list[str]]:
    """The form body of this request as :class:`SafeFormBodyValidator` parsed it (repeated fields kept)."""
    form: dict[str, str | list[str]] = connexion_context.scope.get(_FORM_SCOPE_KEY, {})
    return form


class SafeFormBodyValidator(SafeJSONBodyValidator):
    """Form bodies, parsed strictly and checked against the schema like JSON ones.

    connexion's own form validator refuses fields the schema does not list and names them, and hands the
    handler repeated fields joined by commas; the parsed form is kept in the ASGI scope instead.
    """

    MUTABLE_VALIDATION = False  # the handler reads the parsed form, the original bytes flow on unchanged

    async def _parse(self, stream: AsyncGenerator[bytes, None], scope: Scope) -> Any:
        self._request_scope = scope
        form = parse_form(b"".join([chunk async for chunk in stream]))
        scope[_FORM_SCOPE_KEY] = form
        return form


VALIDATOR_MAP: dict[str, Any] = {
    "parameter": SafeParameterValidator,
    "body": MediaTypeDict(
        {**CONNEXION_VALIDATORS["body"], "*/*json": SafeJSONBodyValidator, FORM: SafeFormBodyValidator}
    ),
}
