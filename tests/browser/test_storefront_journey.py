"""A visitor on a phone: home → search "mien dong" → the product page."""
import os

import pytest

from tests.browser.conftest import DESKTOP, PHONE, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_search_from_home_to_the_product_page(live_server, page_at, viewport):
    page = page_at(viewport)
    page.goto(live_server + "/")
    assert page.locator("h1").first.inner_text()
    screenshot(page, f"home-{viewport['width']}")

    page.get_by_role("searchbox").first.fill("mien dong")
    page.get_by_role("searchbox").first.press("Enter")
    page.wait_for_url("**/search?q=mien+dong*")
    first_card = page.locator("article.product-card h3").first
    assert first_card.inner_text().startswith("Miến dong Bình Liêu")
    screenshot(page, f"search-{viewport['width']}")

    first_card.click()
    page.wait_for_url("**/products/**")
    assert page.locator("h1").inner_text().startswith("Miến dong Bình Liêu")
    assert page.locator(".ocop-panel").is_visible()
    assert "₫" in page.locator(".product-head .buy-price").inner_text()
    # The page fits the phone: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    path = screenshot(page, f"product-{viewport['width']}")
    assert os.path.getsize(path) > 10_000


def test_static_files_come_with_hashed_names_and_long_cache(live_server, page_at):
    page = page_at(DESKTOP)
    responses = []
    page.on("response", lambda r: responses.append(r) if "/static/" in r.url else None)
    page.goto(live_server + "/")
    css = [r for r in responses if r.url.endswith(".css")]
    assert css and css[0].status == 200
    assert "immutable" in css[0].headers.get("cache-control", "")


def test_language_switcher_turns_the_page_english_and_remembers_it(live_server, page_at):
    page = page_at(PHONE)
    page.goto(live_server + "/products")
    page.locator("details.lang-switch summary").click()
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**lang=en*")
    assert page.locator("html").get_attribute("lang") == "en"
    page.goto(live_server + "/sales-points")
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "sales-points-en-360")
