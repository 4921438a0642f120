"""Foreign visitors may see a labelled estimate beside VND prices; they are always charged in VND."""
import re
from decimal import Decimal

import pytest

from shop.auth.models import Role
from shop.currency import estimates
from shop.currency.models import DisplayRate
from shop.extensions import db
from tests.web.helpers import csrf_token

RATES = {"USD": Decimal("25400"), "CNY": Decimal("3500"), "KRW": Decimal("18.35")}


@pytest.fixture
def rated(app):
    for code, rate in RATES.items():
        db.session.add(DisplayRate(currency=code, vnd_per_unit=rate))
    db.session.commit()


@pytest.fixture
def tea(make_product, put_stock):
    product = make_product(name="Trà hoa vàng Ba Chẽ", prices=(125_000,))
    put_stock(product.variants[0], product.producer, 10)
    db.session.commit()
    return product


def _estimates(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", e).strip() for e in re.findall(r'<span class="estimate">(.*?)</span>', html)]


def test_without_rates_no_estimate_and_no_currency_choice_is_shown(client, tea):
    html = client.get(f"/products/{tea.slug}?lang=en").get_data(as_text=True)
    assert "125,000" in html and _estimates(html) == []
    assert "Price estimates" not in html


@pytest.mark.parametrize(("lang", "expected"), [("en", "≈ US$4.92"), ("zh", "≈ ¥35.71"), ("ko", "≈ ₩6,812")])
def test_each_language_sees_its_currency_by_default(client, rated, tea, lang, expected):
    html = client.get(f"/products/{tea.slug}?lang={lang}").get_data(as_text=True)
    assert _estimates(html) == [expected]


def test_vietnamese_readers_see_vnd_only_unless_they_choose(client, rated, tea):
    assert _estimates(client.get(f"/products/{tea.slug}?lang=vi").get_data(as_text=True)) == []
    chosen = client.get(f"/products/{tea.slug}?lang=vi&cur=USD")
    assert "cur=USD" in chosen.headers.get("Set-Cookie", "")
    # Remembered on the next page, in Vietnamese number style.
    assert _estimates(client.get(f"/products/{tea.slug}").get_data(as_text=True)) == ["≈ 4,92\xa0US$"]
    client.get(f"/products/{tea.slug}?cur=none")
    assert _estimates(client.get(f"/products/{tea.slug}").get_data(as_text=True)) == []


def test_a_currency_without_a_rate_is_never_shown(client, rated, tea):
    html = client.get(f"/products/{tea.slug}?lang=en&cur=EUR").get_data(as_text=True)
    assert _estimates(html) == ["≈ US$4.92"]  # back to the language's default
    assert ">EUR<" not in html


def test_totals_say_the_order_is_charged_in_vnd_and_the_order_is_in_vnd(client, rated, tea, make_order):
    token = csrf_token(client, f"/products/{tea.slug}?lang=en")
    client.post("/cart/add", data={"csrf_token": token, "variant_id": tea.variants[0].id, "quantity": 2})
    cart = client.get("/cart").get_data(as_text=True)
    assert "≈ US$9.84 · charged in VND" in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cart))
    order = make_order((tea.variants[0], 2))
    assert order.total_vnd == 250_000 and order.payment.amount_vnd == 250_000


def test_the_office_sets_rates_with_vietnamese_number_writing(client, login, make_user, tea):
    make_user(email="office@ocop.vn", role=Role.ADMIN)
    db.session.commit()
    login(client, "office@ocop.vn")
    token = csrf_token(client, "/admin/rates")
    response = client.post("/admin/rates", data={"csrf_token": token, "USD": "25.400", "EUR": "27400,5",
                                                  "CNY": "", "KRW": "18,35"})
    assert response.status_code == 302
    saved = {r.currency: r.vnd_per_unit for r in db.session.scalars(db.select(DisplayRate))}
    assert saved == {"USD": Decimal("25400"), "EUR": Decimal("27400.5"), "KRW": Decimal("18.35")}
    page = client.get("/admin/rates").get_data(as_text=True)
    assert 'value="25400"' in page and 'value="18.35"' in page


