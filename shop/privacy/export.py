"""What the shop holds about a person, as plain JSON values (Decree 13/2023, Art. 14: the right to a copy)."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from shop.auth.consents import Consent
from shop.auth.models import Login, User
from shop.catalog.reviews import Review
from shop.clock import now
from shop.extensions import db
from shop.notifications.channels import customer_phone
from shop.notifications.models import OutboxMessage
from shop.orders.models import Fulfillment, Order


def _plain(value):
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return value


def _fields(record, names: tuple[str, ...]) -> dict:
    return {name: _plain(getattr(record, name)) for name in names}


_PROFILE = ("id", "email", "name", "phone", "language", "role", "marketing_consent", "created_at", "last_login_at")
_ADDRESS = ("recipient_name", "phone", "province_name", "ward_name", "line", "is_default")
_CONSENT = ("purpose", "granted", "source", "notice_version", "recorded_at", "email", "order_id")
_ORDER = ("number", "status", "created_at", "language", "contact_name", "contact_email", "contact_phone",
          "delivery_method", "sales_point_name", "sales_point_address", "recipient_name", "recipient_phone",
          "address_line", "address_line2", "ward_name", "province_name", "city", "region", "postal_code",
          "country_code", "subtotal_vnd", "shipping_vnd", "total_vnd", "data_consent_at", "marketing_consent",
          "note", "collected_at", "erased_at")
_LINE = ("product_name", "variant_label", "sku", "producer_name", "unit_price_vnd", "quantity", "line_total_vnd")
_PAYMENT = ("method", "status", "amount_vnd", "received_vnd", "refunded_vnd", "recorded_at", "created_at")
_REVIEW = ("author_name", "rating", "body", "language", "status", "answer", "created_at", "updated_at")
_MESSAGE = ("kind", "channel", "recipient", "language", "status", "created_at", "sent_at", "payload")


def order_data(order: Order) -> dict:
    data = _fields(order, _ORDER)
    data["lines"] = [_fields(line, _LINE) for line in order.lines]
    data["parts"] = [{"producer_name": part.producer_name, "status": _plain(part.status)} for part in order.parts]
    data["payments"] = [_fields(payment, _PAYMENT) for payment in order.payments]
    lines = [line.id for line in order.lines]
    data["reviews"] = [_fields(review, _REVIEW) for review in db.session.scalars(
        select(Review).where(Review.order_line_id.in_(lines)).order_by(Review.id))] if lines else []
    return data


def _orders(condition) -> list[Order]:
    return list(db.session.scalars(
        select(Order).where(condition).order_by(Order.id)
        .options(selectinload(Order.lines), selectinload(Order.parts).selectinload(Fulfillment.lines),
                 selectinload(Order.payments))))


def _messages(emails: set[str], orders: list[Order] = ()) -> list[dict]:
    """The e-mails sent to these addresses, and the texts (SMS, Zalo) sent to the orders' phones."""
    recipients = emails | {phone for phone in (customer_phone(order.contact_phone) for order in orders) if phone}
    if not recipients:
        return []
    rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient.in_(recipients))
                              .order_by(OutboxMessage.id))
    return [_fields(message, _MESSAGE) for message in rows]


def account_data(user: User) -> dict:
    """Everything about one account: profile, addresses, consents, orders with lines, logins, e-mails sent."""
    orders = _orders(Order.user_id == user.id)
    consents = db.session.scalars(select(Consent).where(
        or_(Consent.user_id == user.id, Consent.order_id.in_([order.id for order in orders]))).order_by(Consent.id))
    return {
        "exported_at": now().isoformat(),
        "profile": _fields(user, _PROFILE),
        "addresses": [_fields(address, _ADDRESS) for address in user.addresses],
        "consents": [_fields(c, _CONSENT) for c in consents],
        "orders": [order_data(order) for order in orders],
        "sessions": [_fields(login, ("created_at", "expires_at", "remember")) for login in db.session.scalars(
            select(Login).where(Login.user_id == user.id).order_by(Login.id))],
        "messages": _messages({user.email}, orders),
    }


def matching(email: str = "", phone: str = "") -> tuple[list[User], list[Order]]:
    """The accounts and orders that carry this e-mail address or phone number (the office's data request)."""
    users, orders = [], []
    account_terms, order_terms = [], []
    if email:
        account_terms.append(User.email == email)
        order_terms.append(Order.contact_email == email)
    if phone:
        account_terms.append(User.phone == phone)
        order_terms += [Order.contact_phone == phone, Order.recipient_phone == phone]
    if account_terms:
        users = list(db.session.scalars(select(User).where(or_(*account_terms)).order_by(User.id)))
        ids = [user.id for user in users]
        orders = _orders(or_(*order_terms, Order.user_id.in_(ids)) if ids else or_(*order_terms))
    return users, orders


def request_data(email: str = "", phone: str = "") -> dict:
    """Everything the shop holds for an e-mail address or a phone number, for the office to hand over."""
    users, orders = matching(email, phone)
    emails = {user.email for user in users} | {order.contact_email for order in orders if order.contact_email}
    return {
        "exported_at": now().isoformat(),
        "request": {"email": email, "phone": phone},
        "accounts": [account_data(user) for user in users],
        "orders": [order_data(order) for order in orders],
        "consents": [_fields(c, _CONSENT) for c in db.session.scalars(
            select(Consent).where(Consent.email.in_(emails)).order_by(Consent.id))] if emails else [],
        "messages": _messages(emails, orders),
    }
