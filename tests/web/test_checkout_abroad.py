"""Shipping abroad: a visitor sends OCOP products home, and what cannot travel is refused with its reason."""
import re
from html import unescape

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from shop.cart.models import Cart, CartLine
from shop.catalog.models import Product
from shop.checkout.services import CheckoutData, place_order
from shop.extensions import db
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.orders.models import DeliveryMethod, Order
from shop.orders.payment import PaymentMethod
from tests.web.helpers import checkout_details, confirm_page, csrf_token, place_order_form

KOREAN_ADDRESS = {"recipient_name": "Kim Min-jun", "abroad_line1": "12 Sejong-daero", "abroad_line2": "Apt 301",
                  "city": "Seoul", "region": "Jongno-gu", "postal_code": "03154", "abroad_phone": "010-1234-5678"}


@pytest.fixture
def catalog(make_product, make_producer, make_category, make_sales_point, put_stock):
    tea = make_product(name="Trà hoa vàng Ba Chẽ", prices=(400_000,), ships_abroad=True,
                       producer=make_producer(name="Công ty Trà Đạp Thanh"),
                       i18n={"en": {"name": "Ba Che yellow camellia tea"}})
    honey = make_product(name="Mật ong rừng Bình Liêu", prices=(450_000,),
                         category=make_category(name="Mật ong, mật khác và nông sản thực phẩm khác", set_no=4),
                         i18n={"en": {"name": "Binh Lieu forest honey"}})
    squid = make_product(name="Chả mực Hạ Long", prices=(380_000,), cold_chain=True,
                         category=make_category(name="Chế biến từ thịt, trứng, sữa, thủy sản, mật ong", set_no=8),
                         i18n={"en": {"name": "Ha Long squid cakes"}})
    point = make_sales_point(code="HL01", name="Điểm bán OCOP Bãi Cháy")
    for product in (tea, honey, squid):
        put_stock(product.variants[0], product.producer, 10)
    db.session.commit()
    return {"tea": tea, "honey": honey, "squid": squid, "point": point}


def _add(client, variant_id, quantity=1):
    token = csrf_token(client, f"/products/{db.session.scalar(select(Product.slug).order_by(Product.id))}")
    client.post("/cart/add", data={"csrf_token": token, "variant_id": variant_id, "quantity": quantity})


CONTACT = {"name": "Kim Min-jun", "email": "minjun@example.kr", "phone": "+82 10 9876 5432"}


def _contact(client, lang="en"):
    client.get(f"/?lang={lang}")  # remembered in a cookie, like a visitor's choice


def _deliver(client, country="KR", **address):
    """Checkout's first step with the contact and an address abroad."""
    return checkout_details(client, **CONTACT, method="delivery", country=country, **{**KOREAN_ADDRESS, **address})


def _pay(client, method="vietqr_transfer"):
    return place_order_form(client, method)


def _review_fields(client):
    return confirm_page(client)


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _stock_rows():
    return [(s.id, s.quantity, s.allocated) for s in db.session.scalars(select(Stock).order_by(Stock.id))]


def test_an_eligible_cart_goes_to_korea_for_the_zone_fee_by_weight(client, catalog):
    _add(client, catalog["tea"].variants[0].id, 3)  # 3 × 500 g = 1.5 kg: the "up to 2 kg" bracket
    _contact(client)
    assert _deliver(client).status_code == 302
    review, fields = _review_fields(client)
    assert "650,000\xa0₫" in review  # asia_near, up to 2 kg
    assert "1,850,000\xa0₫" in review  # 3 × 400,000 + 650,000: no free delivery abroad
    assert "Seoul, Jongno-gu 03154" in review and "South Korea" in review
    response = client.post("/checkout/place", data={**fields, "method": "vietqr_transfer"})
    assert response.status_code == 302
    order = db.session.scalar(select(Order))
    assert (order.shipping_vnd, order.total_vnd) == (650_000, 1_850_000)
    assert (order.country_code, order.recipient_name, order.address_line, order.address_line2) == (
        "KR", "Kim Min-jun", "12 Sejong-daero", "Apt 301")
    assert (order.city, order.region, order.postal_code) == ("Seoul", "Jongno-gu", "03154")
    assert (order.province_code, order.province_name, order.ward_code, order.ward_name) == ("", "", "", "")
    # The contact keeps their number; the carrier calls the one given with the address.
    assert (order.contact_phone, order.recipient_phone) == ("+821098765432", "+821012345678")
    assert order.delivery_phone == "+821012345678"
    page = client.get(response.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "12 Sejong-daero<br>Apt 301<br>Seoul, Jongno-gu 03154<br>South Korea" in page
    assert "Hàn Quốc" in client.get(response.headers["Location"] + "&lang=vi").get_data(as_text=True)
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "order_placed"))
    assert email.payload["address_lines"] == ["12 Sejong-daero", "Apt 301", "Seoul, Jongno-gu 03154"]
    assert email.payload["country_code"] == "KR"


