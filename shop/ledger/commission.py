"""The shop's commission: the office's rules, the rate frozen on each order line, and the đồng it comes to.

Which rate a product sells at: its producer's rule if the office set one, else the rule of its product set
(the nearest category up its tree that has one), else COMMISSION_PERCENT. Rates are whole hundredths of a
percent (basis points) so no float ever touches money.

Rounding, to the đồng: the commission on an order line is floor(line total × rate ÷ 10 000); a part's
commission is the sum of its lines'; the producer is owed the part's goods minus that sum. So every entry
balances exactly and the đồng a rate cannot divide always go to the producer.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from shop.audit import record_change
from shop.catalog.models import Category, Producer, Product
from shop.errors import ShopError
from shop.extensions import db
from shop.ledger.models import CommissionRule

#: The most the office may set. A marketplace commission above half the price is a slip of the keyboard
#: (80 for 8), not a rule; the database allows up to 100 % as its own backstop.
MAX_BPS = 5000
_PERCENT = re.compile(r"\d{1,3}([.,]\d{1,2})?")


class CommissionError(ShopError):
    message = _l("This commission rule could not be saved.")


class BadPercent(CommissionError):
    message = _l("Enter a commission between 0 and 50 percent, with at most two decimals (e.g. 8 or 7,5).")


class NoSuchOwner(CommissionError):
    message = _l("Choose a producer or a product set.")


def bps_of_percent(value) -> int:
    """A percent (7.5, "7,5") as basis points (750), to the nearest hundredth of a percent."""
    try:
        return int((Decimal(str(value).replace(",", ".")) * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        raise BadPercent() from None


def parse_percent(typed: str) -> int:
    """What the office typed, as basis points; BadPercent for anything but 0–50 with at most two decimals."""
    text = (typed or "").strip().rstrip("%").strip()
    if not _PERCENT.fullmatch(text):
        raise BadPercent()
    bps = bps_of_percent(text)
    if not 0 <= bps <= MAX_BPS:
        raise BadPercent()
    return bps


def default_bps() -> int:
    """COMMISSION_PERCENT as basis points: the rate of goods no rule covers."""
    bps = bps_of_percent(current_app.config.get("COMMISSION_PERCENT", 0) or 0)
    if not 0 <= bps <= 10000:
        raise RuntimeError(f"COMMISSION_PERCENT must be between 0 and 100, got {bps / 100}")
    return bps


def rates_for(products: Iterable[Product]) -> dict[int, int]:
    """The rate each product sells at now, by product id (one query for the rules, one for the tree if needed)."""
    rules = db.session.execute(
        select(CommissionRule.producer_id, CommissionRule.category_id, CommissionRule.percent_bps)).all()
    by_producer = {producer: bps for producer, _c, bps in rules if producer is not None}
    by_category = {category: bps for _p, category, bps in rules if category is not None}
    parents = dict(db.session.execute(select(Category.id, Category.parent_id)).all()) if by_category else {}
    default = default_bps()
    rates = {}
    for product in products:
        rate = by_producer.get(product.producer_id)
        category, seen = product.category_id, set()
        while rate is None and category is not None and category not in seen:
            seen.add(category)
            rate = by_category.get(category)
            category = parents.get(category)
        rates[product.id] = default if rate is None else rate
    return rates


def line_commission_vnd(line_total_vnd: int, bps: int) -> int:
    """The shop's commission on one order line: floor(total × rate ÷ 10 000), whole đồng."""
    return line_total_vnd * bps // 10000


def part_commission_vnd(part) -> int:
    """The shop's commission on an order part: the sum of its lines', each at the rate frozen on it."""
    return sum(line_commission_vnd(line.line_total_vnd, line.commission_bps or 0) for line in part.lines)


def rules() -> list[CommissionRule]:
    """Every rule, product sets first, then producers, by name."""
    found = db.session.scalars(select(CommissionRule).options(selectinload(CommissionRule.producer),
                                                              selectinload(CommissionRule.category))).all()
    return sorted(found, key=lambda r: (r.producer_id is not None, r.label.casefold()))


def set_rule(actor, *, producer_id: int | None, category_id: int | None, typed_percent: str) -> CommissionRule:
    """Set the commission on a producer's goods or a product set's, from the next order on; audited."""
    bps = parse_percent(typed_percent)
    if (producer_id is None) == (category_id is None):
        raise NoSuchOwner()
    owner = db.session.get(Producer, producer_id) if producer_id is not None else db.session.get(Category, category_id)
    if owner is None:
        raise NoSuchOwner()
    column = CommissionRule.producer_id if producer_id is not None else CommissionRule.category_id
    rule = db.session.scalar(select(CommissionRule).where(column == owner.id).with_for_update())
    before = {"percent": _percent(rule.percent_bps)} if rule is not None else {}
    if rule is None:
        rule = CommissionRule(producer_id=producer_id, category_id=category_id, percent_bps=bps)
        db.session.add(rule)
    rule.percent_bps = bps
    db.session.flush()
    record_change(actor, "commission_rule.set", rule, before=before, after={"percent": _percent(bps)},
                  note=f"{'producer' if producer_id is not None else 'category'} {owner.id}")
    db.session.commit()
    return rule


def remove_rule(actor, rule_id: int) -> bool:
    """Remove a rule (its goods sell at the next rule up from the next order on); False if there is none."""
    rule = db.session.scalar(select(CommissionRule).where(CommissionRule.id == rule_id).with_for_update())
    if rule is None:
        db.session.rollback()
        return False
    record_change(actor, "commission_rule.removed", rule, before={"percent": _percent(rule.percent_bps)})
    db.session.delete(rule)
    db.session.commit()
    return True


def _percent(bps: int) -> str:
    return format(Decimal(bps) / 100, "f")
