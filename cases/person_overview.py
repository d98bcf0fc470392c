"""The 360° person page: everything about one person the viewer may see, by workstream.

Each section reads through its own workstream's selector (``<model>s_of_person``), which is
built on that workstream's visibility door; nothing here decides visibility a second time.
All sections are read in one query, whatever the person's history: each section's rows are
numbered in the section's order beside their count and the count of those waiting on someone
(window functions), cut to the newest ``limit``, and the sections are joined with UNION ALL.
Each row carries only the columns its section shows (as one JSON object) and comes back as a
model instance holding them. Findings of verification requests are never read here (their
views are audited): a request shows only whether it has findings."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from datetime import timezone as dt_timezone
from decimal import Decimal
from operator import itemgetter

from django.conf import settings
from django.db import connections, models
from django.db.models import (
    Case,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, JSONObject, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.models import Agency
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
from .models import ACTION_ITEM_ACTIVE_STATUSES, ActionItem, AgendaItem, Decision, HouseholdMember
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


@dataclass(frozen=True)
class Source:
    """One section's rows: ``rows`` are the person's records the user may see, in the
    section's order; ``columns`` and ``related`` (a relation's columns) are all its items
    read; ``waiting`` marks the rows waiting on someone. Two sources of one ``key`` make one
    section (a remittance recipient and their payments)."""
    key: str
    title: str
    rows: QuerySet
    columns: tuple[str, ...]
    to_item: Callable[[models.Model], Item]
    related: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    waiting: Q | None = None
    see_all: str = ""
    prefetch: tuple = ()


def person_overview(user, person, *, limit: int = SECTION_LIMIT) -> list[Section]:
    """The sections of ``person``'s page for ``user``, each newest first; sections the user
    may see nothing of are left out."""
    cases = selectors.case_visible_to(user).filter(subject=person)
    sources = [
        _cases(cases),
        _households(user, person),
        _verification_requests(user, person),
        _authorizations(user, person),
        _relief(user, person),
        _referrals(user, person),
        _service_records(user, person),
        *_remittance(user, person),
        _urgent(user, person),
        _meetings(user, cases),
        _action_items(user, cases),
    ]
    sections: dict[str, Section] = {}
    for source, (rows, count, waiting) in zip(sources, _read(sources, limit)):
        section = sections.setdefault(source.key, Section(key=source.key, title=str(source.title)))
        section.items += [source.to_item(row) for row in rows]
        section.count += count
        section.waiting += waiting
        if count and source.see_all and not section.see_all:
            section.see_all = source.see_all
    return [section for section in sections.values() if section.count]


def timeline(sections: list[Section]) -> list[tuple[Section, Item]]:
    """Every item of every section in one list, newest first."""
    pairs = [(section, item) for section in sections for item in section.items]
    return sorted(pairs, key=lambda pair: pair[1].sort_key, reverse=True)


# --- One query for every section ---------------------------------------------------------------

def _read(sources: list[Source], limit: int) -> list[tuple[list, int, int]]:
    """(the newest ``limit`` rows, their count, how many wait) of each source, in one query."""
    arms = [_arm(index, source, limit) for index, source in enumerate(sources)]
    found: dict[int, list] = defaultdict(list)
    counts: dict[int, tuple[int, int]] = {}
    for index, row, rank, count, waiting in arms[0].union(*arms[1:], all=True):
        found[index].append((rank, row))
        counts[index] = (count, waiting or 0)
    read = []
    for index, source in enumerate(sources):
        rows = [_instance(source, row) for _rank, row in sorted(found[index], key=itemgetter(0))]
        if rows and source.prefetch:
            prefetch_related_objects(rows, *source.prefetch)
        read.append((rows, *counts.get(index, (0, 0))))
    return read


def _arm(index: int, source: Source, limit: int) -> QuerySet:
    rows = source.rows
    model = rows.model
    columns = {name: _column(model, name) for name in ("pk", *source.columns)}
    for relation, names in source.related.items():
        target = model._meta.get_field(relation).related_model
        columns[relation] = JSONObject(**{name: _column(target, name, f"{relation}__")
                                          for name in ("pk", *names)})
    waiting = (Case(When(source.waiting, then=1), default=0, output_field=models.IntegerField())
               if source.waiting is not None else Value(0))
    return (rows.order_by()
            .annotate(overview_section=Value(index), overview_row=JSONObject(**columns),
                      overview_rank=Window(RowNumber(), order_by=list(rows.query.order_by)),
                      overview_count=Window(Count("pk")), overview_waiting=Window(Sum(waiting)))
            .filter(overview_rank__lte=limit)
            .values_list("overview_section", "overview_row", "overview_rank", "overview_count",
                         "overview_waiting"))


def _column(model, name: str, prefix: str = ""):
    """A column as JSON keeps it: decimals as text, so that no digit is lost to a float."""
    model_field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    column = F(f"{prefix}{model_field.attname}")
    if isinstance(model_field, models.DecimalField):
        return Cast(column, models.CharField())
    return column


def _instance(source: Source, row: dict) -> models.Model:
    instance = _from_json(source.rows.model, source.rows.db, ("pk", *source.columns), row)
    for relation, names in source.related.items():
        target = source.rows.model._meta.get_field(relation).related_model
        data = row[relation]
        setattr(instance, relation, None if data.get("pk") is None
                else _from_json(target, source.rows.db, ("pk", *names), data))
    return instance


def _from_json(model, db: str, names: tuple[str, ...], data: dict) -> models.Model:
    """An instance holding only ``names`` (``from_db`` takes them in the model's order)."""
    keys = {(model._meta.pk if name == "pk" else model._meta.get_field(name)).attname: name
            for name in names}
    loaded = [model_field for model_field in model._meta.concrete_fields
              if model_field.attname in keys]
    return model.from_db(db, [model_field.attname for model_field in loaded],
                         [_python(model_field, data[keys[model_field.attname]], connections[db])
                          for model_field in loaded])


def _python(model_field, value, connection):
    """A JSON value back as the field's Python value, as a plain query would have given it
    (decrypted where the field is encrypted)."""
    if value is None:
        return None
    if isinstance(model_field, models.DateTimeField):
        moment = parse_datetime(value)
        if settings.USE_TZ and timezone.is_naive(moment):  # SQLite keeps UTC without an offset
            moment = timezone.make_aware(moment, dt_timezone.utc)
        return moment
    if isinstance(model_field, models.DecimalField):
        return Decimal(value).quantize(Decimal(1).scaleb(-model_field.decimal_places))
    if hasattr(model_field, "from_db_value"):
        value = model_field.from_db_value(value, None, connection)
    return model_field.to_python(value)


# --- The sections ------------------------------------------------------------------------------

def _cases(cases):
    return Source("cases", _("Cases"), cases.order_by("-opened_at", "-id"),
                  ("opened_at", "number", "category", "status"), lambda case: Item(
        when=case.opened_at, number=case.number, label=case.get_category_display(),
        url=reverse("cases:case_detail", args=[case.pk]), status=case.get_status_display()),
        see_all=reverse("cases:case_list"))


def _households(user, person):
    households = selectors.household_visible_to(user).filter(
        pk__in=HouseholdMember.objects.filter(person=person).values("household_id"))
    return Source("households", _("Households"), households.order_by("-created_at", "-id"),
                  ("created_at", "district"), lambda household: Item(
        when=household.created_at, number="",
        label=gettext("Household of %(head)s") % {"head": household.head.name_zh},
        url=reverse("cases:household_detail", args=[household.pk]),
        status=household.get_district_display()), related={"head": ("name_zh",)})


def _verification_requests(user, person):
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

    return Source("requests", _("Verification requests"),
                  infosharing_selectors.verification_requests_of_person(user, person),
                  ("created_at", "number", "status"), item,
                  related={"receiving_agency": Agency.NAME_FIELDS},
                  waiting=Q(status__in=AWAITING_ANSWER),
                  see_all=reverse("infosharing:request_list"))


def _authorizations(user, person):
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

    return Source("authorizations", _("Signed authorizations"),
                  infosharing_selectors.authorizations_of_person(user, person),
                  ("valid_from", "valid_until", "revoked_at"), item,
                  see_all=reverse("infosharing:authorization_list"))


#: The relief applications waiting on the district, the city bureau or the Finance bureau.
_RELIEF_WAITING = (Status.SUBMITTED, Status.DISTRICT_REVIEW, Status.CITY_REVIEW, Status.APPROVED)


def _relief(user, person):
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

    return Source("relief", _("Temporary relief"),
                  tempaid_selectors.applications_of_person(user, person),
                  ("created_at", "number", "status", "kind", "amount_approved",
                   "amount_requested", "paid_at"), item,
                  waiting=Q(status__in=_RELIEF_WAITING), see_all=reverse("tempaid:list"))


def _referrals(user, person):
    def item(referral):
        waiting = (gettext("Waiting for %(provider)s") % {"provider": referral.organisation}
                   if referral.status == ReferralStatus.SENT else "")
        return Item(when=referral.created_at, number=referral.number,
                    label=str(referral.organisation),
                    url=reverse("partners:referral_detail", args=[referral.pk]),
                    status=referral.get_status_display(), waiting=waiting)

    return Source("referrals", _("Referrals"),
                  partners_selectors.referrals_of_person(user, person),
                  ("created_at", "number", "status"), item, related={"organisation": ("name",)},
                  waiting=Q(status=ReferralStatus.SENT),
                  see_all=reverse("partners:referral_list"))


def _service_records(user, person):
    return Source("services", _("Service records"),
                  partners_selectors.service_records_of_person(user, person),
                  ("service_date", "service_type", "duration_minutes"), lambda record: Item(
        when=record.service_date, number=record.referral.number if record.referral else "",
        label=f"{record.get_service_type_display()} · {record.organisation}",
        url=(reverse("partners:referral_detail", args=[record.referral_id])
             if record.referral_id else reverse("partners:service_record_list")),
        status=gettext("%(minutes)s min") % {"minutes": record.duration_minutes}),
        related={"referral": ("number",), "organisation": ("name",)},
        see_all=reverse("partners:service_record_list"))


def _remittance(user, person):
    """The person's place on the roster, then their payments: one section."""
    title = _("Remittance")
    recipient = Source("remittance", title, remittance_selectors.recipients_of_person(user, person),
                       ("onboarding_changed_on", "effective_from", "ias_case_no", "aid_type",
                        "monthly_amount_mop", "onboarding_status", "status"), lambda recipient: Item(
        when=recipient.onboarding_changed_on or recipient.effective_from,
        number=recipient.ias_case_no,
        label=gettext("%(aid)s · %(amount)s MOP a month · card: %(card)s") % {
            "aid": recipient.get_aid_type_display(), "amount": recipient.monthly_amount_mop,
            "card": recipient.get_onboarding_status_display()},
        url=reverse("remittance:recipient_detail", args=[recipient.pk]),
        status=recipient.get_status_display()))
    payments = Source("remittance", title, remittance_selectors.payments_of_person(user, person),
                      ("period", "reference", "amount_mop", "recipient_id", "status"),
                      lambda payment: Item(
        when=payment.period, number=payment.batch.number,
        label=gettext("Payment %(reference)s · %(amount)s MOP") % {
            "reference": payment.reference, "amount": payment.amount_mop},
        url=reverse("remittance:recipient_detail", args=[payment.recipient_id]),
        status=payment.get_status_display()), related={"batch": ("number",)},
        see_all=reverse("remittance:payment_list"))
    return recipient, payments


def _urgent(user, person):
    return Source("urgent", _("Urgent notifications"),
                  infosharing_selectors.urgent_notifications_of_person(user, person),
                  ("created_at", "kind"), lambda notification: Item(
        when=notification.created_at, number="", label=notification.get_kind_display(),
        url=reverse("infosharing:urgent_detail", args=[notification.pk]),
        status=str(notification.reporting_agency)),
        related={"reporting_agency": Agency.NAME_FIELDS},
        see_all=reverse("infosharing:urgent_list"))


def _meetings(user, cases):
    """Joint-meeting agenda items about the person's visible cases, in meetings the user may
    see, with their decisions."""
    items = (AgendaItem.objects
             .filter(pk__in=AgendaItem.objects.filter(cases__in=cases.values("pk")).values("pk"),
                     meeting__in=meeting_selectors.meeting_visible_to(user).values("pk"))
             .exclude(status="withdrawn").order_by("-created_at", "-id"))

    def item(agenda_item):
        decisions = [decision.text for decision in agenda_item.decisions.all()]
        return Item(when=agenda_item.meeting.starts_at, number="",
                    label=f"{agenda_item.meeting.title} · {agenda_item.title}",
                    url=reverse("cases:meeting_detail", args=[agenda_item.meeting_id]),
                    status=("; ".join(decisions) if decisions
                            else agenda_item.get_status_display()))

    return Source("meetings", _("Joint-meeting agenda and decisions"), items,
                  ("title", "status"), item, related={"meeting": ("starts_at", "title")},
                  prefetch=(Prefetch("decisions", queryset=Decision.objects.order_by("id")),),
                  see_all=reverse("cases:meeting_list"))


def _action_items(user, cases):
    items = (meeting_selectors.action_item_visible_to(user)
             .filter(pk__in=ActionItem.objects.filter(
                 decision__agenda_item__cases__in=cases.values("pk")).values("pk"))
             .order_by("-due_date", "-id"))

    def item(action_item):
        waiting = (gettext("Waiting for %(agency)s by %(date)s") % {
            "agency": action_item.owner_agency, "date": date_display(action_item.due_date)}
            if action_item.status in ACTION_ITEM_ACTIVE_STATUSES else "")
        return Item(when=action_item.created_at, number="", label=action_item.title,
                    url=reverse("cases:action_item_detail", args=[action_item.pk]),
                    status=action_item.get_status_display(), waiting=waiting)

    return Source("action_items", _("Action items"), items,
                  ("created_at", "title", "status", "due_date"), item,
                  related={"owner_agency": Agency.NAME_FIELDS},
                  waiting=Q(status__in=ACTION_ITEM_ACTIVE_STATUSES),
                  see_all=reverse("cases:action_item_list"))
