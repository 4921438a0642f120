"""What a sales point's staff do: receive parcels, put aside own stock, announce ready orders, hand over, take cash.

Every use case takes the staff member's sales point id and refuses anything of another point as if it
did not exist: a part or an order of point A is "not found" at point B, never described.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale, lazy_gettext as _l
from sqlalchemy import select, true
from sqlalchemy.orm import selectinload

from shop.clock import VIETNAM, aware, now
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.checkout.services import CODE_ALPHABET
from shop.labels import order_status_label, part_status_label
from shop.notifications.outbox import enqueue, enqueue_to_producer
from shop.orders.models import Fulfillment, InvalidTransition, Order, OrderStatus, PartStatus, Route
from shop.orders.services import cash_left, move_part, record_event, refresh_status
from shop.payments.cash import record_cash_payment
from shop.payments.models import PaymentMethod, PaymentStatus
from shop.sales_points.models import SalesPoint
from shop.links import order_url, part_url

#: What the producer's parcel label QR holds: this prefix and the part id.
PART_CODE = re.compile(r"^\s*(?:OCOP-PART\s*[:\-]?\s*|#)?(\d{1,9})\s*$", re.IGNORECASE)


class DeskError(ShopError):
    """A desk action the shop refuses; nothing was changed."""

    message = _l("This is not possible at the desk.")


class ParcelNotFound(DeskError):
    message = _l("No parcel with this number. Check the label and scan or type it again.")


class ParcelForOtherPoint(DeskError):
    message = _l("Parcel #%(part)s is not for this sales point: it goes to %(point)s. Do not keep it.")


class ParcelNotExpected(DeskError):
    message = _l("Parcel #%(part)s cannot be received: it is “%(status)s”.")


class PartNotHere(DeskError):
    message = _l("This order part does not exist or is not for this sales point.")


class CannotPutAside(DeskError):
    message = _l("These goods cannot be put aside now: the part is “%(status)s”.")


class AwaitingPayment(DeskError):
    message = _l("The customer has not paid yet: put the goods aside once the payment has arrived.")


class CodeNotFound(DeskError):
    message = _l("No order waiting at this sales point has this code.")


class NotReady(DeskError):
    message = _l("Order %(number)s is not ready for pickup: it is “%(status)s”.")


class IdentityNotChecked(DeskError):
    message = _l("Check the customer's name and phone number, then tick the box.")


class NotUnclaimed(DeskError):
    message = _l("Only parcels not collected in time go back to their producer.")


# ---- codes --------------------------------------------------------------------------------------

def parse_part_code(text: str | None) -> int | None:
    """The part id in what a scanner or a person typed: "OCOP-PART:123", "ocop-part 123", "#123", "123"."""
    match = PART_CODE.match(text or "")
    return int(match.group(1)) if match else None


def normalize_code(text: str | None) -> str:
    """A pickup code as typed or scanned: any case, spaces and dashes ignored; '' when it cannot be one."""
    code = re.sub(r"[\s\-]", "", text or "").upper()
    if not code or len(code) > 12 or any(c not in CODE_ALPHABET for c in code):
        return ""
    return code


def masked_phone(phone: str) -> str:
    """Only the last three digits, for checking identity without reading the number out: •••• ••• 321."""
    digits = re.sub(r"\D", "", phone or "")
    return f"•••• ••• {digits[-3:]}" if len(digits) >= 3 else "•••"


# ---- reading ------------------------------------------------------------------------------------

def _order_options():
    return (selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments))


def _lock_order(order_id: int) -> Order | None:
    begin_write()
    return db.session.scalar(
        select(Order).where(Order.id == order_id).with_for_update()
        .options(*_order_options()).execution_options(populate_existing=True)
    )


def order_at_point(point_id: int, number: str) -> Order | None:
    """One pickup order of this point with its parts, lines and payment; None for any other."""
    return db.session.scalar(
        select(Order).where(Order.number == number, Order.sales_point_id == point_id)
        .options(*_order_options(), selectinload(Order.events))
    )


def amount_due(order: Order) -> int:
    """Cash still to take at the desk: the payment less what was cancelled since; 0 if paid or not cash."""
    return cash_left(order, PaymentMethod.CASH_AT_PICKUP)


def is_late(part: Fulfillment, order: Order, at: dt.datetime | None = None) -> bool:
    """A producer's parcel not at the point PARCEL_LATE_DAYS after the order was placed."""
    if part.route != Route.VIA_POINT or part.status not in (PartStatus.NEW, PartStatus.ACCEPTED, PartStatus.PACKED,
                                                             PartStatus.SENT_TO_POINT):
        return False
    days = current_app.config["PARCEL_LATE_DAYS"]
    return aware(at or now()) > aware(order.created_at) + dt.timedelta(days=days)


