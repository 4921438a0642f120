"""E-mails as customers read them: each kind, in its language, with the VietQR code inline; no database."""
from __future__ import annotations

import base64
import copy
import email
import email.policy
import glob
import os
from types import SimpleNamespace

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from flask_babel import get_babel

from shop import ROOT, create_app, qr
from shop.notifications.mailer import FileTransport, SmtpTransport, transport_from_config
from shop.notifications.outbox import KINDS
from shop.notifications.rendering import RENDERERS, RenderError, render
from shop.payments import vietqr

#: Every msgid the e-mails use, with its Vietnamese. Until these reach shop/translations/vi, the
#: tests below load them as an extra catalog, so the Vietnamese e-mails can be read and checked.
VIETNAMESE = {
    # subjects
    "Thank you for your order %(number)s": "Xác nhận đơn hàng %(number)s – cảm ơn bạn đã đặt hàng",
    "Order %(number)s: please pay by bank transfer": "Đơn hàng %(number)s: vui lòng chuyển khoản để thanh toán",
    "Payment received for order %(number)s": "Đã nhận thanh toán cho đơn hàng %(number)s",
    "Order %(number)s has been cancelled": "Đơn hàng %(number)s đã bị hủy",
    "Reset your OCOP Quảng Ninh password": "Đặt lại mật khẩu tài khoản OCOP Quảng Ninh",
    # shared
    "Hello %(name)s,": "Xin chào %(name)s,",
    "Hello,": "Xin chào,",
    "Questions? Write to %(email)s or call %(phone)s.": "Cần hỗ trợ? Hãy gửi email tới %(email)s hoặc gọi %(phone)s.",
    "This e-mail was sent automatically; replies to it are not read.":
        "Đây là email tự động; thư trả lời sẽ không được đọc.",
    "View your order": "Xem đơn hàng",
    "Payment method": "Phương thức thanh toán",
    "Amount": "Số tiền",
    # payment methods: the names the shop's pages use too (shop.payments.services.METHOD_LABELS)
    "Cash at the sales point": "Tiền mặt tại điểm bán",
    "Cash on delivery (COD)": "Thanh toán khi nhận hàng (COD)",
    "Bank transfer by VietQR": "Chuyển khoản qua VietQR",
    "Card (Visa, Mastercard…)": "Thẻ (Visa, Mastercard…)",
    # order_placed
    "Thank you for shopping at OCOP Quảng Ninh. We have received your order %(number)s.":
        "Cảm ơn bạn đã mua sắm tại OCOP Quảng Ninh. Chúng tôi đã nhận được đơn hàng %(number)s của bạn.",
    "Pay by bank transfer": "Thanh toán bằng chuyển khoản",
    "Scan the code with your banking app, or transfer with the details below. Keep the transfer note exactly "
    "as shown: it is how we match your payment to your order.":
        "Quét mã bằng ứng dụng ngân hàng của bạn, hoặc chuyển khoản theo thông tin dưới đây. Vui lòng giữ "
        "nguyên nội dung chuyển khoản: chúng tôi dựa vào đó để đối chiếu khoản thanh toán với đơn hàng của bạn.",
    "VietQR code for the transfer": "Mã VietQR để chuyển khoản",
    "Bank": "Ngân hàng",
    "Account number": "Số tài khoản",
    "Account name": "Chủ tài khoản",
    "Transfer note": "Nội dung chuyển khoản",
    "Please pay by %(time)s. An order still unpaid by then is cancelled.":
        "Vui lòng thanh toán trước %(time)s. Quá thời hạn này, đơn hàng chưa thanh toán sẽ bị hủy.",
    "Your order": "Đơn hàng của bạn",
    "Order number": "Mã đơn hàng",
    "Producer: %(producer)s": "Nhà sản xuất: %(producer)s",
    "Subtotal": "Tạm tính",
    "Delivery fee": "Phí giao hàng",
    "Total": "Tổng cộng",
    "Please pay %(amount)s in cash when you collect your order.":
        "Vui lòng thanh toán %(amount)s bằng tiền mặt khi nhận hàng.",
    "Please have %(amount)s ready in cash for the courier.":
        "Vui lòng chuẩn bị sẵn %(amount)s tiền mặt để thanh toán cho người giao hàng.",
    "We will confirm your card payment in a separate e-mail.":
        "Chúng tôi sẽ xác nhận khoản thanh toán bằng thẻ trong một email riêng.",
    "Pickup at a sales point": "Nhận hàng tại điểm bán",
    "Opening hours": "Giờ mở cửa",
    "Delivery address": "Địa chỉ giao hàng",
    "Anyone with this link can see your order, so please do not share it.":
        "Bất kỳ ai có đường link này đều xem được đơn hàng của bạn, vì vậy vui lòng không chia sẻ.",
    # payment_received
    "We have received your payment for order %(number)s. Thank you!":
        "Chúng tôi đã nhận được khoản thanh toán cho đơn hàng %(number)s. Xin cảm ơn!",
    "The producers are now preparing your order.": "Các nhà sản xuất đang chuẩn bị đơn hàng của bạn.",
    "Thank you for choosing the OCOP products of Quảng Ninh.": "Cảm ơn bạn đã tin chọn sản phẩm OCOP Quảng Ninh.",
    # order_cancelled
    "Your order %(number)s has been cancelled.": "Đơn hàng %(number)s của bạn đã bị hủy.",
    "It was cancelled at your request.": "Đơn hàng đã được hủy theo yêu cầu của bạn.",
    "Not collected in time: cancelled, the goods go back":
        "Không nhận hàng đúng hạn: đơn hàng đã bị hủy, hàng được trả lại",
    "We did not receive your bank transfer before the deadline, so the products were released. If you have "
    "already paid, please contact us with the transfer receipt and we will sort it out.":
        "Chúng tôi chưa nhận được tiền chuyển khoản của bạn trước hạn thanh toán, nên sản phẩm đã được mở bán "
        "trở lại. Nếu bạn đã chuyển khoản, vui lòng liên hệ với chúng tôi kèm biên lai để được hỗ trợ.",
    "The producer could not supply the products you ordered. We are sorry.":
        "Nhà sản xuất không thể cung cấp sản phẩm bạn đã đặt. Chúng tôi thành thật xin lỗi.",
    "The shop had to cancel it. Please contact us if you have any questions.":
        "Cửa hàng buộc phải hủy đơn hàng này. Vui lòng liên hệ với chúng tôi nếu bạn có thắc mắc.",
    "Refund": "Hoàn tiền",
    "We hope to welcome you back soon.": "Rất mong được phục vụ bạn trong lần tới.",
    # password_reset
    "Someone, hopefully you, asked to reset the password of your OCOP Quảng Ninh account. To choose a new "
    "password, open this link:":
        "Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản OCOP Quảng Ninh của bạn. Để chọn mật khẩu "
        "mới, hãy mở đường link sau:",
    "Choose a new password": "Chọn mật khẩu mới",
    "The link expires in %(minutes)s minutes.": "Đường link sẽ hết hạn sau %(minutes)s phút.",
    "If you did not ask for this, ignore this e-mail: your password stays as it is.":
        "Nếu bạn không yêu cầu việc này, hãy bỏ qua email này: mật khẩu của bạn vẫn giữ nguyên.",
    # order_ready and pickup_reminder ("Pickup code", "Phone" and "Sales point" as the shop's catalogue has them)
    "Order %(number)s is ready for pickup at %(point)s": "Đơn hàng %(number)s đã sẵn sàng để nhận tại %(point)s",
    "Reminder: order %(number)s waits for you at %(point)s until %(date)s":
        "Nhắc nhở: đơn hàng %(number)s đang chờ bạn tại %(point)s đến %(date)s",
    "Good news: your order %(number)s is ready for pickup at %(point)s.":
        "Tin vui: đơn hàng %(number)s của bạn đã sẵn sàng để nhận tại %(point)s.",
    "A reminder: your order %(number)s is still waiting for you at %(point)s.":
        "Nhắc nhở: đơn hàng %(number)s của bạn vẫn đang chờ bạn tại %(point)s.",
    "Pickup code": "Mã nhận hàng",
    "At the counter, show this pickup code. The staff will also check your name and the last digits of your "
    "phone number.":
        "Tại quầy, vui lòng xuất trình mã nhận hàng này. Nhân viên cũng sẽ kiểm tra tên của bạn và các chữ số "
        "cuối của số điện thoại.",
    "Your order is already paid: there is nothing to pay at pickup.":
        "Đơn hàng của bạn đã được thanh toán: bạn không cần trả thêm khi nhận hàng.",
    "Please collect it by %(time)s. After that, the order is cancelled and the products go back to their "
    "producers.":
        "Vui lòng nhận hàng trước %(time)s. Quá thời hạn này, đơn hàng sẽ bị hủy và sản phẩm được trả lại cho "
        "nhà sản xuất.",
    "Phone": "Điện thoại",
    # refund_due (to the office)
    "Refund due: the customer cancelled paid order %(number)s": "Cần hoàn tiền: khách đã hủy đơn hàng %(number)s đã thanh toán",
    "The customer cancelled order %(number)s after paying %(amount)s. Please return the money to them.":
        "Khách hàng đã hủy đơn hàng %(number)s sau khi đã thanh toán %(amount)s. Vui lòng hoàn lại tiền cho khách.",
    "Bank reference": "Mã giao dịch ngân hàng",
    "Open the office's payments": "Mở trang thanh toán của văn phòng",
    "E-mail": "Email",

    # order_unclaimed
    "Order %(number)s was not collected in time": "Đơn hàng %(number)s đã không được nhận đúng hạn",
    "Unclaimed order %(number)s at %(point)s": "Đơn hàng %(number)s không có người nhận tại %(point)s",
    "Your order %(number)s was not collected from %(point)s before the end of its hold period, so it has been "
    "cancelled and its products go back to their producers.":
        "Đơn hàng %(number)s của bạn không được nhận tại %(point)s trước khi hết thời hạn giữ hàng, nên đã bị hủy "
        "và sản phẩm được trả lại cho nhà sản xuất.",
    "The OCOP office will refund the %(amount)s you paid and will contact you about it.":
        "Văn phòng OCOP sẽ hoàn lại số tiền %(amount)s bạn đã thanh toán và sẽ liên hệ với bạn về việc này.",
    "If you think this is a mistake, please contact us.":
        "Nếu bạn cho rằng có nhầm lẫn, vui lòng liên hệ với chúng tôi.",
    "Order %(number)s was not collected from %(point)s before the end of its hold period. It has been cancelled "
    "and its products go back to their producers.":
        "Đơn hàng %(number)s không được nhận tại %(point)s trước khi hết thời hạn giữ hàng. Đơn hàng đã bị hủy và "
        "sản phẩm được trả lại cho nhà sản xuất.",
    "Sales point": "Điểm bán",
    "The customer paid %(amount)s in advance: please refund it and let them know.":
        "Khách hàng đã thanh toán trước %(amount)s: vui lòng hoàn tiền và báo cho khách hàng.",
    "Nothing was paid in advance: there is nothing to refund.":
        "Khách hàng chưa thanh toán trước: không có khoản nào cần hoàn tiền.",
    # part_unclaimed
    "Parcel #%(part)s was not collected: please take it back from %(point)s":
        "Kiện hàng #%(part)s không được khách nhận: vui lòng nhận lại tại %(point)s",
    "The customer did not collect order %(number)s in time, so it has been cancelled.":
        "Khách hàng không nhận đơn hàng %(number)s đúng hạn, nên đơn hàng đã bị hủy.",
    "Parcel #%(part)s of %(producer)s waits at the sales point below: please come and take it back. The staff "
    "will mark it as returned.":
        "Kiện hàng #%(part)s của %(producer)s đang chờ tại điểm bán dưới đây: vui lòng đến nhận lại. Nhân viên "
        "sẽ ghi nhận kiện hàng đã được trả lại.",
    # card payments: payment_refunded, and the cancellation of an unpaid card order
    "Refund for order %(number)s": "Hoàn tiền cho đơn hàng %(number)s",
    "We have refunded %(amount)s for your order %(number)s.":
        "Chúng tôi đã hoàn lại %(amount)s cho đơn hàng %(number)s của bạn.",
    "Your payment arrived after the order had been cancelled, so it is refunded in full.":
        "Khoản thanh toán của bạn đến sau khi đơn hàng đã bị hủy, nên được hoàn lại toàn bộ.",
    "Depending on your bank, the money takes 5 to 10 working days to appear on your statement.":
        "Tùy theo ngân hàng, khoản tiền sẽ hiện trong sao kê của bạn sau 5 đến 10 ngày làm việc.",
    "Your card payment was not completed, so the products were released. No money was taken from your card.":
        "Thanh toán bằng thẻ của bạn chưa hoàn tất, nên sản phẩm đã được mở bán trở lại. Thẻ của bạn không bị "
        "trừ tiền.",
    "The customer's card payment was not completed.": "Khách hàng chưa hoàn tất thanh toán bằng thẻ.",
}

