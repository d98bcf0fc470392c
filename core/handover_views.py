"""The hand-over page: choose the leaving officer (oneself, or for a team lead any officer of
the agency) and the colleague who takes over, check the counts per kind, confirm."""
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.assignment import is_team_lead, officers_of
from web.decorators import role_required
from core.errors import ApplicationError
from web.forms import OfficerChoiceField, add_service_error
from core.handover import open_work_counts, work_hand_over
from core.permissions import HANDOVER_ROLES
from core.visibility import user_agency


class HandoverForm(forms.Form):
    leaving = OfficerChoiceField(queryset=None, label=gettext_lazy("Leaving officer"))
    successor = OfficerChoiceField(queryset=None, label=gettext_lazy("Colleague taking over"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        officers = officers_of(user_agency(user))
        self.fields["successor"].queryset = officers
        self.fields["leaving"].queryset = (officers if is_team_lead(user)
                                           else officers.filter(pk=user.pk))
        self.fields["leaving"].initial = user.pk

    def clean(self):
        data = super().clean()
        if data.get("leaving") and data.get("successor") == data["leaving"]:
            self.add_error("successor", _("Choose a colleague other than the leaving officer."))
        return data


@require_http_methods(["GET", "POST"])
@role_required(*HANDOVER_ROLES)
def work_handover(request):
    form = HandoverForm(request.POST if request.method == "POST" else None, user=request.user)
    counts = None
    if request.method == "POST" and form.is_valid():
        leaving, successor = form.cleaned_data["leaving"], form.cleaned_data["successor"]
        if request.POST.get("confirm") == "1":
            try:
                done = work_hand_over(actor=request.user, leaving=leaving, successor=successor)
            except ApplicationError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("%(count)s open records were handed over.")
                                 % {"count": sum(done.values())})
                return redirect("work_handover")
        counts = open_work_counts(leaving)
    return render(request, "zhuao/handover.html", {
        "form": form, "counts": counts, "total": sum(n for _kind, n in counts or ())},
        status=400 if form.errors else 200)