def hold_left(order: Order, at: dt.datetime | None = None) -> dt.timedelta | None:
    return aware(order.hold_until) - aware(at or now()) if order.hold_until else None


# ---- becoming ready -----------------------------------------------------------------------------

def _point_payload(order: Order, for_customer: bool = True) -> dict:
    point = order.sales_point
    with force_locale(order.language if for_customer else "vi"):
        name = order.sales_point_display_name
    return {"code": order.sales_point_code, "name": name, "address": order.sales_point_address,
            "phone": point.phone if point else "", "hours": [list(pair) for pair in point.hours] if point else []}


def ready_payload(order: Order) -> dict:
    """What the "ready" and "reminder" e-mails say: where, until when, the code, what to pay."""
    lines = [line for part in order.live_parts for line in part.lines]
    with force_locale(order.language):
        names = [line.display_name for line in lines]
    return {
        "order_number": order.number, "order_url": order_url(order), "customer_name": order.contact_name,
        "pickup_code": order.pickup_code, "sales_point": _point_payload(order),
        "hold_until": aware(order.hold_until).isoformat(),
        "lines": [{"product_name": name, "variant_label": l.variant_label, "quantity": l.quantity}
                  for l, name in zip(lines, names)],
        "cash_due_vnd": amount_due(order), "payment_method": str(order.payment.method) if order.payment else "",
    }


def ready_if_complete(order: Order, actor) -> bool:
    """When every live part of a pickup order is at its point, make them ready and tell the customer.

    Called inside the caller's write transaction after any part moved or was cancelled.
    """
    live = order.live_parts
    if not live or order.status == OrderStatus.PENDING_PAYMENT or any(p.status != PartStatus.AT_POINT for p in live):
        return False
    for part in live:
        move_part(part, PartStatus.READY)
    order.ready_at = now()
    order.hold_until = order.ready_at + dt.timedelta(days=current_app.config["PICKUP_HOLD_DAYS"])
    record_event(order, "ready", actor, point=order.sales_point_code, hold_until=order.hold_until.isoformat())
    refresh_status(order)
    enqueue("order_ready", order.contact_email, order.language, ready_payload(order),
            dedupe_key=f"order_ready:{order.number}")
    return True


# ---- receiving parcels and putting goods aside --------------------------------------------------

@dataclass(frozen=True)
class Received:
    part: Fulfillment
    order: Order
    #: The order became ready with this parcel: the customer was told.
    order_ready: bool
    #: Parts of the order still missing at the point.
    missing: list[Fulfillment]


def _refuse(error: DeskError):
    db.session.rollback()
    raise error


def receive_parcel(point_id: int, scanned: str, user) -> Received:
    """The parcel with this label is at the point: mark it so, and make its order ready if it was the last."""
    part_id = parse_part_code(scanned)
    if part_id is None:
        raise ParcelNotFound()
    begin_write()
    order_id = db.session.scalar(select(Fulfillment.order_id).where(Fulfillment.id == part_id))
    order = _lock_order(order_id) if order_id is not None else None
    part = next((p for p in order.parts if p.id == part_id), None) if order is not None else None
    if part is None or part.route == Route.DELIVERY:
        _refuse(ParcelNotFound())
    if order.sales_point_id != point_id:
        _refuse(ParcelForOtherPoint(part=part.id, point=f"{order.sales_point_code} – {order.sales_point_name}"))
    if part.route != Route.VIA_POINT:
        _refuse(ParcelNotFound())
    if part.status not in (PartStatus.ACCEPTED, PartStatus.PACKED, PartStatus.SENT_TO_POINT):
        _refuse(ParcelNotExpected(part=part.id, status=part_status_label(part.status)))
    move_part(part, PartStatus.AT_POINT)
    part.received_at = now()
    record_event(order, "part_status", user, part=part, producer=part.producer_name, status=str(PartStatus.AT_POINT))
    refresh_status(order)
    return _received(order, part, user)