ACCOUNT = vietqr.BankAccount(bin="970436", account_number="0011000123456",
                             account_name="TRUNG TAM XTTM OCOP QUANG NINH", bank_name="Vietcombank")


#: The invitation e-mail's strings (the producer workspace's are in test_part_actions.PART_VIETNAMESE).
INVITE_VIETNAMESE = {
    "You are invited to the OCOP Quảng Ninh shop": "Bạn được mời tham gia cửa hàng OCOP Quảng Ninh",
    "The OCOP Quảng Ninh office has opened an account for you on the OCOP Quảng Ninh shop, as: %(role)s.":
        "Văn phòng OCOP Quảng Ninh đã mở cho bạn một tài khoản trên cửa hàng OCOP Quảng Ninh, với vai trò: %(role)s.",
    "To choose your password and log in, open this link:": "Để chọn mật khẩu và đăng nhập, vui lòng mở liên kết sau:",
    "Choose my password": "Chọn mật khẩu",
    "The link expires in %(minutes)s minutes. If it has expired, use “Forgot your password?” on the login page "
    "with this e-mail address.": "Liên kết hết hạn sau %(minutes)s phút. Nếu liên kết đã hết hạn, hãy dùng "
    "“Quên mật khẩu?” trên trang đăng nhập với địa chỉ email này.",
    "If you did not expect this invitation, ignore this e-mail.":
        "Nếu bạn không mong đợi lời mời này, vui lòng bỏ qua email này.",
}


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
    # "name" is what enqueue_to_producer adds for each user of the producer.
    return {"order_number": "QN-2612-0006", "part_id": 21, "producer_name": "HTX Trà hoa vàng Ba Chẽ",
            "sales_point": _sales_point(), "name": "Vũ Thị Mai",
            "lines": [{"product_name": "Trà hoa vàng Ba Chẽ", "variant_label": "Hộp 100 g", "quantity": 1}],
            "part_url": "https://ocop-quangninh.example/producer/parts/21"}


