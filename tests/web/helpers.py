"""Reading pages the way a visitor does: product names in the order shown."""
import re
from html import unescape

_CARD_TITLE = re.compile(r'<article class="card product-card">.*?<h3>(.*?)</h3>', re.S)


def card_titles(html: str) -> list[str]:
    return [unescape(t).strip() for t in _CARD_TITLE.findall(html)]


def result_count(html: str) -> int:
    match = re.search(r'<p class="count" role="status">([\d.,]+)', html)
    return int(match.group(1).replace(".", "").replace(",", "")) if match else 0
