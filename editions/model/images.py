"""The images a master may show: PNG, JPEG, GIF or SVG, checked whole and embedded.

Every image is read once, decoded (an image that cannot be decoded would be a silent gap in
the PDF) and held to the limits in limits.py; an SVG is also held to what svg.py allows.
The editions get it as a data: URI of the checked bytes, so that none reads a file again.
"""

from __future__ import annotations

import base64
import binascii
import io
import warnings
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from PIL import Image, ImageFile, UnidentifiedImageError

from editions.model.limits import MAX_IMAGE_BYTES, MAX_IMAGE_PIXELS
from editions.model.svg import SvgError, check_svg

RASTER_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif"}
SVG_TYPE = "image/svg+xml"


class ImageError(Exception):
    """What is wrong with an image, said after its name ("the image 'x.png' ...")."""


@dataclass(frozen=True)
class CheckedImage:
    media_type: str
    data: bytes

    def data_uri(self) -> str:
        return f"data:{self.media_type};base64,{base64.b64encode(self.data).decode('ascii')}"


def check_image(data: bytes) -> CheckedImage:
    """The image in data, checked; raise ImageError when it may not be published."""
    if len(data) > MAX_IMAGE_BYTES:
        raise ImageError(f"is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MiB; save it smaller")
    if _looks_like_xml(data):
        try:
            return CheckedImage(SVG_TYPE, check_svg(data))
        except SvgError as error:
            raise ImageError(str(error)) from None
    return CheckedImage(_check_raster(data), data)


def decode_data_uri(uri: str) -> bytes:
    """The bytes of a data: URI (base64 or percent-encoded)."""
    header, comma, payload = uri.partition(",")
    if not comma:
        raise ImageError("is a data: address without data")
    if len(payload) > MAX_IMAGE_BYTES * 2:
        raise ImageError(f"is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MiB")
    if header.lower().endswith(";base64"):
        try:
            return base64.b64decode(unquote_to_bytes(payload), validate=True)
        except (binascii.Error, ValueError) as error:
            raise ImageError("is a data: address whose base64 is broken") from error
    return unquote_to_bytes(payload)


def _looks_like_xml(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _check_raster(data: bytes) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(width, height)
                image.verify()
            # WeasyPrint's import lets Pillow pass truncated images silently: not here.
            lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
            try:
                with Image.open(io.BytesIO(data)) as image:
                    image.load()
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = lenient
        except Image.DecompressionBombError as error:
            raise ImageError(f"has more than {MAX_IMAGE_PIXELS:,} pixels; scale it down") from error
        except UnidentifiedImageError as error:
            raise ImageError("is not a PNG, JPEG, GIF or SVG image") from error
        except (OSError, SyntaxError, ValueError, EOFError) as error:
            raise ImageError(
                f"cannot be decoded ({error}); open it in an image editor and save it again"
            ) from error
    if kind not in RASTER_TYPES:
        raise ImageError(f"is a {kind} image; save it as PNG, JPEG or SVG")
    return RASTER_TYPES[kind]


def _too_many_pixels(width: int, height: int) -> ImageError:
    return ImageError(
        f"has {width * height:,} pixels ({width}×{height}); at most {MAX_IMAGE_PIXELS:,} "
        "are allowed: scale it down"
    )
