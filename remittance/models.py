"""The roster of Macau economic-assistance recipients living in Zhuhai (摸排底数), their
bank-card onboarding, the priority channel at bank branches, and monthly disbursement batches.

Money is Decimal (core.money). The CNY amount of a payment is ``mop_to_cny(amount_mop, rate)``
(ROUND_HALF_UP to the fen, per payment); a batch's totals are sums of the rounded payments."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import ChoiceDisplay
from core.fields import (
    BoundedDateField, BoundedDateTimeField, EncryptedJSONField, EncryptedTextField,
)
from core.files import upload_to
from core.models import District, TimeStampedModel


class AidType(models.TextChoices):
    REGULAR = "regular", pgettext_lazy("remittance", "Regular assistance (定期援助)")
    SPECIAL = "special", pgettext_lazy("remittance", "Special subsidy (特別補助)")
    OTHER = "other", pgettext_lazy("remittance", "Other assistance")


class RecipientStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("remittance", "Active")
    SUSPENDED = "suspended", pgettext_lazy("remittance", "Suspended")
    ENDED = "ended", pgettext_lazy("remittance", "Ended")
    MOVED_AWAY = "moved_away", pgettext_lazy("remittance", "Moved away")
    DECEASED = "deceased", pgettext_lazy("remittance", "Deceased")


class OnboardingStatus(models.TextChoices):
    NOT_STARTED = "not_started", pgettext_lazy("remittance", "Not started")
    VISIT_SCHEDULED = "visit_scheduled", pgettext_lazy("remittance", "Home visit scheduled")
    CARD_OPENED = "card_opened", pgettext_lazy("remittance", "Card opened")
    ACTIVATED = "activated", pgettext_lazy("remittance", "Card activated")
    FAILED = "failed", pgettext_lazy("remittance", "Failed")
    DECLINED = "declined", pgettext_lazy("remittance", "Declined")


class BankBranch(TimeStampedModel):
    """A partner bank's branch; those with a priority window form the priority channel
    (优先办理通道)."""

    bank_name = models.CharField(_("bank"), max_length=80)
    name = models.CharField(_("branch"), max_length=120)
    address = models.CharField(_("address"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=16, choices=District.choices,
                                blank=True)
    get_district_display = ChoiceDisplay()
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    has_priority_window = models.BooleanField(_("priority window"), default=False)
    priority_hours = models.CharField(_("priority window hours"), max_length=120, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    #: The partner bank's agency, whose staff (Role.BANK) serve the branch's appointments and
    #: card openings; every branch of one bank names the same agency.
    bank_agency = models.ForeignKey("zhuao.Agency", on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="bank_branches",
                                    limit_choices_to={"kind": "bank"},
                                    verbose_name=_("bank's agency"))

    class Meta:
        verbose_name = _("bank branch")
        verbose_name_plural = _("bank branches")
        ordering = ["bank_name", "name"]
        constraints = [models.UniqueConstraint(fields=["bank_name", "name"],
                                               name="bank_branch_unique_name")]

    def __str__(self) -> str:
        return f"{self.bank_name} {self.name}"


class Recipient(TimeStampedModel):
    """One person on the roster. The person lives in the shared register (cases.Person)."""

    person = models.OneToOneField("cases.Person", on_delete=models.PROTECT,
                                  related_name="remittance_recipient", verbose_name=_("person"))
    ias_case_no = models.CharField(_("IAS case number"), max_length=32, unique=True)
    aid_type = models.CharField(_("aid type"), max_length=16, choices=AidType.choices)
    get_aid_type_display = ChoiceDisplay()
    monthly_amount_mop = models.DecimalField(_("monthly amount (MOP)"), max_digits=14,
                                             decimal_places=2)
    effective_from = BoundedDateField(_("effective from"))
    effective_until = BoundedDateField(_("effective until"), null=True, blank=True)
    district = models.CharField(_("district"), max_length=16, choices=District.choices)
    get_district_display = ChoiceDisplay()
    address = models.CharField(_("address in Zhuhai"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RecipientStatus.choices,
                              default=RecipientStatus.ACTIVE)
    get_status_display = ChoiceDisplay()
    # Card onboarding: the current state; the history is OnboardingEvent.
    onboarding_status = models.CharField(_("card status"), max_length=16,
                                         choices=OnboardingStatus.choices,
                                         default=OnboardingStatus.NOT_STARTED)
    get_onboarding_status_display = ChoiceDisplay()
    onboarding_changed_on = BoundedDateField(_("card status since"), null=True, blank=True)
    bank_branch = models.ForeignKey(BankBranch, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="recipients",
                                    verbose_name=_("partner bank branch"))
    visit_date = BoundedDateField(_("home visit date"), null=True, blank=True)
    visit_officers = models.CharField(_("visiting officers"), max_length=200, blank=True)
    card_account_no = EncryptedTextField(_("card account number"), max_length=32, blank=True)
    onboarding_reason = models.CharField(_("reason"), max_length=300, blank=True)
    last_import = models.ForeignKey("ImportRun", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    #: The full roster this recipient was missing from: suspended (not paid) until a
    #: civil-affairs officer reinstates them (``recipient_reinstate``).
    suspended_by_import = models.ForeignKey("ImportRun", on_delete=models.SET_NULL, null=True,
                                            blank=True, related_name="suspended_recipients",
                                            verbose_name=_("suspended by the roster import"))

    class Meta:
        verbose_name = pgettext_lazy("remittance", "recipient")
        verbose_name_plural = _("recipients")
        ordering = ["ias_case_no"]
        indexes = [models.Index(fields=["district", "status"]),
                   models.Index(fields=["status", "onboarding_status"]),
                   # the home page's home visits: the scheduled ones by date
                   models.Index(fields=["onboarding_status", "visit_date"],
                                name="recipient_visits")]
        constraints = [
            models.CheckConstraint(condition=Q(monthly_amount_mop__gt=0),
                                   name="recipient_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.ias_case_no} {self.person.name_zh}"

    @property
    def is_payable(self) -> bool:
        return (self.status == RecipientStatus.ACTIVE
                and self.onboarding_status == OnboardingStatus.ACTIVATED
                and bool(self.card_account_no))


#: Onboarding transitions: target -> statuses it may come from.
ONBOARDING_TRANSITIONS = {
    OnboardingStatus.VISIT_SCHEDULED: {OnboardingStatus.NOT_STARTED,
                                       OnboardingStatus.VISIT_SCHEDULED,
                                       OnboardingStatus.FAILED, OnboardingStatus.DECLINED},
    OnboardingStatus.CARD_OPENED: {OnboardingStatus.NOT_STARTED,
                                   OnboardingStatus.VISIT_SCHEDULED,
                                   OnboardingStatus.FAILED},
    OnboardingStatus.ACTIVATED: {OnboardingStatus.CARD_OPENED},
    OnboardingStatus.FAILED: {OnboardingStatus.NOT_STARTED, OnboardingStatus.VISIT_SCHEDULED,
                              OnboardingStatus.CARD_OPENED},
    OnboardingStatus.DECLINED: {OnboardingStatus.NOT_STARTED,
                                OnboardingStatus.VISIT_SCHEDULED,
                                OnboardingStatus.CARD_OPENED, OnboardingStatus.FAILED},
}


class OnboardingEvent(models.Model):
    """Each dated change of a recipient's card status."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE,
                                  related_name="onboarding_events")
    from_status = models.CharField(_("from"), max_length=16, choices=OnboardingStatus.choices)
    get_from_status_display = ChoiceDisplay()
    to_status = models.CharField(_("to"), max_length=16, choices=OnboardingStatus.choices)
    get_to_status_display = ChoiceDisplay()
    on_date = BoundedDateField(_("date"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("by"))
    created_at = BoundedDateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("card onboarding event")
        verbose_name_plural = _("card onboarding events")
        ordering = ["-on_date", "-id"]


class AppointmentPurpose(models.TextChoices):
    OPEN_CARD = "open_card", pgettext_lazy("remittance", "Open a card")
    ACTIVATE = "activate", pgettext_lazy("remittance", "Activate a card")
    SERVICE = "service", pgettext_lazy("remittance", "Other banking service")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", pgettext_lazy("remittance", "Booked")
    SERVED = "served", pgettext_lazy("remittance", "Served")
    NO_SHOW = "no_show", pgettext_lazy("remittance", "Did not come")
    CANCELLED = "cancelled", pgettext_lazy("remittance", "Cancelled")


class Appointment(TimeStampedModel):
    """A priority-channel appointment of a recipient at a branch, and its outcome."""

    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE,
                                  related_name="appointments", verbose_name=pgettext_lazy("remittance", "recipient"))
    branch = models.ForeignKey(BankBranch, on_delete=models.PROTECT,
                               related_name="appointments", verbose_name=_("branch"))
    scheduled_at = BoundedDateTimeField(_("time"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=AppointmentPurpose.choices)
    get_purpose_display = ChoiceDisplay()
    status = models.CharField(_("status"), max_length=16, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED)
    get_status_display = ChoiceDisplay()
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("priority appointment")
        verbose_name_plural = _("priority appointments")
        ordering = ["-scheduled_at", "-id"]


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", pgettext_lazy("remittance", "Previewed")
    COMMITTED = "committed", pgettext_lazy("remittance", "Committed")
    DISCARDED = "discarded", pgettext_lazy("remittance", "Discarded")


class ImportRun(TimeStampedModel):
    """One uploaded roster file: the parsed preview is kept here (the commit never trusts the
    browser), with who uploaded and committed it, and what it changed."""

    file = models.FileField(_("file"), upload_to=upload_to("remittance/imports"))
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    kind = models.CharField(_("kind"), max_length=8)
    #: A full roster lists every current recipient: an active recipient missing from it is
    #: suspended on commit. A partial roster (additions and changes only) suspends nobody.
    is_full_roster = models.BooleanField(_("full roster"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED)
    get_status_display = ChoiceDisplay()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    #: {"rows": [...normalised rows...], "errors": [{"row", "column", "message"}],
    #:  "diff": {"added": [...], "changed": [...], "disappeared": [...], "unchanged": n}}
    preview = EncryptedJSONField(default=dict, blank=True)  # holds identity numbers
    summary = models.JSONField(_("result"), default=dict, blank=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True,
                                     verbose_name=_("committed by"))
    committed_at = BoundedDateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def can_commit(self) -> bool:
        return self.status == ImportStatus.PREVIEWED and self.error_count == 0


class BatchStatus(models.TextChoices):
    PREPARED = "prepared", pgettext_lazy("remittance", "Prepared, awaiting approval")
    APPROVED = "approved", pgettext_lazy("remittance", "Approved")
    EXPORTED = "exported", pgettext_lazy("remittance", "Sent to the bank")
    RECONCILED = "reconciled", pgettext_lazy("remittance", "Reconciled")
    REJECTED = "rejected", pgettext_lazy("remittance", "Rejected")


class Batch(TimeStampedModel):
    """A month's disbursement. Maker (prepared_by) and checker (approved_by) differ."""

    number = models.CharField(_("batch number"), max_length=24, unique=True)
    period = BoundedDateField(_("month"), help_text=_("The first day of the month paid."))
    status = models.CharField(_("status"), max_length=16, choices=BatchStatus.choices,
                              default=BatchStatus.PREPARED)
    get_status_display = ChoiceDisplay()
    rate = models.DecimalField(_("rate (CNY per MOP)"), max_digits=12, decimal_places=6)
    rate_date = BoundedDateField(_("rate date"))
    rate_source = models.CharField(_("rate source"), max_length=120)
    payment_count = models.PositiveIntegerField(_("payments"), default=0)
    total_mop = models.DecimalField(_("total (MOP)"), max_digits=16, decimal_places=2,
                                    default=0)
    total_cny = models.DecimalField(_("total (CNY)"), max_digits=16, decimal_places=2,
                                    default=0)
    carried_in_count = models.PositiveIntegerField(_("payments carried in"), default=0)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("prepared by"))
    prepared_at = BoundedDateTimeField(_("prepared at"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True,
                                    verbose_name=_("approved by"))
    approved_at = BoundedDateTimeField(_("approved at"), null=True, blank=True)
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    export_file = models.FileField(upload_to=upload_to("remittance/bank"), blank=True)
    export_sha256 = models.CharField(max_length=64, blank=True)
    exported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True,
                                    verbose_name=_("exported by"))
    exported_at = BoundedDateTimeField(_("exported at"), null=True, blank=True)

    class Meta:
        verbose_name = _("disbursement batch")
        verbose_name_plural = _("disbursement batches")
        ordering = ["-period", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(rate__gt=0), name="batch_rate_positive"),
            models.CheckConstraint(condition=Q(approved_by__isnull=True)
                                   | ~Q(approved_by=models.F("prepared_by")),
                                   name="batch_checker_is_not_maker"),
        ]

    def __str__(self) -> str:
        return self.number

    def can_approve(self, user) -> bool:
        return self.status == BatchStatus.PREPARED and user.pk != self.prepared_by_id

    @property
    def can_export(self) -> bool:
        return self.status in (BatchStatus.APPROVED, BatchStatus.EXPORTED)

    @property
    def can_import_results(self) -> bool:
        return self.status in (BatchStatus.EXPORTED, BatchStatus.RECONCILED)


class PaymentStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("remittance", "Awaiting the bank")
    PAID = "paid", pgettext_lazy("remittance", "Paid")
    FAILED = "failed", pgettext_lazy("remittance", "Failed")
    CARRIED_OVER = "carried_over", pgettext_lazy("remittance", "Failed, carried into a later batch")


class Payment(models.Model):
    """One recipient's money for one month. At most one live payment per (recipient, period):
    a failed payment carried into a later batch becomes ``carried_over`` and its retry is a new
    row in that batch pointing back at it (``carried_from``)."""

    #: No index of its own: the (batch, status) and (batch, reference) indexes below start with
    #: it, and a batch writes 200,000 rows at once into every index the table has.
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="payments",
                              db_index=False)
    recipient = models.ForeignKey(Recipient, on_delete=models.PROTECT, related_name="payments")
    period = BoundedDateField(_("month"))
    reference = models.CharField(_("payment reference"), max_length=24, unique=True)
    amount_mop = models.DecimalField(_("amount (MOP)"), max_digits=14, decimal_places=2)
    amount_cny = models.DecimalField(_("amount (CNY)"), max_digits=14, decimal_places=2)
    account_no = EncryptedTextField(_("card account number"), max_length=32)
    status = models.CharField(_("status"), max_length=16, choices=PaymentStatus.choices,
                              default=PaymentStatus.PENDING)
    get_status_display = ChoiceDisplay()
    failure_reason = models.CharField(_("failure reason"), max_length=300, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=64, blank=True)
    settled_at = BoundedDateTimeField(_("result recorded at"), null=True, blank=True)
    carried_from = models.OneToOneField("self", on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="carried_to")

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["batch", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "period"],
                                    condition=~Q(status="carried_over"),
                                    name="payment_once_per_recipient_period"),
            models.CheckConstraint(condition=Q(amount_mop__gt=0) & Q(amount_cny__gt=0),
                                   name="payment_amounts_positive"),
        ]
        indexes = [
            models.Index(fields=["batch", "status"]),
            models.Index(fields=["batch", "reference"], name="payment_batch_order"),
            # the payment lists' order (newest period first), alone and by status
            models.Index(fields=["-period", "reference"], name="payment_list_order"),
            models.Index(fields=["status", "-period", "reference"], name="payment_status_order"),
        ]

    def __str__(self) -> str:
        return self.reference