def _received(order: Order, part: Fulfillment, user) -> Received:
    """After a part arrived or was put aside: the order may be ready now; commit and say what is missing."""
    ready = ready_if_complete(order, user)
    missing = [p for p in order.live_parts if p.status not in (PartStatus.AT_POINT, PartStatus.READY)]
    db.session.commit()
    return Received(part, order, ready, missing)


def put_aside(point_id: int, part_id: int, user) -> Received:
    """Staff took the goods of a part served from the point's own stock off the shelf for the customer."""
    begin_write()
    order_id = db.session.scalar(select(Fulfillment.order_id).where(Fulfillment.id == part_id))
    order = _lock_order(order_id) if order_id is not None else None
    part = next((p for p in order.parts if p.id == part_id), None) if order is not None else None
    if part is None or order.sales_point_id != point_id or part.route != Route.POINT_STOCK:
        _refuse(PartNotHere())
    if order.status == OrderStatus.PENDING_PAYMENT:
        _refuse(AwaitingPayment())
    try:
        move_part(part, PartStatus.AT_POINT)
    except InvalidTransition:
        _refuse(CannotPutAside(status=part_status_label(part.status)))
    part.received_at = now()
    record_event(order, "put_aside", user, part=part, producer=part.producer_name)
    refresh_status(order)
    return _received(order, part, user)


# ---- handing over -------------------------------------------------------------------------------

def find_for_pickup(point_id: int, typed: str) -> Order | None:
    """The order with this pickup code if it is one of this point's; None otherwise, whatever the reason."""
    code = normalize_code(typed)
    if not code:
        return None
    return db.session.scalar(
        select(Order).where(Order.pickup_code == code, Order.sales_point_id == point_id)
        .options(*_order_options())
    )


@dataclass(frozen=True)
class Handover:
    order: Order
    due_vnd: int
    tendered_vnd: int

    @property
    def change_vnd(self) -> int:
        return self.tendered_vnd - self.due_vnd


def hand_over(point_id: int, typed_code: str, user, *, identity_checked: bool,
              tendered_vnd: int | None = None) -> Handover:
    """Give the customer their order: the code must match, identity be checked, the cash (if due) be enough."""
    found = find_for_pickup(point_id, typed_code)
    if found is None:
        raise CodeNotFound()
    order = _lock_order(found.id)
    if order is None or order.sales_point_id != point_id:
        _refuse(CodeNotFound())
    if order.status != OrderStatus.READY_FOR_PICKUP:
        _refuse(NotReady(number=order.number, status=order_status_label(order.status)))
    if not identity_checked:
        _refuse(IdentityNotChecked())
    at = now()
    # Taken before anything moves: cash that does not do refuses the whole handover.
    due = record_cash_payment(order, tendered_vnd, user, at=at)
    for part in order.parts:
        if part.status == PartStatus.READY:
            move_part(part, PartStatus.COLLECTED)
            part.closed_at = at
    order.collected_at = at
    record_event(order, "collected", user, point=order.sales_point_code)
    refresh_status(order)
    db.session.commit()
    return Handover(order, due, tendered_vnd if due else 0)


# ---- the hold period: reminders, unclaimed orders, parcels going back ---------------------------

def _ready_orders_ids(condition) -> list[int]:
    ids = db.session.scalars(
        select(Order.id).where(Order.status == OrderStatus.READY_FOR_PICKUP, condition).order_by(Order.id)
    ).all()
    db.session.rollback()
    return list(ids)


def send_reminders(at: dt.datetime | None = None) -> list[str]:
    """Remind customers whose hold ends within PICKUP_REMINDER_DAYS, once per order; return the numbers."""
    at = aware(at or now())
    soon = at + dt.timedelta(days=current_app.config["PICKUP_REMINDER_DAYS"])
    reminded = []
    for order_id in _ready_orders_ids((Order.hold_until <= soon) & (Order.hold_until > at)
                                      & Order.reminded_at.is_(None)):
        order = _lock_order(order_id)
        if order is None or order.status != OrderStatus.READY_FOR_PICKUP or order.reminded_at is not None:
            db.session.rollback()
            continue
        order.reminded_at = at
        enqueue("pickup_reminder", order.contact_email, order.language, ready_payload(order),
                dedupe_key=f"pickup_reminder:{order.number}")
        record_event(order, "pickup_reminder", None)
        db.session.commit()
        reminded.append(order.number)
    return reminded


