"""The e-mails about an order's money: received, refunded, and a refund the office owes by hand."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from shop.links import admin_url, order_url
from shop.notifications.messages import Envelope, Message, require_amount, require_one_of, require_url
from shop.orders.messages import to_customer, to_office
from shop.orders.models import Order
from shop.payments.models import Payment, PaymentMethod, Refund

#: Why money went back: the whole order, the parts cancelled since, a payment that came after the order
#: was cancelled, or money the office gave back outside the shop.
REFUND_REASONS = ("whole", "cancelled_parts", "late_payment", "outside")


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


@dataclass(frozen=True, kw_only=True)
class RefundDue(Message, kind="refund_due"):
    """To the office: a paid transfer order was cancelled and only the office can send the money back."""

    order_number: str
    admin_url: str
    amount_vnd: int
    payment_method: str
    #: The bank's reference of the transfer, if one was recorded.
    reference: str | None
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None

    def __post_init__(self) -> None:
        require_url(self.admin_url, "admin_url")
        require_amount(self.amount_vnd, "amount_vnd")
        require_one_of(self.payment_method, PaymentMethod, "refund_due payment_method")

    def subject(self) -> str:
        return _("Refund due: the customer cancelled paid order %(number)s", number=self.order_number)


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


def refund_due(order: Order, payment: Payment) -> Envelope:
    """Ask the office to send back a transfer the customer paid for an order they cancelled."""
    return to_office(RefundDue(
        order_number=order.number, admin_url=admin_url("admin.transfers"),
        amount_vnd=payment.received_vnd or payment.amount_vnd, payment_method=str(payment.method),
        reference=payment.provider_reference, contact_name=order.contact_name,
        contact_phone=order.contact_phone, contact_email=order.contact_email,
    ), f"refund_due:{order.number}")
