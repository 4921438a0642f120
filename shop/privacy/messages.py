"""The e-mail that confirms an account's erasure, sent to the old address before it is erased."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from shop.notifications.messages import Envelope, Message


@dataclass(frozen=True, kw_only=True)
class AccountErased(Message, kind="account_erased"):
    name: str | None
    #: The numbers of the orders kept for the accounts (tax law), without the person's data.
    kept_orders: list[str]

    def subject(self) -> str:
        return _("Your OCOP Quảng Ninh account has been deleted")


def account_erased(user, kept_orders: list[str], at: str) -> Envelope:
    return Envelope(AccountErased(name=user.name, kept_orders=kept_orders), user.email, user.language,
                    f"account_erased:{user.id}:{at}")
