"""What a producer does to its order parts: accept, reject, pack, send or ship, deliver."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.audit import record_change
from shop.auth.models import Role
from shop.clock import now
from shop.errors import ShopError
from shop.extensions import db
from shop.labels import part_status_label
from shop.payments.bank_refunds import goods_gone
from shop.notifications.outbox import enqueue
from shop.orders import part_messages
from shop.orders.lifecycle import lock_order, move_part, payment_changed
from shop.orders.models import PRODUCER_ROUTES, Fulfillment, InvalidTransition, Order, PartStatus
from shop.orders.pickup import ready_if_complete
from shop.orders.amounts import amount_due, part_cash_due, refund_owed_vnd
from shop.payments.cash import record_cash_payment, settle_cash_on_delivery
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.payments.services import transfer_instructions


class PartError(ShopError):
    """A producer's action on an order part that the shop refuses; nothing was changed."""

    message = _l("This is not possible for this order part.")


class PartNotFound(PartError):
    message = _l("This order part does not exist or is not yours.")


class MoveNotAllowed(PartError):
    message = _l("This step is not possible now: the part is “%(status)s”.")


class AwaitingPayment(PartError):
    message = _l("The customer has not paid yet: wait for the payment before preparing this part.")


class ReasonRequired(PartError):
    message = _l("Please say why you reject this part.")


class TrackingRequired(PartError):
    message = _l("Please give the carrier and the tracking number.")


def response_deadline(part: Fulfillment) -> dt.datetime:
    """When the producer should have accepted or rejected a new part."""
    created = part.created_at if part.created_at.tzinfo else part.created_at.replace(tzinfo=dt.UTC)
    return created + dt.timedelta(hours=current_app.config["PART_RESPONSE_HOURS"])


def cash_to_collect(part: Fulfillment) -> int:
    """Cash this parcel collects on delivery: its own goods and fee share; 0 once taken, or if none is due."""
    return part_cash_due(part)


def is_producers(part: Fulfillment | None, user) -> bool:
    """True when the user works for the producer of this part and that producer fulfils it."""
    return (part is not None and user.producer_id is not None and part.producer_id == user.producer_id
            and part.route in PRODUCER_ROUTES)


def _load(part_id: int, user, on_behalf: bool = False) -> tuple[Order, Fulfillment]:
    """Lock the part's order for this use case; refuse parts of other producers as if they did not exist.

    With on_behalf, the OCOP office acts for the part's producer (one with little digital literacy): any
    part a producer fulfils, and only for an office user.
    """
    order = lock_order(part_id=part_id)
    part = order.part(part_id) if order is not None else None
    allowed = (part is not None and part.route in PRODUCER_ROUTES and user.role == Role.ADMIN) if on_behalf \
        else is_producers(part, user)
    if not allowed:
        db.session.rollback()
        raise PartNotFound()
    return order, part


def _move(order: Order, part: Fulfillment, status: PartStatus, user, on_behalf: bool = False, **data) -> None:
    """Move the part (its event and the order's new status with it), or roll back and raise MoveNotAllowed.

    When the office acts for the producer, the timeline names both: the office user as the actor and the
    producer in on_behalf_of.
    """
    if on_behalf:
        data["on_behalf_of"] = part.producer_name
    before = part.status
    try:
        move_part(order, part, status, user, **data)
    except InvalidTransition:
        label = part_status_label(part.status)
        db.session.rollback()
        raise MoveNotAllowed(status=label) from None
    if on_behalf:
        record_change(user, "order.part.moved_on_behalf", order, before={"part_status": before},
                      after={"part_status": part.status}, note=f"#{part.id} {part.producer_name}")


def _refuse(error: PartError):
    db.session.rollback()
    raise error


def accept_part(part_id: int, user, *, on_behalf: bool = False) -> Fulfillment:
    """Confirm the producer will fulfil the part."""
    order, part = _load(part_id, user, on_behalf)
    if part.status == PartStatus.NEW and order.awaits_payment:
        _refuse(AwaitingPayment())
    _move(order, part, PartStatus.ACCEPTED, user, on_behalf)
    part.accepted_at = now()
    db.session.commit()
    return part


