"""The transfer deadline counts working days: weekends, Vietnam's public holidays and Tết do not count."""
from __future__ import annotations

import datetime as dt

import pytest

from shop.clock import VIETNAM, add_working_days, is_working_day
from shop.payments.services import transfer_due_by


def vn(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=VIETNAM)


@pytest.mark.parametrize("placed, due", [
    ("2026-12-07 10:00", "2026-12-09 10:00"),  # Monday → Wednesday, as the 48 hours did
    ("2026-12-04 10:00", "2026-12-08 10:00"),  # Friday → Tuesday: the weekend does not count
    ("2026-12-05 23:30", "2026-12-08 23:30"),  # Saturday night → Tuesday night
    ("2026-12-06 09:00", "2026-12-08 09:00"),  # Sunday → Tuesday
    # Tết 2026: Mon 16 – Fri 20 February, after the weekend of the 14th and 15th.
    ("2026-02-12 15:00", "2026-02-23 15:00"),  # Thursday before Tết → Friday 13, then Monday 23
    ("2026-02-13 08:00", "2026-02-24 08:00"),  # the Friday before Tết → Monday 23 and Tuesday 24
    ("2026-02-17 12:00", "2026-02-24 12:00"),  # placed on Tết itself
    ("2026-04-29 10:00", "2026-05-05 10:00"),  # 30/4 and 1/5, then the weekend → Monday 4 and Tuesday 5 May
    ("2026-08-31 10:00", "2026-09-04 10:00"),  # National Day 1–2 September (31 August given in lieu)
    ("2026-12-31 10:00", "2027-01-05 10:00"),  # New Year's Day (Friday) and the weekend
])
def test_two_working_days_after(placed, due):
    assert add_working_days(vn(placed), 2) == vn(due).astimezone(dt.UTC)


def test_the_time_of_day_is_vietnams_not_utcs():
    # 2026-12-04 23:30 in Vietnam is still the 4th (a Friday) there, though 16:30 UTC.
    placed = vn("2026-12-04 23:30").astimezone(dt.UTC)
    assert add_working_days(placed, 2) == vn("2026-12-08 23:30").astimezone(dt.UTC)


@pytest.mark.parametrize("day, working", [("2026-02-16", False), ("2026-02-20", False), ("2026-02-23", True),
                                          ("2027-02-10", False), ("2026-09-02", False), ("2026-12-05", False),
                                          ("2026-12-07", True), ("2026-04-27", False)])
def test_working_days(day, working):
    assert is_working_day(dt.date.fromisoformat(day)) is working


def test_the_order_deadline_follows_the_setting(app):
    placed = vn("2026-12-04 10:00")
    assert transfer_due_by(placed) == vn("2026-12-08 10:00")
    app.config["TRANSFER_WORKING_DAYS"] = 3
    try:
        assert transfer_due_by(placed) == vn("2026-12-09 10:00")
    finally:
        app.config["TRANSFER_WORKING_DAYS"] = 2
