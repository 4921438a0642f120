"""The customer cancels their order: the parts, the money owed back in the books, and the office told."""
from __future__ import annotations

from shop.extensions import db
from shop.payments.bank_refunds import goods_gone
from shop.notifications.outbox import enqueue
from shop.orders import messages as order_messages
from shop.orders.lifecycle import lock_order
from shop.orders.models import Order
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.orders.reasons import CancelReason
from shop.orders.services import CannotCancel, cancel_parts


def cancel_by_customer(order_id: int) -> Order:
    """Cancel while nothing is packed or put aside: every part is released, the customer told."""
    order = lock_order(order_id=order_id)
    if not order.customer_may_cancel:
        db.session.rollback()
        raise CannotCancel()
    parts = cancel_parts(order, CancelReason.CUSTOMER, "customer")
    # Paid goods that will not be delivered: their money is owed back from now on.
    goods_gone(order, parts)
    payment = order.payment
    if payment is not None and payment.method == PaymentMethod.VIETQR_TRANSFER and payment.status == PaymentStatus.PAID:
        # The money is in the office's bank account: only the office can send it back.
        enqueue(order_messages.refund_due(order, payment))
    db.session.commit()
    return order
