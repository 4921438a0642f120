"""An order keeps the names the customer read: a visitor in English sees English names after paying too."""
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order


def test_the_order_keeps_the_english_names_and_shows_them_to_an_english_reader(
        app, client, make_product, make_sales_point, put_stock, make_order):
    product = make_product(name="Miến dong Bình Liêu", prices=(60_000,))
    product.i18n = {"en": {"name": "Binh Lieu glass noodles"}, "zh": {"name": "平辽粉丝"}}
    put_stock(product.variants[0], product.producer, 5)
    point = make_sales_point(name="Trung tâm OCOP Hạ Long")
    point.i18n = {"en": {"name": "Ha Long OCOP Centre"}}
    db.session.commit()

    order = make_order((product.variants[0], 1), point=point, language="en")
    # The catalog may be renamed later; the order keeps what the customer read.
    product.i18n = {"en": {"name": "Renamed"}}
    db.session.commit()

    page = client.get(f"/orders/{order.number}?t={order.access_token}&lang=en").get_data(as_text=True)
    assert "Binh Lieu glass noodles" in page and "Ha Long OCOP Centre" in page and "Renamed" not in page
    page_vi = client.get(f"/orders/{order.number}?t={order.access_token}&lang=vi").get_data(as_text=True)
    assert "Miến dong Bình Liêu" in page_vi and "Trung tâm OCOP Hạ Long" in page_vi
    page_ko = client.get(f"/orders/{order.number}?t={order.access_token}&lang=ko").get_data(as_text=True)
    assert "Miến dong Bình Liêu" in page_ko  # no Korean name: the Vietnamese one

    placed = db.session.scalar(db.select(OutboxMessage).where(OutboxMessage.kind == "order_placed"))
    assert placed.payload["lines"][0]["product_name"] == "Binh Lieu glass noodles"
    assert placed.payload["sales_point"]["name"] == "Ha Long OCOP Centre"
    stored = db.session.get(Order, order.id)
    assert stored.lines[0].product_name == "Miến dong Bình Liêu"  # the Vietnamese record stays as it was
    assert stored.lines[0].product_name_i18n == {"en": "Binh Lieu glass noodles", "zh": "平辽粉丝"}
