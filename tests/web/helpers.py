"""Reading pages the way a visitor does: product names in the order shown."""
import re
from html import unescape

_CARD_TITLE = re.compile(r'<article class="card product-card">.*?<h3>(.*?)</h3>', re.S)


def card_titles(html: str) -> list[str]:
    return [unescape(t).strip() for t in _CARD_TITLE.findall(html)]


def result_count(html: str) -> int:
    match = re.search(r'<p class="count" role="status">([\d.,]+)', html)
    return int(match.group(1).replace(".", "").replace(",", "")) if match else 0


_NOTICE = re.compile(r'<p class="notice[^"]*" role="(alert|status)">(.*?)</p>', re.S)


def alerts(html: str) -> list[str]:
    """The error notices shown on top of a page (flashed with category "error"), as a visitor reads them."""
    return [unescape(text).strip() for role, text in _NOTICE.findall(html) if role == "alert"]


def notices(html: str) -> list[str]:
    """Every notice shown on top of a page: errors and confirmations alike."""
    return [unescape(text).strip() for _, text in _NOTICE.findall(html)]


_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, url: str) -> str:
    """GET a page and return the CSRF token of its first form."""
    html = client.get(url).get_data(as_text=True)
    match = _CSRF.search(html)
    assert match, f"no csrf_token on {url}"
    return match.group(1)
