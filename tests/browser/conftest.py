"""A live shop on the demo catalog (SQLite) and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import contextlib
import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from shop.extensions import db
from shop.static_files import wrap_with_whitenoise
from tests.conftest import build_app, fresh_database

CHROMIUM = os.environ.get("SHOP_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
SCREENSHOTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "artifacts", "screenshots")

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """Serve the shop, static files through WhiteNoise as in production, on a free loopback port."""
    from shop.demo.load import seed_demo

    with fresh_database("sqlite", str(tmp_path_factory.mktemp("live"))) as url:
        app = build_app(url)
        with app.app_context():
            seed_demo()
            db.session.remove()
        app.wsgi_app = wrap_with_whitenoise(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield f"http://127.0.0.1:{server.server_port}"
        server.shutdown()


@contextlib.contextmanager
def live_demo_shop(tmp_dir: str, prepare=None):
    """Serve the demo shop live (SQLite, WhiteNoise) after `prepare()` ran in its app context; yield (url, prepared)."""
    from shop.demo.load import seed_demo

    with fresh_database("sqlite", tmp_dir) as url:
        app = build_app(url)
        with app.app_context():
            seed_demo()
            prepared = prepare() if prepare else None
            db.session.remove()
        app.wsgi_app = wrap_with_whitenoise(app)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        yield f"http://127.0.0.1:{server.server_port}", prepared
        server.shutdown()


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        if os.environ.get("SHOP_TEST_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page_at(browser):
    """Open a new page with a viewport ("phone" or "desktop") and a language."""
    contexts = []

    def open_page(viewport=PHONE, locale="vi-VN"):
        context = browser.new_context(viewport=viewport, locale=locale)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> str:
    os.makedirs(SCREENSHOTS, exist_ok=True)
    path = os.path.join(SCREENSHOTS, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    return path


def check_page(page) -> None:
    """Nothing on the page scrolls sideways, and axe-core finds nothing serious or critical."""
    from axe_playwright_python.sync_playwright import Axe

    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url
    violations = Axe().run(page).response["violations"]
    bad = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in violations
           if v["impact"] in ("serious", "critical")]
    assert bad == [], page.url
