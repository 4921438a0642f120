"""Producer statements and the office's payout batches through the web: who may see what, the amounts as
`125.000 ₫`, the CSVs, the VietQR per payout, paid once, bad input refused with a message and nothing changed."""
from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.extensions import db
from shop.money import format_vnd
from shop.ledger import payouts
from shop.ledger.models import JournalEntry, Payout, PayoutBatch
from shop.orders.payment import PaymentMethod
from shop.payments import vietqr
from shop.payments.transfers import record_transfer
from tests.web.helpers import alerts
from tests.web.test_office_orders import as_user, en, post, quick_passwords  # noqa: F401  (fixtures)


@pytest.fixture
def world(two_producers_and_two_points, make_order, make_user):
    """A's noodles (100.000 ₫) and B's squid (250.000 ₫) paid by transfer; B has a bank account, A has none;
    an open batch made before paying B (250.000 ₫ to B)."""
    state = two_producers_and_two_points
    office = make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN)
    db.session.commit()
    order = make_order((state.noodles, 1), (state.squid, 1), point=state.p, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(order.id, order.total_vnd, "FT1", office)
    state.b.bank_bin, state.b.bank_account, state.b.bank_account_name = "970436", "0011001234567", "HO MANH HAI"
    db.session.commit()
    users = SimpleNamespace(customer=make_user(email="khach@example.vn"), producer=state.user_a,
                            producer_b=state.user_b, staff=state.staff_p, admin=office)
    db.session.commit()
    return SimpleNamespace(state=state, order=order, users=users)


def _batch(world, client, login) -> PayoutBatch:
    as_user(client, login, world.users.admin)
    assert post(client, "/admin/payouts").status_code == 302
    db.session.rollback()
    return db.session.scalar(select(PayoutBatch))


def switch_to(client, login, user):
    """Log the office out and another user in, on the same browser."""
    assert post(client, "/logout").status_code == 302
    return as_user(client, login, user)


def books_now() -> tuple:
    db.session.rollback()
    return (db.session.scalar(select(func.count(JournalEntry.id))),
            tuple(db.session.execute(select(PayoutBatch.id, PayoutBatch.status)).all()),
            db.session.scalar(select(func.count(Payout.id))), db.session.scalar(select(func.count(AuditEntry.id))))


# ---- the producer's statement ------------------------------------------------------------------------

def test_a_producer_sees_its_own_statement_with_commission_and_balance(en, login, world):
    as_user(en, login, world.users.producer)
    page = en.get("/producer/statements").get_data(as_text=True)
    assert world.order.number in page
    assert format_vnd(100_000) in page and format_vnd(-8_000) not in page  # no commission configured
    # Only A's money: B's squid is not on A's statement.
    assert format_vnd(250_000) not in page


def test_the_statement_csv_adds_up_to_the_closing_balance(en, login, world):
    as_user(en, login, world.users.producer_b)
    response = en.get("/producer/statements.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1][-1] == "0"  # opening
    assert rows[2][1] == world.order.number and rows[2][-1] == "250000"
    assert rows[-1][2] == "Closing balance" and rows[-1][-1] == "250000"


def test_a_bad_month_shows_this_month_rather_than_failing(en, login, world):
    as_user(en, login, world.users.producer)
    for month in ("2026-13", "abcd", "9999-01", "2026-1'"):
        assert en.get(f"/producer/statements?month={month}").status_code == 200


def test_another_producers_payout_is_not_found(en, login, world):
    batch = _batch(world, en, login)
    payout = batch.payouts[0]
    switch_to(en, login, world.users.producer)  # A: the payout is B's
    assert en.get(f"/producer/payouts/{payout.id}").status_code == 404
    assert en.get("/producer/payouts/999999").status_code == 404
    switch_to(en, login, world.users.producer_b)
    page = en.get(f"/producer/payouts/{payout.id}").get_data(as_text=True)
    assert format_vnd(250_000) in page and "0011001234567" in page


PRODUCER_ROUTES = ["/producer/statements", "/producer/statements.csv"]


@pytest.mark.parametrize("url", PRODUCER_ROUTES)
@pytest.mark.parametrize("role", ["anonymous", "customer", "staff", "admin", "producer"])
def test_only_producers_see_statements(en, login, world, role, url):
    as_user(en, login, getattr(world.users, role, None))
    response = en.get(url)
    expected = {"anonymous": 302, "producer": 200}.get(role, 403)
    assert response.status_code == expected


# ---- the office's payout batches ----------------------------------------------------------------------

def test_the_office_sees_who_is_due_and_who_is_skipped(en, login, world):
    as_user(en, login, world.users.admin)
    page = en.get("/admin/payouts").get_data(as_text=True)
    assert "No bank account: skipped" in page  # A
    assert "Vietcombank" in page and "0011001234567" in page  # B
    assert format_vnd(250_000) in page and format_vnd(100_000) in page


def test_a_batch_pays_the_producers_with_a_bank_account_with_a_vietqr_and_a_bank_csv(en, login, world):
    batch = _batch(world, en, login)
    assert [(p.producer_id, p.amount_vnd, p.bank_account) for p in batch.payouts] == [
        (world.state.b.id, 250_000, "0011001234567")]
    page = en.get(f"/admin/payouts/{batch.id}").get_data(as_text=True)
    assert "<svg" in page and "VietQR Hộ Mạnh Hải" in page
    payload = vietqr.payload(vietqr.BankAccount("970436", "0011001234567", "HO MANH HAI", "Vietcombank"), 250_000,
                             batch.payouts[0].transfer_note)
    assert vietqr.parse(payload)["54"] == "250000"
    rows = list(csv.reader(io.StringIO(en.get(f"/admin/payouts/{batch.id}.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[1] == ["1", "0011001234567", "HO MANH HAI", "970436", "Vietcombank", "250000",
                       batch.payouts[0].transfer_note]


def test_marking_a_batch_paid_books_the_payout_once(en, login, world):
    batch = _batch(world, en, login)
    assert post(en, f"/admin/payouts/{batch.id}/paid", bank_reference="FT-LO-0001").status_code == 302
    after_first = books_now()
    again = post(en, f"/admin/payouts/{batch.id}/paid", bank_reference="FT-LO-0001")
    assert again.status_code == 422
    assert "already paid or discarded" in " ".join(alerts(again.get_data(as_text=True)))
    assert books_now() == after_first
    result = en.application.test_cli_runner().invoke(args=["ledger", "check"])
    assert result.exit_code == 0, result.output
    switch_to(en, login, world.users.producer_b)
    page = en.get("/producer/statements").get_data(as_text=True)
    assert "Payout to your bank account" in page and format_vnd(-250_000) in page


@pytest.mark.parametrize("reference", ["", "   ", "<script>", "x" * 81, "FT\x00"])
def test_a_bad_bank_reference_is_refused_and_nothing_is_booked(en, login, world, reference):
    batch = _batch(world, en, login)
    before = books_now()
    response = post(en, f"/admin/payouts/{batch.id}/paid", bank_reference=reference)
    assert response.status_code in (400, 422)
    assert books_now() == before


def test_a_second_batch_cannot_be_made_while_one_is_open(en, login, world):
    _batch(world, en, login)
    before = books_now()
    response = post(en, "/admin/payouts")
    assert response.status_code == 422
    assert "already open" in " ".join(alerts(response.get_data(as_text=True)))
    assert books_now() == before


def test_unknown_batches_are_not_found(en, login, world):
    as_user(en, login, world.users.admin)
    assert en.get("/admin/payouts/999999").status_code == 404
    assert en.get("/admin/payouts/999999.csv").status_code == 404
    assert post(en, "/admin/payouts/999999/paid", bank_reference="FT1").status_code == 404
    assert post(en, "/admin/payouts/99999999999999999999/discard").status_code == 404


ADMIN_ROUTES = [("GET", "/admin/payouts", {}), ("POST", "/admin/payouts", {}), ("GET", "/admin/payouts/{batch}", {}),
                ("GET", "/admin/payouts/{batch}.csv", {}),
                ("POST", "/admin/payouts/{batch}/paid", {"bank_reference": "FT9"}),
                ("POST", "/admin/payouts/{batch}/discard", {})]


@pytest.mark.parametrize("method, pattern, form", ADMIN_ROUTES, ids=[f"{m} {p}" for m, p, _ in ADMIN_ROUTES])
@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff"])
def test_only_the_office_reaches_payouts(en, login, world, role, method, pattern, form):
    batch = payouts.create_batch(world.users.admin)
    as_user(en, login, getattr(world.users, role, None))
    before = books_now()
    url = pattern.format(batch=batch.id)
    response = en.get(url) if method == "GET" else post(en, url, **form)
    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == 403
    assert books_now() == before


@pytest.mark.parametrize("url", ["/admin/payouts", "/admin/payouts/{batch}/paid", "/admin/payouts/{batch}/discard"])
def test_payout_actions_without_the_csrf_token_are_refused(en, login, world, url):
    batch = _batch(world, en, login)
    before = books_now()
    assert en.post(url.format(batch=batch.id), data={"bank_reference": "FT1"}).status_code == 400
    assert books_now() == before


def test_discarding_a_batch_books_nothing_and_lets_the_office_make_another(en, login, world):
    batch = _batch(world, en, login)
    assert post(en, f"/admin/payouts/{batch.id}/discard").status_code == 302
    assert post(en, "/admin/payouts").status_code == 302
    db.session.rollback()
    assert [b.status for b in db.session.scalars(select(PayoutBatch).order_by(PayoutBatch.id))] == ["discarded", "open"]
    assert db.session.scalar(select(func.count(JournalEntry.id)).where(JournalEntry.kind == "payout")) == 0
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["payout_batch.created", "payout_batch.discarded", "payout_batch.created"]
