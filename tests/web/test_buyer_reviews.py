"""Reviews from verified buyers: invited once the goods reached them, shown with the average, moderated by the
office, answered once by the producer; every refusal changes nothing."""
from __future__ import annotations

import io
import json
import re
from html import unescape

import pytest
from sqlalchemy import func, select

from shop.audit.models import AuditEntry
from shop.auth.models import Role
from shop.catalog.models import Product
from shop.catalog.reviews import Review, ReviewStatus
from shop.desk import handover
from shop.desk.receiving import receive_parcel
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.notifications.models import OutboxMessage
from shop.orders.codes import part_label_code
from tests.conftest import PASSWORD
from tests.web.helpers import csrf_token


@pytest.fixture
def shop(two_producers_and_two_points, make_user):
    state = two_producers_and_two_points
    state.office = make_user(email="office@example.vn", name="Văn Phòng", role=Role.ADMIN)
    state.buyer = make_user(email="lan@example.vn", name="Nguyễn Thị Lan")
    state.other = make_user(email="minh@example.vn", name="Trần Văn Minh")
    db.session.commit()
    return state


def collect(order, shop):
    """Take a pickup order from the producers to the customer's hands through the services each role uses."""
    users = {shop.a.id: shop.user_a, shop.b.id: shop.user_b}
    for part in list(order.parts):
        user = users[part.producer_id]
        producer.accept_part(part.id, user)
        producer.mark_packed(part.id, user)
        producer.mark_sent_to_point(part.id, user, "xe khách")
        receive_parcel(order.sales_point_id, part_label_code(part.id), shop.staff_p)
    db.session.expire_all()
    handover.hand_over(order.sales_point_id, order.pickup_code, shop.staff_p, identity_checked=True,
                       tendered_vnd=10**6)
    db.session.expire_all()
    return order


@pytest.fixture
def bought(shop, make_order):
    """Lan's collected order at P: 2 × noodles (A) and 1 × squid (B), opened by its token."""
    order = make_order((shop.noodles, 2), (shop.squid, 1), point=shop.p, language="en", email="lan@example.vn")
    return collect(order, shop)


def _line(order, variant):
    return next(line for line in order.lines if line.variant_id == variant.id)


def review_url(order):
    return f"/orders/{order.number}/reviews?t={order.access_token}"


def post_review(client, order, line, token=True, **fields):
    data = {"csrf_token": token_for(client), "rating": "5", "body": "", **fields}
    if token:
        data["t"] = order.access_token
    return client.post(f"/orders/{order.number}/reviews/{line.id}", data=data, content_type="multipart/form-data")


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def _product(variant) -> Product:
    db.session.expire_all()
    return db.session.get(Product, variant.product_id)


def _reviews() -> int:
    return db.session.scalar(select(func.count(Review.id)))


@pytest.fixture
def visitor(client):
    client.set_cookie("lang", "en")
    return client


def logged_in(app, login, email):
    client = app.test_client()
    client.set_cookie("lang", "en")
    assert login(client, email, PASSWORD).status_code == 302
    client.logged_in = True
    return client


def token_for(client) -> str:
    """A CSRF token of the client's session (the login page sends a logged-in user away)."""
    return csrf_token(client, "/sales-points" if getattr(client, "logged_in", False) else "/login")


# ---- invited, written, shown ------------------------------------------------------------------------

def test_a_collected_order_invites_its_buyer_once_with_a_link_to_rate_each_product(bought):
    invitations = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "review_invitation")).all()

    assert len(invitations) == 1
    payload = invitations[0].payload
    assert invitations[0].recipient == "lan@example.vn"
    assert payload["review_url"].endswith(f"/orders/{bought.number}/reviews?t={bought.access_token}")
    assert sorted(line["product_name"] for line in payload["lines"]) == ["Chả mực Hạ Long", "Miến dong Bình Liêu"]


