"""A web worker imports only what serving pages needs: the Stripe SDK (and `requests`, ~20 MiB) waits for a card."""
import os
import subprocess
import sys


def test_a_started_worker_has_not_loaded_the_stripe_sdk(tmp_path):
    env = os.environ | {"SHOP_ENV": "development", "SHOP_INSTANCE_PATH": str(tmp_path),
                        "SHOP_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/shop.sqlite3",
                        "SHOP_SECRET_KEY": "x" * 40, "SHOP_MIGRATIONS": "false"}
    code = "import sys, wsgi; print(sorted(m for m in ('stripe', 'requests') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                            cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
    assert result.stdout.strip() == "[]"
