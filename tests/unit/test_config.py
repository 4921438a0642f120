import os
import stat
import subprocess
import sys

import pytest

from shop import ROOT, create_app
from shop.config import DEV_SECRET_KEY, UnsafeConfig

#: A production configuration with nothing missing; each test takes one thing away.
SAFE = {"ENV": "production", "SECRET_KEY": "k" * 40, "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "PUBLIC_URL": "https://ocop.example", "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379",
        "MAIL_SMTP_HOST": "smtp.ocop.example", "MAIL_FROM": "OCOP <no-reply@ocop.vn>"}


@pytest.fixture(autouse=True)
def _no_shop_env(monkeypatch, tmp_path):
    for name in list(os.environ):
        if name.startswith("SHOP_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("SHOP_INSTANCE_PATH", str(tmp_path))


def test_production_refuses_the_development_secret():
    with pytest.raises(UnsafeConfig, match="SHOP_SECRET_KEY"):
        create_app({**SAFE, "SECRET_KEY": DEV_SECRET_KEY})


def test_production_refuses_debug():
    with pytest.raises(UnsafeConfig, match="SHOP_DEBUG"):
        create_app({**SAFE, "DEBUG": True})


def test_production_needs_the_public_url_for_links_in_e_mails():
    with pytest.raises(UnsafeConfig, match="SHOP_PUBLIC_URL"):
        create_app({**SAFE, "PUBLIC_URL": None})


def test_production_refuses_a_plain_http_public_url():
    with pytest.raises(UnsafeConfig, match="SHOP_PUBLIC_URL must be set to the shop's https:// address"):
        create_app({**SAFE, "PUBLIC_URL": "http://ocop.example"})


def test_production_refuses_per_worker_rate_limits_unless_one_process_is_declared():
    with pytest.raises(UnsafeConfig, match="SHOP_RATELIMIT_STORAGE_URI must be redis://"):
        create_app({**SAFE, "RATELIMIT_STORAGE_URI": "memory://"})

    app = create_app({**SAFE, "RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_SINGLE_PROCESS": True})
    assert app.config["ENV"] == "production"


def test_production_refuses_to_start_without_a_mail_server_or_with_the_demo_sender():
    with pytest.raises(UnsafeConfig, match="SHOP_MAIL_SMTP_HOST"):
        create_app({**SAFE, "MAIL_SMTP_HOST": None})
    with pytest.raises(UnsafeConfig, match="SHOP_MAIL_FROM"):
        create_app({**SAFE, "MAIL_FROM": "OCOP <no-reply@ocop-quangninh.example>"})


def test_every_problem_is_listed_in_one_message_without_a_traceback():
    with pytest.raises(UnsafeConfig) as refusal:
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})

    assert isinstance(refusal.value, SystemExit)
    assert len(refusal.value.problems) == 5
    assert str(refusal.value).count("\n  - ") == 5


def test_production_starts_with_a_real_secret():
    app = create_app(SAFE)
    assert app.config["ENV"] == "production"


@pytest.mark.parametrize("env", [None, "", "Production", "prod", "PRODUCTION", "Development", "dev", "test",
                                 " development"])
def test_anything_but_exactly_development_or_testing_is_production(monkeypatch, env):
    if env is not None:
        monkeypatch.setenv("SHOP_ENV", env)

    with pytest.raises(UnsafeConfig, match="SHOP_SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert create_app({**SAFE, "ENV": env} if env is not None else SAFE).config["ENV"] == "production"


def test_development_signs_with_a_secret_of_its_own_kept_private_in_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOP_ENV", "development")

    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})

    assert first.config["ENV"] == "development"
    assert first.config["SECRET_KEY"] != DEV_SECRET_KEY and len(first.config["SECRET_KEY"]) >= 32
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]  # every process of one machine agrees
    assert stat.S_IMODE(os.stat(tmp_path / "secret_key").st_mode) == 0o600


def _import_wsgi(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_")}
    return subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, capture_output=True, text=True,
                          env={**clean, "SHOP_INSTANCE_PATH": str(tmp_path), **env}, timeout=120)


def test_wsgi_refuses_an_unset_environment_with_one_message_and_gunicorns_boot_error(tmp_path):
    result = _import_wsgi(tmp_path)

    assert result.returncode == 3  # gunicorn's master stops instead of respawning workers
    assert result.stderr.startswith("Refusing to start in production")
    assert "SHOP_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr


def test_wsgi_never_serves_the_development_secret_even_in_testing(tmp_path):
    result = _import_wsgi(tmp_path, SHOP_ENV="testing")

    assert result.returncode == 3
    assert "never served with the development secret" in result.stderr


def test_environment_overrides_defaults(monkeypatch):
    monkeypatch.setenv("SHOP_PRODUCTS_PER_PAGE", "12")
    app = create_app({"ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["PRODUCTS_PER_PAGE"] == 12