def test_an_order_not_yet_collected_sends_no_invitation_and_refuses_a_review(shop, make_order, visitor):
    order = make_order((shop.noodles, 1), point=shop.p, language="en")
    line = order.lines[0]

    page = visitor.get(review_url(order)).get_data(as_text=True)
    response = post_review(visitor, order, line, rating="5", body="Ngon")

    assert "You can review this product once you have collected it" in _text(page)
    assert response.status_code == 403
    assert _reviews() == 0
    assert not db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.kind == "review_invitation"))


def test_a_delivered_parcel_invites_its_buyer(shop, make_order):
    order = make_order((shop.squid, 1), delivery=True, language="en")
    part = order.parts[0]
    producer.accept_part(part.id, shop.user_b)
    producer.mark_packed(part.id, shop.user_b)
    producer.mark_shipped(part.id, shop.user_b, "VNPost", "EB123")
    producer.mark_delivered(part.id, shop.user_b, cod_received_vnd=order.total_vnd)

    kinds = db.session.scalars(select(OutboxMessage.dedupe_key).where(OutboxMessage.kind == "review_invitation")).all()
    assert kinds == [f"review_invitation:{order.number}:{part.id}"]


def test_a_buyers_review_shows_on_the_product_page_with_the_average_and_in_structured_data(shop, bought, visitor):
    response = post_review(visitor, bought, _line(bought, shop.noodles), rating="4",
                           body="Sợi miến dai, nấu lẩu rất ngon.")
    assert response.status_code == 302

    slug = shop.noodles.product.slug
    html = visitor.get(f"/products/{slug}").get_data(as_text=True)
    page = _text(html)
    assert "Reviews from buyers" in page
    assert "4.0 ★ out of 5 · 1 review" in page
    assert "Lan N." in page and "Nguyễn Thị Lan" not in page
    assert "Sợi miến dai, nấu lẩu rất ngon." in page and "Verified buyer" in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["aggregateRating"] == {"@type": "AggregateRating", "ratingValue": 4.0, "reviewCount": 1,
                                       "bestRating": 5, "worstRating": 1}
    vietnamese = _text(visitor.get(f"/products/{slug}?lang=vi").get_data(as_text=True))
    assert "4,0 ★" in vietnamese and "1 đánh giá" in vietnamese
    listing = _text(visitor.get("/products?lang=en").get_data(as_text=True))
    assert "4.0 ★ out of 5 · 1 review" in listing


# ---- bad input, twice, someone else's: a clear message and nothing changed ----------------------------

def _fake_jpeg() -> tuple[io.BytesIO, str]:
    return io.BytesIO(b"<?php echo 'not a picture'; ?>"), "photo.jpg"


@pytest.mark.parametrize("fields, message", [
    ({"rating": "0"}, "Please choose a rating from 1 to 5 stars."),
    ({"rating": "6"}, "Please choose a rating from 1 to 5 stars."),
    ({"rating": "abc"}, "Please choose a rating from 1 to 5 stars."),
    ({"rating": "4", "body": "ngon " * 401}, "Please keep it to 2000 characters or fewer."),
    ({"rating": "4", "photo": "not a picture"}, "Please upload a photo in JPEG, PNG or WebP format."),
])
def test_bad_input_is_refused_with_a_clear_message_and_changes_nothing(shop, bought, visitor, fields, message):
    if "photo" in fields:
        fields = {**fields, "photo": _fake_jpeg()}
    response = post_review(visitor, bought, _line(bought, shop.noodles), **fields)

    assert response.status_code == 400
    assert message in _text(response.get_data(as_text=True))
    assert _reviews() == 0 and _product(shop.noodles).rating_count == 0


