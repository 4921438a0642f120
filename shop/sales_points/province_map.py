"""The offline map of the points: the province outline the project ships, projected on the server into SVG numbers.

No tiles and no scripts: an equirectangular projection squeezed by the cosine of the middle latitude, which is
true enough over one degree of latitude for a sketch (sơ đồ minh họa), and a dot per point linking to its page.
"""
from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass
from pathlib import Path

OUTLINE = Path(__file__).with_name("province_outline.json")
#: The drawing's width in SVG units; the height follows from the province's shape.
WIDTH = 640
#: Room around the outline, in SVG units.
MARGIN = 12


@dataclass(frozen=True)
class Dot:
    point: object  #: the SalesPoint
    x: float
    y: float


@dataclass(frozen=True)
class ProvinceMap:
    width: int
    height: int
    mainland: str  #: SVG path data
    islands: tuple[str, ...]
    dots: tuple[Dot, ...]
    towns: tuple[tuple[str, float, float], ...]  #: each town's name, centred above its highest dot


@functools.cache
def _outline() -> dict:
    return json.loads(OUTLINE.read_text(encoding="utf-8"))


@functools.cache
def _frame() -> tuple[float, float, float, float, int]:
    """West, north, squeeze, scale and height of the drawing, from the outline's extent."""
    shapes = [_outline()["mainland"]] + [island["outline"] for island in _outline()["islands"]]
    lngs = [lng for shape in shapes for lng, _ in shape]
    lats = [lat for shape in shapes for _, lat in shape]
    west, east, south, north = min(lngs), max(lngs), min(lats), max(lats)
    squeeze = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * squeeze)
    height = round((north - south) * scale + 2 * MARGIN)
    return west, north, squeeze, scale, height


def project(lat: float, lng: float) -> tuple[float, float]:
    """A latitude and longitude as x, y on the drawing (rounded to a tenth of a unit)."""
    west, north, squeeze, scale, _ = _frame()
    return round(MARGIN + (lng - west) * squeeze * scale, 1), round(MARGIN + (north - lat) * scale, 1)


def _path(shape: list[list[float]]) -> str:
    return "M" + " L".join("{:g},{:g}".format(*project(lat, lng)) for lng, lat in shape) + " Z"


def province_map(points) -> ProvinceMap:
    """The outline, the islands and a dot for each point given."""
    dots = tuple(Dot(point, *project(point.lat, point.lng)) for point in points)
    towns: dict[str, list[Dot]] = {}
    for dot in dots:
        if dot.point.town:
            towns.setdefault(dot.point.town, []).append(dot)
    return ProvinceMap(
        width=WIDTH, height=_frame()[4], mainland=_path(_outline()["mainland"]),
        islands=tuple(_path(island["outline"]) for island in _outline()["islands"]), dots=dots,
        towns=tuple((town, round(sum(d.x for d in members) / len(members), 1), min(d.y for d in members))
                    for town, members in towns.items()),
    )
