"""axe-core finds no serious or critical violation on the main storefront pages."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_serious_or_critical_axe_violations(live_server, page_at, viewport):
    page = page_at(viewport)
    page.goto(live_server + "/products")
    product_url = page.locator("article.product-card a.card-link").first.get_attribute("href")
    page.goto(live_server + product_url)
    producer_url = page.locator(".product-producer a").first.get_attribute("href")
    urls = ["/", "/products", product_url, producer_url, "/sales-points", "/search?q=mien+dong"]
    axe = Axe()
    problems = {}
    for url in urls:
        page.goto(live_server + url)
        violations = axe.run(page).response["violations"]
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
               if v["impact"] in ("serious", "critical")]
        if bad:
            problems[url] = bad
    assert problems == {}
