"""Bank transfers matched on their own: the bank-notification webhook, statement CSV imports, and the office's
queue of money that matched no order exactly (assign or set aside)."""
from __future__ import annotations

import json
import threading
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role
from shop.extensions import db
from shop.ledger.check import check_books
from shop.ledger.models import Account, JournalEntry
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderEvent
from shop.orders.payment import Payment, PaymentMethod, PaymentStatus
from shop.payments.models import BankLine, BankLineStatus, BankStatementFormat
from shop.payments.transfers import refunds_owed
from tests.conftest import PASSWORD
from tests.web.helpers import alerts, csrf_token, notices

SECRET = "s3cret-shared-with-the-bank-service"


@pytest.fixture(autouse=True)
def webhook_secret(app, monkeypatch):
    monkeypatch.setitem(app.config, "BANK_WEBHOOK_SECRET", SECRET)


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("shop.auth.models.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


@pytest.fixture
def shop(two_producers_and_two_points, make_order, make_user):
    """Minh's delivery of 1 × squid (250.000 ₫ + the delivery fee) waits for a transfer; Lan's pickup of
    2 × noodles (200.000 ₫) too; the office is boss@example.vn."""
    state = two_producers_and_two_points
    minh = make_order((state.squid, 1), delivery=True, payment=PaymentMethod.VIETQR_TRANSFER, email="minh@example.vn")
    lan = make_order((state.noodles, 2), point=state.p, payment=PaymentMethod.VIETQR_TRANSFER, email="lan@example.vn")
    office = make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN)
    db.session.commit()
    return SimpleNamespace(state=state, minh=minh, lan=lan, office=office)


def note(order: Order) -> str:
    """The order number as the bank passes the note on: no dashes, upper case, with other words around it."""
    return f"MBVCB.1234567.{order.number.replace('-', '')} OCOP.CT tu 0987654321 TRAN VAN MINH"


def notify(client, *, id="FT26338000001", amount=250_000, content="", date="2026-12-04 10:15:00",
           account="0011000123456", secret=SECRET, **extra):
    body = {"id": id, "amount": amount, "content": content, "date": date, "account": account, **extra}
    return client.post("/webhooks/bank", data=json.dumps(body), content_type="application/json",
                       headers={"Authorization": f"Apikey {secret}"} if secret is not None else {})


def fresh(order: Order) -> Order:
    db.session.rollback()
    db.session.expire_all()
    return db.session.get(Order, order.id)


def state_of(*orders) -> tuple:
    """What a customer or the office would notice of the orders: payments, timeline, e-mails, the books."""
    db.session.rollback()
    db.session.expire_all()
    ids = [o.id for o in orders]
    payments = db.session.execute(select(Payment.order_id, Payment.status, Payment.received_vnd)
                                  .where(Payment.order_id.in_(ids)).order_by(Payment.id)).all()
    return (tuple(payments), db.session.scalar(select(func.count(OrderEvent.id))),
            db.session.scalar(select(func.count(OutboxMessage.id))),
            db.session.scalar(select(func.count(JournalEntry.id))))


def bank_balance() -> int:
    db.session.expire_all()
    return db.session.scalar(select(Account.balance_vnd).where(Account.code == "bank")) or 0


# ---- the webhook ----------------------------------------------------------------------------------

def test_a_notification_for_exactly_the_amount_due_pays_the_order_as_the_office_would(client, shop):
    due = shop.minh.total_vnd

    response = notify(client, amount=due, content=note(shop.minh))

    assert response.status_code == 200 and response.json == {"received": True, "recorded": True, "status": "matched"}
    order = fresh(shop.minh)
    assert order.payment.status == PaymentStatus.PAID and order.payment.received_vnd == due
    assert order.payment.provider_reference == "webhook FT26338000001"
    assert [e.kind for e in order.events].count("payment_received") == 1
    kinds = db.session.scalars(select(OutboxMessage.kind).where(OutboxMessage.recipient == "minh@example.vn")).all()
    assert "payment_received" in kinds
    entry = db.session.scalar(select(JournalEntry).where(JournalEntry.idempotency_key == f"payment-{order.payment.id}-received"))
    assert entry is not None and bank_balance() == due
    assert check_books() == []
    line = db.session.scalar(select(BankLine))
    assert line.status == BankLineStatus.MATCHED and line.order_id == order.id


