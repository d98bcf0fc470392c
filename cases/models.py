"""The shared register: people, their identity documents, households and cases (个案)."""
import calendar as month_calendar
import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from core.choices import ChoiceDisplay
from core.fields import (
    BirthDateField,
    BlindIndexField,
    BoundedDateField,
    BoundedDateTimeField,
    BoundedTextField,
    EncryptedTextField,
)
from core.files import upload_to
from core.identity import DocumentType
from core.models import Agency, District, TimeStampedModel
from core.money import Currency


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
    get_sex_display = ChoiceDisplay()
    date_of_birth = BirthDateField(_("date of birth"))
    residence_status = models.CharField(_("residence status"), max_length=20,
                                        choices=ResidenceStatus.choices)
    get_residence_status_display = ChoiceDisplay()
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.CharField(_("address in Zhuhai"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    get_district_display = ChoiceDisplay()
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("registering agency"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    # derived from the names by cases.names.apply_keys in every service that writes a name
    name_simplified = models.CharField(max_length=80, blank=True, editable=False, db_index=True)
    name_traditional = models.CharField(max_length=80, blank=True, editable=False, db_index=True)
    name_pinyin = models.CharField(max_length=400, blank=True, editable=False)
    name_jyutping = models.CharField(max_length=400, blank=True, editable=False)
    name_keys = BoundedTextField(blank=True, editable=False)
    # the Chinese names' character pairs, ``|ab|bc|``: a two-character search is a whole word
    # here, which the trigram index answers (it cannot answer ``%ab%`` in ``name_keys``)
    name_bigrams = BoundedTextField(blank=True, editable=False)
    # set by cases.merge.person_merge: the person was a duplicate of this one and is hidden
    merged_into = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", editable=False, db_index=False,
                                    verbose_name=_("merged into"))

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["name_zh"]), models.Index(fields=["district"]),
                   # the list's order, city-wide and per district
                   models.Index(fields=["-created_at", "-id"], name="person_list_order"),
                   models.Index(fields=["district", "-created_at", "-id"],
                                name="person_district_order"),
                   # candidates for the duplicate check
                   models.Index(fields=["date_of_birth"], name="person_birth_date"),
                   # the few merged duplicates only: an index of every row's NULL led the
                   # planner to read all of them for ``merged_into IS NULL``
                   models.Index(fields=["merged_into"], name="person_merged_into",
                                condition=models.Q(merged_into__isnull=False))]

    def __str__(self) -> str:
        return self.name_zh


class PersonGroupObjectPermission(GroupObjectPermissionBase):
    """Explicit shares of a person with an agency's group: a Macau or Hengqin liaison shares a
    person its side registered with Zhuhai (``cases.services.person_share``). They die with
    the person."""

    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class PersonUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Person, on_delete=models.CASCADE)


class NameWord(models.Model):
    """A word of some person's romanised name keys ("chan", "iong", "maria"): the vocabulary
    a typo is corrected against (``cases.search``). Recorded by the services that write names
    (``name_words_record``), never removed: a word no one's name has any more finds no one.
    Romanised names share few words, so the table stays small however many people there are."""

    word = models.CharField(max_length=120, unique=True)

    def __str__(self) -> str:
        return self.word


class PersonMergeStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Rejected")
    UNDONE = "undone", _("Undone")


class PersonMerge(TimeStampedModel):
    """A proposed or done merge of a duplicate into the surviving person. ``moved`` keeps, per
    model and field, the ids of the rows that were moved, so undoing restores exactly them."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("surviving person"))
    duplicate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("duplicate person"))
    status = models.CharField(_("status"), max_length=12, choices=PersonMergeStatus.choices,
                              default=PersonMergeStatus.PROPOSED)
    get_status_display = ChoiceDisplay()
    reason = BoundedTextField(_("reason"), blank=True)
    score = models.DecimalField(_("match score"), max_digits=5, decimal_places=3, null=True,
                                blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    decided_at = BoundedDateTimeField(_("decided at"), null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", null=True, blank=True)
    undone_at = BoundedDateTimeField(_("undone at"), null=True, blank=True)
    moved = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("person merge")
        verbose_name_plural = _("person merges")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(survivor=models.F("duplicate")),
                                   name="person_merge_two_people"),
            # one open proposal or done merge per duplicate
            models.UniqueConstraint(fields=["duplicate"], name="person_merge_one_open",
                                    condition=models.Q(status__in=["proposed", "merged"]))]

    def __str__(self) -> str:
        return f"{self.duplicate} → {self.survivor}"


class PossibleDuplicate(models.Model):
    """Two active people who may be one, ``first`` the older record: what the city officers'
    list of possible duplicates reads. Written by the scan of the whole register
    (``cases.duplicates.possible_duplicates_refresh``, nightly) and at each registration."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("match score"), max_digits=5, decimal_places=3)
    found_at = BoundedDateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="possible_duplicate_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")),
                                   name="possible_duplicate_older_first")]
        indexes = [models.Index(fields=["-score", "-second"], name="possible_duplicate_rank")]


