"""Checked uploads: signed authorizations, evidence, minutes, spreadsheets.

Uploaded files hold personal data and are opened by officers on government
machines, so an upload is accepted only when *what it is* can be established from its
content, and the name agrees with it:

* the magic bytes identify the kind (the browser's Content-Type and the file name are
  chosen by the sender and prove nothing);
* the extension must name the same kind, so that nobody downloads "scan.pdf" and gets
  an HTML page or a program;
* images are parsed by Pillow and refused if they also carry markup (an image/HTML
  polyglot is rendered as a web page by a browser that sniffs content);
* a PDF must end with ``%%EOF`` (truncated uploads are common on slow links);
* an XLSX is a zip: its table of contents is checked against zip bombs before anyone
  unpacks it (Python's ``zipfile`` never reads past an entry's declared size, so
  checking the declared sizes bounds what openpyxl will later decompress);
* a CSV must be text in UTF-8 (with or without BOM) or GB18030, the encodings Excel
  and WPS write on Chinese systems.

Stored files never keep the sender's name on disk (:class:`UploadTo`), and are served
only as attachments with ``nosniff`` (:func:`protected_file_response`).
"""

from __future__ import annotations

import io
import posixpath
import re
import unicodedata
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image

__all__ = [
    "CONTENT_TYPES",
    "EXTENSIONS",
    "FileKind",
    "UploadTo",
    "detect_kind",
    "protected_file_response",
    "safe_filename",
    "upload_to",
    "validate_upload",
]


class FileKind:
    """The kinds of file the application accepts (plain constants, used in sets)."""

    PDF = "pdf"
    JPEG = "jpeg"
    PNG = "png"
    XLSX = "xlsx"
    CSV = "csv"

    ALL = frozenset({PDF, JPEG, PNG, XLSX, CSV})


#: Extensions (lower case, without the dot) that name each kind.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    FileKind.PDF: ("pdf",),
    FileKind.JPEG: ("jpg", "jpeg"),
    FileKind.PNG: ("png",),
    FileKind.XLSX: ("xlsx",),
    FileKind.CSV: ("csv",),
}
_KIND_BY_EXTENSION = {ext: kind for kind, exts in EXTENSIONS.items() for ext in exts}

#: Names shown to users, in a fixed order.
_DISPLAY = {
    FileKind.PDF: "PDF",
    FileKind.JPEG: "JPEG",
    FileKind.PNG: "PNG",
    FileKind.XLSX: "XLSX",
    FileKind.CSV: "CSV",
}

CONTENT_TYPES = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    FileKind.CSV: "text/csv",
}

MB = 1024 * 1024
#: Zip-bomb limits for XLSX.
ZIP_MAX_UNCOMPRESSED = 50 * MB
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 1000
#: Images larger than this are refused before Pillow decodes them (decompression bomb).
MAX_IMAGE_PIXELS = 60_000_000
#: Markers that do not belong in an image; their presence means an image/HTML polyglot.
_MARKUP_MARKERS = (b"<script", b"<html", b"<iframe", b"<?php")
_PDF_EOF_WINDOW = 1024

_PDF_MAGIC = b"%PDF-"
_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_ZIP_MAGIC = b"PK\x03\x04"


# ----------------------------------------------------------------------- detection


