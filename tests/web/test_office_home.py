"""The office's home and the workspace shell the office, producers and desks share."""
from __future__ import annotations

import datetime as dt
import re
from html import unescape

import pytest
from sqlalchemy import update

from shop.auth.models import Role
from shop.catalog.models import ProductStatus
from shop.clock import now, today
from shop.desk import receiving
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.orders.models import Fulfillment
from shop.orders.payment import PaymentMethod
from shop.payments.transfers import record_transfer


@pytest.fixture
def office(client, login, make_user):
    client.admin = make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN)
    db.session.commit()
    client.set_cookie("lang", "en")
    assert login(client, "boss@example.vn").status_code == 302
    return client


def numbers(html: str) -> dict[str, str]:
    """Each count on the home page by its words, as the office reads it."""
    found = re.findall(r'<li><a href="[^"]*"(?: class="is-overdue")?><strong>(.*?)</strong>\s*(.*?)</a></li>', html)
    return {unescape(words).strip(): unescape(value) for value, words in found}


def test_the_home_counts_what_waits_for_the_office_today(office, two_producers_and_two_points, make_order,
                                                         make_product):
    state = two_producers_and_two_points
    late = make_order((state.noodles, 1), point=state.p)
    db.session.execute(update(Fulfillment).where(Fulfillment.id == late.parts[0].id)
                       .values(created_at=now() - dt.timedelta(hours=30)))
    at_point = make_order((state.squid, 1), point=state.p)
    part = at_point.parts[0].id
    producer.accept_part(part, state.user_b)
    producer.mark_packed(part, state.user_b)
    producer.mark_sent_to_point(part, state.user_b)
    receiving.receive_parcel(state.p.id, str(part), state.staff_p)
    make_order((state.squid, 1), point=state.p, payment=PaymentMethod.VIETQR_TRANSFER)
    paid = make_order((state.noodles, 1), point=state.q, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(paid.id, paid.total_vnd, "FT26120401", office.admin)
    make_product(name="Trà hoa vàng", status=ProductStatus.WAITING_REVIEW)
    make_product(name="Rượu mơ", expires_on=today() + dt.timedelta(days=30))
    make_product(name="Nước mắm", expires_on=today() + dt.timedelta(days=120))
    db.session.commit()

    shown = numbers(office.get("/admin/").get_data(as_text=True))

    assert shown == {
        "orders placed today": "4", "money received today": "100,000\xa0₫", "parts late at producers": "1",
        "parcels waiting at sales points": "1", "orders ready, not collected yet": "1",
        "bank transfers to match": "1", "card refunds owed": "0", "products waiting for review": "1",
        "OCOP certificates ending within 90 days": "1",
    }


def test_each_number_links_to_the_list_it_counts(office, two_producers_and_two_points, make_order):
    state = two_producers_and_two_points
    late = make_order((state.noodles, 1), point=state.p)
    db.session.execute(update(Fulfillment).where(Fulfillment.id == late.parts[0].id)
                       .values(created_at=now() - dt.timedelta(hours=30)))
    fresh = make_order((state.squid, 1), point=state.p)
    db.session.commit()
    html = office.get("/admin/").get_data(as_text=True)
    links = dict((unescape(words).strip(), unescape(href)) for href, words in
                 re.findall(r'<li><a href="([^"]*)"(?: class="is-overdue")?><strong>.*?</strong>\s*(.*?)</a></li>', html))

    board = office.get(links["parts late at producers"]).get_data(as_text=True)
    assert late.number in board and fresh.number not in board
    today_board = office.get(links["orders placed today"]).get_data(as_text=True)
    assert late.number in today_board and fresh.number in today_board
    for words in ("bank transfers to match", "card refunds owed", "products waiting for review",
                  "OCOP certificates ending within 90 days", "parcels waiting at sales points"):
        assert office.get(links[words]).status_code == 200


def test_the_certificates_list_names_the_products_ending_soon(office, make_product):
    make_product(name="Rượu mơ Yên Tử", expires_on=today() + dt.timedelta(days=30))
    make_product(name="Nước mắm Cái Rồng", expires_on=today() + dt.timedelta(days=120))
    db.session.commit()
    html = office.get("/admin/certificates").get_data(as_text=True)
    assert "Rượu mơ Yên Tử" in html and "Nước mắm Cái Rồng" not in html


def test_the_home_runs_as_many_queries_with_many_orders_as_with_one(office, count_queries, make_order,
                                                                    two_producers_and_two_points):
    state = two_producers_and_two_points
    make_order((state.noodles, 1), point=state.p)
    db.session.commit()
    with count_queries() as few:
        assert office.get("/admin/").status_code == 200
    for _ in range(6):
        make_order((state.squid, 1), point=state.q)
    db.session.commit()
    with count_queries() as many:
        assert office.get("/admin/").status_code == 200
    assert len(many) == len(few)


def test_the_orders_board_runs_as_many_queries_with_many_orders_as_with_one(office, count_queries, make_order,
                                                                            two_producers_and_two_points):
    state = two_producers_and_two_points
    make_order((state.noodles, 1), point=state.p)
    db.session.commit()
    with count_queries() as few:
        assert office.get("/admin/orders").status_code == 200
    for _ in range(6):
        make_order((state.squid, 1), (state.noodles, 1), point=state.q)
    db.session.commit()
    with count_queries() as many:
        assert office.get("/admin/orders").status_code == 200
    assert len(many) == len(few)


# ---- the workspace shell --------------------------------------------------------------------------

@pytest.mark.parametrize("email, url, name", [
    ("boss@example.vn", "/admin/", "OCOP office"),
    ("an@htx.vn", "/producer/", "Producer workspace"),
    ("thu@diem-hl07.vn", "/desk/", "Sales-point desk"),
])
def test_each_workspace_has_its_own_header_and_menu_without_the_shops_search_and_footer(
        client, login, make_user, two_producers_and_two_points, email, url, name):
    make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN)
    db.session.commit()
    client.set_cookie("lang", "en")
    assert login(client, email).status_code == 302

    html = client.get(url).get_data(as_text=True)

    assert f'<strong class="office-name">{name}</strong>' in html
    user = {"boss@example.vn": "Văn Phòng", "an@htx.vn": "Hoàng An", "thu@diem-hl07.vn": "Phạm Thu"}[email]
    assert f'<span class="office-user">{user}</span>' in html
    assert 'class="ws-nav' in html and 'aria-current="page"' in html
    assert 'role="search"' not in html.split('<main')[0]
    assert "site-footer" not in html and 'id="site-search"' not in html


@pytest.mark.parametrize("email, link", [
    ("boss@example.vn", "/admin/"), ("an@htx.vn", "/producer/"), ("thu@diem-hl07.vn", "/desk/"), ("lan@example.vn", None),
])
def test_a_signed_in_user_with_a_role_sees_a_link_to_their_workspace_in_the_shop(
        client, login, make_user, two_producers_and_two_points, email, link):
    make_user(email="boss@example.vn", name="Văn Phòng", role=Role.ADMIN)
    make_user(email="lan@example.vn")
    db.session.commit()
    assert login(client, email).status_code == 302

    header = client.get("/products").get_data(as_text=True).split("</header>")[0]

    found = re.findall(r'<a class="workspace-link" href="([^"]+)"', header)
    assert found == ([link] if link else [])
