"""The shared register: people, their identity documents, households and cases (个案)."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from zhuao.identity import DocumentType
from zhuao.models import Agency, District, TimeStampedModel
from zhuao.money import Currency


class Sex(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class ResidenceStatus(models.TextChoices):
    MACAU_RESIDENT = "macau_resident", _("Macau resident")
    HENGQIN_RESIDENT = "hengqin_resident", _("Cooperation Zone resident")
    ZHUHAI_HOUSEHOLD = "zhuhai_household", _("Zhuhai household registration")
    OTHER = "other", _("Other")


class Person(TimeStampedModel):
    name_zh = models.CharField(_("name (Chinese)"), max_length=80)
    name_latin = models.CharField(_("name (Portuguese/English)"), max_length=120, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"))
    residence_status = models.CharField(_("residence status"), max_length=20,
                                        choices=ResidenceStatus.choices)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address in Zhuhai"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("registering agency"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["name_zh"]), models.Index(fields=["district"])]

    def __str__(self) -> str:
        return self.name_zh


class IdentityDocument(models.Model):
    """A number is unique per document type: entering an existing one finds that person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("document number"), max_length=32)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [models.UniqueConstraint(fields=["document_type", "number"],
                                               name="identity_document_unique_number")]

    def __str__(self) -> str:
        return f"{self.get_document_type_display()}"


class Household(TimeStampedModel):
    head = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="headed_households",
                             verbose_name=_("head of household"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    living_situation = models.TextField(_("living situation"), blank=True)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("registering agency"))

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.head)


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Sibling")
    GRANDCHILD = "grandchild", _("Grandchild")
    GRANDPARENT = "grandparent", _("Grandparent")
    OTHER = "other", _("Other relative")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships")
    relationship = models.CharField(_("relationship to the head"), max_length=16,
                                    choices=Relationship.choices)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [models.UniqueConstraint(fields=["household", "person"],
                                               name="household_member_once")]


class IncomeKind(models.TextChoices):
    WAGES = "wages", _("Wages")
    PENSION = "pension", _("Pension")
    BENEFITS = "benefits", _("Social benefits")
    BUSINESS = "business", _("Business income")
    RENT = "rent", _("Rent")
    OTHER = "other", _("Other income")


class IncomeItem(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="income_items")
    member = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("earned by"))
    kind = models.CharField(_("kind"), max_length=16, choices=IncomeKind.choices)
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices,
                                default=Currency.CNY)

    class Meta:
        verbose_name = _("income item")
        verbose_name_plural = _("income items")
        constraints = [models.CheckConstraint(condition=models.Q(monthly_amount__gte=0),
                                              name="income_item_not_negative")]


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_REVIEW = "under_review", _("Under review")
    CLOSED = "closed", _("Closed")


class CaseCategory(models.TextChoices):
    MINIMUM_LIVING = "minimum_living", _("Minimum living allowance (最低生活保障)")
    EXTREME_POVERTY = "extreme_poverty", _("Extreme poverty support (特困)")
    TEMPORARY_RELIEF = "temporary_relief", _("Temporary relief (临时救助)")
    VERIFICATION = "verification", _("Cross-border verification (跨境协查)")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Case(TimeStampedModel):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    subject = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases",
                                verbose_name=_("subject person"))
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="cases",
                                  null=True, blank=True, verbose_name=_("household"))
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("owner agency"))
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=CaseCategory.choices)
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.OPEN)
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices,
                                  default=RiskLevel.LOW)
    is_key_case = models.BooleanField(_("key case"), default=False)
    assigned_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("assigned officer"))
    summary = models.TextField(_("summary"), blank=True)
    opened_at = models.DateTimeField(_("opened at"))
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(fields=["district", "status"]),
            models.Index(fields=["owner_agency", "status"]),
            models.Index(fields=["-opened_at", "-id"]),
        ]

    def __str__(self) -> str:
        return self.number


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Explicit shares of a case with an agency's group; they die with the case."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseEventKind(models.TextChoices):
    NOTE = "note", _("Note")
    OPENED = "opened", _("Opened")
    STATUS = "status", _("Status changed")
    SHARED = "shared", _("Shared")
    UNSHARED = "unshared", _("Sharing withdrawn")
    ATTACHMENT = "attachment", _("Attachment added")
    OTHER = "other", _("Other")


class CaseEvent(models.Model):
    """The case timeline: notes and workflow events, newest first."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=CaseEventKind.choices)
    text = models.TextField(_("text"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case timeline")
        ordering = ["-created_at", "-id"]
