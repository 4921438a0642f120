"""The towns the points are grouped under, their names in the shop's other languages, and the grouping."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from shop.i18n import current_language
from shop.text import sort_key

#: The towns of Quảng Ninh's points (the former cities and districts people still say), in en, zh and ko.
#: A town typed by the office that is not here is shown as typed in every language.
TOWNS: dict[str, dict[str, str]] = {
    "Hạ Long": {"en": "Ha Long", "zh": "下龙", "ko": "하롱"},
    "Cẩm Phả": {"en": "Cam Pha", "zh": "锦普", "ko": "깜파"},
    "Uông Bí": {"en": "Uong Bi", "zh": "汪秘", "ko": "우옹비"},
    "Móng Cái": {"en": "Mong Cai", "zh": "芒街", "ko": "몽까이"},
    "Đông Triều": {"en": "Dong Trieu", "zh": "东潮", "ko": "동찌에우"},
    "Quảng Yên": {"en": "Quang Yen", "zh": "广安", "ko": "꽝옌"},
    "Vân Đồn": {"en": "Van Don", "zh": "云屯", "ko": "번돈"},
    "Cô Tô": {"en": "Co To", "zh": "姑苏", "ko": "꼬또"},
    "Bình Liêu": {"en": "Binh Lieu", "zh": "平辽", "ko": "빈리에우"},
    "Tiên Yên": {"en": "Tien Yen", "zh": "先安", "ko": "띠엔옌"},
    "Ba Chẽ": {"en": "Ba Che", "zh": "巴扯", "ko": "바쩨"},
    "Đầm Hà": {"en": "Dam Ha", "zh": "潭河", "ko": "담하"},
    "Hải Hà": {"en": "Hai Ha", "zh": "海河", "ko": "하이하"},
}

T = TypeVar("T")


def town_name(town: str, language: str | None = None) -> str:
    """The town in the visitor's language: 'Hạ Long' → 'Ha Long', '下龙', '하롱'."""
    language = language or current_language()
    return TOWNS.get(town, {}).get(language, town)


def _point(item):
    return getattr(item, "point", item)


def by_town(items: Iterable[T], point_of: Callable[[T], object] = _point) -> list[tuple[str, list[T]]]:
    """Points (or checkout's options, which carry a `.point`) grouped by town in Vietnamese alphabetical order,
    each town's points by short name. A point without a town comes last, under an empty town."""
    groups: dict[str, list[T]] = {}
    for item in items:
        groups.setdefault(point_of(item).town or "", []).append(item)
    for members in groups.values():
        members.sort(key=lambda item: sort_key(point_of(item).label))
    return sorted(groups.items(), key=lambda group: (not group[0], sort_key(group[0])))
