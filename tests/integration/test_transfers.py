"""VietQR orders: unpaid ones expire and give their stock back; the office records paid ones once."""
import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role
from shop.cart.models import Cart, CartLine
from shop.checkout.services import place_order
from shop.extensions import db
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.account.cancelling import cancel_by_customer
from shop.payments import errors, transfers
from shop.orders.models import Order, OrderStatus
from shop.orders.payment import PaymentMethod, PaymentStatus
from tests.integration.test_place_order import pickup
from tests.web.helpers import csrf_token


@pytest.fixture
def transfer_order(app, make_product, make_sales_point, put_stock):
    product = make_product(name="Trà hoa vàng", prices=(650_000,))
    put_stock(product.variants[0], product.producer, 3)
    point = make_sales_point()
    cart = Cart(token="qr", lines=[CartLine(variant_id=product.variants[0].id, quantity=2)])
    db.session.add(cart)
    db.session.commit()
    with app.test_request_context():
        order = place_order(cart.id, pickup(point, payment=PaymentMethod.VIETQR_TRANSFER), "qr-key", None)
    return order


def _allocated():
    db.session.rollback()
    return db.session.scalar(select(func.sum(Stock.allocated)))


def test_unpaid_transfer_expires_after_the_hold_and_releases_stock_once(app, transfer_order):
    assert _allocated() == 2
    due = transfer_order.payment.due_by
    assert transfers.expire_unpaid_transfers(at=due - dt.timedelta(minutes=1)) == []
    assert _allocated() == 2
    result = app.test_cli_runner().invoke(args=["orders", "expire"])
    assert "Expired 0" in result.output  # not due yet at the real clock
    assert transfers.expire_unpaid_transfers(at=due + dt.timedelta(minutes=1)) == [transfer_order.number]
    assert _allocated() == 0
    assert transfers.expire_unpaid_transfers(at=due + dt.timedelta(hours=5)) == []
    assert _allocated() == 0
    order = db.session.get(Order, transfer_order.id)
    assert order.status == OrderStatus.CANCELLED
    kinds = sorted(db.session.scalars(select(OutboxMessage.kind)))
    assert kinds == ["order_cancelled", "order_placed"]


def test_orders_expire_runs_as_of_the_moment_given_with_now(app, transfer_order):
    due = transfer_order.payment.due_by.replace(tzinfo=dt.UTC)
    runner = app.test_cli_runner()

    before = runner.invoke(args=["orders", "expire", "--now", (due - dt.timedelta(minutes=1)).isoformat()])
    assert before.exit_code == 0 and "Expired 0 unpaid transfer order(s)." in before.output
    assert _allocated() == 2

    after = runner.invoke(args=["orders", "expire", "--now", (due + dt.timedelta(minutes=1)).isoformat()])
    assert after.exit_code == 0, after.output
    assert f"Expired 1 unpaid transfer order(s): {transfer_order.number}." in after.output
    assert _allocated() == 0
    assert db.session.get(Order, transfer_order.id).status == OrderStatus.CANCELLED


def test_the_office_records_a_transfer_only_for_the_exact_amount(app, transfer_order, make_user):
    admin = make_user(role=Role.ADMIN, email="office@example.vn")
    db.session.commit()
    with pytest.raises(errors.AmountMismatch):
        transfers.record_transfer(transfer_order.id, 1_000_000, "FT123", admin)
    order = transfers.record_transfer(transfer_order.id, 1_300_000, "FT123", admin)
    assert order.payment.status == PaymentStatus.PAID and order.payment.recorded_by_id == admin.id
    assert order.status == OrderStatus.CONFIRMED
    with pytest.raises(errors.NotAwaitingTransfer):
        transfers.record_transfer(transfer_order.id, 1_300_000, "FT123", admin)
    assert transfers.expire_unpaid_transfers(at=order.payment.due_by + dt.timedelta(days=1)) == []
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "payment_received")) == 1