class IdentityDocument(models.Model):
    """A number is unique per document type: entering an existing one finds that person."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="documents")
    document_type = models.CharField(_("document type"), max_length=20, choices=DocumentType.choices)
    get_document_type_display = ChoiceDisplay()
    #: Encrypted at rest; found by ``number_index`` (``IdentityDocument.index_of``).
    number = EncryptedTextField(_("document number"), max_length=32)
    number_index = BlindIndexField(source="number", db_index=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        constraints = [models.UniqueConstraint(fields=["document_type", "number_index"],
                                               name="identity_document_unique_number")]

    @classmethod
    def index_of(cls, number: str) -> str:
        """The blind index of a canonical number: what lookups compare."""
        return cls._meta.get_field("number_index").index_of(number)

    @classmethod
    def with_numbers(cls, numbers) -> models.QuerySet:
        """The documents holding any of these canonical numbers (by their blind index)."""
        return cls.objects.filter(number_index__in=[cls.index_of(number) for number in numbers])

    def __str__(self) -> str:
        return f"{self.get_document_type_display()}"


class Household(TimeStampedModel):
    head = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="headed_households",
                             verbose_name=_("head of household"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    get_district_display = ChoiceDisplay()
    living_situation = BoundedTextField(_("living situation"), blank=True)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("registering agency"))

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="household_list_order"),
                   models.Index(fields=["district", "-created_at", "-id"],
                                name="household_district_order")]

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
    get_relationship_display = ChoiceDisplay()

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
    get_kind_display = ChoiceDisplay()
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=14, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices,
                                default=Currency.CNY)
    get_currency_display = ChoiceDisplay()

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
    get_district_display = ChoiceDisplay()
    category = models.CharField(_("category"), max_length=20, choices=CaseCategory.choices)
    get_category_display = ChoiceDisplay()
    status = models.CharField(_("status"), max_length=16, choices=CaseStatus.choices,
                              default=CaseStatus.OPEN)
    get_status_display = ChoiceDisplay()
    risk_level = models.CharField(_("risk level"), max_length=8, choices=RiskLevel.choices,
                                  default=RiskLevel.LOW)
    get_risk_level_display = ChoiceDisplay()
    is_key_case = models.BooleanField(_("key case"), default=False)
    assigned_officer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="+",
                                         verbose_name=_("assigned officer"))
    summary = BoundedTextField(pgettext_lazy("cases", "summary"), blank=True)
    opened_at = BoundedDateTimeField(_("opened at"))
    closed_at = BoundedDateTimeField(_("closed at"), null=True, blank=True)

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
    """Explicit shares of a case with an agency's group; they die with the case.

    A share keeps its case's subject (``subject``): the agency sees the subject through the
    share (``person_visible_to``), and a person's visibility then reads the shares of that
    person from an index instead of joining every shared case to its subject (Hengqin holds
    50,000 shares at a million people). Filled here from the case whichever way the share is
    written (guardian's ``assign_perm`` saves one row); a merge and its undo move it with the
    case (``cases.merge``)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+",
                                editable=False, db_index=False)

    class Meta(GroupObjectPermissionBase.Meta):
        indexes = [models.Index(fields=["subject", "group"], name="case_share_subject")]

    def save(self, *args, **kwargs):
        if self.subject_id is None:
            self.subject_id = self.content_object.subject_id
        super().save(*args, **kwargs)


