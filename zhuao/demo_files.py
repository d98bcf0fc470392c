"""Small real files for the demo data: a one-page PDF with Chinese text and a JPEG photo, made in
memory and handed to the apps' own upload services (type and size checks, storage API), as a
user's upload would be. Nothing is read from disk, so the seed runs anywhere (SQLite included).

The PDF uses STSong-Light, one of the CJK fonts every PDF reader provides (Adobe-GB1), so it
needs no embedded font and stays a few kilobytes."""
from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile


def _text(value: str) -> bytes:
    """A PDF hex string in the UniGB-UCS2-H encoding (UTF-16 big-endian, BMP only)."""
    return b"<" + value.encode("utf-16-be").hex().upper().encode() + b">"


def demo_pdf(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    """An A4 page: ``title`` in large type, then ``lines``."""
    content = [b"BT", b"/F1 18 Tf", b"72 770 Td", _text(title) + b" Tj", b"/F1 12 Tf",
               b"0 -40 Td"]
    for line in lines:
        content += [_text(line) + b" Tj", b"0 -22 Td"]
    content.append(b"ET")
    stream = b"\n".join(content)
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>"
        b"/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type0/BaseFont/STSong-Light/Encoding/UniGB-UCS2-H"
        b"/DescendantFonts[6 0 R]>>",
        b"<</Length %d>>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/CIDFontType0/BaseFont/STSong-Light"
        b"/CIDSystemInfo<</Registry(Adobe)/Ordering(GB1)/Supplement 4>>/FontDescriptor 7 0 R"
        b"/DW 1000>>",
        b"<</Type/FontDescriptor/FontName/STSong-Light/Flags 6/FontBBox[-25 -254 1000 880]"
        b"/ItalicAngle 0/Ascent 880/Descent -120/CapHeight 880/StemV 93>>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return SimpleUploadedFile(name, out.getvalue(), content_type="application/pdf")


def demo_photo(name: str, *, background=(214, 222, 230),
               panel=(250, 246, 232)) -> SimpleUploadedFile:
    """A 640×480 JPEG: a notice board with pinned sheets (a stand-in for a phone photo)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), background)
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 50, 580, 400), fill=(120, 84, 52))
    draw.rectangle((75, 65, 565, 385), fill=(196, 160, 112))
    for index, left in enumerate((95, 255, 415)):
        draw.rectangle((left, 90, left + 135, 280 + 30 * (index % 2)), fill=panel)
        for row in range(6):
            draw.line((left + 12, 115 + row * 24, left + 122, 115 + row * 24),
                      fill=(90, 90, 90), width=3)
        draw.ellipse((left + 60, 82, left + 74, 96), fill=(200, 40, 40))
    draw.rectangle((0, 420, 640, 480), fill=(150, 150, 145))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")
