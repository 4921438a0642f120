"""The sales-point desk through the browser's eyes: from parcels arriving to cash in the drawer."""
from __future__ import annotations

import datetime as dt
import re
import threading
from html import unescape

import pytest
from flask import current_app
from sqlalchemy import select

from shop.clock import aware, now
from shop.desk import handover, hold, receiving
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.inventory import services as inventory
from shop.money import format_vnd
from shop.orders.models import Fulfillment, Order, OrderEvent, OrderStatus, PartStatus, Route
from shop.orders.payment import PaymentStatus
from tests.web.helpers import csrf_token
from tests.readback import fresh_order, messages_of, stock_of


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch):
    """Cheap password hashes: these journeys log several people in, and hashing cost is not under test here."""
    from functools import partial

    from werkzeug.security import generate_password_hash

    monkeypatch.setattr("shop.auth.models.generate_password_hash", partial(generate_password_hash, method="pbkdf2:sha256:1"))


@pytest.fixture
def shop(two_producers_and_two_points):
    return two_producers_and_two_points


def client_for(app, login, user, lang="en"):
    client = app.test_client()
    client.set_cookie("lang", lang)
    assert login(client, user.email).status_code == 302
    return client


@pytest.fixture
def desk(shop, login):
    return client_for(current_app, login, shop.staff_p)


def token(client) -> str:
    return csrf_token(client, "/sales-points")


def post(client, url, **data):
    return client.post(url, data={"csrf_token": token(client), **data})


def shown(client, response) -> str:
    """The page a redirect leads to, with its flashed messages."""
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def _send(part_id: int, user) -> None:
    producer.accept_part(part_id, user)
    producer.mark_packed(part_id, user)
    producer.mark_sent_to_point(part_id, user)


