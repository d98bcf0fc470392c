"""Social partners (二(五), tasks 13–16): organisations, social workers (incl. Macau social
workers practising in Zhuhai), government service purchasing (contracts, KPIs, milestones),
referrals of cases to providers with consent, service records and evaluations."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.choices import ChoiceDisplay
from core.fields import BoundedDateField, BoundedDateTimeField, BoundedTextField
from core.files import upload_to
from core.models import Agency, District, Side, TimeStampedModel

#: Registrations that expire within this many days are flagged to the city bureau.
EXPIRY_WARNING_DAYS = 60


class OrganisationKind(models.TextChoices):
    CHARITY = "charity", _("Charity")
    SOCIAL_WORK_AGENCY = "social_work_agency", _("Social-work service agency")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")
    MACAU_NGO_OFFICE = "macau_ngo_office", _("Guangdong office of a Macau NGO")
    OTHER = "other", _("Other")


class RegistrationPlace(models.TextChoices):
    MAINLAND = "mainland", _("Mainland (unified social credit code)")
    MACAU = "macau", _("Macau (registration number)")


class OrganisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    INACTIVE = "inactive", _("Inactive")


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=OrganisationKind.choices)
    get_kind_display = ChoiceDisplay()
    registered_in = models.CharField(_("registered in"), max_length=10,
                                     choices=RegistrationPlace.choices)
    get_registered_in_display = ChoiceDisplay()
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    macau_registration_number = models.CharField(_("Macau registration number"), max_length=40,
                                                 blank=True)
    agency = models.OneToOneField(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="organisation",
        limit_choices_to={"kind": "ngo"}, verbose_name=_("staff accounts' agency"),
        help_text=_("The NGO agency whose staff accounts work for this organisation."))
    contact_person = models.CharField(_("contact person"), max_length=80, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    services_offered = BoundedTextField(_("services offered"), blank=True)
    #: Comma-separated District codes (no code is a substring of another).
    districts_served = models.CharField(_("districts served"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OrganisationStatus.choices,
                              default=OrganisationStatus.ACTIVE)
    get_status_display = ChoiceDisplay()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="organisation_list_order")]
        constraints = [
            models.UniqueConstraint(fields=["uscc"], condition=~models.Q(uscc=""),
                                    name="organisation_uscc_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def district_codes(self) -> list[str]:
        return [code for code in self.districts_served.split(",") if code]

    @property
    def district_labels(self) -> list[str]:
        labels = dict(District.choices)
        return [str(labels.get(code, code)) for code in self.district_codes]

    @property
    def registration_number(self) -> str:
        return self.uscc if self.registered_in == RegistrationPlace.MAINLAND else \
            self.macau_registration_number


class QualificationLevel(models.TextChoices):
    NONE = "none", _("None")
    ASSISTANT = "assistant", _("Assistant social worker (助理社会工作师)")
    SOCIAL_WORKER = "social_worker", _("Social worker (社会工作师)")
    SENIOR = "senior", _("Senior social worker (高级社会工作师)")


class SocialWorker(TimeStampedModel):
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="social_workers",
                                     verbose_name=_("employing organisation"))
    name = models.CharField(_("name"), max_length=80)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_macau_social_worker = models.BooleanField(_("Macau social worker"), default=False)
    macau_registration_number = models.CharField(_("Macau registration number"), max_length=40,
                                                 blank=True)
    macau_registration_valid_until = BoundedDateField(_("Macau registration valid until"),
                                                      null=True, blank=True)
    qualification_level = models.CharField(_("mainland qualification level"), max_length=16,
                                           choices=QualificationLevel.choices,
                                           default=QualificationLevel.NONE)
    get_qualification_level_display = ChoiceDisplay()
    practice_registration_number = models.CharField(_("Zhuhai practice registration number"),
                                                    max_length=40)
    practice_valid_from = BoundedDateField(_("practice registration valid from"))
    practice_valid_until = BoundedDateField(_("practice registration valid until"))
    supervisor = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="supervisees", verbose_name=_("supervisor"))
    is_active = models.BooleanField(pgettext_lazy("partners", "active"), default=True)
    #: The expiry date the city bureau was last told about (so the daily task tells once).
    expiry_notified_for = BoundedDateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("social worker")
        verbose_name_plural = _("social workers")
        ordering = ["name", "id"]
        # the list's order: without it every page sorted every social worker (15,000 at a
        # million people); the same for organisations and contracts
        indexes = [models.Index(fields=["name", "id"], name="social_worker_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(practice_valid_until__gte=models.F("practice_valid_from")),
                name="social_worker_practice_validity_ordered"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def expires_on(self) -> date:
        """The earliest date on which one of the worker's registrations ends."""
        dates = [self.practice_valid_until]
        if self.is_macau_social_worker and self.macau_registration_valid_until:
            dates.append(self.macau_registration_valid_until)
        return min(dates)

    def registration_valid_on(self, day: date) -> bool:
        return self.practice_valid_from <= day <= self.expires_on

    @property
    def is_expired(self) -> bool:
        return self.expires_on < timezone.localdate()

    @property
    def is_expiring(self) -> bool:
        today = timezone.localdate()
        return today <= self.expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS)


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    ACTIVE = "active", _("Active")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", pgettext_lazy("partners", "Closed")


