"""A product card is rendered once and reused by every page that shows it, for every visitor, until an edit."""
import contextlib

import pytest
from sqlalchemy import event

from shop import page_cache
from shop.catalog.models import Product
from shop.extensions import db
from shop.shared_cache import LocalStore
from tests.web.helpers import card_titles, csrf_token
from tests.web.test_page_cache import _add, _cart_count, caching  # noqa: F401 (a fixture)


@pytest.fixture
def shelf(make_producer, make_product, put_stock):
    """30 products of three producers, the first in stock and with two variants."""
    producers = [make_producer(name=f"HTX {n}") for n in ("Bình Liêu", "Ba Chẽ", "Vân Đồn")]
    products = [make_product(name=f"Sản phẩm {n:02d}", producer=producers[n % 3], stars=3 + n % 3,
                             prices=(100_000 + n * 1000, 200_000) if n == 0 else (100_000 + n * 1000,))
                for n in range(30)]
    put_stock(products[0].variants[0], products[0].producer, 20)
    db.session.commit()
    return products


def _grid(html: str) -> str:
    return html[html.index('<div class="grid products-grid">'):html.index('<nav class="pagination"')]


@contextlib.contextmanager
def product_loads():
    """The ids of the Product rows the ORM loads inside the block."""
    loaded = []

    def record(target, _context):
        loaded.append(target.id)

    event.listen(Product, "load", record)
    try:
        yield loaded
    finally:
        event.remove(Product, "load", record)


def test_a_personalised_listing_the_page_cache_misses_reuses_the_cards(app, caching, shelf, count_queries):
    visitor = app.test_client()
    _add(visitor, shelf[0], 2)
    page_cache.clear()  # the product page drew "more from this producer" cards
    db.session.expunge_all()  # as in a worker: nothing loaded before the request
    with count_queries() as first, product_loads() as loaded_first:
        html = visitor.get("/products").get_data(as_text=True)
    assert len(card_titles(html)) == 24 and _cart_count(html) == 2
    with count_queries() as second, product_loads() as loaded_second:
        again = visitor.get("/products?from=home").get_data(as_text=True)  # another address: not a cached page
    assert _grid(again) == _grid(html)
    assert len(loaded_first) == 24 and loaded_second == []
    assert len(second) < len(first)


def test_cards_drawn_for_the_listing_serve_search(app, caching, shelf):
    client = app.test_client()
    client.get("/products")
    client.get("/products?page=2")
    db.session.expunge_all()
    with product_loads() as loaded:
        html = client.get("/search?q=san+pham").get_data(as_text=True)
    assert len(card_titles(html)) == 24 and loaded == []


def test_cards_are_kept_apart_per_language(client, caching, shelf):
    assert "<small>from</small>" in client.get("/products?lang=en").get_data(as_text=True)
    html = client.get("/products?lang=vi").get_data(as_text=True)
    assert "<small>from</small>" not in html and "<small>từ</small>" in html


def test_a_producers_price_edit_shows_at_once_in_the_cards_of_a_personalised_page(app, caching, shelf, login,
                                                                                  producer_user):
    product = shelf[0]
    producer_user(product.producer, email="hoa@example.vn")
    db.session.commit()
    buyer, producer = app.test_client(), app.test_client()
    _add(buyer, product, 1)
    for url in ("/products", f"/producers/{product.producer.slug}", "/products?from=x"):
        assert "100.000\u00a0₫" in buyer.get(url).get_data(as_text=True)
    assert login(producer, "hoa@example.vn").status_code == 302
    first, second = product.variants
    response = producer.post(f"/producer/products/{product.id}/variants", data={
        "csrf_token": csrf_token(producer, f"/producer/products/{product.id}/edit"),
        f"label-{first.id}": "Gói 1", f"price-{first.id}": "95.000", f"active-{first.id}": "on",
        f"label-{second.id}": "Gói 2", f"price-{second.id}": "200000", f"active-{second.id}": "on"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Product, product.id).price_from_vnd == 95_000
    for url in ("/products", f"/producers/{product.producer.slug}", "/products?from=x", "/products?from=y"):
        html = buyer.get(url).get_data(as_text=True)
        assert "95.000\u00a0₫" in html and "100.000\u00a0₫" not in html, url
        assert _cart_count(html) == 1


def test_a_product_unpublished_between_the_ids_and_the_cards_is_left_out(app, caching, shelf, monkeypatch):
    from shop.catalog import queries

    first = shelf[0]
    original = queries.products_for_cards

    def after_an_edit(ids):
        return [p for p in original(ids) if p.id != first.id]

    monkeypatch.setattr(queries, "products_for_cards", after_an_edit)
    html = app.test_client().get("/products").get_data(as_text=True)
    assert len(card_titles(html)) == 23 and "Sản phẩm 00" not in card_titles(html)


def test_the_workers_store_keeps_to_its_byte_budget_and_reads_many_at_once():
    store = LocalStore(entries=100, max_bytes=1000)
    for n in range(5):
        store.set(f"card:{n}", b"x" * 300, 30)
    assert store.get_many(["card:0", "card:1", "card:2", "card:3", "card:4", "nothing"]) == [
        None, None, b"x" * 300, b"x" * 300, b"x" * 300, None]
    store.set("card:3", b"y" * 10, 30)  # replacing an entry frees its old bytes
    store.set("card:5", b"z" * 300, 30)
    assert store.get_many(["card:2", "card:3", "card:4", "card:5"]) == [b"x" * 300, b"y" * 10, b"x" * 300, b"z" * 300]
