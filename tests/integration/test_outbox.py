"""The outbox sender against the database and a fake mail server: nothing lost, nothing sent twice."""
from __future__ import annotations

import datetime as dt
import email
import email.policy
import os
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from shop import ROOT
from shop.extensions import db
from shop.notifications.mailer import FileTransport, SmtpTransport
from shop.notifications.models import OutboxMessage, OutboxStatus
from shop.notifications.messages import Envelope, load
from shop.notifications.outbox import enqueue
from shop.notifications.sender import BACKOFF, send_due
from tests.unit.test_email_rendering import (
    order_placed_payload,
    password_reset_payload,
)

UTC = dt.UTC


# ---- a mail server that keeps what it receives --------------------------------------------------

class _ThreadingServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class FakeSmtpServer:
    """Just enough SMTP on 127.0.0.1 for smtplib: accepts every message, refuses the listed recipients."""

    def __init__(self, port: int = 0, delay: float = 0.0, refuse: tuple[str, ...] = ()) -> None:
        self.delay, self.refuse = delay, set(refuse)
        self.received: list[email.message.EmailMessage] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                outer._converse(self.rfile, self.wfile)

        self._server = _ThreadingServer(("127.0.0.1", port), Handler)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeSmtpServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def message_ids(self) -> list[str]:
        with self._lock:
            return [m["Message-ID"] for m in self.received]

    def _converse(self, rfile, wfile) -> None:
        def reply(line: str) -> None:
            wfile.write(line.encode("ascii") + b"\r\n")
            wfile.flush()

        reply("220 fake.test ESMTP")
        while line := rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                reply("250 fake.test")
            elif verb == "RCPT":
                address = command.partition(":")[2].strip().split()[0].strip("<>")
                reply("550 5.1.1 no such mailbox" if address in self.refuse else "250 OK")
            elif verb in ("MAIL", "RSET", "NOOP"):
                reply("250 OK")
            elif verb == "DATA":
                reply("354 end with <CR><LF>.<CR><LF>")
                data = bytearray()
                while (chunk := rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                time.sleep(self.delay)
                with self._lock:
                    self.received.append(email.message_from_bytes(bytes(data), policy=email.policy.default))
                reply("250 OK queued")
            elif verb == "QUIT":
                reply("221 bye")
                return
            else:
                reply("502 not implemented")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def smtp_to(port: int) -> SmtpTransport:
    return SmtpTransport("127.0.0.1", port, security="none", timeout=5)


class BrokenTransport:
    """A mail server that fails every time."""

    def __init__(self) -> None:
        self.calls = 0

    def send(self, _email, _name) -> None:
        self.calls += 1
        raise ConnectionRefusedError(111, "Connection refused")


# ---- helpers -----------------------------------------------------------------------------------

def aware(moment: dt.datetime) -> dt.datetime:
    # SQLite hands datetimes back without their zone; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def utcnow() -> dt.datetime:
    return dt.datetime.now(UTC)


def queue(kind: str, recipient: str, language: str, payload: dict, dedupe_key: str) -> OutboxMessage:
    """Queue the message of a kind built from its JSON payload; return its row (flushed, so it has its id)."""
    enqueue(Envelope(load(kind, payload), recipient, language, dedupe_key))
    db.session.flush()
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == dedupe_key))


def queue_reset(n: int, language: str = "vi") -> OutboxMessage:
    """Queue a password-reset e-mail to user<n>@example.vn."""
    return queue("password_reset", f"user{n}@example.vn", language, password_reset_payload(),
                 dedupe_key=f"password_reset:{n}")


def row(message_id: int) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


# ---- tests -------------------------------------------------------------------------------------

def test_messages_queued_in_a_rolled_back_transaction_are_never_sent(app):
    queue_reset(1)
    db.session.rollback()
    kept = queue_reset(2)
    db.session.commit()

    with FakeSmtpServer() as server:
        report = send_due(smtp_to(server.port))

    assert report.sent == 1
    assert [m["To"] for m in server.received] == ["user2@example.vn"]
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    assert row(kept.id).status == OutboxStatus.SENT


