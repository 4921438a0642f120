"""What each parcel collects, and what an order still owes, as producers, the customer and the office see it.

The two defects of issue 11: cash on delivery with two producers collected the whole order on every parcel,
and a transfer order whose producer rejected its part still asked for the full total.
"""
from __future__ import annotations

import re
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from shop.auth.models import Role
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from shop.notifications.rendering import render
from shop.orders.models import Fulfillment, Order, PartStatus
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.payments import vietqr
from shop.payments.services import transfer_instructions
from tests.web.helpers import alerts, csrf_token


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("shop.auth.models.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


@pytest.fixture
def shop(two_producers_and_two_points, make_product, put_stock, make_user):
    """A's rice noodles at 90.000 ₫ and B's dried squid at 650.000 ₫ (500 g each), and the office."""
    state = two_producers_and_two_points
    state.rice = make_product(name="Bún gạo Đông Triều", producer=state.a, prices=(90_000,)).variants[0]
    state.dried_squid = make_product(name="Mực khô Cô Tô", producer=state.b, prices=(650_000,)).variants[0]
    put_stock(state.rice, state.a, 10)
    put_stock(state.dried_squid, state.b, 10)
    state.office = make_user(email="office@example.vn", name="Văn Phòng", role=Role.ADMIN)
    db.session.commit()
    return state


@pytest.fixture
def as_(app, login):
    """A new English-speaking visitor, logged in as the user (anonymous for None)."""
    def visit(user=None):
        client = app.test_client()
        client.set_cookie("lang", "en")
        if user is not None:
            assert login(client, user.email).status_code == 302
        return client
    return visit


def _post(client, url, **data):
    return client.post(url, data={"csrf_token": csrf_token(client, "/sales-points"), **data})


def _text(html: str) -> str:
    """What a reader sees: tags dropped, every run of spaces (the no-break space of 125.000 ₫ too) one space."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _alerts(client, url) -> list[str]:
    return [_text(alert) for alert in alerts(client.get(url).get_data(as_text=True))]


def _fresh(model, id_):
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(model, id_)


def _mails(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))


# ---- cash on delivery with two producers ---------------------------------------------------------

@pytest.fixture
def cod(shop, make_order):
    """180.000 ₫ of A's noodles (2 × 90.000) + 650.000 ₫ of B's squid + 30.000 ₫ delivery, cash on delivery."""
    order = make_order((shop.rice, 2), (shop.dried_squid, 1), delivery=True, language="en")
    part_a = next(p for p in order.parts if p.producer_id == shop.a.id)
    part_b = next(p for p in order.parts if p.producer_id == shop.b.id)
    return SimpleNamespace(order=order, a=part_a.id, b=part_b.id)


def _ship(client, part_id):
    for step, data in (("accept", {}), ("packed", {}), ("shipped", {"carrier": "GHN", "tracking_number": f"G{part_id}"})):
        _post(client, f"/producer/parts/{part_id}/{step}", **data)


def test_each_cod_parcel_collects_its_own_goods_and_only_the_first_carries_the_delivery_fee(as_, shop, cod):
    assert (cod.order.subtotal_vnd, cod.order.shipping_vnd, cod.order.total_vnd) == (830_000, 30_000, 860_000)

    client = as_(shop.user_a)
    label_a = _text(client.get(f"/producer/parts/{cod.a}/label").get_data(as_text=True))
    page_a = _text(client.get(f"/producer/parts/{cod.a}").get_data(as_text=True))
    assert "Collect: 210,000 ₫" in label_a and "860,000" not in label_a
    assert "Collect in cash on delivery: 210,000 ₫" in page_a
    assert "The goods of this parcel (180,000 ₫) and the order's delivery fee (30,000 ₫)." in page_a

    client = as_(shop.user_b)
    label_b = _text(client.get(f"/producer/parts/{cod.b}/label").get_data(as_text=True))
    page_b = _text(client.get(f"/producer/parts/{cod.b}").get_data(as_text=True))
    assert "Collect: 650,000 ₫" in label_b and "860,000" not in label_b
    assert "Collect in cash on delivery: 650,000 ₫" in page_b and "delivery fee" not in page_b


def test_a_cod_parcel_takes_only_its_own_cash_and_the_order_is_paid_when_every_parcel_brought_its_cash(
        as_, shop, cod):
    client = as_(shop.user_a)
    _ship(client, cod.a)

    _post(client, f"/producer/parts/{cod.a}/delivered", cod_received_vnd="860.000")
    assert ("The cash received (860,000 ₫) must be exactly the amount to collect (210,000 ₫)."
            in _alerts(client, f"/producer/parts/{cod.a}"))
    assert _fresh(Fulfillment, cod.a).status == PartStatus.SHIPPED

    _post(client, f"/producer/parts/{cod.a}/delivered", cod_received_vnd="210.000")
    part_a = _fresh(Fulfillment, cod.a)
    assert (part_a.status, part_a.collected_vnd) == (PartStatus.DELIVERED, 210_000)
    payment = _fresh(Order, cod.order.id).payment
    assert payment.status == PaymentStatus.PENDING  # B's parcel has not brought its cash yet
    assert "Cash collected for this parcel: 210,000 ₫" in _text(client.get(f"/producer/parts/{cod.a}").get_data(as_text=True))

    client = as_(shop.user_b)
    assert "Collect in cash on delivery: 650,000 ₫" in _text(client.get(f"/producer/parts/{cod.b}").get_data(as_text=True))
    _ship(client, cod.b)
    _post(client, f"/producer/parts/{cod.b}/delivered", cod_received_vnd="650000")

    order = _fresh(Order, cod.order.id)
    assert [(p.id, p.collected_vnd) for p in order.parts] == [(cod.a, 210_000), (cod.b, 650_000)]
    assert (order.payment.status, order.payment.received_vnd) == (PaymentStatus.PAID, 860_000)
    assert order.status == "completed"


def test_when_a_cod_part_is_rejected_the_others_collect_their_own_and_the_fee_moves_on(as_, shop, cod):
    """A carries the fee and rejects its part before anything left: B's parcel collects the fee with its goods."""
    client = as_(shop.user_a)
    _post(client, f"/producer/parts/{cod.a}/reject", reason="Hết hàng")

    client = as_(shop.user_b)
    label_b = _text(client.get(f"/producer/parts/{cod.b}/label").get_data(as_text=True))
    assert "Collect: 680,000 ₫" in label_b
    _ship(client, cod.b)
    _post(client, f"/producer/parts/{cod.b}/delivered", cod_received_vnd="680.000")

    order = _fresh(Order, cod.order.id)
    assert (order.payment.status, order.payment.received_vnd) == (PaymentStatus.PAID, 680_000)


def test_a_cod_order_is_paid_when_the_part_still_owing_is_rejected_after_the_other_brought_its_cash(
        as_, shop, cod):
    client = as_(shop.user_b)
    _ship(client, cod.b)
    _post(client, f"/producer/parts/{cod.b}/delivered", cod_received_vnd="650.000")
    assert _fresh(Order, cod.order.id).payment.status == PaymentStatus.PENDING

    client = as_(shop.user_a)
    _post(client, f"/producer/parts/{cod.a}/reject", reason="Hết hàng")

    order = _fresh(Order, cod.order.id)
    # B's cash was in: the fee could not be collected any more and is not asked; A's goods never are.
    assert (order.payment.status, order.payment.received_vnd) == (PaymentStatus.PAID, 650_000)
    assert order.status == "completed"


# ---- a transfer order after a producer rejects its part ---------------------------------------------

@pytest.fixture
def transfer(shop, make_order):
    """A pickup order at P paid by VietQR: 1 × A's noodles (90.000 ₫) + 1 × B's squid (650.000 ₫) = 740.000 ₫."""
    order = make_order((shop.rice, 1), (shop.dried_squid, 1), point=shop.p, payment=PaymentMethod.VIETQR_TRANSFER,
                       language="en")
    part_b = next(p for p in order.parts if p.producer_id == shop.b.id)
    return SimpleNamespace(order=order, b=part_b.id, url=f"/orders/{order.number}?t={order.access_token}")


def _qr_amount(payload: str) -> str:
    return vietqr.parse(payload)["54"]


def test_after_a_rejection_the_order_page_the_qr_the_email_and_the_office_ask_for_what_remains(
        as_, shop, transfer, app):
    order = transfer.order
    assert order.total_vnd == 740_000
    client = as_(shop.user_b)
    _post(client, f"/producer/parts/{transfer.b}/reject", reason="Sold out")

    client = as_()
    page = client.get(transfer.url).get_data(as_text=True)
    with app.test_request_context():
        now_qr, old_qr = transfer_instructions(order.number, 90_000), transfer_instructions(order.number, 740_000)
    assert _qr_amount(now_qr.payload) == "90000"
    assert now_qr.qr_svg() in page and old_qr.qr_svg() not in page
    text = _text(page)
    assert "Amount 90,000 ₫" in text and "Removed from the order −650,000 ₫" in text and "New total 90,000 ₫" in text
    assert "Still to pay" not in text  # nothing paid yet: the new total is what is due

    customer, office = _mails("part_rejected")
    assert _qr_amount(customer.payload["vietqr"]["payload"]) == "90000"
    assert office.payload["vietqr"] is None
    mail = render(customer)
    body = _text(mail.get_body(("plain",)).get_content())
    assert "Your order now costs 90,000 ₫. Please pay this new amount by bank transfer." in body
    assert "Amount: 90,000 ₫" in body and "740,000" not in body
    assert any(part.get_filename() == f"VietQR-{order.number}.png" for part in mail.walk())

    client = as_(shop.office)
    desk = _text(client.get("/admin/transfers").get_data(as_text=True))
    assert f"{order.number}" in desk and "90,000 ₫ ordered: 740,000 ₫" in desk
    _post(client, f"/admin/transfers/{order.number}", amount="740.000", reference="FT1")
    assert ("The amount received (740,000 ₫) does not match the amount due (90,000 ₫)."
            in _alerts(client, "/admin/transfers"))
    assert _fresh(Order, order.id).payment.status == PaymentStatus.PENDING

    _post(client, f"/admin/transfers/{order.number}", amount="90.000", reference="FT2")
    paid = _fresh(Order, order.id)
    assert (paid.payment.status, paid.payment.received_vnd, paid.status) == (PaymentStatus.PAID, 90_000, "confirmed")
    assert "No refund is owed right now." in _text(client.get("/admin/transfers").get_data(as_text=True))


def test_money_received_for_a_part_rejected_after_payment_is_a_refund_owed_shown_to_the_office(
        as_, shop, transfer):
    from shop.payments.transfers import record_transfer

    order = transfer.order
    record_transfer(order.id, 740_000, "FT9", shop.office)
    client = as_(shop.user_b)
    _post(client, f"/producer/parts/{transfer.b}/reject", reason="Sold out")

    customer_mail, _ = _mails("part_rejected")
    assert customer_mail.payload["vietqr"] is None
    assert ("650,000 ₫ paid for these products will be refunded"
            in _text(render(customer_mail).get_body(("plain",)).get_content()))
    client = as_()
    page = _text(client.get(transfer.url).get_data(as_text=True))
    assert "To be refunded to you 650,000 ₫" in page and "Pay by bank transfer" not in page

    client = as_(shop.office)
    html = client.get("/admin/refunds-owed").get_data(as_text=True)
    rows = [_text(row) for row in re.findall(r'<tr class="refund-owed">(.*?)</tr>', html, re.S)]
    assert len(rows) == 1 and order.number in rows[0] and "650,000 ₫ received: 740,000 ₫" in rows[0]


# ---- cash at pickup after a rejection ------------------------------------------------------------

def test_the_desk_asks_for_the_goods_left_after_a_rejection_and_takes_exactly_that(as_, shop, make_order):
    from shop.desk import receiving
    from shop.fulfillment import services as producer

    order = make_order((shop.rice, 1), (shop.dried_squid, 1), point=shop.p, language="en")
    part_a = next(p for p in order.parts if p.producer_id == shop.a.id)
    part_b = next(p for p in order.parts if p.producer_id == shop.b.id)
    producer.reject_part(part_b.id, shop.user_b, "Sold out")
    for step in (producer.accept_part, producer.mark_packed, producer.mark_sent_to_point):
        step(part_a.id, shop.user_a)
    receiving.receive_parcel(shop.p.id, str(part_a.id), shop.staff_p)

    desk = as_(shop.staff_p)
    assert "Cash to collect: 90,000 ₫" in _text(desk.get(f"/desk/orders/{order.number}").get_data(as_text=True))
    page = _text(desk.post("/desk/pickup", data={"csrf_token": csrf_token(desk, "/desk/pickup"),
                                                 "code": order.pickup_code}).get_data(as_text=True))
    assert "Cash to collect: 90,000 ₫" in page and "740,000" not in page
    desk.post("/desk/pickup/confirm", data={"csrf_token": csrf_token(desk, "/desk/pickup"), "code": order.pickup_code,
                                            "identity": "1", "tendered": "100.000"})
    paid = _fresh(Order, order.id)
    assert (paid.payment.status, paid.payment.received_vnd, paid.payment.tendered_vnd) == (PaymentStatus.PAID, 90_000,
                                                                                           100_000)
    assert paid.status == "completed"
