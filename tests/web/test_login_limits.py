"""Login limits count wrong passwords only, per address from one network and per network, with short locks
that grow; the real user from another network, and every successful login, go through."""
import time as real_time
from html import unescape

import pytest

from shop.auth.throttle import network_of
from shop.extensions import db
from tests.conftest import PASSWORD
from tests.web.helpers import csrf_token


class _Clock:
    """time.time() for the counters, moved forward by the test."""

    offset = 0.0

    def time(self):
        return real_time.time() + self.offset

    def __getattr__(self, name):
        return getattr(real_time, name)


@pytest.fixture
def clock(monkeypatch):
    clock = _Clock()
    monkeypatch.setattr("limits.storage.memory.time", clock)
    monkeypatch.setattr("shop.auth.throttle.time", clock)
    return clock


@pytest.fixture
def lan(make_user):
    user = make_user(email="lan@example.vn")
    db.session.commit()
    return user


@pytest.fixture
def browser(client):
    client.set_cookie("lang", "en")
    return client


def attempt(client, email, password, ip):
    token = csrf_token(client, "/account/password-reset")  # a form whether or not the client is logged in
    return client.post("/login", data={"csrf_token": token, "email": email, "password": password},
                       environ_base={"REMOTE_ADDR": ip})


def wrong(client, times, email="lan@example.vn", ip="203.0.113.7"):
    return [attempt(client, email, "wrong password", ip).status_code for _ in range(times)]


def test_sixteen_wrong_passwords_from_one_network_do_not_stop_the_real_user_from_another(browser, lan, clock):
    wrong(browser, 16, ip="203.0.113.7")

    response = attempt(browser, "LAN@example.vn", PASSWORD, ip="198.51.100.20")

    assert response.status_code == 302 and response.headers["Location"] == "/account"


def test_after_five_wrong_passwords_that_network_waits_even_with_the_right_one(browser, lan, clock):
    assert wrong(browser, 5) == [200] * 5

    locked = attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.99")  # the same /24

    assert locked.status_code == 429
    assert "Too many wrong passwords. Please try again in 30 seconds." in unescape(locked.get_data(as_text=True))
    clock.offset = 31
    assert attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.7").status_code == 302


def test_each_further_wrong_password_doubles_the_wait(browser, lan, clock):
    wrong(browser, 5)
    clock.offset = 31
    assert wrong(browser, 1) == [200]  # the sixth: now 60 seconds

    clock.offset = 31 + 45
    assert attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.7").status_code == 429
    clock.offset = 31 + 61
    assert attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.7").status_code == 302


def test_the_lock_never_grows_past_the_ceiling(browser, app, lan, clock, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_LOCKOUT_MAX_SECONDS", 100)
    for step in range(8):
        wrong(browser, 1 if step else 5)
        clock.offset += 101

    assert attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.7").status_code == 302


def test_successful_logins_never_use_the_budget(browser, lan, clock):
    codes = [attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.7").status_code for _ in range(40)]

    assert codes == [302] * 40


def test_the_right_password_forgets_that_addresss_failures_on_that_network(browser, lan, clock):
    wrong(browser, 4)
    assert attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.7").status_code == 302

    assert wrong(browser, 4) == [200] * 4
    assert attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.7").status_code == 302


def test_one_network_guessing_many_addresses_is_slowed_down_and_others_are_not(browser, app, lan, clock):
    for n in range(30):
        assert attempt(browser, f"guess{n}@example.vn", "wrong password", ip=f"203.0.113.{n}").status_code == 200

    assert attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.113.200").status_code == 429
    assert attempt(browser, "lan@example.vn", PASSWORD, ip="203.0.114.1").status_code == 302


def test_ipv6_addresses_count_per_64(browser, lan, clock):
    wrong(browser, 5, ip="2001:db8:0:1::1")

    assert attempt(browser, "lan@example.vn", PASSWORD, ip="2001:db8:0:1:ffff::9").status_code == 429
    assert attempt(browser, "lan@example.vn", PASSWORD, ip="2001:db8:0:2::1").status_code == 302


def test_unknown_addresses_are_counted_like_known_ones(browser, clock):
    assert wrong(browser, 6, email="nobody@example.vn") == [200] * 5 + [429]


@pytest.mark.parametrize("ip, network", [
    ("203.0.113.7", "203.0.113.0/24"), ("2001:db8:0:1:2:3:4:5", "2001:db8:0:1::/64"),
    ("::ffff:203.0.113.7", "203.0.113.0/24"), ("not an ip", "not an ip"),
])
def test_the_network_of_an_address(ip, network):
    assert network_of(ip) == network
