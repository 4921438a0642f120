"""Listings rank by the stars of a valid certificate (Product.listing_stars): an ended one ranks as 0 stars, at once,
even before the daily `flask certificates rank` has moved it."""
import datetime as dt

from sqlalchemy import select

from shop.catalog.models import Product
from shop.clock import VIETNAM, today
from shop.extensions import db
from tests.web.helpers import card_titles


def _rank(product_id: int) -> int:
    return db.session.scalar(select(Product.listing_stars).where(Product.id == product_id))


def test_an_expired_certificate_ranks_below_every_current_one(client, make_product):
    make_product(name="Chè Đường Hoa", stars=3)
    ended = make_product(name="Mực khô Cô Tô", stars=5, certified_on=today() - dt.timedelta(days=1200),
                         expires_on=today() - dt.timedelta(days=1))
    make_product(name="Miến dong Bình Liêu", stars=4)
    db.session.commit()
    assert _rank(ended.id) == 0
    for url in ("/products", "/products?sort=stars"):
        assert card_titles(client.get(url).get_data(as_text=True)) == [
            "Miến dong Bình Liêu", "Chè Đường Hoa", "Mực khô Cô Tô"], url


def test_a_star_change_moves_the_product_in_the_listing(client, make_product):
    make_product(name="Chè Đường Hoa", stars=4)
    rising = make_product(name="Ba kích Quảng Ninh", stars=3)
    db.session.commit()
    assert card_titles(client.get("/products").get_data(as_text=True)) == ["Chè Đường Hoa", "Ba kích Quảng Ninh"]
    rising.ocop_stars = 5
    db.session.commit()
    assert _rank(rising.id) == 5
    assert card_titles(client.get("/products").get_data(as_text=True)) == ["Ba kích Quảng Ninh", "Chè Đường Hoa"]
    assert card_titles(client.get("/products?stars=5").get_data(as_text=True)) == ["Ba kích Quảng Ninh"]


def test_a_certificate_ending_at_midnight_stops_ranking_at_once_and_the_daily_job_moves_it(app, client, make_product,
                                                                                         monkeypatch):
    last_day = today() + dt.timedelta(days=3)
    make_product(name="Chè Đường Hoa", stars=3)
    ending = make_product(name="Mực khô Cô Tô", stars=5, expires_on=last_day)
    db.session.commit()
    assert _rank(ending.id) == 5
    assert card_titles(client.get("/products").get_data(as_text=True))[0] == "Mực khô Cô Tô"

    # 00:01 in Vietnam the day after its last day: nothing wrote the product, its stored rank is yesterday's.
    after = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time(0, 1), VIETNAM).astimezone(dt.UTC)
    monkeypatch.setattr("shop.clock.now", lambda: after)
    assert _rank(ending.id) == 5
    for url in ("/products", "/products?sort=stars", f"/products?sort=stars&q=kho"):
        assert card_titles(client.get(url).get_data(as_text=True))[-1] == "Mực khô Cô Tô", url
    assert card_titles(client.get("/products?stars=5").get_data(as_text=True)) == []

    result = app.test_cli_runner().invoke(args=["certificates", "rank"])
    assert result.exit_code == 0 and "Ranks moved: 1." in result.output, result.output
    db.session.expire_all()
    assert _rank(ending.id) == 0
    assert card_titles(client.get("/products").get_data(as_text=True)) == ["Chè Đường Hoa", "Mực khô Cô Tô"]
    assert "Ranks moved: 0." in app.test_cli_runner().invoke(args=["certificates", "rank"]).output


def test_the_daily_rank_job_empties_the_cached_pages(app, client, make_product, monkeypatch):
    """A moved rank is a catalogue change: every host's cached listing is stale (shop/shared_cache.py)."""
    from shop import shared_cache

    ending = make_product(name="Mực khô Cô Tô", stars=5, expires_on=today())
    db.session.commit()
    with app.test_request_context():
        before = shared_cache.version()
    tomorrow = dt.datetime.combine(today() + dt.timedelta(days=1), dt.time(9), VIETNAM).astimezone(dt.UTC)
    monkeypatch.setattr("shop.clock.now", lambda: tomorrow)
    app.test_cli_runner().invoke(args=["certificates", "rank"])
    with app.test_request_context():
        assert shared_cache.version() > before
    assert _rank(ending.id) == 0
