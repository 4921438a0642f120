"""The office's producers, people and audit log in a browser: nothing scrolls sideways, axe finds nothing serious."""
from __future__ import annotations

import re

import pytest

from shop.extensions import db
from tests.browser.conftest import DESKTOP, check_page, screenshot
from tests.browser.test_office import OFFICE_EMAIL, SMALL_PHONE, office_shop  # noqa: F401  (a fixture)
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def _at_sizes(page, name: str) -> None:
    for size, label in ((DESKTOP, "desktop"), (SMALL_PHONE, "phone-360")):
        page.set_viewport_size(size)
        check_page(page)
        screenshot(page, f"office-{name}-{label}")


def test_the_office_changes_a_bank_account_and_reads_it_in_the_audit_log(page_at, office_shop):
    base = office_shop["url"]
    page = page_at(DESKTOP, locale="en-GB")
    page.goto(f"{base}/admin/producers?lang=en")
    page.wait_for_url("**/login?**")
    page.fill("input[name=email]", OFFICE_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(re.compile(r"/admin/producers"))
    _at_sizes(page, "producers")

    page.locator(".office-producers a").first.click()
    page.wait_for_url(re.compile(r"/admin/producers/\d+$"))
    page.select_option("#bank_bin", "970418")
    page.fill("#bank_account", "1234 5678 9012")
    page.fill("#bank_account_name", "HTX Miến dong Bình Liêu")
    page.locator("form.form-card button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/admin/producers/\d+$"))
    assert page.locator("#bank_account_name").input_value() == "HTX MIEN DONG BINH LIEU"
    _at_sizes(page, "producer")

    page.goto(f"{base}/admin/people")
    _at_sizes(page, "people")
    page.locator(".office-people a").first.click()
    page.wait_for_url(re.compile(r"/admin/people/\d+$"))
    _at_sizes(page, "person")

    page.goto(f"{base}/admin/audit")
    assert page.locator(".office-audit tbody tr").count() == 1
    assert "••••9012" in page.locator(".office-audit").inner_text()
    _at_sizes(page, "audit")
    db.session.remove()
