"""Who runs the shop, the ministry's badge, general terms and complaints (Decree 52/2013 as amended by 85/2021)."""
import pytest

from tests.web.test_security_headers import directives


def test_every_page_names_the_operator_its_registration_and_the_responsible_person(client, app):
    page = client.get("/?lang=en").get_data(as_text=True)
    for value in (app.config["OPERATOR_NAME"], app.config["OPERATOR_ADDRESS"], app.config["OPERATOR_TAX_CODE"],
                  app.config["OPERATOR_REGISTRATION_NUMBER"], app.config["OPERATOR_REGISTRATION_ISSUER"],
                  app.config["OPERATOR_RESPONSIBLE_PERSON"], app.config["OPERATOR_PHONE"], app.config["OPERATOR_EMAIL"]):
        assert value in page
    assert "Founding decision or business registration no." in page
    # The invented values say they are invented, in every language.
    assert "demonstration values, not a real registration" in page
    assert "giá trị minh họa" in client.get("/?lang=vi").get_data(as_text=True)


def test_real_operator_details_are_shown_without_the_demo_note(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "OPERATOR_DEMO", False)
    monkeypatch.setitem(app.config, "OPERATOR_REGISTRATION_NUMBER", "123/QĐ-UBND")
    page = client.get("/about?lang=en").get_data(as_text=True)
    assert "123/QĐ-UBND" in page
    assert "demonstration values, not a real registration" not in page


def test_no_ministry_badge_without_a_record(client):
    page = client.get("/").get_data(as_text=True)
    assert "moit-badge" not in page and "online.gov.vn" not in page
    assert "Đã thông báo Bộ Công Thương" not in page


def test_the_ministry_badge_links_to_the_shops_record_and_the_csp_lets_its_picture_in(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MOIT_BADGE_LINK", "http://online.gov.vn/Home/WebDetails/123456")
    monkeypatch.setitem(app.config, "MOIT_BADGE_IMAGE", "https://online.gov.vn/Content/EndUser/LogoCCDVSaleNoti/logoSaleNoti.png")
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert 'href="http://online.gov.vn/Home/WebDetails/123456"' in page
    assert 'alt="Đã thông báo Bộ Công Thương"' in page
    assert directives(response)["img-src"] == "img-src 'self' data: https://online.gov.vn"
    # A link alone (no picture) shows nothing: never a badge made up by the shop.
    monkeypatch.setitem(app.config, "MOIT_BADGE_IMAGE", None)
    assert "moit-badge" not in client.get("/about").get_data(as_text=True)


@pytest.mark.parametrize("lang, terms, complaints", [
    ("vi", "Điều khoản chung", "Khiếu nại"),
    ("en", "General terms", "Complaints"),
    ("zh", "一般条款", "投诉"),
    ("ko", "일반 약관", "불만 접수"),
])
def test_general_terms_and_complaints_pages_in_every_language_linked_from_the_footer(client, lang, terms, complaints):
    home = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert 'href="/policies/terms"' in home and 'href="/policies/complaints"' in home
    page = client.get(f"/policies/terms?lang={lang}").get_data(as_text=True)
    assert f"<h1>{terms}</h1>" in page
    assert "15% ABV" in page or "15%" in page
    assert "%%" not in page
    page = client.get(f"/policies/complaints?lang={lang}").get_data(as_text=True)
    assert f"<h1>{complaints}</h1>" in page
    assert "19/2023/QH15" in page


def test_terms_state_the_pickup_hold_and_the_transfer_deadline_from_the_settings(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "PICKUP_HOLD_DAYS", 9)
    monkeypatch.setitem(app.config, "TRANSFER_HOLD_HOURS", 36)
    page = client.get("/policies/terms?lang=en").get_data(as_text=True)
    assert "waits at its sales point for 9 days" in page
    assert "within 36 hours is cancelled" in page
    monkeypatch.setitem(app.config, "COMPLAINT_ANSWER_DAYS", 5)
    assert "answer it within 5 working days" in client.get("/policies/complaints?lang=en").get_data(as_text=True)


def test_unknown_policy_is_not_found(client):
    assert client.get("/policies/nothing").status_code == 404
