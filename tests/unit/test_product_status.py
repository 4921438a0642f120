"""A product's review moves: only what PRODUCT_TRANSITIONS allows, with the dates and notes each move sets."""
from types import SimpleNamespace

import pytest

from shop.catalog.models import PRODUCT_TRANSITIONS, Product, ProductStatus as S
from shop.errors import InvalidTransition

ALLOWED = {
    (S.DRAFT, S.WAITING_REVIEW), (S.RETURNED, S.WAITING_REVIEW),
    (S.WAITING_REVIEW, S.PUBLISHED), (S.WAITING_REVIEW, S.RETURNED), (S.PUBLISHED, S.RETIRED),
}


def _product(status: S) -> Product:
    return Product(status=status, review_note="", submitted_at=None, published_at=None)


def test_every_status_has_a_row_in_the_table():
    assert set(PRODUCT_TRANSITIONS) == set(S)
    assert {(a, b) for a, targets in PRODUCT_TRANSITIONS.items() for b in targets} == ALLOWED


@pytest.mark.parametrize(("start", "target"), [(a, b) for a in S for b in S])
def test_a_product_moves_only_where_the_table_allows(start, target):
    product = _product(start)
    if (start, target) in ALLOWED:
        product.move_to(target)
        assert product.status == target
    else:
        with pytest.raises(InvalidTransition):
            product.move_to(target)
        assert product.status == start


def test_the_office_cannot_publish_a_draft_nobody_sent_nor_return_a_published_product():
    with pytest.raises(InvalidTransition):
        _product(S.DRAFT).publish()
    with pytest.raises(InvalidTransition):
        _product(S.PUBLISHED).return_to_producer("Ảnh mờ")


def test_a_returned_product_keeps_the_note_until_the_office_publishes_it():
    product = _product(S.WAITING_REVIEW)
    product.submitted_at = SimpleNamespace()  # any value: returning clears it
    product.return_to_producer("Cần ảnh giấy chứng nhận")
    assert (product.status, product.review_note, product.submitted_at) == (S.RETURNED, "Cần ảnh giấy chứng nhận", None)
    product.send_for_review()
    assert product.status == S.WAITING_REVIEW and product.submitted_at is not None
    assert product.review_note == "Cần ảnh giấy chứng nhận"
    product.publish()
    assert (product.status, product.review_note, product.submitted_at) == (S.PUBLISHED, "", None)
    assert product.published_at is not None
