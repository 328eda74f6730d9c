"""English for the cron expressions people usually write ("At 03:00, only on Monday").

Only common shapes are phrased: fixed or stepped minutes and hours, and simple day-of-month, month and
weekday restrictions. Anything else is shown as written ("Cron: 5,35 */3 * * 1-5"), because a wrong
sentence is worse than the raw expression.
"""

from __future__ import annotations

from collections.abc import Callable

WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAY_NAMES = {name[:3].upper(): index for index, name in enumerate(WEEKDAYS)}
_MONTH_NAMES = {name[:3].upper(): index + 1 for index, name in enumerate(MONTHS)}


class _Unphrasable(Exception):
    """The expression has a shape this module does not put into words."""


def describe_cron(expression: str) -> str:
    """A sentence for a five-field cron expression, or ``"Cron: <expression>"`` when it has no simple one."""
    fields = expression.split()
    if len(fields) != 5:
        return f"Cron: {expression}"
    try:
        return _describe(*fields)
    except _Unphrasable:
        return f"Cron: {' '.join(fields)}"


def _describe(minute: str, hour: str, day: str, month: str, weekday: str) -> str:
    parts = [_time_phrase(minute, hour)]
    day_restricted, weekday_restricted = _is_restricted(day), _is_restricted(weekday)
    if day_restricted and weekday_restricted:
        raise _Unphrasable  # cron ORs the two fields; any short sentence would mislead
    if day_restricted:
        days = _numbers(day, 1, 31)
        parts.append(f"on day {_join([str(number) for number in days])} of the month")
    if _is_restricted(month):
        parts.append(_set_phrase(month, 1, 12, lambda number: MONTHS[number - 1], _MONTH_NAMES, "in"))
    if weekday_restricted:
        parts.append(_set_phrase(weekday, 0, 7, lambda number: WEEKDAYS[number % 7], _WEEKDAY_NAMES, "on"))
    return ", ".join(parts)


def _time_phrase(minute: str, hour: str) -> str:
    minute_step, hour_step = _step(minute, 59), _step(hour, 23)
    if minute_step is not None and hour == "*":
        return "Every minute" if minute_step == 1 else f"Every {minute_step} minutes"
    if minute_step is not None:
        minutes_text = "Every minute" if minute_step == 1 else f"Every {minute_step} minutes"
        return f"{minutes_text}, {_hour_window(hour)}"
    fixed_minute = _number(minute, 0, 59)
    if hour == "*":
        return "Every hour" if fixed_minute == 0 else f"At {fixed_minute} minutes past the hour"
    if hour_step is not None:
        if fixed_minute == 0:
            return f"Every {hour_step} hours"
        return f"At {fixed_minute} minutes past the hour, every {hour_step} hours"
    if "-" in hour:
        return f"At {fixed_minute} minutes past the hour, {_hour_window(hour)}"
    times = [f"{value:02d}:{fixed_minute:02d}" for value in _numbers(hour, 0, 23)]
    return f"At {_join(times)}"


def _hour_window(hour: str) -> str:
    if "-" in hour and "," not in hour and "/" not in hour:
        first, last = (_number(part, 0, 23) for part in hour.split("-", 1))
        if first <= last:
            return f"between {first:02d}:00 and {last:02d}:59"
        raise _Unphrasable
    value = _number(hour, 0, 23)
    return f"between {value:02d}:00 and {value:02d}:59"


def _set_phrase(
    field: str, low: int, high: int, name_of: Callable[[int], str], aliases: dict[str, int], preposition: str
) -> str:
    if "-" in field and "," not in field and "/" not in field:
        first, last = (_number(part, low, high, aliases) for part in field.split("-", 1))
        if first >= last:
            raise _Unphrasable
        return f"{name_of(first)} through {name_of(last)}"
    names = [name_of(number) for number in _numbers(field, low, high, aliases)]
    return f"only {preposition} {_join(names)}"


def _is_restricted(field: str) -> bool:
    return field not in {"*", "?"}


def _step(field: str, high: int) -> int | None:
    """N for ``*`` (1) or ``*/N``; None for anything else."""
    if field == "*":
        return 1
    if field.startswith("*/"):
        return _number(field[2:], 1, high)
    return None


def _numbers(field: str, low: int, high: int, aliases: dict[str, int] | None = None) -> list[int]:
    values = [_number(part, low, high, aliases) for part in field.split(",")]
    if len(set(values)) != len(values):
        raise _Unphrasable
    return values


def _number(text: str, low: int, high: int, aliases: dict[str, int] | None = None) -> int:
    if aliases and text.upper() in aliases:
        return aliases[text.upper()]
    if not text.isdigit():
        raise _Unphrasable
    value = int(text)
    if not low <= value <= high:
        raise _Unphrasable
    return value


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} and {items[-1]}"
