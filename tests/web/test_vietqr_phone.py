"""Paying by VietQR from the phone that shows the code: a picture to save, values to copy, a page that updates."""
import io

import pytest
from PIL import Image

from shop.auth.models import Role
from shop.extensions import db
from shop.orders.payment import PaymentMethod
from shop.payments.transfers import record_transfer


@pytest.fixture
def transfer_order(make_order):
    order = make_order(payment=PaymentMethod.VIETQR_TRANSFER, quantity=3)  # 3 × 100.000 ₫
    return {"id": order.id, "number": order.number, "token": order.access_token, "total": order.total_vnd}


def _page(client, order):
    return client.get(f"/orders/{order['number']}?t={order['token']}&lang=en").get_data(as_text=True)


def test_the_order_page_offers_the_qr_as_a_picture_and_each_value_to_copy(client, transfer_order, app):
    html = _page(client, transfer_order)

    number, token = transfer_order["number"], transfer_order["token"]
    assert f'href="/orders/{number}/vietqr.png?t={token}"' in html
    assert f'download="vietqr-{number}.png"' in html
    assert "Save QR image" in html
    assert f'data-copy="{app.config["VIETQR_ACCOUNT_NUMBER"]}"' in html
    assert f'data-copy="{transfer_order["total"]}"' in html  # digits only, as a banking app wants them
    assert f'data-copy="{number} OCOP"' in html
    assert f'<code class="nowrap">{app.config["VIETQR_ACCOUNT_NUMBER"]}</code>' in html


def test_the_saved_picture_is_a_png_of_the_code_with_room_for_its_text(client, transfer_order):
    response = client.get(f"/orders/{transfer_order['number']}/vietqr.png?t={transfer_order['token']}")

    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "no-store" in response.headers["Cache-Control"]
    picture = Image.open(io.BytesIO(response.data))
    assert picture.format == "PNG"
    assert picture.height > picture.width  # the code, and three lines of text under it
    assert picture.width >= 250


def test_the_picture_needs_the_orders_token(client, transfer_order):
    assert client.get(f"/orders/{transfer_order['number']}/vietqr.png").status_code == 404
    assert client.get(f"/orders/{transfer_order['number']}/vietqr.png?t=wrong").status_code == 404
    assert client.get(f"/orders/{transfer_order['number']}/status?t=wrong").status_code == 404


def test_once_the_transfer_is_recorded_there_is_no_picture_and_the_status_has_moved(client, transfer_order, make_user):
    url = f"/orders/{transfer_order['number']}/status?t={transfer_order['token']}"
    assert client.get(url).get_json() == {"status": "pending_payment"}

    office = make_user(email="office@example.vn", role=Role.ADMIN)
    record_transfer(transfer_order["id"], transfer_order["total"], "FT2612345", office)
    db.session.remove()

    assert client.get(url).get_json()["status"] != "pending_payment"
    assert client.get(f"/orders/{transfer_order['number']}/vietqr.png?t={transfer_order['token']}").status_code == 404
    assert "Save QR image" not in _page(client, transfer_order)


def test_orders_not_paid_by_transfer_have_no_picture(client, make_order):
    order = make_order()  # cash at pickup
    assert client.get(f"/orders/{order.number}/vietqr.png?t={order.access_token}").status_code == 404
