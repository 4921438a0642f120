import pytest

from shop import create_app
from shop.config import DEV_SECRET_KEY, UnsafeConfig


def test_production_refuses_the_development_secret():
    with pytest.raises(UnsafeConfig, match="SHOP_SECRET_KEY"):
        create_app({"ENV": "production", "SECRET_KEY": DEV_SECRET_KEY})


def test_production_refuses_debug():
    with pytest.raises(UnsafeConfig, match="SHOP_DEBUG"):
        create_app({"ENV": "production", "SECRET_KEY": "x" * 40, "DEBUG": True})


def test_production_needs_the_public_url_for_links_in_e_mails():
    with pytest.raises(UnsafeConfig, match="SHOP_PUBLIC_URL"):
        create_app({"ENV": "production", "SECRET_KEY": "x" * 40})


def test_production_starts_with_a_real_secret():
    app = create_app({"ENV": "production", "SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "PUBLIC_URL": "https://ocop.example"})
    assert app.config["ENV"] == "production"


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("SHOP_PRODUCTS_PER_PAGE", "12")
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["PRODUCTS_PER_PAGE"] == 12
