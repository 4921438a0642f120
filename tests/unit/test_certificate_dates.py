"""When an OCOP certificate counts, in Vietnam's calendar: through its expiry day, never longer for a
re-evaluation; and which reminder (90, 60, 30 days ahead) is due on a day."""
from __future__ import annotations

import datetime as dt

import pytest

from shop.admin.reminders import reminder_stage
from shop.catalog.models import Product, certificate_expiry, certificate_valid_on
from shop.clock import VIETNAM

D = dt.date


def product(decided_on: dt.date, *, reevaluation: bool = False) -> Product:
    return Product(ocop_stars=4, ocop_certified_on=decided_on, ocop_expires_on=certificate_expiry(decided_on),
                   ocop_reevaluation=reevaluation)


def test_a_certificate_runs_36_months_from_its_decision():
    assert certificate_expiry(D(2024, 3, 15)) == D(2027, 3, 15)


def test_a_certificate_of_29_february_ends_on_28_february_three_years_later():
    assert certificate_expiry(D(2024, 2, 29)) == D(2027, 2, 28)
    p = product(D(2024, 2, 29))
    assert p.certificate_valid_on(D(2027, 2, 28)) and not p.certificate_valid_on(D(2027, 3, 1))


def test_a_certificate_ending_in_a_leap_february_keeps_the_29th():
    assert certificate_expiry(D(2025, 2, 28)) == D(2028, 2, 28)
    assert certificate_expiry(D(2025, 3, 29)) == D(2028, 3, 29)
    assert certificate_expiry(D(2025, 5, 31)) == D(2028, 5, 31)
    assert certificate_expiry(D(2025, 11, 30)) == D(2028, 11, 30)


@pytest.mark.parametrize("day, valid", [
    (D(2023, 6, 9), False),   # the day before the decision
    (D(2023, 6, 10), True),   # the decision day
    (D(2026, 6, 9), True),    # a day before the expiry
    (D(2026, 6, 10), True),   # on the day: still valid
    (D(2026, 6, 11), False),  # the day after: stars gone
])
def test_stars_count_from_the_decision_day_through_the_expiry_day(day, valid):
    assert product(D(2023, 6, 10)).certificate_valid_on(day) is valid
    assert certificate_valid_on(D(2023, 6, 10), D(2026, 6, 10), day) is valid


@pytest.mark.parametrize("day, valid", [(D(2026, 6, 10), True), (D(2026, 6, 11), False), (D(2027, 1, 1), False)])
def test_a_pending_re_evaluation_never_extends_the_certificate(day, valid):
    assert product(D(2023, 6, 10), reevaluation=True).certificate_valid_on(day) is valid


def test_expiry_is_judged_on_vietnams_date_not_utcs():
    p = product(D(2023, 6, 10))
    # 17:30 UTC on the expiry day is already 00:30 the next day in Vietnam.
    late = dt.datetime(2026, 6, 10, 17, 30, tzinfo=dt.UTC)
    assert p.certificate_valid_on(late.date()) and not p.certificate_valid_on(late.astimezone(VIETNAM).date())


@pytest.mark.parametrize("days_left, stage", [
    (120, None), (91, None), (90, 90), (61, 90), (60, 60), (31, 60), (30, 30), (1, 30), (0, 30), (-1, None),
])
def test_the_reminder_due_is_the_nearest_of_90_60_30_days_ahead(days_left, stage):
    expires = D(2027, 2, 28)
    assert reminder_stage(expires, expires - dt.timedelta(days=days_left)) == stage
