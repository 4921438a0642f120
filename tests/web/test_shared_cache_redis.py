"""With CACHE_REDIS_URL, two hosts share cached pages and see each other's edits on the next request."""
import uuid

import pytest

from shop.catalog.models import Variant
from shop.extensions import db
from shop.shared_cache import RedisStore
from tests.conftest import build_app
from tests.web.test_rate_limit_redis import REDIS, _redis_reachable

pytestmark = pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")


@pytest.fixture
def two_hosts(app):
    """The test's app and a second app on the same database, both caching pages in one Redis for 5 minutes."""
    prefix = f"shop-test-{uuid.uuid4().hex[:8]}:"
    own = app.extensions["shared_cache"]
    app.extensions["shared_cache"] = RedisStore(REDIS, prefix)
    app.config.update(PAGE_CACHE_SECONDS=300, FILTER_CACHE_SECONDS=300)
    other = build_app(app.config["SQLALCHEMY_DATABASE_URI"], CACHE_REDIS_URL=REDIS, CACHE_KEY_PREFIX=prefix,
                      PAGE_CACHE_SECONDS=300, FILTER_CACHE_SECONDS=300)
    yield app, other
    app.extensions["shared_cache"] = own
    app.config.update(PAGE_CACHE_SECONDS=0, FILTER_CACHE_SECONDS=0)
    with other.app_context():
        db.engine.dispose()


def test_an_edit_on_one_host_is_seen_by_the_other_at_once(two_hosts, make_product, count_queries):
    one, two = two_hosts
    product = make_product(name="Mật ong rừng Ba Chẽ", prices=(250_000,))
    db.session.commit()
    page, variant_id = f"/products/{product.slug}", product.variants[0].id
    assert "250.000\u00a0₫" in one.test_client().get(page).get_data(as_text=True)
    with two.app_context():
        with count_queries() as statements:
            html = two.test_client().get(page).get_data(as_text=True)
        assert "250.000\u00a0₫" in html and statements == []  # host one's page, from Redis
        db.session.get(Variant, variant_id).price_vnd = 280_000
        db.session.commit()
    db.session.remove()  # host one's next request starts its own session, as every real request does
    html = one.test_client().get(page).get_data(as_text=True)
    assert "280.000\u00a0₫" in html and "250.000\u00a0₫" not in html


def test_an_edit_on_one_host_shows_at_once_on_the_others_personalised_pages_and_cards(two_hosts, make_product,
                                                                                      put_stock):
    from tests.web.test_page_cache import _add, _cart_count

    one, two = two_hosts
    product = make_product(name="Chả mực Hạ Long", prices=(250_000,))
    put_stock(product.variants[0], product.producer, 9)
    db.session.commit()
    buyer, variant_id = one.test_client(), product.variants[0].id
    _add(buyer, product, 2)
    pages = ("/products", f"/producers/{product.producer.slug}", "/search?q=cha+muc")
    for page in pages:
        html = buyer.get(page).get_data(as_text=True)
        assert "250.000\u00a0₫" in html and _cart_count(html) == 2
    with two.app_context():
        db.session.get(Variant, variant_id).price_vnd = 265_000
        db.session.get(Variant, variant_id).product.refresh_derived()
        db.session.commit()
    db.session.remove()
    for page in (*pages, "/products?page=1"):
        html = buyer.get(page).get_data(as_text=True)
        assert "265.000\u00a0₫" in html and "250.000\u00a0₫" not in html and _cart_count(html) == 2, page


def test_the_cards_of_a_page_come_from_redis_in_one_round_trip(two_hosts, make_product, monkeypatch):
    one, two = two_hosts
    for n in range(6):
        make_product(name=f"Trà hoa vàng {n}")
    db.session.commit()
    one.test_client().get("/products")  # host one draws the cards
    with two.app_context():
        store = two.extensions["shared_cache"]
        calls = []
        monkeypatch.setattr(store.client, "mget", lambda keys: calls.append(keys) or store.client.__class__.mget(
            store.client, keys))
        html = two.test_client().get("/products?from=x").get_data(as_text=True)
    assert html.count('class="card product-card"') == 6
    assert len(calls) == 1 and len(calls[0]) == 6


def test_filter_choices_and_display_rates_are_read_once_per_change_for_every_host(two_hosts, make_product,
                                                                                make_producer, count_queries):
    from decimal import Decimal

    from shop.currency.models import DisplayRate

    one, two = two_hosts
    one.config["DISPLAY_RATE_CACHE_SECONDS"] = two.config["DISPLAY_RATE_CACHE_SECONDS"] = 300
    make_product(name="Trà hoa vàng", producer=make_producer(name="HTX Trà Ba Chẽ"))
    db.session.add(DisplayRate(currency="USD", vnd_per_unit=Decimal("25000")))
    db.session.commit()
    assert "HTX Trà Ba Chẽ" in one.test_client().get("/products?lang=en").get_data(as_text=True)
    with two.app_context():
        with count_queries() as statements:
            html = two.test_client().get("/products?lang=en&from=x").get_data(as_text=True)
        assert "HTX Trà Ba Chẽ" in html and ">USD</a>" in html  # the footer offers the rate host one read
        assert not [s for s in statements if "FROM display_rate" in s or "DISTINCT product.origin_ward_code" in s
                    or s.startswith("SELECT producer.slug, producer.name")]
        make_producer(name="HTX Chả mực Hạ Long")
        db.session.commit()
    db.session.remove()
    html = one.test_client().get("/products?lang=en&from=y").get_data(as_text=True)
    assert "HTX Chả mực Hạ Long" in html  # host two's new producer is a choice on host one at once
