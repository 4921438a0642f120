"""Facts about a product that the cart, checkout and the office's review ask about: is it alcohol, may it
be sold online, may it travel abroad, and which legal facts the office must set before it is published.

The legal basis of each rule is in docs/legal.md.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

#: Decree 105/2017/NĐ-CP: spirits of 15 % ABV or more may not be sold over the Internet.
ONLINE_ABV_LIMIT = Decimal("15")
#: Product sets (QĐ 148/2023) of animal origin or honey: fresh meat, seafood, eggs and milk; honey;
#: foods made from them; fish sauces (Quảng Ninh's liquid seasonings are fish and sá sùng sauces).
ANIMAL_OR_HONEY_SETS = frozenset({2, 4, 8, 9})
#: Đồ uống có cồn: 14 rượu trắng (rice spirits), 15 other alcoholic drinks (wines, fruit and herb liquors).
ALCOHOL_SETS = frozenset({14, 15})
#: Thực phẩm tươi sống: 1 fresh vegetables, fruit, mushrooms; 2 fresh meat, seafood, eggs, fresh milk.
#: Some of them need the cold chain and some do not: the office decides for each before publishing it.
CHILLED_SETS = frozenset({1, 2})

_CHILLED = _l("chilled food cannot stay cold on the way")
_ALCOHOL = _l("alcoholic drinks are not sent abroad")
_ANIMAL_OR_HONEY = _l("food of animal origin and honey are banned from parcels by many countries")
_NOT_OFFERED = _l("its producer does not send it abroad")
_ABV_UNKNOWN = _l("the alcohol strength (ABV) is not set")
_FACTS_UNCHECKED = _l("the office has not yet set its legal facts (cold chain, sold online, ships abroad)")


def _set_no(product) -> int | None:
    return product.category.set_no if product.category is not None else None


def is_alcohol(product) -> bool:
    """Any alcohol: a known strength above 0 %, or a product in an alcohol product set whatever its ABV."""
    return bool(product.abv_percent) or _set_no(product) in ALCOHOL_SETS


def needs_legal_facts(product) -> bool:
    """Alcohol and fresh food may be published only after the office has set their legal facts."""
    return is_alcohol(product) or _set_no(product) in CHILLED_SETS


def online_sale_forbidden(product) -> bool:
    """Fail closed: spirits ≥ 15 % never sell online, nor does alcohol whose strength nobody has recorded."""
    if product.abv_percent is None:
        return is_alcohol(product)
    return product.abv_percent >= ONLINE_ABV_LIMIT


def missing_legal_facts(product) -> list[str]:
    """What the office must still set before it may publish the product, in the reader's language."""
    missing = []
    if is_alcohol(product) and product.abv_percent is None:
        missing.append(str(_ABV_UNKNOWN))
    if needs_legal_facts(product) and product.facts_checked_at is None:
        missing.append(str(_FACTS_UNCHECKED))
    return missing


def why_not_abroad(product) -> str | None:
    """Say why a product may not be sent abroad, in the reader's language; None when it may.

    Cold chain and alcohol refuse whatever the ships_abroad flag says: they are facts of the product.
    """
    alcohol = is_alcohol(product)
    if product.ships_abroad and not product.cold_chain and not alcohol:
        return None
    if product.cold_chain:
        return str(_CHILLED)
    if alcohol:
        return str(_ALCOHOL)
    if _set_no(product) in ANIMAL_OR_HONEY_SETS:
        return str(_ANIMAL_OR_HONEY)
    return str(_NOT_OFFERED)