def test_the_same_notification_sent_five_times_at_once_records_once(app, shop):
    due, barrier, answers = shop.minh.total_vnd, threading.Barrier(5), []

    def send():
        with app.test_client() as client:
            barrier.wait()
            answers.append(notify(client, amount=due, content=note(shop.minh)).json["recorded"])

    threads = [threading.Thread(target=send) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(answers) == [False, False, False, False, True]
    order = fresh(shop.minh)
    assert order.payment.status == PaymentStatus.PAID and order.payment.received_vnd == due
    assert [e.kind for e in order.events].count("payment_received") == 1
    assert db.session.scalar(select(func.count(BankLine.id))) == 1
    assert bank_balance() == due and check_books() == []


@pytest.mark.parametrize("amount, problem", [(100_000, "short"), (None, "over")])
def test_a_notification_not_for_the_amount_due_waits_for_the_office_and_changes_no_order(client, shop, amount, problem):
    before = state_of(shop.minh, shop.lan)
    amount = amount or shop.minh.total_vnd + 50_000

    assert notify(client, amount=amount, content=note(shop.minh)).json["status"] == "unmatched"

    assert state_of(shop.minh, shop.lan) == before
    line = db.session.scalar(select(BankLine))
    assert (line.status, line.problem, line.order_id) == (BankLineStatus.UNMATCHED, problem, shop.minh.id)


def test_a_notification_naming_no_order_waits_for_the_office(client, shop):
    before = state_of(shop.minh, shop.lan)
    assert notify(client, amount=shop.lan.total_vnd, content="chuyen tien an trua").json["status"] == "unmatched"
    assert notify(client, id="FT2", amount=shop.lan.total_vnd, content="QN99990001").json["status"] == "unmatched"
    assert state_of(shop.minh, shop.lan) == before
    assert {line.problem for line in db.session.scalars(select(BankLine))} == {"no_order"}


def test_money_for_an_order_already_paid_is_owed_back_not_queued(client, shop):
    """(tests/web/test_bank_owed_back.py has the rest of this.)"""
    assert notify(client, amount=shop.lan.total_vnd, content=note(shop.lan)).json["status"] == "matched"
    assert notify(client, id="FT-again", amount=shop.lan.total_vnd, content=note(shop.lan)).json["status"] \
        == "owed_back"
    assert [(row.order.id, row.amount_vnd) for row in refunds_owed()] == [(shop.lan.id, shop.lan.total_vnd)]
    assert check_books() == []


@pytest.mark.parametrize("secret", [None, "wrong", SECRET + "x", ""])
def test_a_notification_without_the_shared_secret_is_refused(client, shop, secret):
    before = state_of(shop.minh)
    response = notify(client, amount=shop.minh.total_vnd, content=note(shop.minh), secret=secret)
    assert response.status_code == 401
    assert state_of(shop.minh) == before and db.session.scalar(select(func.count(BankLine.id))) == 0


def test_no_notification_is_taken_while_the_shop_has_no_secret(client, shop, monkeypatch, app):
    monkeypatch.setitem(app.config, "BANK_WEBHOOK_SECRET", None)
    assert notify(client, amount=shop.minh.total_vnd, content=note(shop.minh), secret="None").status_code == 401
    assert notify(client, amount=shop.minh.total_vnd, content=note(shop.minh), secret="").status_code == 401
    assert db.session.scalar(select(func.count(BankLine.id))) == 0


@pytest.mark.parametrize("change", [
    {"amount": -250_000}, {"amount": 0}, {"amount": 250_000.5}, {"amount": "250000"}, {"amount": True},
    {"amount": 10**15}, {"id": ""}, {"id": None}, {"id": "x" * 200}, {"date": "hôm qua"}, {"date": "9999-01-01"},
    {"content": ["QN"]}, {"account": 12},
])
def test_a_notification_of_the_wrong_shape_is_refused_and_stores_nothing(client, shop, change):
    body = {"id": "FT1", "amount": shop.minh.total_vnd, "content": note(shop.minh), "date": "2026-12-04 10:15:00",
            "account": "0011000123456", **change}
    response = client.post("/webhooks/bank", data=json.dumps(body), content_type="application/json",
                           headers={"Authorization": f"Apikey {SECRET}"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(BankLine.id))) == 0
    assert fresh(shop.minh).payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize("body", [b"", b"not json", b"[1, 2]", b'"QN"', b"{"])
def test_a_body_that_is_not_a_json_object_is_refused(client, shop, body):
    response = client.post("/webhooks/bank", data=body, content_type="application/json",
                           headers={"Authorization": f"Apikey {SECRET}"})
    assert response.status_code == 400 and db.session.scalar(select(func.count(BankLine.id))) == 0


# ---- statement import -----------------------------------------------------------------------------

def vcb_statement(*rows) -> bytes:
    """A Vietcombank export as the preset reads it: a title and the account above the table, totals below."""
    head = ("SAO KÊ TÀI KHOẢN\nSố tài khoản:,0011000123456\n\n"
            "STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Mô tả\n")
    body = "".join(f"{i},{day},{ref},{debit},\"{credit}\",{text}\n"
                   for i, (day, ref, debit, credit, text) in enumerate(rows, start=1))
    return (head + body + ",,,Tổng,,\n").encode("utf-8-sig")


@pytest.fixture
def office(client, login, shop):
    assert login(client, "boss@example.vn", PASSWORD).status_code == 302
    client.set_cookie("lang", "en")
    client.shop = shop
    return client


def upload(client, data: bytes, bank="VCB", **mapping):
    from io import BytesIO

    from shop.payments.bank_csv import PRESETS

    preset = PRESETS[bank][1]
    form = {"csrf_token": csrf_token(client, f"/admin/bank/import?bank={bank}"), "bank": bank,
            "date_column": preset.date_column, "amount_column": preset.amount_column,
            "content_column": preset.content_column, "transaction_id_column": preset.transaction_id_column,
            "date_format": preset.date_format, **mapping, "statement": (BytesIO(data), "saoke.csv")}
    return client.post("/admin/bank/import", data=form, content_type="multipart/form-data", follow_redirects=True)


def _money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".")