PAYLOADS = {
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
    "payment_refunded": payment_refunded_payload,
    "refund_due": refund_due_payload,
}


def message(kind: str, payload: dict | None = None, language: str = "en", dedupe_key: str | None = None):
    """An outbox message as render() reads it, without a database row."""
    return SimpleNamespace(kind=kind, recipient="khach@example.vn", language=language,
                           payload=PAYLOADS[kind]() if payload is None else payload,
                           dedupe_key=dedupe_key or f"{kind}:test")


def use_catalog(app, monkeypatch, directory: str, language: str = "vi", translations: dict | None = None) -> None:
    """Let app translate with an extra catalog (by default VIETNAMESE) written into directory."""
    catalog = Catalog(locale=language)
    for msgid, msgstr in (VIETNAMESE if translations is None else translations).items():
        catalog.add(msgid, msgstr)
    os.makedirs(os.path.join(directory, language, "LC_MESSAGES"), exist_ok=True)
    with open(os.path.join(directory, language, "LC_MESSAGES", "messages.mo"), "wb") as file:
        write_mo(file, catalog)
    babel_config = get_babel(app)
    monkeypatch.setattr(babel_config, "translation_directories", [*babel_config.translation_directories, directory])
    # Loaded catalogs are cached per language for the whole process: start afresh, and restore afterwards.
    monkeypatch.setattr(babel_config.instance.domain_instance, "cache", {})


