"""Uploaded product pictures: checked by content, re-encoded to WebP without metadata, stored by random name."""
from __future__ import annotations

import io
import os
import re
import secrets
import struct
import warnings
from dataclasses import dataclass

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l

from shop.catalog.artwork import illustration_alt
from shop.errors import ShopError
from shop.i18n import current_language

#: What Pillow may call an accepted upload; anything else (SVG, GIF, TIFF, text…) is refused.
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
#: <32 hex chars>-<width>.webp: the only names the media route serves.
FILE_NAME = re.compile(r"^(?P<stem>[0-9a-f]{32})-(?P<width>[1-9][0-9]{1,4})\.webp$")


class MediaError(ShopError):
    message = _l("This picture could not be used.")


class NotAnImage(MediaError):
    message = _l("Please upload a photo in JPEG, PNG or WebP format.")


class FileTooLarge(MediaError):
    message = _l("This file is too large: pictures may be at most %(mb)s MB.")


class TooManyPixels(MediaError):
    message = _l("This picture has too many pixels: at most %(mp)s megapixels.")


class DamagedImage(MediaError):
    message = _l("This picture is damaged or incomplete. Please export it again and upload it.")


@dataclass(frozen=True)
class StoredImage:
    stem: str
    width: int
    height: int
    widths: tuple[int, ...]


def media_dir() -> str:
    """Where product pictures live: instance/media/products (outside the code and static trees)."""
    return os.path.join(current_app.instance_path, "media", "products")


def image_url(image, width: int) -> str:
    """The public address of a stored picture at the nearest stored width not above `width`."""
    return url_for("catalog.media", name=f"{image.stem}-{stored_width(image.width, width)}.webp")


def stored_widths(original_width: int) -> tuple[int, ...]:
    """The widths a picture of this width is stored at: every configured one not larger, at least one."""
    widths = sorted(current_app.config["MEDIA_IMAGE_WIDTHS"])
    fitting = tuple(w for w in widths if w <= original_width)
    return fitting or (min(original_width, widths[0]),)


def stored_width(original_width: int, wanted: int) -> int:
    widths = stored_widths(original_width)
    fitting = [w for w in widths if w <= wanted]
    return fitting[-1] if fitting else widths[0]


def _open_checked(data: bytes) -> Image.Image:  # noqa: F821
    """Open, verify and fully decode the upload, or raise a MediaError; never trust the file name."""
    # Pillow is loaded only to handle an upload: web workers that only serve pages skip it.
    from PIL import Image, UnidentifiedImageError

    max_pixels = current_app.config["MEDIA_MAX_PIXELS"]
    mp = max_pixels // 1_000_000
    # Pillow warns above MAX_IMAGE_PIXELS and raises above twice that; both become refusals here.
    Image.MAX_IMAGE_PIXELS = max_pixels
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise NotAnImage()
                if probe.width * probe.height > max_pixels:
                    raise TooManyPixels(mp=mp)
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS))
            if image.format not in ACCEPTED_FORMATS:
                raise NotAnImage()
            _decode_within_budget(image)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise TooManyPixels(mp=mp) from None
        except UnidentifiedImageError:
            raise NotAnImage() from None
        except MediaError:
            raise
        except (OSError, SyntaxError, ValueError, EOFError, struct.error):
            # Pillow reports truncated or corrupt data as OSError/SyntaxError, sometimes others.
            raise DamagedImage() from None
    return image


