"""The WSGI entry point: `gunicorn wsgi:app`. Static files are served by WhiteNoise."""
import os

from shop import create_app
from shop.static_files import wrap_with_whitenoise

# Web workers never migrate (that is `flask db upgrade`): leave Alembic unloaded, ~12 MiB each.
os.environ.setdefault("SHOP_MIGRATIONS", "false")

app = create_app()
if app.config["PROXY_COUNT"]:
    from werkzeug.middleware.proxy_fix import ProxyFix

    # Client IPs (rate limits) and https come from the proxy's headers, trusted this many hops deep.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXY_COUNT"], x_proto=app.config["PROXY_COUNT"])
app.wsgi_app = wrap_with_whitenoise(app)
