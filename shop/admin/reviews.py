"""/admin/reviews: the office publishes or hides buyers' reviews (with a reason) and may correct an answer."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.admin.blueprint import bp
from shop.catalog.reviews import ANSWER_MAX_CHARS, ReviewStatus
from shop.reviews import services
from shop.reviews.services import ReviewError, ReviewNotFound


@bp.get("/reviews")
def reviews():
    status = request.args.get("status") or None
    return render_template("admin/reviews.html", reviews=services.office_reviews(status), status=status,
                           statuses=list(ReviewStatus), answer_max=ANSWER_MAX_CHARS)


def _act(review_id: int, action, done: str):
    try:
        action()
    except ReviewNotFound:
        abort(404)
    except ReviewError as error:
        flash(str(error), "error")
    else:
        flash(done, "success")
    return redirect(url_for("admin.reviews", status=request.form.get("back_status") or None) + f"#review-{review_id}")


@bp.post("/reviews/<int:review_id>/publish")
def publish_review(review_id: int):
    return _act(review_id, lambda: services.publish(review_id, current_user), _("The review is published."))


@bp.post("/reviews/<int:review_id>/hide")
def hide_review(review_id: int):
    return _act(review_id, lambda: services.hide(review_id, current_user, request.form.get("reason", "")),
                _("The review is hidden."))


@bp.post("/reviews/<int:review_id>/answer")
def change_review_answer(review_id: int):
    return _act(review_id, lambda: services.change_answer(review_id, current_user, request.form.get("answer", "")),
                _("The producer's answer is changed."))
