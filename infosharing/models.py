"""Information sharing (二(二)): signed authorizations (授权书), cross-border verification
requests (信息协查), regular bulletins (定期通报) and urgent notifications (紧急通报)."""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import ChoiceDisplay
from core.fields import BoundedDateField, BoundedDateTimeField, BoundedTextField
from core.files import upload_to
from core.models import Agency, District, Side, TimeStampedModel


class DataCategory(models.TextChoices):
    INCOME = "income", _("Income")
    PROPERTY = "property", _("Real estate")
    DEPOSITS = "deposits", _("Bank deposits")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    HOUSEHOLD_REGISTRATION = "household_registration", _("Household registration")
    VEHICLES = "vehicles", _("Vehicles")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance received")


class AskableSide(models.TextChoices):
    """The sides a verification request may be addressed to."""

    ZHUHAI = "zhuhai", _("Zhuhai")
    MACAU = "macau", _("Macau")
    HENGQIN = "hengqin", _("Hengqin Cooperation Zone")


def category_labels(values) -> str:
    labels = dict(DataCategory.choices)
    return "、".join(str(labels.get(value, value)) for value in values)


def side_labels(values) -> str:
    labels = dict(AskableSide.choices)
    return "、".join(str(labels.get(value, value)) for value in values)


def _validate_choices(values, choices, field: str) -> None:
    if not isinstance(values, list) or not values:
        raise ValidationError({field: gettext("Choose at least one.")})
    unknown = [value for value in values if value not in choices]
    if unknown or len(set(values)) != len(values):
        raise ValidationError({field: gettext("Unknown or repeated choice.")})


