"""The 360° person page: everything about one person the viewer may see, by workstream.

Each section reads through its own workstream's selector (``<model>s_of_person``), which is
built on that workstream's visibility door; nothing here decides visibility a second time.
Each section costs a fixed number of queries (a count and the newest ``limit`` rows), so the
page does not grow with the person's history. Findings of verification requests are never
read here (their views are audited): a request shows only whether it has findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from datetime import timezone as dt_timezone

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.money import money_display
from infosharing import selectors as infosharing_selectors
from infosharing.models import AWAITING_ANSWER
from partners import selectors as partners_selectors
from partners.models import ReferralStatus
from remittance import selectors as remittance_selectors
from tempaid import selectors as tempaid_selectors
from tempaid.models import Status
from zhuao.formats import date_display

from . import selectors
from .models import ACTION_ITEM_ACTIVE_STATUSES, AgendaItem, Decision
from .secretariat import selectors as meeting_selectors

#: The newest items shown per section; the rest are behind the section's "see all" link.
SECTION_LIMIT = 10


@dataclass
class Item:
    when: date | datetime | None
    number: str
    label: str
    url: str
    status: str = ""
    waiting: str = ""

    @property
    def sort_key(self) -> datetime:
        when = self.when
        if when is None:
            return datetime.min.replace(tzinfo=dt_timezone.utc)
        if not isinstance(when, datetime):
            return timezone.make_aware(datetime.combine(when, time.min))
        return when


@dataclass
class Section:
    key: str
    title: str
    count: int = 0
    items: list[Item] = field(default_factory=list)
    see_all: str = ""
    waiting: int = 0

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)


def _section(key, title, queryset, to_item, *, limit, see_all="", waiting=None) -> Section:
    rows = list(queryset[:limit])
    return Section(key=key, title=str(title), count=queryset.count() if len(rows) >= limit
                   else len(rows), items=[to_item(row) for row in rows], see_all=see_all,
                   waiting=waiting.count() if waiting is not None else 0)


def person_overview(user, person, *, limit: int = SECTION_LIMIT) -> list[Section]:
    """The sections of ``person``'s page for ``user``, each newest first; sections the user
    may see nothing of are left out."""
    sections = [
        _cases(user, person, limit),
        _households(user, person, limit),
        _verification_requests(user, person, limit),
        _authorizations(user, person, limit),
        _relief(user, person, limit),
        _referrals(user, person, limit),
        _service_records(user, person, limit),
        _remittance(user, person, limit),
        _urgent(user, person, limit),
        _meetings(user, person, limit),
        _action_items(user, person, limit),
    ]
    return [section for section in sections if section.count]


def timeline(sections: list[Section]) -> list[tuple[Section, Item]]:
    """Every item of every section in one list, newest first."""
    pairs = [(section, item) for section in sections for item in section.items]
    return sorted(pairs, key=lambda pair: pair[1].sort_key, reverse=True)


# --- The sections ------------------------------------------------------------------------------

def _cases(user, person, limit):
    cases = (selectors.case_visible_to(user).filter(subject=person)
             .select_related("assigned_officer").order_by("-opened_at", "-id"))
    return _section("cases", _("Cases"), cases, lambda case: Item(
        when=case.opened_at, number=case.number, label=case.get_category_display(),
        url=reverse("cases:case_detail", args=[case.pk]), status=case.get_status_display()),
        limit=limit, see_all=reverse("cases:case_list"))


def _households(user, person, limit):
    households = (selectors.household_visible_to(user).filter(members__person=person)
                  .select_related("head").distinct().order_by("-created_at", "-id"))
    return _section("households", _("Households"), households, lambda household: Item(
        when=household.created_at, number="",
        label=gettext("Household of %(head)s") % {"head": household.head.name_zh},
        url=reverse("cases:household_detail", args=[household.pk]),
        status=household.get_district_display()), limit=limit)


def _verification_requests(user, person, limit):
    requests = infosharing_selectors.verification_requests_of_person(user, person)

    def item(request):
        waiting = ""
        if request.status in AWAITING_ANSWER:
            waiting = gettext("Waiting for %(agency)s") % {"agency": request.receiving_agency}
        status = request.get_status_display()
        if request.has_findings:
            status = gettext("%(status)s · findings recorded") % {"status": status}
        return Item(when=request.created_at, number=request.number,
                    label=gettext("To %(agency)s") % {"agency": request.receiving_agency},
                    url=reverse("infosharing:request_detail", args=[request.pk]),
                    status=status, waiting=waiting)

    return _section("requests", _("Verification requests"), requests, item, limit=limit,
                    see_all=reverse("infosharing:request_list"),
                    waiting=requests.filter(status__in=AWAITING_ANSWER))


def _authorizations(user, person, limit):
    authorizations = infosharing_selectors.authorizations_of_person(user, person)
    today = timezone.localdate()

    def item(authorization):
        if authorization.revoked_at:
            status = gettext("Revoked")
        elif authorization.valid_until < today:
            status = gettext("Expired")
        else:
            status = gettext("Valid until %(date)s") % {
                "date": date_display(authorization.valid_until)}
        return Item(when=authorization.valid_from, number="",
                    label=gettext("Signed authorization"),
                    url=reverse("infosharing:authorization_detail", args=[authorization.pk]),
                    status=status)

    return _section("authorizations", _("Signed authorizations"), authorizations, item,
                    limit=limit, see_all=reverse("infosharing:authorization_list"))


def _relief(user, person, limit):
    applications = tempaid_selectors.applications_of_person(user, person)

    def item(application):
        waiting = ""
        if application.status in (Status.SUBMITTED, Status.DISTRICT_REVIEW):
            waiting = gettext("Waiting for the district")
        elif application.status == Status.CITY_REVIEW:
            waiting = gettext("Waiting for the city bureau")
        elif application.status == Status.APPROVED:
            waiting = gettext("Waiting for payment by the Finance bureau")
        amount = application.amount_approved or application.amount_requested
        paid = (gettext(" · paid %(date)s") % {"date": date_display(application.paid_at)}
                if application.paid_at else "")
        return Item(when=application.created_at, number=application.number,
                    label=(f"{application.get_kind_display()} · "
                           f"{money_display(amount, 'CNY')}{paid}"),
                    url=reverse("tempaid:detail", args=[application.pk]),
                    status=application.get_status_display(), waiting=waiting)

    return _section("relief", _("Temporary relief"), applications, item, limit=limit,
                    see_all=reverse("tempaid:list"),
                    waiting=applications.filter(status__in=(
                        Status.SUBMITTED, Status.DISTRICT_REVIEW, Status.CITY_REVIEW,
                        Status.APPROVED)))


def _referrals(user, person, limit):
    referrals = partners_selectors.referrals_of_person(user, person)

    def item(referral):
        waiting = (gettext("Waiting for %(provider)s") % {"provider": referral.organisation}
                   if referral.status == ReferralStatus.SENT else "")
        return Item(when=referral.created_at, number=referral.number,
                    label=str(referral.organisation),
                    url=reverse("partners:referral_detail", args=[referral.pk]),
                    status=referral.get_status_display(), waiting=waiting)

    return _section("referrals", _("Referrals"), referrals, item, limit=limit,
                    see_all=reverse("partners:referral_list"),
                    waiting=referrals.filter(status=ReferralStatus.SENT))


def _service_records(user, person, limit):
    records = partners_selectors.service_records_of_person(user, person)
    return _section("services", _("Service records"), records, lambda record: Item(
        when=record.service_date, number=record.referral.number if record.referral else "",
        label=f"{record.get_service_type_display()} · {record.organisation}",
        url=(reverse("partners:referral_detail", args=[record.referral_id])
             if record.referral_id else reverse("partners:service_record_list")),
        status=gettext("%(minutes)s min") % {"minutes": record.duration_minutes}),
        limit=limit, see_all=reverse("partners:service_record_list"))


def _remittance(user, person, limit):
    recipient = remittance_selectors.recipient_of_person(user, person)
    section = Section(key="remittance", title=str(_("Remittance")))
    payments = remittance_selectors.payments_of_person(user, person)
    if recipient is not None:
        section.items.append(Item(
            when=recipient.onboarding_changed_on or recipient.effective_from,
            number=recipient.ias_case_no,
            label=gettext("%(aid)s · %(amount)s MOP a month · card: %(card)s") % {
                "aid": recipient.get_aid_type_display(), "amount": recipient.monthly_amount_mop,
                "card": recipient.get_onboarding_status_display()},
            url=reverse("remittance:recipient_detail", args=[recipient.pk]),
            status=recipient.get_status_display()))
    rows = list(payments.select_related("batch")[:limit])
    for payment in rows:
        section.items.append(Item(
            when=payment.period, number=payment.batch.number,
            label=gettext("Payment %(reference)s · %(amount)s MOP") % {
                "reference": payment.reference, "amount": payment.amount_mop},
            url=reverse("remittance:recipient_detail", args=[payment.recipient_id]),
            status=payment.get_status_display()))
    payment_count = payments.count() if len(rows) >= limit else len(rows)
    section.count = (1 if recipient is not None else 0) + payment_count
    section.see_all = reverse("remittance:payment_list") if payment_count else ""
    return section


def _urgent(user, person, limit):
    notifications = infosharing_selectors.urgent_notifications_of_person(user, person)
    return _section("urgent", _("Urgent notifications"), notifications, lambda notification: Item(
        when=notification.created_at, number="", label=notification.get_kind_display(),
        url=reverse("infosharing:urgent_detail", args=[notification.pk]),
        status=str(notification.reporting_agency)),
        limit=limit, see_all=reverse("infosharing:urgent_list"))


def _meetings(user, person, limit):
    """Joint-meeting agenda items about the person's visible cases, in meetings the user may
    see, with their decisions."""
    cases = selectors.case_visible_to(user).filter(subject=person)
    meetings = meeting_selectors.meeting_visible_to(user)
    items = (AgendaItem.objects.filter(cases__in=cases.values("pk"),
                                       meeting__in=meetings.values("pk"))
             .exclude(status="withdrawn").select_related("meeting").distinct()
             .prefetch_related(Prefetch("decisions", queryset=Decision.objects.order_by("id")))
             .order_by("-created_at", "-id"))

    def item(agenda_item):
        decisions = [decision.text for decision in agenda_item.decisions.all()]
        return Item(when=agenda_item.meeting.starts_at, number="",
                    label=f"{agenda_item.meeting.title} · {agenda_item.title}",
                    url=reverse("cases:meeting_detail", args=[agenda_item.meeting_id]),
                    status=("; ".join(decisions) if decisions
                            else agenda_item.get_status_display()))

    return _section("meetings", _("Joint-meeting agenda and decisions"), items, item,
                    limit=limit, see_all=reverse("cases:meeting_list"))


def _action_items(user, person, limit):
    cases = selectors.case_visible_to(user).filter(subject=person)
    items = (meeting_selectors.action_item_visible_to(user)
             .filter(decision__agenda_item__cases__in=cases.values("pk")).distinct()
             .order_by("-due_date", "-id"))

    def item(action_item):
        waiting = (gettext("Waiting for %(agency)s by %(date)s") % {
            "agency": action_item.owner_agency, "date": date_display(action_item.due_date)}
            if action_item.status in ACTION_ITEM_ACTIVE_STATUSES else "")
        return Item(when=action_item.created_at, number="", label=action_item.title,
                    url=reverse("cases:action_item_detail", args=[action_item.pk]),
                    status=action_item.get_status_display(), waiting=waiting)

    return _section("action_items", _("Action items"), items, item, limit=limit,
                    see_all=reverse("cases:action_item_list"),
                    waiting=items.filter(status__in=ACTION_ITEM_ACTIVE_STATUSES))
