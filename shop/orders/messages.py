"""The e-mails an order's life sends its customer and the office, and how to build each from an order."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, gettext as _

from shop.clock import aware, now
from shop.formats import format_moment
from shop.money import format_vnd
from shop.countries import VIETNAM, address_lines
from shop.links import admin_url, order_lookup_url, order_url, review_url
from shop.notifications.messages import (Envelope, InvalidMessage, Line, Message, SalesPoint, parse_time,
                                         require_amount, require_bool, require_lines, require_one_of, require_text,
                                         require_url)
from shop.notifications.rendering import format_due, grouped
from shop.orders.models import DeliveryMethod, Order
from shop.orders.reasons import CancelReason
from shop.orders.payment import PaymentMethod
from shop.sales_points.pickup_days import first_pickup_day


# ---- the messages ------------------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class PricedLine(Line):
    """A line of the order confirmation: with its prices and producer."""

    unit_price_vnd: int
    line_total_vnd: int
    producer_name: str

    def __post_init__(self) -> None:
        super().__post_init__()
        require_amount(self.unit_price_vnd, "line unit_price_vnd")
        require_amount(self.line_total_vnd, "line line_total_vnd")
        require_text(self.producer_name, "line producer_name")


@dataclass(frozen=True, kw_only=True)
class TransferInstructions:
    """How to pay by VietQR bank transfer: the code's content, the account, the exact amount and note, the deadline."""

    payload: str
    bank_name: str
    account_number: str
    account_name: str
    amount_vnd: int
    note: str
    due_by: str

    def __post_init__(self) -> None:
        require_text(self.payload, "vietqr payload")
        require_text(self.note, "vietqr note")
        require_amount(self.amount_vnd, "vietqr amount_vnd")
        parse_time(self.due_by)


@dataclass(frozen=True, kw_only=True)
class OrderPlaced(Message, kind="order_placed"):
    """The order confirmation, frozen at placement like the order itself."""

    order_number: str
    order_url: str
    customer_name: str | None
    delivery_method: str
    sales_point: SalesPoint | None
    address: str | None
    lines: tuple[PricedLine, ...]
    subtotal_vnd: int
    shipping_vnd: int
    total_vnd: int
    payment_method: str
    vietqr: TransferInstructions | None
    #: Abroad: the label's lines; the country is named in the reader's language when the e-mail is written.
    address_lines: tuple[str, ...] | None = None
    country_code: str | None = None
    #: The order lookup page (number + phone), for a customer who loses this e-mail; None in older messages.
    lookup_url: str | None = None

    def __post_init__(self) -> None:
        require_url(self.order_url, "order_url")
        if self.lookup_url is not None:
            require_url(self.lookup_url, "lookup_url")
        require_one_of(self.delivery_method, DeliveryMethod, "order_placed delivery_method")
        if self.delivery_method == DeliveryMethod.PICKUP and self.sales_point is None:
            raise InvalidMessage("order_placed: a pickup order needs its sales_point")
        if self.delivery_method == DeliveryMethod.DELIVERY and not self.address:
            raise InvalidMessage("order_placed: a delivery order needs its address")
        require_lines(self.lines)
        for name in ("subtotal_vnd", "shipping_vnd", "total_vnd"):
            require_amount(getattr(self, name), name)
        require_one_of(self.payment_method, PaymentMethod, "order_placed payment_method")
        if self.payment_method == PaymentMethod.VIETQR_TRANSFER and self.vietqr is None:
            raise InvalidMessage("order_placed: a VietQR transfer needs its vietqr instructions")

    def subject(self) -> str:
        if self.payment_method == PaymentMethod.VIETQR_TRANSFER:
            return _("Order %(number)s: please pay by bank transfer", number=self.order_number)
        return _("Thank you for your order %(number)s", number=self.order_number)

    def inline_qr(self) -> tuple[str, str, str] | None:
        if self.payment_method != PaymentMethod.VIETQR_TRANSFER:
            return None
        return "vietqr", self.vietqr.payload, f"VietQR-{self.order_number}.png"

    texted = True

    def text(self) -> str:
        # The order link is the only way to the order page for a guest without e-mail; the token stays inside it.
        if self.payment_method == PaymentMethod.VIETQR_TRANSFER:
            return _("OCOP Quảng Ninh: order %(number)s, %(total)s. Please pay by bank transfer before %(time)s: "
                     "%(url)s", number=self.order_number, total=format_vnd(self.total_vnd),
                     time=format_moment(parse_time(self.vietqr.due_by)), url=self.order_url)
        return _("OCOP Quảng Ninh: we have received your order %(number)s (%(total)s). Follow it here: %(url)s",
                 number=self.order_number, total=format_vnd(self.total_vnd), url=self.order_url)

    def zalo_params(self) -> dict[str, str]:
        return {"customer_name": self.customer_name or "", "order_number": self.order_number,
                "total": format_vnd(self.total_vnd), "order_url": self.order_url}