def parts(mail) -> dict[str, object]:
    """The text, the HTML and the images of an e-mail, by content type."""
    found: dict[str, object] = {}
    for part in mail.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), part)
    return found


@pytest.fixture(scope="module")
def mail_app():
    return create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.fixture
def ctx(mail_app):
    with mail_app.app_context():
        yield mail_app


@pytest.fixture
def vietnamese(ctx, monkeypatch, tmp_path):
    use_catalog(ctx, monkeypatch, str(tmp_path / "translations"))
    return ctx


def test_every_outbox_kind_has_a_subject_and_both_bodies():
    assert set(RENDERERS) == set(KINDS)
    for kind in KINDS:
        for suffix in ("txt", "html"):
            assert os.path.exists(os.path.join(ROOT, "templates", "notifications", f"{kind}.{suffix}"))


@pytest.mark.parametrize("kind", KINDS)
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


def test_transfer_order_states_bank_account_exact_amount_note_and_deadline_in_text(vietnamese):
    text = render(message("order_placed", language="vi")).get_body(("plain",)).get_content()

    assert "Ngân hàng: Vietcombank" in text
    assert "Số tài khoản: 0011000123456" in text
    assert "Chủ tài khoản: TRUNG TAM XTTM OCOP QUANG NINH" in text
    assert "Số tiền: 470.000\u00a0₫" in text
    assert "Nội dung chuyển khoản: QN-2612-0001 OCOP" in text
    # 03:00 UTC is 10:00 in Vietnam.
    assert "Vui lòng thanh toán trước 10:00, 28/12/2026 (GMT+7)." in text


