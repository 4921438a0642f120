"""The WSGI entry point: `gunicorn wsgi:app`. Static files are served by WhiteNoise."""
import os
import sys

from shop import create_app
from shop.config import DEV_SECRET_KEY, UnsafeConfig
from shop.static_files import wrap_with_whitenoise

# Web workers never migrate (that is `flask db upgrade`): leave Alembic unloaded, ~12 MiB each.
os.environ.setdefault("SHOP_MIGRATIONS", "false")

#: gunicorn's exit code for "worker failed to boot": its master then stops instead of respawning workers.
WORKER_BOOT_ERROR = 3

try:
    app = create_app()
    if app.config["SECRET_KEY"] == DEV_SECRET_KEY:
        # Only `testing` may keep the secret written in the source, and tests never serve wsgi:app.
        raise UnsafeConfig(["SHOP_SECRET_KEY: the shop is never served with the development secret"])
except UnsafeConfig as refusal:
    print(refusal.code, file=sys.stderr, flush=True)
    raise SystemExit(WORKER_BOOT_ERROR) from None

if app.config["PROXY_COUNT"]:
    from werkzeug.middleware.proxy_fix import ProxyFix

    # Client IPs (rate limits) and https come from the proxy's headers, trusted this many hops deep.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])
app.wsgi_app = wrap_with_whitenoise(app)
