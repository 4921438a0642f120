"""The province's reports: who may read them, and over a generated month every report's sums equal a direct
sum over the orders they summarise."""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
from collections import Counter, defaultdict
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from shop.admin import reports
from shop.auth.models import Role
from shop.clock import VIETNAM
from shop.extensions import db
from shop.orders.models import GONE, Fulfillment, Order, OrderLine, PartStatus, Route
from shop.orders.payment import PaymentMethod
from tests.web.helpers import alerts
from tests.web.test_office_orders import as_user, en, quick_passwords  # noqa: F401  (fixtures: en, quick_passwords)

NOVEMBER = reports.Range(dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def _at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VIETNAM).astimezone(dt.UTC)


@pytest.fixture
def month(make_producer, make_product, make_category, make_sales_point, put_stock, make_order, make_user):
    """40 orders placed through checkout, spread over November 2026 by a seeded generator (seed 2026): three
    producers in two communes, two product sets, two points and delivery, cash, COD and transfers; some parts
    cancelled, some orders ready then unclaimed or collected, some parts accepted after a few hours; plus one
    order on 31 October 23:30 and one on 1 December 00:10 (Vietnam time), outside the month."""
    rng = random.Random(2026)
    sets = [make_category("Thủy sản và sản phẩm từ thủy sản"), make_category("Đồ uống không cồn")]
    producers = [make_producer(name="HTX Chả mực Hạ Long", ward_code="06673"),
                 make_producer(name="Công ty Trà hoa vàng Ba Chẽ", ward_code="06856"),
                 make_producer(name="=HYPERLINK(\"x\") Hộ Phạm Văn Ba", ward_code="06856")]
    variants = []
    for index, producer in enumerate(producers):
        for n in range(2):
            product = make_product(name=f"Sản phẩm {index}-{n}", producer=producer, category=sets[(index + n) % 2],
                                   prices=(rng.choice([50_000, 120_000, 275_000]),))
            put_stock(product.variants[0], producer, 1000)
            variants.append(product.variants[0])
    points = [make_sales_point(code="HL01", name="Điểm OCOP Bãi Cháy"), make_sales_point(code="CP01", name="Điểm OCOP Cẩm Phả")]
    db.session.commit()

    orders = []
    for index in range(42):
        items = rng.sample(variants, rng.randint(1, 3))
        delivery = rng.random() < 0.35
        payment = rng.choice([None, PaymentMethod.VIETQR_TRANSFER])
        order = make_order(*[(v, rng.randint(1, 3)) for v in items], delivery=delivery, payment=payment,
                           point=None if delivery else rng.choice(points), email=f"khach{index}@example.vn")
        order = db.session.get(Order, order.id)
        if index == 40:
            order.created_at = _at(31, 23, 30, month=10)
        elif index == 41:
            order.created_at = _at(1, 0, 10, month=12)
        else:
            order.created_at = _at(rng.randint(1, 30), rng.randint(0, 23), rng.randint(0, 59))
        for part in order.parts:
            roll = rng.random()
            if roll < 0.15:
                part.status = PartStatus.CANCELLED
            elif part.route in (Route.VIA_POINT, Route.DELIVERY) and roll < 0.75:
                part.accepted_at = order.created_at + dt.timedelta(minutes=rng.randint(10, 60 * 48))
                part.status = PartStatus.ACCEPTED
        if not delivery and any(p.status != PartStatus.CANCELLED for p in order.parts) and rng.random() < 0.5:
            order.ready_at = order.created_at + dt.timedelta(days=3)
            outcome = PartStatus.UNCLAIMED if rng.random() < 0.4 else PartStatus.COLLECTED
            for part in order.parts:
                if part.status != PartStatus.CANCELLED:
                    part.status = outcome
        orders.append(order)
    db.session.commit()
    return SimpleNamespace(orders=orders, producers=producers, points=points)


def _direct_lines():
    """Every sold line of November, straight from the tables."""
    start, end = NOVEMBER.moments()
    return db.session.execute(
        select(OrderLine.order_id, OrderLine.line_total_vnd, OrderLine.quantity, OrderLine.product_name,
               OrderLine.producer_name)
        .join(Order, Order.id == OrderLine.order_id).join(Fulfillment, Fulfillment.id == OrderLine.part_id)
        .where(Order.created_at >= start, Order.created_at < end, Fulfillment.status.not_in(GONE))).all()


SALES_REPORTS = ["producers", "product-sets", "communes", "points", "payments", "months"]


@pytest.mark.parametrize("kind", SALES_REPORTS)
def test_every_sales_report_adds_up_to_the_goods_of_the_orders_it_summarises(app, month, kind):
    lines = _direct_lines()
    direct = sum(line.line_total_vnd for line in lines)
    assert direct > 0 and len({line.order_id for line in lines}) >= 30

    with app.test_request_context():
        report = reports.REPORTS[kind](NOVEMBER)

    assert report.total == direct
    assert sum(row[1] for row in report.rows) == direct
    assert sum(row[3] for row in report.rows) == sum(line.quantity for line in lines)
    if kind == "months":
        assert [row[0] for row in report.rows] == ["2026-11"]
        assert report.rows[0][2] == len({line.order_id for line in lines})
    if kind == "producers":
        by_producer = defaultdict(int)
        for line in lines:
            by_producer[line.producer_name] += line.line_total_vnd
        assert {row[0]: row[1] for row in report.rows} == by_producer


