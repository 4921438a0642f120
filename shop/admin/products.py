"""Admin: review products that producers submit, and set each product's legal facts before it is sold."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.admin.blueprint import bp
from shop.catalog import editing, media
from shop.catalog.rules import ONLINE_ABV_LIMIT


@bp.get("/products/review")
def review_products():
    return render_template("admin/products_review.html", products=editing.waiting_for_review(),
                           changed=editing.changed_in_the_shop(), image_url=media.image_url, abv_limit=ONLINE_ABV_LIMIT)


@bp.get("/products/<int:product_id>/facts")
def product_facts(product_id: int):
    product = editing.office_product(product_id)
    if product is None:
        abort(404)
    return render_template("admin/product_facts.html", product=product, abv_limit=ONLINE_ABV_LIMIT)


@bp.post("/products/<int:product_id>/facts")
def set_product_facts(product_id: int):
    form = request.form
    back = (url_for("admin.product_facts", product_id=product_id) if form.get("back") == "facts"
            else url_for("admin.review_products") + f"#product-{product_id}")
    try:
        facts = editing.LegalFacts(abv_percent=editing.parse_abv(form.get("abv")),
                                   cold_chain=form.get("cold_chain") == "1", sold_online=form.get("sold_online") == "1",
                                   ships_abroad=form.get("ships_abroad") == "1")
        product = editing.set_legal_facts(product_id, facts, current_user)
    except editing.UnknownProduct:
        abort(404)
    except editing.ProductError as error:
        flash(str(error), "error")
        return redirect(back)
    flash(_("The legal facts of %(name)s are saved.", name=product.name), "success")
    if product.online_sale_forbidden and form.get("sold_online") == "1":
        flash(_("Spirits of %(abv)s%% ABV or more are never sold online: it is sold only at sales points.",
                abv=ONLINE_ABV_LIMIT), "error")
    return redirect(back)


@bp.post("/products/<int:product_id>/texts")
def save_product_texts(product_id: int):
    """The office writes a product's English, Chinese and Korean texts and variant labels (audited)."""
    product = editing.office_product(product_id)
    if product is None:
        abort(404)
    editing.update_texts(product, editing.Texts.read(_translations_only(request.form), [v.id for v in product.variants]),
                         current_user, by_office=True)
    flash(_("The translations of %(name)s are saved.", name=product.name), "success")
    back = request.form.get("back")
    if back == "facts":
        return redirect(url_for("admin.product_facts", product_id=product_id))
    return redirect(url_for("admin.review_products") + (f"#changed-{product_id}" if back == "changes"
                                                        else f"#product-{product_id}"))


def _translations_only(form) -> dict:
    """The office's form writes translations only: the Vietnamese texts are the producer's."""
    return {key: value for key, value in form.items() if key not in ("summary_vi", "description_vi")}


@bp.post("/products/<int:product_id>/changes")
def check_product_changes(product_id: int):
    try:
        product = editing.check_changes(product_id, request.form.get("action", ""), current_user)
    except editing.UnknownProduct:
        abort(404)
    except editing.ProductError as error:
        flash(str(error), "error")
    else:
        flash(_("The changes to %(name)s are checked.", name=product.name), "success")
    return redirect(url_for("admin.review_products") + "#changes")


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