def test_pickup_order_names_the_sales_point_with_its_opening_hours(vietnamese):
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
    assert "Delivery fee: 30.000\u00a0₫" in text
    assert "Please have 500.000\u00a0₫ ready in cash for the courier." in text
    assert "Pay by bank transfer" not in text
    assert all(p.get_content_type() != "image/png" for p in mail.walk())
    assert mail["Subject"] == "Thank you for your order QN-2612-0001"


def test_refund_due_tells_the_office_whom_to_pay_back_and_how_much(ctx):
    mail = render(message("refund_due"))
    text = mail.get_body(("plain",)).get_content()
    assert mail["Subject"] == "Refund due: the customer cancelled paid order QN-2612-0009"
    assert "after paying 255.000\u00a0₫" in text and "FT2612345" in text and "+84912345678" in text
    assert "https://ocop-quangninh.example/admin/transfers" in text


def test_payment_received_states_the_amount_and_method(ctx):
    mail = render(message("payment_received"))
    text = mail.get_body(("plain",)).get_content()

    assert mail["Subject"] == "Payment received for order QN-2612-0002"
    assert "Amount: 255.000\u00a0₫" in text and "Bank transfer by VietQR" in text
    assert "https://ocop-quangninh.example/orders/QN-2612-0002?t=x" in text


def test_payment_refunded_states_the_amount_and_says_why_a_late_payment_came_back(ctx):
    parts = render(message("payment_refunded")).get_body(("plain",)).get_content()
    late = render(message("payment_refunded", payment_refunded_payload("late_payment")))

    assert "We have refunded 125.000\u00a0₫ for your order QN-2612-0007." in parts
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


def test_subject_and_body_are_in_the_message_language(vietnamese):
    vi = render(message("order_placed", language="vi"))
    en = render(message("order_placed", language="en"))

    assert vi["Subject"] == "Đơn hàng QN-2612-0001: vui lòng chuyển khoản để thanh toán"
    assert en["Subject"] == "Order QN-2612-0001: please pay by bank transfer"
    assert vi["Content-Language"] == "vi" and en["Content-Language"] == "en"
    assert "Xin chào Nguyễn Thị Hoa," in vi.get_body(("plain",)).get_content()
    assert '<html lang="vi">' in vi.get_body(("html",)).get_content()
    assert "Hello Nguyễn Thị Hoa," in en.get_body(("plain",)).get_content()


def test_a_language_the_shop_does_not_offer_falls_back_to_vietnamese(vietnamese):
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


def test_an_unknown_kind_raises_a_render_error_naming_it(ctx):
    with pytest.raises(RenderError, match="'pickup_ready'"):
        render(SimpleNamespace(kind="pickup_ready", recipient="a@example.vn", language="vi", payload={},
                               dedupe_key="x"))


@pytest.mark.parametrize("kind, field", [(kind, field) for kind in KINDS for field in RENDERERS[kind].required])
def test_a_payload_missing_a_field_raises_a_render_error_naming_it(ctx, kind, field):
    payload = PAYLOADS[kind]()
    del payload[field]

    with pytest.raises(RenderError, match=field):
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
def test_a_payload_breaking_the_order_placed_contract_raises_a_render_error(ctx, breakage, match):
    payload = copy.deepcopy(order_placed_payload())
    breakage(payload)

    with pytest.raises(RenderError, match=match):
        render(message("order_placed", payload))


def test_an_unknown_cancellation_reason_raises_a_render_error(ctx):
    with pytest.raises(RenderError, match="weather"):
        render(message("order_cancelled", order_cancelled_payload("weather")))