def _decode_within_budget(image: Image.Image) -> None:  # noqa: F821
    """Decode no more pixels than the largest stored width needs, or refuse before decoding.

    A small file may claim a huge picture (a 154 KB PNG of 6300 × 6300 took 3.4 s and 435 MB to decode).
    A JPEG is decoded at 1/2, 1/4 or 1/8 scale when that still covers the largest stored width on both sides
    (either may become the width once the photo is turned upright); PNG and WebP cannot be, so above the
    budget they are refused from their header alone.
    """
    largest = max(current_app.config["MEDIA_IMAGE_WIDTHS"])
    budget = current_app.config["MEDIA_MAX_DECODED_PIXELS"]
    if image.format == "JPEG":
        image.draft(image.mode, (largest, largest))
    if image.width * image.height > budget:
        raise TooManyPixels(mp=budget // 1_000_000)
    image.load()


def _shrink(image: Image.Image) -> Image.Image:  # noqa: F821
    """Cheaply reduce by a whole factor while the shorter side still covers the largest stored width."""
    factor = min(image.size) // max(current_app.config["MEDIA_IMAGE_WIDTHS"])
    return image.reduce(factor) if factor >= 2 else image


def store_upload(data: bytes) -> StoredImage:
    """Check an uploaded picture and write it as WebP at each stored width; raise MediaError.

    Nothing of the original is kept: re-encoding drops EXIF (GPS positions of a farm), ICC
    and comments, and whatever a crafted file may hide after its pixels.
    """
    from PIL import Image, ImageOps

    limit = current_app.config["MEDIA_MAX_UPLOAD_BYTES"]
    if len(data) > limit:
        raise FileTooLarge(mb=limit // (1024 * 1024))
    if not data:
        raise NotAnImage()
    image = _open_checked(data)
    try:
        image = ImageOps.exif_transpose(_shrink(image))
        image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P", "PA") and _has_alpha(image) else "RGB")
    except (OSError, ValueError):
        raise DamagedImage() from None
    width, height = image.size
    stem = secrets.token_hex(16)
    folder = media_dir()
    os.makedirs(folder, exist_ok=True)
    widths = stored_widths(width)
    written: list[str] = []
    try:
        for w in widths:
            h = max(1, round(height * w / width))
            copy = image if w == width else image.resize((w, h), Image.Resampling.LANCZOS)
            path = os.path.join(folder, f"{stem}-{w}.webp")
            buffer = io.BytesIO()
            copy.save(buffer, "WEBP", quality=82, method=4)
            with open(path, "wb") as out:
                out.write(buffer.getvalue())
            written.append(path)
    except Exception:
        for path in written:
            _unlink(path)
        raise
    return StoredImage(stem=stem, width=width, height=height, widths=widths)


def _has_alpha(image: Image.Image) -> bool:  # noqa: F821
    if image.mode in ("RGBA", "LA", "PA"):
        return True
    return image.mode == "P" and "transparency" in image.info


def delete_files(stem: str, original_width: int) -> None:
    """Remove every stored width of a picture; missing files are fine."""
    if not re.fullmatch(r"[0-9a-f]{32}", stem):
        return
    for w in set(stored_widths(original_width)) | set(current_app.config["MEDIA_IMAGE_WIDTHS"]):
        _unlink(os.path.join(media_dir(), f"{stem}-{w}.webp"))


def _unlink(path: str) -> None:
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


@dataclass(frozen=True)
class Picture:
    """One picture of a product's gallery, as the page draws it."""

    src: str
    srcset: str
    width: int
    height: int
    alt: str
    thumb: str


def srcset(image) -> str:
    """Every stored width of an uploaded picture, for the browser to choose from."""
    return ", ".join(f"{url_for('catalog.media', name=f'{image.stem}-{w}.webp')} {w}w" for w in stored_widths(image.width))


def product_gallery(product) -> list[Picture]:
    """The product's uploaded pictures in their order, or its one generated artwork (alt says it is drawn)."""
    name, count = product.t("name"), len(product.images)
    if not count:
        artwork = artwork_url(product)
        return [Picture(artwork, "", 600, 450, illustration_alt(product), artwork)]
    return [Picture(image_url(image, 800), srcset(image), image.width, image.height,
                    image.alt or (name if count == 1 else _l("%(name)s, picture %(n)d of %(count)d", name=name, n=n,
                                                             count=count)),
                    image_url(image, 400))
            for n, image in enumerate(product.images, start=1)]


def product_picture(product, width: int) -> str:
    """The product's first uploaded picture, or its generated artwork when it has none."""
    if product.images:
        return image_url(product.images[0], width)
    return artwork_url(product)


def artwork_url(product) -> str:
    """The generated artwork in the reader's language: the name drawn on it is translated, and the URL says which
    language, so a cache (the browser's, or one in front of the shop) never shows one language's drawing to another."""
    return url_for("catalog.product_image", slug=product.slug, lang=current_language())
