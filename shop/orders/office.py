"""What the OCOP office does to an order besides cancelling it: send one of the customer's e-mails again."""
from __future__ import annotations

from flask_babel import force_locale, lazy_gettext as _l
from sqlalchemy import func, select

from shop.audit import record_change
from shop.extensions import db
from shop.notifications.messages import Envelope, load
from shop.notifications.models import OutboxMessage
from shop.notifications.outbox import enqueue
from shop.orders.lifecycle import lock_order, record_event
from shop.orders.models import Order, OrderEventKind
from shop.orders.services import OrderError


class NothingToResend(OrderError):
    message = _l("This order has no such message to send again.")


def customer_messages(order: Order) -> list[OutboxMessage]:
    """The e-mails the customer got (or will get) about this order, the latest of each kind, newest first."""
    rows = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.recipient == order.contact_email,
                                    OutboxMessage.dedupe_key.like(f"%:{order.number}%"))
        .order_by(OutboxMessage.id.desc())
    ).all()
    latest: dict[str, OutboxMessage] = {}
    for row in rows:
        latest.setdefault(row.kind, row)
    return list(latest.values())


def resend_message(order_id: int, kind: str, admin) -> OutboxMessage:
    """Queue the latest customer e-mail of this kind again, under a new dedupe key; the timeline says so."""
    order = lock_order(order_id=order_id)
    last = next((m for m in customer_messages(order) if m.kind == kind), None) if order is not None else None
    if last is None:
        db.session.rollback()
        raise NothingToResend()
    message = load(last.kind, last.payload)
    original = last.dedupe_key.split(":resent:")[0]
    copies = db.session.scalar(select(func.count(OutboxMessage.id))
                               .where(OutboxMessage.dedupe_key.like(f"{original}:resent:%"))) or 0
    enqueue(Envelope(message, last.recipient, last.language, f"{original}:resent:{copies + 1}"))
    with force_locale(order.language):  # the timeline's reader is the customer
        subject = message.subject()
    record_event(order, OrderEventKind.MESSAGE_RESENT, admin, message=last.kind, subject=subject)
    record_change(admin, "order.message.resent", order, after={"message": last.kind}, note=last.recipient)
    db.session.commit()
    return last