def test_two_senders_at_once_send_each_message_exactly_once(app):
    ids = [queue_reset(n).id for n in range(12)]
    db.session.commit()
    reports, errors = [], []
    start = threading.Barrier(2)

    with FakeSmtpServer(delay=0.02) as server:
        transport = smtp_to(server.port)

        def sender() -> None:
            with app.app_context():
                try:
                    start.wait()
                    reports.append(send_due(transport))
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
    assert sum(r.sent for r in reports) == 12 and sum(r.failed + r.dead for r in reports) == 0
    assert len(server.message_ids) == 12 and len(set(server.message_ids)) == 12
    rows = [row(i) for i in ids]
    assert {r.status for r in rows} == {OutboxStatus.SENT}
    assert {r.attempts for r in rows} == {1}


def test_mail_server_down_loses_nothing_and_sends_once_when_it_is_back(app):
    message_id = queue_reset(1).id
    db.session.commit()
    port = free_port()  # nothing listens here yet
    transport = smtp_to(port)
    t0 = utcnow()

    report = send_due(transport, now=t0)

    failed = row(message_id)
    assert (report.sent, report.failed, report.dead) == (0, 1, 0)
    assert failed.status == OutboxStatus.PENDING and failed.attempts == 1
    assert aware(failed.next_attempt_at) == t0 + BACKOFF[0]
    assert "Connection refused" in failed.last_error or "ConnectionRefusedError" in failed.last_error

    with FakeSmtpServer(port=port) as server:
        assert send_due(transport, now=t0 + BACKOFF[0] / 2).sent == 0  # not due yet
        assert server.received == []
        assert send_due(transport, now=aware(failed.next_attempt_at) + dt.timedelta(seconds=1)).sent == 1
        assert send_due(transport, now=t0 + dt.timedelta(days=3)).sent == 0

    sent = row(message_id)
    assert len(server.received) == 1
    assert sent.status == OutboxStatus.SENT and sent.attempts == 2 and sent.sent_at is not None