@dataclass(frozen=True, kw_only=True)
class OrderCancelled(Message, kind="order_cancelled"):
    order_number: str
    order_url: str
    customer_name: str | None
    reason: str
    refund_note: str | None = None

    def __post_init__(self) -> None:
        require_url(self.order_url, "order_url")
        require_one_of(self.reason, CancelReason, "order_cancelled reason")

    def subject(self) -> str:
        return _("Order %(number)s has been cancelled", number=self.order_number)

    def context(self) -> dict:
        return {"reason": CancelReason(self.reason).sentence}


@dataclass(frozen=True, kw_only=True)
class OrderReady(Message, kind="order_ready"):
    """What the customer needs to collect a ready order: where, until when, the code, what to pay."""

    order_number: str
    order_url: str
    customer_name: str | None
    pickup_code: str
    sales_point: SalesPoint
    hold_until: str
    lines: tuple[Line, ...]
    cash_due_vnd: int
    payment_method: str
    #: The first day the point is open to collect it (ISO date; sales_points/pickup_days.py), when known.
    first_day: str | None = None

    def __post_init__(self) -> None:
        require_url(self.order_url, "order_url")
        if self.first_day is not None:
            _parse_day(self.first_day, f"{self.kind} first_day")
        if not isinstance(self.pickup_code, str) or not re.fullmatch(r"[A-Z0-9]{8}", self.pickup_code):
            raise InvalidMessage(f"{self.kind}: pickup_code must be 8 capital letters or digits, "
                                 f"got {self.pickup_code!r}")
        if not isinstance(self.sales_point, SalesPoint):
            raise InvalidMessage(f"{self.kind}: sales_point must be a sales point, got {self.sales_point!r}")
        self.sales_point.require(self.kind, "phone", "hours")
        parse_time(self.hold_until)
        require_lines(self.lines)
        require_amount(self.cash_due_vnd, "cash_due_vnd")
        require_one_of(self.payment_method, PaymentMethod, f"{self.kind} payment_method")

    def subject(self) -> str:
        return _("Order %(number)s is ready for pickup at %(point)s", number=self.order_number,
                 point=self.sales_point.name)

    def context(self) -> dict:
        first_day = _parse_day(self.first_day, "first_day") if self.first_day else None
        return {"pickup_code": grouped(self.pickup_code), "first_day": first_day}

    def inline_qr(self) -> tuple[str, str, str]:
        # Exactly the code, nothing around it: the desk scans what it would otherwise type.
        return "pickup", self.pickup_code, f"Pickup-{self.order_number}.png"

    texted = True

    def text(self) -> str:
        return " ".join(filter(None, (self._text_opening(), self._cash_sentence())))

    def _text_opening(self) -> str:
        return _("OCOP Quảng Ninh: your order %(number)s is ready at %(point)s. Pickup code: %(code)s. "
                 "Collect it by %(time)s.", number=self.order_number, point=self.sales_point.name,
                 code=grouped(self.pickup_code), time=format_moment(parse_time(self.hold_until)))

    def _cash_sentence(self) -> str:
        return _("Pay %(amount)s in cash there.", amount=format_vnd(self.cash_due_vnd)) if self.cash_due_vnd else ""

    def zalo_params(self) -> dict[str, str]:
        return {"customer_name": self.customer_name or "", "order_number": self.order_number,
                "point": self.sales_point.name, "pickup_code": grouped(self.pickup_code),
                "hold_until": format_moment(parse_time(self.hold_until)),
                "cash_due": format_vnd(self.cash_due_vnd)}


@dataclass(frozen=True, kw_only=True)
class PickupReminder(OrderReady, kind="pickup_reminder"):
    """The ready e-mail again, shortly before the hold ends."""

    def subject(self) -> str:
        return _("Reminder: order %(number)s waits for you at %(point)s until %(date)s", number=self.order_number,
                 point=self.sales_point.name, date=format_due(self.hold_until))

    def _text_opening(self) -> str:
        return _("OCOP Quảng Ninh reminder: your order %(number)s waits at %(point)s until %(time)s. "
                 "Pickup code: %(code)s.", number=self.order_number, point=self.sales_point.name,
                 time=format_moment(parse_time(self.hold_until)), code=grouped(self.pickup_code))


