"""Static files under content-hashed names, served by WhiteNoise with year-long cache headers, minified and compressed
ahead of time (brotli and gzip copies made once per file version in static/.cache).

CSS and JS are served minified (rcssmin, rjsmin: comments and spaces out, names and statements untouched, so a browser's
"pretty print" gives back readable code): a product page's HTML, CSS and JS stay under 60 KB (issue 15). The sources
in static/ stay as written; `flask run` without WhiteNoise serves them as they are."""
from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile

import brotli
from flask import Flask, url_for
from whitenoise import WhiteNoise

_HASHED = re.compile(r"\.[0-9a-f]{12}\.[A-Za-z0-9]+$")
#: Text files worth compressing; pictures other than SVG are compressed already.
_COMPRESSIBLE = {".css", ".js", ".svg", ".json", ".txt", ".xml", ".map"}
#: Where the compressed copies live, inside the static folder and ignored by git; a new version of a file gets a
#: new hashed name, so nothing there is ever stale. The subfolder names how the copies are made: copies made by an
#: older shop (unminified, in static/.cache itself) are not reused for the same hashed name.
CACHE_DIR = os.path.join(".cache", "min1")


def _manifest(static_folder: str) -> dict[str, str]:
    """Map 'css/shop.css' → 'css/shop.3f2a9c0d1e4b.css' from each file's content."""
    manifest = {}
    for root, dirs, files in os.walk(static_folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # static/.cache holds copies, not sources
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


def minified(filename: str, data: bytes) -> bytes:
    """What is served for a static file: CSS and JS without comments and spare whitespace, anything else as is."""
    ext = os.path.splitext(filename)[1].lower()
    if ext == ".css":
        import rcssmin  # only where static files are served (wsgi.py, tests), not in the CLI

        return rcssmin.cssmin(data.decode("utf-8")).encode("utf-8")
    if ext == ".js":
        import rjsmin

        return rjsmin.jsmin(data.decode("utf-8")).encode("utf-8")
    return data


def _write_once(path: str, data: bytes) -> None:
    """Write a file atomically unless it exists: several workers may start at once."""
    if os.path.exists(path):
        return
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)  # public files, whatever the process umask (0077 for the instance's private files)
    os.replace(tmp, path)


def compressed_copies(static_folder: str, manifest: dict[str, str]) -> dict[str, str]:
    """Hashed name → a minified copy of the file with `.br` and `.gz` beside it, which WhiteNoise then serves to clients
    that accept them. Made once per file version; a static folder that cannot be written is served as written."""
    copies = {}
    for original, hashed in manifest.items():
        if os.path.splitext(original)[1].lower() not in _COMPRESSIBLE:
            continue
        target = os.path.join(static_folder, CACHE_DIR, hashed)
        try:
            os.makedirs(os.path.dirname(target), mode=0o755, exist_ok=True)
            if not all(os.path.exists(target + ext) for ext in ("", ".gz", ".br")):
                with open(os.path.join(static_folder, original), "rb") as f:
                    data = minified(original, f.read())
                _write_once(target + ".br", brotli.compress(data, quality=11))
                _write_once(target + ".gz", gzip.compress(data, compresslevel=9, mtime=0))
                _write_once(target, data)  # last: its presence says the set is complete
        except OSError:
            continue
        copies[hashed] = target
    return copies


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
    manifest = app.extensions["static_manifest"]
    copies = compressed_copies(app.static_folder, manifest)
    for original, hashed in manifest.items():
        served.add_file_to_dictionary(prefix + hashed, copies.get(hashed) or os.path.join(app.static_folder, original))
    return served