def _decode_text(data: bytes) -> str | None:
    """The text of ``data`` if it is UTF-8 (BOM optional) or GB18030, else None."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _looks_like_text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    text = _decode_text(data)
    return text is not None and not _CONTROL_CHARS.search(text)


def _xlsx_names(data: bytes) -> list[zipfile.ZipInfo] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def detect_kind(data: bytes) -> str | None:
    """The :class:`FileKind` of ``data`` judged by content alone, or None.

    A zip counts as XLSX only if it contains ``[Content_Types].xml`` and
    ``xl/workbook.xml`` (a .docx is a zip too). Anything without a known signature
    that decodes as text is CSV.
    """
    if data.startswith(_PDF_MAGIC):
        return FileKind.PDF
    if data.startswith(_PNG_MAGIC):
        return FileKind.PNG
    if data.startswith(_JPEG_MAGIC):
        return FileKind.JPEG
    if data.startswith(_ZIP_MAGIC):
        infos = _xlsx_names(data)
        names = {info.filename for info in infos or ()}
        if {"[Content_Types].xml", "xl/workbook.xml"} <= names:
            return FileKind.XLSX
        return None
    if data and _looks_like_text(data):
        return FileKind.CSV
    return None


# ---------------------------------------------------------------------- validation


def _kinds_label(kinds: Iterable[str]) -> str:
    return " / ".join(_DISPLAY[k] for k in _DISPLAY if k in set(kinds))


def _size_limit_error(max_bytes: int) -> ValidationError:
    if max_bytes >= MB:
        limit = f"{max_bytes / MB:.1f}".removesuffix(".0")
        return ValidationError(
            _("The file is larger than %(limit)s MB."),
            code="too_large",
            params={"limit": limit},
        )
    limit = f"{max_bytes / 1024:.1f}".removesuffix(".0")
    return ValidationError(
        _("The file is larger than %(limit)s KB."), code="too_large", params={"limit": limit}
    )


def _extension(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    _stem, dot, ext = base.rpartition(".")
    return ext.lower() if dot else ""


def _read_all(uploaded_file: Any, max_bytes: int) -> bytes:
    """Read at most ``max_bytes + 1`` bytes, whatever the declared size says."""
    uploaded_file.seek(0)
    chunks: list[bytes] = []
    remaining = max_bytes + 1
    while remaining > 0:
        chunk = uploaded_file.read(min(remaining, 1 * MB))
        if not chunk:
            break
        if isinstance(chunk, str):  # text-mode file objects
            chunk = chunk.encode("utf-8")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _check_image(data: bytes, kind: str) -> None:
    lowered = data.lower()
    if any(marker in lowered for marker in _MARKUP_MARKERS):
        raise ValidationError(
            _("The image contains web page code and is refused for safety."),
            code="polyglot",
        )
    damaged = ValidationError(
        _("The image is damaged or is not a real %(kind)s image."),
        code="damaged",
        params={"kind": _DISPLAY[kind]},
    )
    try:
        with Image.open(io.BytesIO(data)) as image:
            expected = "PNG" if kind == FileKind.PNG else "JPEG"
            if image.format != expected:
                raise damaged
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    _("The image is too large (%(width)s × %(height)s pixels)."),
                    code="image_too_large",
                    params={"width": width, "height": height},
                )
            image.verify()
        if kind == FileKind.JPEG:
            # A JPEG ends with the EOI marker (a little trailing padding is normal). Checked
            # here because Pillow's decoder pads truncated files silently once anything has
            # set ImageFile.LOAD_TRUNCATED_IMAGES, which importing WeasyPrint does.
            if b"\xff\xd9" not in data[-2048:]:
                raise damaged
            # verify() barely looks at a JPEG; decoding at 1/8 scale still reads the
            # whole entropy-coded stream, so corrupt files are caught.
            with Image.open(io.BytesIO(data)) as image:
                image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                image.load()
    except ValidationError:
        raise
    except Exception:  # Pillow raises many types (OSError, SyntaxError, struct.error, ...)
        raise damaged from None


#: Names of PDF features that run or carry something when the file is opened: scripts,
#: actions on opening, launching programs, embedded files and rich media.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|OpenAction|Launch|EmbeddedFiles?|RichMedia)"
                         rb"(?![A-Za-z0-9])")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
#: How much of a PDF's compressed streams is unpacked to look for those names.
_PDF_MAX_UNPACKED = 50 * MB


def _pdf_text(data: bytes) -> bytes:
    """The file and its Flate-compressed streams (object streams hide dictionaries there),
    unpacked up to ``_PDF_MAX_UNPACKED``, with ``#xx`` escapes in names decoded
    (``/J#61vaScript`` is ``/JavaScript``)."""
    parts, budget = [data], _PDF_MAX_UNPACKED
    for match in _PDF_STREAM.finditer(data):
        if budget <= 0:
            break
        try:
            unpacked = zlib.decompressobj().decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(unpacked)
        parts.append(unpacked)
    return _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), b"\n".join(parts))


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-_PDF_EOF_WINDOW:]:
        raise ValidationError(
            _("The PDF file is incomplete or damaged (it has no proper end)."),
            code="damaged",
        )
    if _PDF_ACTIVE.search(_pdf_text(data)):
        raise ValidationError(
            _("The PDF file contains scripts, actions or embedded files and is refused. Print "
              "it to a new PDF, or scan the paper document, and upload that."),
            code="active_content",
        )


