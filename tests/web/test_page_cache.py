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


def _queries(statements):
    """The statements that ask the database something (SQLite's explicit BEGIN is not one)."""
    return [s for s in statements if s.strip().upper() not in ("BEGIN", "BEGIN IMMEDIATE")]


def _cart_count(html):
    match = re.search(r'<span class="cart-count">(\d+)<', html)
    return int(match.group(1)) if match else 0


def _add(client, product, quantity):
    token = _token(client.get(f"/products/{product.slug}").get_data(as_text=True))
    response = client.post("/cart/add", data={"csrf_token": token, "variant_id": product.variants[0].id,
                                              "quantity": quantity, "next": f"/products/{product.slug}"})
    assert response.status_code == 303


@pytest.fixture
def stocked(make_product, put_stock):
    product = make_product(name="Chả mực Hạ Long")
    put_stock(product.variants[0], product.producer, 50)
    db.session.commit()
    return product


def test_visitors_with_a_cart_get_the_cached_page_with_their_own_count_in_one_query(app, caching, stocked,
                                                                                    count_queries):
    anonymous, one, two = app.test_client(), app.test_client(), app.test_client()
    anonymous.get("/products")
    _add(one, stocked, 3)
    _add(two, stocked, 1)
    with count_queries() as statements:
        html_one = one.get("/products").get_data(as_text=True)
    assert "Chả mực Hạ Long" in html_one and _cart_count(html_one) == 3
    assert len(_queries(statements)) == 1  # the cart count; the page itself came from the cache
    assert _cart_count(two.get("/products").get_data(as_text=True)) == 1
    assert _cart_count(anonymous.get("/products").get_data(as_text=True)) == 0
    assert _cart_count(one.get(f"/products/{stocked.slug}").get_data(as_text=True)) == 3


def test_a_cart_visitors_page_is_the_page_an_uncached_render_gives(app, caching, stocked):
    visitor = app.test_client()
    _add(visitor, stocked, 2)
    app.config["PAGE_CACHE_SECONDS"] = 0
    fresh = visitor.get("/products").get_data(as_text=True)
    app.config["PAGE_CACHE_SECONDS"] = 30
    app.test_client().get("/products")  # an anonymous visit fills the cache
    cached = visitor.get("/products").get_data(as_text=True)
    assert re.sub(r'value="[^"]{40,}"', "", cached) == re.sub(r'value="[^"]{40,}"', "", fresh)
    assert "<!--personal" not in cached and "\x00" not in cached


def test_a_signed_in_visitor_gets_their_own_header_and_nobody_else_does(app, caching, stocked, make_user,
                                                                       producer_user, login, count_queries):
    anonymous, customer, producer = app.test_client(), app.test_client(), app.test_client()
    make_user(email="lan@example.vn")
    producer_user(stocked.producer, email="hoa@example.vn")
    db.session.commit()
    assert "Log out" not in anonymous.get("/products?lang=en").get_data(as_text=True)  # cached, anonymous
    assert login(customer, "lan@example.vn").status_code == 302
    assert login(producer, "hoa@example.vn").status_code == 302
    with count_queries() as statements:
        html = producer.get("/products?lang=en").get_data(as_text=True)
    assert "Log out" in html and "Producer workspace" in html
    assert len(_queries(statements)) <= 3  # the login, its user and the cart count: the page came from the cache
    html = customer.get("/products?lang=en").get_data(as_text=True)
    assert "Log out" in html and "Producer workspace" not in html
    html = anonymous.get("/products?lang=en").get_data(as_text=True)
    assert "Log out" not in html and "Log in" in html and "Producer workspace" not in html
    # The log-out form in the cached page carries the visitor's own token: it works.
    response = customer.post("/logout", data={"csrf_token": _token(html_for(customer, "/products?lang=en"))})
    assert response.status_code in (302, 303)
    assert "Log out" not in customer.get("/products?lang=en").get_data(as_text=True)


def html_for(client, url):
    return client.get(url).get_data(as_text=True)


def test_a_message_on_a_cached_product_page_is_shown_once_and_to_its_visitor_only(app, caching, stocked,
                                                                                   count_queries):
    buyer, other = app.test_client(), app.test_client()
    page = f"/products/{stocked.slug}?lang=en"
    other.get(page)  # the page is cached before the buyer's message exists
    _add(buyer, stocked, 2)
    with count_queries() as statements:
        html = html_for(buyer, page)
    assert 'class="added-ok"' in html and _cart_count(html) == 2 and len(_queries(statements)) == 1
    assert 'class="added-ok"' not in html_for(other, page)
    assert 'class="added-ok"' not in html_for(buyer, page)  # shown once


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
