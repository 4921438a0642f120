"""Texts to the customer's phone behind the outbox: SMS and Zalo ZNS with in-memory fake providers."""
from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from sqlalchemy import select

from shop.extensions import db
from shop.notifications import texting
from shop.notifications.channels import sms_body
from shop.notifications.mailer import FileTransport
from shop.notifications.messages import Envelope, load
from shop.notifications.models import OutboxMessage, OutboxStatus
from shop.notifications.outbox import enqueue
from shop.notifications.sender import BACKOFF, send_due
from shop.orders.payment import PaymentMethod
from tests.unit.test_email_rendering import order_ready_payload


@pytest.fixture
def sms(app, monkeypatch):
    """SMS on, by the in-memory fake provider; Zalo off."""
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "fake")
    monkeypatch.setitem(app.config, "ZALO_PROVIDER", None)
    app.extensions.pop("text_providers", None)
    yield texting.fake_texts(app, "sms")
    app.extensions.pop("text_providers", None)


@pytest.fixture
def zalo(app, sms, monkeypatch):
    """Zalo on for the order confirmation and the ready message, by its fake; SMS behind it."""
    monkeypatch.setitem(app.config, "ZALO_PROVIDER", "fake")
    monkeypatch.setitem(app.config, "ZALO_TEMPLATES", {"order_placed": "250001", "order_ready": "250002"})
    return texting.fake_texts(app, "zalo")


@pytest.fixture
def mails(tmp_path):
    return FileTransport(str(tmp_path / "mail"))


def rows(channel: str | None = None) -> list[OutboxMessage]:
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if channel:
        query = query.where(OutboxMessage.channel == channel)
    return list(db.session.scalars(query))


def ready_envelope(phone: str | None = "0912 345 678", email: str = "lan@example.vn", language: str = "vi",
                   number: str = "QN-2612-0005") -> Envelope:
    message = load("order_ready", order_ready_payload(order_number=number))
    return Envelope(message, email, language, f"order_ready:{number}", phone=phone)


def test_a_placed_order_texts_its_confirmation_once_even_when_the_sender_runs_twice(app, sms, mails, make_order):
    order = make_order(language="vi")  # pickup, cash, phone +84912345678

    texts = rows("sms")
    assert [(r.kind, r.recipient, r.dedupe_key) for r in texts] == [
        ("order_placed", "+84912345678", f"order_placed:{order.number}:sms")]
    assert [r.kind for r in rows("email")].count("order_placed") == 1

    send_due(mails)
    send_due(mails)
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])

    assert result.exit_code == 0, result.output
    assert len(sms.sent) == 1
    text = sms.sent[0]
    assert text.phone == "+84912345678" and not text.unicode
    # Vietnamese folded to GSM-7: no marks, the đồng sign written VND.
    assert text.body.startswith(f"OCOP Quang Ninh: chung toi da nhan don {order.number} (200.000 VND).")
    # The access token travels only inside the order link.
    assert text.body.count(order.access_token) == 1 and f"?t={order.access_token}" in text.body
    assert rows("sms")[0].status == OutboxStatus.SENT


def test_two_senders_at_once_send_each_text_exactly_once(app, sms, mails):
    for n in range(8):
        enqueue(ready_envelope(number=f"QN-2612-{n:04d}"))
    db.session.commit()
    start, errors = threading.Barrier(2), []

    def sender() -> None:
        with app.app_context():
            try:
                start.wait()
                send_due(mails)
            except Exception as error:  # noqa: BLE001 - reported by the assertion below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    numbers = sorted(re.search(r"QN-\d{4}-\d{4}", t.body).group(0) for t in sms.sent)
    assert numbers == [f"QN-2612-{n:04d}" for n in range(8)]
    assert {r.status for r in rows("sms")} == {OutboxStatus.SENT} and {r.attempts for r in rows("sms")} == {1}


def test_the_ready_text_has_the_pickup_code_the_point_the_deadline_and_the_cash(app, sms, mails):
    enqueue(ready_envelope(language="en"))
    db.session.commit()
    send_due(mails)

    assert [t.body for t in sms.sent] == [
        "OCOP Quang Ninh: your order QN-2612-0005 is ready at Diem ban OCOP Ha Long. Pickup code: K7M2 QX9P. "
        "Collect it by 31 Dec 2026, 17:30. Pay 150,000 VND in cash there."]
    assert "ready-token" not in sms.sent[0].body  # no link, so no token


def test_the_pickup_reminder_is_texted_too(app, sms, mails):
    message = load("pickup_reminder", order_ready_payload())
    enqueue(Envelope(message, "lan@example.vn", "vi", "pickup_reminder:QN-2612-0005", phone="+84912345678"))
    db.session.commit()
    send_due(mails)

    assert [t.body for t in sms.sent] == [
        "OCOP Quang Ninh nhac: don QN-2612-0005 dang cho ban tai Diem ban OCOP Ha Long den 31/12/2026 17:30. "
        "Ma nhan hang: K7M2 QX9P. Thanh toan 150.000 VND tien mat khi nhan."]


