"""The bulk-action toolkit: one action done to many records, each through its own service.

A list page posts the ids an officer ticked; ``parse_ids`` reads them (at most ``MAX_ITEMS``,
refused with a clear message beyond); the confirm page shows what will happen; ``run`` then
fetches each id through the user's visibility door and calls the item's service in its own
transaction, so one refusal never undoes the others. An id the user may not see is refused as
"not found", exactly like a missing one, and counted with the refusals."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django import forms as django_forms
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.errors import ApplicationError

#: The most items one submission may carry.
MAX_ITEMS = 200


@dataclass
class Outcome:
    pk: int
    label: str = ""
    reason: str = ""


@dataclass
class BulkResult:
    succeeded: list[Outcome] = field(default_factory=list)
    refused: list[Outcome] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {"succeeded": len(self.succeeded), "refused": len(self.refused)}


def parse_ids(values: Iterable[str]) -> list[int]:
    """The ticked ids, in order and once each; ApplicationError if none or too many."""
    ids: list[int] = []
    for value in values:
        text = str(value).strip()
        if not text.isdigit() or len(text) > 18:
            raise ApplicationError(_("The selection is not valid."), code="invalid", field="ids")
        number = int(text)
        if number not in ids:
            ids.append(number)
    if not ids:
        raise ApplicationError(_("Tick at least one row first."), code="required", field="ids")
    if len(ids) > MAX_ITEMS:
        raise ApplicationError(ngettext(
            "At most %(count)d item can be handled at once; tick fewer rows.",
            "At most %(count)d items can be handled at once; tick fewer rows.",
            MAX_ITEMS) % {"count": MAX_ITEMS}, code="too_many", field="ids")
    return ids


def run(*, ids: list[int], fetch: Callable[[int], object],
        action: Callable[[object], object], label: Callable[[object], str] = str) -> BulkResult:
    """Fetch each id with ``fetch`` (raising Http404 / DoesNotExist when not visible) and do
    ``action`` to it; a refusal (ApplicationError) is kept with its reason, and the others go
    on. Each service runs (and audits) in its own transaction."""
    result = BulkResult()
    for pk in ids[:MAX_ITEMS]:
        try:
            record = fetch(pk)
        except (Http404, ObjectDoesNotExist):
            result.refused.append(Outcome(pk=pk, label=f"#{pk}", reason=_("Not found.")))
            continue
        try:
            action(record)
        except ApplicationError as error:
            result.refused.append(Outcome(pk=pk, label=label(record), reason=str(error.message)))
        else:
            result.succeeded.append(Outcome(pk=pk, label=label(record)))
    return result


# --- Pages -------------------------------------------------------------------------------------

@dataclass
class BulkAction:
    """One bulk action of a list page. ``fetch(user, pk)`` goes through the record's visibility
    door; ``perform(actor, record, data)`` calls the record's own service with the confirm
    form's cleaned ``data``; ``form_class`` (optional) asks for what the action needs (e.g. the
    new officer) and is built with ``user=``."""

    title: object
    fetch: Callable
    perform: Callable
    back_url: str
    describe: Callable[[object], str] = str
    form_class: type | None = None
    confirm_label: object = ""


def handle(request, action: BulkAction):
    """The two steps of a bulk action: the list posts the ticked ``ids`` and is shown the
    confirm page; the confirm page posts ``confirm`` and is shown the result."""
    user = request.user
    values = request.POST.getlist("ids") if request.method == "POST" else request.GET.getlist("ids")
    context = {"action": action, "back_url": action.back_url}
    try:
        ids = parse_ids(values)
    except ApplicationError as error:
        context["error"] = str(error.message)
        return render(request, "includes/bulk_confirm.html", context, status=400)
    form_class = action.form_class or django_forms.Form
    confirming = request.method == "POST" and request.POST.get("confirm") == "1"
    form = (form_class(request.POST, user=user) if confirming else form_class(user=user)) \
        if action.form_class else form_class(request.POST if confirming else None)
    if confirming and form.is_valid():
        data = form.cleaned_data
        result = run(ids=ids, fetch=lambda pk: action.fetch(user, pk),
                     action=lambda record: action.perform(user, record, data),
                     label=action.describe)
        context["result"] = result
        return render(request, "includes/bulk_result.html", context)
    items = []
    for pk in ids:
        try:
            items.append((pk, action.describe(action.fetch(user, pk)), True))
        except (Http404, ObjectDoesNotExist):
            items.append((pk, f"#{pk}", False))
    context.update({"form": form, "items": items, "ids": ids})
    return render(request, "includes/bulk_confirm.html", context,
                  status=400 if confirming else 200)
