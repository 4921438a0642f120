"""Quảng Ninh's 54 commune-level units since 1 July 2025 (codes per QĐ 19/2025)."""
from __future__ import annotations

import importlib.util
import json
import os
from dataclasses import dataclass
from functools import cache

from flask import current_app
from flask_babel import lazy_gettext as _l

QUANG_NINH_CODE = 22

_KIND_LABELS = {"phường": _l("ward"), "xã": _l("commune"), "đặc khu": _l("special zone")}


@dataclass(frozen=True)
class Ward:
    code: str  #: five digits, as printed in the national list ("06856")
    name: str  #: full Vietnamese name, "Xã Lục Hồn"
    short_name: str  #: without the kind, "Lục Hồn"
    kind: str  #: phường | xã | đặc khu

    @property
    def kind_label(self):
        return _KIND_LABELS.get(self.kind, self.kind)


def _short(name: str, kind: str) -> str:
    prefix = kind[0].upper() + kind[1:] + " "
    return name[len(prefix):] if name.startswith(prefix) else name


@cache
def _divisions() -> list[dict]:
    """The vietnam-provinces package's nested list (2025 provinces and wards), read from its data file.

    Read as JSON instead of importing the package: its Python enums of all 3,321 wards would
    cost every web worker memory for the 54 we show.
    """
    package = importlib.util.find_spec("vietnam_provinces").submodule_search_locations[0]
    with open(os.path.join(package, "data", "nested-divisions.json"), encoding="utf-8") as f:
        return [{"code": p["code"], "name": p["name"],
                 "wards": p["wards"] if p["code"] == QUANG_NINH_CODE else []} for p in json.load(f)]


@cache
def quang_ninh_wards() -> dict[str, Ward]:
    """Return the province's wards by code, in the national list's order."""
    province = next(p for p in _divisions() if p["code"] == QUANG_NINH_CODE)
    wards = {}
    for w in province["wards"]:
        code = f"{int(w['code']):05d}"
        wards[code] = Ward(code=code, name=w["name"], short_name=_short(w["name"], w["division_type"]),
                           kind=w["division_type"])
    return wards


def ward(code: str | None) -> Ward | None:
    """Look a Quảng Ninh ward up by its five-digit code."""
    return quang_ninh_wards().get(code or "")


def province_name() -> str:
    return provinces()[f"{QUANG_NINH_CODE:02d}"].name


@dataclass(frozen=True)
class ProvinceInfo:
    code: str  #: two digits, "22"
    name: str  #: "Quảng Ninh", "Thành phố Hà Nội"


@cache
def provinces() -> dict[str, ProvinceInfo]:
    """Vietnam's 34 provinces and cities since 1 July 2025, by two-digit code."""
    return {f"{p['code']:02d}": ProvinceInfo(f"{p['code']:02d}", p["name"]) for p in _divisions()}


#: Provinces of the North (the shipping zone between Quảng Ninh and the rest of Vietnam).
NORTHERN_PROVINCES = frozenset({"01", "04", "08", "11", "12", "14", "15", "19", "20", "24", "25", "31", "33", "37"})


def shipping_zone(province_code: str) -> str:
    """quang_ninh, north or other: the rows of the delivery fee table."""
    if province_code == f"{QUANG_NINH_CODE:02d}":
        return "quang_ninh"
    return "north" if province_code in NORTHERN_PROVINCES else "other"


def fee_by_weight(rates: dict, weight_g: int) -> int:
    """The fee of one zone's [up to grams, fee] brackets, then its fee per started extra kilogram."""
    for up_to_g, fee in rates["brackets"]:
        if weight_g <= up_to_g:
            return fee
    last_g, last_fee = rates["brackets"][-1]
    extra_kg = -(-(weight_g - last_g) // 1000)  # every started kilogram
    return last_fee + extra_kg * rates["per_extra_kg"]


def lowest_delivery_fee(shipping_rates: dict, weight_g: int) -> int:
    """The least a parcel of this weight costs to deliver inside Vietnam: what a product page may say "from"."""
    return min(fee_by_weight(rates, weight_g) for rates in shipping_rates.values())


def delivery_fee(province_code: str, weight_g: int, subtotal_vnd: int) -> int:
    """The delivery fee inside Vietnam: the zone × weight table in config; free from the configured subtotal.

    The one fee rule: the cart shows it by province before checkout, and place_order charges it.
    """
    free_from = current_app.config["FREE_DELIVERY_FROM_VND"]
    if free_from and subtotal_vnd >= free_from:
        return 0
    return fee_by_weight(current_app.config["SHIPPING_RATES"][shipping_zone(province_code)], weight_g)
