"""Help pages for the people who use Zhuao: one per workstream and a general one, in the three
languages.

The text is long prose, so each language has its own template,
``templates/help/<language>/<topic>.html`` (language codes as in settings.LANGUAGES), chosen by
the active language; simplified Chinese when a translation is missing. Included from
urls.py with ``path("help/", include("core.help"))``."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.template.loader import select_template
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

#: topic -> title, in the order of the help index.
TOPICS = {
    "general": _("Using Zhuao"),
    "cases": _("People, cases and joint meetings"),
    "infosharing": _("Bulletins, urgent notices and cross-border verification"),
    "remittance": _("Macau aid recipients: bank cards and payments"),
    "tempaid": _("Temporary relief"),
    "partners": _("Partner organisations, contracts and referrals"),
    "pilot": _("The pilot plan, progress and dashboard"),
}


def _content_template(topic: str):
    language = (get_language() or "zh-hans").lower()
    return select_template([f"help/{language}/{topic}.html", f"help/zh-hans/{topic}.html"])


@login_required
def help_index(request):
    return help_topic(request, "general")


@login_required
def help_topic(request, topic: str):
    if topic not in TOPICS:
        raise Http404
    return render(request, "help/page.html", {
        "topic": topic,
        "title": TOPICS[topic],
        "topics": list(TOPICS.items()),
        "content_template": _content_template(topic).template.name,
    })


urlpatterns = [
    path("", help_index, name="help"),
    path("<slug:topic>/", help_topic, name="help_topic"),
]
