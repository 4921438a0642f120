"""The WSGI entry point: `gunicorn wsgi:app`. Static files are served by WhiteNoise."""
from shop import create_app
from shop.static_files import wrap_with_whitenoise

app = create_app()
app.wsgi_app = wrap_with_whitenoise(app)
