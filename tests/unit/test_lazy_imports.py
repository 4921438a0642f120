"""A web worker loads only what serving pages needs: migrations, card payments and the national lists stay unloaded."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

#: Packages a web worker never needs at start (`flask db`, Stripe only when a card payment starts, the national
#: list of wards is read as JSON, every other country's holidays).
NOT_IN_A_WORKER = ("alembic", "flask_migrate", "mako", "stripe", "vietnam_provinces", "holidays.countries.france")


def _modules_after(code: str, tmp_path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOP_")} | {
        "SHOP_ENV": "development", "SHOP_INSTANCE_PATH": str(tmp_path), "PYTHONPATH": str(ROOT),
        "SHOP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shop.sqlite3'}"}
    probe = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_the_web_entry_point_leaves_migrations_stripe_and_national_lists_unloaded(tmp_path):
    loaded = _modules_after("import wsgi", tmp_path)

    assert "shop.models" in loaded and "flask_sqlalchemy" in loaded  # the probe did load the shop
    assert not loaded & set(NOT_IN_A_WORKER)


def test_a_working_day_deadline_loads_vietnams_holidays_only(tmp_path):
    loaded = _modules_after(
        "import wsgi, datetime as dt\nfrom shop.clock import add_working_days\n"
        "add_working_days(dt.datetime(2026, 2, 13, 1, tzinfo=dt.UTC), 2)", tmp_path)

    assert "holidays.countries.vietnam" in loaded
    assert "holidays.countries" not in loaded and "holidays.countries.france" not in loaded


def _holidays_from(code: str) -> list[str]:
    probe = ("import datetime as dt, json\n" + code + "\n"
             "days = [dt.date(2024, 1, 1) + dt.timedelta(days=n) for n in range(6 * 366)]\n"
             "print(json.dumps([d.isoformat() for d in days if d in calendar]))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_vietnams_holidays_loaded_alone_are_the_packages_own():
    alone = _holidays_from("from shop.clock import _vietnam_holidays\ncalendar = _vietnam_holidays()")
    packaged = _holidays_from("import holidays\ncalendar = holidays.country_holidays('VN')")

    assert alone == packaged and "2026-02-17" in alone  # Tết 2026


def test_the_cli_still_sets_up_migrations(tmp_path):
    loaded = _modules_after("from shop import create_app\ncreate_app()", tmp_path)

    assert "flask_migrate" in loaded  # `flask db upgrade` needs it; only wsgi.py turns it off