class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseEventKind(models.TextChoices):
    NOTE = "note", pgettext_lazy("cases", "Note")
    OPENED = "opened", _("Opened")
    STATUS = "status", _("Status changed")
    SHARED = "shared", _("Shared")
    UNSHARED = "unshared", _("Sharing withdrawn")
    ATTACHMENT = "attachment", _("Attachment added")
    MEETING = "meeting", _("Joint meeting")
    OTHER = "other", _("Other")


class CaseEvent(models.Model):
    """The case timeline: notes and workflow events, newest first."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=CaseEventKind.choices)
    get_kind_display = ChoiceDisplay()
    text = BoundedTextField(_("text"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    created_at = BoundedDateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case timeline")
        ordering = ["-created_at", "-id"]
        indexes = [
            # the cases shared since a liaison's last visit (its home page's *My work*): a few
            # among a million "opened" events, which PostgreSQL otherwise read on every visit
            models.Index(fields=["created_at", "case"], name="case_event_shared",
                         condition=models.Q(kind="shared")),
        ]


# --- Attachments ------------------------------------------------------------------------------

class CaseAttachment(models.Model):
    """A file on a case: served only by cases' views after the visibility check."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=upload_to("cases/attachments"), max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    kind = models.CharField(_("file type"), max_length=8)
    size = models.PositiveIntegerField(_("size in bytes"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", null=True, blank=True)
    created_at = BoundedDateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case attachment")
        verbose_name_plural = _("case attachments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.original_name


# --- The joint-meeting secretariat (联席会议) ---------------------------------------------------

class MeetingKind(models.TextChoices):
    JOINT_CONFERENCE = "joint_conference", _("Joint conference (联席会议)")
    LEADING_GROUP = "leading_group", _("Leading group (领导小组)")
    THEMATIC_DISCUSSION = "thematic_discussion", _("Thematic discussion (专题讨论)")
    LIAISON_MEETING = "liaison_meeting", _("Liaison meeting")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class MinutesStatus(models.TextChoices):
    NONE = "none", _("Not drafted")
    DRAFTED = "drafted", _("Drafted")
    CIRCULATED = "circulated", _("Circulated to attendees")
    APPROVED = "approved", pgettext_lazy("cases", "Approved")


class RecurrenceFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY_WEEKDAY = "monthly_weekday", _("Monthly on a weekday (e.g. the second Tuesday)")
    MONTHLY_DAY = "monthly_day", _("Monthly on a day of the month")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class WeekOfMonth(models.IntegerChoices):
    FIRST = 1, _("first")
    SECOND = 2, _("second")
    THIRD = 3, _("third")
    FOURTH = 4, _("fourth")
    LAST = -1, _("last")


class MeetingSeries(TimeStampedModel):
    """A recurring meeting (the monthly liaison meeting): the rule and the template of its
    occurrences. Occurrences are ordinary meetings (``Meeting.series``), generated a few
    months ahead (``secretariat.services.meeting_series_generate``); editing an occurrence
    changes that one only, and a changed rule is a new series (end this one, create another)."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices)
    get_kind_display = ChoiceDisplay()
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    organiser_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("organising agency"))
    invited_agencies = models.ManyToManyField(Agency, blank=True, related_name="+",
                                              verbose_name=_("invited agencies"))
    invited_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                            related_name="+", verbose_name=_("invited people"))
    frequency = models.CharField(_("repeats"), max_length=16,
                                 choices=RecurrenceFrequency.choices)
    get_frequency_display = ChoiceDisplay()
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, null=True,
                                               blank=True)
    get_weekday_display = ChoiceDisplay()
    week_of_month = models.SmallIntegerField(_("week of the month"), choices=WeekOfMonth.choices,
                                             null=True, blank=True)
    get_week_of_month_display = ChoiceDisplay()
    day_of_month = models.PositiveSmallIntegerField(
        _("day of the month"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)])
    start_time = models.TimeField(_("start time"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("meeting length (minutes)"), default=120,
        validators=[MinValueValidator(15), MaxValueValidator(12 * 60)])
    starts_on = BoundedDateField(_("first day"))
    ends_on = BoundedDateField(_("last day"), null=True, blank=True)
    skip_non_working_days = models.BooleanField(
        _("move off non-working days"), default=True,
        help_text=_("An occurrence on a holiday or weekend of the organiser's side moves to "
                    "the next working day."))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("recurring meeting")
        verbose_name_plural = _("recurring meetings")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="meeting_series_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors = {}
        if self.frequency in (RecurrenceFrequency.WEEKLY, RecurrenceFrequency.MONTHLY_WEEKDAY):
            if self.weekday is None:
                errors["weekday"] = _("Choose the weekday.")
        if self.frequency == RecurrenceFrequency.MONTHLY_WEEKDAY and self.week_of_month is None:
            errors["week_of_month"] = _("Choose which week of the month.")
        if self.frequency == RecurrenceFrequency.MONTHLY_DAY and self.day_of_month is None:
            errors["day_of_month"] = _("Choose the day of the month.")
        if errors:
            raise ValidationError(errors)

    def dates_between(self, first, last) -> list:
        """The rule's dates from ``first`` to ``last`` (both included), before any move off a
        non-working day. A day of the month past the month's end is its last day."""
        first = max(first, self.starts_on)
        if self.ends_on is not None:
            last = min(last, self.ends_on)
        found = []
        if first > last:
            return found
        if self.frequency == RecurrenceFrequency.WEEKLY:
            day = first + timedelta(days=(self.weekday - first.weekday()) % 7)
            while day <= last:
                found.append(day)
                day += timedelta(days=7)
            return found
        year, month = first.year, first.month
        while date(year, month, 1) <= last:
            length = month_calendar.monthrange(year, month)[1]
            if self.frequency == RecurrenceFrequency.MONTHLY_DAY:
                day = date(year, month, min(self.day_of_month, length))
            else:
                weekdays = [date(year, month, number) for number in range(1, length + 1)
                            if date(year, month, number).weekday() == self.weekday]
                day = weekdays[-1] if self.week_of_month == WeekOfMonth.LAST else \
                    weekdays[self.week_of_month - 1]
            if first <= day <= last:
                found.append(day)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


class Meeting(TimeStampedModel):
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices)
    get_kind_display = ChoiceDisplay()
    starts_at = BoundedDateTimeField(_("starts at"))
    ends_at = BoundedDateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices,
                              default=MeetingStatus.SCHEDULED)
    get_status_display = ChoiceDisplay()
    organiser_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("organising agency"))
    invited_agencies = models.ManyToManyField(Agency, blank=True, related_name="+",
                                              verbose_name=_("invited agencies"))
    invited_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                            related_name="+", verbose_name=_("invited people"))
    minutes = BoundedTextField(_("minutes"), blank=True)
    minutes_status = models.CharField(_("minutes status"), max_length=12,
                                      choices=MinutesStatus.choices, default=MinutesStatus.NONE)
    get_minutes_status_display = ChoiceDisplay()
    minutes_circulated_at = BoundedDateTimeField(_("minutes circulated at"), null=True,
                                                 blank=True)
    minutes_approved_at = BoundedDateTimeField(_("minutes approved at"), null=True, blank=True)
    minutes_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="+",
                                            verbose_name=_("minutes approved by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="meetings", verbose_name=_("recurring meeting"))
    #: The day the series' rule gave this occurrence (before a move off a non-working day or
    #: an edit of this occurrence), so a second generation does not add it again.
    occurrence_date = BoundedDateField(_("occurrence of"), null=True, blank=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["kind", "status", "starts_at"]),
                   # the list's order and the calendar's month
                   models.Index(fields=["-starts_at", "-id"], name="meeting_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_start"),
            models.UniqueConstraint(fields=["series", "occurrence_date"],
                                    name="meeting_one_occurrence_per_date"),
        ]

    def __str__(self) -> str:
        return self.title

    def can_edit_minutes(self) -> bool:
        return self.minutes_status in (MinutesStatus.NONE, MinutesStatus.DRAFTED)

    def can_circulate_minutes(self) -> bool:
        return self.minutes_status == MinutesStatus.DRAFTED and bool(self.minutes.strip())

    def can_approve_minutes(self) -> bool:
        return self.minutes_status == MinutesStatus.CIRCULATED