def test_a_statement_pays_the_exact_transfers_and_queues_the_rest_and_twice_records_nothing_twice(office):
    shop = office.shop
    data = vcb_statement(
        ("04/12/2026", "5213.1", "", _money(shop.minh.total_vnd), note(shop.minh)),
        ("04/12/2026", "5213.2", "", _money(shop.lan.total_vnd + 20_000), f"{shop.lan.number} OCOP"),
        ("04/12/2026", "5213.3", "1.500.000", "", "Phi dich vu"),
        ("05/12/2026", "5213.4", "", "300.000", "ung ho"),
    )

    page = upload(office, data).get_data(as_text=True)

    assert "3 lines of money in: 3 new, 1 recorded on their orders, 2 to review." in " ".join(notices(page))
    assert fresh(shop.minh).payment.status == PaymentStatus.PAID
    assert fresh(shop.lan).payment.status == PaymentStatus.PENDING
    assert "5213.2" in page and "More than the amount due" in page and "No order number in the transfer note" in page
    before = state_of(shop.minh, shop.lan)

    again = upload(office, data).get_data(as_text=True)

    assert "3 lines of money in: 0 new, 0 recorded on their orders, 0 to review." in " ".join(notices(again))
    assert state_of(shop.minh, shop.lan) == before and db.session.scalar(select(func.count(BankLine.id))) == 3
    assert check_books() == []


@pytest.mark.parametrize("data, message", [
    (b"", "This file is not a CSV text file (or it is empty)"),
    ("Ngày,Số tiền\n04/12/2026,250.000\n".encode(), "No header row with the columns"),
    (None, "Line 6: the amount 25O.000 is not a whole number of đồng"),
    ("x".encode("utf-16"), "This file is not a CSV text file"),
])
def test_a_malformed_statement_says_what_is_wrong_and_records_nothing(office, data, message):
    shop = office.shop
    if data is None:
        data = vcb_statement(("04/12/2026", "1", "", _money(shop.minh.total_vnd), note(shop.minh)),
                             ("04/12/2026", "2", "", "25O.000", note(shop.lan)))
    before = state_of(shop.minh, shop.lan)
    page = upload(office, data).get_data(as_text=True)
    assert any(message in alert and "Nothing was recorded" in alert or message in alert for alert in alerts(page))
    assert "nothing was recorded" in " ".join(alerts(page)).lower()
    assert state_of(shop.minh, shop.lan) == before and db.session.scalar(select(func.count(BankLine.id))) == 0


