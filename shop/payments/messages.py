"""The e-mails about an order's money: received and refunded."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from shop.links import order_url
from shop.money import format_vnd
from shop.notifications.messages import Envelope, Message, require_amount, require_one_of, require_url
from shop.orders.messages import to_customer
from shop.orders.models import Order
from shop.orders.payment import Payment, PaymentMethod
from shop.payments.models import Refund

#: Why money went back: the whole order, the parts cancelled since, a payment that came after the order
#: was cancelled, money the office gave back outside the shop, or a refund owed sent by bank transfer.
REFUND_REASONS = ("whole", "cancelled_parts", "late_payment", "outside", "bank_transfer")


@dataclass(frozen=True, kw_only=True)
class PaymentReceived(Message, kind="payment_received"):
    order_number: str
    order_url: str
    customer_name: str | None
    amount_vnd: int
    payment_method: str

    def __post_init__(self) -> None:
        require_url(self.order_url, "order_url")
        require_amount(self.amount_vnd, "amount_vnd")
        require_one_of(self.payment_method, PaymentMethod, f"{self.kind} payment_method")

    def subject(self) -> str:
        return _("Payment received for order %(number)s", number=self.order_number)


@dataclass(frozen=True, kw_only=True)
class PaymentRefunded(PaymentReceived, kind="payment_refunded"):
    reason: str

    def __post_init__(self) -> None:
        super().__post_init__()
        require_one_of(self.reason, REFUND_REASONS, "payment_refunded reason")

    def subject(self) -> str:
        return _("Refund for order %(number)s", number=self.order_number)


def payment_received(order: Order, payment: Payment, amount_vnd: int) -> Envelope:
    return to_customer(order, PaymentReceived(
        order_number=order.number, order_url=order_url(order), customer_name=order.contact_name,
        amount_vnd=amount_vnd, payment_method=str(payment.method),
    ), f"payment_received:{order.number}:{payment.id}")


def payment_refunded(order: Order, payment: Payment, refund: Refund) -> Envelope:
    return to_customer(order, PaymentRefunded(
        order_number=order.number, order_url=order_url(order), customer_name=order.contact_name,
        amount_vnd=refund.amount_vnd, payment_method=str(payment.method), reason=str(refund.reason),
    ), f"payment_refunded:{refund.idempotency_key}")


@dataclass(frozen=True, kw_only=True)
class RefundOwed(Message, kind="refund_owed"):
    """To the customer of a transfer order: money is owed back; where should the office send it?"""

    order_number: str
    #: The order page (with its token for a guest), where the customer enters their bank details.
    order_url: str
    customer_name: str | None
    amount_vnd: int

    def __post_init__(self) -> None:
        require_url(self.order_url, "order_url")
        require_amount(self.amount_vnd, "amount_vnd")

    def subject(self) -> str:
        return _("We owe you %(amount)s for order %(number)s: where should we send it?",
                 amount=format_vnd(self.amount_vnd), number=self.order_number)


def refund_owed(order: Order, amount_vnd: int) -> Envelope:
    return to_customer(order, RefundOwed(order_number=order.number, order_url=order_url(order),
                                         customer_name=order.contact_name, amount_vnd=amount_vnd),
                       f"refund_owed:{order.number}:{amount_vnd}")
