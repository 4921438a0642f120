"""Static files under content-hashed names, served by WhiteNoise with year-long cache headers."""
from __future__ import annotations

import hashlib
import os
import re

from flask import Flask, url_for
from whitenoise import WhiteNoise

_HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")


def _manifest(static_folder: str) -> dict[str, str]:
    """Map 'css/shop.css' → 'css/shop.3f2a9c0d1e4b.css' from each file's content."""
    manifest = {}
    for root, _dirs, files in os.walk(static_folder):
        for name in files:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, static_folder).replace(os.sep, "/")
            with open(path, "rb") as f:
                digest = hashlib.sha256(f.read()).hexdigest()[:12]
            stem, ext = os.path.splitext(rel)
            manifest[rel] = f"{stem}.{digest}{ext}"
    return manifest


def init_app(app: Flask) -> None:
    """Give templates asset('css/shop.css'), the hashed URL of a static file."""
    app.extensions["static_manifest"] = manifest = _manifest(app.static_folder)

    def asset(filename: str) -> str:
        return url_for("static", filename=manifest.get(filename, filename))

    app.add_template_global(asset)


def wrap_with_whitenoise(app: Flask):
    """Serve static files before Flask sees the request; hashed names are cached for a year."""
    served = WhiteNoise(
        app.wsgi_app,
        root=app.static_folder,
        prefix=app.static_url_path,
        max_age=3600,
        immutable_file_test=lambda _path, url: bool(_HASHED.search(url)),
    )
    prefix = app.static_url_path.rstrip("/") + "/"
    for original, hashed in app.extensions["static_manifest"].items():
        served.add_file_to_dictionary(prefix + hashed, os.path.join(app.static_folder, original))
    return served