@pytest.mark.parametrize("row, problem", [
    (("31/02/2026", "1", "", "250.000", "x"), "the date 31/02/2026 is not in the format"),
    (("04/12/2026", "1", "", "-250.000", "x"), "the amount -250.000 is not a whole number"),
    (("04/12/2026", "1", "", "250.000,50", "x"), "the amount 250.000,50 is not a whole number"),
    (("04/12/2026", "1", "", "99.000.000.000", "x"), "is not a plausible transfer"),
    (("04/12/2026", "", "", "250.000", "x"), "the transaction id is empty"),
])
def test_a_statement_with_one_bad_line_records_none_of_its_lines(office, row, problem):
    shop = office.shop
    data = vcb_statement(("04/12/2026", "9", "", _money(shop.minh.total_vnd), note(shop.minh)), row)
    page = upload(office, data).get_data(as_text=True)
    assert any(problem in alert for alert in alerts(page)), alerts(page)
    assert db.session.scalar(select(func.count(BankLine.id))) == 0
    assert fresh(shop.minh).payment.status == PaymentStatus.PENDING


def test_the_column_mapping_is_remembered_for_the_bank(office):
    shop = office.shop
    data = ("Ngay,Ma GD,So tien,Noi dung\n"
            f"04-12-2026,TCB1,\"{_money(shop.lan.total_vnd)}\",{note(shop.lan)}\n").encode()
    page = upload(office, data, bank="TCB", date_column="Ngay", amount_column="So tien", content_column="Noi dung",
                  transaction_id_column="Ma GD", date_format="%d-%m-%Y").get_data(as_text=True)
    assert "1 recorded on their orders" in " ".join(notices(page))
    assert fresh(shop.lan).payment.status == PaymentStatus.PAID
    form = office.get("/admin/bank/import?bank=TCB").get_data(as_text=True)
    assert 'value="Ma GD"' in form and 'value="%d-%m-%Y" selected' in form
    assert 'value="Số tham chiếu"' in office.get("/admin/bank/import?bank=VCB").get_data(as_text=True)
    assert db.session.scalar(select(func.count(BankStatementFormat.id))) == 1


# ---- the office's queue ---------------------------------------------------------------------------

def queue_form(client, line_id: int, action: str, **data):
    token = csrf_token(client, "/admin/bank/unmatched")
    return client.post(f"/admin/bank/lines/{line_id}/{action}", data={"csrf_token": token, **data},
                       follow_redirects=True)


def test_the_office_gives_an_overpayment_to_its_order_and_the_rest_becomes_a_refund_owed(office):
    shop = office.shop
    due = shop.minh.total_vnd
    notify(office, amount=due + 70_000, content=note(shop.minh))
    line = db.session.scalar(select(BankLine))

    page = queue_form(office, line.id, "assign", order_number=shop.minh.number).get_data(as_text=True)

    assert f"The transfer now pays order {shop.minh.number}." in " ".join(notices(page))
    order = fresh(shop.minh)
    assert order.payment.status == PaymentStatus.PAID and order.payment.received_vnd == due + 70_000
    assert [(row.order.number, row.amount_vnd) for row in refunds_owed()] == [(order.number, 70_000)]
    assert db.session.scalar(select(-Account.balance_vnd).where(Account.code == "refunds_owed")) == 70_000
    assert check_books() == []
    line = db.session.get(BankLine, line.id)
    assert line.status == BankLineStatus.ASSIGNED and line.handled_by.email == "boss@example.vn"
    assert "Every transfer that came in is accounted for." in page


def test_a_short_payment_cannot_pay_an_order_and_changes_nothing(office):
    shop = office.shop
    notify(office, amount=100_000, content=note(shop.minh))
    line = db.session.scalar(select(BankLine))
    before = state_of(shop.minh, shop.lan)

    page = queue_form(office, line.id, "assign", order_number=shop.minh.number).get_data(as_text=True)

    assert any("is less than the" in a and "the order cannot be paid with it" in a for a in alerts(page))
    assert state_of(shop.minh, shop.lan) == before
    assert db.session.get(BankLine, line.id).status == BankLineStatus.UNMATCHED


@pytest.mark.parametrize("number, message", [("QN-0000-0000", "No order QN-0000-0000."), ("", "No order")])
def test_assigning_to_an_unknown_order_changes_nothing(office, number, message):
    notify(office, amount=999_000, content="tien hang")
    line = db.session.scalar(select(BankLine))
    page = queue_form(office, line.id, "assign", order_number=number).get_data(as_text=True)
    assert any(message in a for a in alerts(page))
    assert db.session.get(BankLine, line.id).status == BankLineStatus.UNMATCHED


