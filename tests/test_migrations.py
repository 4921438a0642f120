"""Migrations build the schema from nothing, and the models agree with them (`flask db check`)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from shop.cli import _include_in_migrations
from shop.extensions import db


def _differences():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": _include_in_migrations})
        return compare_metadata(context, db.metadata)


def test_an_empty_database_upgrades_to_head_and_matches_the_models(app):
    # The app fixture's database was built by `flask db upgrade` alone.
    tables = set(inspect(db.engine).get_table_names())
    assert {"product", "variant", "producer", "category", "sales_point", "location", "stock"} <= tables
    assert _differences() == []


def test_flask_db_check_is_clean(app):
    result = app.test_cli_runner().invoke(args=["db", "check"])
    assert result.exit_code == 0, result.output


def test_downgrade_to_base_and_upgrade_again(app):
    downgrade(revision="base")
    assert "product" not in inspect(db.engine).get_table_names()
    upgrade()
    assert _differences() == []


def test_a_database_with_products_upgrades_keeping_them_and_their_search(app, make_product):
    from shop.catalog.models import Product
    from tests.integration.test_search_index import _names

    make_product(name="Miến dong Bình Liêu")
    db.session.commit()
    db.session.remove()
    downgrade(revision="0004_listing_indexes")
    upgrade()
    product = db.session.scalar(db.select(Product))
    assert product.name == "Miến dong Bình Liêu" and product.review_note == ""
    assert _names("mien dong") == ["Miến dong Bình Liêu"]


def test_a_database_with_orders_upgrades_and_parcels_already_sent_leave_the_producers_stock(app, make_order):
    """Before 0006, sent parcels stayed in `allocated`; the upgrade takes them off on-hand, keeping the orders."""
    from sqlalchemy import text

    from shop.inventory.models import Stock
    from shop.orders.models import Order

    sent = make_order(quantity=2)
    waiting = make_order(quantity=3)
    sent_id, waiting_id = sent.id, waiting.id
    db.session.remove()
    downgrade(revision="0005_producer_workspace")
    with db.engine.begin() as conn:  # what the producer workspace of 0005 did: status only
        conn.execute(text("UPDATE fulfillment SET status = 'sent_to_point' WHERE order_id = :id"), {"id": sent_id})
    upgrade()

    def stock_of(order_id):
        order = db.session.get(Order, order_id)
        line = order.lines[0]
        return db.session.scalar(db.select(Stock).where(Stock.variant_id == line.variant_id,
                                                        Stock.location_id == line.source_location_id))

    assert (stock_of(sent_id).quantity, stock_of(sent_id).allocated) == (8, 0)
    assert (stock_of(waiting_id).quantity, stock_of(waiting_id).allocated) == (10, 3)
    assert db.session.get(Order, sent_id).hold_until is None


def test_products_waiting_for_review_or_returned_get_their_own_status_and_back(app, make_product):
    """Before 0012 both were drafts: one with the date it was sent, the other with the office's note."""
    from sqlalchemy import text

    from shop.catalog.models import Product, ProductStatus

    waiting = make_product(name="Chả mực Hạ Long", status=ProductStatus.WAITING_REVIEW)
    waiting.submitted_at = db.func.now()
    returned = make_product(name="Trà hoa vàng", status=ProductStatus.RETURNED)
    returned.review_note = "Cần ảnh rõ hơn"
    draft = make_product(name="Miến dong", status=ProductStatus.DRAFT)
    shown = make_product(name="Ngọc trai", status=ProductStatus.PUBLISHED)
    db.session.commit()
    ids = {p.id: p.name for p in (waiting, returned, draft, shown)}
    waiting_id = waiting.id
    db.session.remove()

    def statuses():
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT id, status FROM product")).all()
        return {ids[i]: status for i, status in rows}

    downgrade(revision="0011_recipient_phone")
    assert statuses() == {"Chả mực Hạ Long": "draft", "Trà hoa vàng": "draft", "Miến dong": "draft",
                          "Ngọc trai": "published"}
    upgrade()
    assert statuses() == {"Chả mực Hạ Long": "waiting_review", "Trà hoa vàng": "returned", "Miến dong": "draft",
                          "Ngọc trai": "published"}
    assert db.session.get(Product, waiting_id).submitted_at is not None


def test_orders_placed_before_the_folded_name_are_found_by_name_without_marks(app, make_order):
    from shop.orders.models import Order

    order = make_order()
    number = order.number
    db.session.remove()
    downgrade(revision="0015_ledger")
    upgrade()
    assert db.session.scalar(db.select(Order.number).where(Order.contact_name_folded == "nguyen thi lan")) == number



def test_people_named_before_the_folded_name_are_found_by_name_without_marks(app, make_user):
    from shop.auth.models import User

    make_user(email="duc@example.vn", name="Trần Minh Đức")
    db.session.commit()
    db.session.remove()
    downgrade(revision="0030_bank_line_reference")
    upgrade()
    assert db.session.scalar(db.select(User.email).where(User.name_folded == "tran minh duc")) == "duc@example.vn"


def test_products_named_in_chinese_before_the_cut_are_found_by_a_word_inside_the_name(app, make_product):
    from sqlalchemy import text

    from tests.integration.test_search_index import _names

    make_product(name="Mật ong rừng Bình Liêu", i18n={"zh": {"name": "平辽野生蜂蜜"}})
    db.session.commit()
    # As stored before: the Chinese name one word.
    db.session.execute(text("UPDATE product SET search_text = 'mat ong rung binh lieu 平辽野生蜂蜜'"))
    db.session.commit()
    db.session.remove()
    downgrade(revision="0017_audit_log")
    upgrade()
    assert _names("蜂蜜") == ["Mật ong rừng Bình Liêu"]


