"""The product page: one variant chooser, the buy bar, add to cart that comes back to its confirmation,
the OCOP badge, the gallery and the delivery hint computed from the checkout's own fee table."""
from __future__ import annotations

import re

import pytest

from shop.catalog.models import ProductImage
from shop.extensions import db
from tests.web.helpers import csrf_token


@pytest.fixture
def pearl(make_product, put_stock):
    product = make_product(name="Ngọc trai Akoya Hạ Long", prices=(1_500_000, 2_800_000, 15_000_000))
    for variant, grams in zip(product.variants, (12, 10, 45)):
        variant.weight_g = grams
    put_stock(product.variants[0], product.producer, 5)
    db.session.commit()
    return product


def _page(client, product, lang="en"):
    # Money is written with a no-break space: "1,500,000 ₫" (English pages here).
    return client.get(f"/products/{product.slug}?lang={lang}").get_data(as_text=True).replace("\xa0", " ")


def test_variants_are_chosen_once_with_weight_and_price_in_each_choice(client, pearl):
    html = _page(client, pearl)
    radios = re.findall(r'<input type="radio" name="variant_id" value="(\d+)"', html)
    assert radios == [str(v.id) for v in pearl.variants]
    assert '<table class="variants"' not in html
    chips = re.findall(r'<label class="variant-chip">(.*?)</label>', html, re.S)
    assert len(chips) == 3
    for chip, variant, price in zip(chips, pearl.variants, ("1,500,000 ₫", "2,800,000 ₫", "15,000,000 ₫")):
        assert variant.label in chip and f"{variant.weight_g} g" in chip and price in chip
    # The price at the top is the chosen (first) variant's, with the stock state beside it.
    head = html[html.index('class="product-head"'):html.index('class="gallery"')]
    assert "1,500,000 ₫" in head and "In stock" in head
    assert html.count(">Add to cart</button>") == 1


def test_adding_without_a_script_comes_back_to_the_confirmation(client, pearl):
    page = f"/products/{pearl.slug}"
    response = client.post("/cart/add", data={"csrf_token": csrf_token(client, page), "next": page,
                                              "variant_id": pearl.variants[1].id, "quantity": 2})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/products/{pearl.slug}#added")
    html = _page(client, pearl)
    added = html[html.index('id="added"'):]
    added = added[:added.index("</div>")]
    # The message was said in the language of the post (Vietnamese), the link in the page's.
    assert "Đã thêm vào giỏ hàng." in added and 'href="/cart"' in added and "View cart" in added
    assert re.search(r'class="cart-count">2<', html)  # units, as the header counts them


def test_a_refused_add_is_said_beside_the_buy_button_and_changes_nothing(client, pearl):
    page = f"/products/{pearl.slug}"
    response = client.post("/cart/add", data={"csrf_token": csrf_token(client, page), "next": page,
                                              "variant_id": pearl.variants[0].id, "quantity": 0})
    assert response.headers["Location"].endswith("#added")
    html = _page(client, pearl)
    added = html[html.index('id="added"'):]
    assert 'class="added-error"' in added[:added.index("</div>")]
    assert 'class="cart-count"' not in html


def test_adding_with_the_script_answers_json_and_the_count(client, pearl, make_product):
    page = f"/products/{pearl.slug}"
    token = csrf_token(client, page)
    headers = {"Accept": "application/json", "X-CSRFToken": token}
    first = client.post("/cart/add", data={"variant_id": pearl.variants[0].id, "quantity": 1, "next": page},
                        headers=headers)
    assert first.status_code == 200
    assert first.json == {"ok": True, "message": "Đã thêm vào giỏ hàng.", "count": 1, "cart_url": "/cart"}
    other = make_product(name="Mật ong rừng Bình Liêu")
    db.session.commit()
    second = client.post("/cart/add", data={"variant_id": other.variants[0].id, "quantity": 1}, headers=headers)
    assert second.json["count"] == 2
    refused = client.post("/cart/add", data={"variant_id": pearl.variants[0].id, "quantity": "many"}, headers=headers)
    assert refused.status_code == 422
    assert refused.json["ok"] is False and refused.json["message"]
    assert "Ngọc trai" in client.get("/cart").get_data(as_text=True)


def test_the_ocop_badge_names_itself_on_the_page_and_on_cards(client, pearl, make_product):
    make_product(name="Trà hoa vàng Ba Chẽ", producer=pearl.producer, stars=5)
    db.session.commit()
    html = _page(client, pearl)
    badge = '<span class="ocop-badge ocop-badge-large" role="img" aria-label="OCOP product, 4 stars"'
    assert badge in html
    assert re.search(r'<span class="ocop-badge-label">OCOP</span> <span class="ocop-badge-stars">★★★★</span>', html)
    listing = client.get("/products?lang=vi").get_data(as_text=True)
    assert 'aria-label="Sản phẩm OCOP 5 sao"' in listing and 'aria-label="Sản phẩm OCOP 4 sao"' in listing
    # No bare stars left anywhere a buyer could read them as ratings.
    assert 'class="stars' not in html + listing


def test_the_gallery_shows_every_picture_in_order_first_at_once_others_lazily(client, pearl):
    for position, stem in enumerate(("a" * 32, "b" * 32, "c" * 32)):
        pearl.images.append(ProductImage(stem=stem, width=1600, height=1200, position=position))
    db.session.commit()
    html = _page(client, pearl)
    track = html[html.index('class="gallery-track"'):html.index("</ul>", html.index('class="gallery-track"'))]
    pictures = re.findall(r"<img ([^>]+)>", track)
    assert len(pictures) == 3
    for picture, stem in zip(pictures, "abc"):
        assert f"/media/products/{stem * 32}-800.webp" in picture
        assert all(f"{stem * 32}-{w}.webp {w}w" in picture for w in (400, 800, 1200))
        assert 'sizes="' in picture
    assert 'loading="lazy"' not in pictures[0] and 'fetchpriority="high"' in pictures[0]
    assert all('loading="lazy"' in p for p in pictures[1:])
    assert 'alt="Ngọc trai Akoya Hạ Long, picture 2 of 3"' in pictures[1]
    thumbs = re.findall(r'<a href="#picture-(\d)"[^>]*><img src="([^"]+)"', html)
    assert thumbs == [(str(n), f"/media/products/{stem * 32}-400.webp") for n, stem in enumerate("abc", start=1)]


def test_without_photos_the_picture_is_an_illustration_and_says_so(client, make_product, make_category):
    honey = make_product(name="Mật ong rừng Bình Liêu", category=make_category("Mật ong", set_no=4))
    db.session.commit()
    assert 'alt="Hình minh họa: mật ong"' in _page(client, honey, "vi")
    assert 'alt="Illustration: honey"' in _page(client, honey, "en")
    assert 'class="gallery-thumbs"' not in _page(client, honey, "en")


def test_the_delivery_hint_follows_the_checkout_fee_table(app, client, pearl):
    html = _page(client, pearl)
    assert "Pickup at a sales point: free" in html
    assert "Delivery from 20,000 ₫ · free from 1,000,000 ₫" in html
    rates = app.config["SHIPPING_RATES"]
    app.config["SHIPPING_RATES"] = {zone: {**r, "brackets": [[1000, 25_000]] + r["brackets"][1:]} for zone, r in rates.items()}
    try:
        assert "Delivery from 25,000 ₫" in _page(client, pearl)
    finally:
        app.config["SHIPPING_RATES"] = rates