def test_a_line_is_set_aside_only_with_a_reason_and_only_once(office):
    shop = office.shop
    notify(office, amount=999_000, content="tien hang")
    line = db.session.scalar(select(BankLine))

    page = queue_form(office, line.id, "dismiss", reason="  ").get_data(as_text=True)
    assert any("Please say why" in a for a in alerts(page))
    assert db.session.get(BankLine, line.id).status == BankLineStatus.UNMATCHED

    page = queue_form(office, line.id, "dismiss", reason="Chuyển nhầm, đã trả lại khách").get_data(as_text=True)
    assert "The line is set aside, with its reason." in " ".join(notices(page))
    db.session.expire_all()
    line = db.session.get(BankLine, line.id)
    assert (line.status, line.note) == (BankLineStatus.DISMISSED, "Chuyển nhầm, đã trả lại khách")

    page = queue_form(office, line.id, "assign", order_number=shop.minh.number).get_data(as_text=True)
    assert any("This bank line was handled already." in a for a in alerts(page))
    assert fresh(shop.minh).payment.status == PaymentStatus.PENDING


def test_an_unknown_line_is_not_found(office):
    assert queue_form(office, 999_999, "dismiss", reason="x").status_code == 404
    assert queue_form(office, 2**40, "assign", order_number="QN").status_code == 404


# ---- who may ----------------------------------------------------------------------------------------

ROUTES = [
    ("GET", "/admin/bank/import", {}),
    ("GET", "/admin/bank/unmatched", {}),
    ("POST", "/admin/bank/lines/{line}/dismiss", {"reason": "Chuyển nhầm"}),
    ("POST", "/admin/bank/lines/{line}/assign", {"order_number": "{minh}"}),
]


def lines_state() -> tuple:
    db.session.rollback()
    db.session.expire_all()
    return tuple(db.session.execute(select(BankLine.id, BankLine.status, BankLine.note).order_by(BankLine.id)).all())


@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff", "admin"])
@pytest.mark.parametrize("method, pattern, form", ROUTES, ids=[f"{m} {p}" for m, p, _ in ROUTES])
def test_authorization_matrix(client, login, shop, make_user, role, method, pattern, form):
    notify(client, amount=shop.minh.total_vnd + 1_000, content=note(shop.minh))
    line = db.session.scalar(select(BankLine))
    user = {"customer": lambda: make_user(email="khach@example.vn"), "producer": lambda: shop.state.user_a,
            "staff": lambda: shop.state.staff_p, "admin": lambda: shop.office}.get(role, lambda: None)()
    db.session.commit()
    if user is not None:
        assert login(client, user.email, PASSWORD).status_code == 302
    url = pattern.format(line=line.id)
    before = (lines_state(), state_of(shop.minh))
    if method == "GET":
        response = client.get(url)
    else:
        token = csrf_token(client, "/sales-points" if user is not None else "/login")
        response = client.post(url, data={"csrf_token": token, **{k: v.format(minh=shop.minh.number)
                                                                   for k, v in form.items()}})
    after = (lines_state(), state_of(shop.minh))
    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role != "admin":
        assert response.status_code == 403 and "minh@example.vn" not in response.get_data(as_text=True)
    else:
        assert response.status_code == (200 if method == "GET" else 302)
        assert (after != before) == (method == "POST")
    if role != "admin":
        assert after == before


@pytest.mark.parametrize("pattern, form", [(p, f) for m, p, f in ROUTES if m == "POST"] +
                         [("/admin/bank/import", {"bank": "VCB"})])
def test_office_bank_actions_without_the_csrf_token_are_refused(client, login, shop, pattern, form):
    notify(client, amount=shop.minh.total_vnd + 1_000, content=note(shop.minh))
    line = db.session.scalar(select(BankLine))
    assert login(client, "boss@example.vn", PASSWORD).status_code == 302
    before = (lines_state(), state_of(shop.minh))
    response = client.post(pattern.format(line=line.id), data={k: v.format(minh=shop.minh.number)
                                                                for k, v in form.items()})
    assert response.status_code == 400
    assert (lines_state(), state_of(shop.minh)) == before
