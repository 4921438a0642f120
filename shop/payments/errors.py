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


class TransferError(ShopError):
    """A bank transfer the office cannot record; str(error) is safe to show."""

    message = _l("This action is not possible for this order.")


class NotAwaitingTransfer(TransferError):
    message = _l("This order is not waiting for a bank transfer.")


class AmountMismatch(TransferError):
    message = _l("The amount received (%(received)s) does not match the amount due (%(due)s).")


class CashError(ShopError):
    """Cash that cannot be taken as offered; nothing was changed."""


class CashMissing(CashError):
    message = _l("Enter the cash received: %(due)s is due.")


class CashTooLittle(CashError):
    message = _l("%(received)s is less than the %(due)s due.")


class CashMismatch(CashError):
    message = _l("The cash received (%(received)s) must be exactly the amount to collect (%(due)s).")