def test_a_chinese_text_goes_as_unicode_in_chinese(app, sms, mails):
    enqueue(ready_envelope(language="zh"))
    db.session.commit()
    send_due(mails)

    (text,) = sms.sent
    assert text.unicode and "取货码：K7M2 QX9P" in text.body and "2026年12月31日 17:30" in text.body


def test_a_failing_sms_provider_is_retried_with_backoff_and_sends_once(app, sms, mails):
    enqueue(ready_envelope(email=""))
    db.session.commit()
    sms.failures.append(RuntimeError("eSMS CodeResult 99: unknown error"))
    now = dt.datetime.now(dt.UTC)

    assert send_due(mails, now=now).failed == 1
    (row,) = rows("sms")
    assert row.status == OutboxStatus.PENDING and "CodeResult 99" in row.last_error and sms.sent == []
    assert send_due(mails, now=now + BACKOFF[0] / 2).handled == 0
    assert send_due(mails, now=now + BACKOFF[0] + dt.timedelta(seconds=1)).sent == 1
    assert send_due(mails, now=now + dt.timedelta(days=3)).handled == 0
    assert len(sms.sent) == 1 and rows("sms")[0].attempts == 2


def test_a_permanent_zalo_failure_falls_back_to_one_sms(app, zalo, sms, mails):
    enqueue(ready_envelope())
    db.session.commit()
    assert [(r.channel, r.dedupe_key) for r in rows() if r.channel != "email"] == [
        ("zalo", "order_ready:QN-2612-0005:zalo")]
    zalo.failures.append(texting.Undeliverable("Zalo ZNS error -118: Zalo account not existed"))

    send_due(mails)  # Zalo refuses for good: the SMS is queued in the same transaction
    send_due(mails)  # the SMS goes
    send_due(mails)

    by_channel = {r.channel: r for r in rows()}
    assert by_channel["zalo"].status == OutboxStatus.DEAD and "-118" in by_channel["zalo"].last_error
    assert by_channel["sms"].status == OutboxStatus.SENT
    assert by_channel["sms"].dedupe_key == "order_ready:QN-2612-0005:sms"
    assert zalo.sent == [] and len(sms.sent) == 1 and "K7M2 QX9P" in sms.sent[0].body


def test_zalo_that_delivers_sends_its_template_and_no_sms(app, zalo, sms, mails):
    enqueue(ready_envelope())
    db.session.commit()
    send_due(mails)

    (text,) = zalo.sent
    assert text.phone == "+84912345678" and text.template_id == "250002"
    assert text.params == {"customer_name": "Đỗ Thị Lan", "order_number": "QN-2612-0005",
                           "point": "Điểm bán OCOP Hạ Long", "pickup_code": "K7M2 QX9P",
                           "hold_until": "31/12/2026 17:30", "cash_due": "150.000\u00a0₫"}
    assert sms.sent == [] and rows("sms") == []


def test_readers_of_other_languages_get_the_sms_in_theirs_rather_than_a_vietnamese_zalo_template(app, zalo, sms):
    enqueue(ready_envelope(language="ko"))

    assert [r.channel for r in rows() if r.channel != "email"] == ["sms"]


def test_no_phone_or_a_number_that_is_not_one_sends_no_text(app, sms):
    enqueue(ready_envelope(phone=None, number="QN-2612-0001"), ready_envelope(phone="12", number="QN-2612-0002"))

    assert rows("sms") == [] and len(rows("email")) == 2


def test_without_an_sms_provider_nothing_is_texted(app, make_order):
    assert not app.config.get("SMS_PROVIDER")
    make_order()

    assert {r.channel for r in rows()} == {"email"}


def test_an_order_without_email_is_still_texted(app, sms):
    enqueue(ready_envelope(email=""))

    assert [(r.channel, r.recipient) for r in rows()] == [("sms", "+84912345678")]


def test_a_transfer_order_text_asks_for_the_payment_with_its_deadline(app, sms, mails, make_order):
    order = make_order(payment=PaymentMethod.VIETQR_TRANSFER, language="en")
    send_due(mails)

    (text,) = sms.sent
    assert text.body.startswith(f"OCOP Quang Ninh: order {order.number}, 200,000 VND. Please pay by bank transfer "
                                "before ")
    assert text.body.endswith(f"?t={order.access_token}")


def test_kinds_that_are_not_texted_go_by_email_only(app, sms, make_order):
    from shop.orders import messages as order_messages
    from shop.orders.reasons import CancelReason

    order = make_order()
    enqueue(order_messages.order_cancelled(order, CancelReason.CUSTOMER))

    assert [r.kind for r in rows("sms")] == ["order_placed"]