def expire_pickups(at: dt.datetime | None = None) -> list[str]:
    """Orders ready past their hold become unclaimed: own-stock goods back in stock, parcels flagged for return."""
    at = aware(at or now())
    expired = []
    for order_id in _ready_orders_ids(Order.hold_until < at):
        order = _lock_order(order_id)
        # Re-checked under the lock: staff may be handing it over this very moment.
        if order is None or order.status != OrderStatus.READY_FOR_PICKUP or aware(order.hold_until) >= at:
            db.session.rollback()
            continue
        _make_unclaimed(order, at)
        db.session.commit()
        expired.append(order.number)
    return expired


def _make_unclaimed(order: Order, at: dt.datetime) -> None:
    point = _point_payload(order, for_customer=False)
    point.pop("hours")
    payment = order.payment
    paid = (payment.received_vnd or payment.amount_vnd) if payment and payment.status == PaymentStatus.PAID else 0
    for part in order.parts:
        if part.status != PartStatus.READY:
            continue
        move_part(part, PartStatus.UNCLAIMED)  # own-stock units go back to the point's free stock
        part.closed_at = at
        if part.route == Route.VIA_POINT:
            enqueue_to_producer("part_unclaimed", part.producer_id, {
                "order_number": order.number, "part_id": part.id, "producer_name": part.producer_name,
                "sales_point": point, "part_url": part_url(part),
                "lines": [{"product_name": l.product_name, "variant_label": l.variant_label, "quantity": l.quantity}
                          for l in part.lines]}, dedupe_key=f"part_unclaimed:{part.id}")
    if payment is not None and payment.status == PaymentStatus.PENDING:
        payment.mark_failed()  # cash that was never taken
    record_event(order, "unclaimed", None, point=order.sales_point_code, paid_vnd=paid)
    refresh_status(order)
    customer_point = {**point, "name": _point_payload(order)["name"]}
    customer = {"order_number": order.number, "order_url": order_url(order), "customer_name": order.contact_name,
                "sales_point": customer_point, "paid_vnd": paid, "for_office": False,
                "contact_name": order.contact_name, "contact_phone": order.contact_phone,
                "contact_email": order.contact_email}
    enqueue("order_unclaimed", order.contact_email, order.language, customer,
            dedupe_key=f"order_unclaimed:{order.number}")
    enqueue("order_unclaimed", current_app.config["OPERATOR_EMAIL"], "vi",
            {**customer, "customer_name": None, "for_office": True, "sales_point": point},
            dedupe_key=f"order_unclaimed:{order.number}:office")


def mark_returned(point_id: int, part_id: int, user) -> Fulfillment:
    """An unclaimed producer parcel was handed back to its producer."""
    begin_write()
    order_id = db.session.scalar(select(Fulfillment.order_id).where(Fulfillment.id == part_id))
    order = _lock_order(order_id) if order_id is not None else None
    part = next((p for p in order.parts if p.id == part_id), None) if order is not None else None
    if part is None or order.sales_point_id != point_id:
        _refuse(PartNotHere())
    if part.status != PartStatus.UNCLAIMED or part.route != Route.VIA_POINT or part.returned_at is not None:
        _refuse(NotUnclaimed())
    part.returned_at = now()
    record_event(order, "returned_to_producer", user, part=part, producer=part.producer_name)
    db.session.commit()
    return part


# ---- the desk's lists ---------------------------------------------------------------------------

def point_of(user) -> SalesPoint:
    return db.session.get(SalesPoint, user.sales_point_id)


def _point_orders(point_id: int):
    return select(Order).where(Order.sales_point_id == point_id).options(*_order_options())


def _open_orders(point_id: int) -> list[Order]:
    open_statuses = (OrderStatus.CONFIRMED, OrderStatus.IN_PROGRESS, OrderStatus.READY_FOR_PICKUP)
    return list(db.session.scalars(
        _point_orders(point_id).where(Order.status.in_(open_statuses)).order_by(Order.id)
    ))