class BatchTally(models.Model):
    """What a batch's payments in one status add up to: one row per status, written with the
    payments by the services that create them or change their status, so that the batch's
    page reads four rows however many payments it holds (200,000 at a million people)."""

    #: No index of its own: the unique (batch, status) index starts with it.
    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="tallies",
                              db_index=False)
    status = models.CharField(_("status"), max_length=16, choices=PaymentStatus.choices)
    get_status_display = ChoiceDisplay()
    count = models.PositiveIntegerField(_("payments"), default=0)
    amount_mop = models.DecimalField(_("amount (MOP)"), max_digits=16, decimal_places=2,
                                     default=0)
    amount_cny = models.DecimalField(_("amount (CNY)"), max_digits=16, decimal_places=2,
                                     default=0)

    class Meta:
        verbose_name = _("batch tally")
        verbose_name_plural = _("batch tallies")
        constraints = [
            models.UniqueConstraint(fields=["batch", "status"], name="batch_tally_per_status"),
            models.CheckConstraint(condition=Q(amount_mop__gte=0) & Q(amount_cny__gte=0),
                                   name="batch_tally_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.status}"


class ResultFile(models.Model):
    """A bank result file imported for a batch; the same file twice is recorded once."""

    batch = models.ForeignKey(Batch, on_delete=models.CASCADE, related_name="result_files")
    file = models.FileField(upload_to=upload_to("remittance/results"))
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("imported by"))
    imported_at = BoundedDateTimeField(_("imported at"), auto_now_add=True)
    paid_count = models.PositiveIntegerField(_("paid"), default=0)
    failed_count = models.PositiveIntegerField(_("failed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("already recorded"), default=0)

    class Meta:
        verbose_name = _("bank result file")
        verbose_name_plural = _("bank result files")
        ordering = ["-imported_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["batch", "sha256"],
                                               name="result_file_once_per_batch")]
