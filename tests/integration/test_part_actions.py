"""What producers do to their order parts: each allowed move, the refused ones, rejection, COD, notifications."""
from __future__ import annotations


import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.fulfillment import services
from shop.fulfillment.services import AwaitingPayment, MoveNotAllowed, PartNotFound, ReasonRequired, TrackingRequired
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.notifications.rendering import render
from shop.orders.models import Order, OrderEvent, OrderStatus, PartStatus, Route
from shop.account.cancelling import cancel_by_customer
from shop.payments.errors import CashMismatch
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.payments.transfers import expire_unpaid_transfers

@pytest.fixture
def farm(two_producers_and_two_points):
    """Producer A with its user user_a, producer B with its user user_b (and their products, points, staff)."""
    return two_producers_and_two_points


def _part(order: Order, producer) -> int:
    return next(p.id for p in order.parts if p.producer_id == producer.id)


def _fresh(part_id: int):
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(services.Fulfillment, part_id)


def _events(part_id: int) -> list[dict]:
    return [e.data for e in db.session.scalars(select(OrderEvent).where(OrderEvent.part_id == part_id)
                                               .order_by(OrderEvent.id))]


def _messages(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)))


def _allocated(variant_id: int) -> int:
    return db.session.scalar(select(Stock.allocated).where(Stock.variant_id == variant_id))


# ---- allowed moves ------------------------------------------------------------------------------

def test_via_point_part_is_accepted_packed_and_sent_with_events_timestamps_and_order_status(farm, make_order):
    order = make_order(producer=farm.a)
    part_id = _part(order, farm.a)

    services.accept_part(part_id, farm.user_a)
    assert _fresh(part_id).accepted_at is not None
    assert db.session.get(Order, order.id).status == OrderStatus.IN_PROGRESS
    services.mark_packed(part_id, farm.user_a)
    services.mark_sent_to_point(part_id, farm.user_a, "  2 thùng, anh Tùng chở  ")

    part = _fresh(part_id)
    assert part.status == PartStatus.SENT_TO_POINT and part.route == Route.VIA_POINT
    assert part.packed_at is not None and part.sent_at is not None
    assert part.handover_note == "2 thùng, anh Tùng chở"
    assert [(e["producer"], e["status"]) for e in _events(part_id)] == [
        ("HTX Miến dong Bình Liêu", "accepted"), ("HTX Miến dong Bình Liêu", "packed"),
        ("HTX Miến dong Bình Liêu", "sent_to_point")]
    event = db.session.scalars(select(OrderEvent).where(OrderEvent.part_id == part_id).order_by(OrderEvent.id)).first()
    assert event.kind == "part_status" and event.actor_user_id == farm.user_a.id and event.actor_label == "an@htx.vn"


def test_delivery_part_is_shipped_then_delivered_with_the_cod_cash_recorded(farm, make_order):
    order = make_order(producer=farm.a, delivery=True)
    part_id = _part(order, farm.a)
    due = order.total_vnd

    services.accept_part(part_id, farm.user_a)
    services.mark_packed(part_id, farm.user_a)
    services.mark_shipped(part_id, farm.user_a, "Viettel Post", "VTP123456")
    assert db.session.get(Order, order.id).status == OrderStatus.SHIPPED
    services.mark_delivered(part_id, farm.user_a, cod_received_vnd=due)

    part = _fresh(part_id)
    assert (part.status, part.carrier, part.tracking_number) == (PartStatus.DELIVERED, "Viettel Post", "VTP123456")
    assert part.closed_at is not None
    order = db.session.get(Order, order.id)
    assert order.status == OrderStatus.COMPLETED
    payment = order.payment
    assert (payment.status, payment.received_vnd, payment.recorded_by_id) == (PaymentStatus.PAID, due, farm.user_a.id)
    assert any(e.kind == "payment_received" for e in order.events)


def _on_hand(variant_id: int) -> tuple[int, int]:
    row = db.session.execute(select(Stock.quantity, Stock.allocated).where(Stock.variant_id == variant_id)).one()
    return tuple(row)


@pytest.mark.parametrize("delivery", [False, True])
def test_units_leave_the_producers_on_hand_stock_when_the_parcel_leaves(farm, make_order, delivery):
    """Packed goods are still the producer's; sent or shipped, they are gone from its shelf and its books."""
    order = make_order(producer=farm.a, quantity=3, delivery=delivery)
    part_id = _part(order, farm.a)
    variant_id = order.lines[0].variant_id
    assert _on_hand(variant_id) == (10, 3)

    services.accept_part(part_id, farm.user_a)
    services.mark_packed(part_id, farm.user_a)
    db.session.rollback()
    assert _on_hand(variant_id) == (10, 3)
    if delivery:
        services.mark_shipped(part_id, farm.user_a, "Viettel Post", "VTP1")
    else:
        services.mark_sent_to_point(part_id, farm.user_a)
    db.session.rollback()
    assert _on_hand(variant_id) == (7, 0)


