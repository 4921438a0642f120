"""Money at the sales point's desk: counter sales (cash or VietQR), receipts, the cash report and the close-out."""
from __future__ import annotations

import re

import pytest
from flask import current_app
from sqlalchemy import func, select

from shop.desk.models import CashCloseout, CounterSale
from shop.extensions import db
from shop.ledger import accounts
from shop.ledger.check import check_books
from shop.ledger.models import Account
from tests.readback import stock_of
from tests.web.helpers import csrf_token
from tests.web.test_desk_journey import client_for, quick_passwords  # noqa: F401


@pytest.fixture
def shop(two_producers_and_two_points, put_stock):
    state = two_producers_and_two_points
    put_stock(state.noodles, state.p, 5, allocated=2)
    put_stock(state.squid, state.p, 3)
    db.session.commit()
    return state


@pytest.fixture
def desk(shop, login):
    return client_for(current_app, login, shop.staff_p)


def _form(client):
    page = client.get("/desk/counter").get_data(as_text=True)
    reference = re.search(r'name="reference" value="([^"]+)"', page).group(1)
    return {"csrf_token": csrf_token(client, "/desk/counter"), "reference": reference}


def _balance(ref) -> int:
    return db.session.scalar(select(Account.balance_vnd).where(Account.code == ref.code)) or 0


def test_a_cash_counter_sale_prices_on_the_server_takes_free_stock_and_books_the_till(shop, desk):
    form = _form(desk)
    response = desk.post("/desk/counter", data={**form, f"qty-{shop.noodles.id}": "2", f"qty-{shop.squid.id}": "1",
                                                "method": "cash", "tendered": "500.000", "price": "1"})
    assert response.status_code == 302
    sale = db.session.scalar(select(CounterSale))
    assert sale.total_vnd == 450_000 and sale.tendered_vnd == 500_000 and sale.reference == form["reference"]
    receipt = desk.get(response.headers["Location"]).get_data(as_text=True)
    assert sale.reference in receipt and "450,000" in receipt and "50,000" in receipt  # change given
    db.session.expire_all()
    assert stock_of(shop.noodles, shop.p) == (3, 2) and stock_of(shop.squid, shop.p) == (2, 0)
    assert _balance(accounts.point_cash(shop.p.id)) == 450_000
    assert _balance(accounts.producer_payable(shop.a.id)) == -200_000
    assert _balance(accounts.producer_payable(shop.b.id)) == -250_000
    assert check_books() == []
    # The same form again (a double click) records nothing more.
    desk.post("/desk/counter", data={**form, f"qty-{shop.noodles.id}": "2", f"qty-{shop.squid.id}": "1",
                                     "method": "cash"})
    assert db.session.scalar(select(func.count(CounterSale.id))) == 1
    # The day's cash report lists the counter sale beside online handovers.
    report = desk.get("/desk/cash").get_data(as_text=True)
    assert sale.reference in report and "Counter sale" in report and "450,000" in report


def test_units_set_aside_for_orders_are_not_for_sale_and_nothing_changes(shop, desk):
    form = _form(desk)
    response = desk.post("/desk/counter", data={**form, f"qty-{shop.noodles.id}": "4", "method": "cash"})
    assert response.status_code == 400
    assert "only 3 free to sell here" in response.get_data(as_text=True)
    db.session.expire_all()
    assert stock_of(shop.noodles, shop.p) == (5, 2)
    assert db.session.scalar(select(func.count(CounterSale.id))) == 0
    assert _balance(accounts.point_cash(shop.p.id)) == 0


def test_another_points_goods_and_short_cash_are_refused(shop, desk, put_stock):
    form = _form(desk)
    other = desk.post("/desk/counter", data={**form, "qty-99999": "1", "method": "cash"})
    assert other.status_code == 400 and "not held at this point" in other.get_data(as_text=True)
    short = desk.post("/desk/counter", data={**form, f"qty-{shop.squid.id}": "1", "method": "cash", "tendered": "100000"})
    assert short.status_code == 400 and "less than the total" in short.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CounterSale.id))) == 0


