"""The small order rules that sit on the models, so pages and services ask them instead of re-deriving them."""
import shop.models  # noqa: F401  (every mapper known before a model is built)
import pytest

from shop.orders.codes import CODE_ALPHABET, CODE_LENGTH, new_pickup_code, normalize_code, parse_part_code, \
    part_label_code
from shop.orders.models import Fulfillment, Order, OrderStatus, PartStatus as S, Route


def _order(*statuses: S, route: Route = Route.VIA_POINT, status: OrderStatus = OrderStatus.IN_PROGRESS) -> Order:
    return Order(status=status, parts=[Fulfillment(id=n + 1, route=route, status=s) for n, s in enumerate(statuses)])


@pytest.mark.parametrize(("statuses", "may"), [
    ([S.NEW], True),
    ([S.NEW, S.ACCEPTED], True),
    ([S.ACCEPTED, S.CANCELLED], True),  # a rejected part does not stop the rest being cancelled
    ([S.NEW, S.PACKED], False),  # packed goods exist
    ([S.NEW, S.AT_POINT], False),  # put aside at the point
    ([S.CANCELLED, S.CANCELLED], False),  # nothing left to cancel
    ([S.READY], False),
    ([S.SHIPPED], False),
    ([S.NEW, S.UNCLAIMED], False),
])
def test_a_customer_may_cancel_only_while_nothing_is_packed_or_put_aside(statuses, may):
    assert _order(*statuses).customer_may_cancel is may


@pytest.mark.parametrize(("route", "status", "may"), [
    (Route.VIA_POINT, S.NEW, True),
    (Route.VIA_POINT, S.ACCEPTED, True),
    (Route.DELIVERY, S.NEW, True),
    (Route.DELIVERY, S.ACCEPTED, True),
    (Route.VIA_POINT, S.PACKED, False),
    (Route.DELIVERY, S.PACKED, False),
    (Route.VIA_POINT, S.SENT_TO_POINT, False),
    (Route.DELIVERY, S.SHIPPED, False),
    (Route.VIA_POINT, S.CANCELLED, False),
    (Route.POINT_STOCK, S.NEW, False),  # the point's own goods are not the producer's to refuse
])
def test_a_producer_may_reject_its_part_only_before_packing(route, status, may):
    assert Fulfillment(route=route, status=status).producer_may_reject is may


@pytest.mark.parametrize(("route", "status", "moves"), [
    (Route.VIA_POINT, S.NEW, {S.ACCEPTED}),
    (Route.VIA_POINT, S.ACCEPTED, {S.PACKED}),  # at_point is the sales point's step
    (Route.VIA_POINT, S.PACKED, {S.SENT_TO_POINT}),
    (Route.VIA_POINT, S.SENT_TO_POINT, set()),
    (Route.DELIVERY, S.PACKED, {S.SHIPPED}),
    (Route.DELIVERY, S.SHIPPED, {S.DELIVERED}),
    (Route.DELIVERY, S.DELIVERED, set()),
    (Route.POINT_STOCK, S.NEW, set()),
])
def test_a_producer_is_offered_only_its_own_next_steps(route, status, moves):
    assert Fulfillment(route=route, status=status).producer_moves == moves


@pytest.mark.parametrize(("route", "status", "returned", "awaits"), [
    (Route.VIA_POINT, S.UNCLAIMED, False, True),
    (Route.VIA_POINT, S.UNCLAIMED, True, False),
    (Route.POINT_STOCK, S.UNCLAIMED, False, False),  # the point's own goods stay on its shelf
    (Route.VIA_POINT, S.READY, False, False),
])
def test_only_an_unclaimed_producer_parcel_not_yet_given_back_awaits_return(route, status, returned, awaits):
    import datetime as dt

    part = Fulfillment(route=route, status=status, returned_at=dt.datetime(2026, 12, 1) if returned else None)
    assert part.awaits_return is awaits


@pytest.mark.parametrize(("route", "status", "expected"), [
    (Route.VIA_POINT, S.NEW, True),
    (Route.VIA_POINT, S.PACKED, True),
    (Route.VIA_POINT, S.SENT_TO_POINT, True),
    (Route.VIA_POINT, S.AT_POINT, False),
    (Route.VIA_POINT, S.CANCELLED, False),
    (Route.POINT_STOCK, S.NEW, False),  # already on the point's shelf
    (Route.DELIVERY, S.PACKED, False),
])
def test_a_parcel_is_expected_at_the_point_until_it_arrives(route, status, expected):
    assert Fulfillment(route=route, status=status).expected_at_point is expected


@pytest.mark.parametrize(("status", "awaits", "ready"), [
    (OrderStatus.PENDING_PAYMENT, True, False),
    (OrderStatus.CONFIRMED, False, False),
    (OrderStatus.READY_FOR_PICKUP, False, True),
])
def test_an_order_says_whether_it_waits_for_money_or_for_its_customer(status, awaits, ready):
    order = _order(S.NEW, status=status)
    assert (order.awaits_payment, order.is_ready_for_pickup) == (awaits, ready)


def test_an_order_finds_its_own_part_by_id_and_no_other():
    order = _order(S.NEW, S.ACCEPTED)
    assert order.part(2) is order.parts[1]
    assert order.part(3) is None


def test_a_new_pickup_code_is_read_back_as_typed_in_any_case_with_spaces():
    code = new_pickup_code()
    assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
    assert normalize_code(f" {code[:4].lower()} - {code[4:]} ") == code


def test_a_parcel_label_code_is_read_back_as_its_part_id():
    assert part_label_code(123) == "OCOP-PART:123"
    assert parse_part_code(part_label_code(123)) == 123