class Authorization(TimeStampedModel):
    """A signed authorization on file. Only a valid, unrevoked one lets a request be sent."""

    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT,
                               related_name="infosharing_authorizations",
                               verbose_name=pgettext_lazy("infosharing", "person"))
    signatories = BoundedTextField(
        _("signatories"), help_text=_("The person and the household members who signed, one a line."))
    categories = models.JSONField(_("data categories"), default=list)
    sides = models.JSONField(_("sides that may be asked"), default=list)
    valid_from = BoundedDateField(_("valid from"))
    valid_until = BoundedDateField(_("valid until"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("received by"))
    received_on = BoundedDateField(_("received on"), default=timezone.localdate)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("agency"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    get_district_display = ChoiceDisplay()
    scan = models.FileField(_("signed form (scan)"), upload_to=upload_to("infosharing/authorizations"),
                            max_length=200)
    scan_name = models.CharField(_("file name"), max_length=120)
    scan_kind = models.CharField(_("file type"), max_length=8)
    revoked_at = BoundedDateTimeField(_("revoked at"), null=True, blank=True)
    revoked_on = BoundedDateField(_("revocation date"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", verbose_name=_("revoked by"))
    revocation_reason = BoundedTextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("signed authorization")
        verbose_name_plural = _("signed authorizations")
        ordering = ["-valid_until", "-id"]
        indexes = [models.Index(fields=["owner_agency", "valid_until"]),
                   models.Index(fields=["district", "valid_until"]),
                   models.Index(fields=["-valid_until", "-id"], name="authorization_list_order")]
        constraints = [
            models.CheckConstraint(condition=models.Q(valid_until__gte=models.F("valid_from")),
                                   name="infosharing_authorization_validity_ordered"),
        ]

    def __str__(self) -> str:
        return gettext("Authorization of %(person)s until %(date)s") % {
            "person": self.person, "date": date_format(self.valid_until)}

    def clean(self):
        _validate_choices(self.categories, DataCategory.values, "categories")
        _validate_choices(self.sides, AskableSide.values, "sides")
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": gettext("The end of validity is before its start.")})

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def status_on(self, on: date) -> str:
        if self.is_revoked:
            return "revoked"
        if on > self.valid_until:
            return "expired"
        if on < self.valid_from:
            return "not_yet_valid"
        return "valid"

    def refusal(self, *, categories, side: str, on: date) -> tuple[str, str] | None:
        """Why a request for ``categories`` to ``side`` on ``on`` may not rely on this
        authorization: (code, message in the user's language), or None when it may."""
        if self.is_revoked:
            return "authorization_revoked", gettext(
                "The authorization was revoked on %(date)s.") % {
                "date": date_format(self.revoked_on or timezone.localdate(self.revoked_at))}
        if on > self.valid_until:
            return "authorization_expired", gettext(
                "The authorization expired on %(date)s.") % {"date": date_format(self.valid_until)}
        if on < self.valid_from:
            return "authorization_not_yet_valid", gettext(
                "The authorization is valid only from %(date)s.") % {
                "date": date_format(self.valid_from)}
        if side not in self.sides:
            return "side_not_covered", gettext(
                "The authorization does not allow asking %(side)s (it covers: %(sides)s).") % {
                "side": side_labels([side]), "sides": side_labels(self.sides)}
        missing = [category for category in categories if category not in self.categories]
        if missing:
            return "category_not_covered", gettext(
                "The authorization does not cover: %(categories)s.") % {
                "categories": category_labels(missing)}
        return None


class RequestStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("infosharing", "Closed")
    RETURNED = "returned", _("Returned for more information")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: States in which the receiving side still owes an answer.
AWAITING_ANSWER = (RequestStatus.SENT, RequestStatus.RECEIVED)
#: States of the requests that revoking their authorization withdraws.
PENDING = (RequestStatus.DRAFT, RequestStatus.SENT, RequestStatus.RECEIVED, RequestStatus.RETURNED)


class RequestDirection(models.TextChoices):
    """Outbound: Zhuhai asks Macau or Hengqin about a case of its own. Inbound: Macau or
    Hengqin asks Zhuhai about a person it registered; a Zhuhai city officer routes it to the
    district that answers."""

    OUTBOUND = "outbound", _("Outbound (Zhuhai asks)")
    INBOUND = "inbound", _("Inbound (Zhuhai is asked)")


class VerificationRequest(TimeStampedModel):
    """A request from one side to another to check a household's situation (信息协查)."""

    number = models.CharField(_("request number"), max_length=20, unique=True)
    direction = models.CharField(_("direction"), max_length=10, choices=RequestDirection.choices,
                                 default=RequestDirection.OUTBOUND)
    get_direction_display = ChoiceDisplay()
    # an inbound request is about a person Macau or Hengqin registered: it has no Zhuhai case
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="infosharing_requests", verbose_name=_("case"))
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT,
                               related_name="infosharing_requests",
                               verbose_name=_("person to verify"))
    authorization = models.ForeignKey(Authorization, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="requests",
                                      verbose_name=_("signed authorization"))
    requesting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("requesting agency"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    get_district_display = ChoiceDisplay()
    receiving_side = models.CharField(_("asked side"), max_length=10, choices=AskableSide.choices)
    get_receiving_side_display = ChoiceDisplay()
    receiving_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("receiving agency"))
    categories = models.JSONField(_("data categories"), default=list)
    question = BoundedTextField(_("what to verify"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RequestStatus.choices,
                              default=RequestStatus.DRAFT)
    get_status_display = ChoiceDisplay()
    due_date = BoundedDateField(_("due date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    sent_at = BoundedDateTimeField(_("sent at"), null=True, blank=True)
    received_at = BoundedDateTimeField(_("received at"), null=True, blank=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("received by"))
    answered_at = BoundedDateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+", verbose_name=_("answered by"))
    closed_at = BoundedDateTimeField(pgettext_lazy("infosharing", "closed at"), null=True, blank=True)
    status_reason = BoundedTextField(_("reason"), blank=True,
                                     help_text=_("Why it was returned, declined or withdrawn."))
    last_reminded_on = BoundedDateField(_("last reminded on"), null=True, blank=True)
    routed_at = BoundedDateTimeField(_("routed at"), null=True, blank=True)
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                  blank=True, related_name="+", verbose_name=_("routed by"))
    #: The officer of the holding agency (``holding_agency``) who answers for the request.
    responsible_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+",
                                            verbose_name=_("responsible officer"))

    class Meta:
        verbose_name = _("verification request")
        verbose_name_plural = _("verification requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["requesting_agency", "status"]),
                   models.Index(fields=["receiving_agency", "status"]),
                   models.Index(fields=["district", "status"]),
                   models.Index(fields=["status", "due_date"]),
                   # the list's order, city-wide and per district
                   models.Index(fields=["-created_at", "-id"], name="request_list_order"),
                   models.Index(fields=["district", "-created_at", "-id"],
                                name="request_district_order"),
                   # the home page's requests awaiting an answer, soonest due first
                   models.Index(fields=["due_date", "id"], name="request_awaiting_due",
                                condition=models.Q(status__in=AWAITING_ANSWER))]

    def __str__(self) -> str:
        return self.number

    def clean(self):
        _validate_choices(self.categories, DataCategory.values, "categories")

    # guards -------------------------------------------------------------------------------
    def can_edit(self) -> bool:
        return self.status in (RequestStatus.DRAFT, RequestStatus.RETURNED)

    @property
    def holding_agency_id(self) -> int:
        """The agency whose officer is responsible: the asking agency for an outbound
        request, the answering one for an inbound request."""
        return self.receiving_agency_id if self.is_inbound else self.requesting_agency_id

    def is_open_for_holder(self) -> bool:
        """Work still to do on the holder's side."""
        if self.is_inbound:
            return self.status in AWAITING_ANSWER
        return self.status in PENDING

    def can_send(self) -> bool:
        return self.status in (RequestStatus.DRAFT, RequestStatus.RETURNED)

    @property
    def is_inbound(self) -> bool:
        return self.direction == RequestDirection.INBOUND

    def needs_routing(self) -> bool:
        """An inbound request waits at the city bureau until a city officer names the
        district that answers."""
        return self.is_inbound and self.status == RequestStatus.SENT and self.routed_at is None

    def can_route(self) -> bool:
        return self.needs_routing()

    def can_receive(self) -> bool:
        return self.status == RequestStatus.SENT and not self.needs_routing()

    def can_answer(self) -> bool:
        return self.status == RequestStatus.RECEIVED

    def can_return(self) -> bool:
        return self.status in AWAITING_ANSWER

    def can_decline(self) -> bool:
        return self.status in AWAITING_ANSWER

    def can_close(self) -> bool:
        return self.status == RequestStatus.ANSWERED

    def can_withdraw(self) -> bool:
        return self.status in (RequestStatus.DRAFT, RequestStatus.SENT, RequestStatus.RECEIVED,
                               RequestStatus.RETURNED)

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.status in AWAITING_ANSWER and self.due_date is not None and self.due_date < today

    @property
    def has_findings(self) -> bool:
        return self.status in (RequestStatus.ANSWERED, RequestStatus.CLOSED)


class FindingOutcome(models.TextChoices):
    NOTHING_FOUND = "nothing_found", _("Nothing found")
    FOUND = "found", _("Records found")
    UNABLE = "unable", _("Could not be verified")


class VerificationFinding(models.Model):
    """The answer for one requested category. Each view of a finding is audited."""

    request = models.ForeignKey(VerificationRequest, on_delete=models.CASCADE,
                                related_name="findings")
    category = models.CharField(_("data category"), max_length=32, choices=DataCategory.choices)
    get_category_display = ChoiceDisplay()
    outcome = models.CharField(pgettext_lazy("infosharing", "outcome"), max_length=16, choices=FindingOutcome.choices)
    get_outcome_display = ChoiceDisplay()
    text = BoundedTextField(_("finding"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = BoundedDateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["request", "category"]
        constraints = [models.UniqueConstraint(fields=["request", "category"],
                                               name="infosharing_finding_once_per_category")]

    def __str__(self) -> str:
        return self.get_category_display()


class FindingAttachment(models.Model):
    request = models.ForeignKey(VerificationRequest, on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField(_("file"), upload_to=upload_to("infosharing/findings"), max_length=200)
    name = models.CharField(_("file name"), max_length=120)
    kind = models.CharField(_("file type"), max_length=8)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = BoundedDateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("finding attachment")
        verbose_name_plural = _("finding attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class BulletinStatus(models.TextChoices):
    OPEN = "open", _("Open for contributions")
    PUBLISHED = "published", _("Published")


#: The sides that contribute a section of the regular bulletin, in the bulletin's order.
BULLETIN_SIDES = (Side.ZHUHAI, Side.MACAU, Side.HENGQIN)


class Bulletin(models.Model):
    """A regular bulletin (定期通报) for one period. Each side (Zhuhai, Macau, Hengqin) writes
    its own section before its deadline; the bulletin is published when every section is in or
    when the deadline passes (the missing sides are named), and each recipient agency
    acknowledges it.

    ``agency`` is set on the bulletins made before the two-way bulletin (one per recipient
    agency, Zhuhai's section only); a two-way bulletin has none (one per period)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True,
                               blank=True, verbose_name=_("recipient agency"))
    period_start = BoundedDateField(_("period start"))
    period_end = BoundedDateField(_("period end"))
    generated_at = BoundedDateTimeField(pgettext_lazy("bulletin", "opened at"), default=timezone.now)
    status = models.CharField(_("status"), max_length=12, choices=BulletinStatus.choices,
                              default=BulletinStatus.OPEN)
    get_status_display = ChoiceDisplay()
    deadline = BoundedDateField(_("deadline"), null=True, blank=True)
    published_at = BoundedDateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("published by"))
    missing_sides = models.JSONField(_("sections missing at publication"), default=list,
                                     blank=True)
    emailed_at = BoundedDateTimeField(_("e-mailed at"), null=True, blank=True)
    emailed_to = BoundedTextField(_("e-mailed to"), blank=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-period_start", "agency__code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "period_start"],
                                    name="infosharing_bulletin_once_per_period"),
            models.UniqueConstraint(fields=["period_start"],
                                    condition=models.Q(agency__isnull=True),
                                    name="infosharing_bulletin_one_joint_per_period"),
        ]

    def __str__(self) -> str:
        return gettext("Bulletin %(start)s – %(end)s") % {"start": date_format(self.period_start),
                                                           "end": date_format(self.period_end)}

    @property
    def is_open(self) -> bool:
        return self.status == BulletinStatus.OPEN

    def can_contribute(self) -> bool:
        return self.is_open

    def can_publish(self) -> bool:
        return self.is_open

    def missing_side_labels(self) -> list[str]:
        return [str(Side(side).label) for side in self.missing_sides if side in Side.values]


class BulletinSection(models.Model):
    """One side's section of a bulletin: its counts (computed from its own records when the
    section is saved) and the cases of common concern its officer or liaison writes. Seen by
    the contributing side while the bulletin is open, by every reader once it is published."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="sections",
                                 verbose_name=_("bulletin"))
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    get_side_display = ChoiceDisplay()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("contributing agency"))
    due_date = BoundedDateField(_("due date"), null=True, blank=True)
    content = models.JSONField(pgettext_lazy("infosharing", "content"), default=list, blank=True)
    common_concern = BoundedTextField(_("cases of common concern"), blank=True, max_length=8000)
    submitted_at = BoundedDateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("submitted by"))

    class Meta:
        verbose_name = _("bulletin section")
        verbose_name_plural = _("bulletin sections")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "side"],
                                               name="infosharing_bulletin_section_once")]

    def __str__(self) -> str:
        return f"{self.bulletin} · {self.get_side_display()}"

    @property
    def is_in(self) -> bool:
        return self.submitted_at is not None


