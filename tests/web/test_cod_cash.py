"""A producer hands the COD cash it holds to the office: the office records it at /admin/payouts (booked once per
reference, never more than held, not while an open batch counts it), the producer's statement and /admin/money
show it, and the next payout batch nets what is left."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from flask import current_app
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.extensions import db
from shop.ledger import accounts
from shop.ledger.check import check_books
from shop.ledger.models import Account, JournalEntry, PayoutBatch
from shop.money import format_vnd
from tests.integration.test_ledger import _deliver
from tests.web.helpers import alerts, notices
from tests.web.test_office_orders import as_user, en, post, quick_passwords  # noqa: F401  (fixtures)


@pytest.fixture
def world(two_producers_and_two_points, make_order, make_user):
    """A delivered 2 × noodles by COD and holds the cash (200.000 ₫ + the delivery fee); A has a bank account."""
    state = two_producers_and_two_points
    office = make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN)
    state.a.bank_bin, state.a.bank_account, state.a.bank_account_name = "970436", "0011009876543", "HTX MIEN DONG"
    db.session.commit()
    with current_app.test_request_context():
        order = make_order((state.noodles, 2), delivery=True)
    _deliver(order.parts[0], state.user_a, order.total_vnd)
    return SimpleNamespace(state=state, office=office, held=order.total_vnd)


def balance(ref) -> int:
    db.session.rollback()
    db.session.expire_all()
    return int(db.session.scalar(select(Account.balance_vnd).where(Account.code == ref.code)) or 0)


def books() -> tuple:
    db.session.rollback()
    return (db.session.scalar(select(func.count(JournalEntry.id))), db.session.scalar(select(func.count(AuditEntry.id))),
            tuple(db.session.execute(select(Account.code, Account.balance_vnd).order_by(Account.code)).all()))


def hand_over(client, world, amount, how="bank", reference="FT26339001"):
    return post(client, f"/admin/payouts/cod-cash/{world.state.a.id}", amount=amount, how=how, reference=reference)


def test_the_office_records_cod_cash_handed_over_and_every_page_follows(en, login, world):
    as_user(en, login, world.office)
    page = en.get("/admin/payouts").get_data(as_text=True)
    assert "Cash handed to the office" in page and format_vnd(world.held) in page

    response = hand_over(en, world, "150.000")

    assert response.status_code == 302
    page = en.get(response.headers["Location"]).get_data(as_text=True)
    assert f"{format_vnd(150_000)} of COD cash received from HTX Miến dong Bình Liêu." in " ".join(notices(page))
    assert balance(accounts.producer_cash(world.state.a.id)) == world.held - 150_000
    assert balance(accounts.bank()) == 150_000 and check_books() == []
    audit = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "producer.cod_cash_received"))
    assert audit.after["amount_vnd"] == 150_000 and audit.after["reference"] == "FT26339001"
    money = en.get("/admin/money").get_data(as_text=True)
    assert f"COD cash held by producers: {format_vnd(world.held - 150_000)}" in money
    # The next batch pays A what it is owed less only the cash it still holds.
    assert post(en, "/admin/payouts").status_code == 302
    db.session.rollback()
    payout = db.session.scalar(select(PayoutBatch)).payouts[0]
    assert (payout.owed_vnd, payout.held_vnd, payout.amount_vnd) == (200_000, world.held - 150_000,
                                                                     200_000 - (world.held - 150_000))


def test_the_producer_sees_the_cash_it_handed_over_on_its_statement(en, login, world):
    as_user(en, login, world.office)
    assert hand_over(en, world, str(world.held), how="office", reference="PT-0012").status_code == 302
    assert balance(accounts.cash_in_transit()) == world.held
    assert post(en, "/logout").status_code == 302
    as_user(en, login, world.state.user_a)

    page = en.get("/producer/statements").get_data(as_text=True)

    assert "COD cash you handed to the office" in page and format_vnd(world.held) in page
    csv_text = en.get("/producer/statements.csv").get_data(as_text=True)
    assert "COD cash you handed to the office" in csv_text


@pytest.mark.parametrize("amount, how, reference, message", [
    ("0", "bank", "FT1", "more than 0 and at most"),
    ("-5000", "bank", "FT1", "more than 0 and at most"),
    ("nhiều", "bank", "FT1", "more than 0 and at most"),
    ("999.999.999", "bank", "FT1", "more than 0 and at most"),
    ("100.000", "pocket", "FT1", "Choose how the cash came"),
    ("100.000", "bank", "", "reference"),
])
def test_wrong_input_is_refused_with_a_message_and_nothing_changes(en, login, world, amount, how, reference, message):
    as_user(en, login, world.office)
    before = books()

    response = hand_over(en, world, amount, how=how, reference=reference)

    assert response.status_code == 400 and any(message in a for a in alerts(response.get_data(as_text=True)))
    assert books() == before


def test_the_same_reference_twice_records_once_and_an_open_batch_blocks_it(en, login, world):
    as_user(en, login, world.office)
    assert hand_over(en, world, "100.000").status_code == 302
    after_first = books()
    again = hand_over(en, world, "100.000")
    assert again.status_code == 400 and "recorded already" in again.get_data(as_text=True)
    assert books() == after_first
    assert post(en, "/admin/payouts").status_code == 302  # a batch froze what A holds now
    blocked = hand_over(en, world, "10.000", reference="FT-other")
    assert blocked.status_code == 400 and "open payout batch" in blocked.get_data(as_text=True)
    assert books()[0] == after_first[0] and check_books() == []


def test_an_unknown_producer_is_not_found(en, login, world):
    as_user(en, login, world.office)
    assert post(en, "/admin/payouts/cod-cash/999999", amount="1", how="bank", reference="FT1").status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff"])
def test_only_the_office_records_cod_cash(en, login, world, make_user, role):
    user = {"customer": lambda: make_user(email="khach@example.vn"), "producer": lambda: world.state.user_a,
            "staff": lambda: world.state.staff_p}.get(role, lambda: None)()
    db.session.commit()
    as_user(en, login, user)
    before = books()
    response = hand_over(en, world, "10.000")
    assert response.status_code == (302 if role == "anonymous" else 403)
    if role == "anonymous":
        assert response.headers["Location"].startswith("/login")
    assert books() == before


def test_recording_cod_cash_needs_the_csrf_token(en, login, world):
    as_user(en, login, world.office)
    before = books()
    response = en.post(f"/admin/payouts/cod-cash/{world.state.a.id}",
                       data={"amount": "10000", "how": "bank", "reference": "FT1"})
    assert response.status_code == 400 and books() == before
