"""Sales-point staff at the desk on a tablet: receive two producers' parcels, hand the order over for cash."""
from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from shop.extensions import db
from shop.money import format_vnd
from shop.static_files import wrap_with_whitenoise
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, check_page, screenshot
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
STAFF_EMAIL = "thu.le@diemban-halong.example"


@pytest.fixture
def desk_shop(app, make_producer, make_product, make_sales_point, put_stock, make_user, make_order, producer_user):
    """Point P with one cash order whose two producers' parcels are on their way, and one to take off P's shelf.

    Served live from the test's own database, so the factories' rows are what the browser sees.
    """
    from shop.auth.models import Role
    from shop.fulfillment.services import accept_part, mark_packed, mark_sent_to_point
    from shop.orders.models import Route

    point = make_sales_point(name="Trung tâm OCOP Hạ Long")
    make_sales_point()  # another point: none of its work may show at P's desk
    mien = make_producer(name="HTX Miến dong Bình Liêu")
    tra = make_producer(name="Công ty TNHH Trà hoa vàng Ba Chẽ")
    noodles = make_product(name="Miến dong Bình Liêu", producer=mien, prices=(60_000,))
    tea = make_product(name="Trà hoa vàng Ba Chẽ", producer=tra, prices=(90_000,))
    squid = make_product(name="Chả mực Hạ Long", producer=tra, prices=(250_000,))
    put_stock(noodles.variants[0], mien, 10)
    put_stock(tea.variants[0], tra, 10)
    put_stock(squid.variants[0], point, 6)

    order = make_order((noodles.variants[0], 1), (tea.variants[0], 1), point=point)
    shelf_order = make_order((squid.variants[0], 1), point=point, email="khach2@example.vn")
    assert [p.route for p in shelf_order.parts] == [Route.POINT_STOCK]
    makers = {mien.id: producer_user(mien), tra.id: producer_user(tra)}
    db.session.commit()
    parts = {}
    for part in order.parts:
        assert part.route == Route.VIA_POINT
        user = makers[part.producer_id]
        accept_part(part.id, user)
        mark_packed(part.id, user)
        mark_sent_to_point(part.id, user, "1 thùng, gửi xe khách Bình Liêu – Hạ Long")
        parts[part.producer_name] = part.id
    make_user(email=STAFF_EMAIL, role=Role.STAFF, sales_point_id=point.id, name="Lê Thị Thu")
    db.session.commit()
    data = {"number": order.number, "code": order.pickup_code, "due": order.total_vnd, "parts": parts,
            "shelf_number": shelf_order.number, "shelf_sku": squid.variants[0].sku,
            "shelf_variant": squid.variants[0].id}
    db.session.remove()

    # The test's app, behind WhiteNoise as in production; app.wsgi_app itself is left alone for other tests.
    server = make_server("127.0.0.1", 0, wrap_with_whitenoise(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", **data}
    server.shutdown()


def _both_sizes(page, name: str) -> None:
    """Check and photograph the page at tablet size, then at phone size, and go back to the tablet."""
    check_page(page)
    screenshot(page, f"desk-{name}-tablet")
    page.set_viewport_size(PHONE)
    check_page(page)
    screenshot(page, f"desk-{name}-phone")
    page.set_viewport_size(TABLET)


def _pdf_page_sizes(pdf: bytes) -> set[tuple[int, int]]:
    """The sizes of a PDF's pages in points, rounded."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return {(round(float(width)), round(float(height))) for width, height in boxes}


def _enter(page, selector: str) -> None:
    """Press Enter in a field, as a wedge scanner does, and wait for the answer page."""
    with page.expect_navigation():
        page.press(selector, "Enter")


def _flash(page) -> str:
    return page.locator("p.notice[role=status]").inner_text()


def _focused_on_code(page) -> None:
    """The code field has the focus, so the scanner's next label lands there (autofocus acts once the page
    has rendered, a moment after the URL changed)."""
    page.wait_for_function("document.activeElement && document.activeElement.id === 'code'", timeout=5000)


def test_staff_receive_two_parcels_and_hand_the_order_over_for_cash_on_a_tablet(app, page_at, desk_shop):
    from shop.labels import order_status_label

    base, number, code = desk_shop["url"], desk_shop["number"], desk_shop["code"]
    (first_maker, first_id), (second_maker, second_id) = desk_shop["parts"].items()
    due, tendered = desk_shop["due"], desk_shop["due"] + 50_000
    with app.test_request_context(headers={"Accept-Language": "vi"}):
        completed = order_status_label("completed")
    page = page_at(TABLET)  # Vietnamese, as staff's tablets are

    page.goto(f"{base}/desk/")
    page.wait_for_url("**/login?**")
    page.fill("input[name=email]", STAFF_EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{base}/desk/")
    assert page.get_attribute(".desk-nav a[aria-current=page]", "href") == "/desk/"
    assert page.locator("#on-the-way article").count() == 2
    assert page.locator("#to-prepare article", has_text=desk_shop["shelf_number"]).count() == 1
    assert desk_shop["shelf_sku"] in page.locator("#to-prepare").inner_text()
    _both_sizes(page, "dashboard")

    # A keyboard-wedge scanner types the label's text and presses Enter.
    page.goto(f"{base}/desk/receive")
    _focused_on_code(page)
    _both_sizes(page, "receive")
    page.fill("#code", f"OCOP-PART:{first_id}")
    _enter(page, "#code")
    assert page.url == f"{base}/desk/receive"
    flash = _flash(page)
    assert number in flash and second_maker in flash  # received, and still missing the other producer's parcel
    _focused_on_code(page)  # ready for the next parcel
    assert page.locator("#waiting article", has_text=number).count() == 1

    page.fill("#code", f"ocop-part:{second_id}")
    _enter(page, "#code")
    assert page.url == f"{base}/desk/receive"
    flash = _flash(page)
    assert number in flash and first_maker not in flash and second_maker not in flash  # nothing missing: ready
    assert page.locator("#waiting article", has_text=number).count() == 0
    assert page.locator("#on-the-way article").count() == 0

    page.goto(f"{base}/desk/")
    ready = page.locator("#ready article", has_text=number)
    assert ready.count() == 1
    assert format_vnd(due) in ready.inner_text()

    # A code of no order here: the same answer as for any other unknown code.
    page.goto(f"{base}/desk/pickup")
    page.fill("#code", "2345 6789")
    _enter(page, "#code")
    assert page.locator("[role=alert]").is_visible()
    assert page.input_value("#code") == "2345 6789"
    check_page(page)

    # The customer reads the code out: lower case, with a space in the middle.
    page.fill("#code", f"{code[:4].lower()} {code[4:].lower()}")
    _enter(page, "#code")
    assert page.locator("h1").inner_text().strip() == "Nguyễn Thị Lan"
    assert page.locator(".desk-phone").inner_text().strip().endswith("•••• ••• 678")
    assert code not in page.locator("body").inner_text()  # the code is the customer's to show, never the desk's
    assert format_vnd(due) in page.locator(".desk-due").inner_text()
    _both_sizes(page, "handover")

    page.fill("#tendered", str(tendered))
    assert format_vnd(50_000) in page.locator("#change").inner_text()  # worked out as it is typed
    page.check("input[name=identity]")
    page.locator(".desk-handover-form button[type=submit]").click()
    page.wait_for_url(f"{base}/desk/orders/{number}")
    flash = _flash(page)
    assert number in flash and format_vnd(tendered) in flash and format_vnd(50_000) in flash
    assert page.locator(".desk-status .badge").inner_text().strip() == completed
    assert code not in page.locator("body").inner_text()
    check_page(page)
    screenshot(page, "desk-order-tablet")

    page.goto(f"{base}/desk/cash")
    row = page.locator(".desk-cash-table tbody tr", has_text=number)
    assert row.count() == 1
    assert format_vnd(due) in row.inner_text() and format_vnd(50_000) in row.inner_text()
    assert format_vnd(due) in page.locator(".desk-cash-totals").inner_text()
    _both_sizes(page, "cash")
    page.emulate_media(media="print")
    assert not page.locator(".desk-nav").is_visible()
    assert not page.locator(".desk-cash-form").is_visible()
    assert page.locator(".desk-signatures").is_visible()
    screenshot(page, "desk-cash-print")
    assert _pdf_page_sizes(page.pdf(prefer_css_page_size=True)) == {(595, 842)}  # A4, not the labels' A6
    page.emulate_media(media="screen")

    # Goods of the point's own stock: one unit broken, taken out; the unit set aside for the order stays.
    variant = desk_shop["shelf_variant"]
    page.goto(f"{base}/desk/stock")
    row = page.locator(f"#v{variant}")
    row.locator("select[name=mode]").select_option("damaged")
    row.locator("input[name=quantity]").fill("1")
    row.locator("input[name=note]").fill("Vỡ hộp khi xếp kệ")
    row.locator("button[type=submit]").click()
    page.wait_for_url(f"**/desk/stock#v{variant}")
    assert desk_shop["shelf_sku"] in _flash(page)
    assert page.locator(f"#v{variant} .stock-figures dd").all_inner_texts()[:2] == ["5", "1"]
    assert "Vỡ hộp khi xếp kệ" in page.locator(".desk-table").inner_text()
    _both_sizes(page, "stock")


def _qr_video(text: str, path) -> str:
    """A Y4M clip of a parcel label's QR code on white, for Chromium's fake camera."""
    import segno

    width, height = 640, 480
    rows = [list(row) for row in segno.make_qr(text, error="m").matrix_iter(scale=1, border=4)]
    scale = (height - 40) // len(rows)
    left, top = (width - len(rows) * scale) // 2, (height - len(rows) * scale) // 2
    luma = bytearray(b"\xff" * (width * height))
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            if dark:
                for dy in range(scale):
                    start = (top + y * scale + dy) * width + left + x * scale
                    luma[start:start + scale] = b"\x00" * scale
    chroma = b"\x80" * (width * height // 2)
    with open(path, "wb") as clip:
        clip.write(f"YUV4MPEG2 W{width} H{height} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            clip.write(b"FRAME\n" + bytes(luma) + chroma)
    return str(path)


def test_staff_receive_a_parcel_by_showing_its_label_to_the_camera(browser, desk_shop, tmp_path):
    base, number = desk_shop["url"], desk_shop["number"]
    (maker, part_id), (other_maker, _other) = desk_shop["parts"].items()
    clip = _qr_video(f"OCOP-PART:{part_id}", tmp_path / "label.y4m")
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=CHROMIUM_FLAGS + ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                               f"--use-file-for-fake-video-capture={clip}"])
    try:
        context = camera_browser.new_context(viewport=TABLET, locale="vi-VN")
        context.grant_permissions(["camera"], origin=base)
        page = context.new_page()
        page.goto(f"{base}/login?next=/desk/receive")
        page.fill("input[name=email]", STAFF_EMAIL)
        page.fill("input[name=password]", PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(f"{base}/desk/receive")

        scan = page.locator("[data-scan-target=code]")
        assert scan.is_visible()  # this browser can ask for a camera
        scan.click()
        assert page.locator("#scan-dialog").is_visible()
        # Decoded, filled in and sent: the desk answers as for a typed code.
        flash = page.locator("p.notice[role=status]", has_text=number)
        flash.wait_for()
        assert other_maker in flash.inner_text()
        assert page.locator("#on-the-way article").count() == 1
    finally:
        camera_browser.close()
