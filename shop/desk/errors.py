"""What the desk refuses, in words staff can act on; nothing was changed when one is raised."""
from __future__ import annotations

from typing import NoReturn

from flask_babel import lazy_gettext as _l

from shop.errors import ShopError
from shop.extensions import db


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


def refuse(error: DeskError) -> NoReturn:
    """Give up the use case's write transaction and say why."""
    db.session.rollback()
    raise error
