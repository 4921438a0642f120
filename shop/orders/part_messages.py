"""The e-mails about one order part: to its producer's users, and a rejection to the customer and the office."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from shop.auth.models import Role, User
from shop.clock import aware
from shop.extensions import db
from shop.links import order_url, part_url
from shop.notifications.messages import (Envelope, InvalidMessage, Line, Message, SalesPoint, require_amount,
                                         require_bool, require_lines, require_one_of, require_text, require_url)
from shop.orders.messages import (TransferInstructions, lines_as_read, one_line_address, point_of, to_customer,
                                 to_office)
from shop.orders.models import Fulfillment, Order
from shop.orders.reasons import PRODUCER_TOLD, CancelReason


@dataclass(frozen=True, kw_only=True)
class PartMessage(Message):
    """A message to each user of the part's producer; name is the user's, filled per recipient."""

    order_number: str
    part_id: int
    producer_name: str
    part_url: str

    def __post_init__(self) -> None:
        require_url(self.part_url, "part_url")
        if isinstance(self.part_id, bool) or not isinstance(self.part_id, int):
            raise InvalidMessage(f"{self.kind}: part_id must be a number, got {self.part_id!r}")


@dataclass(frozen=True, kw_only=True)
class PartNew(PartMessage, kind="part_new"):
    lines: tuple[Line, ...]
    destination: str
    country_code: str | None = None
    #: Paid by transfer first: the producer waits for the money before preparing the part.
    awaiting_payment: bool = False
    name: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        require_lines(self.lines)
        require_text(self.destination, "part_new destination")
        require_bool(self.awaiting_payment, "part_new awaiting_payment")

    def subject(self) -> str:
        return _("New order part #%(part)s (order %(number)s)", part=self.part_id, number=self.order_number)


@dataclass(frozen=True, kw_only=True)
class PartCancelled(PartMessage, kind="part_cancelled"):
    reason: str
    name: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        require_one_of(self.reason, sorted(PRODUCER_TOLD), "part_cancelled reason")

    def subject(self) -> str:
        return _("Order part #%(part)s cancelled (order %(number)s)", part=self.part_id, number=self.order_number)

    def context(self) -> dict:
        return {"reason": CancelReason(self.reason).producer_sentence}


@dataclass(frozen=True, kw_only=True)
class PartUnclaimed(PartMessage, kind="part_unclaimed"):
    """The customer never came: the producer takes its parcel back from the point."""

    sales_point: SalesPoint
    lines: tuple[Line, ...]
    name: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        if not isinstance(self.sales_point, SalesPoint):
            raise InvalidMessage(f"part_unclaimed: sales_point must be a sales point, got {self.sales_point!r}")
        self.sales_point.require("part_unclaimed", "phone")
        require_lines(self.lines)

    def subject(self) -> str:
        return _("Parcel #%(part)s was not collected: please take it back from %(point)s", part=self.part_id,
                 point=self.sales_point.name)


@dataclass(frozen=True, kw_only=True)
class PartDestinationChanged(PartMessage, kind="part_destination_changed"):
    """The office moved the order's pickup: the parcel goes to the new sales point, not the one first named."""

    previous_point: str
    sales_point: SalesPoint
    lines: tuple[Line, ...]
    name: str | None = None

    def __post_init__(self) -> None:
        super().__post_init__()
        require_text(self.previous_point, "part_destination_changed previous_point")
        if not isinstance(self.sales_point, SalesPoint):
            raise InvalidMessage(f"{self.kind}: sales_point must be a sales point, got {self.sales_point!r}")
        self.sales_point.require(self.kind, "phone")
        require_lines(self.lines)

    def subject(self) -> str:
        return _("Parcel #%(part)s now goes to %(point)s (order %(number)s)", part=self.part_id,
                 point=self.sales_point.name, number=self.order_number)


