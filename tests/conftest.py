"""Fixtures: one app per database backend (SQLite always, PostgreSQL when reachable), factories."""
from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import tempfile
import threading
import uuid

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, text

# Tests never read a developer's instance/config.py.
os.environ["SHOP_INSTANCE_PATH"] = tempfile.mkdtemp(prefix="shop-test-instance-")

from shop import create_app  # noqa: E402
from shop.extensions import db, limiter  # noqa: E402

PG_SERVER = os.environ.get("SHOP_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
REQUIRE_PG = os.environ.get("SHOP_TEST_REQUIRE_POSTGRES") == "1"


def _postgres_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(PG_SERVER.replace("+psycopg", "") + "/postgres", connect_timeout=3):
            return True
    except psycopg.Error:
        if REQUIRE_PG:
            raise
        return False


BACKENDS = ["sqlite"] + (["postgresql"] if _postgres_reachable() else [])


@contextlib.contextmanager
def fresh_database(backend: str, tmp_dir: str):
    """Yield the URL of a new, empty database, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{os.path.join(tmp_dir, f'test-{uuid.uuid4().hex[:8]}.sqlite3')}"
        return
    import psycopg

    name = f"shop_test_{uuid.uuid4().hex[:12]}"
    admin = PG_SERVER.replace("+psycopg", "") + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
        # A test database need not survive a crash: commits stop waiting for the disk (the shop's
        # semantics — locks, constraints, isolation — are unchanged).
        conn.execute(f'ALTER DATABASE "{name}" SET synchronous_commit = off')
    try:
        yield f"{PG_SERVER}/{name}"
    finally:
        # DROP DATABASE waits for a checkpoint (seconds when the disk is busy): drop in the background,
        # so that tests go on and drops that overlap share one checkpoint; pytest_sessionfinish waits.
        drop = threading.Thread(target=_drop_database, args=(admin, name))
        drop.start()
        _drops.append(drop)


_drops: list[threading.Thread] = []


def _drop_database(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pytest_sessionfinish(session):
    for drop in _drops:
        drop.join()


class FreshRequestClient(FlaskClient):
    """A test client whose requests do not share per-request state through the test's app context.

    Tests keep an app context open to read the database; Flask then reuses it for each request,
    so what is cached on `g` per request (the locale, the CSRF token) would leak into the next one.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for name in list(g):
                g.pop(name)
        return super().open(*args, **kwargs)


def build_app(url: str, **extra):
    from flask_migrate import upgrade

    app = create_app({"TESTING": True, "ENV": "testing", "SQLALCHEMY_DATABASE_URI": url,
                      "WTF_CSRF_ENABLED": True, "SERVER_NAME": None,
                      # Caches would carry pages and choices from one test into the next.
                      "PAGE_CACHE_SECONDS": 0, "FILTER_CACHE_SECONDS": 0, "DISPLAY_RATE_CACHE_SECONDS": 0,
                      # Deliberately slow hashing would spend minutes creating test users.
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", **extra})
    app.test_client_class = FreshRequestClient
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def _clean_app(backend, tmp_path_factory):
    with fresh_database(backend, str(tmp_path_factory.mktemp("db"))) as url:
        app = build_app(url)
        yield app
        with app.app_context():
            db.engine.dispose()


def empty_the_tables(engine) -> None:
    """Delete every row a test left, touching only the tables that hold some.

    One query finds the tables with rows; those are emptied with DELETE, children first. On PostgreSQL the
    sequences a test drew from start again at 1, as after TRUNCATE … RESTART IDENTITY. Emptying all
    24 tables with TRUNCATE cost ~0.6 s per test on PostgreSQL (each truncated table gets new files);
    a DELETE of the few rows a test wrote costs about a millisecond, and it works whatever connection
    or thread wrote them.
    """
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    which = " UNION ALL ".join(f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
    with engine.begin() as conn:
        holding = set(conn.scalars(text(which)))
        # Append-only tables (the ledger's) refuse DELETE by trigger: set aside for the cleanup only.
        restore = _set_triggers_aside(conn, holding)
        for table in tables:
            if table in holding:
                conn.execute(text(f'DELETE FROM "{table}"'))
        restore()
        if conn.dialect.name == "postgresql":
            drawn = conn.scalars(text("SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) "
                                      "FROM pg_sequences WHERE last_value IS NOT NULL"))
            for sequence in drawn.all():
                conn.execute(text(f"ALTER SEQUENCE {sequence} RESTART"))


_guarded: dict[str, list[tuple[str, str, str]]] = {}


def _append_only_triggers(conn) -> list[tuple[str, str, str]]:
    """(table, trigger, its SQL) of the triggers that refuse changes to append-only tables (looked up once)."""
    url = str(conn.engine.url)
    if url not in _guarded:
        if conn.dialect.name == "postgresql":
            query = ("SELECT c.relname, t.tgname, '' FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                     "WHERE NOT t.tgisinternal AND t.tgname LIKE '%append_only%'")
        else:
            query = "SELECT tbl_name, name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%append_only%'"
        _guarded[url] = [tuple(row) for row in conn.execute(text(query))]
    return _guarded[url]


def _set_triggers_aside(conn, holding: set[str]):
    """Disable the append-only triggers of the tables to empty, in this transaction; return what restores them."""
    triggers = [row for row in _append_only_triggers(conn) if row[0] in holding]
    for table, name, _sql in triggers:
        conn.execute(text(f'ALTER TABLE "{table}" DISABLE TRIGGER "{name}"' if conn.dialect.name == "postgresql"
                          else f'DROP TRIGGER "{name}"'))

    def restore():
        for table, name, sql in triggers:
            conn.execute(text(f'ALTER TABLE "{table}" ENABLE TRIGGER "{name}"' if conn.dialect.name == "postgresql"
                              else sql))

    return restore


@pytest.fixture
def app(_clean_app):
    """An app on an empty, migrated database; every row is deleted after the test."""
    with _clean_app.app_context():
        yield _clean_app
        db.session.remove()
        limiter.reset()
        empty_the_tables(db.engine)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def demo_app(backend, tmp_path_factory):
    """An app on a database holding the demo catalog; tests must not change it."""
    from shop.demo.load import seed_demo

    with fresh_database(backend, str(tmp_path_factory.mktemp("demo"))) as url:
        app = build_app(url)
        with app.app_context():
            seed_demo()
        yield app
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def demo_client(demo_app):
    with demo_app.app_context():
        yield demo_app.test_client()
        db.session.remove()


@pytest.fixture
def count_queries():
    """Count the SQL statements run inside a `with count_queries() as counted:` block."""

    @contextlib.contextmanager
    def counter():
        statements: list[str] = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        engine = db.engine
        event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(engine, "before_cursor_execute", record)

    return counter


# ---- factories -------------------------------------------------------------------------------

_seq = itertools.count(1)


@pytest.fixture
def make_category(app):
    from shop.catalog.models import Category

    def make(name="Chế biến từ rau, củ, quả, hạt", parent=None, **kw):
        n = next(_seq)
        if parent is None and kw.pop("with_sector", True):
            parent = Category(slug=f"sector-{n}", name="Thực phẩm", sector_code="I", colour="#2f6f4f", position=n)
            db.session.add(parent)
        category = Category(slug=kw.pop("slug", f"set-{n}"), name=name, parent=parent,
                            set_no=kw.pop("set_no", None), colour=kw.pop("colour", "#2f6f4f"), position=n, **kw)
        db.session.add(category)
        db.session.flush()
        return category

    return make


@pytest.fixture
def make_producer(app):
    from shop.catalog.models import Producer, ProducerKind
    from shop.inventory.models import Location, LocationKind

    def make(name=None, ward_code="06856", **kw):
        n = next(_seq)
        producer = Producer(slug=kw.pop("slug", f"producer-{n}"), name=name or f"HTX Thử nghiệm {n}",
                            kind=kw.pop("kind", ProducerKind.COOPERATIVE), ward_code=ward_code,
                            is_fictional=True, **kw)
        producer.refresh_sort_key()
        db.session.add(producer)
        db.session.add(Location(kind=LocationKind.PRODUCER, producer=producer))
        db.session.flush()
        return producer

    return make


@pytest.fixture
def make_product(app, make_category, make_producer):
    from shop.catalog.models import Product, ProductCertification, ProductStatus, Variant

    def make(name="Miến dong Bình Liêu", producer=None, category=None, stars=4, prices=(120_000,),
             certified_on=None, certifications=(), **kw):
        n = next(_seq)
        certified_on = certified_on or dt.date.today() - dt.timedelta(days=200)
        product = Product(
            slug=kw.pop("slug", f"product-{n}"), name=name, producer=producer or make_producer(),
            category=category or make_category(), ocop_stars=stars, ocop_certificate_no=f"QĐ {n}/QĐ-UBND",
            ocop_certified_on=certified_on,
            ocop_expires_on=kw.pop("expires_on", certified_on.replace(year=certified_on.year + 3)),
            origin_ward_code=kw.pop("origin_ward_code", "06856"), status=kw.pop("status", ProductStatus.PUBLISHED),
            summary=kw.pop("summary", ""), **kw,
        )
        product.variants = [Variant(label=f"Gói {i + 1}", sku=f"SKU-{n}-{i}", price_vnd=p, weight_g=500, position=i)
                            for i, p in enumerate(prices)]
        product.certifications = [ProductCertification(code=c) for c in certifications]
        db.session.add(product)
        db.session.flush()
        product.refresh_derived()
        db.session.flush()
        return product

    return make


@pytest.fixture
def make_sales_point(app):
    from shop.inventory.models import Location, LocationKind
    from shop.sales_points.models import PickupMode, SalesPoint

    def make(code=None, name=None, pickup_mode=PickupMode.ANY_STOCK, **kw):
        n = next(_seq)
        point = SalesPoint(code=code or f"TP{n:02d}", name=name or f"Điểm bán OCOP thử {n}", ward_code=kw.pop("ward_code", "06673"),
                           address=kw.pop("address", "Số 1 đường Hạ Long, Phường Bãi Cháy, Tỉnh Quảng Ninh"),
                           lat=20.95, lng=107.04, opening_hours=kw.pop("opening_hours", "Mo-Su 08:00-21:00"),
                           phone="0203 3 123 456", pickup_mode=pickup_mode, **kw)
        db.session.add(point)
        db.session.add(Location(kind=LocationKind.SALES_POINT, sales_point=point))
        db.session.flush()
        return point

    return make


@pytest.fixture
def put_stock(app):
    """Put quantity of a variant at a producer's or a sales point's location."""
    from sqlalchemy import select

    from shop.inventory.models import Location, Stock
    from shop.sales_points.models import SalesPoint

    def put(variant, owner, quantity, allocated=0):
        column = Location.sales_point_id if isinstance(owner, SalesPoint) else Location.producer_id
        location = db.session.scalar(select(Location).where(column == owner.id))
        stock = Stock(variant=variant, location=location, quantity=quantity, allocated=allocated)
        db.session.add(stock)
        db.session.flush()
        return stock

    return put


# ---- accounts --------------------------------------------------------------------------------

#: The password every make_user account has unless a test gives another.
PASSWORD = "correct horse battery"


@pytest.fixture
def make_user(app):
    """A user (customer unless role= says otherwise), flushed; producer and staff users get their place."""
    from shop.auth.models import Role, User

    def make(email=None, password=PASSWORD, role=Role.CUSTOMER, name="Nguyễn Thị Lan", **kw):
        user = User(email=email or f"user{next(_seq)}@example.vn", name=name, role=role, **kw)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
        return user

    return make


@pytest.fixture
def login():
    """Log a test client in through the real form (CSRF included); return the response."""
    from tests.web.helpers import csrf_token

    def log_in(client, email, password=PASSWORD, **extra):
        token = csrf_token(client, "/login")
        return client.post("/login", data={"csrf_token": token, "email": email, "password": password, **extra})

    return log_in


# ---- orders and the producer workspace ---------------------------------------------------------

@pytest.fixture
def producer_user(make_user):
    """A user working for the given producer (role producer)."""
    from shop.auth.models import Role

    def make(producer, email=None, **kw):
        return make_user(email=email, role=Role.PRODUCER, producer_id=producer.id, **kw)

    return make


@pytest.fixture
def make_order(app, make_product, make_producer, make_sales_point, put_stock):
    """Place a real order through place_order and return it (committed).

    Without items, a new product of `producer` (or a new producer) with 10 in stock is bought `quantity` times.
    Pickup at `point` (a new any-stock point by default) paid in cash, or `delivery=True` paid by COD;
    `payment=` picks another method (e.g. PaymentMethod.VIETQR_TRANSFER).
    """
    from shop.cart.models import Cart, CartLine
    from shop.checkout.services import CheckoutData, place_order
    from shop.orders.models import DeliveryMethod
    from shop.orders.payment import PaymentMethod

    def make(*items, producer=None, delivery=False, payment=None, point=None, quantity=2,
             email="khach@example.vn", language="vi"):
        if not items:
            product = make_product(producer=producer or make_producer(), prices=(100_000,))
            put_stock(product.variants[0], product.producer, 10)
            items = ((product.variants[0], quantity),)
        cart = Cart(token=uuid.uuid4().hex)
        cart.lines = [CartLine(variant_id=variant.id, quantity=n) for variant, n in items]
        if delivery:
            data = CheckoutData(name="Trần Văn Minh", email=email, phone="+84987654321", language=language,
                                delivery=DeliveryMethod.DELIVERY, payment=payment or PaymentMethod.COD,
                                province_code="22", ward_code="06673", ward_name="Phường Bãi Cháy",
                                address_line="12 đường Hạ Long", data_consent=True)
        else:
            point = point or make_sales_point()
            data = CheckoutData(name="Nguyễn Thị Lan", email=email, phone="+84912345678", language=language,
                                delivery=DeliveryMethod.PICKUP, payment=payment or PaymentMethod.CASH_AT_PICKUP,
                                sales_point_id=point.id, data_consent=True)
        db.session.add(cart)
        db.session.commit()
        return place_order(cart.id, data, uuid.uuid4().hex, expected_total_vnd=None)

    return make


# ---- named shared states ------------------------------------------------------------------------
# Worlds several test modules start from, built from the factories above and committed. A module may
# give one a shorter local name; it adds only what its own tests need.

@pytest.fixture
def two_producers_and_two_points(make_producer, producer_user, make_product, make_sales_point, put_stock, make_user):
    """Producer A sells noodles, producer B squid; sales point P has two staff members, point Q next door one.

    a: "HTX Miến dong Bình Liêu", its user user_a (an@htx.vn, Hoàng An, Vietnamese); noodles: the variant of
    "Miến dong Bình Liêu" at 100.000 ₫, 10 in A's stock.
    b: "Hộ Mạnh Hải", its user user_b (binh@manhhai.vn, Vũ Bình, English); squid: the variant of
    "Chả mực Hạ Long" at 250.000 ₫, 10 in B's stock.
    p: HL07 "Điểm OCOP Bãi Cháy" with staff_p (Phạm Thu) and colleague_p (Đỗ Mai);
    q: UB02 "Điểm OCOP Uông Bí" with staff_q (Lê Hùng). Both points take any stock.
    """
    from types import SimpleNamespace

    from shop.auth.models import Role

    a, b = make_producer(name="HTX Miến dong Bình Liêu"), make_producer(name="Hộ Mạnh Hải")
    noodles = make_product(name="Miến dong Bình Liêu", producer=a, prices=(100_000,)).variants[0]
    squid = make_product(name="Chả mực Hạ Long", producer=b, prices=(250_000,)).variants[0]
    put_stock(noodles, a, 10)
    put_stock(squid, b, 10)
    p = make_sales_point(code="HL07", name="Điểm OCOP Bãi Cháy")
    q = make_sales_point(code="UB02", name="Điểm OCOP Uông Bí")
    state = SimpleNamespace(
        a=a, b=b, noodles=noodles, squid=squid, p=p, q=q,
        user_a=producer_user(a, email="an@htx.vn", name="Hoàng An", language="vi"),
        user_b=producer_user(b, email="binh@manhhai.vn", name="Vũ Bình", language="en"),
        staff_p=make_user(email="thu@diem-hl07.vn", name="Phạm Thu", role=Role.STAFF, sales_point_id=p.id),
        colleague_p=make_user(email="mai@diem-hl07.vn", name="Đỗ Mai", role=Role.STAFF, sales_point_id=p.id),
        staff_q=make_user(email="hung@diem-ub02.vn", name="Lê Hùng", role=Role.STAFF, sales_point_id=q.id),
    )
    db.session.commit()
    return state


@pytest.fixture
def order_with_two_parcels_for_point(two_producers_and_two_points, make_order):
    """An English cash-at-pickup order at P by lan@example.vn: 2 × noodles from A and 1 × squid from B (450.000 ₫)."""
    state = two_producers_and_two_points
    return make_order((state.noodles, 2), (state.squid, 1), point=state.p, language="en", email="lan@example.vn")


@pytest.fixture
def paid_transfer_order(two_producers_and_two_points, make_order, make_user):
    """A pickup order at P for 1 × squid (250.000 ₫) paid by bank transfer: the office (office@example.vn,
    Văn Phòng) has recorded the money (reference FT42), so the parcel is B's to prepare."""
    from shop.auth.models import Role
    from shop.orders.payment import PaymentMethod
    from shop.payments.transfers import record_transfer

    state = two_producers_and_two_points
    office = make_user(email="office@example.vn", name="Văn Phòng", role=Role.ADMIN)
    db.session.commit()
    order = make_order((state.squid, 1), point=state.p, payment=PaymentMethod.VIETQR_TRANSFER)
    return record_transfer(order.id, 250_000, "FT42", office)