def _ready(shop, order) -> Order:
    for part in list(order.parts):
        _send(part.id, shop.user_a if part.producer_id == shop.a.id else shop.user_b)
        receiving.receive_parcel(shop.p.id, str(part.id), shop.staff_p)
    order = fresh_order(order.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP
    return order


def _text(html: str) -> str:
    """The page's words without tags, spaces collapsed (non-breaking ones too)."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)).replace("\u00a0", " "))


# ---- the whole journey ----------------------------------------------------------------------------

def test_two_producers_parcels_become_an_order_the_customer_collects_and_pays(shop, desk, login, make_order):
    order = make_order((shop.noodles, 2), (shop.squid, 1), point=shop.p, language="en", email="lan@example.vn")
    assert (order.total_vnd, stock_of(shop.noodles, shop.a), stock_of(shop.squid, shop.b)) == (450_000, (10, 2), (10, 1))
    noodles_part = next(p.id for p in order.parts if p.producer_id == shop.a.id)
    squid_part = next(p.id for p in order.parts if p.producer_id == shop.b.id)

    # Each producer accepts, packs and sends its parcel from the producer workspace.
    for user, part in ((shop.user_a, noodles_part), (shop.user_b, squid_part)):
        workspace = client_for(current_app, login, user)
        for action in ("accept", "packed", "sent"):
            assert post(workspace, f"/producer/parts/{part}/{action}").status_code == 302
    assert fresh_order(order.id).status == OrderStatus.IN_PROGRESS
    # The units left the producers' stores with the parcels.
    assert stock_of(shop.noodles, shop.a) == (8, 0) and stock_of(shop.squid, shop.b) == (9, 0)
    on_the_way = desk.get("/desk/receive").get_data(as_text=True)
    assert f"#{noodles_part}" in on_the_way and f"#{squid_part}" in on_the_way

    # The first parcel arrives: the order waits for the other one, and the customer hears nothing yet.
    page = _text(shown(desk, post(desk, "/desk/receive", code=f"OCOP-PART:{noodles_part}")))
    assert f"Parcel #{noodles_part} received for order {order.number}. Still missing: Hộ Mạnh Hải." in page
    assert fresh_order(order.id).status == OrderStatus.IN_PROGRESS
    assert messages_of("order_ready") == []
    assert order.number in desk.get("/desk/").get_data(as_text=True)  # waiting for parcels

    # The second parcel, typed by hand: the order is ready and the customer is told in their language.
    page = _text(shown(desk, post(desk, "/desk/receive", code=str(squid_part))))
    assert f"Order {order.number} is complete and ready: the customer has been told." in page
    order = fresh_order(order.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP
    [ready] = messages_of("order_ready")
    assert (ready.recipient, ready.language) == ("lan@example.vn", "en")
    assert ready.payload["pickup_code"] == order.pickup_code
    hold = dt.datetime.fromisoformat(ready.payload["hold_until"]) - now()
    assert dt.timedelta(days=7, minutes=-5) < hold <= dt.timedelta(days=7)

    # The customer comes and says the code in lower case with spaces.
    code = order.pickup_code
    typed = f" {code[:4].lower()} {code[4:].lower()} "
    found = post(desk, "/desk/pickup", code=typed)
    assert found.status_code == 200
    html = found.get_data(as_text=True)
    assert "Nguyễn Thị Lan" in html and "•••• ••• 678" in html
    assert "912345678" not in html and "+84912345678" not in html
    assert format_vnd(450_000) in html

    # Identity checked, 500,000 ₫ handed over: 50,000 ₫ change.
    done = post(desk, "/desk/pickup/confirm", code=typed, identity="1", tendered="500.000")
    assert done.headers["Location"] == f"/desk/orders/{order.number}"
    page = _text(shown(desk, done))
    assert f"Order {order.number} handed over. Cash received 500,000 ₫: give back 50,000 ₫ in change." in page

    order = fresh_order(order.id)
    assert order.status == OrderStatus.COMPLETED
    assert {p.status for p in order.parts} == {PartStatus.COLLECTED}
    payment = order.payment
    assert (payment.status, payment.received_vnd, payment.tendered_vnd) == (PaymentStatus.PAID, 450_000, 500_000)
    assert payment.recorded_by_id == shop.staff_p.id
    # Every step is in the order's timeline.
    events = list(db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id)))
    steps = [(e.kind, e.part_id, e.data.get("status")) for e in events]
    assert steps[0][0] == "placed" and steps[-3:] == [("ready", None, None), ("payment_received", None, None),
                                                      ("collected", None, None)]
    for part in (noodles_part, squid_part):
        assert [s for k, p, s in steps if k == "part_status" and p == part] == [
            "accepted", "packed", "sent_to_point", "at_point"]
    assert stock_of(shop.noodles, shop.a) == (8, 0) and stock_of(shop.squid, shop.b) == (9, 0)

    # The day's cash: the amount and who took it; a colleague's own report does not have it.
    cash = _text(desk.get("/desk/cash").get_data(as_text=True))
    assert order.number in cash and "450,000 ₫" in cash and "Phạm Thu" in cash
    theirs = _text(desk.get(f"/desk/cash?staff={shop.colleague_p.id}").get_data(as_text=True))
    assert order.number not in theirs and "450,000 ₫" not in theirs
    mine = _text(desk.get(f"/desk/cash?staff={shop.staff_p.id}").get_data(as_text=True))
    assert order.number in mine


def test_the_order_page_shows_parcels_what_is_due_and_the_masked_phone(shop, desk, make_order):
    order = make_order((shop.noodles, 2), (shop.squid, 1), point=shop.p)
    _send(order.parts[0].id, shop.user_a)
    receiving.receive_parcel(shop.p.id, str(order.parts[0].id), shop.staff_p)

    html = desk.get(f"/desk/orders/{order.number}").get_data(as_text=True)

    assert "HTX Miến dong Bình Liêu" in html and "Hộ Mạnh Hải" in html
    assert "450,000" in html and "•••• ••• 678" in html and "912345678" not in html
    assert desk.get("/desk/orders/QN-0000-0000").status_code == 404


# ---- the point's own stock ------------------------------------------------------------------------

def test_goods_on_the_points_shelf_are_put_aside_and_handed_over_from_it(shop, desk, make_order, put_stock):
    put_stock(shop.noodles, shop.p, 5)
    db.session.commit()
    order = make_order((shop.noodles, 2), point=shop.p)
    [part] = order.parts
    assert part.route == Route.POINT_STOCK
    dashboard = desk.get("/desk/").get_data(as_text=True)
    assert f"/desk/parts/{part.id}/put-aside" in dashboard

    page = _text(shown(desk, post(desk, f"/desk/parts/{part.id}/put-aside")))

    assert f"Goods put aside. Order {order.number} is complete and ready: the customer has been told." in page
    assert fresh_order(order.id).status == OrderStatus.READY_FOR_PICKUP
    assert len(messages_of("order_ready")) == 1
    assert f"/desk/parts/{part.id}/put-aside" not in desk.get("/desk/").get_data(as_text=True)
    again = post(desk, f"/desk/parts/{part.id}/put-aside")
    assert "cannot be put aside now" in _text(shown(desk, again))

    post(desk, "/desk/pickup/confirm", code=order.pickup_code, identity="1", tendered="200000")
    assert fresh_order(order.id).status == OrderStatus.COMPLETED
    assert stock_of(shop.noodles, shop.p) == (3, 0)
    assert stock_of(shop.noodles, shop.a) == (10, 0)


def test_staff_receive_count_and_write_off_their_pointsstock_of(shop, desk, make_order, put_stock):
    put_stock(shop.noodles, shop.p, 5)
    db.session.commit()
    make_order((shop.noodles, 2), point=shop.p)  # 2 of the 5 are set aside
    sku, vid = shop.noodles.sku, shop.noodles.id

    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="count", quantity="1")))
    assert f"{sku}: 2 units are allocated to placed orders, so on hand cannot be set below 2." in page
    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="damaged", quantity="6")))
    assert f"{sku}: only 5 on hand, so 6 cannot be taken out." in page
    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="damaged", quantity="4")))
    assert "cannot be set below 2" in page
    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="receive", quantity="-3")))
    assert "Please enter a whole number from 0 to 1.000.000." in page
    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="stolen", quantity="1")))
    assert "Please choose what happened to the goods." in page
    assert stock_of(shop.noodles, shop.p) == (5, 2)

    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="receive", quantity="10",
                                  note="HTX giao thêm")))
    assert f"{sku}: on hand is now 15." in page
    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="damaged", quantity="3", note="vỡ")))
    assert f"{sku}: on hand is now 12." in page
    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="sold", quantity="11")))
    assert "cannot be set below 2" in page  # what is set aside for orders is not sold over the counter
    page = _text(shown(desk, post(desk, "/desk/stock", variant_id=vid, mode="sold", quantity="1")))
    assert f"{sku}: on hand is now 11." in page
    assert stock_of(shop.noodles, shop.p) == (11, 2)
    stock_page = desk.get("/desk/stock").get_data(as_text=True)
    assert "HTX giao thêm" in stock_page and sku in stock_page
    # A variant the point never held is not adjusted by id.
    assert post(desk, "/desk/stock", variant_id=shop.squid.id, mode="receive", quantity="1").status_code == 404
    assert post(desk, "/desk/stock", variant_id="abc", mode="receive", quantity="1").status_code == 404


def test_goods_received_by_sku_show_on_the_points_public_page(shop, desk, client):
    public = client.get(f"/sales-points/{shop.p.code}?lang=en").get_data(as_text=True)
    assert "Chả mực Hạ Long" not in public

    page = _text(shown(desk, post(desk, "/desk/stock/add", sku="NO-SUCH-SKU", quantity="3", mode="receive")))
    assert "Unknown SKU NO-SUCH-SKU." in page
    page = _text(shown(desk, post(desk, "/desk/stock/add", sku=shop.squid.sku.lower(), quantity="3",
                                  mode="receive", note="Ký gửi")))
    assert f"{shop.squid.sku}: on hand is now 3." in page

    assert stock_of(shop.squid, shop.p) == (3, 0) and stock_of(shop.squid, shop.b) == (10, 0)
    public = client.get(f"/sales-points/{shop.p.code}?lang=en").get_data(as_text=True)
    assert "Chả mực Hạ Long" in public and "3 in stock" in public
    assert "Chả mực Hạ Long" not in client.get(f"/sales-points/{shop.q.code}?lang=en").get_data(as_text=True)


# ---- bad input --------------------------------------------------------------------------------------

def test_receiving_garbage_or_what_is_not_a_parcel_here_gives_a_clear_message(shop, desk, make_order):
    order = make_order((shop.noodles, 1), point=shop.p)
    delivery = make_order((shop.noodles, 1), delivery=True)
    before = (stock_of(shop.noodles, shop.a), [p.status for p in fresh_order(order.id).parts])

    for code in ("", "hello <script>", "OCOP-PART:999999", "9" * 40, f"OCOP-PART:{delivery.parts[0].id}"):
        page = _text(shown(desk, post(desk, "/desk/receive", code=code)))
        assert "No parcel with this number. Check the label and scan or type it again." in page
    page = _text(shown(desk, post(desk, "/desk/receive", code=str(order.parts[0].id))))
    assert f"Parcel #{order.parts[0].id} cannot be received: it is" in page

    assert (stock_of(shop.noodles, shop.a), [p.status for p in fresh_order(order.id).parts]) == before
    assert fresh_order(delivery.id).parts[0].status == PartStatus.NEW


@pytest.mark.parametrize("form, message", [
    ({"tendered": "500000"}, "Check the customer's name and phone number, then tick the box."),
    ({"identity": "1", "tendered": "400.000"}, "400,000 ₫ is less than the 450,000 ₫ due."),
    ({"identity": "1", "tendered": "năm trăm"}, "Enter the cash received: 450,000 ₫ is due."),
    ({"identity": "1", "tendered": "-500000"}, "Enter the cash received: 450,000 ₫ is due."),
    ({"identity": "1"}, "Enter the cash received: 450,000 ₫ is due."),
])
def test_a_handover_without_identity_or_enough_cash_is_refused(shop, desk, make_order, form, message):
    order = _ready(shop, make_order((shop.noodles, 2), (shop.squid, 1), point=shop.p))

    response = post(desk, "/desk/pickup/confirm", code=order.pickup_code, **form)

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in _text(html)
    assert 'name="identity"' in html  # the form again, to correct
    order = fresh_order(order.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP
    assert order.payment.status == PaymentStatus.PENDING and order.payment.received_vnd is None
    assert {p.status for p in order.parts} == {PartStatus.READY}


def test_an_order_is_handed_over_only_once(shop, desk, make_order):
    order = _ready(shop, make_order((shop.noodles, 1), point=shop.p))
    assert post(desk, "/desk/pickup/confirm", code=order.pickup_code, identity="1",
                tendered="100000").status_code == 302

    again = post(desk, "/desk/pickup/confirm", code=order.pickup_code, identity="1", tendered="100000")

    assert again.status_code == 422
    assert f"Order {order.number} is not ready for pickup" in _text(again.get_data(as_text=True))
    order = fresh_order(order.id)
    assert order.payment.received_vnd == 100_000
    assert len([e for e in order.events if e.kind == "payment_received"]) == 1
    # Looking the code up again shows the order as collected, with nothing to hand over.
    html = post(desk, "/desk/pickup", code=order.pickup_code).get_data(as_text=True)
    assert "Do not hand anything over." in _text(html) and 'action="/desk/pickup/confirm"' not in html


def test_two_staff_confirming_the_same_handover_at_once_take_the_cash_once(shop, login, make_order):
    order = _ready(shop, make_order((shop.noodles, 2), (shop.squid, 1), point=shop.p))
    desks = [client_for(current_app, login, user) for user in (shop.staff_p, shop.colleague_p)]
    tokens = [token(c) for c in desks]
    code, barrier, codes = order.pickup_code, threading.Barrier(2), []

    def confirm(client, tok):
        barrier.wait()
        codes.append(client.post("/desk/pickup/confirm", data={"csrf_token": tok, "code": code,
                                                               "identity": "1", "tendered": "500000"}).status_code)

    threads = [threading.Thread(target=confirm, args=pair) for pair in zip(desks, tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(codes) == [302, 422]
    order = fresh_order(order.id)
    assert order.status == OrderStatus.COMPLETED and order.payment.received_vnd == 450_000
    assert [e.kind for e in order.events].count("payment_received") == 1
    assert [e.kind for e in order.events].count("collected") == 1


def test_an_order_paid_by_transfer_is_handed_over_without_taking_cash(shop, desk, paid_transfer_order):
    order = _ready(shop, fresh_order(paid_transfer_order.id))

    html = post(desk, "/desk/pickup", code=order.pickup_code).get_data(as_text=True)
    assert 'name="tendered"' not in html

    page = _text(shown(desk, post(desk, "/desk/pickup/confirm", code=order.pickup_code, identity="1")))
    assert f"Order {order.number} handed over. Nothing was due." in page
    order = fresh_order(order.id)
    assert order.status == OrderStatus.COMPLETED
    assert (order.payment.received_vnd, order.payment.tendered_vnd) == (250_000, None)
    assert order.number not in desk.get("/desk/cash").get_data(as_text=True)


# ---- the hold period --------------------------------------------------------------------------------

def test_an_unclaimed_parcel_is_listed_for_return_and_given_back_once(shop, desk, make_order, put_stock):
    put_stock(shop.noodles, shop.p, 5)
    db.session.commit()
    order = make_order((shop.noodles, 2), (shop.squid, 1), point=shop.p)
    shelf = next(p.id for p in order.parts if p.route == Route.POINT_STOCK)
    parcel = next(p.id for p in order.parts if p.route == Route.VIA_POINT)
    post(desk, f"/desk/parts/{shelf}/put-aside")
    _send(parcel, shop.user_b)
    post(desk, "/desk/receive", code=f"OCOP-PART:{parcel}")
    order = fresh_order(order.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP

    assert hold.expire_pickups(at=aware(order.hold_until) + dt.timedelta(minutes=1)) == [order.number]

    order = fresh_order(order.id)
    assert order.status == OrderStatus.CANCELLED
    assert stock_of(shop.noodles, shop.p) == (5, 0)
    assert sorted(m.recipient for m in messages_of("order_unclaimed")) == sorted(
        ["khach@example.vn", current_app.config["OPERATOR_EMAIL"]])
    assert [(m.recipient, m.language) for m in messages_of("part_unclaimed")] == [("binh@manhhai.vn", "en")]
    dashboard = desk.get("/desk/").get_data(as_text=True)
    assert f"/desk/parts/{parcel}/returned" in dashboard
    assert f"/desk/parts/{shelf}/returned" not in dashboard  # own goods simply went back on the shelf

    page = _text(shown(desk, post(desk, f"/desk/parts/{parcel}/returned")))
    assert f"Parcel #{parcel} is marked as given back to Hộ Mạnh Hải." in page
    assert f"/desk/parts/{parcel}/returned" not in desk.get("/desk/").get_data(as_text=True)
    page = _text(shown(desk, post(desk, f"/desk/parts/{parcel}/returned")))
    assert "Only parcels not collected in time go back to their producer." in page
    db.session.expire_all()
    assert db.session.get(Fulfillment, parcel).returned_at is not None
    assert [e.kind for e in fresh_order(order.id).events].count("returned_to_producer") == 1

    # The code no longer hands anything over.
    response = post(desk, "/desk/pickup/confirm", code=order.pickup_code, identity="1", tendered="500000")
    assert response.status_code == 422


# ---- the cash report and the day's lists --------------------------------------------------------------

@pytest.mark.parametrize("day, message", [
    ("yesterday", "Please give the day as YYYY-MM-DD."),
    ("2026-02-30", "Please give the day as YYYY-MM-DD."),
    ("9999-12-31", "There is no cash report for that day: here is today's."),
    ("0001-01-01", "There is no cash report for that day: here is today's."),
])
def test_a_day_the_cash_report_cannot_show_is_explained_not_a_crash(shop, desk, day, message):
    from shop.clock import today

    response = desk.get(f"/desk/cash?day={day}")

    assert response.status_code == 200
    page = _text(response.get_data(as_text=True))
    assert message in page
    assert f'value="{today().isoformat()}"' in response.get_data(as_text=True)  # today's report instead


def test_what_staff_type_is_shown_back_escaped(shop, desk):
    page = shown(desk, post(desk, "/desk/stock/add", sku="<script>alert(1)</script>", quantity="1",
                            mode="receive"))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    html = post(desk, "/desk/pickup", code='"><img src=x onerror=alert(1)>').get_data(as_text=True)
    assert "<img src=x" not in html


def test_the_dashboard_queries_do_not_grow_with_the_number_of_orders(shop, desk, make_order, put_stock,
                                                                   count_queries):
    put_stock(shop.noodles, shop.p, 50)
    db.session.commit()
    inventory.set_on_hand(shop.squid.id, inventory.location_of_producer(shop.b.id), 100, reason="count")

    def one_of_each():
        make_order((shop.noodles, 1), point=shop.p)  # to put aside
        on_the_way = make_order((shop.squid, 1), point=shop.p)
        _send(on_the_way.parts[0].id, shop.user_b)
        waiting = make_order((shop.noodles, 1), (shop.squid, 1), point=shop.p)
        receiving.put_aside(shop.p.id, next(p.id for p in waiting.parts if p.route == Route.POINT_STOCK), shop.staff_p)
        _ready(shop, make_order((shop.squid, 1), point=shop.p))
        collected = _ready(shop, make_order((shop.squid, 1), point=shop.p))
        handover.hand_over(shop.p.id, collected.pickup_code, shop.staff_p, identity_checked=True, tendered_vnd=10**6)

    def statements(found):
        return [s for s in found if not s.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))]

    one_of_each()
    db.session.expire_all()
    with count_queries() as few:
        assert desk.get("/desk/").status_code == 200
    for _ in range(3):
        one_of_each()
    db.session.expire_all()
    with count_queries() as many:
        html = desk.get("/desk/").get_data(as_text=True)
    assert html.count("/put-aside") == 4
    assert len(statements(many)) == len(statements(few))
