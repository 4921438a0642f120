"""The shop's clock: UTC for what is stored, Vietnam's day (UTC+7, no daylight saving) for what is shown."""
from __future__ import annotations

import datetime as dt

VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def now() -> dt.datetime:
    """The current time, timezone-aware UTC (the only kind stored)."""
    return dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """Today's date in Vietnam."""
    return now().astimezone(VIETNAM).date()


def aware(moment: dt.datetime) -> dt.datetime:
    """A stored time with its zone: SQLite hands datetimes back naive, and every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