@dataclass(frozen=True, kw_only=True)
class OrderUnclaimed(Message, kind="order_unclaimed"):
    """An order not collected in time: to the customer, and to the office (which calls them) with the contact."""

    order_number: str
    order_url: str
    customer_name: str | None
    sales_point: SalesPoint
    paid_vnd: int
    for_office: bool
    contact_name: str | None
    contact_phone: str | None
    contact_email: str | None

    def __post_init__(self) -> None:
        require_url(self.order_url, "order_url")
        if not isinstance(self.sales_point, SalesPoint):
            raise InvalidMessage(f"order_unclaimed: sales_point must be a sales point, got {self.sales_point!r}")
        self.sales_point.require("order_unclaimed", "phone")
        require_amount(self.paid_vnd, "paid_vnd")
        require_bool(self.for_office, "order_unclaimed for_office")
        if self.for_office:
            # The office's copy exists so that someone can call the customer (an e-mail address is optional).
            empty = [key for key in ("contact_name", "contact_phone") if not getattr(self, key)]
            if empty:
                raise InvalidMessage(f"order_unclaimed: the office copy needs {', '.join(empty)}")

    def subject(self) -> str:
        if self.for_office:
            return _("Unclaimed order %(number)s at %(point)s", number=self.order_number,
                     point=self.sales_point.name)
        return _("Order %(number)s was not collected in time", number=self.order_number)


@dataclass(frozen=True, kw_only=True)
class PickupPointChanged(Message, kind="pickup_point_changed"):
    """The office moved the order's pickup to another sales point (the first one closes)."""

    order_number: str
    order_url: str
    customer_name: str | None
    previous_point: str
    sales_point: SalesPoint

    def __post_init__(self) -> None:
        require_url(self.order_url, "order_url")
        require_text(self.previous_point, "pickup_point_changed previous_point")
        if not isinstance(self.sales_point, SalesPoint):
            raise InvalidMessage(f"{self.kind}: sales_point must be a sales point, got {self.sales_point!r}")
        self.sales_point.require(self.kind, "phone", "hours")

    def subject(self) -> str:
        return _("Order %(number)s: pick it up at %(point)s instead", number=self.order_number,
                 point=self.sales_point.name)


@dataclass(frozen=True, kw_only=True)
class ReviewInvitation(Message, kind="review_invitation"):
    """After goods reached the customer (collected or delivered): rate each product, with a link to do it."""

    order_number: str
    review_url: str
    customer_name: str | None
    lines: tuple[Line, ...]

    def __post_init__(self) -> None:
        require_url(self.review_url, "review_url")
        require_lines(self.lines)

    def subject(self) -> str:
        return _("How are your products from order %(number)s?", number=self.order_number)


# ---- building them from an order ---------------------------------------------------------------

def to_customer(order: Order, message: Message, dedupe_key: str) -> Envelope:
    return Envelope(message, order.contact_email, order.language, dedupe_key, phone=order.contact_phone)


def to_office(message: Message, dedupe_key: str) -> Envelope:
    """The OCOP office reads Vietnamese."""
    return Envelope(message, current_app.config["OPERATOR_EMAIL"], "vi", dedupe_key)


def point_of(order: Order, language: str, *, hours: bool = True) -> SalesPoint:
    """The order's sales point as at purchase, named in the reader's language."""
    point = order.sales_point
    with force_locale(language):
        name = order.sales_point_display_name
    return SalesPoint(code=order.sales_point_code, name=name, address=order.sales_point_address,
                      phone=point.phone if point else "",
                      hours=(tuple(tuple(pair) for pair in point.hours) if point else ()) if hours else None)


def one_line_address(order: Order) -> str:
    """The delivery address on one line, without the country (each reader sees it named in their language)."""
    if order.country_code != VIETNAM:
        return ", ".join(address_lines(order))
    return ", ".join(p for p in (order.address_line, order.ward_name, order.province_name) if p)


def lines_as_read(order: Order, lines) -> tuple[Line, ...]:
    """Order lines with the product names and variant labels the customer read at checkout (the order's language)."""
    with force_locale(order.language):
        return tuple(Line(product_name=line.display_name, variant_label=line.display_label, quantity=line.quantity)
                     for line in lines)


def order_placed(order: Order, transfer=None) -> Envelope:
    """The confirmation, frozen at placement like the order itself; transfer: the VietQR instructions, if any."""
    point, payment = order.sales_point, order.payment
    vietqr = None
    if payment.method == PaymentMethod.VIETQR_TRANSFER:
        vietqr = TransferInstructions(**transfer.as_dict(), due_by=aware(payment.due_by).isoformat())
    with force_locale(order.language):  # the names the customer read at checkout
        point_name, names = order.sales_point_display_name, [line.display_name for line in order.lines]
        labels = [line.display_label for line in order.lines]
    return to_customer(order, OrderPlaced(
        order_number=order.number, order_url=order_url(order), customer_name=order.contact_name,
        delivery_method=str(order.delivery_method),
        sales_point=SalesPoint(code=point.code, name=point_name, address=point.address,
                               hours=tuple(tuple(h) for h in point.hours)) if point else None,
        address=None if point else one_line_address(order),
        address_lines=None if point or order.country_code == VIETNAM else tuple(address_lines(order)),
        country_code=order.country_code,
        lines=tuple(PricedLine(product_name=name, variant_label=label, quantity=line.quantity,
                               unit_price_vnd=line.unit_price_vnd, line_total_vnd=line.line_total_vnd,
                               producer_name=line.producer_name) for line, name, label in zip(order.lines, names, labels)),
        subtotal_vnd=order.subtotal_vnd, shipping_vnd=order.shipping_vnd, total_vnd=order.total_vnd,
        payment_method=str(payment.method), vietqr=vietqr, lookup_url=order_lookup_url(order),
    ), f"order_placed:{order.number}")


