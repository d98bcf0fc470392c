"""What every app shares: agencies, staff, the liaison roster and the audit trail."""
import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceDisplay
from core.fields import BoundedDateField, BoundedDateTimeField, BoundedTextField, EncryptedJSONField
from core.files import upload_to
from core.messages import Text


class TimeStampedModel(models.Model):
    """Base model: creation and change times on every row."""

    created_at = BoundedDateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = BoundedDateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Side(models.TextChoices):
    ZHUHAI = "zhuhai", _("Zhuhai")
    MACAU = "macau", _("Macau")
    HENGQIN = "hengqin", _("Hengqin Cooperation Zone")
    PARTNER = "partner", _("Partner")


class AgencyKind(models.TextChoices):
    CITY_BUREAU = "city_bureau", _("City civil-affairs bureau")
    DISTRICT_BUREAU = "district_bureau", _("District civil-affairs department")
    FINANCE = "finance", _("Finance bureau")
    FINANCIAL_WORK = "financial_work", _("Financial Work bureau")
    IAS = "ias", _("Macau Social Welfare Bureau (IAS)")
    COOPERATION_ZONE = "cooperation_zone", _("Cooperation Zone livelihood bureau")
    NGO = "ngo", _("Social organisation")
    BANK = "bank", _("Partner bank")


class District(models.TextChoices):
    """Zhuhai's districts and functional areas (区/功能区)."""

    XIANGZHOU = "xiangzhou", _("Xiangzhou District")
    DOUMEN = "doumen", _("Doumen District")
    JINWAN = "jinwan", _("Jinwan District")
    GAOXIN = "gaoxin", _("High-tech Zone")
    GAOLANGANG = "gaolangang", _("Gaolan Port Economic Zone")
    WANSHAN = "wanshan", _("Wanshan Marine Development Zone")


