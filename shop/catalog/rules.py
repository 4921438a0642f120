"""Facts about a product that the cart and checkout ask about: may it travel abroad, and if not, why."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: Product sets (QĐ 148/2023) of animal origin or honey: fresh meat, seafood, eggs and milk; honey;
#: foods made from them; fish sauces (Quảng Ninh's liquid seasonings are fish and sá sùng sauces).
ANIMAL_OR_HONEY_SETS = frozenset({2, 4, 8, 9})
#: Rice spirits and other alcoholic drinks.
ALCOHOL_SETS = frozenset({14, 15})

_CHILLED = _l("chilled food cannot stay cold on the way")
_ALCOHOL = _l("alcoholic drinks are not sent abroad")
_ANIMAL_OR_HONEY = _l("food of animal origin and honey are banned from parcels by many countries")
_NOT_OFFERED = _l("its producer does not send it abroad")


def why_not_abroad(product) -> str | None:
    """Say why a product may not be sent abroad, in the reader's language; None when it may.

    Cold chain and alcohol refuse whatever the ships_abroad flag says: they are facts of the product.
    """
    alcohol = bool(product.abv_percent) or product.category.set_no in ALCOHOL_SETS
    if product.ships_abroad and not product.cold_chain and not alcohol:
        return None
    if product.cold_chain:
        return str(_CHILLED)
    if alcohol:
        return str(_ALCOHOL)
    if product.category.set_no in ANIMAL_OR_HONEY_SETS:
        return str(_ANIMAL_OR_HONEY)
    return str(_NOT_OFFERED)
