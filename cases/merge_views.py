"""Pages for possible duplicates and merges: the city bureau's list, proposing a merge (any
role that sees both people), the check-and-confirm page and the page after a decision."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.audit import audit_record
from web.decorators import role_required
from core.errors import ApplicationError
from web.pagination import page_of
from core.roles import has_role

from . import merge, selectors
from .forms import MergeDecisionForm, MergeUndoForm
from .models import PersonMergeStatus
from .permissions import MERGE_DECIDER_ROLES, MERGE_PROPOSER_ROLES

PAGE_SIZE = 25


@role_required(*MERGE_DECIDER_ROLES)
def possible_duplicates(request):
    page = page_of(request, selectors.possible_duplicates_for(request.user), PAGE_SIZE)
    proposals = (selectors.person_merges_visible_to(request.user)
                 .filter(status=PersonMergeStatus.PROPOSED).order_by("-created_at")[:100])
    return render(request, "cases/possible_duplicates.html", {
        "page": page, "proposals": proposals})


@require_http_methods(["GET", "POST"])
@role_required(*MERGE_PROPOSER_ROLES)
def merge_propose(request, pk):
    """Without ``?with=``: the person's possible duplicates to choose from. With it: the
    check-and-confirm page before proposing, both people and what would move."""
    survivor = selectors.get_person_for(request.user, pk)
    other = request.GET.get("with", "")
    if not other.isdigit():
        return render(request, "cases/merge_propose.html", {
            "survivor": survivor,
            "matches": selectors.person_possible_duplicates(request.user, survivor)})
    duplicate = selectors.get_person_for(request.user, int(other))
    if request.method == "POST":
        try:
            proposal = merge.person_merge_propose(actor=request.user, survivor=survivor,
                                                  duplicate=duplicate,
                                                  reason=request.POST.get("reason", "")[:500])
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The merge is proposed; a city bureau officer decides."))
            return redirect("cases:merge_detail", pk=proposal.pk)
    return render(request, "cases/merge_propose.html", {
        "survivor": survivor, "duplicate": duplicate,
        "counts": merge.merge_counts(duplicate)})


@require_http_methods(["GET", "POST"])
@role_required(*MERGE_PROPOSER_ROLES)
def merge_detail(request, pk):
    """The proposal: for the city officer, the check page (both people, what will move and
    what merging does) with the confirm button; a refusal comes back in the error summary.
    After a decision, the confirmation page says what happens next."""
    proposal = selectors.get_person_merge_for(request.user, pk)
    may_decide = has_role(request.user, *MERGE_DECIDER_ROLES)
    action = request.POST.get("action") if request.method == "POST" else None
    decision_form = MergeDecisionForm(request.POST if action in ("merge", "reject") else None)
    undo_form = MergeUndoForm(request.POST if action == "undo" else None)
    if request.method == "POST":
        form = undo_form if action == "undo" else decision_form
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                if action == "undo":
                    proposal = merge.person_merge_undo(actor=request.user, merge=proposal,
                                                       reason=reason)
                    messages.success(request, _("The merge is undone; both people are back as "
                                                "they were."))
                else:
                    proposal = merge.person_merge_decide(actor=request.user, merge=proposal,
                                                         approve=action == "merge",
                                                         reason=reason)
                    if proposal.status == PersonMergeStatus.MERGED:
                        messages.success(request, _("The people are merged."))
                    else:
                        messages.info(request, _("The merge is rejected; nothing moved."))
            except ApplicationError as error:
                form.add_error(None, str(error.message))
                proposal = selectors.get_person_merge_for(request.user, pk)
            else:
                return redirect("cases:merge_done", pk=pk)
    audit_record(actor=request.user, action="person_merge.view", obj=proposal)
    counts = (merge.merge_counts(proposal.duplicate)
              if proposal.status == PersonMergeStatus.PROPOSED else ())
    moved = merge.moved_counts(proposal)
    return render(request, "cases/merge_detail.html", {
        "merge": proposal, "counts": counts, "moved": moved, "may_decide": may_decide,
        "decision_form": decision_form, "undo_form": undo_form})


@role_required(*MERGE_PROPOSER_ROLES)
def merge_done(request, pk):
    """The confirmation page after a decision or an undo: what was done, what happens next."""
    proposal = selectors.get_person_merge_for(request.user, pk)
    if proposal.status == PersonMergeStatus.PROPOSED:
        return redirect("cases:merge_detail", pk=pk)
    audit_record(actor=request.user, action="person_merge.view", obj=proposal)
    return render(request, "cases/merge_done.html", {
        "merge": proposal, "moved": merge.moved_counts(proposal),
        "may_decide": has_role(request.user, *MERGE_DECIDER_ROLES)})
