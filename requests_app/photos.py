"""Photo uploads: only real JPEG, PNG or WebP images up to 10 MB. The GPS position is read from EXIF
when present; the stored copy is re-encoded without EXIF/XMP metadata (camera, time, location)."""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 5
MAX_PIXELS = 60_000_000
FORMATS = {"JPEG", "PNG", "WEBP"}
GPS_IFD = 0x8825


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    format: str
    width: int
    height: int
    gps: tuple[float, float] | None  # (lat, long) from EXIF, if the camera recorded it


def _ratio(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError, ZeroDivisionError):
        numerator, denominator = value
        return float(numerator) / float(denominator)


def _dms(values, ref: str) -> float:
    degrees, minutes, seconds = (_ratio(v) for v in values)
    decimal = degrees + minutes / 60 + seconds / 3600
    return -decimal if ref.upper() in ("S", "W") else decimal


def gps_from_exif(image: Image.Image) -> tuple[float, float] | None:
    try:
        gps = image.getexif().get_ifd(GPS_IFD)
        if not gps or 2 not in gps or 4 not in gps:
            return None
        lat = _dms(gps[2], str(gps.get(1, "N")))
        long = _dms(gps[4], str(gps.get(3, "E")))
    except Exception:  # noqa: BLE001 - broken EXIF is common; the photo is still fine without it
        return None
    if not (-90 <= lat <= 90 and -180 <= long <= 180) or (lat == 0 and long == 0):
        return None
    return round(lat, 7), round(long, 7)


def photo_clean(upload) -> CleanPhoto:
    """Validate an uploaded file and return an EXIF-free copy. Raises ValidationError with a clear
    message for oversized, non-image or unsupported files."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationError(_("A photo may be at most 10 MB."), code="photo_too_large")
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationError(_("A photo may be at most 10 MB."), code="photo_too_large")
    not_image = ValidationError(_("Photos must be JPEG, PNG or WebP images."), code="photo_type")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in FORMATS:
                raise not_image
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This photo has too many pixels."), code="photo_too_large")
            gps = gps_from_exif(image)
            image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise not_image from exc
    except Image.DecompressionBombWarning as exc:
        raise ValidationError(_("This photo has too many pixels."), code="photo_too_large") from exc

    fmt = image.format
    icc = image.info.get("icc_profile")
    image = ImageOps.exif_transpose(image)  # keep what the camera meant by "up" before dropping EXIF
    image.info = {}
    out = io.BytesIO()
    options = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88, **options)
    elif fmt == "PNG":
        image.save(out, "PNG", optimize=False, **options)
    else:
        image.save(out, "WEBP", quality=88, **options)
    return CleanPhoto(content=out.getvalue(), format=fmt, width=image.width, height=image.height, gps=gps)
