import shop.models  # noqa: F401  (every mapper known before a model is built)
import pytest

from shop.orders.models import InvalidTransition, OrderStatus, PartStatus as S, Route, allowed_moves
from shop.orders.status import derive_status
from shop.orders.payment import PaymentMethod as M, PaymentStatus as P


@pytest.mark.parametrize(("parts", "method", "payment", "expected"), [
    ([S.NEW, S.NEW], M.CASH_AT_PICKUP, P.PENDING, OrderStatus.CONFIRMED),
    ([S.NEW], M.VIETQR_TRANSFER, P.PENDING, OrderStatus.PENDING_PAYMENT),
    ([S.NEW], M.VIETQR_TRANSFER, P.PAID, OrderStatus.CONFIRMED),
    ([S.ACCEPTED, S.NEW], M.COD, P.PENDING, OrderStatus.IN_PROGRESS),
    ([S.READY, S.READY], M.CASH_AT_PICKUP, P.PENDING, OrderStatus.READY_FOR_PICKUP),
    ([S.READY, S.AT_POINT], M.CASH_AT_PICKUP, P.PENDING, OrderStatus.IN_PROGRESS),
    ([S.READY, S.CANCELLED], M.CASH_AT_PICKUP, P.PENDING, OrderStatus.READY_FOR_PICKUP),
    ([S.SHIPPED, S.DELIVERED], M.COD, P.PENDING, OrderStatus.SHIPPED),
    ([S.COLLECTED, S.COLLECTED], M.CASH_AT_PICKUP, P.PAID, OrderStatus.COMPLETED),
    ([S.DELIVERED, S.CANCELLED], M.COD, P.PAID, OrderStatus.COMPLETED),
    ([S.CANCELLED, S.CANCELLED], M.VIETQR_TRANSFER, P.PENDING, OrderStatus.CANCELLED),
    ([S.CANCELLED], M.VIETQR_TRANSFER, P.REFUNDED, OrderStatus.REFUNDED),
])
def test_order_status_is_derived_from_parts_and_payment(parts, method, payment, expected):
    assert derive_status(parts, method, payment) == expected


@pytest.mark.parametrize(("route", "path"), [
    (Route.VIA_POINT, [S.SENT_TO_POINT, S.AT_POINT, S.READY, S.COLLECTED]),
    (Route.POINT_STOCK, [S.NEW, S.AT_POINT, S.READY, S.COLLECTED]),
    (Route.DELIVERY, [S.NEW, S.ACCEPTED, S.PACKED, S.SHIPPED, S.DELIVERED]),
])
def test_each_route_allows_its_path_and_nothing_skips_a_step(route, path):
    for here, there in zip(path, path[1:]):
        assert there in allowed_moves(route, here)
    for i, here in enumerate(path[:-2]):
        assert path[i + 2] not in allowed_moves(route, here)


def test_a_parcel_in_the_points_hands_is_received_even_if_the_producer_did_not_say_sent():
    path = [S.NEW, S.ACCEPTED, S.PACKED, S.SENT_TO_POINT, S.AT_POINT]
    for here, there in zip(path, path[1:]):
        assert there in allowed_moves(Route.VIA_POINT, here)
    assert S.AT_POINT in allowed_moves(Route.VIA_POINT, S.ACCEPTED)
    assert S.AT_POINT in allowed_moves(Route.VIA_POINT, S.PACKED)
    # But never before the producer accepted it, and never straight to ready or collected.
    assert S.AT_POINT not in allowed_moves(Route.VIA_POINT, S.NEW)
    assert S.READY not in allowed_moves(Route.VIA_POINT, S.SENT_TO_POINT)
    assert S.COLLECTED not in allowed_moves(Route.VIA_POINT, S.AT_POINT)


@pytest.mark.parametrize(("route", "status", "held"), [
    (Route.VIA_POINT, S.PACKED, True), (Route.VIA_POINT, S.SENT_TO_POINT, False),
    (Route.DELIVERY, S.ACCEPTED, True), (Route.DELIVERY, S.SHIPPED, False),
    (Route.POINT_STOCK, S.READY, True), (Route.POINT_STOCK, S.COLLECTED, False),
    (Route.POINT_STOCK, S.UNCLAIMED, False), (Route.VIA_POINT, S.CANCELLED, False),
])
def test_units_stay_allocated_until_they_leave_their_source(route, status, held):
    from shop.orders.models import holds_allocation

    assert holds_allocation(route, status) is held


def test_cancel_is_allowed_until_the_goods_reach_the_customer():
    assert S.CANCELLED in allowed_moves(Route.VIA_POINT, S.AT_POINT)
    assert S.CANCELLED not in allowed_moves(Route.VIA_POINT, S.COLLECTED)
    assert S.CANCELLED not in allowed_moves(Route.DELIVERY, S.DELIVERED)
    assert S.UNCLAIMED in allowed_moves(Route.POINT_STOCK, S.READY)


def test_an_illegal_move_raises():
    from shop.orders.models import Fulfillment

    part = Fulfillment(route=Route.DELIVERY, status=S.NEW)
    with pytest.raises(InvalidTransition):
        part.move_to(S.SHIPPED)
    assert part.status == S.NEW
    part.move_to(S.ACCEPTED)
    assert part.status == S.ACCEPTED
