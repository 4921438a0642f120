"""Admin: the money the shop holds and owes, by account, and whether the books balance (read only)."""
from __future__ import annotations

from flask import render_template

from shop.admin.blueprint import bp
from shop.ledger.check import check_books
from shop.ledger.queries import account_balances


@bp.get("/money")
def money():
    return render_template("admin/money.html", accounts=account_balances(), problems=check_books())
