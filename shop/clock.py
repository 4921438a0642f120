"""The shop's clock: UTC for what is stored, Vietnam's day (UTC+7, no daylight saving) for what is shown,
and the `--now` option with which the periodic commands run as of another moment."""
from __future__ import annotations

import datetime as dt
import functools
import os

import click

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def now() -> dt.datetime:
    """The current time, timezone-aware UTC (the only kind stored)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in Vietnam."""
    return now().astimezone(VIETNAM).date()


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, clamped to the month's end (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    last_day = (next_month - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


@functools.cache
def _vietnam_holidays():
    """Vietnam's public holidays (Tết by the lunar calendar, Hùng Kings, 30/4, 1/5, 2/9), loaded on first use.

    Only Vietnam's module of the `holidays` package is loaded: its `holidays.countries` package imports all of
    its ~250 countries, 8 MiB in every web worker that shows a pickup or transfer deadline (bench/memory.py).
    """
    import importlib.util
    import sys

    import holidays

    name = "holidays.countries.vietnam"
    try:
        if name not in sys.modules:
            spec = importlib.util.spec_from_file_location(
                name, os.path.join(os.path.dirname(holidays.__file__), "countries", "vietnam.py"))
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules[name] = module
        return sys.modules[name].Vietnam()
    except (AttributeError, ImportError, OSError):  # a release laid out otherwise: the package's own, heavier way
        return holidays.country_holidays("VN")


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not one of Vietnam's public holidays (nor a day off given in lieu of one)."""
    return day.weekday() < 5 and day not in _vietnam_holidays()


def add_working_days(moment: dt.datetime, days: int) -> dt.datetime:
    """The same time of day in Vietnam, `days` working days after the moment's day (aware UTC).

    Placed Friday 10:00 with 2 working days: due Tuesday 10:00; placed Saturday: due Tuesday too.
    """
    local = aware(moment).astimezone(VIETNAM)
    day, counted = local.date(), 0
    while counted < days:
        day += dt.timedelta(days=1)
        counted += is_working_day(day)
    return dt.datetime.combine(day, local.timetz()).astimezone(dt.UTC)


def aware(moment: dt.datetime) -> dt.datetime:
    """A stored time with its zone: SQLite hands datetimes back naive, and every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def moment(text: str) -> dt.datetime:
    """Read an ISO 8601 time such as 2026-12-24T09:00+07:00 as aware UTC; a time without a zone is Vietnam's."""
    value = dt.datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        # Operators read and write Vietnam's wall clock; UTC is only what the database keeps.
        value = value.replace(tzinfo=VIETNAM)
    return value.astimezone(dt.UTC)


class _Moment(click.ParamType):
    name = "ISO-TIME"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.datetime):
            return value
        try:
            return moment(value)
        except ValueError:
            self.fail(f"{value!r} is not an ISO 8601 time such as 2026-12-24T09:00+07:00 "
                      "(a time without a zone is Vietnam's).", param, ctx)


#: The periodic commands' `--now`: run as of another moment (replaying a missed run, tests); None is the real clock.
now_option = click.option(
    "--now", "at", type=_Moment(), default=None,
    help="Act as of this time (ISO 8601, e.g. 2026-12-24T09:00+07:00; without a zone, Vietnam time).")
