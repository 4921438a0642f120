"""What a checkout costs the database: statements per step, and steps that stay correct when many run at once."""
import re
import threading

import pytest
from sqlalchemy import select

from shop.cart.models import Cart
from shop.extensions import db
from tests.web.helpers import checkout_details, csrf_token


@pytest.fixture
def catalog(make_product, make_producer, make_sales_point, put_stock):
    noodles = make_product(name="Miến dong Bình Liêu", prices=(90_000,), producer=make_producer(name="HTX Miến dong"))
    tea = make_product(name="Trà hoa vàng", prices=(650_000,), producer=make_producer(name="Công ty Trà Hải Hà"))
    point = make_sales_point(code="HL01", name="Điểm bán OCOP Bãi Cháy")
    for product in (noodles, tea):
        put_stock(product.variants[0], product.producer, 1000)
    db.session.commit()
    return {"noodles": noodles, "tea": tea, "point": point}


def _add(client, product, quantity=1, token=None):
    token = token or csrf_token(client, f"/products/{product.slug}")
    return client.post("/cart/add", data={"csrf_token": token, "variant_id": product.variants[0].id, "quantity": quantity})


def _writes(statements) -> list[str]:
    return [s for s in statements if re.match(r"\s*(INSERT|UPDATE|DELETE)", s)]


def test_the_who_and_where_step_writes_the_cart_once(client, catalog, count_queries):
    _add(client, catalog["noodles"])
    _add(client, catalog["tea"])
    token = csrf_token(client, "/checkout")
    with count_queries() as statements:
        response = client.post("/checkout", data={"csrf_token": token, "name": "Nguyễn Thị Lan", "phone": "0912 345 678",
                                                  "method": "pickup", "sales_point": str(catalog["point"].id),
                                                  "data_consent": "y"})
    assert response.headers["Location"].endswith("/checkout/confirm")
    assert [s.split()[0:2] for s in _writes(statements)] == [["UPDATE", "cart"]]
    # Before: three commits, after each of which every sales point was read again (54 statements for 8 points).
    assert len(statements) <= 12
    db.session.rollback()
    saved = db.session.scalar(select(Cart.checkout))
    assert (saved["name"], saved["delivery"], saved["sales_point_id"], saved["data_consent"]) == \
        ("Nguyễn Thị Lan", "pickup", catalog["point"].id, True)


def test_a_refused_address_still_keeps_the_contact_typed(client, catalog):
    _add(client, catalog["noodles"])
    refused = checkout_details(client, method="delivery", province="22", ward_code="", address_line="")
    assert refused.status_code == 200
    db.session.rollback()
    saved = db.session.scalar(select(Cart.checkout))
    assert saved["name"] == "Nguyễn Thị Lan" and saved["data_consent"] is False and "delivery" not in saved


def test_many_customers_posting_who_and_where_at_once_all_go_on(app, catalog):
    """Each answer is one short write: none fails with "database is locked" while others write (SQLite)."""
    slug, variant_id, point_id = catalog["noodles"].slug, catalog["noodles"].variants[0].id, catalog["point"].id
    barrier, answers = threading.Barrier(12), []

    def customer(number):
        client = app.test_client()
        html = client.get(f"/products/{slug}").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
        client.post("/cart/add", data={"csrf_token": token, "variant_id": variant_id, "quantity": 1})
        barrier.wait()
        for attempt in range(3):  # a customer correcting the name posts again
            response = client.post("/checkout", data={
                "csrf_token": token, "name": f"Khách {number}-{attempt}", "phone": "0912 345 678", "method": "pickup",
                "sales_point": str(point_id), "data_consent": "y"})
            answers.append((response.status_code, response.headers.get("Location", "").endswith("/checkout/confirm")))

    threads = [threading.Thread(target=customer, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [(302, True)] * 36
    db.session.rollback()
    names = {cart.checkout["name"] for cart in db.session.scalars(select(Cart))}
    assert names == {f"Khách {n}-2" for n in range(12)}


def _ready_to_place(client, catalog, products=("noodles", "tea")):
    for name in products:
        _add(client, catalog[name])
    checkout_details(client, sales_point=str(catalog["point"].id))
    html = client.get("/checkout/confirm").get_data(as_text=True)
    return dict(re.findall(r'name="(csrf_token|checkout_key|expected_total)"[^>]*value="([^"]*)"', html))


def _reads_of(table: str, statements) -> int:
    return sum(1 for s in statements if re.search(rf'\bFROM {table}\b(?! JOIN)', s) and s.lstrip().startswith("SELECT"))


def test_the_pay_and_confirm_page_reads_the_cart_and_its_lines_once(client, catalog, count_queries):
    _ready_to_place(client, catalog)
    with count_queries() as statements:
        assert client.get("/checkout/confirm").status_code == 200
    # The header's count comes from the cart the page loaded: no query of its own.
    assert (_reads_of("cart", statements), _reads_of("cart_line", statements)) == (1, 1)
    assert len(statements) <= 8
    # The first pickup day is reckoned for the chosen point alone, not for every point of the province.
    points = [s for s in statements if re.search(r"\bFROM sales_point\b(?!_)", s)]
    assert len(points) == 1 and re.search(r"sales_point\.id = ", points[0])


def test_placing_a_two_producer_order_runs_a_fixed_short_list_of_statements(client, catalog, count_queries):
    fields = _ready_to_place(client, catalog)
    with count_queries() as statements:
        placed = client.post("/checkout/place", data={**fields, "method": "cash_at_pickup"})
    assert "/orders/" in placed.headers["Location"]
    # Was 42: the key probed first, the cart read three times, locations and stock in four reads, the counter
    # in two statements, the timeline and the outbox read before appending, the order read again to redirect.
    assert _reads_of("cart_line", statements) == 2  # the page's read, then under the write lock
    assert not [s for s in statements if re.search(r'FROM "order"|FROM order_event|FROM outbox_message', s)]
    assert len(statements) <= 25


def test_add_to_cart_is_a_few_statements_for_a_new_cart_and_for_the_next_item(client, catalog, count_queries):
    token = csrf_token(client, f"/products/{catalog['noodles'].slug}")
    noodles, tea = catalog["noodles"].variants[0].id, catalog["tea"].variants[0].id

    def add(variant_id):
        return client.post("/cart/add", data={"csrf_token": token, "variant_id": variant_id, "quantity": 1})

    with count_queries() as first:
        assert add(noodles).status_code == 303
    with count_queries() as second:
        assert add(tea).status_code == 303
    # A new cart: the variant with what decides "buyable", the cart, the line (was 10, reading the cart back).
    assert [s.split()[0] for s in first if not s.startswith("BEGIN")] == ["SELECT", "INSERT", "INSERT"]
    assert len([s for s in second if not s.startswith("BEGIN")]) <= 5  # cart, lines, variant, stamp, line (was 11)
    assert client.get_cookie("cart") is not None  # the cookie names the new cart
