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
