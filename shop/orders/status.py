"""An order's status is derived from its parts and its payment, never set by hand."""
from __future__ import annotations

from collections.abc import Iterable

from shop.orders.models import GONE, OrderStatus, PartStatus
from shop.orders.payment import PaymentMethod, PaymentStatus

#: Payment methods whose money must arrive before anything is prepared.
PREPAID = {PaymentMethod.VIETQR_TRANSFER, PaymentMethod.STRIPE_CARD}
_DONE = {PartStatus.COLLECTED, PartStatus.DELIVERED}
_AWAY = {PartStatus.SHIPPED, PartStatus.DELIVERED}


def derive_status(parts: Iterable[PartStatus], method: PaymentMethod | None,
                  payment: PaymentStatus | None) -> OrderStatus:
    """The order status that the parts' statuses and the payment's state add up to."""
    statuses = list(parts)
    live = [s for s in statuses if s not in GONE]
    if not live:
        return OrderStatus.REFUNDED if payment == PaymentStatus.REFUNDED else OrderStatus.CANCELLED
    # Money refunded after it arrived did arrive: such an order is not waiting for payment.
    if method in PREPAID and payment not in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
        return OrderStatus.PENDING_PAYMENT
    if all(s in _DONE for s in live):
        return OrderStatus.COMPLETED
    if all(s in (PartStatus.READY, PartStatus.COLLECTED) for s in live):
        return OrderStatus.READY_FOR_PICKUP
    if all(s in _AWAY for s in live):
        return OrderStatus.SHIPPED
    if all(s == PartStatus.NEW for s in live):
        return OrderStatus.CONFIRMED
    return OrderStatus.IN_PROGRESS