@dataclass(frozen=True, kw_only=True)
class PartRejected(Message, kind="part_rejected"):
    """The producer cannot supply its part: the customer hears what was removed; the office gets the contact."""

    order_number: str
    order_url: str
    customer_name: str | None
    producer_name: str
    part_id: int
    #: The producer's own words.
    reason: str
    lines: tuple[Line, ...]
    #: Nothing else was left: the whole order is cancelled.
    order_cancelled: bool
    refund_vnd: int
    #: Still to pay by transfer: the instructions for the new, smaller amount (the customer's copy only).
    vietqr: TransferInstructions | None = None
    for_office: bool = False
    contact_name: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None

    def __post_init__(self) -> None:
        require_url(self.order_url, "order_url")
        require_lines(self.lines)
        require_bool(self.order_cancelled, "part_rejected order_cancelled")
        require_bool(self.for_office, "part_rejected for_office")
        require_amount(self.refund_vnd, "refund_vnd")

    def subject(self) -> str:
        return _("Order %(number)s: some products cannot be supplied", number=self.order_number)

    def inline_qr(self) -> tuple[str, str, str] | None:
        if self.vietqr is None:
            return None
        return "vietqr", self.vietqr.payload, f"VietQR-{self.order_number}.png"


# ---- building them -----------------------------------------------------------------------------

def to_producer(producer_id: int, message: PartMessage, dedupe_key: str) -> list[Envelope]:
    """One envelope per active user of the producer, each in their language and greeted by name."""
    users = db.session.scalars(
        select(User).where(User.producer_id == producer_id, User.role == Role.PRODUCER, User.is_active)
        .order_by(User.id)
    ).all()
    return [Envelope(dataclasses.replace(message, name=user.name or None), user.email, user.language,
                     f"{dedupe_key}:{user.id}") for user in users]


def _lines(part: Fulfillment, *, sku: bool = False) -> tuple[Line, ...]:
    return tuple(Line(product_name=line.product_name, variant_label=line.variant_label, quantity=line.quantity,
                      sku=line.sku if sku else None) for line in part.lines)


def part_new(order: Order, part: Fulfillment) -> list[Envelope]:
    """Tell the producer's users of their new part: what, where to, and whether to wait for the money."""
    destination = (f"{order.sales_point_code} – {order.sales_point_name}" if order.sales_point_id is not None
                   else one_line_address(order))
    return to_producer(part.producer_id, PartNew(
        order_number=order.number, part_id=part.id, producer_name=part.producer_name, part_url=part_url(part),
        lines=_lines(part, sku=True), destination=destination, country_code=order.country_code,
        awaiting_payment=order.status == "pending_payment",
    ), f"part_new:{part.id}")


def part_cancelled(order: Order, part: Fulfillment, reason: CancelReason) -> list[Envelope]:
    return to_producer(part.producer_id, PartCancelled(
        order_number=order.number, part_id=part.id, producer_name=part.producer_name, part_url=part_url(part),
        reason=str(reason),
    ), f"part_cancelled:{part.id}")


def part_unclaimed(order: Order, part: Fulfillment) -> list[Envelope]:
    return to_producer(part.producer_id, PartUnclaimed(
        order_number=order.number, part_id=part.id, producer_name=part.producer_name, part_url=part_url(part),
        sales_point=point_of(order, "vi", hours=False), lines=_lines(part),
    ), f"part_unclaimed:{part.id}")


def part_destination_changed(order: Order, part: Fulfillment, previous: str) -> list[Envelope]:
    """Tell the producer's users their parcel goes to the order's new point; previous: the old point's code and name."""
    return to_producer(part.producer_id, PartDestinationChanged(
        order_number=order.number, part_id=part.id, producer_name=part.producer_name, part_url=part_url(part),
        previous_point=previous, sales_point=point_of(order, "vi", hours=False), lines=_lines(part),
    ), f"part_destination_changed:{part.id}:{order.sales_point_code}")


def part_rejected(order: Order, part: Fulfillment, reason: str, refund_vnd: int, transfer=None) -> list[Envelope]:
    """The customer's e-mail and the office's copy, with the contact details.

    transfer: the VietQR instructions for what is due now, when the order still waits for its transfer.
    """
    vietqr = None
    if transfer is not None:
        vietqr = TransferInstructions(**transfer.as_dict(), due_by=aware(order.payment.due_by).isoformat())
    customer = PartRejected(
        order_number=order.number, order_url=order_url(order), customer_name=order.contact_name,
        producer_name=part.producer_name, part_id=part.id, reason=reason, lines=lines_as_read(order, part.lines),
        order_cancelled=not order.live_parts, refund_vnd=refund_vnd, vietqr=vietqr,
    )
    office = dataclasses.replace(customer, customer_name=None, for_office=True, vietqr=None, lines=_lines(part),
                                 contact_name=order.contact_name, contact_phone=order.contact_phone,
                                 contact_email=order.contact_email)
    return [to_customer(order, customer, f"part_rejected:{part.id}"),
            to_office(office, f"part_rejected:{part.id}:office")]
