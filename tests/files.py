"""Real files for the upload tests, made here byte by byte: harmless PDFs, PNGs and JPEGs, and
the hostile ones an attacker sends (active PDFs, polyglots, a pixel bomb, a photo with GPS)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pikepdf
from PIL import ExifTags, Image

PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"


def pdf(
    *, catalog: bytes = b"", objects: tuple[bytes, ...] = (), padding: int = 0, comment: bytes = b""
) -> bytes:
    """A one-page PDF written by hand; `catalog` goes into the catalog's dictionary, `objects`
    are numbered from 4 on, `padding` bytes of a comment make it bigger, `comment` is a line
    of its own."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog + b" >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        PAGE,
        *objects,
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    if padding:
        out += b"%" + b"x" * padding + b"\n"
    if comment:
        out += b"%" + comment + b"\n"
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(bodies) + 1,
        xref,
    )
    return bytes(out)


def with_javascript() -> bytes:
    return pdf(
        catalog=b"/Names << /JavaScript << /Names [(x) 4 0 R] >> >>",
        objects=(b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>",),
    )


def with_open_action() -> bytes:
    """An action run on opening: here it opens a web address (no JavaScript in the file)."""
    return pdf(catalog=b"/OpenAction << /S /URI /URI (https://attacker.invalid/) >>")


def with_open_destination() -> bytes:
    """/OpenAction as a plain destination, "open at page 1" (Word and LibreOffice write it)."""
    return pdf(catalog=b"/OpenAction [3 0 R /Fit]")


def with_launch() -> bytes:
    """A link annotation on no page that would start a program (found all the same)."""
    return pdf(objects=(b"<< /Type /Annot /Subtype /Link /A << /S /Launch /F (cmd.exe) >> >>",))


def with_embedded_file() -> bytes:
    return pdf(
        catalog=b"/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >>",
        objects=(
            b"<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
            b"<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
        ),
    )


def encrypted(*, user_password: str = "geheim") -> bytes:  # noqa: S107 - a test file
    with pikepdf.open(io.BytesIO(pdf())) as document:
        out = io.BytesIO()
        document.save(out, encryption=pikepdf.Encryption(owner="owner", user=user_password))
        return out.getvalue()


def pdf_zip_polyglot() -> bytes:
    """A PDF with a ZIP archive after its end: a PDF to a PDF reader, an archive to unzip."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("payload.html", "<script>alert(1)</script>")
    return pdf() + archive.getvalue()


def png(size: tuple[int, int] = (4, 3), color: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, format="PNG")
    return out.getvalue()


def jpeg(size: tuple[int, int] = (8, 6), *, gps: bool = False, rotated: bool = False) -> bytes:
    """A JPEG; with `gps` a phone's EXIF with its position, with `rotated` the EXIF orientation
    "turn 90° to show" (as a phone held upright writes it)."""
    exif = Image.Exif()
    if rotated:
        exif[ExifTags.Base.Orientation] = 6
    if gps:
        exif[ExifTags.Base.Make] = "Telefon"
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (52.0, 31.0, 12.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (13.0, 24.0, 36.0),
        }
    out = io.BytesIO()
    options = {"exif": exif} if gps or rotated else {}
    Image.new("RGB", size, (30, 120, 200)).save(out, format="JPEG", quality=90, **options)
    return out.getvalue()


def jpeg_html_polyglot() -> bytes:
    """A JPEG with an HTML page in a comment segment and after its end."""
    html = b"<html><body><script>alert(document.cookie)</script></body></html>"
    image = jpeg()
    comment = b"\xff\xfe" + struct.pack(">H", len(html) + 2) + html
    return image[:2] + comment + image[2:] + html


def png_bomb(side: int = 20_000) -> bytes:
    """A real decompression bomb: a side × side black image (400 million pixels, 50 MB as raw
    rows) in a file of about 50 KB."""
    row = b"\x00" + bytes((side + 7) // 8)  # filter byte, then one bit a pixel
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )
