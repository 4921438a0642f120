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


_PLACE_FIELDS = re.compile(r'name="(csrf_token|checkout_key|expected_total)"[^>]*value="([^"]*)"')


def checkout_details(client, lang: str = "", **fields):
    """Post checkout's first step as a guest would: name, phone, pickup at `sales_point` (or the given address), consent.

    A field given as None is left out of the form.
    """
    query = f"?lang={lang}" if lang else ""
    data = {"csrf_token": csrf_token(client, "/checkout"), "name": "Nguyễn Thị Lan", "phone": "0912 345 678",
            "method": "pickup", "data_consent": "y", **fields}
    return client.post(f"/checkout{query}", data={key: value for key, value in data.items() if value is not None})


def confirm_page(client, lang: str = "") -> tuple[str, dict]:
    """Checkout's second step: its HTML and the hidden fields the "Place order" form posts."""
    query = f"?lang={lang}" if lang else ""
    html = client.get(f"/checkout/confirm{query}").get_data(as_text=True)
    return html, dict(_PLACE_FIELDS.findall(html))


def place_order_form(client, method: str = "cash_at_pickup", lang: str = "", **extra):
    """Press "Place order" on the second step with a payment method."""
    _html, fields = confirm_page(client, lang)
    if "csrf_token" not in fields:  # the second step is not open: post anyway, as a stale tab would
        fields = {"csrf_token": csrf_token(client, "/login"), "checkout_key": "stale", "expected_total": "0"}
    query = f"?lang={lang}" if lang else ""
    return client.post(f"/checkout/place{query}", data={**fields, "method": method, **extra})