@pytest.mark.parametrize("received", [None, 1, 10_000_000])
def test_cod_delivery_with_a_wrong_or_missing_amount_is_refused_and_changes_nothing(farm, make_order, received):
    order = make_order(producer=farm.a, delivery=True)
    part_id = _part(order, farm.a)
    services.accept_part(part_id, farm.user_a)
    services.mark_packed(part_id, farm.user_a)
    services.mark_shipped(part_id, farm.user_a, "GHN", "GHN1")

    with pytest.raises(CashMismatch):
        services.mark_delivered(part_id, farm.user_a, cod_received_vnd=received)

    assert _fresh(part_id).status == PartStatus.SHIPPED
    assert db.session.get(Order, order.id).payment.status == PaymentStatus.PENDING
    assert len(_events(part_id)) == 3


def test_shipping_needs_a_carrier_and_a_tracking_number(farm, make_order):
    part_id = _part(order := make_order(producer=farm.a, delivery=True), farm.a)
    services.accept_part(part_id, farm.user_a)
    services.mark_packed(part_id, farm.user_a)

    with pytest.raises(TrackingRequired):
        services.mark_shipped(part_id, farm.user_a, "Viettel Post", "  ")
    assert _fresh(part_id).status == PartStatus.PACKED and order.number


# ---- refused moves --------------------------------------------------------------------------------

@pytest.mark.parametrize("delivery, steps, refused", [
    (False, [], lambda p, u: services.mark_packed(p, u)),                                   # pack before accept
    (False, ["accept"], lambda p, u: services.accept_part(p, u)),                           # accept twice
    (False, ["accept", "pack"], lambda p, u: services.mark_shipped(p, u, "GHN", "1")),      # ship a via_point part
    (True, ["accept", "pack"], lambda p, u: services.mark_sent_to_point(p, u, "")),         # send a delivery part to a point
    (True, ["accept", "pack"], lambda p, u: services.mark_delivered(p, u, 1)),              # deliver before shipping
    (False, [], lambda p, u: services.mark_sent_to_point(p, u, "")),                        # send before packing
    (False, ["accept", "pack"], lambda p, u: services.reject_part(p, u, "hết hàng")),       # reject once packed
])
def test_illegal_moves_are_refused_and_change_nothing(farm, make_order, delivery, steps, refused):
    part_id = _part(make_order(producer=farm.a, delivery=delivery), farm.a)
    for step in steps:
        {"accept": services.accept_part, "pack": services.mark_packed}[step](part_id, farm.user_a)
    before = _fresh(part_id).status

    with pytest.raises(MoveNotAllowed):
        refused(part_id, farm.user_a)

    assert _fresh(part_id).status == before
    assert len(_events(part_id)) == len(steps)


def test_the_refusal_names_the_parts_current_status(farm, make_order, app):
    part_id = _part(make_order(producer=farm.a), farm.a)
    with app.test_request_context("/?lang=en"), pytest.raises(MoveNotAllowed, match="“Received”"):
        services.mark_packed(part_id, farm.user_a)


def test_a_transfer_order_is_not_accepted_before_the_money_arrives(farm, make_order):
    part_id = _part(make_order(producer=farm.a, payment=PaymentMethod.VIETQR_TRANSFER), farm.a)

    with pytest.raises(AwaitingPayment):
        services.accept_part(part_id, farm.user_a)
    assert _fresh(part_id).status == PartStatus.NEW


# ---- ownership ----------------------------------------------------------------------------------

@pytest.mark.parametrize("action", [
    lambda p, u: services.accept_part(p, u),
    lambda p, u: services.reject_part(p, u, "không phải của tôi"),
    lambda p, u: services.mark_packed(p, u),
    lambda p, u: services.mark_sent_to_point(p, u, ""),
    lambda p, u: services.mark_shipped(p, u, "GHN", "1"),
    lambda p, u: services.mark_delivered(p, u, 1),
])
def test_a_producer_cannot_act_on_another_producers_part(farm, make_order, action):
    part_id = _part(make_order(producer=farm.a), farm.a)

    with pytest.raises(PartNotFound):
        action(part_id, farm.user_b)
    with pytest.raises(PartNotFound):
        action(part_id + 1000, farm.user_a)
    assert _fresh(part_id).status == PartStatus.NEW and _events(part_id) == []