def test_an_ineligible_item_blocks_shipping_abroad_with_a_clear_message(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _add(client, catalog["honey"].variants[0].id)
    _add(client, catalog["squid"].variants[0].id)
    _contact(client)
    before = _stock_rows()
    response = _deliver(client)
    assert response.status_code == 200  # the form again, with the reason
    text = _text(response)
    assert "These items cannot be sent abroad" in text
    assert "“Binh Lieu forest honey”: food of animal origin and honey are banned from parcels by many countries" in text
    assert "“Ha Long squid cakes”: chilled food cannot stay cold on the way" in text
    assert "Ba Che yellow camellia tea" not in text.split("These items cannot be sent abroad")[1].split("</p>")[0]
    assert "Pick them up at an OCOP sales point instead" in text
    # Nothing was chosen, and the later steps send the customer back.
    assert client.get("/checkout/confirm").headers["Location"].endswith("/checkout")
    assert db.session.scalar(select(func.count(Order.id))) == 0
    assert _stock_rows() == before


def test_the_delivery_step_says_what_cannot_go_abroad_before_the_customer_tries(client, catalog):
    _add(client, catalog["honey"].variants[0].id)
    _contact(client)
    page = _text(client.get("/checkout"))
    assert 'id="not-abroad"' in page and "Binh Lieu forest honey" in page


def test_an_eligible_cart_shows_no_warning_about_abroad(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client)
    assert 'id="not-abroad"' not in client.get("/checkout").get_data(as_text=True)


def test_a_country_in_no_zone_is_refused(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client)
    page = client.get("/checkout").get_data(as_text=True)
    assert 'value="KR"' in page and 'value="RU"' not in page
    response = _deliver(client, country="RU", abroad_phone="+7 912 345-67-89")
    assert response.status_code == 200
    assert "Sorry, we do not send parcels to Russia" in _text(response)
    assert client.get("/checkout/confirm").headers["Location"].endswith("/checkout")


def test_cash_on_delivery_is_not_offered_abroad_and_a_forged_post_is_refused(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client)
    _deliver(client)
    page = client.get("/checkout/confirm").get_data(as_text=True)
    assert 'value="vietqr_transfer"' in page
    assert 'value="cod"' not in page and 'value="cash_at_pickup"' not in page
    refused = _pay(client, "cod")
    assert refused.headers["Location"].endswith("/checkout/confirm")  # the step again, with the reason
    assert "This payment method is not available for this delivery choice." in _text(client.get("/checkout/confirm"))
    assert _pay(client, "cash_at_pickup").headers["Location"].endswith("/checkout/confirm")
    assert db.session.scalar(select(func.count(Order.id))) == 0


def test_a_korean_phone_number_is_accepted_in_national_or_international_form(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client)
    assert _deliver(client, abroad_phone="+82 10-1234-5678").status_code == 302
    assert _deliver(client, abroad_phone="010 1234 5678").status_code == 302


@pytest.mark.parametrize("lang", ["en", "vi", "ko"])
def test_a_garbage_phone_number_is_refused_in_the_users_language(client, catalog, lang):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client, lang=lang)
    response = _deliver(client, abroad_phone="call me maybe")
    assert response.status_code == 200
    with force_locale(lang):
        message = gettext("Please enter the recipient's phone number with its country code, like %(example)s.",
                          example="+82 10-2000-0000")
    assert f'<p class="field-error">{message}</p>' in _text(response)


def test_the_postal_code_is_required_where_the_post_uses_one(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client)
    response = _deliver(client, postal_code="")
    assert response.status_code == 200 and "Please enter the postal code." in _text(response)
    assert "This does not look like a postal code" in _text(_deliver(client, postal_code="<b>12</b>"))
    hong_kong = _deliver(client, country="HK", postal_code="", city="Hong Kong", abroad_phone="+852 5123 4567")
    assert hong_kong.status_code == 302


def test_the_address_abroad_needs_its_street_and_city(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client)
    text = _text(_deliver(client, abroad_line1="", city=""))
    assert "Please enter the street address." in text and "Please enter the city or town." in text


