"""What an uploaded file really is (issue 14): PDFs parsed, images decoded and written anew.

The first bytes only say what a file claims to be. A PDF is parsed with pikepdf (qpdf) and
refused when it is encrypted, cannot be read, or carries active content (JavaScript, an action
run on opening, a launch of a program, embedded files). A PDF is kept as sent, since rewriting
it would break a digital signature (a signed agreement); so whatever a polyglot hides after the
PDF's end, or a ZIP archive's directory found in it, refuses it. A JPEG or PNG is decoded and
encoded again with Pillow: what is kept is only the pixels (no EXIF with its GPS position, no
comment, no HTML hidden in a segment or after the image), and its pixel count is checked before
anything is decoded, so that a small file claiming a huge image is refused, not decoded.

The checks are CPU work on untrusted bytes: they run in a worker thread with a time bound
(check_file, portal.cpu).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pikepdf
from PIL import Image, ImageOps

from portal.cpu import run_cpu_bound_within
from portal.i18n import _

# An A4 page scanned at 600 dpi is about 35 million pixels; a photo of a phone 12 to 50.
MAX_PIXELS = 60_000_000
# Long enough for a 10 MB PDF with many objects on a busy machine; a file still being looked
# at after it is refused (the thread finishes on its own, bounded by the size limit).
CHECK_SECONDS = 15.0
# Keys and names of active content: JavaScript (/JS, /JavaScript), actions run without a click
# (/AA: on opening a page, focusing a field…), program launches, embedded and attached files,
# multimedia and XFA forms (which carry scripts of their own).
ACTIVE_KEYS = frozenset(
    {"/JS", "/JavaScript", "/AA", "/Launch", "/EmbeddedFiles", "/EmbeddedFile", "/EF"}
    | {"/RichMedia", "/XFA"}
)
ACTIVE_NAMES = frozenset({"/JavaScript", "/Launch", "/EmbeddedFile", "/RichMedia"})
# After a PDF's last end-of-file marker only line ends and blanks may follow.
PDF_END = re.compile(rb"%%EOF\s*\Z")
JPEG_QUALITY = 90


class Unacceptable(Exception):
    """The file is not what it must be; the message says why, for the upload field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checked:
    """The bytes to store (an image written anew; a PDF as sent)."""

    data: bytes
    content_type: str


async def check_file(data: bytes, content_type: str) -> Checked:
    """The file as it may be stored, or Unacceptable; never on the event loop."""
    try:
        return await run_cpu_bound_within(CHECK_SECONDS, check_sync, data, content_type)
    except TimeoutError:
        raise Unacceptable(
            _("This file could not be checked in time. Please save it again and upload it anew.")
        ) from None


def check_sync(data: bytes, content_type: str) -> Checked:
    if content_type == "application/pdf":
        check_pdf(data)
        return Checked(data, content_type)
    return Checked(reencode_image(data, content_type), content_type)


# -- PDF --------------------------------------------------------------------------------------


def check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-1024:]:
        raise Unacceptable(broken_pdf_message())
    if not PDF_END.search(data[-1024:]) or _is_zip(data):
        raise Unacceptable(
            _("This PDF file contains other data after its end. Please save it again as a PDF.")
        )
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise Unacceptable(encrypted_message()) from None
    except (pikepdf.PdfError, ValueError, RecursionError):
        raise Unacceptable(broken_pdf_message()) from None
    with pdf:
        # An empty user password opens a file that is still encrypted (to forbid printing,
        # copying…): refused too, the file must be readable as it is.
        if pdf.is_encrypted:
            raise Unacceptable(encrypted_message())
        try:
            if len(pdf.pages) == 0:
                raise Unacceptable(broken_pdf_message())
            active = _has_active_content(pdf)
        except (pikepdf.PdfError, ValueError, RecursionError):
            raise Unacceptable(broken_pdf_message()) from None
    if active:
        raise Unacceptable(
            _(
                "This PDF file contains active content (JavaScript, actions, embedded files). "
                "Please print it to a new PDF or scan it, and upload that."
            )
        )


