"""A few demo orders in different states, made through the shop's own services so every record agrees.

Each order has a fixed checkout key, so placing it again returns the same order; then it is moved on
only as far as it has not gone yet. Starting twice creates nothing twice.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from shop.auth.models import User
from shop.cart import services as cart
from shop.checkout.services import CheckoutData, existing_order, place_order
from shop.demo.accounts import CUSTOMER, DESK, PRODUCER, check_development, demo_variants
from shop.desk.handover import hand_over
from shop.desk.receiving import receive_parcel
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.orders.codes import part_label_code
from shop.orders.models import DeliveryMethod, Order, PartStatus
from shop.account.cancelling import cancel_by_customer
from shop.orders.payment import PaymentMethod
from shop.reviews import services as reviews
from shop.sales_points.models import SalesPoint

S = PartStatus
#: The way of a parcel from the producer to the customer's hands at the point, in order.
PICKUP_WAY = [S.NEW, S.ACCEPTED, S.PACKED, S.SENT_TO_POINT, S.READY, S.COLLECTED]


@dataclass(frozen=True)
class DemoOrder:
    key: str  #: the checkout key: the same key always gives the same order
    says: str  #: what the printed list says of it
    goal: PartStatus  #: how far its part goes
    payment: PaymentMethod = PaymentMethod.CASH_AT_PICKUP
    #: The demo customer's rating and words once they have the goods (a collected order only).
    review: tuple[int, str] | None = None


DEMO_ORDERS = [
    DemoOrder("demo-new", "new: the producer has not accepted it yet", S.NEW),
    DemoOrder("demo-packed", "accepted and packed at the producer", S.PACKED),
    DemoOrder("demo-sent", "on its way to the point", S.SENT_TO_POINT),
    DemoOrder("demo-ready", "ready at the point", S.READY),
    DemoOrder("demo-collected", "collected and paid in cash; the customer reviewed it", S.COLLECTED,
              review=(4, "Demo: hàng đóng gói cẩn thận, nhận tại điểm bán đúng hẹn.")),
    DemoOrder("demo-cancelled", "cancelled by the customer", S.CANCELLED),
    DemoOrder("demo-transfer", "waiting for its VietQR transfer", S.NEW, PaymentMethod.VIETQR_TRANSFER),
]


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _place(demo: DemoOrder, position: int, customer: User, point: SalesPoint, producer_id: int) -> Order | None:
    order = existing_order(demo.key)
    if order is not None:
        return order
    variants = demo_variants(producer_id, point)
    if not variants:
        return None
    basket = cart.add_item(None, variants[position % len(variants)].id, 1)
    data = CheckoutData(name=customer.name, email=customer.email, phone="+84912345678", language=customer.language,
                        delivery=DeliveryMethod.PICKUP, payment=demo.payment, sales_point_id=point.id,
                        data_consent=True)
    return place_order(basket.id, data, demo.key, None, user=customer)


def _move_on(order: Order, goal: PartStatus, producer_user: User, staff: User) -> None:
    """Take the order's one parcel, step by step, as far as goal, through the services each role uses."""
    steps = {
        S.NEW: lambda part: producer.accept_part(part.id, producer_user),
        S.ACCEPTED: lambda part: producer.mark_packed(part.id, producer_user),
        S.PACKED: lambda part: producer.mark_sent_to_point(part.id, producer_user, "Demo: xe khách, 1 thùng"),
        S.SENT_TO_POINT: lambda part: receive_parcel(order.sales_point_id, part_label_code(part.id), staff),
        S.READY: lambda _part: hand_over(order.sales_point_id, order.pickup_code, staff, identity_checked=True,
                                         tendered_vnd=-(-order.total_vnd // 100_000) * 100_000),
    }
    for _ in PICKUP_WAY:
        db.session.expire_all()
        [part] = order.parts
        if part.status == goal:
            return
        if goal == S.CANCELLED and part.status == S.NEW:
            cancel_by_customer(order.id)
        elif goal in PICKUP_WAY and part.status in steps and PICKUP_WAY.index(part.status) < PICKUP_WAY.index(goal):
            steps[part.status](part)
        else:
            return  # somebody took it elsewhere by hand: leave it there


def ensure_demo_orders() -> list[tuple[DemoOrder, Order]]:
    """Place and move on the demo orders of the demo customer at the demo desk's point; return them."""
    check_development()
    customer, producer_user, staff = _user(CUSTOMER), _user(PRODUCER), _user(DESK)
    if None in (customer, producer_user, staff):
        return []
    point = db.session.get(SalesPoint, staff.sales_point_id)
    made = []
    for position, demo in enumerate(DEMO_ORDERS):
        order = _place(demo, position, customer, point, producer_user.producer_id)
        if order is None:
            continue
        _move_on(order, demo.goal, producer_user, staff)
        order = db.session.get(Order, order.id)
        if demo.review:
            _review(order, *demo.review)
        made.append((demo, order))
    return made


def _review(order: Order, rating: int, text: str) -> None:
    """The demo customer's review of what they collected, written through the buyer's own path, once.

    Only a collected demo order has one: the shop never shows a rating nobody gave for goods nobody got.
    """
    rows = [row for row in reviews.order_review_rows(order) if row.received and row.review is None]
    for row in rows:
        reviews.write_review(order.id, row.line.id, rating=rating, body=text, photo=None, language=order.language,
                             author_name=order.contact_name)
