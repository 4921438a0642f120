"""E-mails as customers read them: each kind, in its language, with the VietQR code inline; no database."""
from __future__ import annotations

import base64
import copy
import dataclasses
import email
import email.policy
import glob
import json
import os
from types import SimpleNamespace

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.mofile import read_mo

from shop import ROOT, create_app, messages, qr
from shop.notifications.mailer import FileTransport, SmtpTransport, transport_from_config
from shop.notifications.messages import KINDS, InvalidMessage, load
from shop.notifications.rendering import render
from shop.payments import vietqr

#: Where the text of the e-mails comes from: the templates and the modules that define each kind's subject.
MESSAGE_MODULES = sorted({os.path.join(ROOT, *cls.__module__.split(".")) + ".py" for cls in KINDS.values()})
TEMPLATES = sorted(glob.glob(os.path.join(ROOT, "templates", "notifications", "*")))
ACCOUNT = vietqr.BankAccount(bin="970436", account_number="0011000123456",
                             account_name="TRUNG TAM XTTM OCOP QUANG NINH", bank_name="Vietcombank")


def order_placed_payload(**changes) -> dict:
    """The payload checkout enqueues for a pickup order paid by VietQR transfer; changes override."""
    payload = {
        "order_number": "QN-2612-0001",
        "order_url": "https://ocop-quangninh.example/orders/QN-2612-0001?t=secret-token",
        "customer_name": "Nguyễn Thị Hoa",
        "delivery_method": "pickup",
        "sales_point": {"code": "HL01", "name": "Điểm bán OCOP Hạ Long",
                        "address": "Số 1 Trần Quốc Nghiễn, Phường Hạ Long, Tỉnh Quảng Ninh",
                        "hours": [["Mo-Fr", "08:00-17:30"], ["Sa-Su", "08:00-21:00"]]},
        "address": None,
        "lines": [
            {"product_name": "Miến dong Bình Liêu", "variant_label": "Gói 500 g", "quantity": 2,
             "unit_price_vnd": 60_000, "line_total_vnd": 120_000, "producer_name": "HTX Miến dong Bình Liêu"},
            {"product_name": "Chả mực Hạ Long", "variant_label": "Hộp 1 kg", "quantity": 1,
             "unit_price_vnd": 350_000, "line_total_vnd": 350_000, "producer_name": "Cơ sở Chả mực Hoa Phong"},
        ],
        "subtotal_vnd": 470_000, "shipping_vnd": 0, "total_vnd": 470_000,
        "payment_method": "vietqr_transfer",
        "vietqr": {"payload": vietqr.payload(ACCOUNT, 470_000, "QN-2612-0001 OCOP"), "bank_name": "Vietcombank",
                   "account_number": "0011000123456", "account_name": "TRUNG TAM XTTM OCOP QUANG NINH",
                   "amount_vnd": 470_000, "note": "QN-2612-0001 OCOP", "due_by": "2026-12-28T03:00:00+00:00"},
    }
    payload.update(changes)
    return payload


def delivery_cod_payload() -> dict:
    return order_placed_payload(delivery_method="delivery", sales_point=None, payment_method="cod", vietqr=None,
                                address="Số 5 ngõ 12 phố Cao Thắng, Phường Hồng Gai, Tỉnh Quảng Ninh",
                                shipping_vnd=30_000, total_vnd=500_000)


def payment_received_payload() -> dict:
    return {"order_number": "QN-2612-0002", "order_url": "https://ocop-quangninh.example/orders/QN-2612-0002?t=x",
            "customer_name": "Trần Văn Nam", "amount_vnd": 255_000, "payment_method": "vietqr_transfer"}


def refund_due_payload() -> dict:
    return {"order_number": "QN-2612-0009", "admin_url": "https://ocop-quangninh.example/admin/transfers",
            "amount_vnd": 255_000, "payment_method": "vietqr_transfer", "reference": "FT2612345",
            "contact_name": "Trần Văn Nam", "contact_phone": "+84912345678", "contact_email": "nam@example.vn"}


def refund_owed_payload() -> dict:
    return {"order_number": "QN-2612-0011", "order_url": "https://ocop-quangninh.example/orders/QN-2612-0011?t=x",
            "customer_name": "Trần Văn Nam", "amount_vnd": 90_000}


def order_cancelled_payload(reason: str = "unpaid_transfer", refund_note: str | None = None) -> dict:
    return {"order_number": "QN-2612-0003", "order_url": "https://ocop-quangninh.example/orders/QN-2612-0003?t=y",
            "customer_name": "Lê Minh Anh", "reason": reason, "refund_note": refund_note}


def password_reset_payload() -> dict:
    return {"name": "Phạm Thu Trang", "reset_url": "https://ocop-quangninh.example/reset/abc123", "expires_minutes": 30}


_PART_LINES = [{"product_name": "Miến dong Bình Liêu", "variant_label": "Gói 500 g", "quantity": 2}]


def part_new_payload() -> dict:
    return {"order_number": "QN-2612-0004", "part_id": 17, "producer_name": "HTX Miến dong Khe Mạ",
            "lines": _PART_LINES, "destination": "HL01 · Điểm bán OCOP Bãi Cháy",
            "part_url": "https://ocop-quangninh.example/producer/parts/17"}


def part_cancelled_payload() -> dict:
    return {"order_number": "QN-2612-0004", "part_id": 17, "producer_name": "HTX Miến dong Khe Mạ",
            "reason": "customer", "part_url": "https://ocop-quangninh.example/producer/parts/17"}


def part_rejected_payload() -> dict:
    return {"order_number": "QN-2612-0004", "order_url": "https://ocop-quangninh.example/orders/QN-2612-0004?t=z",
            "customer_name": "Lê Minh Anh", "producer_name": "HTX Miến dong Khe Mạ", "part_id": 17,
            "reason": "Hết hàng do mưa lũ", "lines": _PART_LINES, "order_cancelled": False, "refund_vnd": 0}


def payment_refunded_payload(reason: str = "cancelled_parts") -> dict:
    return {"order_number": "QN-2612-0007", "order_url": "https://ocop-quangninh.example/orders/QN-2612-0007?t=r",
            "customer_name": "Kim Min-jun", "amount_vnd": 125_000, "payment_method": "stripe_card",
            "reason": reason}


def user_invite_payload() -> dict:
    return {"name": "Phạm Thu Trang", "role": "Nhà sản xuất", "expires_minutes": 60,
            "set_password_url": "https://ocop-quangninh.example/account/password-reset/abc"}


def _sales_point(**changes) -> dict:
    """A sales point as the pickup e-mails carry it (the ready ones add opening hours)."""
    return {"code": "HL01", "name": "Điểm bán OCOP Hạ Long", "phone": "0203 3 826 123",
            "address": "Số 1 Trần Quốc Nghiễn, Phường Hạ Long, Tỉnh Quảng Ninh", **changes}


def order_ready_payload(**changes) -> dict:
    """The payload of a pickup order with cash still to pay; order_ready and pickup_reminder share it."""
    payload = {
        "order_number": "QN-2612-0005",
        "order_url": "https://ocop-quangninh.example/orders/QN-2612-0005?t=ready-token",
        "customer_name": "Đỗ Thị Lan",
        "pickup_code": "K7M2QX9P",
        "sales_point": _sales_point(hours=[["Mo-Fr", "08:00-17:30"], ["Sa-Su", "08:00-21:00"]]),
        "hold_until": "2026-12-31T10:30:00+00:00",
        "lines": [{"product_name": "Miến dong Bình Liêu", "variant_label": "Gói 500 g", "quantity": 2},
                  {"product_name": "Trà hoa vàng Ba Chẽ", "variant_label": "Hộp 100 g", "quantity": 1}],
        "cash_due_vnd": 150_000,
        "payment_method": "cash_at_pickup",
    }
    payload.update(changes)
    return payload


def order_unclaimed_payload(for_office: bool = False, paid_vnd: int = 255_000) -> dict:
    """The customer's copy, or the office's (no customer name: the office reads the contact details)."""
    return {"order_number": "QN-2612-0006", "order_url": "https://ocop-quangninh.example/orders/QN-2612-0006?t=u",
            "customer_name": None if for_office else "Hoàng Văn Đức", "sales_point": _sales_point(),
            "paid_vnd": paid_vnd, "for_office": for_office, "contact_name": "Hoàng Văn Đức",
            "contact_phone": "0912 345 678", "contact_email": "duc.hoang@example.vn"}


def part_unclaimed_payload() -> dict:
    # "name" is the producer user's, filled in for each recipient (part_messages.to_producer).
    return {"order_number": "QN-2612-0006", "part_id": 21, "producer_name": "HTX Trà hoa vàng Ba Chẽ",
            "sales_point": _sales_point(), "name": "Vũ Thị Mai",
            "lines": [{"product_name": "Trà hoa vàng Ba Chẽ", "variant_label": "Hộp 100 g", "quantity": 1}],
            "part_url": "https://ocop-quangninh.example/producer/parts/21"}


def pickup_point_changed_payload() -> dict:
    return {"order_number": "QN-2612-0007", "order_url": "https://ocop-quangninh.example/orders/QN-2612-0007?t=u",
            "customer_name": "Nguyễn Thị Lan", "previous_point": "Điểm OCOP Uông Bí",
            "sales_point": _sales_point(hours=[["Mo-Su", "08:00-21:00"]])}


def registration_payload() -> dict:
    return {"name": "Trần Văn Minh", "already_registered": True, "login_url": "https://ocop-quangninh.example/login",
            "reset_url": "https://ocop-quangninh.example/account/password-reset"}


def certificate_expiring_payload() -> dict:
    return {"product_name": "Trà hoa vàng Ba Chẽ", "producer_name": "Công ty TNHH Lâm sản Khe Lạnh",
            "decision_no": "DEMO-2024-0002/QĐ-BNN-VPĐP", "expires_on": "2027-01-17", "days_ahead": 30,
            "page_url": "https://ocop-quangninh.example/admin/products/7/certificate", "for_office": True}


