"""Which payment methods an order may use, and what a customer needs to pay by transfer."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app

from shop.orders.models import DeliveryMethod
from shop import qr
from shop.clock import add_working_days
from shop.payments import vietqr
from shop.orders.payment import PaymentMethod


def methods_for(delivery: DeliveryMethod, country_code: str = "VN") -> list[PaymentMethod]:
    """Cash at pickup only for pickup, COD only for delivery in Vietnam; transfer always; card when configured."""
    if delivery == DeliveryMethod.PICKUP:
        methods = [PaymentMethod.CASH_AT_PICKUP]
    elif country_code == "VN":
        methods = [PaymentMethod.COD]
    else:
        methods = []  # no carrier collects cash for us abroad
    methods.append(PaymentMethod.VIETQR_TRANSFER)
    # The seam for the card issue: Stripe appears only once the operator sets its keys.
    if current_app.config.get("STRIPE_SECRET_KEY"):
        methods.append(PaymentMethod.STRIPE_CARD)
    return methods


def transfer_due_by(placed_at: dt.datetime) -> dt.datetime:
    """When an unpaid transfer order is cancelled: TRANSFER_WORKING_DAYS working days later, at the same time of
    day (weekends, Vietnam's public holidays and Tết do not count)."""
    return add_working_days(placed_at, current_app.config["TRANSFER_WORKING_DAYS"])


def card_due_by(started_at: dt.datetime) -> dt.datetime:
    """When a card attempt's payment page lapses: the order is cancelled unless paid by then."""
    return started_at + dt.timedelta(minutes=current_app.config["STRIPE_SESSION_MINUTES"])


@dataclass(frozen=True)
class TransferInstructions:
    payload: str
    bank_name: str
    account_number: str
    account_name: str
    amount_vnd: int
    note: str

    def qr_svg(self) -> str:
        return qr.qr_svg(self.payload, scale=5, title="VietQR")

    def qr_png(self) -> bytes:
        """The code as a picture to save, with the amount, the note and the account written under it."""
        amount = f"{self.amount_vnd:,}".replace(",", ".")
        return qr.qr_card_png(self.payload, [f"{amount} VND", self.note, self.account_number])

    def as_dict(self) -> dict:
        return {"payload": self.payload, "bank_name": self.bank_name, "account_number": self.account_number,
                "account_name": self.account_name, "amount_vnd": self.amount_vnd, "note": self.note}


def transfer_instructions(order_number: str, amount_vnd: int) -> TransferInstructions:
    """The NAPAS VietQR code and its text for paying an order by bank transfer."""
    config = current_app.config
    account = vietqr.BankAccount(bin=config["VIETQR_BANK_BIN"], account_number=config["VIETQR_ACCOUNT_NUMBER"],
                                 account_name=config["VIETQR_ACCOUNT_NAME"], bank_name=config["VIETQR_BANK_NAME"])
    # The order number is the transfer note: it is how the office matches a transfer to an order.
    note = f"{order_number} OCOP"
    return TransferInstructions(
        payload=vietqr.payload(account, amount_vnd, note),
        bank_name=account.bank_name, account_number=account.account_number,
        account_name=account.account_name, amount_vnd=amount_vnd, note=note,
    )
