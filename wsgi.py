"""The WSGI entry point: `gunicorn wsgi:app`. Static files are served by WhiteNoise."""
import os

from shop import create_app
from shop.static_files import wrap_with_whitenoise

# Web workers never migrate (that is `flask db upgrade`): leave Alembic unloaded, ~12 MiB each.
os.environ.setdefault("SHOP_MIGRATIONS", "false")

app = create_app()
app.wsgi_app = wrap_with_whitenoise(app)