def test_vietqr_shows_the_code_then_records_the_sale_into_the_bank(shop, desk):
    form = _form(desk)
    shown = desk.post("/desk/counter", data={**form, f"qty-{shop.squid.id}": "2", "method": "vietqr"})
    page = shown.get_data(as_text=True)
    assert shown.status_code == 200 and "<svg" in page and "500,000" in page and form["reference"] in page
    assert db.session.scalar(select(func.count(CounterSale.id))) == 0  # nothing yet: the money is not in
    confirm = desk.post("/desk/counter", data={**form, f"qty-{shop.squid.id}": "2", "method": "vietqr",
                                               "received": "1", "expected_total": "500000"})
    assert confirm.status_code == 302
    db.session.expire_all()
    assert _balance(accounts.bank()) == 500_000 and _balance(accounts.point_cash(shop.p.id)) == 0
    assert stock_of(shop.squid, shop.p) == (1, 0)
    assert check_books() == []


def test_close_out_records_the_difference_and_hands_the_till_to_the_office(shop, desk):
    form = _form(desk)
    desk.post("/desk/counter", data={**form, f"qty-{shop.squid.id}": "1", "method": "cash"})
    page = desk.get("/desk/closeout").get_data(as_text=True)
    assert "250,000" in page
    token = csrf_token(desk, "/desk/closeout")
    refused = desk.post("/desk/closeout", data={"csrf_token": token, "counted": "240.000", "expected": "250000"})
    assert refused.status_code == 400 and "please say why" in refused.get_data(as_text=True)
    assert db.session.scalar(select(func.count(CashCloseout.id))) == 0
    done = desk.post("/desk/closeout", data={"csrf_token": token, "counted": "240.000", "expected": "250000",
                                             "reason": "Thiếu tiền lẻ"})
    assert done.status_code == 302
    db.session.expire_all()
    closeout = db.session.scalar(select(CashCloseout))
    assert (closeout.expected_vnd, closeout.counted_vnd, closeout.difference_vnd) == (250_000, 240_000, -10_000)
    assert _balance(accounts.point_cash(shop.p.id)) == 0
    assert _balance(accounts.cash_in_transit()) == 240_000 and _balance(accounts.cash_over_short()) == 10_000
    assert check_books() == []
    empty = desk.post("/desk/closeout", data={"csrf_token": token, "counted": "0", "expected": "0"})
    assert empty.status_code == 400


def client_as(who: str, shop, login, make_user):
    """A client logged in as someone who is not P's staff: anonymous, a customer, producer A, the office, Q's staff."""
    from shop.auth.models import Role

    client = current_app.test_client()
    users = {"customer": lambda: make_user(email="k@example.vn"), "producer": lambda: shop.user_a,
             "admin": lambda: make_user(email="office@example.vn", role=Role.ADMIN), "other_point": lambda: shop.staff_q}
    if who != "anonymous":
        user = users[who]()
        db.session.commit()
        login(client, user.email)
    return client


@pytest.mark.parametrize("who", ["anonymous", "customer", "producer", "admin", "other_point"])
def test_only_the_points_own_staff_sell_close_or_read_receipts(shop, desk, login, make_user, who):
    form = _form(desk)
    desk.post("/desk/counter", data={**form, f"qty-{shop.squid.id}": "1", "method": "cash"})
    sale = db.session.scalar(select(CounterSale))
    client = client_as(who, shop, login, make_user)
    receipt = client.get(f"/desk/counter/{sale.id}")
    assert receipt.status_code in ((404,) if who == "other_point" else (302, 403, 404))
    client.post("/desk/counter", data={f"qty-{shop.squid.id}": "1", "method": "cash", "reference": "QUB02-AAAAAA"})
    client.post("/desk/closeout", data={"counted": "250000", "expected": "250000"})
    db.session.expire_all()
    assert db.session.scalar(select(func.count(CounterSale.id))) == 1
    assert db.session.scalar(select(func.count(CashCloseout.id))) == 0


def test_csrf_is_required(shop, desk):
    form = _form(desk)
    response = desk.post("/desk/counter", data={"reference": form["reference"], f"qty-{shop.squid.id}": "1",
                                                "method": "cash"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(CounterSale.id))) == 0