def test_lines_sold_before_commission_rules_keep_the_configured_rate(app, make_order, monkeypatch):
    from shop.orders.models import OrderLine

    order_id = make_order().id
    db.session.remove()
    downgrade(revision="0018_search_cjk_pieces")
    monkeypatch.setitem(app.config, "COMMISSION_PERCENT", 7.5)
    upgrade()
    assert db.session.scalars(db.select(OrderLine.commission_bps).where(OrderLine.order_id == order_id)).all() == [750]


def test_a_database_with_producers_upgrades_keeping_them_findable_without_marks(app, make_producer):
    from shop.catalog.models import Producer

    make_producer(name="Hộ Mạnh Hải", phone="+84912345678")
    db.session.commit()
    db.session.remove()
    downgrade(revision="0019_commission")
    upgrade()
    producer = db.session.scalar(db.select(Producer))
    assert (producer.name, producer.phone, producer.name_folded) == ("Hộ Mạnh Hải", "+84912345678", "ho manh hai")
    assert (producer.bank_bin, producer.bank_account, producer.contacts) == ("", "", [])


def test_sales_points_hours_become_weekly_hours_where_the_old_text_can_be_read(app, make_sales_point):
    """0022 reads "Mo-Sa 07:30-17:30\\nSu 08:00-12:00" day by day; text it cannot read stays, with no weekly hours."""
    from sqlalchemy import text

    from shop.sales_points.models import SalesPoint

    readable = make_sales_point(opening_hours="Mo-Sa 07:30-17:30\nSu 08:00-12:00")
    unreadable = make_sales_point(opening_hours="Sáng 7h30 – chiều 17h")
    db.session.commit()
    ids = readable.id, unreadable.id
    db.session.remove()
    downgrade(revision="0021_certificates")
    upgrade()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM sales_point_closure")).scalar() == 0
    readable, unreadable = (db.session.get(SalesPoint, i) for i in ids)
    assert readable.weekly_hours == [["07:30", "17:30"]] * 6 + [["08:00", "12:00"]]
    assert readable.hours == [("Mo-Sa", "07:30-17:30"), ("Su", "08:00-12:00")]
    assert unreadable.weekly_hours is None and unreadable.opening_hours == "Sáng 7h30 – chiều 17h"


def test_variants_and_order_lines_from_before_translated_labels_show_the_vietnamese_label(app, make_order, client):
    from shop.catalog.models import Variant

    order = make_order()
    number, token, variant_id = order.number, order.access_token, order.lines[0].variant_id
    db.session.remove()
    downgrade(revision="0032_reviews")
    upgrade()
    variant = db.session.get(Variant, variant_id)
    assert variant.i18n == {} and variant.label == "Gói 1"
    page = client.get(f"/orders/{number}?t={token}&lang=zh").get_data(as_text=True)
    assert "Gói 1" in page


def test_pictures_uploaded_before_descriptions_keep_their_order_and_get_an_empty_one(app, make_product, client):
    from shop.catalog.models import ProductImage

    product = make_product()
    product.images = [ProductImage(stem=s * 32, width=800, height=600, position=n) for n, s in enumerate("ab")]
    db.session.commit()
    slug = product.slug
    db.session.remove()
    downgrade(revision="0034_counter_sale_void")
    upgrade()
    assert [(i.stem[0], i.alt) for i in db.session.scalars(db.select(ProductImage).order_by(ProductImage.position))] == [
        ("a", ""), ("b", "")]
    page = client.get(f"/products/{slug}?lang=en").get_data(as_text=True)
    assert "picture 2 of 2" in page


def test_sales_points_get_their_town_from_their_code(app, make_sales_point):
    """0037 files HL01 under Hạ Long and MC02 under Móng Cái; a code it does not know leaves the town empty."""
    from shop.sales_points.models import SalesPoint

    points = [make_sales_point(code=code) for code in ("HL91", "MC92", "ZZ93")]
    db.session.commit()
    ids = [p.id for p in points]
    db.session.remove()
    downgrade(revision="0036_outbox_channels")
    upgrade()
    assert [db.session.get(SalesPoint, i).town for i in ids] == ["Hạ Long", "Móng Cái", ""]


def test_the_listing_rank_is_filled_in_by_the_upgrade_and_the_planner_gets_statistics(app, make_product):
    """0038 adds product.listing_stars: each product's stars while its certificate is valid, 0 once it ended; every
    upgrade that applies a migration then gathers the planner's statistics (ANALYZE)."""
    import datetime as dt

    from sqlalchemy import text

    valid = make_product(name="Miến dong Bình Liêu", stars=4).id
    ended = make_product(name="Mực khô Cô Tô", stars=5, certified_on=dt.date.today() - dt.timedelta(days=1200),
                         expires_on=dt.date.today() - dt.timedelta(days=2)).id
    db.session.commit()
    db.session.remove()
    downgrade(revision="0037_point_towns")
    with db.engine.begin() as conn:
        assert "listing_stars" not in {c["name"] for c in inspect(conn).get_columns("product")}
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TABLE IF EXISTS sqlite_stat1")
    upgrade()
    with db.engine.connect() as conn:
        ranks = dict(conn.execute(text("SELECT id, listing_stars FROM product")).all())
        assert (ranks[valid], ranks[ended]) == (4, 0)
        if conn.dialect.name == "sqlite":
            assert conn.exec_driver_sql("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'product'").scalar() > 0
        else:
            assert conn.exec_driver_sql(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'product'").scalar()
    assert _differences() == []