def pickup_point_changed(order: Order, previous: str) -> Envelope:
    """Tell the customer where to collect the order now; previous: the old point's name in their language."""
    return to_customer(order, PickupPointChanged(
        order_number=order.number, order_url=order_url(order), customer_name=order.contact_name,
        previous_point=previous, sales_point=point_of(order, order.language),
    ), f"pickup_point_changed:{order.number}:{order.sales_point_code}")


def order_cancelled(order: Order, reason: CancelReason) -> Envelope:
    return to_customer(order, OrderCancelled(order_number=order.number, order_url=order_url(order),
                                             customer_name=order.contact_name, reason=str(reason)),
                       f"order_cancelled:{order.number}")


def _ready(cls: type[OrderReady], order: Order, cash_due_vnd: int) -> OrderReady:
    lines = [line for part in order.live_parts for line in part.lines]
    return cls(
        order_number=order.number, order_url=order_url(order), customer_name=order.contact_name,
        pickup_code=order.pickup_code, sales_point=point_of(order, order.language),
        hold_until=aware(order.hold_until).isoformat(),
        lines=lines_as_read(order, lines),
        cash_due_vnd=cash_due_vnd, payment_method=str(order.payment.method) if order.payment else "",
        first_day=_first_day(order),
    )


def _first_day(order: Order) -> str | None:
    """From today on, the first day the order's point is open (a ready order waits there already)."""
    day = first_pickup_day(order.sales_point, now(), parcels=False) if order.sales_point else None
    return day.isoformat() if day else None


def _parse_day(value, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidMessage(f"{name}: not an ISO date: {value!r}") from error


def order_ready(order: Order, cash_due_vnd: int) -> Envelope:
    """Tell the customer the order waits at its point; cash_due_vnd is what is left to pay there."""
    return to_customer(order, _ready(OrderReady, order, cash_due_vnd), f"order_ready:{order.number}")


def pickup_reminder(order: Order, cash_due_vnd: int) -> Envelope:
    return to_customer(order, _ready(PickupReminder, order, cash_due_vnd), f"pickup_reminder:{order.number}")


def review_invitation(order: Order, parts) -> Envelope:
    """Invite the customer to rate the products of the parts that just reached them, once per set of parts."""
    lines, seen = [], set()
    for part in parts:
        for line in part.lines:
            if line.product_slug not in seen:
                seen.add(line.product_slug)
                lines.append(line)
    parts_key = ",".join(str(part.id) for part in sorted(parts, key=lambda part: part.id))
    return to_customer(order, ReviewInvitation(
        order_number=order.number, review_url=review_url(order), customer_name=order.contact_name,
        lines=lines_as_read(order, lines),
    ), f"review_invitation:{order.number}:{parts_key}")


def order_unclaimed(order: Order, paid_vnd: int) -> list[Envelope]:
    """The customer's e-mail and the office's copy (with the contact details, in Vietnamese)."""
    office_point = point_of(order, "vi", hours=False)
    contact = {"contact_name": order.contact_name, "contact_phone": order.contact_phone,
               "contact_email": order.contact_email}
    customer = OrderUnclaimed(order_number=order.number, order_url=order_url(order),
                              customer_name=order.contact_name, paid_vnd=paid_vnd, for_office=False,
                              sales_point=point_of(order, order.language, hours=False), **contact)
    office = OrderUnclaimed(order_number=order.number, order_url=order_url(order), customer_name=None,
                            paid_vnd=paid_vnd, for_office=True, sales_point=office_point, **contact)
    return [to_customer(order, customer, f"order_unclaimed:{order.number}"),
            to_office(office, f"order_unclaimed:{order.number}:office")]


# ---- to the office ------------------------------------------------------------------------------

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


def refund_due(order: Order, payment) -> Envelope:
    """Ask the office to send back a transfer the customer paid for an order they cancelled."""
    return to_office(RefundDue(
        order_number=order.number, admin_url=admin_url("admin.transfers"),
        amount_vnd=payment.received_vnd or payment.amount_vnd, payment_method=str(payment.method),
        reference=payment.provider_reference, contact_name=order.contact_name,
        contact_phone=order.contact_phone, contact_email=order.contact_email,
    ), f"refund_due:{order.number}")
