"""/orders/<number>/reviews: the buyer rates each product of an order once it reached them, and may edit it.

Opened like the order page: with the order's token, or by its owner logged in. A line whose part was not
collected or delivered yet is refused (403); a line or review of another order is not found (404).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.catalog.media import MediaError
from shop.catalog.reviews import REVIEW_MAX_CHARS
from shop.extensions import login_manager
from shop.i18n import current_language
from shop.orders import services as orders
from shop.orders.models import Order
from shop.reviews import services
from shop.reviews.services import NotReceivedYet, ReviewError, ReviewNotFound

bp = Blueprint("reviews", __name__)

_PRIVATE = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"}


def _token() -> str:
    return request.args.get("t") or request.form.get("t") or ""


def _order(number: str) -> Order:
    """The order if the visitor holds its token or owns it; a visitor with neither logs in first."""
    token = _token()
    if not token and not current_user.is_authenticated:
        abort(login_manager.unauthorized())
    order = orders.order_for_visitor(number, token, current_user)
    if order is None:
        abort(404)
    return order


def _page(order: Order, errors=None, typed=None, status: int = 200):
    rows = services.order_review_rows(order)
    body = render_template("reviews/order.html", order=order, rows=rows, token=_token(), errors=errors or {},
                           typed=typed or {}, max_chars=REVIEW_MAX_CHARS)
    return body, status, _PRIVATE


@bp.get("/orders/<number>/reviews")
def order(number: str):
    return _page(_order(number))


def _photo() -> bytes | None:
    upload = request.files.get("photo")
    if upload is None or not upload.filename:
        return None
    return upload.read()


@bp.post("/orders/<number>/reviews/<int:line_id>")
def save(number: str, line_id: int):
    found = _order(number)
    form = request.form
    review_id = form.get("review_id", type=int)
    try:
        if review_id:
            services.edit_review(found.id, review_id, rating=form.get("rating"), body=form.get("body", ""),
                                 photo=_photo(), remove_photo=form.get("remove_photo") == "1")
            flash(_("Your review is saved."), "success")
        else:
            review = services.write_review(found.id, line_id, rating=form.get("rating"), body=form.get("body", ""),
                                           photo=_photo(), language=current_language(),
                                           author_name=current_user.name if current_user.is_authenticated
                                           and current_user.id == found.user_id else found.contact_name)
            flash(_("Thank you! Your review is on the product page.") if review.is_published else
                  _("Thank you! Your review has a photo or a link, so the OCOP office looks at it before it is shown."),
                  "success")
    except ReviewNotFound:
        abort(404)
    except NotReceivedYet:
        abort(403)
    except (ReviewError, MediaError) as error:
        return _page(found, errors={line_id: str(error)},
                     typed={line_id: {"rating": form.get("rating", ""), "body": form.get("body", "")}}, status=400)
    return redirect(url_for("reviews.order", number=number, t=_token() or None, _anchor=f"line-{line_id}"))