def test_a_customer_cancelling_after_paying_by_transfer_is_told_the_office_will_pay_back_and_the_office_is_told(
        app, client, transfer_order, make_user):
    admin = make_user(role=Role.ADMIN, email="office@example.vn")
    db.session.commit()
    transfers.record_transfer(transfer_order.id, 1_300_000, "FT2612345", admin)
    page = f"/orders/{transfer_order.number}?t={transfer_order.access_token}&lang=en"
    form = {"csrf_token": csrf_token(client, page), "t": transfer_order.access_token}

    response = client.post(f"/orders/{transfer_order.number}/cancel", data=form, follow_redirects=True)

    assert "The OCOP office will return the 1,300,000\xa0₫ you paid" in response.get_data(as_text=True)
    db.session.rollback()
    due = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "refund_due")).all()
    assert [(m.recipient, m.payload["amount_vnd"], m.payload["reference"]) for m in due] == [
        (app.config["OPERATOR_EMAIL"], 1_300_000, "FT2612345")]
    assert _allocated() == 0


def test_an_unpaid_transfer_cancelled_by_the_customer_owes_nobody_anything(app, transfer_order):
    cancel_by_customer(transfer_order.id)
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "refund_due")) == 0


def test_two_admins_recording_the_same_transfer_at_once_record_it_once(app, transfer_order, make_user):
    admin = make_user(role=Role.ADMIN, email="office2@example.vn")
    db.session.commit()
    admin_id, order_id = admin.id, transfer_order.id
    barrier, outcomes = threading.Barrier(2), []

    def record():
        with app.test_request_context():
            me = db.session.get(type(admin), admin_id)
            barrier.wait()
            try:
                transfers.record_transfer(order_id, 1_300_000, "FT9", me)
                outcomes.append("ok")
            except errors.NotAwaitingTransfer:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=record) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(OutboxMessage.kind == "payment_received")) == 1


def test_the_transfers_screen_is_for_the_office_only(client, transfer_order, make_user, login):
    assert client.get("/admin/transfers").status_code == 302  # to the login page
    make_user(email="buyer@example.vn")
    make_user(role=Role.ADMIN, email="office@example.vn")
    db.session.commit()
    login(client, "buyer@example.vn")
    assert client.get("/admin/transfers").status_code == 403
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, "office@example.vn")
    page = client.get("/admin/transfers?lang=en").get_data(as_text=True)
    assert transfer_order.number in page and "1,300,000" in page
    token = csrf_token(client, "/admin/transfers")
    client.post(f"/admin/transfers/{transfer_order.number}", data={"csrf_token": token, "amount": "1.300.000",
                                                                    "reference": "FT777"})
    db.session.rollback()
    assert db.session.get(Order, transfer_order.id).payment.status == PaymentStatus.PAID


def test_an_order_placed_before_tet_waits_for_its_transfer_over_the_holiday(app, make_product, make_sales_point,
                                                                            put_stock, monkeypatch):
    """Placed on Friday 13 February 2026 at 10:00 in Vietnam, the last working day before Tết (16–20 February):
    the deadline is Tuesday 24 February 10:00, so `flask orders expire` leaves it alone all through Tết."""
    import shop.checkout.services as checkout

    placed = dt.datetime(2026, 2, 13, 3, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(checkout, "now", lambda: placed)
    product = make_product(name="Trà hoa vàng", prices=(650_000,))
    put_stock(product.variants[0], product.producer, 3)
    cart = Cart(token="tet", lines=[CartLine(variant_id=product.variants[0].id, quantity=1)])
    db.session.add(cart)
    db.session.commit()
    with app.test_request_context():
        order = place_order(cart.id, pickup(make_sales_point(), payment=PaymentMethod.VIETQR_TRANSFER), "tet-key", None)
    assert order.payment.due_by.replace(tzinfo=dt.UTC) == dt.datetime(2026, 2, 24, 3, 0, tzinfo=dt.UTC)
    runner = app.test_cli_runner()
    for moment in ("2026-02-15T10:00", "2026-02-20T23:00", "2026-02-24T09:59"):
        assert "Expired 0 unpaid transfer" in runner.invoke(args=["orders", "expire", "--now", moment]).output
    assert f"Expired 1 unpaid transfer order(s): {order.number}" in runner.invoke(
        args=["orders", "expire", "--now", "2026-02-24T10:01"]).output
