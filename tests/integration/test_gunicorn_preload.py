"""gunicorn.conf.py loads and warms the app once in the master, then forks the workers: they serve, sharing no
database connection with the master or with each other."""
from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        return conn.getresponse().status
    finally:
        conn.close()


def _open_files(pid: int) -> list[str]:
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            found.append(os.readlink(fd))
        except OSError:
            pass  # closed while listed
    return found


def _workers(master: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == master:
                    children.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return children


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("preload")
    db = tmp / "shop.sqlite3"
    env = os.environ | {"SHOP_ENV": "development", "FLASK_APP": "shop", "SHOP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{db}",
                        "SHOP_INSTANCE_PATH": str(tmp / "instance"), "SHOP_SECRET_KEY": secrets.token_hex(32)}
    for command in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run([str(BIN / "flask"), *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port, log = _free_port(), tmp / "gunicorn.log"
    # From the repository root, as in production: gunicorn reads ./gunicorn.conf.py.
    process = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--error-logfile",
                                str(log), "wsgi:app"], cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                if _get(port, "/healthz") == 200 and len(_workers(process.pid)) == 2:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        else:
            raise AssertionError(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
        yield {"port": port, "master": process.pid, "db": str(db), "log": log}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def test_preloaded_workers_serve_every_language(served):
    statuses = [_get(served["port"], f"/products?lang={language}") for language in ("vi", "en", "zh", "ko") * 3]

    assert statuses == [200] * 12
    assert "Traceback" not in served["log"].read_text(errors="replace")


def test_the_master_keeps_no_database_connection_after_warming_the_app(served):
    assert _get(served["port"], "/") == 200

    master_files = _open_files(served["master"])
    assert not [name for name in master_files if name.startswith(served["db"])]  # the database, its -wal, -shm
    # Yet it did load the app (gunicorn alone never imports sqlite3): the workers inherit it instead of each
    # loading its own copy.
    assert "_sqlite3" in Path(f"/proc/{served['master']}/maps").read_text()
