"""Handing a ready order to its customer at the desk: the pickup code, the identity check, the cash.

A code of another point's order is "not found" here, never described.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.clock import now
from shop.desk.errors import CodeNotFound, IdentityNotChecked, NotReady, refuse
from shop.extensions import db
from shop.labels import order_status_label
from shop.orders.codes import normalize_code
from shop.orders.lifecycle import lock_order, move_parts
from shop.orders.models import Fulfillment, Order, OrderEventKind, PartStatus
from shop.payments.cash import record_cash_payment


def order_options():
    """What the desk's pages show of an order: its parts with their lines, and its payments."""
    return (selectinload(Order.parts).selectinload(Fulfillment.lines), selectinload(Order.payments))


def order_at_point(point_id: int, number: str) -> Order | None:
    """One pickup order of this point with its parts, lines and payment; None for any other."""
    return db.session.scalar(
        select(Order).where(Order.number == number, Order.sales_point_id == point_id)
        .options(*order_options(), selectinload(Order.events))
    )


def masked_phone(phone: str) -> str:
    """Only the last three digits, for checking identity without reading the number out: •••• ••• 321."""
    digits = re.sub(r"\D", "", phone or "")
    return f"•••• ••• {digits[-3:]}" if len(digits) >= 3 else "•••"


def find_for_pickup(point_id: int, typed: str) -> Order | None:
    """The order with this pickup code if it is one of this point's; None otherwise, whatever the reason."""
    code = normalize_code(typed)
    if not code:
        return None
    return db.session.scalar(
        select(Order).where(Order.pickup_code == code, Order.sales_point_id == point_id)
        .options(*order_options())
    )


@dataclass(frozen=True)
class Handover:
    order: Order
    due_vnd: int
    tendered_vnd: int

    @property
    def change_vnd(self) -> int:
        return self.tendered_vnd - self.due_vnd


def hand_over(point_id: int, typed_code: str, user, *, identity_checked: bool,
              tendered_vnd: int | None = None) -> Handover:
    """Give the customer their order: the code must match, identity be checked, the cash (if due) be enough."""
    found = find_for_pickup(point_id, typed_code)
    if found is None:
        raise CodeNotFound()
    order = lock_order(order_id=found.id)
    if order is None or order.sales_point_id != point_id:
        refuse(CodeNotFound())
    if not order.is_ready_for_pickup:
        refuse(NotReady(number=order.number, status=order_status_label(order.status)))
    if not identity_checked:
        refuse(IdentityNotChecked())
    at = now()
    # Taken before anything moves: cash that does not do refuses the whole handover.
    due = record_cash_payment(order, tendered_vnd, user, at=at)
    ready = [part for part in order.parts if part.status == PartStatus.READY]
    move_parts(order, ready, PartStatus.COLLECTED, user, OrderEventKind.COLLECTED, point=order.sales_point_code)
    for part in ready:
        part.closed_at = at
    order.collected_at = at
    db.session.commit()
    return Handover(order, due, tendered_vnd if due else 0)
