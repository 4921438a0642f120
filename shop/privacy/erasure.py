"""Erasure (Decree 13/2023, Art. 16): an account deleted, an order's buyer anonymised.

Orders are kept for the accounting and tax laws (Law on Accounting 88/2015, 10 years): their number, lines,
parts, payments and money stay; the name, phone, e-mail, address and note go. An order still moving (goods
on their way, money not settled, a refund still owed) cannot be anonymised: the point must check the
buyer's name and phone at handover, and the office must reach them to pay a refund back.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from shop.audit import record_change
from shop.auth.consents import Consent
from shop.auth.models import Role, User
from shop.cart.models import Cart
from shop.catalog.reviews import Review
from shop.clock import now
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.notifications.channels import customer_phone
from shop.notifications.models import OutboxMessage
from shop.notifications.outbox import enqueue
from shop.orders.amounts import refund_owed_vnd
from shop.orders.lifecycle import lock_order
from shop.orders.models import Order, OrderStatus
from shop.privacy import messages
from shop.privacy.export import matching

#: What an erased order shows where the buyer's name was.
ERASED_NAME = "—"
#: Statuses in which nothing moves any more (goods handed over or gone, money settled).
FINISHED = (OrderStatus.COMPLETED, OrderStatus.CANCELLED, OrderStatus.REFUNDED)


class PrivacyError(ShopError):
    message = _l("Your data could not be erased.")


class OrderStillOpen(PrivacyError):
    message = _l("Order %(number)s is still open: its data can be erased once it is completed or cancelled "
                 "and any money owed back is paid.")


class NotACustomerAccount(PrivacyError):
    message = _l("This account works for the shop: the OCOP office closes it.")


class WrongPassword(PrivacyError):
    message = _l("The password is not right. Your account was not deleted.")


def is_settled(order: Order) -> bool:
    """Nothing of the order moves any more: finished, and no money still owed back to the buyer."""
    return order.status in FINISHED and refund_owed_vnd(order) == 0


def _anonymise(order: Order) -> None:
    """Replace the buyer's data on one settled order (no commit); the money and the goods stay as they were."""
    old_email, old_phone = order.contact_email, customer_phone(order.contact_phone)
    order.contact_name, order.contact_email, order.contact_phone = ERASED_NAME, "", ""
    order.recipient_name = order.recipient_phone = order.address_line = order.address_line2 = ""
    order.city = order.region = order.postal_code = order.note = ""
    order.marketing_consent = False
    order.buyer_birth_date = None  # asked for alcohol orders only; the age check happened at checkout
    for payment in order.payments:
        payment.checkout_url = ""  # the card page's address names the buyer at Stripe
    order.erased_at = now()
    # The bank account a refund was sent to (payments/models.py: RefundBankDetails, a floor above this one,
    # so reached through its table): the refund is paid, the account goes too.
    refund_accounts = db.metadata.tables.get("refund_bank_details")
    if refund_accounts is not None:
        db.session.execute(refund_accounts.delete().where(refund_accounts.c.order_id == order.id))
    db.session.execute(update(Consent).where(Consent.order_id == order.id).values(email=""))
    # A review stays (its rating counts), but no longer names its author: shown as "a buyer".
    db.session.execute(update(Review).where(Review.order_line_id.in_([line.id for line in order.lines]))
                       .values(author_name="", user_id=None).execution_options(synchronize_session=False))
    # The order's e-mails and texts carried its links, the pickup code and the buyer's name.
    for recipient in filter(None, (old_email, old_phone)):
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == recipient,
                                                       OutboxMessage.dedupe_key.contains(order.number)))


def erase_guest_order(number: str, token_checked_order_id: int) -> Order:
    """Anonymise an order whose page the visitor opened with its token; refuse while it is still open."""
    order = lock_order(order_id=token_checked_order_id)
    if order is None or order.number != number:
        db.session.rollback()
        raise PrivacyError()
    if order.erased_at is None:
        if not is_settled(order):
            db.session.rollback()
            raise OrderStillOpen(number=order.number)
        _anonymise(order)
    db.session.commit()
    return order


def _open_order(orders: list[Order]) -> Order | None:
    return next((order for order in orders if order.erased_at is None and not is_settled(order)), None)


def delete_account(user: User, password: str) -> list[str]:
    """The customer deletes their own account after typing the password again; return the kept order numbers.

    A confirmation goes to the address first (through the outbox); then the addresses, carts and logins
    are deleted with the account, every order is anonymised and kept, consents keep the answer but lose
    the address, and the e-mails sent to the address are deleted.
    """
    if user.role != Role.CUSTOMER:
        raise NotACustomerAccount()
    if not user.check_password(password or ""):
        raise WrongPassword()
    begin_write()
    user = db.session.get(User, user.id, with_for_update=True, populate_existing=True)
    orders = list(db.session.scalars(select(Order).where(Order.user_id == user.id).order_by(Order.id)))
    open_order = _open_order(orders)
    if open_order is not None:
        db.session.rollback()
        raise OrderStillOpen(number=open_order.number)
    kept = [order.number for order in orders]
    _erase_account(user, orders)
    record_change(user, "privacy.account_deleted", user, note=f"{len(kept)} order(s) kept, anonymised")
    db.session.delete(user)
    db.session.commit()
    return kept


def _erase_account(user: User, orders: list[Order]) -> None:
    """Anonymise the orders, tell the old address, forget the account's e-mails; the caller deletes the user."""
    email = user.email
    for order in orders:
        if order.erased_at is None:
            _anonymise(order)
        order.user_id = None
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == email))
    db.session.execute(delete(Cart).where(Cart.user_id == user.id))  # the cart and its checkout answers
    db.session.flush()
    stamp = now().strftime("%Y%m%d%H%M%S")
    enqueue(messages.account_erased(user, [order.number for order in orders], stamp))
    db.session.execute(update(Consent).where(Consent.user_id == user.id).values(email="", user_id=None))
    # From here the account names nobody, so the audit entry written with it keeps no personal data.
    user.email, user.name, user.phone = f"erased-{user.id}@invalid", "", ""


@dataclass(frozen=True)
class RequestAnswer:
    """What the office's erasure did: the accounts deleted, the orders anonymised, the orders left open."""

    accounts: int
    orders: list[str]
    still_open: list[str]


def erase_for_request(actor: User, email: str = "", phone: str = "") -> RequestAnswer:
    """The office erases what the shop holds for an e-mail address or phone number (audited, one commit).

    Customer accounts are deleted (staff, producer and office accounts are left to the people screens),
    settled orders anonymised; open orders are listed and left as they are.
    """
    begin_write()
    users, orders = matching(email, phone)
    customers = [user for user in users if user.role == Role.CUSTOMER]
    their_orders = {user.id: [o for o in orders if o.user_id == user.id] for user in customers}
    still_open = sorted({o.number for o in orders if o.erased_at is None and not is_settled(o)})
    erased, accounts = [], 0
    for user in customers:
        if _open_order(their_orders[user.id]) is not None:
            continue  # the account stays while one of its orders moves; the office answers again later
        erased += [o.number for o in their_orders[user.id] if o.erased_at is None]
        _erase_account(user, their_orders[user.id])
        record_change(actor, "privacy.account_deleted", user, note="data request")
        db.session.delete(user)
        accounts += 1
    for order in orders:
        if order.erased_at is None and is_settled(order) and order.number not in erased:
            _anonymise(order)
            erased.append(order.number)
            record_change(actor, "privacy.order_anonymised", order, note="data request")
    db.session.commit()
    return RequestAnswer(accounts=accounts, orders=sorted(erased), still_open=still_open)