def incoming(point_id: int) -> dict:
    """What the point expects or prepares: parcels on the way, own-stock parts to put aside, orders still
    missing a parcel, and orders ready for their customer."""
    orders = _open_orders(point_id)
    on_the_way, to_prepare, waiting, ready = [], [], [], []
    for order in orders:
        live = order.live_parts
        if order.status == OrderStatus.READY_FOR_PICKUP:
            ready.append(order)
            continue
        on_the_way += [p for p in live if p.route == Route.VIA_POINT and p.status == PartStatus.SENT_TO_POINT]
        to_prepare += [p for p in live if p.route == Route.POINT_STOCK and p.status == PartStatus.NEW]
        if any(p.status == PartStatus.AT_POINT for p in live):
            waiting.append(order)  # something is here, something is still missing
    # The orders stay referenced here: the session holds loaded objects weakly, and each part's `order`
    # must be found in it, not fetched again one by one.
    return {"on_the_way": on_the_way, "to_prepare": to_prepare, "waiting": waiting, "ready": ready,
            "open_orders": orders}


def dashboard(point_id: int, at: dt.datetime | None = None) -> dict:
    """Everything the desk works through today, each list oldest first."""
    at = aware(at or now())
    day_start = _day_start(at)
    collected = db.session.scalars(
        _point_orders(point_id).where(Order.collected_at >= day_start).order_by(Order.collected_at.desc())
    ).all()
    returns = db.session.scalars(
        select(Fulfillment).join(Order, Fulfillment.order_id == Order.id)
        .where(Order.sales_point_id == point_id, Fulfillment.status == PartStatus.UNCLAIMED,
               Fulfillment.route == Route.VIA_POINT, Fulfillment.returned_at.is_(None))
        .options(selectinload(Fulfillment.lines), selectinload(Fulfillment.order)).order_by(Fulfillment.id)
    ).all()
    report = cash_report(point_id, day_start.astimezone(VIETNAM).date())
    return {**incoming(point_id), "collected_today": collected, "returns": returns,
            "cash_today_vnd": report.total_vnd}


# ---- cash ---------------------------------------------------------------------------------------



def _day_start(at: dt.datetime) -> dt.datetime:
    local = aware(at).astimezone(VIETNAM)
    return dt.datetime.combine(local.date(), dt.time(), VIETNAM).astimezone(dt.UTC)


@dataclass(frozen=True)
class CashRow:
    recorded_at: dt.datetime
    order_number: str
    customer: str
    staff: str
    amount_vnd: int
    tendered_vnd: int | None


@dataclass(frozen=True)
class CashReport:
    day: dt.date
    rows: list[CashRow]
    #: staff label → (count, total)
    by_staff: dict[str, tuple[int, int]]

    @property
    def total_vnd(self) -> int:
        return sum(row.amount_vnd for row in self.rows)


def cash_report(point_id: int, day: dt.date, staff_id: int | None = None) -> CashReport:
    """Cash taken at this point's desk on one day (Vietnam time), row by row and per staff member."""
    from shop.auth.models import User
    from shop.payments.models import Payment

    start = dt.datetime.combine(day, dt.time(), VIETNAM).astimezone(dt.UTC)
    end = start + dt.timedelta(days=1)
    rows = db.session.execute(
        select(Payment.recorded_at, Order.number, Order.contact_name, User.name, User.email, Payment.received_vnd,
               Payment.tendered_vnd)
        .join(Order, Payment.order_id == Order.id).outerjoin(User, Payment.recorded_by_id == User.id)
        .where(Order.sales_point_id == point_id, Payment.method == PaymentMethod.CASH_AT_PICKUP,
               Payment.status.in_((PaymentStatus.PAID, PaymentStatus.REFUNDED)),
               Payment.recorded_at >= start, Payment.recorded_at < end)
        .where(Payment.recorded_by_id == staff_id if staff_id is not None else true())
        .order_by(Payment.recorded_at, Payment.id)
    ).all()
    cash_rows = [CashRow(aware(at), number, customer, name or email or "—", amount or 0, tendered)
                 for at, number, customer, name, email, amount, tendered in rows]
    by_staff: dict[str, tuple[int, int]] = {}
    for row in cash_rows:
        count, total = by_staff.get(row.staff, (0, 0))
        by_staff[row.staff] = (count + 1, total + row.amount_vnd)
    return CashReport(day, cash_rows, by_staff)