PAYLOADS = {
    "certificate_expiring": certificate_expiring_payload,
    "order_placed": order_placed_payload,
    "payment_received": payment_received_payload,
    "order_cancelled": order_cancelled_payload,
    "password_reset": password_reset_payload,
    "part_new": part_new_payload,
    "part_cancelled": part_cancelled_payload,
    "part_rejected": part_rejected_payload,
    "user_invite": user_invite_payload,
    "order_ready": order_ready_payload,
    "pickup_reminder": order_ready_payload,
    "order_unclaimed": order_unclaimed_payload,
    "part_unclaimed": part_unclaimed_payload,
    "part_destination_changed": lambda: {**part_unclaimed_payload(), "previous_point": "HL07 · Điểm OCOP Bãi Cháy"},
    "payment_refunded": payment_refunded_payload,
    "refund_due": refund_due_payload,
    "refund_owed": refund_owed_payload,
    "registration": registration_payload,
    "pickup_point_changed": pickup_point_changed_payload,
    "account_erased": lambda: {"name": "Phạm Thu Trang", "kept_orders": ["QN-2612-0001"]},
    "review_invitation": lambda: {
        "order_number": "QN-2612-0008", "customer_name": "Nguyễn Thị Lan",
        "review_url": "https://ocop-quangninh.example/orders/QN-2612-0008/reviews?t=u",
        "lines": [{"product_name": "Trà hoa vàng Ba Chẽ", "variant_label": "Hộp 100 g", "quantity": 1}]},
}


def message(kind: str, payload: dict | None = None, language: str = "en", dedupe_key: str | None = None):
    """An outbox message as render() reads it, without a database row."""
    return SimpleNamespace(kind=kind, recipient="khach@example.vn", language=language,
                           payload=PAYLOADS[kind]() if payload is None else payload,
                           dedupe_key=dedupe_key or f"{kind}:test")


def parts(mail) -> dict[str, object]:
    """The text, the HTML and the images of an e-mail, by content type."""
    found: dict[str, object] = {}
    for part in mail.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), part)
    return found


