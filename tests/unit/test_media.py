"""Uploaded pictures: only real JPEG/PNG/WebP within the limits, re-encoded to WebP without metadata."""
import io
import os
import struct
import zlib

import pytest
from PIL import Image

from shop.catalog import media


def png_bytes(width=1000, height=750, colour=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_exif(width=1000, height=600, orientation=6) -> bytes:
    image = Image.new("RGB", (width, height), (30, 120, 60))
    exif = Image.Exif()
    exif[0x0112] = orientation  # Orientation: rotate 90° when shown
    exif[0x010F] = "SecretCam"  # Make
    exif[0x0131] = "Firmware 1.0"  # Software
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims huge dimensions: no huge image is ever allocated here."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def stored_files(app) -> list[str]:
    folder = media.media_dir()
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


def test_a_png_becomes_webp_files_at_each_width_not_larger_than_the_original(app):
    stored = media.store_upload(png_bytes(1000, 750))

    assert stored.widths == (400, 800)
    for width in stored.widths:
        with Image.open(os.path.join(media.media_dir(), f"{stored.stem}-{width}.webp")) as image:
            assert image.format == "WEBP"
            assert image.size == (width, round(750 * width / 1000))
    assert len(stored.stem) == 32


def test_exif_is_applied_then_removed(app):
    stored = media.store_upload(jpeg_with_exif(1000, 600, orientation=6))

    # Rotated upright by its Orientation tag, then written without any metadata.
    assert (stored.width, stored.height) == (600, 1000)
    path = os.path.join(media.media_dir(), f"{stored.stem}-400.webp")
    with Image.open(path) as image:
        assert not image.info.get("exif")
        assert not dict(image.getexif())
        assert not image.info.get("xmp")
    with open(path, "rb") as f:
        assert b"SecretCam" not in f.read()


def test_a_small_picture_is_kept_at_its_own_width(app):
    stored = media.store_upload(png_bytes(250, 100))

    assert stored.widths == (250,)


@pytest.mark.parametrize("data, error", [
    (b"GIF89a is not accepted, and this is text anyway" * 3, media.NotAnImage),
    (b"Hello, this is a plain text file named photo.jpg\n" * 10, media.NotAnImage),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', media.NotAnImage),
    (b"", media.NotAnImage),
])
def test_what_is_not_a_picture_is_refused(app, data, error):
    before = stored_files(app)
    with pytest.raises(error):
        media.store_upload(data)
    assert stored_files(app) == before


def test_a_gif_is_refused_even_though_pillow_reads_it(app):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20)).save(buffer, "GIF")
    with pytest.raises(media.NotAnImage):
        media.store_upload(buffer.getvalue())


def test_an_oversized_file_is_refused_before_decoding(app):
    data = png_bytes(20, 20) + b"\x00" * app.config["MEDIA_MAX_UPLOAD_BYTES"]
    before = stored_files(app)

    with pytest.raises(media.FileTooLarge):
        media.store_upload(data)
    assert stored_files(app) == before


@pytest.mark.parametrize("size", [(50_000, 50_000), (7_000, 7_000)])
def test_a_picture_of_huge_pixel_dimensions_is_refused(app, size):
    before = stored_files(app)
    with pytest.raises(media.TooManyPixels):
        media.store_upload(png_claiming(*size))
    assert stored_files(app) == before


def test_a_truncated_png_is_refused(app):
    before = stored_files(app)
    good = png_bytes(800, 600, colour=(1, 2, 3))
    noisy = io.BytesIO()
    Image.effect_noise((800, 600), 64).convert("RGB").save(noisy, "PNG")
    for data in (good[: len(good) // 2], noisy.getvalue()[: len(noisy.getvalue()) // 2]):
        with pytest.raises(media.DamagedImage):
            media.store_upload(data)
    assert stored_files(app) == before


def test_the_media_route_serves_only_well_formed_names(app, client):
    stored = media.store_upload(png_bytes(500, 300))

    response = client.get(f"/media/products/{stored.stem}-400.webp")
    assert response.status_code == 200
    assert response.mimetype == "image/webp"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "immutable" in response.headers["Cache-Control"]
    for name in ("../../config.py", f"{stored.stem}-400.png", f"{stored.stem.upper()}-400.webp", "x-400.webp",
                 f"{stored.stem}-999.webp"):
        assert client.get(f"/media/products/{name}").status_code == 404


def test_a_png_of_6300_by_6300_is_refused_from_its_header_before_decoding(app):
    # Under the 40 MP cap, but decoding it would take seconds and hundreds of megabytes in a web worker.
    before = stored_files(app)
    with pytest.raises(media.TooManyPixels) as refused:
        media.store_upload(png_claiming(6300, 6300))
    assert "16 megapixel" in str(refused.value)  # the clear message, in the default language (vi)
    assert stored_files(app) == before


def test_a_large_jpeg_photo_is_decoded_at_a_reduced_scale_and_keeps_every_stored_width(app):
    photo = io.BytesIO()
    Image.new("RGB", (6000, 4000), (30, 120, 60)).save(photo, "JPEG")  # 24 MP: above the decoding budget

    stored = media.store_upload(photo.getvalue())

    assert stored.widths == (400, 800, 1200)
    # Decoded at 1/2 scale (3000 × 2000), never at its full 24 million pixels.
    assert stored.width * stored.height <= app.config["MEDIA_MAX_DECODED_PIXELS"]
    with Image.open(os.path.join(media.media_dir(), f"{stored.stem}-1200.webp")) as image:
        assert image.size == (1200, 800)
