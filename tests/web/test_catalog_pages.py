"""The public pages, read as a visitor would, in Vietnamese and English, on the demo catalog."""
import datetime as dt
import json
import re

import pytest
from sqlalchemy import select

from shop.catalog.models import Category, Producer, Product, today
from shop.extensions import db
from shop.sales_points.models import PickupMode, SalesPoint
from tests.web.helpers import card_titles, result_count


def _first(model, *where):
    return db.session.scalars(select(model).where(*where).order_by(model.id)).first()


def _pages():
    product = _first(Product)
    producer = _first(Producer)
    point = _first(SalesPoint)
    return ["/", "/products", f"/products/{product.slug}", "/producers", f"/producers/{producer.slug}",
            "/sales-points", f"/sales-points/{point.code}", "/search?q=mien", "/about"]


@pytest.mark.parametrize(("lang", "phrase"), [("vi", "Điểm bán"), ("en", "Sales points")])
def test_every_page_renders_in_vietnamese_and_english(demo_client, lang, phrase):
    for url in _pages():
        response = demo_client.get(url + ("&" if "?" in url else "?") + f"lang={lang}")
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in html, url
        assert phrase in html, url


def test_vietnamese_is_the_default_language(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Sản phẩm" in html


def test_the_chosen_language_is_remembered_in_a_cookie(demo_client):
    demo_client.get("/?lang=en")
    html = demo_client.get("/products").get_data(as_text=True)
    assert '<html lang="en">' in html
    demo_client.get("/?lang=vi")


def test_zh_and_ko_pages_render(demo_client):
    for lang in ("zh", "ko"):
        response = demo_client.get("/", query_string={"lang": lang})
        assert response.status_code == 200
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)


def test_every_page_links_its_language_alternates(demo_client):
    html = demo_client.get("/products").get_data(as_text=True)
    for lang in ("vi", "en", "zh", "ko"):
        assert f'hreflang="{lang}"' in html


def test_home_shows_five_and_four_star_highlights_sectors_producers_and_points(demo_client):
    html = demo_client.get("/?lang=en").get_data(as_text=True)
    assert "5-star OCOP" in html and "4-star OCOP" in html
    assert len(card_titles(html)) >= 8
    assert "/products?category=" in html
    assert "/producers/" in html
    assert "/sales-points/" in html


def test_products_are_paginated_and_pages_are_in_the_url(demo_client):
    first = demo_client.get("/products").get_data(as_text=True)
    second = demo_client.get("/products?page=2").get_data(as_text=True)
    assert result_count(first) >= 50
    assert len(card_titles(first)) == 24
    assert set(card_titles(first)).isdisjoint(card_titles(second))
    assert 'href="/products?page=2"' in first


def test_filter_by_sector_keeps_only_its_products(demo_client):
    drinks = _first(Category, Category.sector_code == "II")
    titles = card_titles(demo_client.get(f"/products?category={drinks.slug}").get_data(as_text=True))
    assert titles
    assert all(t.startswith(("Rượu", "Nước")) for t in titles), titles


def test_filter_by_product_set(demo_client):
    pearls_set = _first(Category, Category.set_no == 21)
    titles = card_titles(demo_client.get(f"/products?category={pearls_set.slug}").get_data(as_text=True))
    assert any("Ngọc trai" in t for t in titles)
    assert not any("Miến" in t for t in titles)


def test_filter_by_stars_shows_only_current_certificates_of_that_level(demo_client):
    titles = card_titles(demo_client.get("/products?stars=5").get_data(as_text=True))
    five = db.session.scalars(select(Product).where(Product.ocop_stars == 5)).all()
    current = {p.name for p in five if p.certificate_is_valid}
    assert titles and set(titles) == current


def test_filter_by_ward_of_origin(demo_client):
    titles = card_titles(demo_client.get("/products?ward=06994").get_data(as_text=True))  # Đặc khu Vân Đồn
    names = {p.name for p in db.session.scalars(select(Product).where(Product.origin_ward_code == "06994"))}
    assert titles and set(titles) <= names


def test_filter_by_producer(demo_client):
    producer = db.session.scalars(select(Producer).join(Product).group_by(Producer.id).order_by(Producer.id)).first()
    titles = card_titles(demo_client.get(f"/products?producer={producer.slug}").get_data(as_text=True))
    assert sorted(titles) == sorted(p.name for p in producer.products)


def test_filter_by_price_range(demo_client):
    html = demo_client.get("/products?price_min=100000&price_max=300000&sort=price_asc").get_data(as_text=True)
    prices = [int(p.replace(".", "")) for p in re.findall(r'class="price">(?:<small>[^<]*</small> )?([\d.]+)\xa0₫', html)]
    assert prices and all(100_000 <= p <= 300_000 for p in prices)
    assert prices == sorted(prices)


def test_filter_by_certification(demo_client):
    titles = card_titles(demo_client.get("/products?cert=vietgap").get_data(as_text=True))
    vietgap = {p.name for p in db.session.scalars(select(Product)) if "vietgap" in p.certification_codes}
    assert titles and set(titles) <= vietgap


def test_sort_by_price_descending_and_by_stars(demo_client):
    html = demo_client.get("/products?sort=price_desc").get_data(as_text=True)
    prices = [int(p.replace(".", "")) for p in re.findall(r'class="price">(?:<small>[^<]*</small> )?([\d.]+)\xa0₫', html)]
    assert prices == sorted(prices, reverse=True)
    html = demo_client.get("/products?sort=stars&lang=vi").get_data(as_text=True)
    assert card_titles(html)[0] in {p.name for p in db.session.scalars(select(Product).where(Product.ocop_stars == 5))}