class Contract(TimeStampedModel):
    """A government service-purchase contract (政府购买服务). Budget in CNY."""

    number = models.CharField(_("contract number"), max_length=24, unique=True)
    title = models.CharField(pgettext_lazy("partners", "title"), max_length=200)
    purchasing_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                          verbose_name=_("purchasing agency"))
    provider = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts",
                                 verbose_name=_("provider"))
    budget = models.DecimalField(_("budget (CNY)"), max_digits=14, decimal_places=2)
    period_start = BoundedDateField(_("period start"))
    period_end = BoundedDateField(_("period end"))
    service_scope = BoundedTextField(_("service scope"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ContractStatus.choices,
                              default=ContractStatus.DRAFT)
    get_status_display = ChoiceDisplay()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    finance_checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                           related_name="+", null=True, blank=True,
                                           verbose_name=_("checked by (finance)"))
    finance_checked_at = BoundedDateTimeField(_("finance check"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True,
                                    verbose_name=pgettext_lazy("partners", "approved by"))
    approved_at = BoundedDateTimeField(pgettext_lazy("partners", "approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("service-purchase contract")
        verbose_name_plural = _("service-purchase contracts")
        ordering = ["-period_start", "-id"]
        indexes = [models.Index(fields=["-period_start", "-id"], name="contract_list_order")]
        constraints = [
            models.CheckConstraint(condition=models.Q(budget__gte=0),
                                   name="contract_budget_not_negative"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="contract_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title

    def can_finance_check(self) -> bool:
        return self.status == ContractStatus.DRAFT and self.finance_checked_at is None

    def can_approve(self) -> bool:
        return self.status == ContractStatus.DRAFT and self.finance_checked_at is not None

    def can_activate(self) -> bool:
        return self.status == ContractStatus.APPROVED

    def can_begin_closing(self) -> bool:
        return self.status == ContractStatus.ACTIVE

    def can_close(self) -> bool:
        return self.status == ContractStatus.CLOSING

    @property
    def is_editable(self) -> bool:
        return self.status == ContractStatus.DRAFT


class KpiMeasure(models.TextChoices):
    """What a KPI counts; every measure is computed from the database."""

    SERVICE_HOURS = "service_hours", _("Service hours")
    SERVICE_SESSIONS = "service_sessions", _("Service sessions")
    PEOPLE_SERVED = "people_served", _("People served")
    REFERRALS_ACCEPTED = "referrals_accepted", _("Referrals accepted")


class ServiceType(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling")
    HOME_VISIT = "home_visit", pgettext_lazy("partners", "Home visit")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment")
    GROUP_ACTIVITY = "group_activity", _("Group activity")
    RESOURCE_LINKAGE = "resource_linkage", _("Resource linkage")
    OTHER = "other", _("Other")


class ContractKpi(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="kpis")
    name = models.CharField(_("name"), max_length=120)
    measure = models.CharField(_("unit"), max_length=20, choices=KpiMeasure.choices)
    get_measure_display = ChoiceDisplay()
    service_type = models.CharField(_("counts only service type"), max_length=20,
                                    choices=ServiceType.choices, blank=True)
    get_service_type_display = ChoiceDisplay()
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["contract", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(target__gt=0),
                                              name="contract_kpi_target_positive")]

    def __str__(self) -> str:
        return self.name


class MilestoneStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    RELEASED = "released", _("Payment released")


class Milestone(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(pgettext_lazy("partners", "title"), max_length=120)
    period_start = BoundedDateField(_("period start"))
    period_end = BoundedDateField(_("period end"))
    amount = models.DecimalField(_("payment amount (CNY)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=MilestoneStatus.choices,
                              default=MilestoneStatus.PENDING)
    get_status_display = ChoiceDisplay()
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    released_at = BoundedDateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["contract", "period_start", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0),
                                   name="milestone_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="milestone_period_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", pgettext_lazy("partners", "Declined")
    CLOSED = "closed", pgettext_lazy("partners", "Closed")


class Referral(TimeStampedModel):
    """A person referred to a provider under a contract. The provider sees only the copied
    fields below (reason, needs, the person's name, phone, address, district), never the
    case file or identity numbers.

    Zhuhai refers a case of its own (``case``; ``person`` is its subject). Macau and Hengqin
    refer a person their side registered or was shared with them (``originating_side``): such
    a person has no Zhuhai case, so the referral hangs on the person and ``case`` is empty."""

    number = models.CharField(_("referral number"), max_length=24, unique=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+",
                             null=True, blank=True, verbose_name=_("case"))
    person = models.ForeignKey("cases.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person referred"))
    originating_side = models.CharField(_("referring side"), max_length=10,
                                        choices=Side.choices, default=Side.ZHUHAI)
    get_originating_side_display = ChoiceDisplay()
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="referrals",
                                 verbose_name=_("contract"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="referrals", verbose_name=_("provider"))
    referring_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("referring agency"))
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("referred by"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices,
                                blank=True)
    get_district_display = ChoiceDisplay()
    reason = BoundedTextField(_("reason for referral"))
    needs = BoundedTextField(_("needs"), blank=True)
    person_name = models.CharField(_("name"), max_length=80)
    person_phone = models.CharField(_("phone"), max_length=40, blank=True)
    person_address = models.CharField(_("address"), max_length=200, blank=True)
    consent_given = models.BooleanField(_("consent given"), default=False)
    consent_date = BoundedDateField(_("consent date"), null=True, blank=True)
    consent_form = models.FileField(_("consent form scan"), upload_to=upload_to("partners/consent"),
                                    blank=True)
    consent_form_name = models.CharField(max_length=120, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ReferralStatus.choices,
                              default=ReferralStatus.DRAFT)
    get_status_display = ChoiceDisplay()
    sent_at = BoundedDateTimeField(_("sent at"), null=True, blank=True)
    responded_at = BoundedDateTimeField(_("answered at"), null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True)
    decline_reason = BoundedTextField(_("reason for declining"), blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"]),
                   models.Index(fields=["district", "status"]),
                   models.Index(fields=["-created_at", "-id"], name="referral_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(consent_given=True,
                                                             consent_date__isnull=False),
                name="referral_sent_only_with_consent"),
            # Zhuhai refers its cases; only Macau and Hengqin refer a person without one
            models.CheckConstraint(
                condition=models.Q(case__isnull=False) | ~models.Q(originating_side="zhuhai"),
                name="referral_zhuhai_refers_a_case"),
        ]

    def __str__(self) -> str:
        return self.number

    def can_send(self) -> bool:
        return (self.status == ReferralStatus.DRAFT and self.consent_given
                and self.consent_date is not None)

    def can_respond(self) -> bool:
        return self.status == ReferralStatus.SENT

    def can_close(self) -> bool:
        return self.status == ReferralStatus.ACCEPTED


class ServiceReviewStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ServiceRecord(TimeStampedModel):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="service_records",
                                 verbose_name=_("contract"))
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT,
                                     related_name="service_records")
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="service_records",
                                 null=True, blank=True, verbose_name=_("referral"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    get_district_display = ChoiceDisplay()
    worker = models.ForeignKey(SocialWorker, on_delete=models.PROTECT, related_name="service_records",
                               verbose_name=_("social worker"))
    service_date = BoundedDateField(_("service date"))
    service_type = models.CharField(_("service type"), max_length=20, choices=ServiceType.choices)
    get_service_type_display = ChoiceDisplay()
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    outcome = BoundedTextField(pgettext_lazy("partners", "outcome"), blank=True)
    follow_up = BoundedTextField(_("follow-up"), blank=True)
    follow_up_date = BoundedDateField(_("follow-up date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    # the purchasing side's review (issue 27): a new record waits for an officer
    review_status = models.CharField(_("review"), max_length=10,
                                     choices=ServiceReviewStatus.choices,
                                     default=ServiceReviewStatus.PENDING)
    get_review_status_display = ChoiceDisplay()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    reviewed_at = BoundedDateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = BoundedTextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        ordering = ["-service_date", "-id"]
        indexes = [models.Index(fields=["contract", "service_date"]),
                   # the list's order, city-wide and per provider
                   models.Index(fields=["-service_date", "-id"], name="service_record_order"),
                   models.Index(fields=["organisation", "-service_date", "-id"],
                                name="service_record_org_order")]
        constraints = [models.CheckConstraint(condition=models.Q(duration_minutes__gt=0),
                                              name="service_record_duration_positive")]

    def __str__(self) -> str:
        return f"{self.service_date} {self.get_service_type_display()}"

    @property
    def duration_hours(self):
        return (Decimal(self.duration_minutes) / Decimal(60)).quantize(Decimal("0.01"))


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class Evaluation(TimeStampedModel):
    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="evaluations",
                                 verbose_name=_("contract"))
    milestone = models.ForeignKey(Milestone, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="evaluations", verbose_name=_("milestone"))
    period_start = BoundedDateField(_("period start"))
    period_end = BoundedDateField(_("period end"))
    score = models.DecimalField(_("score (0–100)"), max_digits=5, decimal_places=2)
    remarks = BoundedTextField(_("remarks"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EvaluationStatus.choices,
                              default=EvaluationStatus.DRAFT)
    get_status_display = ChoiceDisplay()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    approved_at = BoundedDateTimeField(pgettext_lazy("partners", "approved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__gte=0, score__lte=100),
                                   name="evaluation_score_range"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="evaluation_period_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.contract} {self.period_start}–{self.period_end}"

    def can_approve(self) -> bool:
        return self.status == EvaluationStatus.DRAFT


class EvaluationResult(models.Model):
    """A KPI's actual for the evaluated period, computed from service records when the
    evaluation is written (kept, so the approved figures never move)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    kpi = models.ForeignKey(ContractKpi, on_delete=models.PROTECT, related_name="+")
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2)
    actual = models.DecimalField(_("actual"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["evaluation", "kpi_id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "kpi"],
                                               name="evaluation_result_once")]

    @property
    def share(self):
        if not self.target:
            return Decimal(0)
        return min(Decimal(1), (self.actual / self.target)).quantize(Decimal("0.0001"))