def test_the_range_keeps_the_orders_of_the_vietnamese_days_only(app, month):
    outside = month.orders[40:]
    with app.test_request_context():
        october = reports.by_month(reports.Range(dt.date(2026, 10, 31), dt.date(2026, 10, 31)))
        december = reports.by_month(reports.Range(dt.date(2026, 12, 1), dt.date(2026, 12, 1)))
    live = [sum(l.line_total_vnd for p in o.parts if p.status not in GONE for l in p.lines) for o in outside]
    assert october.total == live[0] and december.total == live[1]


def test_top_products_pickup_share_unclaimed_rate_and_response_times_match_the_orders(app, month):
    lines = _direct_lines()
    start, end = NOVEMBER.moments()
    in_month = db.session.scalars(select(Order).where(Order.created_at >= start, Order.created_at < end)).all()
    with app.test_request_context():
        top = reports.top_products(NOVEMBER)
        share = reports.pickup_or_delivery(NOVEMBER)
        unclaimed = reports.unclaimed_by_point(NOVEMBER)
        times = reports.response_times(NOVEMBER)

    per_product = Counter()
    for line in lines:
        per_product[line.product_name] += line.line_total_vnd
    assert {row[0]: row[1] for row in top.rows} == dict(per_product)  # six products: all in the top 20
    assert [row[1] for row in top.rows] == sorted(per_product.values(), reverse=True)

    live = [o for o in in_month if o.live_parts]
    assert share.total == len(live)
    assert [row[1] for row in share.rows] == [sum(o.delivery_method == "pickup" for o in live),
                                             sum(o.delivery_method == "delivery" for o in live)]
    assert round(sum(row[2] for row in share.rows)) == 100

    ready = [o for o in in_month if o.ready_at is not None]
    assert sum(row[2] for row in unclaimed.rows) == len(ready) > 0
    assert sum(row[3] for row in unclaimed.rows) == sum(
        any(p.status == PartStatus.UNCLAIMED for p in o.parts) for o in ready) > 0

    accepted = [p for o in in_month for p in o.parts if p.accepted_at is not None]
    assert sum(row[3] for row in times.rows) == len(accepted) > 0
    assert all(0 < row[1] <= 48 for row in times.rows if row[1] is not None)


# ---- the pages --------------------------------------------------------------------------------------

ROUTES = ["/admin/reports", "/admin/reports/producers", "/admin/reports/response-times",
          "/admin/reports/points.csv"]


@pytest.mark.parametrize("url", ROUTES)
@pytest.mark.parametrize("role", ["anonymous", "customer", "producer", "staff", "admin"])
def test_authorization_matrix(en, login, two_producers_and_two_points, order_with_two_parcels_for_point,
                              make_user, role, url):
    state = two_producers_and_two_points
    users = {"customer": make_user(email="khach@example.vn"), "producer": state.user_a, "staff": state.staff_p,
             "admin": make_user(email="boss@example.vn", role=Role.ADMIN)}
    db.session.commit()
    as_user(en, login, users.get(role))
    mail = db.session.scalar(select(func.count(Order.id)))

    response = en.get(url)

    if role == "anonymous":
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    elif role != "admin":
        assert response.status_code == 403 and "HTX Miến dong" not in response.get_data(as_text=True)
    else:
        assert response.status_code in (200, 302)
    assert db.session.scalar(select(func.count(Order.id))) == mail


def test_a_report_page_has_a_table_an_accessible_chart_the_definition_and_a_csv(en, login, month, make_user):
    admin = make_user(email="boss@example.vn", role=Role.ADMIN)
    db.session.commit()
    as_user(en, login, admin)

    html = en.get("/admin/reports/producers?from=2026-11-01&to=2026-11-30").get_data(as_text=True)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title id=\"chart-title\">Sales by producer</title>" in svg
    assert "HTX Chả mực Hạ Long" in svg
    assert "not cancelled and not left unclaimed" in html
    direct = sum(line.line_total_vnd for line in _direct_lines())
    total = re.search(r'class="num report-total"[^>]*>([^<]+)<', html).group(1)
    assert int(re.sub(r"\D", "", total)) == direct

    response = en.get("/admin/reports/producers.csv?from=2026-11-01&to=2026-11-30")
    assert response.mimetype == "text/csv"
    assert 'filename="ocop-producers-2026-11-01-2026-11-30.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["Producer", "Sales", "Orders", "Units"]
    assert sum(int(row[1]) for row in rows[1:]) == direct
    names = [row[0] for row in rows[1:]]
    assert "'=HYPERLINK(\"x\") Hộ Phạm Văn Ba" in names  # a spreadsheet reads it as text, not a formula


@pytest.mark.parametrize("query", ["?from=2026-13-01", "?from=2026-11-30&to=2026-11-01"])
def test_a_bad_range_is_explained(en, login, make_user, query):
    as_user(en, login, make_user(email="boss@example.vn", role=Role.ADMIN))
    response = en.get("/admin/reports/points" + query)
    assert response.status_code == 422
    assert any("check the dates" in alert for alert in alerts(response.get_data(as_text=True)))
    assert en.get("/admin/reports/points.csv" + query).status_code == 400


def test_an_unknown_report_is_404(en, login, make_user):
    as_user(en, login, make_user(email="boss@example.vn", role=Role.ADMIN))
    assert en.get("/admin/reports/nothing").status_code == 404
    assert en.get("/admin/reports/nothing.csv").status_code == 404
