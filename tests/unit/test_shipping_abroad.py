"""Delivery abroad: the zone fee tables, which products may travel, how foreign addresses and numbers are read."""
from decimal import Decimal
from types import SimpleNamespace

import pytest
from babel import Locale
from flask_babel import force_locale

from shop import create_app
from shop.catalog.rules import why_not_abroad
from shop.checkout import rules
from shop.config import Defaults
from shop.countries import address_lines, clean_postal_code, country_choices, country_name, international_phone


@pytest.fixture(scope="module")
def app():
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "TESTING": True, "ENV": "testing"})
    with app.test_request_context("/?lang=en"):
        yield app


def test_every_zone_country_is_a_real_country_in_one_zone_only():
    codes = [c for zone in Defaults.SHIPPING_ABROAD_ZONES.values() for c in zone["countries"]]
    assert len(codes) == len(set(codes))
    assert "VN" not in codes
    assert set(codes) <= set(Locale.parse("en").territories)


@pytest.mark.parametrize("zone", list(Defaults.SHIPPING_ABROAD_ZONES))
def test_each_zone_charges_more_for_more_weight(zone):
    rates = Defaults.SHIPPING_ABROAD_ZONES[zone]
    limits = [g for g, _ in rates["brackets"]]
    fees = [f for _, f in rates["brackets"]]
    assert limits == sorted(limits) and fees == sorted(fees) and rates["per_extra_kg"] > 0
    assert all(isinstance(f, int) for f in fees)


@pytest.mark.parametrize(("country", "weight_g", "fee"), [
    ("KR", 1, 350_000), ("KR", 500, 350_000), ("KR", 501, 450_000), ("KR", 2000, 650_000),
    ("KR", 5000, 1_150_000), ("KR", 5001, 1_350_000), ("KR", 7500, 1_750_000),
    ("AU", 800, 600_000), ("FR", 500, 550_000), ("GB", 3000, 2_200_000), ("US", 1000, 900_000),
])
def test_the_fee_abroad_comes_from_the_countrys_zone_and_the_weight(app, country, weight_g, fee):
    assert rules.abroad_fee(country, weight_g) == fee


def test_the_free_delivery_threshold_does_not_apply_abroad(app):
    assert app.config["FREE_DELIVERY_FROM_VND"] > 0
    assert rules.abroad_fee("JP", 400) == 350_000  # whatever the subtotal: abroad_fee does not even take it


def test_a_country_in_no_zone_has_no_zone(app):
    assert rules.abroad_zone("KR") == "asia_near"
    assert rules.abroad_zone("RU") is None and rules.abroad_zone("VN") is None and rules.abroad_zone("") is None


def _product(ships_abroad=True, cold_chain=False, abv=None, set_no=None):
    return SimpleNamespace(ships_abroad=ships_abroad, cold_chain=cold_chain, abv_percent=abv,
                           category=SimpleNamespace(set_no=set_no))


@pytest.mark.parametrize(("product", "reason"), [
    (_product(), None),
    (_product(ships_abroad=False, cold_chain=True, set_no=8), "chilled food cannot stay cold on the way"),
    (_product(ships_abroad=False, abv=Decimal("29.5"), set_no=15), "alcoholic drinks are not sent abroad"),
    (_product(ships_abroad=False, set_no=4), "food of animal origin and honey are banned from parcels by many countries"),
    (_product(ships_abroad=False, set_no=9), "food of animal origin and honey are banned from parcels by many countries"),
    (_product(ships_abroad=False, set_no=16), "its producer does not send it abroad"),
    # Chilled goods and alcohol stay home even when their flag was set by mistake.
    (_product(cold_chain=True), "chilled food cannot stay cold on the way"),
    (_product(abv=Decimal("13.5")), "alcoholic drinks are not sent abroad"),
])
def test_why_a_product_may_not_go_abroad(app, product, reason):
    assert why_not_abroad(product) == reason


@pytest.mark.parametrize(("typed", "country", "e164"), [
    ("010-1234-5678", "KR", "+821012345678"),
    ("+82 10 1234 5678", "KR", "+821012345678"),
    ("(415) 555-2671", "US", "+14155552671"),
    ("+84 912 345 678", "KR", "+84912345678"),  # with its own country code, any valid number
    ("12345", "KR", None), ("call me", "KR", None), ("", "KR", None), ("010-1234-5678", "", None),
])
def test_phone_numbers_abroad_are_read_as_dialled_in_that_country(typed, country, e164):
    assert international_phone(typed, country) == e164


@pytest.mark.parametrize(("typed", "cleaned"), [
    ("03154", "03154"), ("sw1a  1aa", "SW1A 1AA"), ("100-0001", "100-0001"), ("12345-6789", "12345-6789"),
    ("<b>1</b>", None), ("-123", None), ("12345678901", None), ("", None),
])
def test_postal_codes_are_tidied_or_refused(typed, cleaned):
    assert clean_postal_code(typed) == cleaned


def test_an_address_abroad_is_written_in_label_lines():
    address = SimpleNamespace(address_line="1600 Pennsylvania Ave NW", address_line2="", city="Washington",
                              region="DC", postal_code="20500")
    assert address_lines(address) == ["1600 Pennsylvania Ave NW", "Washington, DC 20500"]


def test_countries_are_named_in_the_readers_language_vietnam_first(app):
    assert country_name("KR") == "South Korea"
    with force_locale("vi"):
        assert country_name("KR") == "Hàn Quốc"
        choices = country_choices(["KR", "JP", "VN", "AU"])
        assert choices[0] == ("VN", "Việt Nam")
        assert [c for c, _ in choices[1:]] == ["KR", "JP", "AU"]  # Hàn Quốc, Nhật Bản, Úc
