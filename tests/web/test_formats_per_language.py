"""Money, dates and times on the customer's pages are written the way each language writes them."""
import re

import pytest

from shop.orders.models import Order


def _order_page(client, order: Order, lang: str) -> str:
    return client.get(f"/orders/{order.number}?t={order.access_token}&lang={lang}").get_data(as_text=True)


@pytest.mark.parametrize(("lang", "total", "day"), [
    ("vi", "200.000\u00a0₫", r"\d{2}/\d{2}/\d{4}"),
    ("en", "200,000\u00a0₫", r"\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}"),
    ("zh", "200,000\u00a0₫", r"\d{4}年\d{1,2}月\d{1,2}日"),
    ("ko", "200,000\u00a0₫", r"\d{4}\. \d{1,2}\. \d{1,2}\."),
])
def test_the_order_page_writes_the_total_and_the_day_in_the_readers_language(client, make_order, lang, total, day):
    order = make_order()  # 2 × 100.000 ₫, pickup, cash
    page = _order_page(client, order, lang)

    assert total in page
    assert re.search(day, page), day


def test_english_timeline_times_are_24_hour_and_never_month_first(client, make_order):
    page = _order_page(client, make_order(), "en")
    times = re.findall(r'<time datetime="[^"]+">([^<]+)</time>', page)

    assert times and all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}", t) for t in times), times
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{2}\b", page)


def test_the_product_page_groups_thousands_per_language(client, make_product, put_stock):
    product = make_product(name="Trà hoa vàng Ba Chẽ", prices=(1_500_000,))
    put_stock(product.variants[0], product.producer, 5)

    assert "1.500.000\u00a0₫" in client.get(f"/products/{product.slug}?lang=vi").get_data(as_text=True)
    english = client.get(f"/products/{product.slug}?lang=en").get_data(as_text=True)
    assert "1,500,000\u00a0₫" in english and "1.500.000" not in english
