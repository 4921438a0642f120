"""Why an order was cancelled: the stored code and the sentences customers, producers and timelines read."""
from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class CancelReason(enum.StrEnum):
    """Stored in the "cancelled" event's data and in cancellation e-mails; the values never change."""

    CUSTOMER = "customer"  #: the customer cancelled while nothing was packed or put aside
    UNPAID_TRANSFER = "unpaid_transfer"  #: the bank transfer did not arrive before its deadline
    UNPAID_CARD = "unpaid_card"  #: the card payment was not completed (the Stripe session expired or failed)
    PRODUCER = "producer"  #: the producer could not supply the goods
    ADMIN = "admin"  #: the OCOP office cancelled the order
    UNCLAIMED = "unclaimed"  #: ready at the sales point, not collected before the hold ended

    @property
    def label(self) -> str:
        """A short line for the order's timeline, in the current language."""
        return str(_LABELS[self])

    @property
    def sentence(self) -> str:
        """Tell the customer in one sentence why the order was cancelled, in the current language."""
        return str(_SENTENCES[self])

    @property
    def producer_sentence(self) -> str | None:
        """Tell a producer in one sentence why its part was cancelled; None when the producer is never told so."""
        sentence = _PRODUCER_SENTENCES.get(self)
        return str(sentence) if sentence is not None else None


R = CancelReason
_LABELS = {
    R.CUSTOMER: _l("Cancelled by you"),
    R.UNPAID_TRANSFER: _l("Cancelled: the bank transfer did not arrive in time"),
    R.UNPAID_CARD: _l("Cancelled: the card payment was not completed"),
    R.PRODUCER: _l("Cancelled by the producer"),
    R.ADMIN: _l("Cancelled by the OCOP office"),
    R.UNCLAIMED: _l("Not collected in time: cancelled, the goods go back"),
}
_SENTENCES = {
    R.CUSTOMER: _l("It was cancelled at your request."),
    R.UNPAID_TRANSFER: _l("We did not receive your bank transfer before the deadline, so the products "
                          "were released. If you have already paid, please contact us with the transfer "
                          "receipt and we will sort it out."),
    R.UNPAID_CARD: _l("Your card payment was not completed, so the products were released. No money was "
                      "taken from your card."),
    R.PRODUCER: _l("The producer could not supply the products you ordered. We are sorry."),
    R.ADMIN: _l("The shop had to cancel it. Please contact us if you have any questions."),
    R.UNCLAIMED: _l("Not collected in time: cancelled, the goods go back"),
}
# The producer's own rejection and an unclaimed parcel reach the producer by other messages.
_PRODUCER_SENTENCES = {
    R.CUSTOMER: _l("The customer cancelled the order."),
    R.UNPAID_TRANSFER: _l("The customer's bank transfer did not arrive in time."),
    R.UNPAID_CARD: _l("The customer's card payment was not completed."),
    R.ADMIN: _l("The OCOP office cancelled the order."),
}
#: Reasons a producer is told by a "part cancelled" message.
PRODUCER_TOLD = frozenset(_PRODUCER_SENTENCES)


def reason_label(code: str | None) -> str | None:
    """The timeline line for a stored reason code; None for a code the shop does not know."""
    try:
        return CancelReason(code).label
    except ValueError:
        return None
