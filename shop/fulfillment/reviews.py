"""/producer/reviews: buyers' reviews of this producer's products, each answered once; another's is not found."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.auth.access import producer_required
from shop.catalog.reviews import ANSWER_MAX_CHARS
from shop.fulfillment.blueprint import bp
from shop.reviews import services
from shop.reviews.services import ReviewError, ReviewNotFound


@bp.get("/reviews")
@producer_required
def reviews():
    return render_template("producer/reviews.html", reviews=services.producer_reviews(current_user.producer_id),
                           answer_max=ANSWER_MAX_CHARS)


@bp.post("/reviews/<int:review_id>/answer")
@producer_required
def answer_review(review_id: int):
    try:
        services.answer(review_id, current_user, request.form.get("answer", ""))
    except ReviewNotFound:
        abort(404)
    except ReviewError as error:
        flash(str(error), "error")
    else:
        flash(_("Your answer is published under the review."), "success")
    return redirect(url_for("producer.reviews") + f"#review-{review_id}")