def test_a_second_review_of_the_same_line_is_refused_but_the_author_may_edit_it(shop, bought, visitor):
    line = _line(bought, shop.noodles)
    post_review(visitor, bought, line, rating="2", body="Hơi nhạt")

    again = post_review(visitor, bought, line, rating="5", body="Tuyệt vời")
    assert again.status_code == 400
    assert "You have already reviewed this product from this order" in _text(again.get_data(as_text=True))
    assert _reviews() == 1 and _product(shop.noodles).rating_sum == 2

    review = db.session.scalar(select(Review))
    edited = post_review(visitor, bought, line, rating="5", body="Lần hai nấu thì ngon", review_id=str(review.id))
    assert edited.status_code == 302
    product = _product(shop.noodles)
    assert (product.rating_sum, product.rating_count) == (5, 1)
    assert "Lần hai nấu thì ngon" in _text(visitor.get(f"/products/{product.slug}").get_data(as_text=True))


def test_a_line_of_another_order_or_a_wrong_token_is_not_found_and_changes_nothing(shop, bought, make_order,
                                                                                   visitor):
    other = collect(make_order((shop.squid, 1), point=shop.p, email="minh@example.vn"), shop)

    # Lan's token, Minh's line; then Minh's order with Lan's token.
    foreign = post_review(visitor, bought, other.lines[0])
    wrong_token = visitor.get(f"/orders/{other.number}/reviews?t={bought.access_token}")

    assert foreign.status_code == 404 and wrong_token.status_code == 404
    assert _reviews() == 0


def test_an_anonymous_visitor_without_the_token_is_asked_to_log_in(bought, visitor):
    response = visitor.get(f"/orders/{bought.number}/reviews")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_an_account_holder_reviews_from_the_invitation_after_logging_in(shop, app, login, make_order):
    order = make_order((shop.noodles, 1), point=shop.p, language="en", email="lan@example.vn")
    order.user_id = shop.buyer.id
    db.session.commit()
    collect(order, shop)
    link = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "review_invitation")).payload
    path = link["review_url"].split("://", 1)[1].partition("/")[2]
    assert path == f"orders/{order.number}/reviews"

    stranger = logged_in(app, login, "minh@example.vn")
    assert stranger.get(f"/{path}").status_code == 404
    buyer = logged_in(app, login, "lan@example.vn")
    page = buyer.get(f"/orders/{order.number}")
    assert "Rate your products" in _text(page.get_data(as_text=True))
    response = post_review(buyer, order, order.lines[0], token=False, rating="5", body="Rất ngon")
    assert response.status_code == 302
    assert db.session.scalar(select(Review)).user_id == shop.buyer.id


# ---- the office moderates, the producer answers once -------------------------------------------------

def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_review_with_a_photo_waits_for_the_office_which_publishes_or_hides_it_with_a_reason(
        shop, bought, visitor, app, login):
    line = _line(bought, shop.squid)
    response = post_review(visitor, bought, line, rating="3", body="Chả hơi mặn", photo=(io.BytesIO(_png()), "cha.png"))
    assert response.status_code == 302
    review = db.session.scalar(select(Review))
    assert review.status == ReviewStatus.PENDING and review.photo_stem
    slug = shop.squid.product.slug
    assert "Chả hơi mặn" not in visitor.get(f"/products/{slug}").get_data(as_text=True)

    office = logged_in(app, login, "office@example.vn")
    listing = _text(office.get("/admin/reviews").get_data(as_text=True))
    assert "Chả hơi mặn" in listing and "Waiting for the OCOP office" in listing
    token = csrf_token(office, "/admin/reviews")
    refused = office.post(f"/admin/reviews/{review.id}/hide", data={"csrf_token": token, "reason": " "})
    assert "Please say why the review is hidden." in _text(office.get(refused.headers["Location"]).get_data(as_text=True))
    assert db.session.scalar(select(Review.status)) == ReviewStatus.PENDING

    office.post(f"/admin/reviews/{review.id}/publish", data={"csrf_token": token})
    assert _product(shop.squid).rating_count == 1
    assert "Chả hơi mặn" in visitor.get(f"/products/{slug}").get_data(as_text=True)

    office.post(f"/admin/reviews/{review.id}/hide", data={"csrf_token": token, "reason": "Quảng cáo"})
    product = _product(shop.squid)
    assert (product.rating_sum, product.rating_count) == (0, 0)
    assert "Chả hơi mặn" not in visitor.get(f"/products/{slug}").get_data(as_text=True)
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["review.published", "review.hidden"]
    assert db.session.scalar(select(AuditEntry.note).where(AuditEntry.action == "review.hidden")) == "Quảng cáo"