def test_a_message_failing_every_attempt_backs_off_then_becomes_dead(app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTBOX_MAX_ATTEMPTS", 4)
    message_id = queue_reset(1).id
    db.session.commit()
    transport = BrokenTransport()
    now = utcnow()

    for attempt in range(1, 4):
        assert send_due(transport, now=now).failed == 1
        waiting = row(message_id)
        assert waiting.status == OutboxStatus.PENDING and waiting.attempts == attempt
        assert aware(waiting.next_attempt_at) == now + BACKOFF[attempt - 1]
        now = aware(waiting.next_attempt_at)
    report = send_due(transport, now=now)

    dead = row(message_id)
    assert report.dead == 1
    assert dead.status == OutboxStatus.DEAD and dead.attempts == 4
    assert "Connection refused" in dead.last_error
    assert send_due(transport, now=now + dt.timedelta(days=30)).handled == 0
    assert transport.calls == 4


def test_starttls_is_required_when_configured_and_never_skipped(app):
    message_id = queue_reset(1).id
    db.session.commit()

    with FakeSmtpServer() as server:  # offers no STARTTLS
        transport = SmtpTransport("127.0.0.1", server.port, security="starttls", timeout=5)
        report = send_due(transport)

    assert report.failed == 1 and server.received == []
    assert "STARTTLS" in row(message_id).last_error


def test_a_recipient_the_mail_server_refuses_for_good_is_dead_at_once(app):
    refused_message = queue("password_reset", "nobody@example.vn", "vi", password_reset_payload(),
                            dedupe_key="password_reset:nobody")
    db.session.commit()
    message_id = refused_message.id

    with FakeSmtpServer(refuse=("nobody@example.vn",)) as server:
        report = send_due(smtp_to(server.port))

    assert report.dead == 1
    refused = row(message_id)
    assert refused.status == OutboxStatus.DEAD and refused.attempts == 1 and "550" in refused.last_error


def test_file_transport_writes_a_parseable_eml_in_the_message_language(app, tmp_path):
    vi = queue("order_placed", "hoa@example.vn", "vi", order_placed_payload(), "order_placed:QN-2612-0001")
    en = queue("order_placed", "ann@example.com", "en", order_placed_payload(order_number="QN-2612-0002"),
               "order_placed:QN-2612-0002")
    db.session.commit()
    outbox = tmp_path / "outbox"

    assert send_due(FileTransport(str(outbox))).sent == 2

    files = sorted(os.listdir(outbox))
    assert files == [f"{vi.id}-order_placed.eml", f"{en.id}-order_placed.eml"]
    parsed = [email.message_from_bytes((outbox / name).read_bytes(), policy=email.policy.default) for name in files]
    assert parsed[0]["Subject"] == "Đơn hàng QN-2612-0001: vui lòng chuyển khoản để thanh toán"
    assert parsed[1]["Subject"] == "Order QN-2612-0002: please pay by bank transfer"
    assert parsed[0]["To"] == "hoa@example.vn"
    assert "Xin chào Nguyễn Thị Hoa," in parsed[0].get_body(("plain",)).get_content()


def test_a_transfer_order_email_arrives_with_the_vietqr_png_and_the_exact_amount(app):
    queue("order_placed", "hoa@example.vn", "en", order_placed_payload(), "order_placed:QN-2612-0001")
    db.session.commit()

    with FakeSmtpServer() as server:
        assert send_due(smtp_to(server.port)).sent == 1

    [mail] = server.received
    images = [p for p in mail.walk() if p.get_content_type() == "image/png"]
    assert len(images) == 1
    cid = images[0]["Content-ID"].strip("<>")
    assert images[0].get_content().startswith(b"\x89PNG")
    assert f"cid:{cid}" in mail.get_body(("html",)).get_content()
    text = mail.get_body(("plain",)).get_content()
    assert "Amount: 470,000\u00a0₫" in text and "Transfer note: QN-2612-0001 OCOP" in text
    assert mail["Auto-Submitted"] == "auto-generated"


def test_a_password_reset_email_contains_the_reset_url(app):
    queue_reset(1, language="en")
    db.session.commit()

    with FakeSmtpServer() as server:
        send_due(smtp_to(server.port))

    [mail] = server.received
    assert "https://ocop-quangninh.example/reset/abc123" in mail.get_body(("plain",)).get_content()


def test_an_unknown_kind_is_recorded_as_the_error_and_the_sender_goes_on(app):
    # enqueue() refuses unknown kinds; a row like this comes from a newer app version than the sender.
    mystery = OutboxMessage(kind="pickup_ready", recipient="a@example.vn", language="vi", payload={},
                            dedupe_key="pickup_ready:1")
    db.session.add(mystery)
    db.session.flush()
    good = queue_reset(1)
    db.session.commit()

    with FakeSmtpServer() as server:
        report = send_due(smtp_to(server.port))

    assert (report.sent, report.failed) == (1, 1)
    assert len(server.received) == 1
    failed = row(mystery.id)
    assert failed.status == OutboxStatus.PENDING and "pickup_ready" in failed.last_error
    assert row(good.id).status == OutboxStatus.SENT


def test_a_sent_message_is_never_sent_again(app):
    queue_reset(1)
    db.session.commit()

    with FakeSmtpServer() as server:
        transport = smtp_to(server.port)
        assert send_due(transport).sent == 1
        assert send_due(transport, now=utcnow() + dt.timedelta(days=10)).handled == 0

    assert len(server.received) == 1


def test_an_expired_claim_is_taken_over_and_a_live_one_is_left_alone(app):
    now = utcnow()
    stale, live = queue_reset(1), queue_reset(2)
    db.session.flush()
    # Two senders died or hang mid-send: one claim ran out a minute ago, the other still holds.
    for message, claimed_until in ((stale, now - dt.timedelta(minutes=1)), (live, now + dt.timedelta(minutes=4))):
        message.status, message.attempts, message.claimed_until = OutboxStatus.SENDING, 1, claimed_until
    db.session.commit()

    with FakeSmtpServer() as server:
        report = send_due(smtp_to(server.port), now=now)

    assert report.sent == 1 and [m["To"] for m in server.received] == ["user1@example.vn"]
    assert row(stale.id).status == OutboxStatus.SENT and row(stale.id).attempts == 2
    assert row(live.id).status == OutboxStatus.SENDING and row(live.id).attempts == 1


def test_senders_take_the_oldest_messages_first_up_to_the_limit(app):
    ids = [queue_reset(n).id for n in range(5)]
    db.session.commit()

    with FakeSmtpServer() as server:
        assert send_due(smtp_to(server.port), limit=2).sent == 2

    assert [m["To"] for m in server.received] == ["user0@example.vn", "user1@example.vn"]
    assert [row(i).status for i in ids] == [OutboxStatus.SENT] * 2 + [OutboxStatus.PENDING] * 3


def test_cli_once_sends_what_is_due_and_prints_a_one_line_report(app, monkeypatch):
    for n in range(3):
        queue_reset(n)
    db.session.commit()

    with FakeSmtpServer() as server:
        monkeypatch.setitem(app.config, "MAIL_SMTP_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_SMTP_PORT", server.port)
        monkeypatch.setitem(app.config, "MAIL_SMTP_SECURITY", "none")
        monkeypatch.setitem(app.config, "OUTBOX_BATCH", 2)  # two rounds drain the three
        result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])

    assert result.exit_code == 0, result.output
    assert result.output == "outbox: 3 sent, 0 failed (will retry), 0 dead\n"
    assert len(server.received) == 3


