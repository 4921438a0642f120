"""Admin: the money the shop holds and owes, by account, and whether the books balance (read only)."""
from __future__ import annotations

from flask import render_template

from shop.admin.blueprint import bp
from shop.ledger.check import check_books
from shop.ledger.queries import account_balances, refunds_owed_by_order
from shop.payments.bank import unmatched_count


@bp.get("/money")
def money():
    owed = refunds_owed_by_order()  # every payment method, as the books say (the list page: transfers to pay back)
    balances = account_balances()
    return render_template("admin/money.html", accounts=balances, problems=check_books(),
                           unmatched=unmatched_count(), refunds_owed_count=len(owed),
                           refunds_owed_vnd=sum(owed.values()),
                           cod_held_vnd=sum(row.amount_vnd for row in balances if row.code.startswith("producer_cash:")))
