"""A tourist on a 360 px phone reads the product, its variants and its storage note in Chinese or Korean, and the
cart keeps the Korean variant label."""
import re

import pytest

from tests.browser.conftest import PHONE, check_page, screenshot

pytestmark = pytest.mark.browser

PEARL = "/products/ngoc-trai-akoya-ha-long"
#: Vietnamese letters: đ, ơ, ư and vowels with tone marks (Latin letters outside ASCII in this shop's texts).
VIETNAMESE = re.compile(r"[đĐơƠưƯàáảãạâầấẩẫậăằắẳẵặèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def test_a_chinese_reader_sees_no_vietnamese_in_the_variants_description_or_storage(live_server, page_at):
    page = page_at(PHONE, locale="zh-CN")
    page.goto(live_server + PEARL + "?lang=zh")
    chips = page.locator(".variant-chip").all_inner_texts()
    assert any("银吊坠，7毫米珍珠" in chip for chip in chips) and not any(VIETNAMESE.search(c) for c in chips)
    storage = page.locator("dt", has_text="储存方式").locator("xpath=following-sibling::dd[1]").inner_text()
    assert storage == "单独放入盒中，置于干燥处；避免接触香水、化妆品和化学品。"
    assert "圆润的Akoya珍珠" in page.locator("main").inner_text()
    screenshot(page, "tourist-product-zh-phone")
    check_page(page)


def test_a_korean_reader_s_cart_shows_the_korean_variant(live_server, page_at):
    page = page_at(PHONE, locale="ko-KR")
    page.goto(live_server + PEARL + "?lang=ko")
    assert "보관 방법" in page.locator("main").inner_text()
    page.get_by_role("button", name="장바구니에 담기").click()
    page.locator("#added").wait_for()
    page.goto(live_server + "/cart")
    line = page.locator("main").inner_text()
    assert "하롱 아코야 진주" in line and "은 펜던트, 7mm 진주" in line and "Mặt dây chuyền" not in line
    screenshot(page, "tourist-cart-ko-phone")
    check_page(page)