@pytest.mark.parametrize("bad", ["abc", "-5", "0", "1e9", "NaN", "2000000"])
def test_a_bad_rate_is_refused_and_nothing_changes(client, login, make_user, rated, bad):
    make_user(email="office@ocop.vn", role=Role.ADMIN)
    db.session.commit()
    login(client, "office@ocop.vn")
    token = csrf_token(client, "/admin/rates?lang=en")
    response = client.post("/admin/rates", data={"csrf_token": token, "USD": "26000", "CNY": bad, "KRW": "18.35"})
    assert response.status_code == 422
    assert "CNY: enter how many đồng one unit is worth" in response.get_data(as_text=True)
    db.session.expire_all()
    assert {r.currency: r.vnd_per_unit for r in db.session.scalars(db.select(DisplayRate))} == RATES


@pytest.mark.parametrize("role", [None, Role.CUSTOMER, Role.PRODUCER, Role.STAFF])
def test_only_the_office_sets_rates(client, login, make_user, make_producer, make_sales_point, role):
    if role is not None:
        extra = {Role.PRODUCER: {"producer_id": make_producer().id},
                 Role.STAFF: {"sales_point_id": make_sales_point().id}}.get(role, {})
        make_user(email="someone@ocop.vn", role=role, **extra)
        db.session.commit()
        login(client, "someone@ocop.vn")
    # A valid CSRF token, so that only the role can refuse the form.
    token = csrf_token(client, "/login" if role is None else "/account")
    refused = (302, 403)[role is not None]  # visitors are sent to log in; other roles are forbidden
    assert client.get("/admin/rates").status_code == refused
    assert client.post("/admin/rates", data={"csrf_token": token, "USD": "25400"}).status_code == refused
    assert db.session.scalars(db.select(DisplayRate)).all() == []


def test_cached_pages_differ_by_currency(app, client, rated, tea):
    from shop import page_cache

    app.config["PAGE_CACHE_SECONDS"] = 30
    page_cache.clear()
    try:
        usd = client.get(f"/products/{tea.slug}?lang=en").get_data(as_text=True)
        other = app.test_client()
        other.set_cookie("cur", "KRW")
        krw = other.get(f"/products/{tea.slug}?lang=en").get_data(as_text=True)
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 0
        page_cache.clear()
    assert _estimates(usd) == ["≈ US$4.92"] and _estimates(krw) == ["≈ ₩6,812"]


def test_estimates_round_half_up_to_the_currencys_digits(app):
    with app.test_request_context("/?lang=en"):
        db.session.add(DisplayRate(currency="USD", vnd_per_unit=Decimal("25000")))
        db.session.commit()
        estimates.forget_rates()
        assert estimates.convert(125_125, "USD") == Decimal("5.01")
        assert estimates.convert(0, "USD") == Decimal("0.00")


def test_the_footer_offers_each_rated_currency_on_this_page_even_on_an_error_page(client, rated, tea):
    html = client.get(f"/products/{tea.slug}?lang=en").get_data(as_text=True)
    choices = re.findall(r'<ul class="currency-choice">(.*?)</ul>', html, re.S)[0]
    assert f'href="/products/{tea.slug}?lang=en&amp;cur=KRW"' in choices
    assert ">EUR<" not in choices and "VND only" in choices
    missing = client.get("/no-such-page?lang=en")  # no endpoint: the choices lead home
    assert missing.status_code == 404 and 'href="/?cur=USD"' in missing.get_data(as_text=True)


def test_each_variant_choice_carries_its_own_estimate_for_the_price_at_the_top(client, rated, make_product):
    pearl = make_product(name="Ngọc trai Akoya Hạ Long", prices=(1_500_000, 2_800_000))
    db.session.commit()
    html = client.get(f"/products/{pearl.slug}?lang=en").get_data(as_text=True)
    assert re.findall(r'data-estimate-text="([^"]*)"', html) == ["≈ US$59.06", "≈ US$110.24"]
    assert '<span data-estimate><span class="estimate">≈ US$59.06</span></span>' in html