@pytest.mark.parametrize(("text", "unicode_allowed", "expected"), [
    ("Đơn hàng đã sẵn sàng: 150.000\u00a0₫", False, ("Don hang da san sang: 150.000 VND", False)),
    ("Đơn hàng đã sẵn sàng", True, ("Đơn hàng đã sẵn sàng", True)),
    ("您的订单已可取货", False, ("您的订单已可取货", True)),
    ("Order  QN-2612-0001\nis ready", False, ("Order QN-2612-0001 is ready", False)),
    ("Điểm bán OCOP – Hạ Long · “Cái Dăm”", False, ('Diem ban OCOP - Ha Long - "Cai Dam"', False)),
])
def test_the_gsm7_rule(text, unicode_allowed, expected):
    assert sms_body(text, unicode_allowed) == expected


class _Provider:
    """A provider's HTTP API on 127.0.0.1 that records each request and answers with `answer`."""

    def __init__(self, answer: dict) -> None:
        import http.server
        import json

        self.requests: list[tuple[str, dict, dict]] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server name
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                outer.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_esms_gets_the_folded_text_its_keys_and_a_request_id():
    provider = _Provider({"CodeResult": "100", "SMSID": "abc"})
    try:
        texting.EsmsTexts("key", "secret", "OCOP_QN", provider.base, 5).send(
            texting.Text(phone="+84912345678", reference="7-order_ready", body="Don QN-2612-0005 da san sang"))
    finally:
        provider.close()
    ((path, _headers, body),) = provider.requests
    assert path == "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    assert body == {"ApiKey": "key", "SecretKey": "secret", "Brandname": "OCOP_QN", "SmsType": "2",
                    "Phone": "84912345678", "Content": "Don QN-2612-0005 da san sang", "IsUnicode": "0",
                    "RequestId": "7-order_ready"}


def test_zalo_zns_refusing_the_receiver_is_undeliverable():
    provider = _Provider({"error": -118, "message": "Zalo account not existed"})
    try:
        with pytest.raises(texting.Undeliverable, match="-118"):
            texting.ZnsTexts("token", provider.base, 5).send(texting.Text(
                phone="+84912345678", reference="8-order_ready", template_id="250002", params={"order_number": "X"}))
    finally:
        provider.close()
    ((path, headers, body),) = provider.requests
    assert path == "/message/template" and headers["access_token"] == "token"
    assert body == {"phone": "84912345678", "template_id": "250002", "template_data": {"order_number": "X"},
                    "tracking_id": "8-order_ready"}


def test_a_data_request_by_phone_lists_the_texts_sent_to_it(app, sms, make_order):
    from shop.privacy.export import request_data

    make_order()
    db.session.commit()

    exported = request_data(phone="+84912345678")["messages"]
    assert [(m["kind"], m["channel"], m["recipient"]) for m in exported if m["channel"] == "sms"] == [
        ("order_placed", "sms", "+84912345678")]


def test_erasing_a_finished_guest_order_deletes_its_texts(app, sms, make_order):
    from shop.account.cancelling import cancel_by_customer
    from shop.privacy.erasure import erase_guest_order

    order = make_order()
    cancel_by_customer(order.id)
    assert rows("sms")

    erase_guest_order(order.number, order.id)

    assert rows("sms") == []


def test_an_order_placed_without_email_gets_its_confirmation_by_sms_only(app, sms, mails, make_order):
    order = make_order(email="")
    send_due(mails)

    assert {(r.kind, r.channel) for r in rows() if order.number in r.dedupe_key} == {("order_placed", "sms")}
    assert len(sms.sent) == 1 and order.number in sms.sent[0].body


def test_the_log_provider_writes_each_text_beside_the_emails(app, monkeypatch, tmp_path):
    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    monkeypatch.setitem(app.config, "SMS_PROVIDER", "log")
    app.extensions.pop("text_providers", None)
    try:
        texting.provider(app, "sms").send(texting.Text(phone="+84912345678", reference="5-order_ready",
                                                       body="Don QN-2612-0005 da san sang"))
    finally:
        app.extensions.pop("text_providers", None)

    written = (tmp_path / "outbox" / "5-order_ready.sms.txt").read_text(encoding="utf-8")
    assert written == "To: +84912345678\n\nDon QN-2612-0005 da san sang\n"


def test_production_refuses_a_fake_or_incomplete_text_provider():
    from shop.config import text_problems

    assert text_problems({"SMS_PROVIDER": "fake"}) and text_problems({"SMS_PROVIDER": "esms", "SMS_API_KEY": "k"})
    assert text_problems({"ZALO_PROVIDER": "zns"})
    assert text_problems({"SMS_PROVIDER": "esms", "SMS_API_KEY": "k", "SMS_SECRET_KEY": "s",
                          "ZALO_PROVIDER": "zns", "ZALO_ACCESS_TOKEN": "t"}) == []
