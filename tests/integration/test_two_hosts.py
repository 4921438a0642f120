"""Two hosts: two gunicorn masters (2 workers each) on one PostgreSQL and one Redis, as docs/deploy.md sets them up.

An edit made through one host is on the other's next page, a rate limit counts the failures of both, and two
`flask outbox work` running at once send each message once.
"""
from __future__ import annotations

import http.client
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import fresh_database
from tests.web.test_rate_limit_redis import REDIS, _redis_reachable

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Visitor:
    """One browser: its cookies, on whichever host it talks to."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def send(self, port: int, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body, headers["Content-Type"] = urlencode(form), "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        reply = conn.getresponse()
        for name, value in reply.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return reply.status, reply.read().decode()

    def token(self, port: int, path: str) -> str:
        status, html = self.send(port, "GET", path)
        assert status == 200, (path, status)
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture(scope="module")
def hosts(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("two-hosts")
    prefix = f"shop-test-{uuid.uuid4().hex[:8]}:"
    with fresh_database("postgresql", str(tmp)) as url:
        env = os.environ | {
            "SHOP_ENV": "development", "FLASK_APP": "shop", "SHOP_SQLALCHEMY_DATABASE_URI": url,
            "SHOP_INSTANCE_PATH": str(tmp / "instance"), "SHOP_SECRET_KEY": secrets.token_hex(32),
            "SHOP_CACHE_REDIS_URL": REDIS, "SHOP_CACHE_KEY_PREFIX": prefix,
            "SHOP_RATELIMIT_STORAGE_URI": REDIS, "SHOP_RATELIMIT_KEY_PREFIX": prefix + "limits",
            "SHOP_PAGE_CACHE_SECONDS": "300", "SHOP_FILTER_CACHE_SECONDS": "300",
            "SHOP_DISPLAY_RATE_CACHE_SECONDS": "300", "SHOP_LOGIN_NETWORK_FREE_FAILURES": "6",
        }
        for command in (["db", "upgrade"], ["seed-demo"], ["demo", "accounts"]):
            subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True, capture_output=True)
        masters = []
        for _ in range(2):
            port = _free_port()
            process = subprocess.Popen(
                [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", "wsgi:app"],
                cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            masters.append((port, process))
        try:
            for port, process in masters:
                for _ in range(150):
                    try:
                        if Visitor().send(port, "GET", "/healthz")[0] == 200:
                            break
                    except OSError:
                        time.sleep(0.2)
                else:
                    raise AssertionError("a host did not start")
            yield {"one": masters[0][0], "two": masters[1][0], "env": env, "instance": tmp / "instance"}
        finally:
            for _, process in masters:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=20)


def _price_estimate(html: str) -> str:
    return re.search(r'class="estimate[^"]*"[^>]*>([^<]+)<', html).group(1)


def test_a_rate_edit_through_one_host_is_on_the_others_next_page(hosts):
    one, two = hosts["one"], hosts["two"]
    office = Visitor()
    token = office.token(one, "/login")
    status, _ = office.send(one, "POST", "/login", {"csrf_token": token, "email": "office@demo.example.vn",
                                                     "password": "ocop-demo-2026"})
    assert status == 302

    def set_usd(vnd: str) -> None:
        token = office.token(one, "/admin/rates")
        assert office.send(one, "POST", "/admin/rates", {"csrf_token": token, "USD": vnd})[0] == 302

    page = "/products/mien-dong-binh-lieu?cur=USD"
    set_usd("25000")
    before = _price_estimate(Visitor().send(two, "GET", page)[1])
    assert before == _price_estimate(Visitor().send(two, "GET", page)[1])  # cached on host two for 5 minutes
    set_usd("10000")
    after = _price_estimate(Visitor().send(two, "GET", page)[1])
    assert after != before and "$" in after


def test_wrong_passwords_count_on_both_hosts_together(hosts):
    one, two = hosts["one"], hosts["two"]
    codes = []
    for attempt in range(8):
        port = (one, two)[attempt % 2]
        visitor = Visitor()
        token = visitor.token(port, "/login")
        codes.append(visitor.send(port, "POST", "/login", {"csrf_token": token, "email": f"x{attempt}@example.vn",
                                                          "password": "wrong"})[0])
    # Six failures from this network are free (SHOP_LOGIN_NETWORK_FREE_FAILURES); the seventh, on either host, waits.
    assert codes[:6] == [200] * 6 and codes[6:] == [429, 429]


def test_two_senders_at_once_send_each_message_once(hosts):
    outbox = hosts["instance"] / "outbox"
    senders = [subprocess.Popen([str(BIN / "flask"), "outbox", "work", "--once"], cwd=ROOT, env=hosts["env"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    outputs = [sender.communicate(timeout=120)[0] for sender in senders]
    assert all(sender.returncode == 0 for sender in senders), outputs
    files = sorted(p.name for p in outbox.glob("*.eml"))
    ids = [name.split("-", 1)[0] for name in files]
    assert files and len(ids) == len(set(ids)), files
