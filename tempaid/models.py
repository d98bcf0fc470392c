"""Temporary relief (临时救助) for Macau and Cooperation Zone residents in Zhuhai, its policy
parameters, and the funds that pay it with their ledger: the special fund (专项基金) for Macau
residents, the ordinary temporary-relief budget for Cooperation Zone residents.

Money is CNY, Decimal, two places. The fund row keeps ``balance`` and ``available`` in step
with the ledger (``available = balance - reserved``); database checks refuse a negative balance
or available balance, so even a bug in a service cannot overdraw the fund."""
from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.choices import ChoiceDisplay
from core.fields import BoundedDateField, BoundedDateTimeField, BoundedTextField
from core.files import upload_to
from core.money import round_money
from core.models import Agency, District, TimeStampedModel

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class PolicyVersion(TimeStampedModel):
    """The parameters of the temporary-relief policy from ``effective_from`` on. Versions are
    never edited once an application was decided under them: a change is a new version."""

    effective_from = BoundedDateField(_("effective from"), unique=True)
    standard_amount = models.DecimalField(_("standard amount (CNY per month)"), **AMOUNT)
    district_limit_multiple = models.DecimalField(_("district approval limit (× standard)"),
                                                  max_digits=5, decimal_places=2, default=Decimal(3))
    city_limit_multiple = models.DecimalField(_("city approval limit (× standard)"),
                                              max_digits=5, decimal_places=2, default=Decimal(6))
    fast_track_limit_multiple = models.DecimalField(_("fast-track limit (× standard)"),
                                                    max_digits=5, decimal_places=2, default=Decimal(1))
    fast_track_paperwork_days = models.PositiveSmallIntegerField(
        _("fast-track paperwork deadline (working days)"), default=5)
    frequency_limit = models.PositiveSmallIntegerField(
        _("grants per person allowed in the window"), default=2)
    frequency_window_months = models.PositiveSmallIntegerField(
        _("frequency window (months)"), default=12)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["-effective_from"]
        constraints = [
            models.CheckConstraint(condition=Q(standard_amount__gt=0),
                                   name="tempaid_policy_standard_positive"),
            models.CheckConstraint(
                condition=Q(fast_track_limit_multiple__gt=0)
                & Q(district_limit_multiple__gte=F("fast_track_limit_multiple"))
                & Q(city_limit_multiple__gte=F("district_limit_multiple")),
                name="tempaid_policy_limits_ordered"),
            models.CheckConstraint(condition=Q(frequency_window_months__gt=0),
                                   name="tempaid_policy_window_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.effective_from:%Y-%m-%d}"

    @property
    def district_limit(self) -> Decimal:
        return round_money(self.standard_amount * self.district_limit_multiple)

    @property
    def city_limit(self) -> Decimal:
        return round_money(self.standard_amount * self.city_limit_multiple)

    @property
    def fast_track_limit(self) -> Decimal:
        return round_money(self.standard_amount * self.fast_track_limit_multiple)


class EmergencyKind(models.TextChoices):
    ILLNESS = "illness", _("Illness")
    ACCIDENT = "accident", _("Accident")
    DISASTER = "disaster", _("Fire or disaster")
    STRANDED = "stranded", _("Lost documents or stranded")
    BEREAVEMENT = "bereavement", _("Death in the family")
    OTHER = "other", _("Other emergency")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    DISTRICT_REVIEW = "district_review", _("District review")
    CITY_REVIEW = "city_review", _("City review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


#: States in which the application still needs its district officer.
OPEN_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.DISTRICT_REVIEW, Status.CITY_REVIEW,
                 Status.APPROVED)


class Route(models.TextChoices):
    """Who decides, by the amount requested and the policy in force."""

    FAST_TRACK = "fast_track", _("Emergency fast track (district, at once)")
    DISTRICT = "district", _("District approval")
    CITY = "city", _("City approval")
    KEY_CASE = "key_case", _("Key-case review at the joint conference, then city approval")


#: States in which an application counts as a grant (for the frequency limit and totals).
GRANTED_STATUSES = (Status.APPROVED, Status.PAID, Status.CLOSED)
#: States before payment in which it may still be withdrawn.
WITHDRAWABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.DISTRICT_REVIEW,
                         Status.CITY_REVIEW, Status.APPROVED)


class Application(TimeStampedModel):
    number = models.CharField(_("application number"), max_length=20, unique=True)
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("applicant"))
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT,
                             related_name="tempaid_applications", verbose_name=_("case"))
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("district bureau"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices)
    get_district_display = ChoiceDisplay()
    kind = models.CharField(_("emergency kind"), max_length=16, choices=EmergencyKind.choices)
    get_kind_display = ChoiceDisplay()
    description = BoundedTextField(_("what happened"))
    household_situation = BoundedTextField(_("household situation"), blank=True)
    amount_requested = models.DecimalField(_("amount requested (CNY)"), **AMOUNT)
    amount_approved = models.DecimalField(_("amount approved (CNY)"), null=True, blank=True,
                                          **AMOUNT)
    is_fast_track = models.BooleanField(_("emergency fast track (先行救助)"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices,
                              default=Status.DRAFT)
    get_status_display = ChoiceDisplay()
    route = models.CharField(_("route"), max_length=12, choices=Route.choices, blank=True)
    get_route_display = ChoiceDisplay()
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="applications", verbose_name=_("policy version"))
    fund = models.ForeignKey("Fund", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="applications", verbose_name=_("fund"))
    frequency_override_reason = models.CharField(_("reason for exceeding the frequency limit"),
                                                 max_length=500, blank=True)
    district_note = BoundedTextField(_("district opinion"), blank=True)
    decision_note = BoundedTextField(_("decision note"), blank=True)
    rejection_reason = BoundedTextField(pgettext_lazy("tempaid", "reason for rejection"), blank=True)
    withdrawal_reason = BoundedTextField(_("reason for withdrawal"), blank=True)
    key_case_agenda_item_id = models.BigIntegerField(_("key-case agenda item"), null=True,
                                                     blank=True)
    paperwork_due = BoundedDateField(_("paperwork due"), null=True, blank=True)
    paperwork_completed_at = BoundedDateTimeField(_("paperwork completed"), null=True, blank=True)
    paperwork_overdue_at = BoundedDateTimeField(_("flagged: paperwork overdue"), null=True,
                                                blank=True)
    payment_reference = models.CharField(pgettext_lazy("tempaid", "payment reference"), max_length=80, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("filed by"))
    submitted_at = BoundedDateTimeField(_("submitted at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True,
                                   verbose_name=_("decided by"))
    decided_at = BoundedDateTimeField(_("decided at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+", null=True, blank=True,
                                verbose_name=_("payment recorded by"))
    paid_at = BoundedDateTimeField(_("paid at"), null=True, blank=True)
    closed_at = BoundedDateTimeField(_("closed at"), null=True, blank=True)
    #: The district bureau's officer who answers for the application.
    responsible_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            related_name="+", null=True, blank=True,
                                            verbose_name=_("responsible officer"))

    class Meta:
        verbose_name = _("temporary relief application")
        verbose_name_plural = _("temporary relief applications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "status"]),
                   models.Index(fields=["person", "status"]),
                   models.Index(fields=["status", "paperwork_due"]),
                   # fast-track relief whose paperwork is missing (a district's *My work*):
                   # few, among every approved and paid application
                   models.Index(fields=["district", "paperwork_due"],
                                name="application_paperwork_missing",
                                condition=Q(is_fast_track=True,
                                            paperwork_completed_at__isnull=True,
                                            status__in=["approved", "paid"])),
                   # the list's order, city-wide and per district
                   models.Index(fields=["-created_at", "-id"], name="application_list_order"),
                   models.Index(fields=["district", "-created_at", "-id"],
                                name="application_district_order")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gt=0),
                                   name="tempaid_application_amount_positive"),
            models.CheckConstraint(condition=Q(amount_approved__isnull=True)
                                   | Q(amount_approved__gt=0),
                                   name="tempaid_application_approved_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    # Guards: the services check these and raise ApplicationError when they fail.
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def can_submit(self) -> bool:
        return self.status == Status.DRAFT

    def can_start_review(self) -> bool:
        return self.status == Status.SUBMITTED

    def can_decide_in_district(self) -> bool:
        return self.status == Status.DISTRICT_REVIEW

    def can_decide_in_city(self) -> bool:
        return self.status == Status.CITY_REVIEW

    def can_record_payment(self) -> bool:
        return self.status == Status.APPROVED

    def can_reverse_payment(self) -> bool:
        return self.status == Status.PAID

    def can_close(self) -> bool:
        return self.status == Status.PAID and (
            not self.is_fast_track or self.paperwork_completed_at is not None)

    def can_withdraw(self) -> bool:
        return self.status in WITHDRAWABLE_STATUSES

    def can_complete_paperwork(self) -> bool:
        return self.is_fast_track and self.paperwork_completed_at is None and \
            self.status in (Status.APPROVED, Status.PAID)

    @property
    def amount(self) -> Decimal:
        return self.amount_approved if self.amount_approved is not None else self.amount_requested

    @property
    def is_paperwork_overdue(self) -> bool:
        return self.paperwork_overdue_at is not None and self.paperwork_completed_at is None


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    """Explicit shares of an application with Macau/Hengqin; they die with the application."""

    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class ApplicationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE)


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE,
                                    related_name="documents")
    file = models.FileField(_("file"), upload_to=upload_to("tempaid/documents"))
    original_name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = BoundedDateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class FundKind(models.TextChoices):
    """Which money pays a grant depends on who the applicant is (seed 二（四）): the special fund
    in the city's hardship-assistance fund is for Macau residents; Cooperation Zone residents
    are paid from the ordinary temporary-relief budget."""

    MACAU_SPECIAL = "macau_special", _("Special fund for Macau residents")
    ORDINARY = "ordinary", _("Ordinary temporary-relief budget")