class Agency(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh_hans = models.CharField(_("name (simplified Chinese)"), max_length=120)
    name_zh_hant = models.CharField(_("name (traditional Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=200)
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    get_side_display = ChoiceDisplay()
    kind = models.CharField(_("kind"), max_length=24, choices=AgencyKind.choices)
    get_kind_display = ChoiceDisplay()
    district = models.CharField(_("district"), max_length=16, choices=District.choices, blank=True)
    get_district_display = ChoiceDisplay()
    group = models.OneToOneField(Group, on_delete=models.PROTECT, editable=False,
                                 related_name="agency")
    email = models.EmailField(_("e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["side", "kind", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="district_bureau") | ~models.Q(district=""),
                name="agency_district_bureau_has_district",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        if language.startswith("en"):
            return self.name_en
        if language in ("zh-hant", "zh-tw", "zh-hk", "zh-mo"):
            return self.name_zh_hant
        return self.name_zh_hans

    NAME_FIELDS = ("name_zh_hans", "name_zh_hant", "name_en")

    @property
    def default_language(self) -> str:
        """The language a new account of this agency starts with (each user may change it):
        traditional Chinese in Macau, the site's default elsewhere."""
        return "zh-hant" if self.side == Side.MACAU else settings.LANGUAGE_CODE

    def save(self, *args, **kwargs):
        if not self.group_id:
            self.group, _created = Group.objects.get_or_create(name=f"agency:{self.code}")
        super().save(*args, **kwargs)


def agency_name_fields(relation: str) -> tuple[str, ...]:
    """For ``.only()``: the columns an agency reached through ``relation`` needs for its name."""
    return tuple(f"{relation}__{name}" for name in Agency.NAME_FIELDS)


class StaffProfile(models.Model):
    """A user's membership of exactly one agency."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="staff")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="staff",
                               verbose_name=_("agency"))
    title = models.CharField(_("job title"), max_length=80, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    get_language_display = ChoiceDisplay()
    #: When the user last opened their work list: what was shared since is "new".
    work_seen_at = BoundedDateTimeField(_("work list last seen"), null=True, blank=True,
                                        editable=False)
    #: The district head (team lead) of the agency: reassigns its records between its officers
    #: and hands over a leaving officer's work (core.assignment).
    is_team_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.agency.code})"


class LiaisonRole(models.TextChoices):
    PRIMARY = "primary", _("Primary liaison")
    BACKUP = "backup", _("Backup liaison")


class LiaisonAssignment(TimeStampedModel):
    """The liaison roster (联络员制度): per agency a primary and a backup liaison, with contact
    details and a validity period. Bulletins and escalation of urgent notices read it."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="liaisons",
                               verbose_name=_("agency"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="liaison_assignments", verbose_name=_("liaison"))
    role = models.CharField(_("role"), max_length=10, choices=LiaisonRole.choices)
    get_role_display = ChoiceDisplay()
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    valid_from = BoundedDateField(_("valid from"))
    valid_until = BoundedDateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison roster")
        ordering = ["agency", "role", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="liaison_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.role} {self.user.get_username()}"


class CalendarSide(models.TextChoices):
    """Whose working days count (core/calendar.py): Zhuhai, Hengqin and the partners work on
    the mainland calendar, Macau on its own."""
    MAINLAND = "mainland", _("Mainland")
    MACAU = "macau", _("Macau")


class WorkingDayOverride(TimeStampedModel):
    """A local correction to one side's working-day calendar, which wins over the ``holidays``
    package: a make-up working day or a holiday announced after the package was released
    (the State Council publishes the next year's 调休 in the autumn), a typhoon closure."""

    day = BoundedDateField(_("date"))
    side = models.CharField(_("calendar"), max_length=10, choices=CalendarSide.choices)
    get_side_display = ChoiceDisplay()
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("working-day override")
        verbose_name_plural = _("working-day overrides")
        ordering = ["-day", "side"]
        constraints = [models.UniqueConstraint(fields=["day", "side"],
                                               name="working_day_override_unique")]

    def __str__(self) -> str:
        return f"{self.day.isoformat()} {self.get_side_display()}"


class AuditOutcome(models.TextChoices):
    SUCCESS = "success", _("success")
    DENIED = "denied", _("denied")
    FAILED = "failed", _("failed")


class AuditEvent(models.Model):
    """Append-only: who viewed, created, changed, exported or disclosed what, when, from where.

    Actor and agency are kept as plain values beside their ids so that a row never has to
    change; on PostgreSQL a trigger refuses UPDATE and DELETE (migration 0002)."""

    id = models.BigAutoField(primary_key=True)
    occurred_at = BoundedDateTimeField(_("time"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("actor"), max_length=150, blank=True)
    agency_code = models.CharField(_("agency"), max_length=40, blank=True, db_index=True)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(_("object type"), max_length=64, blank=True, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    summary = models.CharField(_("summary"), max_length=500, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    request_id = models.UUIDField(_("request"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=AuditOutcome.choices,
                               default=AuditOutcome.SUCCESS)
    get_outcome_display = ChoiceDisplay()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit trail")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only")


class AuditSeal(models.Model):
    """One link of the audit trail's chain (``core.audit_chain``): the keyed hash of the row
    it names and of the link before it. Append-only, as the rows are."""

    position = models.BigIntegerField(_("position"), primary_key=True)
    event = models.OneToOneField(AuditEvent, on_delete=models.DO_NOTHING, db_constraint=False,
                                 related_name="seal", verbose_name=_("audit event"))
    digest = models.CharField(_("digest"), max_length=64)
    occurred_at = BoundedDateTimeField(_("time"))
    sealed_at = BoundedDateTimeField(_("sealed at"), default=timezone.now)

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.position}"


class AuditArchive(models.Model):
    """A file of audit rows that left the database past their retention, with the digest of
    its last link: the anchor of the chain that stays."""

    created_at = BoundedDateTimeField(_("time"), default=timezone.now)
    file_name = models.CharField(_("file"), max_length=120, unique=True)
    file_sha256 = models.CharField(_("file SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    first_position = models.BigIntegerField(_("first position"))
    last_position = models.BigIntegerField(_("last position"), unique=True)
    last_digest = models.CharField(_("last digest"), max_length=64)
    cutoff = BoundedDateTimeField(_("older than"))

    class Meta:
        verbose_name = _("audit archive")
        verbose_name_plural = _("audit archives")
        ordering = ["-last_position"]

    def __str__(self) -> str:
        return self.file_name


class PasswordHistory(models.Model):
    """The hashes of a user's recent passwords (``core.passwords``): none of the last five
    may be chosen again, and the newest dates the password for its optional expiry."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = BoundedDateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class UserSession(models.Model):
    """A signed-in session of a user, so that they can see where they are signed in and end
    those sessions (``core.sessions``). The session itself lives in Django's session store."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = BoundedDateTimeField(_("signed in at"), default=timezone.now)
    last_seen_at = BoundedDateTimeField(_("last active"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("signed-in session")
        verbose_name_plural = _("signed-in sessions")
        ordering = ["-last_seen_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


class WorkerHeartbeat(models.Model):
    """One row, written by a beat-scheduled task: /healthz reads it to tell if worker and beat run."""

    name = models.CharField(max_length=40, primary_key=True)
    beat_at = BoundedDateTimeField()

    class Meta:
        verbose_name = _("worker heartbeat")


def new_request_id() -> uuid.UUID:
    return uuid.uuid4()


class Notification(models.Model):
    """An in-app inbox message for one user (also e-mailed when asked)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications", verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = BoundedTextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    #: The title and body as message keys and parameters (``core.messages.Text.to_json``):
    #: ``{"title": {...}, "body": {...}}``, rendered in the reader's language. ``title`` and
    #: ``body`` keep the text as the recipient read it when it was sent (and are all that rows
    #: older than this field, or plain-text messages, have).
    message = models.JSONField(_("message keys"), default=dict, blank=True, editable=False)
    created_at = BoundedDateTimeField(_("time"), default=timezone.now)
    read_at = BoundedDateTimeField(_("read at"), null=True, blank=True)
    emailed_at = BoundedDateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.display_title

    def _rendered(self, part: str, stored: str) -> str:
        key = (self.message or {}).get(part) if isinstance(self.message, dict) else None
        if not isinstance(key, dict) or not key.get("msgid"):
            return stored
        return Text.from_json(key).render()

    @property
    def display_title(self) -> str:
        """The title in the active language (the reader's)."""
        return self._rendered("title", self.title)[:200]

    @property
    def display_body(self) -> str:
        return self._rendered("body", self.body)


class OutboxJob(models.Model):
    """A background job that could not be published because the broker was down. The web
    request that asked for it still succeeded; ``zhuao.outbox_sweep`` (beat, every minute)
    publishes it again once the broker answers. One row per distinct job (fingerprint)."""

    fingerprint = models.CharField(max_length=64, unique=True)
    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(default=list, blank=True)
    kwargs = models.JSONField(default=dict, blank=True)
    created_at = BoundedDateTimeField(_("time"), default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    #: The request that asked for the job: published again with it (zhuao.logs), so the
    #: task's log lines and audit rows still carry that request's id.
    request_id = models.UUIDField(_("request"), null=True, blank=True)

    class Meta:
        verbose_name = _("unpublished job")
        verbose_name_plural = _("unpublished jobs")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.task_name


class TaskReceipt(models.Model):
    """Idempotency ledger: a task's effect and its receipt commit in one transaction, so a
    task delivered twice (acks are late: a killed worker's task runs again) acts once."""

    key = models.CharField(max_length=200, unique=True)
    task_name = models.CharField(max_length=200, blank=True)
    created_at = BoundedDateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("task receipt")
        verbose_name_plural = _("task receipts")

    def __str__(self) -> str:
        return self.key


class ApiToken(models.Model):
    """An API token. Only its SHA-256 is stored (the token is 160 random bits, so a fast hash
    is enough: nothing to guess) and its first characters, to tell tokens apart in lists. It
    expires ``API_TOKEN_DAYS`` after issue (core.tokens)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("user"))
    prefix = models.CharField(_("token begins with"), max_length=8)
    key_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = BoundedDateTimeField(_("issued at"), default=timezone.now)
    expires_at = BoundedDateTimeField(_("expires at"))
    last_used_at = BoundedDateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being written")
    DONE = "done", _("Ready to download")
    FAILED = "failed", _("Export failed")


class ExportJob(models.Model):
    """A list export too long to stream at once (web.exports): written by a Celery job into
    the protected media storage and downloaded by its owner only. ``params`` (the list's
    filters, possibly a searched name) are cleared once the file is written."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+", verbose_name=_("export requested by"))
    list_key = models.CharField(_("exported list"), max_length=40)
    file_format = models.CharField(_("file format"), max_length=8)
    params = BoundedTextField(_("list filters"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ExportStatus.choices,
                              default=ExportStatus.QUEUED)
    get_status_display = ChoiceDisplay()
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows written"), default=0)
    file = models.FileField(_("file"), upload_to=upload_to("exports"), max_length=300,
                            blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = BoundedDateTimeField(_("export requested at"), default=timezone.now)
    finished_at = BoundedDateTimeField(_("export finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("list export")
        verbose_name_plural = _("list exports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.list_key}.{self.file_format}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.rows_done * 100 // self.rows_total) if self.rows_total else 0


class SpreadsheetImportKind(models.TextChoices):
    PEOPLE = "people", _("People and households")
    SERVICE_RECORDS = "service_records", _("Service records")


class SpreadsheetImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Checked, awaiting confirmation")
    COMMITTED = "committed", _("Imported")
    DISCARDED = "discarded", _("Discarded")


class SpreadsheetImport(TimeStampedModel):
    """One uploaded spreadsheet of people/households or service records (``web.imports``):
    the checked preview is kept here, encrypted (it holds identity numbers), and the confirm
    imports what was previewed, never what the browser sends back. The uploaded file itself is
    not kept: its hash says which file it was."""

    kind = models.CharField(_("kind"), max_length=20, choices=SpreadsheetImportKind.choices)
    get_kind_display = ChoiceDisplay()
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("agency"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("uploaded by"))
    original_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    status = models.CharField(_("status"), max_length=16,
                              choices=SpreadsheetImportStatus.choices,
                              default=SpreadsheetImportStatus.PREVIEWED)
    get_status_display = ChoiceDisplay()
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    valid_count = models.PositiveIntegerField(_("rows to import"), default=0)
    #: {"rows": [...checked rows to import...], "errors": [{"row", "column", "message"}],
    #:  "warnings": [{"row", "message"}]}
    preview = EncryptedJSONField(default=dict, blank=True)
    summary = models.JSONField(_("result"), default=dict, blank=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+", null=True, blank=True,
                                     verbose_name=_("committed by"))
    committed_at = BoundedDateTimeField(_("committed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "kind", "-created_at"],
                                name="spreadsheet_import_list")]

    def __str__(self) -> str:
        return self.original_name

    @property
    def can_commit(self) -> bool:
        return self.status == SpreadsheetImportStatus.PREVIEWED and self.valid_count > 0
