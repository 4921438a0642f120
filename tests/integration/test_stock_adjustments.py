"""Stock set by hand and by CSV, product review, and the producer's monthly report, against the database."""
import datetime as dt
import secrets

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from shop.catalog.models import ProductStatus
from shop.extensions import db
from shop.catalog import editing
from shop.fulfillment import reports
from shop.inventory import services as inventory
from shop.inventory.models import AdjustmentReason, Stock, StockAdjustment


@pytest.fixture
def producer(make_producer):
    return make_producer()


@pytest.fixture
def location_id(producer):
    return inventory.location_of_producer(producer.id)


def stock_of(variant, location_id):
    return db.session.scalar(select(Stock).where(Stock.variant_id == variant.id, Stock.location_id == location_id)
                             .execution_options(populate_existing=True))


def adjustments():
    return db.session.scalars(select(StockAdjustment).order_by(StockAdjustment.id)).all()


def test_setting_on_hand_records_the_adjustment_with_delta_and_user(producer, location_id, make_product, put_stock,
                                                                   make_user):
    product = make_product(producer=producer)
    variant = product.variants[0]
    put_stock(variant, producer, 10, allocated=3)
    user = make_user(role="producer", producer_id=producer.id)
    db.session.commit()

    inventory.set_on_hand(variant.id, location_id, 25, reason=AdjustmentReason.RECEIVED, note="mẻ mới",
                          user_id=user.id, sku=variant.sku)

    assert (stock_of(variant, location_id).quantity, stock_of(variant, location_id).allocated) == (25, 3)
    [adjustment] = adjustments()
    assert (adjustment.delta, adjustment.quantity_after, adjustment.reason, adjustment.note, adjustment.user_id) == (
        15, 25, "received", "mẻ mới", user.id)


def test_on_hand_is_never_set_below_what_is_allocated(producer, location_id, make_product, put_stock):
    variant = make_product(producer=producer).variants[0]
    put_stock(variant, producer, 10, allocated=4)
    db.session.commit()

    with pytest.raises(inventory.BelowAllocated, match="4"):  # "4 units are allocated", in any language
        inventory.set_on_hand(variant.id, location_id, 3, reason="count", sku=variant.sku)

    assert stock_of(variant, location_id).quantity == 10
    assert adjustments() == []
    inventory.set_on_hand(variant.id, location_id, 4, reason="count", sku=variant.sku)
    assert stock_of(variant, location_id).quantity == 4


def test_a_missing_stock_row_is_created(producer, location_id, make_product):
    variant = make_product(producer=producer).variants[0]
    db.session.commit()

    inventory.set_on_hand(variant.id, location_id, 7, reason="count")

    assert stock_of(variant, location_id).quantity == 7
    assert [a.delta for a in adjustments()] == [7]


@pytest.fixture
def catalogue(producer, make_product, make_producer, put_stock):
    """Producer A's three SKUs (one with allocations), and another producer's SKU."""
    mine = make_product(producer=producer, prices=(100_000, 180_000))
    other = make_product(producer=make_producer(), prices=(90_000,))
    third = make_product(producer=producer)
    put_stock(mine.variants[0], producer, 5, allocated=2)
    db.session.commit()
    return {"a": mine.variants[0], "b": mine.variants[1], "c": third.variants[0], "other": other.variants[0]}


def run_import(text, producer, location_id, encoding="utf-8"):
    with force_locale("en"):  # the messages are read in English below
        return inventory.import_stock_csv(text.encode(encoding) if isinstance(text, str) else text, location_id,
                                          editing.sku_lookup(producer.id))


def test_a_good_csv_sets_every_row_in_one_go_with_import_adjustments(catalogue, producer, location_id):
    a, b, c = catalogue["a"], catalogue["b"], catalogue["c"]
    text = f"\ufeffSKU;Quantity\r\n{a.sku.lower()};12\r\n{b.sku};30\r\n\r\n{c.sku};0\r\n"

    imported = run_import(text, producer, location_id)

    assert [(r.line, r.sku, r.before, r.after) for r in imported] == [(2, a.sku, 5, 12), (3, b.sku, 0, 30),
                                                                       (5, c.sku, 0, 0)]
    assert stock_of(a, location_id).quantity == 12
    assert stock_of(b, location_id).quantity == 30
    assert stock_of(c, location_id).quantity == 0
    assert {(x.delta, x.reason) for x in adjustments()} == {(7, "import"), (30, "import")}


