"""The delivery fee rides on one part; what an order owes and what the shop owes back follow from its live parts."""
import pytest

import shop.models  # noqa: F401  (every model registered, so an Order can be built without a database)

from shop.orders.amounts import (amount_due, part_cash_due, pass_on_delivery_fee, refund_owed_vnd,
                                 share_delivery_fee, value_vnd)
from shop.orders.models import Fulfillment, Order, PartStatus
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus


@pytest.mark.parametrize("goods, fee, shares", [
    ([180_000, 650_000], 30_000, [30_000, 0]),
    ([650_000, 180_000], 30_000, [30_000, 0]),  # the first part by id, not the largest
    ([90_000], 20_000, [20_000]),
    ([90_000, 100_000, 5_000], 0, [0, 0, 0]),
    ([], 0, []),
])
def test_the_whole_delivery_fee_rides_on_the_first_part(goods, fee, shares):
    assert share_delivery_fee(goods, fee) == shares
    assert sum(shares) == fee


@pytest.mark.parametrize("goods, fee", [([100], -1), ([-5], 0), ([], 30_000)])
def test_impossible_fee_shares_are_refused(goods, fee):
    with pytest.raises(ValueError):
        share_delivery_fee(goods, fee)


def _order(method, *parts, status=PaymentStatus.PENDING, received=None, refunded=0):
    order = Order(shipping_vnd=sum(fee for _, fee in parts))
    order.parts = [Fulfillment(id=i + 1, goods_vnd=goods, delivery_fee_vnd=fee, status=PartStatus.NEW)
                   for i, (goods, fee) in enumerate(parts)]
    order.payments = [Payment(method=method, amount_vnd=sum(g + f for g, f in parts), status=status,
                              received_vnd=received, refunded_vnd=refunded)]
    return order


def _go(order, part, status=PartStatus.CANCELLED):
    part.status = status
    pass_on_delivery_fee(order, part)


def test_a_cod_parcel_collects_its_goods_and_the_fee_it_carries():
    order = _order(PaymentMethod.COD, (180_000, 30_000), (650_000, 0))
    assert [part_cash_due(p) for p in order.parts] == [210_000, 650_000]
    assert amount_due(order) == 860_000


def test_the_fee_passes_to_the_next_live_part_whose_cash_is_not_in():
    order = _order(PaymentMethod.COD, (180_000, 30_000), (650_000, 0), (50_000, 0))
    order.parts[1].collected_vnd = 650_000
    _go(order, order.parts[0])
    assert [p.delivery_fee_vnd for p in order.parts] == [0, 0, 30_000]
    assert part_cash_due(order.parts[2]) == 80_000 and part_cash_due(order.parts[0]) == 0
    assert value_vnd(order) == 730_000 and amount_due(order) == 80_000


def test_the_fee_goes_with_the_last_part_and_is_not_charged():
    order = _order(PaymentMethod.COD, (180_000, 30_000), (650_000, 0))
    order.parts[1].collected_vnd = 650_000
    _go(order, order.parts[0])
    assert [p.delivery_fee_vnd for p in order.parts] == [30_000, 0]
    assert value_vnd(order) == 650_000 and amount_due(order) == 0 and refund_owed_vnd(order) == 0


def test_a_pending_transfer_asks_for_the_live_goods_only():
    order = _order(PaymentMethod.VIETQR_TRANSFER, (90_000, 0), (650_000, 0))
    _go(order, order.parts[1])
    assert amount_due(order) == 90_000 and refund_owed_vnd(order) == 0


def test_money_received_for_goods_that_went_is_owed_back_less_what_was_refunded():
    order = _order(PaymentMethod.VIETQR_TRANSFER, (90_000, 20_000), (650_000, 0), status=PaymentStatus.PAID,
                   received=760_000)
    _go(order, order.parts[1], PartStatus.UNCLAIMED)
    assert refund_owed_vnd(order) == 650_000 and amount_due(order) == 0
    order.payment.refunded_vnd = 600_000
    assert refund_owed_vnd(order) == 50_000
    _go(order, order.parts[0])
    assert value_vnd(order) == 0 and refund_owed_vnd(order) == 160_000  # nothing left: the fee goes back too
