"""Messages are checked when a use case queues them, and rows written before the typed messages still send."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from shop.extensions import db
from shop.notifications.messages import Envelope, InvalidMessage, load
from shop.notifications.models import OutboxMessage, OutboxStatus
from shop.notifications.outbox import enqueue
from shop.notifications.sender import send_due
from shop.orders.models import Order, OrderStatus
from shop.account.cancelling import cancel_by_customer


class Keep:
    """A transport that keeps what it is given."""

    def __init__(self) -> None:
        self.sent = []

    def send(self, email, name: str) -> None:
        self.sent.append(email)


def _outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_a_use_case_whose_message_breaks_its_contract_fails_and_changes_nothing(app, make_order, monkeypatch):
    order = make_order()
    before = _outbox_count()
    # A link that is not a web address must never reach a customer's mailbox as an href.
    monkeypatch.setitem(app.config, "PUBLIC_URL", "ftp://ocop-quangninh.example")

    with pytest.raises(InvalidMessage, match="must be an absolute http"):
        cancel_by_customer(order.id)
    db.session.rollback()

    assert db.session.get(Order, order.id).status == OrderStatus.CONFIRMED
    assert _outbox_count() == before


def test_only_typed_messages_in_envelopes_can_be_queued_and_a_bad_one_queues_none_of_its_batch(app):
    good = Envelope(load("password_reset", {"name": "Trang", "reset_url": "https://ocop-quangninh.example/reset/x",
                                            "expires_minutes": 30}), "trang@example.vn", "vi", "password_reset:1:x")

    with pytest.raises(InvalidMessage, match="typed messages"):
        enqueue([good, {"kind": "password_reset", "reset_url": "https://ocop-quangninh.example/reset/y"}])

    assert not db.session.new and _outbox_count() == 0
    assert enqueue([good], good) == 1  # the same dedupe key twice in one batch is queued once


def test_a_row_queued_before_the_typed_messages_still_sends(app):
    # Written by the former code: no sku, country or "awaiting payment" on a new part, and a key since dropped.
    db.session.add(OutboxMessage(kind="part_new", recipient="an@htx.vn", language="vi", dedupe_key="part_new:7:1",
                                 payload={"order_number": "QN-2612-0004", "part_id": 7, "name": "An",
                                          "producer_name": "HTX Miến dong Bình Liêu", "destination": "HL01 – Hạ Long",
                                          "lines": [{"product_name": "Miến dong", "variant_label": "Gói 500 g",
                                                     "quantity": 2}],
                                          "part_url": "https://ocop-quangninh.example/producer/parts/7",
                                          "retired_key": True}))
    db.session.commit()
    transport = Keep()

    assert send_due(transport).sent == 1
    (mail,) = transport.sent
    assert mail["Subject"] == "Phần đơn hàng mới #7 (đơn hàng QN-2612-0004)"
    assert "Xin chào An," in mail.get_body(("plain",)).get_content()
    assert db.session.scalar(select(OutboxMessage.status)) == OutboxStatus.SENT
