"""Admin: the money the shop holds and owes, by account, and whether the books balance (read only)."""
from __future__ import annotations

from flask import render_template

from shop.admin.blueprint import bp
from shop.ledger.check import check_books
from shop.ledger.queries import account_balances
from shop.payments.bank import unmatched_count
from shop.payments.transfers import refunds_owed


@bp.get("/money")
def money():
    owed = refunds_owed()
    return render_template("admin/money.html", accounts=account_balances(), problems=check_books(),
                           unmatched=unmatched_count(), refunds_owed_count=len(owed),
                           refunds_owed_vnd=sum(row.amount_vnd for row in owed))
