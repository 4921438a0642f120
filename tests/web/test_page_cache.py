"""Anonymous catalog pages come from each worker's page cache; forms in them still work."""
import re

import pytest

from shop import page_cache
from shop.extensions import db


@pytest.fixture
def caching(app):
    app.config["PAGE_CACHE_SECONDS"] = 30
    page_cache.clear()
    yield
    app.config["PAGE_CACHE_SECONDS"] = 0
    page_cache.clear()


def _token(html):
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_second_anonymous_visit_runs_no_query(client, caching, make_product, count_queries):
    product = make_product(name="Miến dong Bình Liêu")
    db.session.commit()
    client.get(f"/products/{product.slug}")
    with count_queries() as statements:
        again = client.get(f"/products/{product.slug}")
    assert again.status_code == 200 and "Miến dong Bình Liêu" in again.get_data(as_text=True)
    assert statements == []


def test_each_visitor_gets_their_own_csrf_token_in_a_cached_page(app, caching, make_product, make_producer, put_stock):
    product = make_product(name="Trà hoa vàng")
    put_stock(product.variants[0], product.producer, 5)
    db.session.commit()
    first, second = app.test_client(), app.test_client()
    html_one = first.get(f"/products/{product.slug}").get_data(as_text=True)
    html_two = second.get(f"/products/{product.slug}").get_data(as_text=True)
    assert _token(html_one) != _token(html_two)
    response = second.post("/cart/add", data={"csrf_token": _token(html_two), "variant_id": product.variants[0].id,
                                              "quantity": 1})
    assert response.status_code == 303  # accepted: the token belongs to this visitor's session


def test_languages_are_cached_apart(client, caching, make_product):
    make_product(name="Miến dong Bình Liêu")
    db.session.commit()
    assert '<html lang="vi">' in client.get("/products?lang=vi").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/products?lang=en").get_data(as_text=True)


def test_visitors_with_a_cart_see_fresh_pages(client, caching, make_product, count_queries):
    product = make_product(name="Chả mực Hạ Long")
    db.session.commit()
    client.get("/products")
    client.set_cookie("cart", "some-token")
    with count_queries() as statements:
        client.get("/products")
    assert statements


def test_a_price_edit_shows_on_the_next_visit_not_after_the_cache_seconds(client, caching, make_product):
    product = make_product(name="Mật ong rừng", prices=(250_000,))
    db.session.commit()
    assert "250.000\u00a0₫" in client.get(f"/products/{product.slug}").get_data(as_text=True)
    product.variants[0].price_vnd = 275_000
    db.session.commit()
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "275.000\u00a0₫" in html and "250.000\u00a0₫" not in html


def test_a_failed_edit_keeps_the_cached_page(client, caching, make_product, count_queries):
    product = make_product(name="Mật ong rừng", prices=(250_000,))
    db.session.commit()
    page = f"/products/{product.slug}"
    client.get(page)
    product.variants[0].price_vnd = 1
    db.session.flush()
    db.session.rollback()
    with count_queries() as statements:
        client.get(page)
    assert statements == []