@pytest.fixture(scope="module")
def mail_app():
    return create_app({"TESTING": True, "ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.fixture
def ctx(mail_app):
    with mail_app.app_context():
        yield mail_app


def test_every_kind_has_its_typed_message_and_both_templates_and_every_template_its_kind():
    with_templates = {os.path.basename(path).partition(".")[0] for path in TEMPLATES
                      if not os.path.basename(path).startswith("_")}
    assert set(KINDS) == with_templates == set(PAYLOADS)
    for kind in KINDS:
        for suffix in ("txt", "html"):
            assert os.path.exists(os.path.join(ROOT, "templates", "notifications", f"{kind}.{suffix}"))


def test_the_shop_knows_every_kind_of_message_once_the_app_is_built():
    # The outbox stores kinds by name; a kind whose module nobody imported could not be sent.
    assert {cls.__module__ for cls in KINDS.values()} == {
        "shop.auth.messages", "shop.orders.messages", "shop.orders.part_messages", "shop.payments.messages",
        "shop.admin.reminders", "shop.privacy.messages"}
    assert all(getattr(messages, cls.__name__) is cls for cls in KINDS.values())


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_renders_a_text_part_and_an_html_alternative(ctx, kind):
    mail = render(message(kind))
    assert mail.get_content_type() == "multipart/alternative"
    assert mail.get_body(("plain",)).get_content().strip()
    html = mail.get_body(("html",)).get_content()
    assert html.lstrip().startswith("<!doctype html>")
    assert "#1f5c3f" in html and "<style" not in html and "<link" not in html


def test_transfer_order_embeds_the_vietqr_code_as_a_related_png_referenced_by_cid(ctx):
    payload = order_placed_payload()
    mail = render(message("order_placed", payload))

    alternative = mail.get_payload()
    assert [p.get_content_type() for p in alternative] == ["text/plain", "multipart/related"]
    html_part, image = alternative[1].get_payload()
    assert html_part.get_content_type() == "text/html" and image.get_content_type() == "image/png"
    cid = image["Content-ID"].strip("<>")
    html = html_part.get_content()
    assert f'src="cid:{cid}"' in html
    assert "data:" not in html
    expected_png = base64.b64decode(qr.qr_png_data_uri(payload["vietqr"]["payload"]).partition(",")[2])
    assert image.get_content() == expected_png
    assert image.get_content_disposition() == "inline"


def test_transfer_order_states_bank_account_exact_amount_note_and_deadline_in_text(ctx):
    text = render(message("order_placed", language="vi")).get_body(("plain",)).get_content()

    assert "Ngân hàng: Vietcombank" in text
    assert "Số tài khoản: 0011000123456" in text
    assert "Chủ tài khoản: TRUNG TAM XTTM OCOP QUANG NINH" in text
    assert "Số tiền: 470.000\u00a0₫" in text
    assert "Nội dung chuyển khoản: QN-2612-0001 OCOP" in text
    # 03:00 UTC is 10:00 in Vietnam.
    assert "Vui lòng thanh toán trước 10:00, 28/12/2026 (GMT+7)." in text


def test_pickup_order_names_the_sales_point_with_its_opening_hours(ctx):
    text = render(message("order_placed", language="vi")).get_body(("plain",)).get_content()

    assert "Nhận hàng tại điểm bán" in text
    assert "Điểm bán OCOP Hạ Long\nSố 1 Trần Quốc Nghiễn, Phường Hạ Long, Tỉnh Quảng Ninh" in text
    assert "Giờ mở cửa:" in text and "08:00-17:30" in text
    assert "Miến dong Bình Liêu (Gói 500 g)" in text and "2 × 60.000\u00a0₫ = 120.000\u00a0₫" in text
    assert "Tổng cộng: 470.000\u00a0₫" in text


def test_delivery_order_by_cod_shows_the_address_the_fee_and_the_cash_to_have_ready(ctx):
    mail = render(message("order_placed", delivery_cod_payload()))
    text = mail.get_body(("plain",)).get_content()

    assert "Delivery address" in text and "Số 5 ngõ 12 phố Cao Thắng" in text
    assert "Delivery fee: 30,000\u00a0₫" in text
    assert "Please have 500,000\u00a0₫ ready in cash for the courier." in text
    assert "Pay by bank transfer" not in text
    assert all(p.get_content_type() != "image/png" for p in mail.walk())
    assert mail["Subject"] == "Thank you for your order QN-2612-0001"


def test_refund_due_tells_the_office_whom_to_pay_back_and_how_much(ctx):
    mail = render(message("refund_due"))
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Refund due: the customer cancelled paid order QN-2612-0009"
    assert "after paying 255,000\u00a0₫" in text and "FT2612345" in text and "+84912345678" in text
    assert "https://ocop-quangninh.example/admin/transfers" in text


def test_refund_owed_asks_the_customer_for_their_bank_details_through_the_order_link(ctx):
    mail = render(message("refund_owed"))
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "We owe you 90,000\u00a0₫ for order QN-2612-0011: where should we send it?"
    assert "owes you 90,000\u00a0₫ for your order QN-2612-0011" in text
    assert "https://ocop-quangninh.example/orders/QN-2612-0011?t=x" in text
    assert "Enter my bank details" in mail.get_body(("html",)).get_content()


def test_payment_received_states_the_amount_and_method(ctx):
    mail = render(message("payment_received"))
    text = mail.get_body(("plain",)).get_content()

    assert mail["Subject"] == "Payment received for order QN-2612-0002"
    assert "Amount: 255,000\u00a0₫" in text and "Bank transfer by VietQR" in text
    assert "https://ocop-quangninh.example/orders/QN-2612-0002?t=x" in text


def test_payment_refunded_states_the_amount_and_says_why_a_late_payment_came_back(ctx):
    parts = render(message("payment_refunded")).get_body(("plain",)).get_content()
    late = render(message("payment_refunded", payment_refunded_payload("late_payment")))

    assert "We have refunded 125,000\u00a0₫ for your order QN-2612-0007." in parts
    assert "Card (Visa, Mastercard…)" in parts and "arrived after the order had been cancelled" not in parts
    assert late["Subject"] == "Refund for order QN-2612-0007"
    assert "arrived after the order had been cancelled" in late.get_body(("html",)).get_content()


@pytest.mark.parametrize("reason, sentence", [
    ("customer", "It was cancelled at your request."),
    ("unpaid_transfer", "We did not receive your bank transfer before the deadline"),
    ("unpaid_card", "Your card payment was not completed, so the products were released."),
    ("producer", "The producer could not supply the products you ordered."),
    ("admin", "The shop had to cancel it."),
    ("unclaimed", "Not collected in time: cancelled, the goods go back"),
])
def test_cancellation_gives_the_sentence_for_its_reason(ctx, reason, sentence):
    mail = render(message("order_cancelled", order_cancelled_payload(reason)))

    assert sentence in mail.get_body(("plain",)).get_content()
    assert sentence in mail.get_body(("html",)).get_content()
    assert mail["Subject"] == "Order QN-2612-0003 has been cancelled"


def test_cancellation_shows_the_refund_note_only_when_there_is_one(ctx):
    without = render(message("order_cancelled", order_cancelled_payload("producer")))
    refunded = render(message("order_cancelled", order_cancelled_payload("producer", "Refunded 255.000 ₫ on 2/1.")))

    assert "Refund" not in without.get_body(("plain",)).get_content()
    assert "Refunded 255.000 ₫ on 2/1." in refunded.get_body(("plain",)).get_content()


def test_password_reset_contains_the_reset_url_as_text_and_link(ctx):
    mail = render(message("password_reset"))

    assert "https://ocop-quangninh.example/reset/abc123" in mail.get_body(("plain",)).get_content()
    assert 'href="https://ocop-quangninh.example/reset/abc123"' in mail.get_body(("html",)).get_content()
    assert "30 minutes" in mail.get_body(("plain",)).get_content()


def test_subject_and_body_are_in_the_message_language(ctx):
    vi = render(message("order_placed", language="vi"))
    en = render(message("order_placed", language="en"))

    assert vi["Subject"] == "Đơn hàng QN-2612-0001: vui lòng chuyển khoản để thanh toán"
    assert en["Subject"] == "Order QN-2612-0001: please pay by bank transfer"
    assert vi["Content-Language"] == "vi" and en["Content-Language"] == "en"
    assert "Xin chào Nguyễn Thị Hoa," in vi.get_body(("plain",)).get_content()
    assert '<html lang="vi">' in vi.get_body(("html",)).get_content()
    assert "Hello Nguyễn Thị Hoa," in en.get_body(("plain",)).get_content()


def test_a_language_the_shop_does_not_offer_falls_back_to_vietnamese(ctx):
    mail = render(message("password_reset", language="fr"))

    assert mail["Subject"] == "Đặt lại mật khẩu tài khoản OCOP Quảng Ninh"
    assert mail["Content-Language"] == "vi"


def test_every_email_is_marked_automatic_and_keeps_one_message_id_per_dedupe_key(ctx):
    first = render(message("password_reset", dedupe_key="password_reset:7:1"))
    again = render(message("password_reset", dedupe_key="password_reset:7:1"))
    other = render(message("password_reset", dedupe_key="password_reset:7:2"))

    assert first["Auto-Submitted"] == "auto-generated"
    assert first["Message-ID"] == again["Message-ID"] != other["Message-ID"]
    assert first["Message-ID"].endswith("@ocop-quangninh.example>")
    assert first["From"].addresses[0].addr_spec == "no-reply@ocop-quangninh.example"
    assert first["To"] == "khach@example.vn"


def test_an_email_survives_the_trip_through_bytes(ctx):
    mail = render(message("order_placed"))
    parsed = email.message_from_bytes(mail.as_bytes(), policy=email.policy.default)

    assert parsed["Subject"] == mail["Subject"]
    assert parsed.get_body(("plain",)).get_content() == mail.get_body(("plain",)).get_content()
    assert "image/png" in parts(parsed)


def test_customer_text_is_escaped_in_the_html(ctx):
    payload = order_placed_payload(customer_name='<script>alert("x")</script>')
    html = render(message("order_placed", payload)).get_body(("html",)).get_content()

    assert "<script>" not in html and "&lt;script&gt;" in html


def test_an_unknown_kind_is_refused_naming_it(ctx):
    with pytest.raises(InvalidMessage, match="'pickup_ready'"):
        render(SimpleNamespace(kind="pickup_ready", recipient="a@example.vn", language="vi", payload={},
                               dedupe_key="x"))


def _required(kind: str) -> list[str]:
    return [field.name for field in dataclasses.fields(KINDS[kind])
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING]


@pytest.mark.parametrize("kind, field", [(kind, field) for kind in sorted(KINDS) for field in _required(kind)])
def test_a_payload_missing_a_field_is_refused_naming_it(ctx, kind, field):
    payload = PAYLOADS[kind]()
    del payload[field]

    with pytest.raises(InvalidMessage, match=field):
        render(message(kind, payload))


@pytest.mark.parametrize("breakage, match", [
    (lambda p: p["lines"][0].pop("producer_name"), "producer_name"),
    (lambda p: p["vietqr"].pop("note"), "note"),
    (lambda p: p.update(vietqr=None), "vietqr"),
    (lambda p: p.update(sales_point=None), "sales_point"),
    (lambda p: p.update(payment_method="bitcoin"), "bitcoin"),
    (lambda p: p.update(order_url="javascript:alert(1)"), "order_url"),
    (lambda p: p["vietqr"].update(due_by="tomorrow"), "tomorrow"),
])
def test_a_payload_breaking_the_order_placed_contract_is_refused(ctx, breakage, match):
    payload = copy.deepcopy(order_placed_payload())
    breakage(payload)

    with pytest.raises(InvalidMessage, match=match):
        render(message("order_placed", payload))


def test_an_unknown_cancellation_reason_is_refused(ctx):
    with pytest.raises(InvalidMessage, match="weather"):
        render(message("order_cancelled", order_cancelled_payload("weather")))


@pytest.mark.parametrize("language", ["vi", "en", "zh", "ko"])
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_goes_from_json_to_its_dataclass_and_back_and_renders_in_every_shop_language(ctx, kind, language):
    typed = load(kind, PAYLOADS[kind]())
    stored = json.loads(json.dumps(typed.to_payload()))  # as the outbox's JSON column keeps it
    mail = render(message(kind, stored, language=language))
    english = render(message(kind, stored, language="en"))

    assert type(typed) is KINDS[kind] and load(kind, stored) == typed
    assert mail["Subject"] and mail["Content-Language"] == language
    assert mail.get_body(("plain",)).get_content().strip()
    assert f'<html lang="{language}">' in mail.get_body(("html",)).get_content()
    if language != "en":
        # Read from the shop's compiled catalogue: every language but English has its own subject and greeting.
        assert mail["Subject"] != english["Subject"]
        assert mail.get_body(("plain",)).get_content().split("\n")[0] != \
            english.get_body(("plain",)).get_content().split("\n")[0]


@pytest.mark.parametrize("kind", ["order_ready", "pickup_reminder"])
def test_ready_order_mails_show_the_pickup_code_in_two_groups_and_as_a_related_qr_png(ctx, kind):
    mail = render(message(kind))

    html_part, image = mail.get_payload()[1].get_payload()
    assert image.get_content_type() == "image/png" and image.get_content_disposition() == "inline"
    assert image.get_filename() == "Pickup-QN-2612-0005.png"
    cid = image["Content-ID"].strip("<>")
    assert cid.startswith("pickup.")
    html = html_part.get_content()
    assert f'src="cid:{cid}"' in html and "data:" not in html
    # The code holds the pickup code and nothing else, so the desk's scanner reads what staff would type.
    assert image.get_content() == base64.b64decode(qr.qr_png_data_uri("K7M2QX9P").partition(",")[2])
    assert "K7M2 QX9P" in html
    assert "\nK7M2 QX9P\n" in mail.get_body(("plain",)).get_content()


def test_order_ready_tells_where_when_and_how_to_collect_the_order(ctx):
    mail = render(message("order_ready"))
    text = mail.get_body(("plain",)).get_content()

    assert mail["Subject"] == "Order QN-2612-0005 is ready for pickup at Điểm bán OCOP Hạ Long"
    assert ("Điểm bán OCOP Hạ Long\nSố 1 Trần Quốc Nghiễn, Phường Hạ Long, Tỉnh Quảng Ninh\n"
            "Phone: 0203 3 826 123") in text
    assert "Mon – Fri: 08:00-17:30" in text and "Sat – Sun: 08:00-21:00" in text
    # 10:30 UTC is 17:30 in Vietnam; Babel writes a narrow no-break space before "PM".
    assert "Please collect it by 31 Dec 2026, 17:30 (GMT+7)." in text
    assert "the last digits of your phone number" in text
    assert "- 2 × Miến dong Bình Liêu (Gói 500 g)" in text and "- 1 × Trà hoa vàng Ba Chẽ (Hộp 100 g)" in text
    assert "Payment method: Cash at the sales point" in text
    assert "https://ocop-quangninh.example/orders/QN-2612-0005?t=ready-token" in text
    assert 'href="https://ocop-quangninh.example/orders/QN-2612-0005?t=ready-token"' in \
        mail.get_body(("html",)).get_content()


@pytest.mark.parametrize("kind", ["order_ready", "pickup_reminder"])
def test_ready_order_mails_ask_for_the_cash_due_only_when_some_is_left_to_pay(ctx, kind):
    due = render(message(kind))
    paid = render(message(kind, order_ready_payload(cash_due_vnd=0, payment_method="vietqr_transfer")))

    for body in (due.get_body(("plain",)), due.get_body(("html",))):
        assert "Please pay 150,000\u00a0₫ in cash when you collect your order." in body.get_content()
        assert "already paid" not in body.get_content()
    for body in (paid.get_body(("plain",)), paid.get_body(("html",))):
        assert "150,000" not in body.get_content() and "in cash" not in body.get_content()
        assert "Your order is already paid: there is nothing to pay at pickup." in body.get_content()


def test_pickup_reminder_gives_the_deadline_in_its_subject_and_what_happens_after_it(ctx):
    mail = render(message("pickup_reminder"))
    text = mail.get_body(("plain",)).get_content()

    assert mail["Subject"] == ("Reminder: order QN-2612-0005 waits for you at Điểm bán OCOP Hạ Long "
                               "until 31 Dec 2026, 17:30 (GMT+7)")
    assert "After that, the order is cancelled and the products go back to their producers." in text
    assert "Opening hours:" in text and "Mon – Fri: 08:00-17:30" in text


def test_ready_order_mail_in_vietnamese_writes_the_deadline_and_hours_the_vietnamese_way(ctx):
    mail = render(message("order_ready", language="vi"))
    text = mail.get_body(("plain",)).get_content()

    assert mail["Subject"] == "Đơn hàng QN-2612-0005 đã sẵn sàng để nhận tại Điểm bán OCOP Hạ Long"
    assert "Xin chào Đỗ Thị Lan," in text
    assert "K7M2 QX9P" in text and "150.000\u00a0₫" in text
    assert "17:30, 31/12/2026 (GMT+7)" in text
    assert "Thứ 2 – Thứ 6: 08:00-17:30" in text and "Thứ 7 – CN: 08:00-21:00" in text
    assert "Điện thoại: 0203 3 826 123" in text


def test_order_unclaimed_shows_the_customers_contact_details_only_to_the_office(ctx):
    customer = render(message("order_unclaimed", order_unclaimed_payload(for_office=False)))
    office = render(message("order_unclaimed", order_unclaimed_payload(for_office=True)))

    assert customer["Subject"] == "Order QN-2612-0006 was not collected in time"
    assert office["Subject"] == "Unclaimed order QN-2612-0006 at Điểm bán OCOP Hạ Long"
    for body in (customer.get_body(("plain",)), customer.get_body(("html",))):
        assert "0912 345 678" not in body.get_content() and "duc.hoang@example.vn" not in body.get_content()
        assert "The OCOP office will refund the 255,000\u00a0₫ you paid" in body.get_content()
    for body in (office.get_body(("plain",)), office.get_body(("html",))):
        content = body.get_content()
        assert "Hoàng Văn Đức · 0912 345 678 · duc.hoang@example.vn" in content
        assert "HL01 · Điểm bán OCOP Hạ Long" in content
        assert "The customer paid 255,000\u00a0₫ in advance: please refund it" in content
    assert "Hello," in office.get_body(("plain",)).get_content()
    assert "Hello Hoàng Văn Đức," in customer.get_body(("plain",)).get_content()


def test_order_unclaimed_without_advance_payment_promises_no_refund(ctx):
    customer = render(message("order_unclaimed", order_unclaimed_payload(paid_vnd=0)))
    office = render(message("order_unclaimed", order_unclaimed_payload(for_office=True, paid_vnd=0)))

    assert "refund" not in customer.get_body(("plain",)).get_content()
    assert "Nothing was paid in advance: there is nothing to refund." in office.get_body(("plain",)).get_content()


def test_part_unclaimed_asks_the_producer_to_take_the_parcel_back_from_the_point(ctx):
    mail = render(message("part_unclaimed"))
    text = mail.get_body(("plain",)).get_content()

    assert mail["Subject"] == "Parcel #21 was not collected: please take it back from Điểm bán OCOP Hạ Long"
    assert "Hello Vũ Thị Mai," in text
    assert "The customer did not collect order QN-2612-0006 in time" in text
    assert "1 × Trà hoa vàng Ba Chẽ (Hộp 100 g)" in text
    assert "Số 1 Trần Quốc Nghiễn, Phường Hạ Long, Tỉnh Quảng Ninh\nPhone: 0203 3 826 123" in text
    assert 'href="https://ocop-quangninh.example/producer/parts/21"' in mail.get_body(("html",)).get_content()
    assert all(p.get_content_type() != "image/png" for p in mail.walk())


@pytest.mark.parametrize("kind, payload, match", [
    ("order_ready", order_ready_payload(order_url="javascript:alert(1)"), "order_url"),
    ("pickup_reminder", order_ready_payload(order_url="ftp://ocop-quangninh.example/x"), "order_url"),
    ("order_ready", order_ready_payload(pickup_code="k7m2qx9p"), "pickup_code"),
    ("order_ready", order_ready_payload(pickup_code="K7M2 QX9P"), "pickup_code"),
    ("order_ready", order_ready_payload(sales_point=_sales_point()), "hours"),
    ("order_ready", order_ready_payload(sales_point=_sales_point(hours="Mo-Fr 08:00-17:30")), "hours"),
    ("order_ready", order_ready_payload(sales_point=None), "sales_point"),
    ("pickup_reminder", order_ready_payload(hold_until="next week"), "next week"),
    ("order_ready", order_ready_payload(lines=[]), "lines"),
    ("order_ready", order_ready_payload(lines=[{"product_name": "Miến dong"}]), "quantity"),
    ("order_ready", order_ready_payload(cash_due_vnd=-1), "cash_due_vnd"),
    ("order_ready", order_ready_payload(cash_due_vnd="150000"), "cash_due_vnd"),
    ("order_ready", order_ready_payload(payment_method="bitcoin"), "bitcoin"),
    ("order_unclaimed", {**order_unclaimed_payload(), "order_url": "javascript:alert(1)"}, "order_url"),
    ("order_unclaimed", {**order_unclaimed_payload(), "for_office": "yes"}, "for_office"),
    ("order_unclaimed", {**order_unclaimed_payload(True), "contact_phone": None}, "contact_phone"),
    ("order_unclaimed", {**order_unclaimed_payload(), "paid_vnd": None}, "paid_vnd"),
    ("order_unclaimed", {**order_unclaimed_payload(), "sales_point": {"name": "Hạ Long"}}, "code"),
    ("part_unclaimed", {**part_unclaimed_payload(), "part_url": "/producer/parts/21"}, "part_url"),
    ("part_unclaimed", {**part_unclaimed_payload(), "lines": []}, "lines"),
])
def test_a_payload_breaking_a_pickup_contract_is_refused(ctx, kind, payload, match):
    with pytest.raises(InvalidMessage, match=match):
        render(message(kind, payload))


def test_without_a_mail_server_e_mails_go_to_files_in_the_instance_outbox(mail_app):
    transport = transport_from_config(mail_app)

    assert isinstance(transport, FileTransport)
    assert transport.directory == os.path.join(mail_app.instance_path, "outbox")
    assert os.path.isdir(transport.directory)


def test_a_configured_mail_server_gets_an_smtp_transport_and_a_bad_security_setting_fails_fast():
    app = create_app({"TESTING": True, "ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://", "MAIL_SMTP_HOST": "smtp.example.vn",
                      "MAIL_SMTP_PORT": 465, "MAIL_SMTP_SECURITY": "ssl"})
    transport = transport_from_config(app)
    assert isinstance(transport, SmtpTransport)
    assert (transport.host, transport.port, transport.security) == ("smtp.example.vn", 465, "ssl")

    app.config["MAIL_SMTP_SECURITY"] = "tls"
    with pytest.raises(ValueError, match="MAIL_SMTP_SECURITY"):
        transport_from_config(app)


def test_file_transport_replaces_an_earlier_copy_of_the_same_e_mail(ctx, tmp_path):
    transport = FileTransport(str(tmp_path))
    transport.send(render(message("password_reset")), "7-password_reset")
    transport.send(render(message("password_reset")), "7-password_reset")

    assert os.listdir(tmp_path) == ["7-password_reset.eml"]


def _msgids(method: str, path: str) -> set[str]:
    found = set()
    for _lineno, msgid, _comments, _context in extract_from_file(method, path):
        found.add(msgid if isinstance(msgid, str) else msgid[0])
    return found


def _email_msgids() -> set[str]:
    """Every msgid an e-mail can show: its templates, its kind's subject, the reasons and payment method names."""
    from shop import labels
    from shop.orders import reasons

    used = set()
    for path in MESSAGE_MODULES + [os.path.join(ROOT, "shop", "notifications", "rendering.py")]:
        used |= _msgids("python", path)
    for path in TEMPLATES:
        used |= _msgids("jinja2", path)
    used |= {sentence._args[0] for sentence in [*reasons._SENTENCES.values(), *reasons._PRODUCER_SENTENCES.values()]}
    used |= {label._args[0] for label in labels.PAYMENT_METHODS.values()}
    return used


@pytest.mark.parametrize("language", ["vi", "zh", "ko"])
def test_every_msgid_of_the_emails_is_translated_in_the_compiled_catalogue(language):
    # The catalogue the app loads at run time, not the .po it is compiled from: a msgid missing here goes out in English.
    with open(os.path.join(ROOT, "shop", "translations", language, "LC_MESSAGES", "messages.mo"), "rb") as file:
        catalog = read_mo(file)
    untranslated = sorted(msgid for msgid in _email_msgids() if not (catalog.get(msgid) and catalog[msgid].string))

    assert untranslated == []


def test_every_msgid_of_the_plain_text_bodies_is_also_extracted_from_files_babel_cfg_reads():
    # babel.cfg extracts from shop/**.py and templates/**.html only; a msgid used solely in a .txt body
    # would be dropped as obsolete by the next `pybabel update`.
    extracted = set()
    for path in MESSAGE_MODULES + [os.path.join(ROOT, "shop", "notifications", "rendering.py")]:
        extracted |= _msgids("python", path)
    for path in glob.glob(os.path.join(ROOT, "templates", "notifications", "*.html")):
        extracted |= _msgids("jinja2", path)
    for path in glob.glob(os.path.join(ROOT, "templates", "notifications", "*.txt")):
        assert _msgids("jinja2", path) <= extracted, path


def test_a_message_is_checked_when_it_is_built_not_when_it_is_sent(ctx):
    from shop.orders.messages import OrderCancelled
    from shop.payments.messages import PaymentReceived

    good = load("order_cancelled", order_cancelled_payload("customer"))
    with pytest.raises(InvalidMessage, match="order_url"):
        dataclasses.replace(good, order_url="/orders/QN-2612-0003")
    with pytest.raises(InvalidMessage, match="weather"):
        OrderCancelled(order_number="QN-2612-0003", order_url="https://ocop-quangninh.example/orders/QN-2612-0003",
                       customer_name="Lê Minh Anh", reason="weather")
    with pytest.raises(InvalidMessage, match="amount_vnd"):
        PaymentReceived(order_number="QN-2612-0002", order_url="https://ocop-quangninh.example/orders/QN-2612-0002",
                        customer_name=None, amount_vnd=-5, payment_method="cod")


def test_a_stored_payload_may_carry_keys_its_kind_no_longer_has(ctx):
    payload = {**payment_received_payload(), "currency": "vnd"}

    assert load("payment_received", payload) == load("payment_received", payment_received_payload())


def test_account_erased_names_the_orders_kept_without_personal_data(ctx):
    mail = render(message("account_erased"))

    assert "QN-2612-0001" in mail.get_body(("plain",)).get_content()
    assert "QN-2612-0001" in mail.get_body(("html",)).get_content()