def test_filters_combine_and_survive_in_the_pagination_links(demo_client):
    html = demo_client.get("/products?stars=3&stars=4&sort=price_asc").get_data(as_text=True)
    if 'rel="next"' in html:
        assert re.search(r'rel="next" href="[^"]*stars=3&amp;stars=4', html)
    assert 'value="price_asc" selected' in html


@pytest.mark.parametrize("query", ["page=abc", "page=-3", "page=999999", "stars=9", "price_min=abc",
                                   "price_min=900000&price_max=10", "category=nope", "ward=<script>alert(1)</script>",
                                   "producer=<script>alert(1)</script>", "sort=drop"])
def test_malformed_filter_values_are_ignored_never_an_error(demo_client, query):
    response = demo_client.get(f"/products?{query}")
    assert response.status_code == 200
    assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_product_page_shows_the_ocop_panel_and_variants(demo_client):
    product = _first(Product, Product.ocop_expires_on >= today(), Product.abv_percent.is_(None))
    html = demo_client.get(f"/products/{product.slug}?lang=en").get_data(as_text=True)
    assert product.ocop_certificate_no in html
    assert product.ocop_certified_on.strftime("%Y") in html
    assert "Valid until" in html
    assert "Traceability code" in html and product.traceability_code in html
    for v in product.active_variants:
        assert v.sku in html


def test_product_page_lists_the_sales_points_holding_it(demo_client):
    from shop.catalog.queries import availability

    for product in db.session.scalars(select(Product).order_by(Product.id)):
        points, _ = availability(product)
        if len(points) >= 2:
            break
    html = demo_client.get(f"/products/{product.slug}?lang=en").get_data(as_text=True)
    assert f"Available at {len(points)} sales points" in html
    for ps in points:
        assert f"/sales-points/{ps.sales_point.code}" in html


def test_an_expired_certificate_is_shown_as_expired_never_as_current_stars(demo_client):
    expired = _first(Product, Product.ocop_expires_on < today())
    assert expired is not None, "the demo catalog keeps two expired certificates"
    html = demo_client.get(f"/products/{expired.slug}?lang=en").get_data(as_text=True)
    assert "expired" in html.lower()
    assert f"OCOP {expired.ocop_stars} stars" not in html
    assert "★" not in html.split('<article class="product"', 1)[1].split("</article>", 1)[0]


def test_spirits_are_only_sold_at_sales_points_and_name_the_points(demo_client):
    spirit = _first(Product, Product.abv_percent >= 15)
    html = demo_client.get(f"/products/{spirit.slug}?lang=en").get_data(as_text=True)
    assert "Only sold at sales points" in html
    assert "Decree 105/2017" in html
    assert "/sales-points/" in html
    assert "add-to-cart" not in html and 'action="/cart' not in html


def test_product_page_carries_schema_org_product_data(demo_client):
    product = _first(Product, Product.abv_percent.is_(None))
    html = demo_client.get(f"/products/{product.slug}").get_data(as_text=True)
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Product"
    assert data["offers"]["priceCurrency"] == "VND"
    assert data["offers"]["lowPrice"] == product.price_from_vnd
    assert data["brand"]["name"] == product.producer.name


def test_producer_page_lists_its_products_and_says_the_data_is_illustrative(demo_client):
    producer = db.session.scalars(select(Producer).join(Product).order_by(Producer.id)).first()
    html = demo_client.get(f"/producers/{producer.slug}?lang=vi").get_data(as_text=True)
    assert producer.name in html
    assert set(p.name for p in producer.products) <= set(card_titles(html))
    assert "fictional" in demo_client.get(f"/producers/{producer.slug}?lang=en").get_data(as_text=True)


def test_sales_point_page_shows_address_hours_phone_and_stock(demo_client):
    point = _first(SalesPoint, SalesPoint.pickup_mode != PickupMode.OFF)
    html = demo_client.get(f"/sales-points/{point.code}?lang=en").get_data(as_text=True)
    assert point.address in html and point.phone in html
    assert "Opening hours" in html
    assert "In stock here now" in html


def test_sales_points_list_has_all_23(demo_client):
    html = demo_client.get("/sales-points").get_data(as_text=True)
    assert len(set(re.findall(r'href="/sales-points/([A-Z0-9]+)"', html))) == 23


@pytest.mark.parametrize("url", ["/products/no-such-thing", "/producers/no-such-producer", "/sales-points/ZZ99",
                                 "/nowhere", "/products/no-such-thing/image.svg"])
def test_unknown_addresses_get_a_friendly_404(demo_client, url):
    response = demo_client.get(url + "?lang=en")
    assert response.status_code == 404
    if not url.endswith(".svg"):
        assert "We could not find that page" in response.get_data(as_text=True)


def test_healthz_checks_the_database(demo_client):
    response = demo_client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_robots_and_sitemap(demo_client):
    robots = demo_client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /admin/" in robots and "Sitemap: " in robots
    sitemap = demo_client.get("/sitemap.xml")
    assert sitemap.mimetype == "application/xml"
    body = sitemap.get_data(as_text=True)
    product = _first(Product)
    assert f"/products/{product.slug}</loc>" in body
    assert 'hreflang="en"' in body


def test_product_artwork_is_a_cacheable_svg(demo_client):
    product = _first(Product)
    response = demo_client.get(f"/products/{product.slug}/image.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.cache_control.max_age and response.cache_control.max_age > 3600
    again = demo_client.get(f"/products/{product.slug}/image.svg", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_dates_are_day_month_year_in_vietnamese(demo_client):
    product = _first(Product)
    html = demo_client.get(f"/products/{product.slug}?lang=vi").get_data(as_text=True)
    assert product.ocop_certified_on.strftime("%d/%m/%Y") in html
    assert isinstance(product.ocop_certified_on, dt.date)