#: The applicant's residence status -> the kind of fund that pays.
FUND_KIND_FOR_RESIDENCE = {
    "macau_resident": FundKind.MACAU_SPECIAL,
    "hengqin_resident": FundKind.ORDINARY,
}


class Fund(TimeStampedModel):
    """A source of relief money: the special fund or the ordinary budget, one of each kind.
    ``balance`` is money held; ``reserved`` is promised to approved but
    unpaid applications; ``available = balance - reserved``. All three move only through
    ledger entries written by the services, under ``select_for_update`` on this row."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind of fund"), max_length=16, choices=FundKind.choices,
                            default=FundKind.MACAU_SPECIAL)
    get_kind_display = ChoiceDisplay()
    balance = models.DecimalField(_("balance (CNY)"), default=Decimal("0.00"), **AMOUNT)
    reserved = models.DecimalField(_("reserved (CNY)"), default=Decimal("0.00"), **AMOUNT)
    available = models.DecimalField(_("available (CNY)"), default=Decimal("0.00"), **AMOUNT)
    low_balance_threshold = models.DecimalField(_("low-balance alert threshold (CNY)"),
                                                default=Decimal("0.00"), **AMOUNT)
    low_balance_alerted_at = BoundedDateTimeField(_("low-balance alert sent"), null=True,
                                                  blank=True)

    class Meta:
        verbose_name = _("fund")
        verbose_name_plural = _("funds")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["kind"], name="tempaid_fund_one_per_kind",
                                    violation_error_message=_(
                                        "A fund of this kind already exists.")),
            models.CheckConstraint(condition=Q(balance__gte=0), name="tempaid_fund_balance_gte_0"),
            models.CheckConstraint(condition=Q(available__gte=0),
                                   name="tempaid_fund_available_gte_0"),
            models.CheckConstraint(condition=Q(reserved__gte=0),
                                   name="tempaid_fund_reserved_gte_0"),
            models.CheckConstraint(condition=Q(available=F("balance") - F("reserved")),
                                   name="tempaid_fund_available_is_balance_minus_reserved"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_low(self) -> bool:
        return self.available < self.low_balance_threshold


class FundAllocation(models.Model):
    """Money allocated to a fund by the Finance bureau, with its document reference."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations")
    amount = models.DecimalField(_("amount (CNY)"), **AMOUNT)
    allocated_on = BoundedDateField(_("allocation date"))
    document_reference = models.CharField(_("document reference"), max_length=120)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = BoundedDateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["-allocated_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0),
                                              name="tempaid_allocation_positive")]

    def __str__(self) -> str:
        return f"{self.document_reference} {self.amount}"


