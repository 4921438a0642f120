"""`flask demo accounts` (run by scripts/start): an account per role and orders in each state, development only."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from shop.auth.models import Role, User
from shop.demo.accounts import DEMO_PASSWORD
from shop.extensions import db
from shop.inventory.models import Stock
from shop.notifications.models import OutboxMessage
from shop.orders.models import Order, OrderStatus, PartStatus, Route
from shop.orders.payment import PaymentMethod, PaymentStatus
from shop.sales_points.models import PickupMode


@pytest.fixture
def catalogue(make_producer, make_product, make_sales_point, put_stock):
    """A producer with stock of two products, a point that receives parcels and one that does not."""
    honey = make_producer(name="HTX Mật ong Ba Chẽ")
    small = make_producer(name="Hộ Mạnh Hải")
    for name in ("Mật ong rừng Ba Chẽ", "Trà hoa vàng Ba Chẽ"):
        put_stock(make_product(name=name, producer=honey, prices=(150_000,)).variants[0], honey, 20)
    put_stock(make_product(name="Chả mực Hạ Long", producer=small, prices=(250_000,)).variants[0], small, 20)
    make_sales_point(code="AA01", pickup_mode=PickupMode.OWN_STOCK)
    point = make_sales_point(code="HL07", name="Điểm OCOP Bãi Cháy")
    db.session.commit()
    return {"producer": honey, "point": point}


@pytest.fixture
def development(app, monkeypatch):
    monkeypatch.setitem(app.config, "ENV", "development")
    return app


def run(app):
    result = app.test_cli_runner().invoke(args=["demo", "accounts"])
    db.session.expire_all()
    return result


def _users() -> dict[str, User]:
    return {u.role: u for u in db.session.scalars(select(User))}


def test_an_account_per_role_is_made_once_and_printed_with_its_password(development, catalogue):
    first = run(development)

    assert first.exit_code == 0, first.output
    users = _users()
    assert set(users) == {Role.ADMIN, Role.PRODUCER, Role.STAFF, Role.CUSTOMER}
    assert users[Role.PRODUCER].producer_id == catalogue["producer"].id  # the one with the most to sell
    assert users[Role.STAFF].sales_point_id == catalogue["point"].id  # the point that receives parcels
    assert f"password {DEMO_PASSWORD}" in first.output
    for user in users.values():
        assert user.check_password(DEMO_PASSWORD)
        assert user.email in first.output

    second = run(development)
    assert second.exit_code == 0 and second.output == first.output
    assert db.session.scalar(select(func.count(User.id))) == 4


def test_each_demo_account_logs_in_to_a_workspace_with_work_in_it(development, catalogue, login):
    run(development)
    orders = {o.checkout_key: o for o in db.session.scalars(select(Order))}
    pages = {"producer@demo.example.vn": ("/producer", "/producer/", orders["demo-new"].number),
             "desk@demo.example.vn": ("/desk", "/desk/", orders["demo-sent"].number),
             "office@demo.example.vn": ("/admin", "/admin/transfers", orders["demo-transfer"].number),
             "customer@demo.example.vn": (None, "/account", orders["demo-collected"].number)}
    for email, (lands, page, number) in pages.items():
        client = development.test_client()
        response = login(client, email, DEMO_PASSWORD)
        assert response.status_code == 302, email
        if lands:
            assert response.location.startswith(lands), (email, response.location)
        assert number in client.get(page, follow_redirects=True).get_data(as_text=True), (email, page)


def test_the_demo_orders_stand_in_each_state_and_starting_again_adds_nothing(development, catalogue):
    result = run(development)

    orders = {o.checkout_key: o for o in db.session.scalars(select(Order))}
    states = {key: (o.status, o.parts[0].status, o.payment.status) for key, o in orders.items()}
    assert states == {
        "demo-new": (OrderStatus.CONFIRMED, PartStatus.NEW, PaymentStatus.PENDING),
        "demo-packed": (OrderStatus.IN_PROGRESS, PartStatus.PACKED, PaymentStatus.PENDING),
        "demo-sent": (OrderStatus.IN_PROGRESS, PartStatus.SENT_TO_POINT, PaymentStatus.PENDING),
        "demo-ready": (OrderStatus.READY_FOR_PICKUP, PartStatus.READY, PaymentStatus.PENDING),
        "demo-collected": (OrderStatus.COMPLETED, PartStatus.COLLECTED, PaymentStatus.PAID),
        "demo-cancelled": (OrderStatus.CANCELLED, PartStatus.CANCELLED, PaymentStatus.FAILED),
        "demo-transfer": (OrderStatus.PENDING_PAYMENT, PartStatus.NEW, PaymentStatus.PENDING),
    }
    assert orders["demo-transfer"].payment.method == PaymentMethod.VIETQR_TRANSFER
    assert {o.parts[0].route for o in orders.values()} == {Route.VIA_POINT}
    assert {o.user_id for o in orders.values()} == {_users()[Role.CUSTOMER].id}
    assert f"pickup code {orders['demo-ready'].pickup_code}" in result.output
    assert f"parcel label OCOP-PART:{orders['demo-sent'].parts[0].id}" in result.output
    for order in orders.values():
        assert re.search(rf"{order.number}\s+\S", result.output)

    before = (db.session.scalar(select(func.sum(Stock.allocated))), db.session.scalar(select(func.count(OutboxMessage.id))))
    assert run(development).exit_code == 0
    assert db.session.scalar(select(func.count(Order.id))) == 7
    assert (db.session.scalar(select(func.sum(Stock.allocated))),
            db.session.scalar(select(func.count(OutboxMessage.id)))) == before


def test_only_the_collected_demo_order_carries_a_review_and_starting_again_adds_none(development, catalogue):
    from shop.catalog.models import Product
    from shop.catalog.reviews import Review, ReviewStatus

    run(development)
    run(development)

    reviews = db.session.scalars(select(Review)).all()
    collected = db.session.scalar(select(Order).where(Order.checkout_key == "demo-collected"))
    assert [(r.order_line_id, r.rating, r.status) for r in reviews] == [(collected.lines[0].id, 4, ReviewStatus.PUBLISHED)]
    assert reviews[0].body.startswith("Demo:")
    rated = db.session.scalars(select(Product).where(Product.rating_count > 0)).all()
    assert [(p.id, p.rating_sum, p.rating_count) for p in rated] == [(reviews[0].product_id, 4, 1)]


def test_without_a_catalogue_only_the_office_and_the_customer_are_made(development):
    result = run(development)

    assert result.exit_code == 0, result.output
    assert set(_users()) == {Role.ADMIN, Role.CUSTOMER}
    assert db.session.scalar(select(func.count(Order.id))) == 0


@pytest.mark.parametrize("env", ["production", "testing", "staging"])
def test_outside_development_nothing_is_made(app, catalogue, monkeypatch, env):
    monkeypatch.setitem(app.config, "ENV", env)

    result = run(app)

    assert result.exit_code == 1
    assert "only in development" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0