class BulletinRecipient(models.Model):
    """A recipient agency of a published bulletin and its acknowledgement (who, when)."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="recipients",
                                 verbose_name=_("bulletin"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("recipient agency"))
    ack_due_date = BoundedDateField(_("acknowledgement due"), null=True, blank=True)
    acknowledged_at = BoundedDateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("acknowledged by"))

    class Meta:
        verbose_name = _("bulletin recipient")
        verbose_name_plural = _("bulletin recipients")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["bulletin", "agency"],
                                               name="infosharing_bulletin_recipient_once")]

    def __str__(self) -> str:
        return f"{self.bulletin} · {self.agency}"

    def can_acknowledge(self) -> bool:
        return self.acknowledged_at is None

    def is_overdue(self, today: date | None = None) -> bool:
        today = today or timezone.localdate()
        return (self.acknowledged_at is None and self.ack_due_date is not None
                and self.ack_due_date < today)


class EmergencyKind(models.TextChoices):
    HOSPITALISATION = "hospitalisation", _("Hospitalisation")
    ACCIDENT = "accident", _("Accident")
    DEATH = "death", _("Death")
    MISSING = "missing", _("Missing person")
    DISASTER = "disaster", _("Disaster")
    OTHER = "other", _("Other emergency")


class UrgentNotification(TimeStampedModel):
    """An urgent notification (紧急通报) about a person, to one or more agencies."""

    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT,
                               related_name="infosharing_urgent", verbose_name=pgettext_lazy("infosharing", "person"))
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+", verbose_name=_("case"))
    kind = models.CharField(_("emergency"), max_length=16, choices=EmergencyKind.choices)
    get_kind_display = ChoiceDisplay()
    occurred_at = BoundedDateTimeField(_("happened at"))
    description = BoundedTextField(_("what happened"))
    reporting_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("reporting agency"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    get_district_display = ChoiceDisplay()
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("reported by"))

    class Meta:
        verbose_name = _("urgent notification")
        verbose_name_plural = _("urgent notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["reporting_agency", "created_at"]),
                   models.Index(fields=["district", "created_at"]),
                   # the list's order: a page reads 25 in order instead of sorting them all
                   models.Index(fields=["-created_at", "-id"], name="urgent_list_order")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.person}"

    @property
    def number(self) -> str:
        """The reference that inboxes and e-mails name instead of the person."""
        return f"JT-{timezone.localtime(self.created_at).year}-{self.pk:06d}"


class EscalationLevel(models.IntegerChoices):
    PRIMARY = 0, _("Primary liaison")
    BACKUP = 1, _("Backup liaison")
    LEADERSHIP = 2, _("Agency leadership")


class UrgentRecipient(models.Model):
    """One recipient agency of an urgent notification: its acknowledgement and escalation."""

    notification = models.ForeignKey(UrgentNotification, on_delete=models.CASCADE,
                                     related_name="recipients")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"),
                                                        choices=EscalationLevel.choices, default=0)
    get_escalation_level_display = ChoiceDisplay()
    ack_due_at = BoundedDateTimeField(_("acknowledgement due"))
    next_escalation_at = BoundedDateTimeField(_("next escalation"), null=True, blank=True)
    escalated_to_backup_at = BoundedDateTimeField(_("escalated to backup at"), null=True, blank=True)
    escalated_to_leadership_at = BoundedDateTimeField(_("escalated to leadership at"), null=True,
                                                      blank=True)
    acknowledged_at = BoundedDateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+",
                                        verbose_name=_("acknowledged by"))

    class Meta:
        verbose_name = _("urgent notification recipient")
        verbose_name_plural = _("urgent notification recipients")
        ordering = ["notification", "agency__code"]
        constraints = [models.UniqueConstraint(fields=["notification", "agency"],
                                               name="infosharing_urgent_recipient_once")]
        indexes = [models.Index(fields=["acknowledged_at", "next_escalation_at"])]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.agency.code}"

    @property
    def is_acknowledged(self) -> bool:
        return self.acknowledged_at is not None

    @property
    def acknowledged_in_time(self) -> bool:
        return self.acknowledged_at is not None and self.acknowledged_at <= self.ack_due_at


class DeliveryChannel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", pgettext_lazy("infosharing", "E-mail")


class UrgentDelivery(models.Model):
    """One delivery of an urgent notification to a person (inbox) or address (e-mail)."""

    recipient = models.ForeignKey(UrgentRecipient, on_delete=models.CASCADE,
                                  related_name="deliveries")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", verbose_name=_("user"))
    address = models.EmailField(_("e-mail address"), blank=True)
    channel = models.CharField(_("channel"), max_length=8, choices=DeliveryChannel.choices)
    get_channel_display = ChoiceDisplay()
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"),
                                                        choices=EscalationLevel.choices)
    get_escalation_level_display = ChoiceDisplay()
    delivered_at = BoundedDateTimeField(_("delivered at"), default=timezone.now)

    class Meta:
        verbose_name = _("urgent delivery")
        verbose_name_plural = _("urgent deliveries")
        ordering = ["delivered_at", "id"]

    def __str__(self) -> str:
        return f"{self.channel} {self.user_id or self.address}"
