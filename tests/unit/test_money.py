import pytest

from shop.money import format_vnd, parse_vnd


def test_vnd_uses_dots_for_thousands_and_the_dong_sign_after():
    assert format_vnd(125_000) == "125.000\u00a0₫"
    assert format_vnd(1_800_000) == "1.800.000\u00a0₫"


def test_small_zero_and_negative_amounts():
    assert format_vnd(500) == "500\u00a0₫"
    assert format_vnd(0) == "0\u00a0₫"
    assert format_vnd(-20_000) == "-20.000\u00a0₫"


def test_nothing_for_no_amount():
    assert format_vnd(None) == ""


@pytest.mark.parametrize(("typed", "amount"), [
    ("250000", 250_000), ("250.000", 250_000), ("250,000 ₫", 250_000), (" 250 000đ ", 250_000),
    ("1.250.000 VND", 1_250_000), ("0", 0),
])
def test_amounts_are_read_the_way_people_type_them(typed, amount):
    assert parse_vnd(typed) == amount


@pytest.mark.parametrize("typed", ["", None, "abc", "-5", "12a", "1e6", "٣٠٠", "1" * 13, "25.5k"])
def test_anything_else_is_not_an_amount(typed):
    assert parse_vnd(typed) is None


@pytest.mark.parametrize(("language", "written"), [
    ("vi", "1.500.000\u00a0₫"), ("en", "1,500,000\u00a0₫"), ("zh", "1,500,000\u00a0₫"), ("ko", "1,500,000\u00a0₫"),
])
def test_each_language_groups_thousands_its_own_way_and_keeps_the_dong_sign_after(language, written):
    assert format_vnd(1_500_000, language) == written
    assert parse_vnd(written) == 1_500_000


def test_the_reader_language_chooses_the_separator_and_vietnamese_is_the_default():
    from flask import Flask
    from flask_babel import Babel, force_locale

    app = Flask(__name__)
    Babel(app)
    with app.app_context():
        with force_locale("en"):
            assert format_vnd(125_000) == "125,000\u00a0₫"
        with force_locale("vi"):
            assert format_vnd(-125_000) == "-125.000\u00a0₫"
    assert format_vnd(125_000) == "125.000\u00a0₫"
