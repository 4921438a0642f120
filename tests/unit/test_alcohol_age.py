"""Who may buy alcohol: 18 or older on today's date in Vietnam; leap-day birthdays; the payment methods allowed."""
import datetime as dt

import pytest

from shop import clock, create_app
from shop.checkout import rules
from shop.checkout.forms import parse_birth_date
from shop.orders.payment import PaymentMethod


@pytest.mark.parametrize("born, day, adult", [
    (dt.date(2008, 12, 5), dt.date(2026, 12, 5), True),     # the 18th birthday itself passes
    (dt.date(2008, 12, 6), dt.date(2026, 12, 5), False),    # a day short
    (dt.date(1960, 1, 1), dt.date(2026, 12, 5), True),
    (dt.date(2008, 2, 29), dt.date(2026, 2, 28), False),    # leap-day birthday in a common year: not yet…
    (dt.date(2008, 2, 29), dt.date(2026, 3, 1), True),      # …the next day
    (dt.date(2010, 2, 28), dt.date(2028, 2, 28), True),
    (dt.date(2012, 2, 29), dt.date(2030, 2, 28), False),
    (dt.date(2012, 2, 29), dt.date(2030, 3, 1), True),
    (dt.date(2010, 3, 1), dt.date(2028, 2, 29), False),     # a leap day does not advance a 1 March birthday
])
def test_may_buy_alcohol_from_the_18th_birthday(born, day, adult):
    assert rules.may_buy_alcohol(born, day) is adult


def test_no_birth_date_never_passes():
    assert rules.may_buy_alcohol(None, dt.date(2026, 12, 5)) is False


def test_today_is_vietnam_s_day(monkeypatch):
    """17:30 UTC on 4 December is already 5 December in Vietnam: born 5 December 2008 passes then."""
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 4, 17, 30, tzinfo=dt.UTC))
    assert rules.may_buy_alcohol(dt.date(2008, 12, 5)) is True
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 4, 16, 59, tzinfo=dt.UTC))
    assert rules.may_buy_alcohol(dt.date(2008, 12, 5)) is False


@pytest.mark.parametrize("typed, expected", [
    ("2008-12-05", dt.date(2008, 12, 5)), ("5/12/2008", dt.date(2008, 12, 5)), ("05-12-2008", dt.date(2008, 12, 5)),
    ("05.12.2008", dt.date(2008, 12, 5)), ("2008-02-30", None), ("12/2008", None), ("", None), ("yesterday", None),
])
def test_birth_dates_as_typed(typed, expected):
    assert parse_birth_date(typed) == expected


def test_implausible_birth_dates():
    day = dt.date(2026, 12, 5)
    assert rules.plausible_birth_date(dt.date(2026, 12, 6), day) is False
    assert rules.plausible_birth_date(dt.date(1900, 1, 1), day) is False
    assert rules.plausible_birth_date(dt.date(1950, 1, 1), day) is True


def test_alcohol_payment_methods_are_configuration():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "ENV": "testing"})
    with app.app_context():
        assert rules.alcohol_payment_methods() == {PaymentMethod.VIETQR_TRANSFER, PaymentMethod.STRIPE_CARD}
        app.config["ALCOHOL_PAYMENT_METHODS"] = ["cash_at_pickup", "no-such-method"]
        assert rules.alcohol_payment_methods() == {PaymentMethod.CASH_AT_PICKUP}