def test_a_review_with_a_link_waits_for_the_office(shop, bought, visitor):
    post_review(visitor, bought, _line(bought, shop.noodles), rating="5", body="Mua rẻ hơn tại www.example.com")
    assert db.session.scalar(select(Review.status)) == ReviewStatus.PENDING
    assert _product(shop.noodles).rating_count == 0


def test_the_producer_answers_its_own_review_once_and_another_producer_cannot(shop, bought, visitor, app, login):
    post_review(visitor, bought, _line(bought, shop.noodles), rating="4", body="Ngon")
    review = db.session.scalar(select(Review))

    b = logged_in(app, login, "binh@manhhai.vn")
    assert "Ngon" not in b.get("/producer/reviews").get_data(as_text=True)
    refused = b.post(f"/producer/reviews/{review.id}/answer",
                     data={"csrf_token": token_for(b), "answer": "Cảm ơn"})
    assert refused.status_code == 404

    a = logged_in(app, login, "an@htx.vn")
    token = token_for(a)
    a.post(f"/producer/reviews/{review.id}/answer", data={"csrf_token": token, "answer": "Cảm ơn chị Lan!"})
    second = a.post(f"/producer/reviews/{review.id}/answer", data={"csrf_token": token, "answer": "Sửa lại"})
    page = _text(a.get(second.headers["Location"]).get_data(as_text=True))
    assert "This review already has your answer. Only the OCOP office can change it." in page
    db.session.expire_all()
    assert db.session.get(Review, review.id).answer == "Cảm ơn chị Lan!"
    product_page = _text(visitor.get(f"/products/{shop.noodles.product.slug}").get_data(as_text=True))
    assert "Answer from HTX Miến dong Bình Liêu" in product_page and "Cảm ơn chị Lan!" in product_page

    office = logged_in(app, login, "office@example.vn")
    office.post(f"/admin/reviews/{review.id}/answer",
                data={"csrf_token": csrf_token(office, "/admin/reviews"), "answer": "Cảm ơn chị!"})
    db.session.expire_all()
    assert db.session.get(Review, review.id).answer == "Cảm ơn chị!"
    assert db.session.scalar(select(AuditEntry.action)) == "review.answer.changed"


# ---- who may open what ---------------------------------------------------------------------------------

@pytest.fixture
def one_review(shop, bought, visitor):
    post_review(visitor, bought, _line(bought, shop.noodles), rating="4", body="Ngon")
    return db.session.scalar(select(Review))


_OFFICE_POSTS = [("/admin/reviews/{id}/publish", {}), ("/admin/reviews/{id}/hide", {"reason": "x"}),
                 ("/admin/reviews/{id}/answer", {"answer": "x"})]


@pytest.mark.parametrize("who, expected", [(None, 302), ("lan@example.vn", 403), ("minh@example.vn", 403),
                                           ("an@htx.vn", 403), ("binh@manhhai.vn", 403), ("thu@diem-hl07.vn", 403),
                                           ("office@example.vn", 200)])
def test_only_the_office_opens_and_acts_on_admin_reviews(app, login, one_review, who, expected):
    client = logged_in(app, login, who) if who else app.test_client()
    token = token_for(client)
    assert client.get("/admin/reviews").status_code == expected
    if expected != 200:
        # The review is hidden first, so that a refused publish would show as a change too.
        for url, data in _OFFICE_POSTS:
            response = client.post(url.format(id=one_review.id), data={"csrf_token": token, **data})
            assert response.status_code == expected
        db.session.expire_all()
        review = db.session.get(Review, one_review.id)
        assert (review.status, review.answer) == (ReviewStatus.PUBLISHED, "")
        assert not db.session.scalar(select(AuditEntry.id))