class AgendaItemKind(models.TextChoices):
    GENERAL = "general", _("General item")
    KEY_CASE_REVIEW = "key_case_review", _("Key-case review (重点个案研判)")


class AgendaItemStatus(models.TextChoices):
    PENDING = "pending", _("Pending assignment to a meeting")
    SCHEDULED = "scheduled", _("On the agenda")
    DISCUSSED = "discussed", _("Discussed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AgendaItem(TimeStampedModel):
    """An agenda item. Key-case reviews point at cases; without a meeting (``meeting=None``)
    the item waits in the secretariat's queue of pending key-case reviews."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="agenda_items", verbose_name=_("meeting"))
    position = models.PositiveIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=AgendaItemKind.choices,
                            default=AgendaItemKind.GENERAL)
    get_kind_display = ChoiceDisplay()
    title = models.CharField(_("title"), max_length=200)
    reason = BoundedTextField(_("reason"), blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True,
                              help_text=_("Where the item came from, e.g. a relief application."))
    status = models.CharField(_("status"), max_length=12, choices=AgendaItemStatus.choices,
                              default=AgendaItemStatus.PENDING)
    get_status_display = ChoiceDisplay()
    cases = models.ManyToManyField(Case, blank=True, related_name="agenda_items",
                                   verbose_name=_("cases"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("proposed by"))
    proposed_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+",
                                           verbose_name=_("proposing agency"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "position", "id"]
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return self.title


class KeyCaseOutcome(models.TextChoices):
    """What a key-case review (重点个案研判) decided; empty on other agenda items."""

    APPROVED = "approved", pgettext_lazy("key case", "Approved")
    REJECTED = "rejected", pgettext_lazy("key case", "Rejected")
    DEFERRED = "deferred", pgettext_lazy("key case", "Deferred")


class Decision(TimeStampedModel):
    """A meeting's decision on an agenda item. A key-case review's decision also records its
    outcome and who took part (staff and agencies present): the record a key-case approval
    rests on (issue 23, finding 21)."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE,
                                    related_name="decisions", verbose_name=_("agenda item"))
    text = BoundedTextField(_("decision"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    outcome = models.CharField(_("key-case outcome"), max_length=12,
                               choices=KeyCaseOutcome.choices, blank=True)
    get_outcome_display = ChoiceDisplay()
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True,
                                          related_name="+",
                                          verbose_name=_("staff present"))
    participating_agencies = models.ManyToManyField(Agency, blank=True, related_name="+",
                                                    verbose_name=_("agencies present"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


ACTION_ITEM_ACTIVE_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


class ActionItem(TimeStampedModel):
    """An action item decided at a meeting, owned by one agency, with a due date."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items",
                                verbose_name=_("meeting"))
    decision = models.ForeignKey(Decision, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="action_items", verbose_name=_("decision"))
    title = models.CharField(_("title"), max_length=200)
    description = BoundedTextField(_("description"), blank=True)
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("owner agency"))
    due_date = BoundedDateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=ActionItemStatus.choices,
                              default=ActionItemStatus.OPEN)
    get_status_display = ChoiceDisplay()
    completed_at = BoundedDateTimeField(_("completed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["owner_agency", "status", "due_date"]),
                   models.Index(fields=["due_date", "id"], name="action_item_list_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status in ACTION_ITEM_ACTIVE_STATUSES

    def is_overdue(self, today=None) -> bool:
        return self.is_active and self.due_date < (today or timezone.localdate())


class ActionItemProgress(models.Model):
    action_item = models.ForeignKey(ActionItem, on_delete=models.CASCADE,
                                    related_name="progress_notes")
    text = BoundedTextField(_("progress note"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    created_at = BoundedDateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["-created_at", "-id"]


class CalendarFeedToken(models.Model):
    """The private key of a user's iCalendar feed: only its SHA-256 is stored, so the address
    is shown once, when it is made. One live token per user; a new one revokes the old."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+", verbose_name=_("user"))
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = BoundedDateTimeField(_("created at"), auto_now_add=True)
    revoked_at = BoundedDateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = BoundedDateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(revoked_at__isnull=True),
                                    name="calendar_feed_one_live_token_per_user"),
        ]

    @staticmethod
    def hash_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
