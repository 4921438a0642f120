"""Admin: review products that producers submit."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.admin.blueprint import bp
from shop.catalog import editing, media


@bp.get("/products/review")
def review_products():
    return render_template("admin/products_review.html", products=editing.waiting_for_review(),
                           image_url=media.image_url)


@bp.post("/products/<int:product_id>/approve")
def approve_product(product_id: int):
    try:
        product = editing.approve_product(product_id, current_user)
    except editing.ProductError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is published.", name=product.name), "success")
    return redirect(url_for("admin.review_products"))


@bp.post("/products/<int:product_id>/return")
def return_product(product_id: int):
    try:
        product = editing.return_product(product_id, request.form.get("note", ""), current_user)
    except editing.ProductError as error:
        flash(str(error), "error")
    else:
        flash(_("%(name)s is returned to its producer with your comment.", name=product.name), "success")
    return redirect(url_for("admin.review_products"))