def _check_xlsx(data: bytes) -> None:
    infos = _xlsx_names(data)
    if infos is None:  # pragma: no cover - detect_kind already opened it
        raise ValidationError(_("The spreadsheet file is damaged."), code="damaged")
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ValidationError(
            _("The spreadsheet contains too many parts (more than %(limit)s)."),
            code="zip_bomb",
            params={"limit": ZIP_MAX_ENTRIES},
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > ZIP_MAX_UNCOMPRESSED:
        raise ValidationError(
            _("The spreadsheet would be larger than %(limit)s MB once opened."),
            code="zip_bomb",
            params={"limit": ZIP_MAX_UNCOMPRESSED // MB},
        )
    if unpacked > ZIP_MAX_RATIO * len(data):
        raise ValidationError(
            _("The spreadsheet is compressed suspiciously strongly and is refused."),
            code="zip_bomb",
        )
    if _xlsx_declares_entities(data, infos):
        raise ValidationError(
            _("The spreadsheet contains XML declarations (DOCTYPE or ENTITY) that no "
              "spreadsheet program writes, and is refused. Save it again as XLSX."),
            code="xml_declarations",
        )


_XML_DECLARATION = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def _xlsx_declares_entities(data: bytes, infos: list[zipfile.ZipInfo]) -> bool:
    """Whether any part declares a DOCTYPE or an entity (entity expansion, external
    entities): the parts' total size is bounded by the zip checks above. UTF-16 parts are
    read as text too."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in infos:
            try:
                part = archive.read(info)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, OSError, zlib.error):
                raise ValidationError(_("The spreadsheet file is damaged."),
                                      code="damaged") from None
            if part[:2] in (b"\xff\xfe", b"\xfe\xff"):
                part = part.decode("utf-16", errors="ignore").encode()
            if _XML_DECLARATION.search(part):
                return True
    return False


def validate_upload(uploaded_file: Any, *, kinds: set[str], max_bytes: int) -> str:
    """Check an uploaded file and return its :class:`FileKind`.

    ``uploaded_file`` is a Django ``UploadedFile`` (or any file object with ``name``,
    ``read`` and ``seek``); ``kinds`` the accepted kinds; ``max_bytes`` the size limit.
    Raises ``ValidationError`` (codes ``empty``, ``too_large``, ``wrong_content``,
    ``bad_extension``, ``extension_mismatch``, ``polyglot``, ``damaged``,
    ``image_too_large``, ``zip_bomb``) with a message in the user's terms. The file
    pointer is left at 0 whatever happens.
    """
    unknown = set(kinds) - FileKind.ALL
    if not kinds or unknown:
        raise ValueError(f"unknown file kinds: {sorted(unknown) or 'none given'}")
    try:
        declared = getattr(uploaded_file, "size", None)
        if declared is not None and declared > max_bytes:
            raise _size_limit_error(max_bytes)
        data = _read_all(uploaded_file, max_bytes)
        if not data:
            raise ValidationError(_("The file is empty."), code="empty")
        if len(data) > max_bytes:
            raise _size_limit_error(max_bytes)

        kind = detect_kind(data)
        if kind not in kinds:
            raise ValidationError(
                _("The file's content is not a %(kinds)s file."),
                code="wrong_content",
                params={"kinds": _kinds_label(kinds)},
            )
        ext = _extension(getattr(uploaded_file, "name", "") or "")
        named_kind = _KIND_BY_EXTENSION.get(ext)
        if named_kind is None or named_kind not in kinds:
            raise ValidationError(
                _("The file name must end in %(extensions)s."),
                code="bad_extension",
                params={
                    "extensions": ", ".join(
                        "." + e for k in _DISPLAY if k in kinds for e in EXTENSIONS[k]
                    )
                },
            )
        if named_kind != kind:
            raise ValidationError(
                _("The file name ends in .%(extension)s but the content is a %(kind)s file."),
                code="extension_mismatch",
                params={"extension": ext, "kind": _DISPLAY[kind]},
            )

        if kind in (FileKind.PNG, FileKind.JPEG):
            _check_image(data, kind)
        elif kind == FileKind.PDF:
            _check_pdf(data)
        elif kind == FileKind.XLSX:
            _check_xlsx(data)
        return kind
    finally:
        try:
            uploaded_file.seek(0)
        except (AttributeError, OSError, ValueError):  # pragma: no cover - closed file
            pass


# ---------------------------------------------------------------------- file names

MAX_ORIGINAL_NAME = 255
MAX_SAFE_NAME = 100
_EXT = re.compile(r"\.[A-Za-z0-9]{1,10}\Z", re.ASCII)
# Characters that are unsafe in names on common file systems or in headers.
_FORBIDDEN = re.compile(r'[<>:"|?*]')


def safe_filename(name: str) -> str:
    """A file name that is safe to show and to offer as a download name.

    Keeps only the last path component (``/`` and ``\\`` both count), drops control
    and format characters (including the right-to-left override used to disguise
    ``exe`` as ``pdf``), characters Windows forbids and ``..``, collapses whitespace,
    keeps Chinese characters, and shortens to 100 characters keeping the extension.
    An empty result becomes ``file`` plus the extension. Names longer than 255
    characters are refused (``ValidationError``, code ``name_too_long``): that is
    not a name a person typed.
    """
    if len(name) > MAX_ORIGINAL_NAME:
        raise ValidationError(
            _("The file name is too long (more than %(limit)s characters)."),
            code="name_too_long",
            params={"limit": MAX_ORIGINAL_NAME},
        )
    name = unicodedata.normalize("NFC", name)
    name = "".join(" " if ch.isspace() else ch for ch in name)  # tabs, newlines, U+3000
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf"))
    name = re.split(r"[\\/]", name)[-1]
    name = _FORBIDDEN.sub("", name)
    while ".." in name:
        name = name.replace("..", ".")
    name = " ".join(name.split())

    match = _EXT.search(name)
    ext = match.group() if match else ""
    stem = name[: len(name) - len(ext)].strip(". ")
    stem = stem[: MAX_SAFE_NAME - len(ext)].rstrip(". ")
    if not stem:
        stem = "file"
    return stem + ext


@deconstructible(path="core.files.UploadTo")
class UploadTo:
    """``FileField(upload_to=...)`` callable: ``<prefix>/<yyyy>/<mm>/<uuid4 hex><.ext>``.

    The sender's name never reaches the disk (it may hold personal data or path
    tricks); the model keeps it in a separate field. A class rather than a closure,
    because migrations must be able to serialise ``upload_to``.
    """

    def __init__(self, prefix: str) -> None:
        prefix = prefix.strip("/")
        if not prefix or ".." in prefix.split("/"):
            raise ValueError(f"invalid upload prefix {prefix!r}")
        self.prefix = prefix

    def __call__(self, instance: object, filename: str) -> str:
        match = _EXT.search(re.split(r"[\\/]", filename or "")[-1])
        ext = match.group().lower() if match else ""
        now = timezone.now()
        today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
        return posixpath.join(self.prefix, f"{today:%Y}", f"{today:%m}", uuid.uuid4().hex + ext)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadTo) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)


def upload_to(prefix: str) -> UploadTo:
    """Return the ``upload_to`` callable storing files under ``prefix`` (see UploadTo)."""
    return UploadTo(prefix)


# ------------------------------------------------------------------------- serving


def _sniff(handle: IO[bytes]) -> str | None:
    head = handle.read(64 * 1024)
    handle.seek(0)
    if head.startswith(_ZIP_MAGIC):
        # The stored file passed validate_upload; only XLSX zips get that far.
        return FileKind.XLSX
    for magic, kind in (
        (_PDF_MAGIC, FileKind.PDF),
        (_PNG_MAGIC, FileKind.PNG),
        (_JPEG_MAGIC, FileKind.JPEG),
    ):
        if head.startswith(magic):
            return kind
    # Only CSV is left among validated kinds; a cut-off head may end inside a
    # multi-byte character, so do not try to decode it.
    return FileKind.CSV if head and b"\x00" not in head else None


def protected_file_response(file_field: Any, *, download_name: str) -> FileResponse:
    """Serve a stored upload as an attachment named ``download_name``.

    The caller has already decided that the user may see the record. The content
    type comes from the file's content (not from the name), ``nosniff`` stops the
    browser from second-guessing it, and ``no-store`` keeps personal data out of
    shared caches. ``file_field`` is a ``FieldFile`` (or any Django ``File``).
    """
    storage = getattr(file_field, "storage", None)
    if storage is not None and not getattr(file_field, "name", None):
        raise Http404  # no file (never uploaded, or removed by retention)
    if storage is not None:
        handle = storage.open(file_field.name, "rb")
    else:
        handle = file_field.open("rb")
    try:
        kind = _sniff(handle)
    except Exception:
        handle.close()
        raise
    content_type = CONTENT_TYPES.get(kind or "", "application/octet-stream")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=safe_filename(download_name),
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# What a spreadsheet reads as the start of a formula (OWASP "CSV injection"); tab and CR too,
# which some spreadsheets strip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A value for an exported spreadsheet or CSV cell: text a spreadsheet would read as a
    formula is prefixed with ' and so shown as text; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