def test_delivery_in_vietnam_ignores_the_fields_for_abroad(client, catalog):
    _add(client, catalog["squid"].variants[0].id)
    _contact(client)
    response = checkout_details(client, **CONTACT, method="delivery", country="VN", province="22",
                                ward_code="06673", address_line="12 đường Hạ Long", abroad_line1="", city="",
                                postal_code="", abroad_phone="garbage")
    assert response.status_code == 302
    assert 'value="cod"' in client.get("/checkout/confirm").get_data(as_text=True)


def test_the_vietnamese_address_form_is_explained_to_foreigners_only(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client, lang="en")
    english = _text(client.get("/checkout"))
    assert 'class="notice address-help"' in english
    assert "How to write an address in Vietnam" in english
    assert "Số 12 đường Trần Hưng Đạo, Phường Hạ Long, Tỉnh Quảng Ninh" in english
    vietnamese = _text(client.get("/checkout?lang=vi"))
    assert 'class="notice address-help"' not in vietnamese
    assert "Số 12 đường Trần Hưng Đạo" not in vietnamese


def test_countries_are_named_in_the_readers_language_with_vietnam_first(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    _contact(client, lang="ko")
    page = _text(client.get("/checkout"))
    options = re.findall(r'<option[^>]*value="([A-Z]{2})"[^>]*>([^<]*)</option>', page)
    assert options[0] == ("VN", "베트남")
    assert ("KR", "대한민국") in options


def test_the_producer_sees_the_address_abroad_on_the_part_page_and_the_label(client, login, producer_user, catalog):
    tea = catalog["tea"]
    user = producer_user(tea.producer, email="tra@dapthanh.vn")
    cart = Cart(token="abroad-label", lines=[CartLine(variant_id=tea.variants[0].id, quantity=1)])
    db.session.add(cart)
    db.session.commit()
    data = CheckoutData(name="Kim Min-jun", email="minjun@example.kr", phone="+821012345678", language="en",
                        delivery=DeliveryMethod.DELIVERY, payment=PaymentMethod.VIETQR_TRANSFER, country_code="KR",
                        address_line="12 Sejong-daero", city="Seoul", postal_code="03154", data_consent=True)
    part_id = place_order(cart.id, data, "abroad-label", None).parts[0].id
    client.set_cookie("lang", "en")
    assert login(client, user.email).status_code == 302
    part = client.get(f"/producer/parts/{part_id}").get_data(as_text=True)
    assert "12 Sejong-daero<br>Seoul 03154<br>South Korea" in part
    assert "Home delivery · Seoul, South Korea" in client.get("/producer/").get_data(as_text=True)
    client.set_cookie("lang", "vi")
    label = client.get(f"/producer/parts/{part_id}/label").get_data(as_text=True)
    assert "12 Sejong-daero<br>Seoul 03154<br>" in label and "HÀN QUỐC · SOUTH KOREA" in label


def test_a_foreign_contact_number_with_its_country_code_is_accepted(client, catalog):
    _add(client, catalog["tea"].variants[0].id)
    client.get("/?lang=en")
    page = client.get("/checkout").get_data(as_text=True)
    assert "A number outside Vietnam starts with + and its country code." in page
    response = checkout_details(client, **CONTACT, sales_point=str(catalog["point"].id))
    assert response.headers["Location"].endswith("/checkout/confirm")
    # The recipient abroad defaults to the contact's foreign number.
    assert re.search(r'id="abroad_phone"[^>]*value="\+821098765432"', client.get("/checkout").get_data(as_text=True))


def test_choosing_pickup_after_an_address_abroad_offers_cash_at_the_point_again(client, catalog):
    _add(client, catalog["honey"].variants[0].id)
    _contact(client)
    _deliver(client)  # refused: honey stays in Vietnam
    checkout_details(client, **CONTACT, method="pickup", sales_point=str(catalog["point"].id), country="KR")
    assert 'value="cash_at_pickup"' in client.get("/checkout/confirm").get_data(as_text=True)
    _pay(client, "cash_at_pickup")
    order = db.session.scalar(select(Order))
    assert (order.delivery_method, order.country_code, order.shipping_vnd) == ("pickup", "VN", 0)


def test_the_cart_tells_a_foreign_reader_early_which_items_stay_in_vietnam(client, catalog):
    _add(client, catalog["tea"].variants[0].id, 1)
    _add(client, catalog["honey"].variants[0].id, 1)
    english = client.get("/cart?lang=en").get_data(as_text=True)
    assert english.count("Pickup or delivery in Vietnam only") == 1
    assert "food of animal origin and honey are banned from parcels by many countries" in english
    vietnamese = client.get("/cart?lang=vi").get_data(as_text=True)
    assert "stays-in-vietnam" not in vietnamese
