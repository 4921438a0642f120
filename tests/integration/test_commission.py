"""Commission: the office's rules pick a rate per product, place_order freezes it on each line, and the books
share each part's goods by its lines' frozen rates, floored to the đồng with the remainder to the producer."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.extensions import db
from shop.ledger import commission
from shop.ledger.check import check_books
from shop.ledger.models import CommissionRule
from shop.orders.payment import PaymentMethod
from shop.payments.transfers import record_transfer
from tests.integration.test_ledger import balances, desk  # noqa: F401  (a fixture)


@pytest.fixture
def office(make_user):
    user = make_user(email="office@example.vn", name="Văn Phòng", role=Role.ADMIN)
    db.session.commit()
    return user


def _paid(make_order, office, *items, point, reference="FT1"):
    order = make_order(*items, point=point, payment=PaymentMethod.VIETQR_TRANSFER)
    record_transfer(order.id, order.total_vnd, reference, office)
    return order


def test_a_producers_rule_wins_over_its_product_sets_and_the_set_over_the_default(
        app, make_product, make_producer, make_category, office, monkeypatch):
    monkeypatch.setitem(app.config, "COMMISSION_PERCENT", 8)
    sector = make_category(name="Đồ uống")
    tea_set = make_category(name="Trà", parent=sector.parent)
    child = make_category(name="Trà hoa vàng", parent=tea_set)
    plain, favoured = make_producer(), make_producer(name="HTX Trà Ba Chẽ")
    other = make_product(producer=plain)
    tea = make_product(producer=plain, category=child)
    favoured_tea = make_product(producer=favoured, category=tea_set)
    db.session.commit()
    commission.set_rule(office, producer_id=None, category_id=tea_set.id, typed_percent="12,5")
    commission.set_rule(office, producer_id=favoured.id, category_id=None, typed_percent="5")

    rates = commission.rates_for([other, tea, favoured_tea])

    assert rates == {other.id: 800, tea.id: 1250, favoured_tea.id: 500}


def test_the_rate_is_frozen_on_the_line_when_the_order_is_placed(app, desk, make_order, office):
    commission.set_rule(office, producer_id=desk.a.id, category_id=None, typed_percent="10")
    order = make_order((desk.noodles, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)
    # The office changes its mind after the sale: the order keeps the rate it was sold at.
    commission.set_rule(office, producer_id=desk.a.id, category_id=None, typed_percent="20")
    record_transfer(order.id, order.total_vnd, "FT1", office)

    assert [line.commission_bps for line in order.lines] == [1000]
    assert balances() == {"bank": 100_000, "commission": -10_000, f"producer_payable:{desk.a.id}": -90_000}
    assert check_books() == []


def test_commission_is_floored_per_line_and_the_producer_gets_the_remaining_dong(
        app, make_product, make_producer, make_sales_point, put_stock, make_order, office):
    maker = make_producer()
    odd = make_product(producer=maker, prices=(133_333,)).variants[0]
    odder = make_product(producer=maker, prices=(99_999,)).variants[0]
    put_stock(odd, maker, 5)
    put_stock(odder, maker, 5)
    point = make_sales_point()
    db.session.commit()
    commission.set_rule(office, producer_id=maker.id, category_id=None, typed_percent="7,5")
    _paid(make_order, office, (odd, 1), (odder, 3), point=point)

    # 133.333 × 7,5 % = 9.999,975 → 9.999; 299.997 × 7,5 % = 22.499,775 → 22.499 (each line floored).
    assert balances() == {"bank": 433_330, "commission": -32_498, f"producer_payable:{maker.id}": -400_832}
    assert check_books() == []


def test_office_changes_to_rules_are_audited_and_bad_percents_change_nothing(app, desk, office):
    commission.set_rule(office, producer_id=desk.a.id, category_id=None, typed_percent="8")
    commission.set_rule(office, producer_id=desk.a.id, category_id=None, typed_percent="9.25")
    for typed in ("-5", "50.01", "1e9", "abc", "7,555", "", "NaN", "100"):
        with pytest.raises(commission.BadPercent):
            commission.set_rule(office, producer_id=desk.a.id, category_id=None, typed_percent=typed)
        db.session.rollback()
    with pytest.raises(commission.NoSuchOwner):
        commission.set_rule(office, producer_id=999_999, category_id=None, typed_percent="8")
    db.session.rollback()

    assert db.session.scalars(select(CommissionRule.percent_bps)).all() == [925]
    entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.before, e.after, e.target_label) for e in entries] == [
        ("commission_rule.set", {}, {"percent": "8"}, desk.a.name),
        ("commission_rule.set", {"percent": "8"}, {"percent": "9.25"}, desk.a.name)]
    rule_id = db.session.scalar(select(CommissionRule.id))
    assert commission.remove_rule(office, rule_id) is True
    assert commission.remove_rule(office, rule_id) is False
    assert db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()[-1] == "commission_rule.removed"


def test_the_database_refuses_a_rule_above_100_percent_or_with_two_owners(app, desk):
    from sqlalchemy.exc import IntegrityError

    for rule in (CommissionRule(producer_id=desk.a.id, percent_bps=10_001),
                 CommissionRule(producer_id=desk.a.id, category_id=desk.noodles.product.category_id, percent_bps=5)):
        db.session.add(rule)
        with pytest.raises(IntegrityError):
            db.session.flush()
        db.session.rollback()
