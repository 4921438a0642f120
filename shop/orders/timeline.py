"""The sentences of an order's timeline, read by the customer, the producer, the desk and the office."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shop.labels import part_status_label
from shop.money import format_vnd
from shop.orders.models import OrderEventKind as K
from shop.orders.reasons import reason_label


def event_label(event) -> str:
    """One sentence of an order's timeline."""
    data = event.data or {}
    if event.kind == K.PLACED:
        return str(_l("Order placed"))
    if event.kind == K.CANCELLED:
        return reason_label(data.get("reason")) or str(_l("Cancelled"))
    if event.kind == K.MESSAGE_RESENT:
        return str(_l("Message sent again: %(subject)s", subject=data.get("subject", "")))
    if event.kind == K.POINT_CHANGED:
        return str(_l("Pickup moved from %(previous)s to %(point)s by the OCOP office", previous=data.get("previous", ""),
                      point=data.get("point", "")))
    if event.kind == K.PAYMENT_RECEIVED:
        return str(_l("Payment of %(amount)s received", amount=format_vnd(data.get("amount_vnd"))))
    if event.kind == K.REFUNDED:
        return str(_l("%(amount)s refunded", amount=format_vnd(data.get("amount_vnd"))))
    if event.kind == K.LATE_PAYMENT:
        return str(_l("A card payment of %(amount)s arrived after the order was cancelled: refunded in full",
                      amount=format_vnd(data.get("amount_vnd"))))
    if event.kind == K.CARD_AMOUNT_MISMATCH:
        return str(_l("A card payment did not match the order total: the OCOP office is checking it"))
    if event.kind == K.PART_STATUS:
        sentence = f"{data.get('producer', '')}: {part_status_label(data.get('status'))}"
        if data.get("on_behalf_of"):
            sentence += " " + str(_l("(by the OCOP office for %(producer)s)", producer=data["on_behalf_of"]))
        return sentence
    if event.kind == K.PUT_ASIDE:
        return str(_l("%(producer)s: put aside from the sales point's stock", producer=data.get("producer", "")))
    if event.kind == K.READY:
        return str(_l("Ready for pickup at %(point)s", point=data.get("point", "")))
    if event.kind == K.PICKUP_REMINDER:
        return str(_l("Reminder sent: the order waits at the sales point"))
    if event.kind == K.COLLECTED:
        return str(_l("Collected at %(point)s", point=data.get("point", "")))
    if event.kind == K.UNCLAIMED:
        return str(_l("Not collected in time: cancelled, the goods go back"))
    if event.kind == K.RETURNED_TO_PRODUCER:
        return str(_l("%(producer)s: parcel given back to the producer", producer=data.get("producer", "")))
    return event.kind
