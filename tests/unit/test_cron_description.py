"""``timetable_description`` of cron schedules: exactly what Airflow 2.10.5 shows.

The expected column was produced by Airflow's own code, not written by hand: in a separate virtualenv with
``apache-airflow==2.10.5`` (and the ``cron-descriptor==1.4.5`` its constraints pin, croniter 7.0.0),
``CronDataIntervalTimetable(expression, "UTC").description`` for each expression below. An empty string is
Airflow's answer for shapes croniter refuses or reads with more than five fields.
"""

from __future__ import annotations

import pytest

from orchestrator_api.dags import CronSchedule, PresetSchedule, timetable_description
from orchestrator_api.dags.schedule import describe_cron

AIRFLOW_2_10_5 = {
    "0 3 * * *": "At 03:00",
    "0 * * * *": "Every hour",
    "*/15 * * * *": "Every 15 minutes",
    "* * * * *": "Every minute",
    "30 * * * *": "At 30 minutes past the hour",
    "0 */6 * * *": "Every 6 hours",
    "15 */2 * * *": "At 15 minutes past the hour, every 2 hours",
    "30 9 * * 1-5": "At 09:30, Monday through Friday",
    "0 9,17 * * MON,fri": "At 09:00 and 17:00, only on Monday and Friday",
    "*/10 9-17 * * *": "Every 10 minutes, between 09:00 and 17:59",
    "0 6 1,15 * *": "At 06:00, on day 1 and 15 of the month",
    "0 0 * 1-3 *": "At 00:00, January through March",
    "0 12 * * 7": "At 12:00, only on Sunday",
    "5,35 */3 * * 1-5": "At 5 and 35 minutes past the hour, every 3 hours, Monday through Friday",
    "0 0 1 * 1": "At 00:00, on day 1 of the month, only on Monday",
    "0 0 L * *": "At 00:00, on the last day of the month",
    "0 0 LW * *": "",
    "0 0 15W * *": "At 00:00, on the weekday nearest day 15 of the month",
    "0 0 * * 5L": "",
    "0 0 * * 1#2": "At 00:00, on the second Monday of the month",
    "0 22 * * 1-5": "At 22:00, Monday through Friday",
    "23 0-20/2 * * *": "At 23 minutes past the hour, every 2 hours, between 00:00 and 20:59",
    "0 0,12 1 */2 *": "At 00:00 and 12:00, on day 1 of the month, every 2 months",
    "0 4 8-14 * *": "At 04:00, between day 8 and 14 of the month",
    "0 0 1 1 *": "At 00:00, on day 1 of the month, only in January",
    "*/5 * * * *": "Every 5 minutes",
    "0 0 * * SUN": "At 00:00, only on Sunday",
    "0 8 * JAN,JUL *": "At 08:00, only in January and July",
    "10-20 * * * *": "Minutes 10 through 20 past the hour",
    "0 9-17/2 * * 1-5": "Every 2 hours, between 09:00 and 17:59, Monday through Friday",
    "0 0 29 2 *": "At 00:00, on day 29 of the month, only in February",
    "59 23 31 12 *": "At 23:59, on day 31 of the month, only in December",
    "0 0 */2 * *": "At 00:00, every 2 days",
    "0 */4 * * 0,6": "Every 4 hours, only on Sunday and Saturday",
}
PRESETS_2_10_5 = {
    "@hourly": "Every hour",
    "@daily": "At 00:00",
    "@weekly": "At 00:00, only on Sunday",
    "@monthly": "At 00:00, on day 1 of the month",
    "@yearly": "At 00:00, on day 1 of the month, only in January",
}


@pytest.mark.parametrize(("expression", "expected"), AIRFLOW_2_10_5.items())
def test_cron_schedule_is_described_as_airflow_describes_it(expression: str, expected: str) -> None:
    assert timetable_description(CronSchedule(expression)) == expected


@pytest.mark.parametrize(("preset", "expected"), PRESETS_2_10_5.items())
def test_presets_are_described_as_airflow_describes_them(preset: str, expected: str) -> None:
    assert timetable_description(PresetSchedule(preset)) == expected


@pytest.mark.parametrize("expression", ["61 * * * *", "* * *", "0 0 * * * * *", "not cron at all"])
def test_an_expression_neither_library_reads_is_described_as_empty(expression: str) -> None:
    assert describe_cron(expression) == ""