def test_one_bad_row_applies_nothing_and_is_reported_with_its_line(catalogue, producer, location_id):
    a, b = catalogue["a"], catalogue["b"]
    text = f"sku,quantity\n{b.sku},30\n{a.sku},1\n"

    with pytest.raises(inventory.StockImportRefused) as refused:
        run_import(text, producer, location_id)

    [(line, message)] = refused.value.problems
    assert line == 3 and a.sku in message and "2" in message
    assert stock_of(b, location_id) is None
    assert stock_of(a, location_id).quantity == 5
    assert adjustments() == []


def test_every_kind_of_bad_row_is_reported(catalogue, producer, location_id):
    a, b, c, other = catalogue["a"], catalogue["b"], catalogue["c"], catalogue["other"]
    text = (f"sku,quantity\nNOPE-1,3\n{other.sku},3\n{b.sku},-1\n{c.sku},2.5\n{b.sku.lower()},4\n"
            f"{c.sku},abc\n,4\n{a.sku},1\n")

    with pytest.raises(inventory.StockImportRefused) as refused:
        run_import(text, producer, location_id)

    lines = [line for line, _ in refused.value.problems]
    assert lines == [2, 3, 4, 5, 6, 7, 8, 9]
    messages = dict(refused.value.problems)
    assert "NOPE-1" in messages[2] and "not one of your products" in messages[3]
    assert adjustments() == []


def test_a_duplicate_sku_is_reported(catalogue, producer, location_id):
    b = catalogue["b"]
    with pytest.raises(inventory.StockImportRefused) as refused:
        run_import(f"sku,quantity\n{b.sku},3\n{b.sku},4\n", producer, location_id)
    assert [line for line, _ in refused.value.problems] == [3]


