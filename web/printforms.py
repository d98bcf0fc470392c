"""Printed official forms (授权书, 临时救助审批表, 协查函, payment batch list, meeting minutes).

Each form is a PDF rendered by WeasyPrint from a template that extends
``zhuao/printforms/base.html``: the issuing bureau's header, the form's title, its reference
number, a QR code and the signature blocks. The QR code (``segno``, SVG inlined in the page, no
network) encodes the record's reference number — the number printed beside it — which the
header's search box finds again through the record's visibility door (``cases.global_search``);
records without a number (meeting minutes) encode the path of their page instead.

Official forms are Chinese whatever the reader's interface language: traditional Chinese when
the reader works in traditional Chinese (the Macau side), simplified Chinese otherwise (English
readers included). Fonts are the system's Noto Sans/Serif CJK; nothing is fetched.
"""
from __future__ import annotations

from dataclasses import dataclass

import segno
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

#: The interface languages printed in traditional Chinese; every other prints simplified.
TRADITIONAL = ("zh-hant", "zh-tw", "zh-hk", "zh-mo")


def form_language(language: str | None = None) -> str:
    """The language an official form is printed in for a reader of ``language``."""
    language = (language or translation.get_language() or "").lower()
    return "zh-hant" if language in TRADITIONAL else "zh-hans"


def qr_payload(*, reference: str = "", path: str = "") -> str:
    """What the QR code holds: the reference number when the record has one, else its path."""
    return reference or path


def qr_svg(payload: str) -> str:
    """The QR code of ``payload`` as an inline SVG element (no XML declaration)."""
    qr = segno.make(payload, error="m", micro=False)
    return qr.svg_inline(scale=3, border=2)


@dataclass
class Form:
    template: str
    title: str
    reference: str
    path: str
    issuer: str = ""


def render_form(form: Form, context: dict, *, language: str | None = None) -> bytes:
    """The form as PDF bytes, printed in the form language of ``language`` (default: the
    active one). ``context`` is evaluated inside that language, so choice labels and agency
    names come out in it too."""
    from weasyprint import HTML

    lang = form_language(language)
    payload = qr_payload(reference=form.reference, path=form.path)
    with translation.override(lang):
        html = render_to_string(form.template, {
            **context, "form": form, "lang": lang, "qr": mark_safe(qr_svg(payload)),
            "qr_payload": payload, "generated_at": timezone.localtime(),
            "font": "Noto Sans CJK TC" if lang == "zh-hant" else "Noto Sans CJK SC"})
    return HTML(string=html).write_pdf()


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """The PDF as a download named ``filename`` (ASCII: the form and the record's number)."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
