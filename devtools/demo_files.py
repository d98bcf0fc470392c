"""Small real files for the demo data: a one-page PDF with Chinese text and a JPEG photo, made in
memory and handed to the apps' own upload services (type and size checks, storage API), as a
user's upload would be. Nothing is read from disk, so the seed runs anywhere (SQLite included).
The PDF is rendered by WeasyPrint in Noto Sans CJK, like every PDF the application makes."""
from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from PIL import Image, ImageDraw


def demo_pdf(name: str, title: str, lines: list[str]) -> SimpleUploadedFile:
    """An A4 page: ``title`` as its heading, then ``lines``."""
    from weasyprint import HTML

    body = "".join(f"<p>{escape(line)}</p>" for line in lines)
    html = ('<html lang="zh"><head><meta charset="utf-8"><style>'
            '@page { size: A4; margin: 2.5cm; }'
            'body { font-family: "Noto Sans CJK SC", sans-serif; font-size: 12pt; }'
            'h1 { font-size: 18pt; }</style></head>'
            f"<body><h1>{escape(title)}</h1>{body}</body></html>")
    return SimpleUploadedFile(name, HTML(string=html).write_pdf(), content_type="application/pdf")


def demo_photo(name: str, *, background=(214, 222, 230),
               panel=(250, 246, 232)) -> SimpleUploadedFile:
    """A 640×480 JPEG: a notice board with pinned sheets (a stand-in for a phone photo)."""
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
