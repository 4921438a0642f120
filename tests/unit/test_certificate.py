import datetime as dt
from decimal import Decimal

from shop.catalog.models import Producer, Product, ProductStatus
from shop.clock import today


#: A certificate of known dates, for the tests about dates.
DATED = dict(ocop_certified_on=dt.date(2023, 3, 1), ocop_expires_on=dt.date(2026, 3, 1))


def _product(**kw):
    """A published product whose certificate is valid today, unless the test says otherwise."""
    defaults = dict(name="Trà hoa vàng", ocop_stars=5, ocop_certified_on=today() - dt.timedelta(days=100),
                    ocop_expires_on=today() + dt.timedelta(days=900), status=ProductStatus.PUBLISHED, sold_online=True,
                    producer=Producer(name="HTX Trà hoa vàng Ba Chẽ", is_active=True))
    defaults.update(kw)
    return Product(**defaults)


def test_certificate_is_valid_from_its_date_to_its_expiry_inclusive():
    p = _product(**DATED)
    assert p.certificate_valid_on(dt.date(2023, 3, 1))
    assert p.certificate_valid_on(dt.date(2026, 3, 1))


def test_certificate_is_not_valid_after_expiry_or_before_issue():
    p = _product(**DATED)
    assert not p.certificate_valid_on(dt.date(2026, 3, 2))
    assert not p.certificate_valid_on(dt.date(2023, 2, 28))


def test_spirits_of_15_percent_or_more_cannot_be_bought_online():
    assert _product(abv_percent=Decimal("29.5")).can_buy_online is False
    assert _product(abv_percent=Decimal("15")).can_buy_online is False
    assert _product(abv_percent=Decimal("13.5")).can_buy_online is True
    assert _product(abv_percent=None).can_buy_online is True


def test_a_deactivated_producers_products_cannot_be_bought_online():
    assert _product(producer=Producer(name="HTX đã ngừng", is_active=False)).can_buy_online is False


def test_an_expired_product_is_sold_online_only_if_the_office_allows_it():
    ended = dict(ocop_certified_on=dt.date(2020, 1, 1), ocop_expires_on=today() - dt.timedelta(days=1))
    assert _product(**ended).can_buy_online is False
    assert _product(**ended, sold_when_expired=True).can_buy_online is True
    assert _product(ocop_certified_on=today(), ocop_expires_on=today()).can_buy_online is True