@pytest.mark.parametrize("who, expected", [(None, 302), ("lan@example.vn", 403), ("thu@diem-hl07.vn", 403),
                                           ("office@example.vn", 403), ("binh@manhhai.vn", 404),
                                           ("an@htx.vn", 302)])
def test_only_the_products_producer_answers(app, login, one_review, who, expected):
    client = logged_in(app, login, who) if who else app.test_client()
    page = client.get("/producer/reviews").status_code
    response = client.post(f"/producer/reviews/{one_review.id}/answer",
                           data={"csrf_token": token_for(client), "answer": "Cảm ơn"})

    assert page == (200 if who in ("an@htx.vn", "binh@manhhai.vn") else expected)
    assert response.status_code == expected
    db.session.expire_all()
    assert db.session.get(Review, one_review.id).answer == ("Cảm ơn" if who == "an@htx.vn" else "")


def test_an_unknown_review_is_not_found(app, login, shop):
    office = logged_in(app, login, "office@example.vn")
    response = office.post("/admin/reviews/999999/publish", data={"csrf_token": token_for(office)})
    assert response.status_code == 404


def test_the_product_page_reads_its_reviews_in_one_query_however_many(client, count_queries, make_product, make_order,
                                                                       put_stock):
    from shop.catalog.reviews import count_rating

    product = make_product(prices=(10_000, 20_000, 30_000, 40_000, 50_000))
    for variant in product.variants:
        put_stock(variant, product.producer, 5)
    db.session.commit()
    order = make_order(*[(variant, 1) for variant in product.variants])

    def review(line):
        db.session.add(Review(product_id=product.id, order_line_id=line.id, author_name="Lan N.", rating=5,
                              body="Ngon", status=ReviewStatus.PUBLISHED, answer="Cảm ơn"))
        count_rating(product.id, 5, 1)
        db.session.commit()

    def count():
        db.session.expire_all()
        with count_queries() as queries:
            assert client.get(f"/products/{product.slug}?lang=en").status_code == 200
        return len([q for q in queries if not q.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"))])

    review(order.lines[0])
    one = count()
    for line in order.lines[1:]:
        review(line)
    assert count() == one
    assert "5.0 ★ out of 5 · 5 reviews" in _text(client.get(f"/products/{product.slug}?lang=en").get_data(as_text=True))


# ---- personal data ---------------------------------------------------------------------------------------

def test_a_review_is_in_the_buyers_data_and_erasing_the_order_keeps_the_rating_but_not_the_name(shop, bought,
                                                                                                visitor):
    from shop.privacy import erasure, export

    post_review(visitor, bought, _line(bought, shop.noodles), rating="4", body="Ngon")
    db.session.expire_all()
    order = db.session.get(type(bought), bought.id)
    assert [(r["author_name"], r["rating"], r["body"]) for r in export.order_data(order)["reviews"]] == [
        ("Lan N.", 4, "Ngon")]

    erasure.erase_guest_order(order.number, order.id)

    page = _text(visitor.get(f"/products/{shop.noodles.product.slug}?lang=en").get_data(as_text=True))
    assert "Lan N." not in page and "A buyer" in page and "4.0 ★ out of 5 · 1 review" in page


def test_a_new_review_shows_on_the_next_anonymous_visit_even_from_the_page_cache(app, shop, bought, visitor):
    from shop import page_cache

    app.config["PAGE_CACHE_SECONDS"] = 30
    page_cache.clear()
    try:
        reader = app.test_client()
        url = f"/products/{shop.noodles.product.slug}?lang=en"
        assert "No reviews yet" in _text(reader.get(url).get_data(as_text=True))

        post_review(visitor, bought, _line(bought, shop.noodles), rating="5", body="Ngon lắm")

        assert "Ngon lắm" in _text(reader.get(url).get_data(as_text=True))
    finally:
        app.config["PAGE_CACHE_SECONDS"] = 0
        page_cache.clear()
