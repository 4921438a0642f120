"""The OCOP Quảng Ninh shop."""
from __future__ import annotations

import os

from flask import Flask

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_app(test_config: dict | None = None) -> Flask:
    """Build the shop: config, extensions, blueprints, commands, error pages, filters."""
    app = Flask(
        __name__,
        instance_path=os.environ.get("SHOP_INSTANCE_PATH") or os.path.join(ROOT, "instance"),
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=os.path.join(ROOT, "static"),
    )

    from shop import admin, cli, config, extensions, fulfillment, input_guard, log_masking, security, shared_cache, static_files, web
    from shop import models  # noqa: F401  (every model registered before the first query or migration)
    from shop import messages  # noqa: F401  (every kind of e-mail known before the outbox reads one)
    from shop.account import views as account_views
    from shop.cart import views as cart_views
    from shop.catalog import views as catalog_views
    from shop.checkout import views as checkout_views
    from shop.desk import views as desk_views
    from shop.account import orders as order_views
    from shop.account import privacy as account_privacy
    from shop.account import reviews as review_views
    from shop.payments import bank_webhook, views as payment_views
    from shop.site import views as site_views

    security.keep_files_private(app.instance_path)  # before anything is written: the database, uploads, mails
    log_masking.install()  # order tokens, pickup codes and reset tokens never reach a log line
    config.load_config(app, test_config)
    i18n.compile_translations(app)
    extensions.init_app(app)
    shared_cache.init_app(app)
    static_files.init_app(app)
    security.init_app(app)
    input_guard.init_app(app)
    app.register_blueprint(site_views.bp)
    app.register_blueprint(catalog_views.bp)
    app.register_blueprint(account_views.bp)
    app.register_blueprint(cart_views.bp)
    app.register_blueprint(checkout_views.bp)
    app.register_blueprint(order_views.bp)
    app.register_blueprint(account_privacy.bp)
    app.register_blueprint(review_views.bp)
    app.register_blueprint(payment_views.bp)
    app.register_blueprint(bank_webhook.bp)
    app.register_blueprint(fulfillment.bp)
    app.register_blueprint(desk_views.bp)
    app.register_blueprint(admin.bp)
    cli.register(app)
    web.register_error_pages(app)
    web.register_template_helpers(app)
    return app