@pytest.mark.parametrize("language", ["vi", "en", "zh", "ko"])
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_renders_in_every_shop_language(ctx, kind, language):
    mail = render(message(kind, language=language))

    assert mail["Subject"] and mail["Content-Language"] == language
    assert mail.get_body(("plain",)).get_content().strip()
    assert f'<html lang="{language}">' in mail.get_body(("html",)).get_content()


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
    assert "Please collect it by Dec 31, 2026, 5:30\u202fPM (GMT+7)." in text
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
        assert "Please pay 150.000\u00a0₫ in cash when you collect your order." in body.get_content()
        assert "already paid" not in body.get_content()
    for body in (paid.get_body(("plain",)), paid.get_body(("html",))):
        assert "150.000" not in body.get_content() and "in cash" not in body.get_content()
        assert "Your order is already paid: there is nothing to pay at pickup." in body.get_content()


def test_pickup_reminder_gives_the_deadline_in_its_subject_and_what_happens_after_it(ctx):
    mail = render(message("pickup_reminder"))
    text = mail.get_body(("plain",)).get_content()

    assert mail["Subject"] == ("Reminder: order QN-2612-0005 waits for you at Điểm bán OCOP Hạ Long "
                               "until Dec 31, 2026, 5:30\u202fPM (GMT+7)")
    assert "After that, the order is cancelled and the products go back to their producers." in text
    assert "Opening hours:" in text and "Mon – Fri: 08:00-17:30" in text


def test_ready_order_mail_in_vietnamese_writes_the_deadline_and_hours_the_vietnamese_way(vietnamese):
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
        assert "The OCOP office will refund the 255.000\u00a0₫ you paid" in body.get_content()
    for body in (office.get_body(("plain",)), office.get_body(("html",))):
        content = body.get_content()
        assert "Hoàng Văn Đức · 0912 345 678 · duc.hoang@example.vn" in content
        assert "HL01 · Điểm bán OCOP Hạ Long" in content
        assert "The customer paid 255.000\u00a0₫ in advance: please refund it" in content
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
def test_a_payload_breaking_a_pickup_contract_raises_a_render_error(ctx, kind, payload, match):
    with pytest.raises(RenderError, match=match):
        render(message(kind, payload))


def test_without_a_mail_server_e_mails_go_to_files_in_the_instance_outbox(mail_app):
    transport = transport_from_config(mail_app)

    assert isinstance(transport, FileTransport)
    assert transport.directory == os.path.join(mail_app.instance_path, "outbox")
    assert os.path.isdir(transport.directory)


def test_a_configured_mail_server_gets_an_smtp_transport_and_a_bad_security_setting_fails_fast():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://", "MAIL_SMTP_HOST": "smtp.example.vn",
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


def test_every_msgid_of_the_emails_has_its_vietnamese_here():
    templates = glob.glob(os.path.join(ROOT, "templates", "notifications", "*"))
    used = _msgids("python", os.path.join(ROOT, "shop", "notifications", "rendering.py"))
    # The cancellation sentences (the customer's and the producer's) live with their reasons.
    from shop.orders import reasons

    used |= {sentence._args[0] for sentence in [*reasons._SENTENCES.values(), *reasons._PRODUCER_SENTENCES.values()]}
    for path in templates:
        used |= _msgids("jinja2", path)
    # The e-mails name payment methods as the shop's pages do.
    from shop.payments.services import METHOD_LABELS

    used |= {label._args[0] for label in METHOD_LABELS.values()}

    from tests.integration.test_part_actions import PART_VIETNAMESE

    assert used == set(VIETNAMESE) | set(PART_VIETNAMESE) | set(INVITE_VIETNAMESE)


def test_every_msgid_of_the_plain_text_bodies_is_also_extracted_from_files_babel_cfg_reads():
    # babel.cfg extracts from shop/**.py and templates/**.html only; a msgid used solely in a .txt body
    # would be dropped as obsolete by the next `pybabel update`.
    extracted = _msgids("python", os.path.join(ROOT, "shop", "notifications", "rendering.py"))
    for path in glob.glob(os.path.join(ROOT, "templates", "notifications", "*.html")):
        extracted |= _msgids("jinja2", path)
    for path in glob.glob(os.path.join(ROOT, "templates", "notifications", "*.txt")):
        assert _msgids("jinja2", path) <= extracted, path
