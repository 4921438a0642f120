"""The demo catalog's rows, read from the TOML files beside this module, and the draws every row shares.

Nothing here touches the database. Each value that is not in the files is drawn from a generator seeded by
SEED and the row's own key, so a row never depends on which others exist and every run writes the same values.
"""
from __future__ import annotations

import datetime as dt
import random
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from shop.catalog.models import ONLINE_ABV_LIMIT, Certification, ProducerKind
from shop.clock import VIETNAM
from shop.places import ward
from shop.sales_points.models import PickupMode
from shop.text import slugify

SEED = 2026
PROVINCE = "Tỉnh Quảng Ninh"
#: Demo rows are dated against a fixed day, not the clock, so every run writes the same values.
CATALOG_DAY = dt.date(2026, 6, 30)
#: The shop "opened" here: products certified earlier were listed from this day on.
SHOP_OPENED = dt.date(2024, 12, 1)
#: Valid demo certificates were granted in this window, so all of them are still current in 2026.
CERTIFIED_FROM, CERTIFIED_TO = dt.date(2024, 1, 15), dt.date(2026, 6, 15)
#: The ministry was renamed (Nông nghiệp và Môi trường) on this day, and its decisions with it.
MINISTRY_RENAMED = dt.date(2025, 3, 1)
#: Districts ended on this day (two-level local government); until then a district People's Committee
#: granted 3★ (QĐ 1048/2019, QĐ 148/2023), since then the province does. Drawn 3★ dates start here, so
#: the demo never has to name a district; a 3★ row dated earlier names its issuer itself.
DISTRICTS_ENDED = dt.date(2025, 7, 1)
PROVINCE_COMMITTEE = "Ủy ban nhân dân tỉnh Quảng Ninh"
#: The voucher set: tours and experiences are not goods, so they are never on a shelf.
TOURS_SET = 26

_FILES = Path(__file__).parent


def _read(name: str) -> dict:
    with open(_FILES / name, "rb") as file:
        return tomllib.load(file)


@dataclass(frozen=True)
class ProducerRow:
    name: str
    kind: ProducerKind
    ward: str
    street: str
    founded: int
    story: str
    story_en: str
    story_zh: str = ""
    story_ko: str = ""

    @property
    def slug(self) -> str:
        return slugify(self.name)


class VariantRow(NamedTuple):
    label: str
    suffix: str  #: the variant's SKU is QN-<product code>-<suffix>
    price_vnd: int
    weight_g: int


@dataclass(frozen=True)
class ProductRow:
    code: str  #: SKU stem: every variant's SKU is QN-<code>-<suffix>
    producer: str  #: the producer's slug
    set_no: int
    ward: str  #: where it is made or grown
    stars: int
    name: str
    summary: str
    description: str
    variants: tuple[VariantRow, ...]
    storage: str = ""
    shelf_life_days: int | None = None
    certs: tuple[Certification, ...] = ()
    abv: str | None = None
    cold_chain: bool = False
    ships_abroad: bool = False
    plant: bool = False  #: grown on a registered growing area, so it carries its code
    barcode: bool = True  #: weighed, live and voucher items carry no GTIN
    #: Fixed where the story needs it (the 5★ decisions, the two expired certificates).
    certified_on: dt.date | None = None
    certificate_no: str = ""
    #: The body that signed the decision, where the rule below cannot tell (a 3★ before July 2025).
    issuer: str = ""
    #: The texts in the other languages: {"en": {"name", "summary", "description", "storage"}, "zh": …, "ko": …}
    #: and each variant's label by its SKU suffix: {"en": {"500G": "Pack 500 g"}, …}.
    texts: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)
    labels: dict[str, dict[str, str]] = field(default_factory=dict, hash=False, compare=False)

    @property
    def slug(self) -> str:
        return slugify(self.name)

    @property
    def en(self) -> tuple[str, str, str]:
        """The English name, summary and description."""
        return tuple(self.texts.get("en", {}).get(f, "") for f in ("name", "summary", "description"))

    @property
    def is_spirit(self) -> bool:
        return self.abv is not None and Decimal(self.abv) >= ONLINE_ABV_LIMIT

    @property
    def is_voucher(self) -> bool:
        return self.set_no == TOURS_SET


@dataclass(frozen=True)
class SalesPointRow:
    code: str
    ward: str
    place: str  #: completes "Điểm giới thiệu và bán sản phẩm OCOP …"
    place_en: str
    place_zh: str
    place_ko: str
    town: str
    street: str
    lat: float
    lng: float
    hours: str  #: schema.org openingHours lines
    mode: PickupMode
    description: str
    description_en: str
    shelf: int  #: how many different products it holds
    short: str = ""  #: the short name, when it is not the place
    short_en: str = ""

    @property
    def name(self) -> str:
        return f"Điểm giới thiệu và bán sản phẩm OCOP {self.place}"


#: The languages a demo product is written in besides Vietnamese, each in products.<lang>.toml by product code.
LANGUAGES = ("en", "zh", "ko")
TEXT_FIELDS = ("name", "summary", "description", "storage")


