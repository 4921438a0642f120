"""The payments feature's refusals: each str() is safe to show, in the visitor's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from shop.errors import ShopError


class CardError(ShopError):
    """A card payment action the shop refuses; str(error) is safe to show."""

    message = _l("Card payment is not possible for this order.")


class NotAwaitingCard(CardError):
    message = _l("This order is not waiting for a card payment.")


class TimeToPayOver(CardError):
    message = _l("The time to pay for this order has run out.")


class NothingToRefund(CardError):
    message = _l("There is nothing left to refund on this order.")


class RefundRefused(CardError):
    message = _l("Stripe refused the refund, so nothing was refunded. Check the payment in Stripe's dashboard.")
