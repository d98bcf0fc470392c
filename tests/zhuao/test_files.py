"""Tests for core.files. No database; Django settings for messages, dates and responses.

Every sample file is built here: PDFs, PNGs and JPEGs with Pillow, XLSX with openpyxl,
zips with zipfile, so the tests show exactly what is accepted and why.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import django
import openpyxl
import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django.utils import timezone, translation
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, PngImagePlugin

if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
    # Run without pytest-django (-p no:django --noconftest): just enough settings to
    # render messages; importing zhuao would otherwise point at zhuao.settings.local.
    settings.configure(USE_I18N=True, USE_TZ=True, TIME_ZONE="Asia/Shanghai")
if not apps.ready:
    django.setup()

from core.files import (
    CONTENT_TYPES,
    FileKind,
    UploadTo,
    detect_kind,
    protected_file_response,
    safe_filename,
    upload_to,
    validate_upload,
)

MB = 1024 * 1024
DOCS = {FileKind.PDF, FileKind.JPEG, FileKind.PNG}
ALL = {FileKind.PDF, FileKind.JPEG, FileKind.PNG, FileKind.XLSX, FileKind.CSV}


# --------------------------------------------------------------------- sample files


def _image(fmt: str, size: tuple[int, int] = (40, 30), **save_kwargs: object) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 30, 30))
    for x in range(0, size[0], 3):  # some detail so the encoder has work to do
        image.putpixel((x, x % size[1]), (0, 0, 255))
    image.save(buffer, fmt, **save_kwargs)
    return buffer.getvalue()


def png_bytes(**kwargs: object) -> bytes:
    return _image("PNG", **kwargs)


def jpeg_bytes(**kwargs: object) -> bytes:
    return _image("JPEG", **kwargs)


def pdf_bytes() -> bytes:
    return _image("PDF")


def xlsx_bytes(rows: int = 50) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "澳门身份证", "金额 (MOP)"])
    for i in range(rows):
        sheet.append([f"陈大文{i}", f"1{i:06d}(3)", 3000 + i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


CSV_TEXT = "姓名,金额\n陳大文,3000.50\n李小明,2500\n"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def rejected(
    name: str, content: bytes, *, kinds: set[str] = DOCS, max_bytes: int = 5 * MB
) -> ValidationError:
    f = upload(name, content)
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(f, kinds=kinds, max_bytes=max_bytes)
    assert f.tell() == 0, "file pointer must be back at 0 after a refusal"
    return excinfo.value


def english(exc: ValidationError) -> str:
    with translation.override("en"):
        return " ".join(exc.messages)


# -------------------------------------------------------------------------- accepted


@pytest.mark.parametrize(
    ("name", "build", "kind"),
    [
        ("授权书.pdf", pdf_bytes, FileKind.PDF),
        ("scan.PDF", pdf_bytes, FileKind.PDF),
        ("photo.jpg", jpeg_bytes, FileKind.JPEG),
        ("photo.JPEG", jpeg_bytes, FileKind.JPEG),
        ("evidence.png", png_bytes, FileKind.PNG),
        ("roster.xlsx", xlsx_bytes, FileKind.XLSX),
        ("名单.csv", lambda: CSV_TEXT.encode("utf-8"), FileKind.CSV),
        ("excel.csv", lambda: CSV_TEXT.encode("utf-8-sig"), FileKind.CSV),
        ("wps.csv", lambda: CSV_TEXT.encode("gb18030"), FileKind.CSV),
    ],
)
def test_accepted_files(name: str, build: Callable[[], bytes], kind: str) -> None:
    f = upload(name, build())
    f.read(3)  # pointer anywhere: the check starts from 0 and goes back there
    assert validate_upload(f, kinds=ALL, max_bytes=5 * MB) == kind
    assert f.tell() == 0
    assert f.read() == build() or kind in (FileKind.PDF, FileKind.XLSX)  # PDFs carry dates


def test_real_spreadsheet_with_many_rows_is_not_a_zip_bomb() -> None:
    f = upload("roster.xlsx", xlsx_bytes(rows=5000))
    assert validate_upload(f, kinds={FileKind.XLSX}, max_bytes=10 * MB) == FileKind.XLSX


def test_exact_size_limit_is_allowed() -> None:
    content = pdf_bytes()
    assert validate_upload(upload("a.pdf", content), kinds=DOCS, max_bytes=len(content)) == "pdf"


# ------------------------------------------------------------------ content vs name


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("scan.pdf", b"hello, this is not a PDF"),
        ("scan.pdf", b"<html><body>phish</body></html>"),
        ("photo.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),  # a Windows program
        ("scan.pdf", b"\x00\x01\x02\x03binary"),
    ],
)
def test_wrong_magic_behind_good_extension(name: str, content: bytes) -> None:
    error = rejected(name, content)
    assert error.code == "wrong_content"
    assert english(error) == "The file's content is not a PDF / JPEG / PNG file."


def test_spreadsheet_where_only_documents_are_allowed() -> None:
    error = rejected("roster.xlsx", xlsx_bytes())
    assert error.code == "wrong_content"


def test_png_named_pdf() -> None:
    error = rejected("scan.pdf", png_bytes(), kinds=DOCS)
    assert error.code == "extension_mismatch"
    assert english(error) == "The file name ends in .pdf but the content is a PNG file."
    assert rejected("scan.pdf", png_bytes(), kinds={FileKind.PDF}).code == "wrong_content"


def test_jpeg_named_png() -> None:
    assert rejected("photo.png", jpeg_bytes()).code == "extension_mismatch"


@pytest.mark.parametrize("name", ["scan", "scan.exe", "scan.pdf.exe", "scan.html", "scan.xlsx"])
def test_extension_not_allowed(name: str) -> None:
    error = rejected(name, pdf_bytes())
    assert error.code == "bad_extension"
    assert ".pdf" in english(error) and ".png" in english(error)


# ------------------------------------------------------------------------- images


def test_png_html_polyglot_appended() -> None:
    content = png_bytes() + b"<html><script>alert(document.cookie)</script></html>"
    error = rejected("photo.png", content)
    assert error.code == "polyglot"
    assert "web page code" in english(error)


def test_png_polyglot_in_text_chunk_within_first_kilobyte() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<SCRIPT src=//evil.example/x.js></SCRIPT>")
    content = png_bytes(pnginfo=info)
    assert content.lower().find(b"<script") < 1024
    assert rejected("photo.png", content).code == "polyglot"


def test_jpeg_polyglot_in_comment() -> None:
    content = jpeg_bytes(comment=b"<html><body onload=alert(1)>")
    assert rejected("photo.jpg", content).code == "polyglot"


def test_png_with_damaged_body() -> None:
    content = png_bytes()
    damaged = content[:40] + bytes(b ^ 0xFF for b in content[40:80]) + content[80:]
    error = rejected("photo.png", damaged)
    assert error.code == "damaged"
    assert "PNG" in english(error)


def test_png_signature_then_garbage() -> None:
    assert rejected("photo.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20).code == "damaged"


def test_truncated_jpeg() -> None:
    content = jpeg_bytes(size=(400, 300))
    assert rejected("photo.jpg", content[: len(content) // 2]).code == "damaged"


def test_truncated_jpeg_once_weasyprint_is_loaded() -> None:
    """Importing WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process (the web
    worker that rendered a PDF): the upload check must not depend on it."""
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    content = jpeg_bytes(size=(400, 300))
    assert rejected("photo.jpg", content[: len(content) // 2]).code == "damaged"
    assert rejected("photo.jpg", content[:-200]).code == "damaged"


def test_image_with_too_many_pixels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.files.MAX_IMAGE_PIXELS", 1000)
    error = rejected("photo.png", png_bytes(size=(100, 100)))
    assert error.code == "image_too_large"


# --------------------------------------------------------------------------- PDFs


def test_pdf_without_end_marker() -> None:
    content = pdf_bytes()
    truncated = content[: content.rindex(b"%%EOF")]
    error = rejected("scan.pdf", truncated)
    assert error.code == "damaged"
    assert "PDF" in english(error)


def test_pdf_end_marker_must_be_near_the_end() -> None:
    assert rejected("scan.pdf", pdf_bytes() + b"\n" + b"x" * 2048).code == "damaged"
    # a little trailing whitespace after %%EOF is normal
    assert validate_upload(upload("a.pdf", pdf_bytes() + b"\r\n"), kinds=DOCS, max_bytes=MB)


# -------------------------------------------------------------------- empty / size


def test_empty_file() -> None:
    error = rejected("scan.pdf", b"")
    assert error.code == "empty"
    assert english(error) == "The file is empty."


def test_oversized_file() -> None:
    error = rejected("scan.pdf", pdf_bytes() + b" " * MB, max_bytes=MB)
    assert error.code == "too_large"
    assert english(error) == "The file is larger than 1 MB."


def test_oversized_small_limit_in_kilobytes() -> None:
    error = rejected("scan.pdf", pdf_bytes() + b" " * 1024, max_bytes=512)
    assert english(error) == "The file is larger than 0.5 KB."


def test_size_is_measured_not_trusted() -> None:
    """A file object that under-reports its size is still measured."""

    class LyingUpload(io.BytesIO):
        name = "scan.pdf"
        size = 10

    f = LyingUpload(pdf_bytes() + b" " * 4096)
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(f, kinds=DOCS, max_bytes=4096)
    assert excinfo.value.code == "too_large"
    assert f.tell() == 0


def test_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        validate_upload(upload("a.pdf", pdf_bytes()), kinds={"docx"}, max_bytes=MB)
    with pytest.raises(ValueError):
        validate_upload(upload("a.pdf", pdf_bytes()), kinds=set(), max_bytes=MB)


# ---------------------------------------------------------------------- XLSX / zip


def _zip(entries: dict[str, bytes], *, big: tuple[str, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
        if big is not None:
            name, size = big
            chunk = b"\x00" * MB
            with archive.open(name, "w", force_zip64=True) as entry:
                for _ in range(size // MB):
                    entry.write(chunk)
    return buffer.getvalue()


XLSX_SKELETON = {
    "[Content_Types].xml": b"<?xml version='1.0'?><Types/>",
    "xl/workbook.xml": b"<?xml version='1.0'?><workbook/>",
}


def test_zip_bomb_disguised_as_xlsx() -> None:
    content = _zip(XLSX_SKELETON, big=("xl/worksheets/sheet1.xml", 60 * MB))
    assert len(content) < MB  # 60 MB of zeros packs into a few dozen KB
    error = rejected("roster.xlsx", content, kinds={FileKind.XLSX})
    assert error.code == "zip_bomb"
    assert "50 MB" in english(error)


def test_zip_compression_ratio_over_100() -> None:
    content = _zip(XLSX_SKELETON, big=("xl/worksheets/sheet1.xml", 5 * MB))
    error = rejected("roster.xlsx", content, kinds={FileKind.XLSX})
    assert error.code == "zip_bomb"
    assert "compressed" in english(error)


def test_zip_with_too_many_entries() -> None:
    entries = dict(XLSX_SKELETON)
    entries.update({f"xl/media/{i}.bin": b"x" for i in range(1001)})
    error = rejected("roster.xlsx", _zip(entries), kinds={FileKind.XLSX})
    assert error.code == "zip_bomb"
    assert "1000" in english(error)


@pytest.mark.parametrize(
    "content",
    [
        _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),  # a .docx
        _zip({"xl/workbook.xml": b"<workbook/>"}),
        b"PK\x03\x04" + b"not really a zip" * 10,
    ],
)
def test_zip_that_is_not_a_workbook(content: bytes) -> None:
    assert rejected("roster.xlsx", content, kinds={FileKind.XLSX}).code == "wrong_content"


# ---------------------------------------------------------------------------- CSV


@pytest.mark.parametrize(
    "content",
    [
        b"name,amount\x00\n",
        "名单".encode("utf-16"),  # has NUL bytes
        bytes(range(256)),
        b"\x80\xff\xfe\x81",
        b"a,b\n\x1b[31mred\n",  # terminal escape
    ],
)
def test_csv_that_is_not_text(content: bytes) -> None:
    error = rejected("list.csv", content, kinds={FileKind.CSV})
    assert error.code == "wrong_content"
    assert english(error) == "The file's content is not a CSV file."


def test_text_named_csv_where_only_documents_allowed() -> None:
    assert rejected("list.csv", CSV_TEXT.encode()).code == "wrong_content"


def test_detect_kind() -> None:
    assert detect_kind(pdf_bytes()) == FileKind.PDF
    assert detect_kind(png_bytes()) == FileKind.PNG
    assert detect_kind(jpeg_bytes()) == FileKind.JPEG
    assert detect_kind(xlsx_bytes()) == FileKind.XLSX
    assert detect_kind(CSV_TEXT.encode("gb18030")) == FileKind.CSV
    assert detect_kind(b"") is None
    assert detect_kind(b"\x00\x00") is None


# ------------------------------------------------------------------- safe_filename


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\system32\\scan.pdf", "scan.pdf"),
        ("C:\\Users\\陈大文\\Desktop\\授权书.pdf", "授权书.pdf"),
        ("申请人授权书（签字版）.pdf", "申请人授权书（签字版）.pdf"),
        ("澳門居民身份證 副本.JPG", "澳門居民身份證 副本.JPG"),
        ("家庭  收入\t证明.png", "家庭 收入 证明.png"),
        ("a\x00b\nc\x7f.pdf", "ab c.pdf"),
        ("\u3000授权书\u3000.pdf", "授权书.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # right-to-left override dropped
        ("a..b.pdf", "a.b.pdf"),
        ("report....pdf", "report.pdf"),
        ('a<b>:c"d|e?f*.pdf', "abcdef.pdf"),
        ("..", "file"),
        ("", "file"),
        ("/", "file"),
        (".pdf", "file.pdf"),
        ("...pdf", "file.pdf"),
        ("   .png", "file.png"),
        ("no extension", "no extension"),
        ("archive.tar.gz", "archive.tar.gz"),
    ],
)
def test_safe_filename(name: str, safe: str) -> None:
    assert safe_filename(name) == safe


def test_safe_filename_long_names() -> None:
    with pytest.raises(ValidationError) as excinfo:
        safe_filename("a" * 296 + ".pdf")  # 300 characters
    assert excinfo.value.code == "name_too_long"
    assert "255" in english(excinfo.value)

    result = safe_filename("b" * 251 + ".pdf")  # 255: accepted, shortened
    assert result == "b" * 96 + ".pdf"
    assert len(result) == 100

    chinese = safe_filename("珠澳社会救助改革创新试点" * 12 + ".xlsx")
    assert len(chinese) == 100 and chinese.endswith(".xlsx")
    assert chinese.startswith("珠澳社会救助")


@given(st.text(max_size=255))
def test_safe_filename_properties(name: str) -> None:
    result = safe_filename(name)
    assert result
    assert len(result) <= 100
    assert "/" not in result and "\\" not in result
    assert ".." not in result
    assert not re.search(r"[\x00-\x1f\x7f]", result)
    assert result == result.strip()


# ------------------------------------------------------------------------ upload_to


def test_upload_to_never_uses_the_users_name() -> None:
    to = upload_to("authorizations")
    path = to(None, "../../陈大文 授权书.PDF")
    today = timezone.localdate()
    assert re.fullmatch(rf"authorizations/{today:%Y}/{today:%m}/[0-9a-f]{{32}}\.pdf", path), path
    assert to(None, "x.pdf") != to(None, "x.pdf")


@pytest.mark.parametrize(
    ("name", "suffix"),
    [("scan", ""), ("photo.JPeg", ".jpeg"), ("a.b.c.png", ".png"), ("evil.p$f", "")],
)
def test_upload_to_extension(name: str, suffix: str) -> None:
    path = upload_to("evidence/")(None, name)
    assert path.startswith("evidence/")
    assert re.fullmatch(r"[0-9a-f]{32}" + re.escape(suffix), path.rsplit("/", 1)[1])


def test_upload_to_is_serialisable_for_migrations() -> None:
    from django.db.migrations.writer import MigrationWriter

    to = upload_to("minutes")
    assert to.deconstruct() == ("core.files.UploadTo", ("minutes",), {})
    assert to == UploadTo("minutes") and to != UploadTo("evidence")
    code, imports = MigrationWriter.serialize(to)
    assert code == "core.files.UploadTo('minutes')"
    assert "import core.files" in imports


@pytest.mark.parametrize("prefix", ["", "/", "../x", "a/../b"])
def test_upload_to_bad_prefix(prefix: str) -> None:
    with pytest.raises(ValueError):
        upload_to(prefix)


# ---------------------------------------------------------- protected_file_response


@pytest.mark.parametrize(
    ("build", "kind"),
    [
        (pdf_bytes, FileKind.PDF),
        (jpeg_bytes, FileKind.JPEG),
        (png_bytes, FileKind.PNG),
        (xlsx_bytes, FileKind.XLSX),
        (lambda: CSV_TEXT.encode("utf-8"), FileKind.CSV),
    ],
)
def test_protected_file_response(tmp_path: Path, build: Callable[[], bytes], kind: str) -> None:
    storage = FileSystemStorage(location=tmp_path)
    content = build()
    stored = storage.save("files/0123456789abcdef.bin", ContentFile(content))
    field_file = FieldFile(None, FileField(storage=storage), stored)

    response = protected_file_response(field_file, download_name="澳门 授权书.pdf")
    try:
        assert response["Content-Type"] == CONTENT_TYPES[kind]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''" in response["Content-Disposition"]
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == content
    finally:
        response.file_to_stream.close()  # not response.close(): that signals request_finished


def test_protected_file_response_without_a_file_is_not_found(tmp_path: Path) -> None:
    """A record whose file was never uploaded or was removed by retention answers 404."""
    from django.http import Http404

    field_file = FieldFile(None, FileField(storage=FileSystemStorage(location=tmp_path)), "")
    with pytest.raises(Http404):
        protected_file_response(field_file, download_name="scan.pdf")


def test_protected_file_response_sanitises_download_name(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path)
    stored = storage.save("x.bin", ContentFile(pdf_bytes()))
    field_file = FieldFile(None, FileField(storage=storage), stored)
    response = protected_file_response(field_file, download_name="../../etc/minutes.pdf")
    try:
        assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    finally:
        response.file_to_stream.close()  # not response.close(): that signals request_finished


def test_protected_file_response_unknown_content(tmp_path: Path) -> None:
    storage = FileSystemStorage(location=tmp_path)
    stored = storage.save("x.bin", ContentFile(b"\x00\x01binary"))
    field_file = FieldFile(None, FileField(storage=storage), stored)
    response = protected_file_response(field_file, download_name="x.bin")
    try:
        assert response["Content-Type"] == "application/octet-stream"
    finally:
        response.file_to_stream.close()  # not response.close(): that signals request_finished


def _pdf_with(body: bytes) -> bytes:
    return b"%PDF-1.7\n" + body + b"\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize("body", [
    b"1 0 obj << /Type /Catalog /OpenAction 2 0 R >> endobj",
    b"2 0 obj << /S /JavaScript /JS (app.alert(1)) >> endobj",
    b"2 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj",  # names with #xx escapes
    b"2 0 obj << /S /Launch /F (cmd.exe) >> endobj",
    b"3 0 obj << /Names << /EmbeddedFiles 4 0 R >> >> endobj",
    # a dictionary hidden in a compressed object stream
    b"5 0 obj << /Type /ObjStm /Filter /FlateDecode >> stream\n"
    + __import__("zlib").compress(b"<< /OpenAction << /S /JavaScript >> >>") + b"\nendstream endobj",
])
def test_pdf_with_active_content_is_refused(body: bytes) -> None:
    error = rejected("a.pdf", _pdf_with(body))
    assert error.code == "active_content"


def test_a_plain_pdf_and_one_naming_similar_words_pass() -> None:
    assert validate_upload(upload("a.pdf", pdf_bytes()), kinds=DOCS, max_bytes=5 * MB) == "pdf"
    text = _pdf_with(b"1 0 obj << /Type /Catalog /JSONData (x) /Title (JavaScript) >> endobj")
    assert validate_upload(upload("b.pdf", text), kinds=DOCS, max_bytes=5 * MB) == "pdf"