@pytest.mark.parametrize("data", [b"", b"   \n", b"\xff\xfe\x00s\x00k\x00u", b"sku,quantity\n", b"name,count\nX,1\n",
                                  b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"])
def test_empty_or_non_text_files_are_refused(catalogue, producer, location_id, data):
    with pytest.raises(inventory.StockImportRefused) as refused:
        run_import(data, producer, location_id)
    assert refused.value.problems and refused.value.problems[0][0] >= 1
    assert adjustments() == []


def test_too_many_rows_are_refused(app, catalogue, producer, location_id):
    app.config["STOCK_CSV_MAX_ROWS"] = 3
    try:
        rows = "".join(f"X-{i},1\n" for i in range(4))
        with pytest.raises(inventory.StockImportRefused) as refused:
            run_import("sku,quantity\n" + rows, producer, location_id)
    finally:
        app.config["STOCK_CSV_MAX_ROWS"] = 5000
    assert refused.value.problems == [(5, "Too many rows: at most 3 per file.")]


# ---- review ------------------------------------------------------------------------------------

def test_a_new_product_waits_for_review_then_is_returned_then_approved(producer, make_category):
    category = make_category()
    product = editing.create_product(producer, editing.NewProduct(
        name_vi="Trà hoa vàng Ba Chẽ", name_en="Ba Che golden camellia tea", category_id=category.id,
        variant_label="Hộp 100 g", sku="TRA-HV-100", price_vnd=350_000, weight_g=150, ocop_stars=4,
        certificate_no="QĐ 12/QĐ-UBND", certified_on=dt.date(2025, 2, 28)))

    assert product.status == ProductStatus.WAITING_REVIEW and product.submitted_at is not None
    assert product.ocop_expires_on == dt.date(2028, 2, 28)
    assert product.price_from_vnd == 350_000 and "tra hv 100" in product.search_text
    assert editing.waiting_for_review() == [product]

    with pytest.raises(editing.ProductError):
        editing.return_product(product.id, "  ")
    editing.return_product(product.id, "Thiếu ảnh giấy chứng nhận")
    assert product.status == ProductStatus.RETURNED and product.review_note == "Thiếu ảnh giấy chứng nhận"
    assert editing.waiting_for_review() == []
    with pytest.raises(editing.ReviewError):
        editing.approve_product(product.id)

    editing.submit_for_review(product)
    editing.approve_product(product.id)
    db.session.refresh(product)
    assert product.status == ProductStatus.PUBLISHED and product.published_at is not None
    assert product.submitted_at is None and product.review_note == ""


def test_a_taken_sku_is_refused_for_a_new_variant(producer, make_product):
    product = make_product(producer=producer)
    db.session.commit()
    with pytest.raises(editing.SkuTaken):
        editing.add_variant(product, label="Gói 2", sku=product.variants[0].sku, price_vnd=10_000, weight_g=0)


@pytest.mark.parametrize("value", ["999", "100000001", "12.5", "-1000", "abc", ""])
def test_prices_outside_the_range_are_refused(value):
    with pytest.raises(editing.InvalidPrice):
        editing.parse_price(value)


def test_prices_may_be_written_with_thousands_dots():
    assert editing.parse_price("125.000") == 125_000


# ---- monthly report ------------------------------------------------------------------------------

@pytest.fixture
def make_part(app):
    """An order placed at `placed_at` with one part for `producer` and lines of (quantity, unit price)."""
    from shop.orders.models import DeliveryMethod, Fulfillment, Order, OrderLine, Route

    def make(producer, placed_at, lines=((1, 100_000),), status="new"):
        location_id = inventory.location_of_producer(producer.id)
        placed_at = placed_at.astimezone(dt.UTC)  # stored in UTC, as the shop's own timestamps are
        subtotal = sum(q * p for q, p in lines)
        order = Order(number=f"QN-T-{secrets.token_hex(4)}", access_token=secrets.token_hex(8),
                      checkout_key=secrets.token_hex(8), pickup_code=secrets.token_hex(4), contact_name="Lan",
                      contact_email="lan@example.vn", contact_phone="+84912345678",
                      delivery_method=DeliveryMethod.DELIVERY, subtotal_vnd=subtotal, shipping_vnd=20_000,
                      total_vnd=subtotal + 20_000, data_consent_at=placed_at, created_at=placed_at)
        part = Fulfillment(order=order, producer_id=producer.id, producer_name=producer.name, route=Route.DELIVERY,
                           source_location_id=location_id, status=status)
        for quantity, price in lines:
            OrderLine(order=order, part=part, source_location_id=location_id, product_slug="p", product_name="P",
                      variant_label="Gói", sku="P-1", producer_id=producer.id, producer_name=producer.name,
                      unit_price_vnd=price, quantity=quantity, line_total_vnd=quantity * price)
        db.session.add(order)
        db.session.flush()
        return part

    return make


def test_the_report_counts_parts_items_and_revenue_without_cancelled_parts(producer, make_producer, make_part):
    vn = dt.timezone(dt.timedelta(hours=7))
    make_part(producer, dt.datetime(2026, 11, 1, 0, 30, tzinfo=vn), lines=((2, 100_000), (1, 50_000)))
    make_part(producer, dt.datetime(2026, 11, 30, 23, 0, tzinfo=vn), lines=((3, 10_000),), status="delivered")
    make_part(producer, dt.datetime(2026, 11, 15, 12, 0, tzinfo=vn), lines=((5, 100_000),), status="cancelled")
    make_part(producer, dt.datetime(2026, 10, 31, 23, 59, tzinfo=vn))  # October in Vietnam
    make_part(producer, dt.datetime(2026, 12, 1, 0, 0, tzinfo=vn))  # December
    make_part(make_producer(), dt.datetime(2026, 11, 10, tzinfo=vn), lines=((9, 900_000),))  # someone else
    db.session.commit()

    report = reports.monthly_report(producer.id, reports.parse_month("2026-11"))

    assert (report.parts, report.items, report.revenue_vnd, report.cancelled) == (2, 6, 280_000, 1)
    assert len(report.rows) == 3


def test_a_bad_month_falls_back_to_this_month():
    this_month = reports.parse_month(None)
    assert this_month.day == 1
    assert reports.parse_month("2026-13") == this_month
    assert reports.parse_month("2026-02") == dt.date(2026, 2, 1)