def test_a_part_served_from_a_points_own_stock_is_not_the_producers(farm, make_order, make_product, make_sales_point,
                                                                      put_stock):
    point = make_sales_point()
    product = make_product(producer=farm.a)
    put_stock(product.variants[0], point, 5)
    order = make_order((product.variants[0], 1), point=point)
    part = order.parts[0]
    assert part.route == Route.POINT_STOCK

    with pytest.raises(PartNotFound):
        services.accept_part(part.id, farm.user_a)
    assert services.dashboard(farm.a.id)["to_accept"] == []
    assert _messages("part_new") == []


# ---- rejection ----------------------------------------------------------------------------------

def test_reject_cancels_the_part_releases_its_stock_tells_customer_and_office_and_the_rest_goes_on(
        farm, make_order, make_product, put_stock, app):
    noodles, squid = make_product(producer=farm.a), make_product(producer=farm.b, prices=(350_000,))
    put_stock(noodles.variants[0], farm.a, 10)
    put_stock(squid.variants[0], farm.b, 10)
    order = make_order((noodles.variants[0], 3), (squid.variants[0], 1))
    part_a, part_b = _part(order, farm.a), _part(order, farm.b)
    assert _allocated(noodles.variants[0].id) == 3

    services.reject_part(part_a, farm.user_a, "  Hết hàng vụ này  ")

    part = _fresh(part_a)
    assert part.status == PartStatus.CANCELLED and part.cancel_reason == "Hết hàng vụ này" and part.closed_at
    assert _allocated(noodles.variants[0].id) == 0 and _allocated(squid.variants[0].id) == 1
    assert db.session.get(services.Fulfillment, part_b).status == PartStatus.NEW
    order = db.session.get(Order, order.id)
    assert order.status == OrderStatus.CONFIRMED and order.payment.status == PaymentStatus.PENDING
    services.accept_part(part_b, farm.user_b)  # the rest of the order goes on

    to_customer, to_office = _messages("part_rejected")
    assert to_customer.recipient == "khach@example.vn" and not to_customer.payload["for_office"]
    assert to_office.recipient == app.config["OPERATOR_EMAIL"] and to_office.payload["for_office"]
    assert to_office.payload["reason"] == "Hết hàng vụ này"
    assert _events(part_a)[0] == {"producer": "HTX Miến dong Bình Liêu", "status": "cancelled",
                                  "reason": "Hết hàng vụ này"}


def test_rejecting_the_only_part_cancels_the_order(farm, make_order):
    order = make_order(producer=farm.a, delivery=True)
    services.reject_part(_part(order, farm.a), farm.user_a, "Hỏng máy đóng gói")

    order = db.session.get(Order, order.id)
    assert order.status == OrderStatus.CANCELLED and order.payment.status == PaymentStatus.FAILED
    assert _messages("part_rejected")[0].payload["order_cancelled"] is True


def test_reject_needs_a_reason(farm, make_order):
    part_id = _part(make_order(producer=farm.a), farm.a)
    with pytest.raises(ReasonRequired):
        services.reject_part(part_id, farm.user_a, "   ")
    assert _fresh(part_id).status == PartStatus.NEW


def test_after_a_rejection_cod_collects_only_what_remains(farm, make_order, make_product, put_stock):
    noodles, squid = make_product(producer=farm.a, prices=(100_000,)), make_product(producer=farm.b, prices=(300_000,))
    put_stock(noodles.variants[0], farm.a, 10)
    put_stock(squid.variants[0], farm.b, 10)
    order = make_order((noodles.variants[0], 1), (squid.variants[0], 1), delivery=True)
    services.reject_part(_part(order, farm.b), farm.user_b, "Hết hàng")

    order = db.session.get(Order, order.id)
    part_a, part_b = order.part(_part(order, farm.a)), order.part(_part(order, farm.b))
    assert services.cash_to_collect(part_a) == order.total_vnd - 300_000
    assert services.cash_to_collect(part_b) == 0


# ---- notifications ------------------------------------------------------------------------------

def test_part_new_is_queued_for_every_active_user_of_each_producer_on_placement(farm, make_order, producer_user):
    second = producer_user(farm.a, email="chi@htx.vn", language="en")
    producer_user(farm.a, email="cu@htx.vn", is_active=False)
    db.session.commit()
    order = make_order((farm.noodles, 2), (farm.squid, 1))

    messages = _messages("part_new")
    assert sorted((m.recipient, m.language) for m in messages) == [
        ("an@htx.vn", "vi"), ("binh@manhhai.vn", "en"), ("chi@htx.vn", "en")]
    assert len({m.dedupe_key for m in messages}) == 3
    mine = next(m for m in messages if m.recipient == second.email)
    part_id = _part(order, farm.a)
    assert mine.payload["part_id"] == part_id and mine.payload["order_number"] == order.number
    assert mine.payload["part_url"].startswith("http") and mine.payload["part_url"].endswith(f"/producer/parts/{part_id}")
    assert mine.payload["lines"] == [{"product_name": "Miến dong Bình Liêu", "variant_label": "Gói 1",
                                      "sku": farm.noodles.sku, "quantity": 2}]
    assert order.sales_point_code in mine.payload["destination"]


