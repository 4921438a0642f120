"""Dates, times, numbers and foreign-currency estimates written the way the reader's language writes them.

The one home of display formats, beside money.py (đồng). Templates reach it through filters (`day`, `moment`,
`number`), e-mails through the same filters under the message's language, services through these functions.

| language | day            | moment                  |
|----------|----------------|-------------------------|
| vi       | 04/12/2026     | 04/12/2026 19:05        |
| en       | 4 Dec 2026     | 4 Dec 2026, 19:05       |
| zh       | 2026年12月4日  | 2026年12月4日 19:05     |
| ko       | 2026. 12. 4.   | 2026. 12. 4. 19:05      |

Times are 24-hour in every language and shown in Vietnam's time (UTC+7): the shop, its points and its deadlines
are in Quảng Ninh. English takes the day-month-year order (British "4 Dec 2026"), never the US "12/4/26", which a
reader outside the US takes for 12 April. Chinese and Korean use Babel's medium date.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date, format_time, get_day_names
from babel.numbers import format_currency, format_decimal

from shop.clock import VIETNAM, aware
from shop.money import reader_language

#: CLDR date patterns per language; a language not listed falls back to Babel's "medium".
DAY_PATTERNS = {"vi": "dd/MM/y", "en": "d MMM y"}
TIME_PATTERN = "HH:mm"
_MOMENT_JOINS = {"en": ", "}


def format_day(value: dt.date | dt.datetime | None, language: str | None = None) -> str:
    """A calendar day: 04/12/2026 · 4 Dec 2026 · 2026年12月4日 · 2026. 12. 4. (a stored moment: its day in Vietnam)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):  # a stored moment: the day it was in Vietnam
        value = aware(value).astimezone(VIETNAM).date()
    language = language or reader_language()
    return format_date(value, DAY_PATTERNS.get(language, "medium"), locale=language)


#: The weekday and the day of the month per language (Vietnamese is written in weekday_day).
_WEEKDAY_DAY = {"en": "EEEE d MMMM", "zh": "M月d日EEEE", "ko": "M월 d일 EEEE"}


def weekday_day(value: dt.date | None, language: str | None = None) -> str:
    """The weekday and the day of the month: 'thứ Hai 07/12' · 'Monday 7 December' · '12月7日星期一' · '12월 7일 월요일'."""
    if value is None:
        return ""
    language = language or reader_language()
    if language == "vi":
        name = get_day_names("wide", locale="vi")[value.weekday()]
        return f"{name[0].lower()}{name[1:]} {value:%d/%m}" if name.startswith("Thứ") else f"{name} {value:%d/%m}"
    return format_date(value, _WEEKDAY_DAY.get(language, "EEEE d MMMM"), locale=language)


def format_clock(value: dt.time, language: str | None = None) -> str:
    """A time of day, 24-hour: 19:05."""
    return format_time(value, TIME_PATTERN, locale=language or reader_language())


def format_moment(value: dt.datetime | None, language: str | None = None) -> str:
    """A stored UTC time in Vietnam's time: 04/12/2026 19:05 · 4 Dec 2026, 19:05 · 2026年12月4日 19:05."""
    if value is None:
        return ""
    language = language or reader_language()
    local = aware(value).astimezone(VIETNAM)
    return (f"{format_day(local.date(), language)}{_MOMENT_JOINS.get(language, ' ')}"
            f"{format_clock(local.time(), language)}")


def format_due(value: dt.datetime, language: str | None = None) -> str:
    """A deadline in Vietnam's time, labelled so: 19:05, 04/12/2026 (GMT+7) · 4 Dec 2026, 19:05 (GMT+7)."""
    language = language or reader_language()
    local = aware(value).astimezone(VIETNAM)
    day, clock = format_day(local.date(), language), format_clock(local.time(), language)
    # Vietnamese says the hour first ("19:05, 04/12/2026"), as bank and shop notices do.
    written = f"{clock}, {day}" if language == "vi" else f"{day}{_MOMENT_JOINS.get(language, ' ')}{clock}"
    return f"{written} (GMT+7)"


def format_number(value: int | float | Decimal | None, language: str | None = None) -> str:
    """A count or a measure with the language's separators: 1.500 (vi), 1,500 (en)."""
    if value is None:
        return ""
    return format_decimal(value, locale=language or reader_language())


def format_rating(value: float | Decimal, language: str | None = None) -> str:
    """A buyers' average always with its one decimal, as the language writes it: 4,0 (vi), 4.0 (en)."""
    return format_decimal(value, format="0.0", locale=language or reader_language())


def format_foreign(amount: Decimal, currency: str, language: str | None = None) -> str:
    """An estimate in another currency as the reader's language writes it (Babel's pattern: US$4.90, 4,90 US$);
    a bare "$" is written US$ so nobody reads it as another dollar."""
    text = format_currency(amount, currency, locale=language or reader_language())
    if currency == "USD" and "US$" not in text:
        text = text.replace("$", "US$", 1)
    return text