def _translations(row: dict, by_language: dict[str, dict]) -> tuple[dict, dict]:
    """The row's texts and variant labels per language: `<field>_<lang>` in products.toml, the rest in its language
    file; a text given in both places is an error, so each has one home."""
    texts, labels = {}, {}
    for lang in LANGUAGES:
        inline = {f: row[f"{f}_{lang}"] for f in TEXT_FIELDS if f"{f}_{lang}" in row}
        extra = dict(by_language[lang].get(row["code"], {}))
        labels[lang] = extra.pop("variants", {})
        if unknown := labels[lang].keys() - {v["sku"] for v in row["variants"]}:
            raise ValueError(f"{row['code']}: no variant {sorted(unknown)} for its {lang} labels")
        if twice := inline.keys() & extra.keys():
            raise ValueError(f"{row['code']}: {sorted(twice)} in {lang} written twice")
        texts[lang] = inline | extra
    return texts, labels


def _product(row: dict, by_language: dict[str, dict]) -> ProductRow:
    texts, labels = _translations(row, by_language)
    return ProductRow(
        code=row["code"], producer=row["producer"], set_no=row["set_no"], ward=row["ward"], stars=row["stars"],
        name=row["name"], summary=row["summary"], description=row["description"],
        variants=tuple(VariantRow(v["label"], v["sku"], v["price_vnd"], v["weight_g"]) for v in row["variants"]),
        storage=row.get("storage", ""), shelf_life_days=row.get("shelf_life_days"), texts=texts, labels=labels,
        certs=tuple(Certification(c) for c in row.get("certs", ())),
        abv=row.get("abv"), cold_chain=row.get("cold_chain", False), ships_abroad=row.get("ships_abroad", False),
        plant=row.get("plant", False), barcode=row.get("barcode", True), certified_on=row.get("certified_on"),
        certificate_no=row.get("certificate_no", ""), issuer=row.get("issuer", ""),
    )


def _sales_point(row: dict) -> SalesPointRow:
    fields = {key: value for key, value in row.items() if key != "pickup"}
    return SalesPointRow(**fields, mode=PickupMode(row["pickup"]))


_categories = _read("categories.toml")
#: The six OCOP sectors (QĐ 148/QĐ-TTg): code, Vietnamese name, en, zh, ko, accent colour.
SECTORS = tuple((s["code"], s["name"], s["name_en"], s["name_zh"], s["name_ko"], s["colour"])
                for s in _categories["sector"])
#: The 26 product sets (bộ sản phẩm) in the national order: number, sector, vi, en, zh, ko.
PRODUCT_SETS = tuple((s["set_no"], s["sector"], s["name"], s["name_en"], s["name_zh"], s["name_ko"])
                     for s in _categories["product_set"])
PRODUCERS = tuple(ProducerRow(**{**p, "kind": ProducerKind(p["kind"])}) for p in _read("producers.toml")["producer"])
_product_languages = {lang: _read(f"products.{lang}.toml") for lang in LANGUAGES}
PRODUCTS = tuple(_product(p, _product_languages) for p in _read("products.toml")["product"])
if _strays := {code for texts in _product_languages.values() for code in texts} - {p.code for p in PRODUCTS}:
    raise ValueError(f"texts for no demo product: {sorted(_strays)}")
SALES_POINTS = tuple(_sales_point(s) for s in _read("sales_points.toml")["sales_point"])
_stock = _read("stock.toml")
#: Variants held nowhere, so the shop shows a sold-out product.
SOLD_OUT_SKUS = frozenset(_stock["sold_out"])
#: Old districts (before 2025) as groups of today's wards: a sales point holds its own area's products.
AREAS = {area: tuple(wards) for area, wards in _stock["areas"].items()}
#: Points with cold rooms: they also hold chilled goods from elsewhere.
COLD_ROOM_POINTS = frozenset(_stock["cold_room_points"])
#: Points that hold every spirit.
SPIRIT_POINTS = frozenset(_stock["spirit_points"])


# ---- what every row draws the same way -----------------------------------------------------------

def rng(*key) -> random.Random:
    """Return a generator seeded by SEED and a stable key, so a row never depends on which others exist."""
    return random.Random(f"{SEED}:" + ":".join(str(k) for k in key))


def sku(code: str, suffix: str) -> str:
    return f"QN-{code}-{suffix}"


def day_between(draw: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=draw.randint(0, (last - first).days))


def certificate_no(draw: random.Random, stars: int, day: dt.date) -> str:
    """Return an obviously made-up decision number (DEMO-…): fictional producers never carry a real one."""
    if stars == 5:
        return f"DEMO-{day.year}-{draw.randint(100, 3999):04d}/QĐ-" + ("BNNMT" if day >= MINISTRY_RENAMED else "BNN-VPĐP")
    return f"DEMO-{day.year}-{draw.randint(100, 4999):04d}/QĐ-UBND"


def certificate_issuer(stars: int, day: dt.date, recorded: str = "") -> str:
    """The body that signed a demo decision of that day: as the row records it, else by the rules of that time.

    Only the demo invents issuers; the shop itself shows what the office recorded, never a guess from stars.
    """
    if recorded:
        return recorded
    if stars == 5:
        return ("Bộ Nông nghiệp và Môi trường" if day >= MINISTRY_RENAMED
                else "Bộ Nông nghiệp và Phát triển nông thôn")
    if stars == 4 or day >= DISTRICTS_ENDED:
        return PROVINCE_COMMITTEE
    raise ValueError(f"a 3★ decision of {day} was granted by a district People's Committee: name it (issuer = …)")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    """Return a Vietnam-local hour of a day as an aware UTC datetime."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=VIETNAM).astimezone(dt.UTC)


def address(street: str, ward_code: str) -> str:
    """Write a post-2025 two-level address: street or hamlet, commune/ward, province."""
    return f"{street}, {ward(ward_code).name}, {PROVINCE}"