def reject_part(part_id: int, user, reason: str) -> Fulfillment:
    """Cancel the part the producer cannot supply: release its stock, tell the customer and the office."""
    reason = (reason or "").strip()[:300]
    order, part = _load(part_id, user)
    if not reason:
        _refuse(ReasonRequired())
    if not part.producer_may_reject:
        _refuse(MoveNotAllowed(status=part_status_label(part.status)))
    _move(order, part, PartStatus.CANCELLED, user, reason=reason)
    part.cancel_reason, part.closed_at = reason, now()
    goods_gone(order, [part])
    live = order.live_parts
    payment = order.payment
    if not live and payment is not None and payment.status == PaymentStatus.PENDING:
        payment.mark_failed()
    # Cash on delivery: the other parcels may all have brought their cash in already.
    settle_cash_on_delivery(order, user)
    payment_changed(order)
    # The other parcels may all be waiting at the sales point already: then the order is ready now.
    ready_if_complete(order, user)
    transfer = None
    if payment is not None and payment.method == PaymentMethod.VIETQR_TRANSFER \
            and payment.status == PaymentStatus.PENDING and amount_due(order):
        transfer = transfer_instructions(order.number, amount_due(order))
    enqueue(part_messages.part_rejected(order, part, reason, refund_owed_vnd(order), transfer))
    db.session.commit()
    return part


def mark_packed(part_id: int, user, *, on_behalf: bool = False) -> Fulfillment:
    """The parcel is packed and labelled."""
    order, part = _load(part_id, user, on_behalf)
    _move(order, part, PartStatus.PACKED, user, on_behalf)
    part.packed_at = now()
    db.session.commit()
    return part


def mark_sent_to_point(part_id: int, user, handover_note: str = "", *, on_behalf: bool = False) -> Fulfillment:
    """The parcel left for the pickup sales point; the note says who carries it and how many boxes."""
    order, part = _load(part_id, user, on_behalf)
    note = (handover_note or "").strip()[:300]
    _move(order, part, PartStatus.SENT_TO_POINT, user, on_behalf, **({"note": note} if note else {}))
    part.sent_at, part.handover_note = now(), note
    db.session.commit()
    return part


def mark_shipped(part_id: int, user, carrier: str, tracking_number: str, *, on_behalf: bool = False) -> Fulfillment:
    """The parcel left with a carrier for the customer's address."""
    carrier, tracking_number = (carrier or "").strip()[:80], (tracking_number or "").strip()[:80]
    order, part = _load(part_id, user, on_behalf)
    if not carrier or not tracking_number:
        _refuse(TrackingRequired())
    _move(order, part, PartStatus.SHIPPED, user, on_behalf, carrier=carrier, tracking_number=tracking_number)
    part.sent_at, part.carrier, part.tracking_number = now(), carrier, tracking_number
    db.session.commit()
    return part


def mark_delivered(part_id: int, user, cod_received_vnd: int | None = None) -> Fulfillment:
    """The customer received the parcel; for cash on delivery the cash must be exactly what is due."""
    order, part = _load(part_id, user)
    _move(order, part, PartStatus.DELIVERED, user)
    part.closed_at = now()
    if record_cash_payment(order, cod_received_vnd, user, part=part):
        payment_changed(order)
    db.session.commit()
    return part


# ---- reads -----------------------------------------------------------------------------------

def producer_parts(producer_id: int):
    """The query of every part this producer fulfils; callers add filters, never remove this one."""
    return select(Fulfillment).where(Fulfillment.producer_id == producer_id, Fulfillment.route.in_(PRODUCER_ROUTES))


def dashboard(producer_id: int, history_size: int = 20) -> dict[str, list[Fulfillment]]:
    """The producer's parts by what to do next, oldest first; and the latest finished or handed-over ones."""
    active = {PartStatus.NEW, PartStatus.ACCEPTED, PartStatus.PACKED, PartStatus.SHIPPED}
    load = (selectinload(Fulfillment.lines), selectinload(Fulfillment.order))
    parts = db.session.scalars(
        producer_parts(producer_id).where(Fulfillment.status.in_(active)).order_by(Fulfillment.id).options(*load)
    ).all()
    history = db.session.scalars(
        producer_parts(producer_id).where(Fulfillment.status.not_in(active))
        .order_by(Fulfillment.updated_at.desc(), Fulfillment.id.desc()).limit(history_size).options(*load)
    ).all()
    unpaid = [p for p in parts if p.status == PartStatus.NEW and p.order.awaits_payment]
    return {
        "to_accept": [p for p in parts if p.status == PartStatus.NEW and p not in unpaid],
        "awaiting_payment": unpaid,
        "to_pack": [p for p in parts if p.status == PartStatus.ACCEPTED],
        "to_send": [p for p in parts if p.status == PartStatus.PACKED],
        "on_the_way": [p for p in parts if p.status == PartStatus.SHIPPED],
        "history": list(history),
    }


def part_for(part_id: int, user) -> Fulfillment:
    """Read one of the user's producer's parts with its order, or raise PartNotFound."""
    part = db.session.scalar(
        select(Fulfillment).where(Fulfillment.id == part_id)
        .options(selectinload(Fulfillment.lines), selectinload(Fulfillment.order).selectinload(Order.payments))
    )
    if not is_producers(part, user):
        raise PartNotFound()
    return part