def test_cli_without_a_mail_server_writes_eml_files_into_the_instance_folder(app):
    queue_reset(1)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once", "--limit", "5"])

    assert result.exit_code == 0, result.output
    assert "1 sent" in result.output
    message_id = db.session.scalar(select(OutboxMessage.id))
    assert os.path.exists(os.path.join(app.instance_path, "outbox", f"{message_id}-password_reset.eml"))


def test_cli_once_with_now_sends_a_retry_only_once_its_backoff_has_passed_at_that_moment(app):
    message = queue_reset(1)
    message.next_attempt_at = utcnow() + dt.timedelta(hours=2)
    db.session.commit()
    runner = app.test_cli_runner()
    later = (utcnow() + dt.timedelta(hours=3)).isoformat()

    assert "0 sent" in runner.invoke(args=["outbox", "work", "--once"]).output
    assert "1 sent" in runner.invoke(args=["outbox", "work", "--once", "--now", later]).output
    assert row(message.id).status == OutboxStatus.SENT


def test_cli_refuses_now_without_once(app):
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--now", "2026-12-24T09:00"])

    assert result.exit_code == 2 and "--now goes with --once" in result.output


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_sender_loop_sends_then_stops_cleanly_on_sigterm(app):
    message_id = queue_reset(1).id
    db.session.commit()

    with FakeSmtpServer() as server:
        env = {**os.environ, "SHOP_SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
               "SHOP_MAIL_SMTP_HOST": "127.0.0.1", "SHOP_MAIL_SMTP_PORT": str(server.port),
               "SHOP_MAIL_SMTP_SECURITY": "none", "FLASK_APP": "shop", "SHOP_ENV": "testing"}
        worker = subprocess.Popen([sys.executable, "-m", "flask", "outbox", "work", "--interval", "0.2"],
                                  cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + 30
            while not server.received and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.1)
            worker.send_signal(signal.SIGTERM)
            output, _ = worker.communicate(timeout=30)
        finally:
            if worker.poll() is None:
                worker.kill()

    assert worker.returncode == 0, output
    assert "outbox: 1 sent" in output and "outbox sender: stopped" in output
    assert len(server.received) == 1
    assert row(message_id).status == OutboxStatus.SENT
