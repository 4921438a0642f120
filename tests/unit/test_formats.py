import datetime as dt
from decimal import Decimal

import pytest

from shop.formats import format_clock, format_day, format_due, format_foreign, format_moment, format_number

DAY = dt.date(2026, 12, 4)
#: 19:05 in Vietnam (UTC+7), stored as UTC.
EVENING = dt.datetime(2026, 12, 4, 12, 5, tzinfo=dt.UTC)


@pytest.mark.parametrize(("language", "written"), [
    ("vi", "04/12/2026"), ("en", "4 Dec 2026"), ("zh", "2026年12月4日"), ("ko", "2026. 12. 4."),
])
def test_a_day_is_written_the_way_each_language_writes_it(language, written):
    assert format_day(DAY, language) == written


def test_english_never_gets_the_us_month_first_short_date():
    assert "12/4" not in format_day(DAY, "en")
    assert "12/4" not in format_moment(EVENING, "en")


@pytest.mark.parametrize(("language", "written"), [
    ("vi", "04/12/2026 19:05"), ("en", "4 Dec 2026, 19:05"), ("zh", "2026年12月4日 19:05"),
    ("ko", "2026. 12. 4. 19:05"),
])
def test_a_stored_moment_is_shown_in_vietnam_time_on_a_24_hour_clock(language, written):
    assert format_moment(EVENING, language) == written


def test_a_naive_stored_moment_is_read_as_utc():
    assert format_moment(EVENING.replace(tzinfo=None), "vi") == "04/12/2026 19:05"


@pytest.mark.parametrize("language", ["vi", "en", "zh", "ko"])
def test_times_are_24_hour_without_am_or_pm(language):
    assert format_clock(dt.time(19, 5), language) == "19:05"
    assert not any(mark in format_moment(EVENING, language) for mark in ("PM", "오후", "下午"))


@pytest.mark.parametrize(("language", "written"), [
    ("vi", "19:05, 04/12/2026 (GMT+7)"), ("en", "4 Dec 2026, 19:05 (GMT+7)"), ("ko", "2026. 12. 4. 19:05 (GMT+7)"),
])
def test_a_deadline_says_its_time_zone(language, written):
    assert format_due(EVENING, language) == written


@pytest.mark.parametrize(("language", "written"), [
    ("vi", "1.500"), ("en", "1,500"), ("zh", "1,500"), ("ko", "1,500"),
])
def test_counts_use_the_language_separator(language, written):
    assert format_number(1500, language) == written


@pytest.mark.parametrize(("language", "written"), [
    ("vi", "4,90\u00a0US$"), ("en", "US$4.90"), ("zh", "US$4.90"), ("ko", "US$4.90"),
])
def test_a_dollar_estimate_always_says_which_dollar(language, written):
    assert format_foreign(Decimal("4.90"), "USD", language) == written


def test_estimates_in_other_currencies_follow_babel():
    assert format_foreign(Decimal("35.20"), "CNY", "zh") == "¥35.20"
    assert format_foreign(Decimal("6500"), "KRW", "ko") == "₩6,500"


def test_a_stored_moment_late_in_the_utc_day_is_already_the_next_day_in_vietnam():
    assert format_day(dt.datetime(2026, 12, 3, 20, 0, tzinfo=dt.UTC), "en") == "4 Dec 2026"


@pytest.mark.parametrize(("language", "written"), [
    ("vi", "thứ Hai 07/12"), ("en", "Monday 7 December"), ("zh", "12月7日星期一"), ("ko", "12월 7일 월요일"),
])
def test_a_pickup_day_names_its_weekday(language, written):
    from shop.formats import weekday_day

    assert weekday_day(dt.date(2026, 12, 7), language) == written
