"""The first pickup day: checkout's point choice, the review step, the order page and the ready e-mail say when
the order can be collected, and that day is never one the point is closed (weekday off, closure, after hours)."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from shop.catalog.models import Product
from shop.desk import receiving
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.notifications.rendering import render
from shop.sales_points.models import Closure, SalesPoint
from shop.sales_points.pickup_days import first_pickup_day
from tests.readback import fresh_order, messages_of
from tests.web.helpers import checkout_details, csrf_token

MON_SAT = [["07:30", "17:30"]] * 6 + [None]
MON_FRI = [["08:00", "17:00"]] * 5 + [None, None]


def vietnam(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """December 2026, Vietnam's time of day (UTC+7), as the UTC moment the shop keeps."""
    return dt.datetime(2026, 12, day, hour, minute, tzinfo=dt.UTC) - dt.timedelta(hours=7)


FRIDAY_10 = vietnam(4, 10)  # Friday 4 December 2026, 10:00 in Vietnam


@pytest.fixture
def at(monkeypatch):
    """Stop the shop's clock at a moment."""
    def stop(moment: dt.datetime) -> None:
        for where in ("shop.clock.now", "shop.checkout.rules.now", "shop.orders.pickup.now", "shop.orders.messages.now"):
            monkeypatch.setattr(where, lambda: moment)
    return stop


@pytest.fixture
def points(two_producers_and_two_points):
    """P (HL07) open Monday to Saturday, closed on Tuesday 8 December for a stocktake; Q (UB02) Monday to Friday."""
    state = two_producers_and_two_points
    state.p.weekly_hours, state.q.weekly_hours = MON_SAT, MON_FRI
    db.session.add(Closure(sales_point=state.p, starts_on=dt.date(2026, 12, 8), ends_on=dt.date(2026, 12, 8),
                           reason="Kiểm kê"))
    db.session.commit()
    return state


@pytest.mark.parametrize("moment, parcels, expected", [
    (FRIDAY_10, True, dt.date(2026, 12, 9)),  # parcels: 2 working days → Tue 8, closed that day → Wed 9
    (FRIDAY_10, False, dt.date(2026, 12, 4)),  # the point's own goods: today, it is open
    (vietnam(4, 18), False, dt.date(2026, 12, 5)),  # after 17:30 today's hours are over: Saturday
    (vietnam(5, 18), False, dt.date(2026, 12, 7)),  # Saturday evening: Sunday is off, so Monday
    (vietnam(6, 9), False, dt.date(2026, 12, 7)),  # Sunday: Monday
])
def test_the_first_pickup_day_is_a_day_the_point_is_open(points, moment, parcels, expected):
    assert first_pickup_day(points.p, moment, parcels=parcels) == expected


def test_a_point_open_on_no_day_offers_none_and_a_late_parcel_is_not_due_in_the_past(points):
    points.q.weekly_hours = [None] * 7
    assert first_pickup_day(points.q, FRIDAY_10, parcels=True) is None
    assert first_pickup_day(points.p, FRIDAY_10, parcels=True, not_before=dt.date(2026, 12, 10)) == dt.date(2026, 12, 10)


def _to_delivery(client, variant) -> None:
    slug = db.session.scalar(select(Product.slug).where(Product.id == variant.product_id))
    client.set_cookie("lang", "vi")
    client.post("/cart/add", data={"csrf_token": csrf_token(client, f"/products/{slug}"), "variant_id": variant.id,
                                   "quantity": 1})


def _choice(page: str, point: SalesPoint) -> str:
    """The label of one point on the delivery step."""
    start = page.index(f'name="sales_point" value="{point.id}"')
    return page[start:page.index("</label>", start)]


def test_checkout_offers_each_point_its_first_pickup_day_and_the_review_repeats_it(at, points, client):
    at(FRIDAY_10)
    _to_delivery(client, points.noodles)  # the noodles are at the producer's: a parcel travels to the point

    page = client.get("/checkout").get_data(as_text=True)
    assert "Nhận từ thứ Tư 09/12" in _choice(page, points.p)  # Tuesday is the stocktake
    assert "Nhận từ thứ Ba 08/12" in _choice(page, points.q)

    checkout_details(client, sales_point=str(points.p.id))
    review = client.get("/checkout/confirm").get_data(as_text=True)
    assert "Điểm OCOP Bãi Cháy" in review and "Nhận từ thứ Tư 09/12" in review


def test_goods_held_at_a_point_closed_today_are_offered_from_its_next_open_day(at, points, client, put_stock):
    put_stock(points.noodles, points.q, 5)
    at(vietnam(5, 10))  # Saturday: Q opens again on Monday

    _to_delivery(client, points.noodles)

    page = client.get("/checkout").get_data(as_text=True)
    assert "Nhận từ thứ Hai 07/12" in _choice(page, points.q)


def test_the_order_page_tells_the_first_pickup_day(at, points, make_order, client):
    order = make_order((points.noodles, 1), point=points.p, language="en")
    order.created_at = FRIDAY_10
    db.session.commit()
    at(FRIDAY_10)

    page = client.get(f"/orders/{order.number}?t={order.access_token}&lang=en").get_data(as_text=True)

    where = page[page.index('id="h-where"'):]
    assert re.search(r"Pickup from Wednesday 9 December", where)


def test_the_ready_email_names_the_next_day_the_point_is_open(at, points, make_order):
    order = make_order((points.noodles, 1), point=points.p, language="vi")
    [part] = order.parts
    at(vietnam(5, 18))  # the parcel arrives on Saturday after closing time; Sunday is off

    producer.accept_part(part.id, points.user_a)
    producer.mark_packed(part.id, points.user_a)
    producer.mark_sent_to_point(part.id, points.user_a, "Xe khách")
    receiving.receive_parcel(points.p.id, f"OCOP-PART:{part.id}", points.staff_p)

    assert fresh_order(order.id).ready_at is not None
    [ready] = messages_of("order_ready")
    assert ready.payload["first_day"] == "2026-12-07"
    text = render(ready).get_body(("plain",)).get_content()
    assert "Nhận từ thứ Hai 07/12" in text
