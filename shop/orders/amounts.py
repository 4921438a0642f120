"""What each order part is worth, what an order still owes, and money held for goods that are gone.

The rule for the delivery fee: the whole fee rides on one part, the first part of the order (the lowest id,
which is the first producer's parcel as the cart listed it). Each part's goods and fee share are frozen on
the part at order time. When the part carrying the fee goes (cancelled, rejected, unclaimed), the fee passes
to the next live part, by id, whose cash is not in yet; when there is none, the fee goes with the part and is
not charged. So an order is always worth the sum of its live parts, and a cash-on-delivery parcel collects
exactly its own amount: no parcel ever collects another producer's money.

Every amount the customer still owes, and every refund the shop owes, is counted here from the parts and the
payment: `amount_due` and `refund_owed_vnd`.
"""
from __future__ import annotations

from collections.abc import Sequence

from shop.orders.models import Fulfillment, Order
from shop.orders.payment import PaymentMethod, PaymentStatus

#: Payment states in which the money arrived (some may have gone back since: `Payment.refunded_vnd`).
_RECEIVED = (PaymentStatus.PAID, PaymentStatus.REFUNDED)


def share_delivery_fee(goods_vnd: Sequence[int], fee_vnd: int) -> list[int]:
    """Each part's share of the delivery fee, parts in id order: the whole fee rides on the first part."""
    if fee_vnd < 0 or any(goods < 0 for goods in goods_vnd):
        raise ValueError("amounts are never negative")
    if not goods_vnd:
        if fee_vnd:
            raise ValueError("a delivery fee needs a part to carry it")
        return []
    return [fee_vnd] + [0] * (len(goods_vnd) - 1)


def freeze_part_amounts(order: Order, parts: Sequence[Fulfillment]) -> None:
    """Write each new part's goods and fee share (parts in the order they are created, so in id order)."""
    goods = [sum(line.line_total_vnd for line in order.lines if line.part is part) for part in parts]
    for part, part_goods, fee in zip(parts, goods, share_delivery_fee(goods, order.shipping_vnd), strict=True):
        part.goods_vnd, part.delivery_fee_vnd = part_goods, fee


def pass_on_delivery_fee(order: Order, part: Fulfillment) -> None:
    """The part has just gone: its fee share moves to the next live part whose cash is not in yet, if any."""
    if not part.delivery_fee_vnd:
        return
    heir = next((p for p in sorted(order.parts, key=lambda p: p.id or 0)
                 if p is not part and not p.is_gone and p.collected_vnd is None), None)
    if heir is not None:
        heir.delivery_fee_vnd += part.delivery_fee_vnd
        part.delivery_fee_vnd = 0


def value_vnd(order: Order) -> int:
    """What the order is worth now: its live parts' goods and the fees they carry."""
    return sum(part.amount_vnd for part in order.live_parts)


def collected_vnd(order: Order) -> int:
    """Cash taken so far for the order's parcels on delivery."""
    return sum(part.collected_vnd or 0 for part in order.parts)


def held_vnd(order: Order) -> int:
    """Money the shop (or its producers, for cash on delivery) holds for the order, less what went back."""
    payment = order.payment
    if payment is None:
        return 0
    if payment.status in _RECEIVED:
        return (payment.received_vnd or 0) - (payment.refunded_vnd or 0)
    return collected_vnd(order) if payment.method == PaymentMethod.COD else 0


def amount_due(order: Order) -> int:
    """What the customer still has to pay: live goods + fees − already paid (never below 0)."""
    return max(value_vnd(order) - held_vnd(order), 0)


def cash_due(order: Order, method: PaymentMethod) -> int:
    """What is still to take for an order paid that way whose payment is pending; 0 otherwise."""
    payment = order.payment
    if payment is None or payment.method != method or payment.status != PaymentStatus.PENDING:
        return 0
    return amount_due(order)


def refund_owed_vnd(order: Order) -> int:
    """Money received for goods that are gone and not yet given back (never below 0)."""
    return max(held_vnd(order) - value_vnd(order), 0)


def part_cash_due(part: Fulfillment) -> int:
    """Cash this parcel collects on delivery: its own amount, once; 0 when gone, taken, or not cash on delivery."""
    payment = part.order.payment
    if payment is None or payment.method != PaymentMethod.COD or payment.status != PaymentStatus.PENDING:
        return 0
    if part.is_gone or part.collected_vnd is not None:
        return 0
    return part.amount_vnd


def every_live_part_collected(order: Order) -> bool:
    """Every live parcel's cash is in (and at least one parcel is live)."""
    live = order.live_parts
    return bool(live) and all(part.collected_vnd is not None for part in live)