def _is_zip(data: bytes) -> bool:
    try:
        return zipfile.is_zipfile(io.BytesIO(data))
    except Exception:  # a damaged end-of-archive record is no ZIP either
        return False


def _has_active_content(pdf: pikepdf.Pdf) -> bool:
    """Whether any object of the file (also one no page refers to) is active content."""
    if "/OpenAction" in pdf.Root and isinstance(pdf.Root.OpenAction, pikepdf.Dictionary):
        # An action run when the file opens; a plain destination (an array: "open at page 1",
        # as many writers put) is harmless.
        return True
    return any(_active(obj) for obj in pdf.objects)


def _active(obj: pikepdf.Object) -> bool:
    for item in _direct_parts(obj):
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            keys = set(item.keys())
            if keys & ACTIVE_KEYS:
                return True
            for key in ("/S", "/Type", "/Subtype"):
                value = item.get(key)
                if isinstance(value, pikepdf.Name) and str(value) in ACTIVE_NAMES:
                    return True
    return False


def _direct_parts(obj: pikepdf.Object) -> Iterator[pikepdf.Object]:
    """The object and the dictionaries and arrays written inside it (not those it refers to:
    every indirect object is visited on its own)."""
    stack = [obj]
    while stack:
        item = stack.pop()
        yield item
        if isinstance(item, pikepdf.Dictionary | pikepdf.Stream):
            children = [item.get(key) for key in item.keys()]  # noqa: SIM118 - a PDF dictionary
        elif isinstance(item, pikepdf.Array):
            children = list(item)
        else:
            continue
        stack.extend(
            child
            for child in children
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect
        )


def encrypted_message() -> str:
    return _(
        "This PDF file is encrypted or protected by a password. Please upload it without "
        "protection."
    )


def broken_pdf_message() -> str:
    return _("This PDF file is damaged and cannot be read. Please save it again as a PDF.")


# -- images -----------------------------------------------------------------------------------


def reencode_image(data: bytes, content_type: str) -> bytes:
    """The image's pixels in a new file of the same type, nothing else of the original."""
    image_format = "PNG" if content_type == "image/png" else "JPEG"
    try:
        with warnings.catch_warnings():
            # Pillow warns above its own limit and raises at twice it; ours is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[image_format]) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise Unacceptable(too_many_pixels_message())
                image.load()
                icc_profile = image.info.get("icc_profile")
                # Turned upright as the EXIF orientation says, since the EXIF is dropped; in
                # place, as a copy of 60 million pixels would take another 180 MB.
                ImageOps.exif_transpose(image, in_place=True)
                # Pillow writes a JPEG's comment (and more) from `info` again: nothing of it.
                image.info = {}
                return _encode(image, image_format, icc_profile)
    except Image.DecompressionBombError:
        raise Unacceptable(too_many_pixels_message()) from None
    except (OSError, SyntaxError, ValueError, Image.UnidentifiedImageError, EOFError):
        raise Unacceptable(
            _("This image file is damaged and cannot be read. Please save it again.")
        ) from None


def _encode(image: Image.Image, image_format: str, icc_profile: bytes | None) -> bytes:
    if image_format == "JPEG" and image.mode not in ("L", "RGB", "CMYK"):
        image = image.convert("RGB")
    out = io.BytesIO()
    options: dict[str, object] = {"icc_profile": icc_profile} if icc_profile else {}
    if image_format == "JPEG":
        options["quality"] = JPEG_QUALITY
    image.save(out, format=image_format, **options)
    return out.getvalue()


def too_many_pixels_message() -> str:
    return _(
        "This image has more than %(n)s million pixels. Please save it in a smaller size.",
        n=MAX_PIXELS // 1_000_000,
    )
