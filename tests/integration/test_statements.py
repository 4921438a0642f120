"""A producer's statement, read from the books: each money event in one column, opening + lines = closing,
and the closing balance is what its accounts say (goods owed less the COD cash it holds)."""
from __future__ import annotations

from shop.clock import add_months, today
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.ledger import commission, statements
from shop.ledger.models import EntryKind
from shop.orders.payment import PaymentMethod
from shop.payments.transfers import record_transfer
from tests.integration.test_commission import office  # noqa: F401  (a fixture)
from tests.integration.test_ledger import _deliver, balances, desk  # noqa: F401  (a fixture)


def test_a_statement_shows_sales_commission_cod_cash_and_goods_gone_and_adds_up_to_the_accounts(
        app, desk, make_order, office):
    commission.set_rule(office, producer_id=desk.a.id, category_id=None, typed_percent="10")
    paid = make_order((desk.noodles, 2), (desk.squid, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(paid.id, paid.total_vnd, "FT1", office)
    with app.test_request_context():
        cod = make_order((desk.noodles, 1), delivery=True)
    _deliver(cod.parts[0], desk.user_a, cod.total_vnd)
    # The noodles of the transfer order are rejected after the money came: their goods go back.
    noodles_part = next(p for p in paid.parts if p.producer_id == desk.a.id)
    producer.reject_part(noodles_part.id, desk.user_a, "Hết hàng")

    found = statements.statement(desk.a.id, today())

    assert [line.kind for line in found.lines] == [EntryKind.PAYMENT_RECEIVED, EntryKind.PAYMENT_RECEIVED,
                                                   EntryKind.PARTS_GONE]
    assert [(line.sales_vnd, line.commission_vnd, line.refunds_vnd, line.cod_cash_vnd, line.net_vnd)
            for line in found.lines] == [
        (200_000, -20_000, 0, 0, 180_000),  # transfer: 2 × noodles, 10 % to the shop
        (100_000, -10_000, 0, -cod.total_vnd, 90_000 - cod.total_vnd),  # COD: it holds the cash, fee included
        (0, 20_000, -200_000, 0, -180_000)]  # rejected: goods and their commission reversed
    assert found.opening_vnd == 0
    assert found.payable_vnd == 90_000 and found.held_vnd == cod.total_vnd
    assert found.closing_vnd == 90_000 - cod.total_vnd  # it owes the shop the commission and the delivery fee
    books = balances()
    assert found.payable_vnd == -books[f"producer_payable:{desk.a.id}"]
    assert found.held_vnd == books[f"producer_cash:{desk.a.id}"]
    # Producer B's goods are not on A's statement, nor the shop's commission on them.
    assert statements.statement(desk.b.id, today()).closing_vnd == 250_000


def test_next_months_statement_opens_with_this_months_closing_balance(app, desk, make_order, office):
    paid = make_order((desk.squid, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(paid.id, paid.total_vnd, "FT1", office)
    db.session.commit()

    this_month = statements.statement(desk.b.id, today())
    following = statements.statement(desk.b.id, add_months(today().replace(day=1), 1))
    before = statements.statement(desk.b.id, add_months(today().replace(day=1), -1))

    assert this_month.closing_vnd == following.opening_vnd == following.closing_vnd == 250_000
    assert following.lines == [] and before.lines == [] and before.closing_vnd == 0
