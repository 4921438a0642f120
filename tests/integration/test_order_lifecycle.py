"""The doors of the order lifecycle: one lock for every write, one move that keeps stock, timeline and status."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.orders.lifecycle import lock_order, move_part, move_parts
from shop.orders.models import InvalidTransition, OrderEvent, OrderEventKind, OrderStatus, PartStatus as S
from tests.readback import fresh_order, stock_of


def _events(order_id: int) -> list[OrderEvent]:
    return list(db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)))


@pytest.fixture
def delivery_order(make_order, make_product, make_producer, put_stock):
    """A COD delivery of 2 units of a product its producer holds 10 of."""
    producer = make_producer()
    product = make_product(producer=producer, prices=(100_000,))
    put_stock(product.variants[0], producer, 10)
    order = make_order((product.variants[0], 2), delivery=True)
    return order.id, product.variants[0], producer


@pytest.mark.parametrize(("path", "order_status", "stock"), [
    ([S.ACCEPTED], OrderStatus.IN_PROGRESS, (10, 2)),
    ([S.ACCEPTED, S.PACKED], OrderStatus.IN_PROGRESS, (10, 2)),
    ([S.ACCEPTED, S.PACKED, S.SHIPPED], OrderStatus.SHIPPED, (8, 0)),  # the goods left the producer's store
    ([S.ACCEPTED, S.PACKED, S.SHIPPED, S.DELIVERED], OrderStatus.COMPLETED, (8, 0)),
    ([S.CANCELLED], OrderStatus.CANCELLED, (10, 0)),  # given up: back to free stock
    ([S.ACCEPTED, S.CANCELLED], OrderStatus.CANCELLED, (10, 0)),
])
def test_each_part_move_writes_one_timeline_line_and_refreshes_the_order(delivery_order, path, order_status, stock):
    order_id, variant, producer = delivery_order
    before = len(_events(order_id))
    for status in path:
        order = lock_order(order_id=order_id)
        part = order.parts[0]
        move_part(order, part, status, None, note="by hand")
        db.session.commit()

    events = _events(order_id)[before:]
    assert [(e.kind, e.data["status"], e.data["producer"], e.data["note"]) for e in events] == \
        [(OrderEventKind.PART_STATUS, str(s), part.producer_name, "by hand") for s in path]
    assert all(e.part_id == part.id for e in events)
    assert fresh_order(order_id).status == order_status
    assert stock_of(variant, producer) == stock


def test_a_move_the_route_does_not_allow_changes_nothing(delivery_order):
    order_id, variant, producer = delivery_order
    before = len(_events(order_id))
    order = lock_order(order_id=order_id)

    with pytest.raises(InvalidTransition):
        move_part(order, order.parts[0], S.SHIPPED, None)

    assert order.parts[0].status == S.NEW and order.status == OrderStatus.CONFIRMED
    db.session.commit()
    assert len(_events(order_id)) == before
    assert stock_of(variant, producer) == (10, 2)


def test_a_group_move_writes_one_line_for_the_order(make_order, make_product, make_producer, put_stock):
    items = []
    for _ in range(2):
        producer = make_producer()
        product = make_product(producer=producer, prices=(50_000,))
        put_stock(product.variants[0], producer, 5)
        items.append((product.variants[0], 1))
    order_id = make_order(*items, delivery=True).id
    before = len(_events(order_id))

    order = lock_order(order_id=order_id)
    assert len(order.parts) == 2
    move_parts(order, order.parts, S.CANCELLED, None, OrderEventKind.CANCELLED, reason="admin")
    db.session.commit()

    events = _events(order_id)[before:]
    assert [(e.kind, e.part_id, e.data) for e in events] == [(OrderEventKind.CANCELLED, None, {"reason": "admin"})]
    assert fresh_order(order_id).status == OrderStatus.CANCELLED


def test_an_order_is_locked_through_any_of_its_parts(delivery_order):
    order_id, _, _ = delivery_order
    part_id = fresh_order(order_id).parts[0].id

    order = lock_order(part_id=part_id)

    assert order.id == order_id and order.part(part_id) is not None
    db.session.rollback()
    assert lock_order(part_id=part_id + 1000) is None
    db.session.rollback()


def test_lock_order_takes_exactly_one_way_in(app):
    with pytest.raises(TypeError):
        lock_order()
    with pytest.raises(TypeError):
        lock_order(order_id=1, part_id=1)