class EntryKind(models.TextChoices):
    ALLOCATION = "allocation", _("Allocation")
    RESERVATION = "reservation", _("Reservation")
    RELEASE = "release", _("Release of a reservation")
    DISBURSEMENT = "disbursement", _("Disbursement")
    REVERSAL = "reversal", _("Reversal of a disbursement")


class LedgerEntry(models.Model):
    """Append-only. ``balance_delta`` and ``available_delta`` are the entry's effect; summed over
    a fund's entries they equal the fund row's balance and available balance."""

    id = models.BigAutoField(primary_key=True)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=16, choices=EntryKind.choices)
    get_kind_display = ChoiceDisplay()
    amount = models.DecimalField(_("amount (CNY)"), **AMOUNT)
    balance_delta = models.DecimalField(_("effect on balance"), **AMOUNT)
    available_delta = models.DecimalField(_("effect on available balance"), **AMOUNT)
    balance_after = models.DecimalField(_("balance after"), **AMOUNT)
    available_after = models.DecimalField(_("available after"), **AMOUNT)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="ledger_entries")
    allocation = models.OneToOneField(FundAllocation, on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="ledger_entry")
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    booked_at = BoundedDateTimeField(_("booked at"), db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["booked_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="tempaid_entry_positive"),
            models.CheckConstraint(condition=Q(balance_after__gte=0) & Q(available_after__gte=0),
                                   name="tempaid_entry_never_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Ledger entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Ledger entries are append-only")