def test_a_customer_cancellation_tells_the_producers_users(farm, make_order):
    order = make_order(producer=farm.a)
    cancel_by_customer(order.id)

    (message,) = _messages("part_cancelled")
    assert message.recipient == "an@htx.vn" and message.payload["reason"] == "customer"
    assert message.payload["part_id"] == order.parts[0].id


def test_an_expired_transfer_tells_the_producers_users(farm, make_order):
    import datetime as dt

    make_order(producer=farm.a, payment=PaymentMethod.VIETQR_TRANSFER)
    expire_unpaid_transfers(dt.datetime.now(dt.UTC) + dt.timedelta(days=30))

    (message,) = _messages("part_cancelled")
    assert message.payload["reason"] == "unpaid_transfer"


# ---- the e-mails as producers and customers read them --------------------------------------------

def test_part_new_e_mail_lists_the_products_destination_deadline_and_link(farm, make_order):
    order = make_order(producer=farm.a)
    mail = render(_messages("part_new")[0])
    text = mail.get_body(("plain",)).get_content()
    part_id = order.parts[0].id

    assert mail["Subject"] == f"Phần đơn hàng mới #{part_id} (đơn hàng {order.number})"
    assert f"HTX Miến dong Bình Liêu có phần đơn hàng mới cần chuẩn bị: phần #{part_id}" in text
    assert "2 × Miến dong Bình Liêu (Gói 1)" in text
    assert f"Nơi nhận: {order.sales_point_code}" in text
    assert "trong vòng 24 giờ" in text
    assert f"/producer/parts/{part_id}" in text
    assert f'/producer/parts/{part_id}"' in mail.get_body(("html",)).get_content()


def test_part_new_e_mail_in_english_for_a_transfer_order_says_to_wait_for_the_money(farm, make_order, producer_user):
    producer_user(farm.a, email="eve@htx.vn", language="en")
    db.session.commit()
    make_order(producer=farm.a, payment=PaymentMethod.VIETQR_TRANSFER)
    message = next(m for m in _messages("part_new") if m.recipient == "eve@htx.vn")
    text = render(message).get_body(("plain",)).get_content()

    assert "wait until the payment is recorded" in text and "within 24 hours" not in text


def test_part_cancelled_e_mail_says_not_to_send_and_why(farm, make_order):
    order = make_order(producer=farm.a)
    cancel_by_customer(order.id)
    mail = render(_messages("part_cancelled")[0])
    text = mail.get_body(("plain",)).get_content()

    assert mail["Subject"] == f"Phần đơn hàng #{order.parts[0].id} đã bị hủy (đơn hàng {order.number})"
    assert "vui lòng không chuẩn bị hoặc gửi đi." in text and "Khách hàng đã hủy đơn hàng." in text


def test_part_rejected_e_mails_tell_the_customer_what_was_removed_and_the_office_why(farm, make_order, make_product,
                                                                                     put_stock):
    noodles, squid = make_product(producer=farm.a, name="Miến dong"), make_product(producer=farm.b, name="Chả mực")
    put_stock(noodles.variants[0], farm.a, 10)
    put_stock(squid.variants[0], farm.b, 10)
    order = make_order((noodles.variants[0], 1), (squid.variants[0], 1), language="en")
    services.reject_part(_part(order, farm.a), farm.user_a, "Out of stock this season")
    customer, office = (render(m) for m in _messages("part_rejected"))

    text = customer.get_body(("plain",)).get_content()
    assert customer["Subject"] == f"Order {order.number}: some products cannot be supplied"
    assert "HTX Miến dong Bình Liêu cannot supply these products" in text and "1 × Miến dong (Gói 1)" in text
    assert "The rest of the order goes on as planned." in text and "You will not pay for the removed products." in text
    assert "Out of stock this season" not in text
    office_text = office.get_body(("plain",)).get_content()
    assert office["Content-Language"] == "vi" and "Out of stock this season" in office_text
    assert f"HTX Miến dong Bình Liêu đã từ chối phần #{_part(order, farm.a)} của đơn hàng {order.number}." in office_text
    assert "+84912345678" in office_text

