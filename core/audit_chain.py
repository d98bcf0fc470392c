"""The audit trail as evidence: every audit row is sealed into a chain of keyed hashes, so that
an edited, removed or inserted row shows (GB/T 22239-2019 level 3, 安全审计: protection of the
audit records; Cybersecurity Law art. 21: network logs kept at least six months).

Sealing. An audit row is written by the action it records, inside that action's transaction,
by many requests at once; chaining it there would make every write wait for the previous one.
Instead ``seal_pending`` (beat, every minute, and before every verification or archive) takes
the rows not yet sealed, in id order, under a lock that lets one sealer run at a time, and
appends one :class:`~core.models.AuditSeal` per row: ``digest = HMAC(key, previous digest ‖
canonical row)``. The seal's position is the order of the chain, so a row whose transaction
committed late is sealed at a later position and never missed. Seals are append-only like the
rows (a database trigger; the application's database role may only insert and read them).

Verifying. ``verify`` walks the seals in position order and recomputes each digest from the
row it names: an edited row, a removed row (its seal names nothing, or the seal went too and
the next one no longer follows) and a gap in the positions are reported at the first broken
link (``manage.py audit_verify``).

Archiving. Rows older than ``AUDIT_RETENTION_DAYS`` (never fewer than 180 days) may leave the
database, oldest first and only in whole chain order, after they are written to a compressed
JSON-lines file with a manifest of their digests and the file's SHA-256 (``manage.py
audit_archive``, run with the owner's database role, as ``migrate`` is). The database refuses
to delete a younger row whatever the role asks. The archive's last digest anchors the chain
that stays in the database.

The key (``AUDIT_CHAIN_KEY``) is not the application's SECRET_KEY: rotating one must not
break the other. HMAC-SM3 by default (GB/T 39786-2021), HMAC-SHA-256 where a deployment
chooses (``AUDIT_CHAIN_HASH``)."""
from __future__ import annotations

import gzip
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from core.audit_partitions import drop_archived_partitions
from core.errors import ApplicationError
from core.models import AuditArchive, AuditEvent, AuditSeal

#: The shortest retention of the audit trail the law allows (Cybersecurity Law art. 21).
MINIMUM_RETENTION_DAYS = 180
SEAL_BATCH = 5000
#: The advisory lock that lets one sealer run at a time (PostgreSQL).
SEAL_LOCK = 0x7A68_7561_6F01


def chain_key() -> bytes:
    key = settings.AUDIT_CHAIN_KEY or hmac.new(
        settings.SECRET_KEY.encode(), b"zhuao audit chain", hashlib.sha256).hexdigest()
    return key.encode()


def _mac(key: bytes, message: bytes) -> str:
    algorithm = settings.AUDIT_CHAIN_HASH
    if algorithm == "sha256":
        return hmac.new(key, message, hashlib.sha256).hexdigest()
    if algorithm == "sm3":

        mac = crypto_hmac.HMAC(key, hashes.SM3())
        mac.update(message)
        return mac.finalize().hex()
    raise ApplicationError(f"Unknown AUDIT_CHAIN_HASH {algorithm!r}: use sm3 or sha256.")


def canonical(event: AuditEvent) -> bytes:
    """The row as the chain sees it: every column, in a fixed order and form."""
    return json.dumps([
        event.pk, event.occurred_at.isoformat(), event.actor_id, event.actor_username,
        event.agency_code, event.action, event.object_type, event.object_id, event.summary,
        event.changes, event.ip_address, str(event.request_id or ""), event.outcome,
    ], ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str).encode()


def digest_of(previous: str, event: AuditEvent, key: bytes | None = None) -> str:
    return _mac(key or chain_key(), previous.encode() + b"\n" + canonical(event))


def _last_digest() -> tuple[int, str]:
    """(position, digest) of the chain's end: the last seal, or the last archive's anchor."""
    last = AuditSeal.objects.order_by("-position").values_list("position", "digest").first()
    if last:
        return last
    archive = AuditArchive.objects.order_by("-last_position").first()
    return (archive.last_position, archive.last_digest) if archive else (0, "")


def seal_pending(*, limit: int | None = None) -> int:
    """Seal the rows not yet sealed, oldest id first; returns how many were sealed."""
    sealed = 0
    key = chain_key()
    while limit is None or sealed < limit:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
            position, previous = _last_digest()
            batch = SEAL_BATCH if limit is None else min(SEAL_BATCH, limit - sealed)
            events = list(AuditEvent.objects.filter(seal__isnull=True).order_by("id")[:batch])
            if not events:
                break
            seals = []
            for event in events:
                position += 1
                previous = digest_of(previous, event, key)
                seals.append(AuditSeal(position=position, event_id=event.pk, digest=previous,
                                       occurred_at=event.occurred_at))
            AuditSeal.objects.bulk_create(seals)
            sealed += len(seals)
    return sealed


@dataclass(frozen=True)
class Verification:
    checked: int
    broken_at: int | None = None  # the seal position of the first broken link
    event_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(*, seal_first: bool = True) -> Verification:
    """Walk the chain from its start (or the last archive's anchor) to its end."""
    if seal_first:
        seal_pending()
    key = chain_key()
    archive = AuditArchive.objects.order_by("-last_position").first()
    position, previous = (archive.last_position, archive.last_digest) if archive else (0, "")
    checked = 0
    seals = AuditSeal.objects.order_by("position").values_list("position", "event_id", "digest")
    batch: list[tuple[int, int, str]] = []

    def check(rows) -> Verification | None:
        nonlocal position, previous, checked
        events = AuditEvent.objects.in_bulk([event_id for _, event_id, _ in rows])
        for seal_position, event_id, digest in rows:
            if seal_position != position + 1:
                return Verification(checked, position + 1, None,
                                    f"seals {position + 1}–{seal_position - 1} are missing")
            event = events.get(event_id)
            if event is None:
                return Verification(checked, seal_position, event_id,
                                    f"audit row {event_id} was removed")
            if digest_of(previous, event, key) != digest:
                return Verification(checked, seal_position, event_id,
                                    f"audit row {event_id} was changed, or a row before it "
                                    "was removed with its seal")
            position, previous = seal_position, digest
            checked += 1
        return None

    for row in seals.iterator(chunk_size=SEAL_BATCH):
        batch.append(row)
        if len(batch) == SEAL_BATCH:
            broken = check(batch)
            if broken:
                return broken
            batch = []
    broken = check(batch) if batch else None
    if broken:
        return broken
    unsealed = AuditEvent.objects.filter(seal__isnull=True).order_by("id").first()
    if unsealed is not None and seal_first:
        return Verification(checked, position + 1, unsealed.pk,
                            f"audit row {unsealed.pk} is not sealed")
    return Verification(checked)


def retention_days() -> int:
    return max(int(settings.AUDIT_RETENTION_DAYS), MINIMUM_RETENTION_DAYS)


def archive(*, now=None, folder: Path | None = None) -> AuditArchive | None:
    """Move the sealed rows older than the retention period, oldest first, to a compressed
    file with its manifest, then delete them from the database. Returns the archive written,
    or None when no row is due."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    seal_pending()
    verification = verify(seal_first=False)
    if not verification.intact:
        raise ApplicationError(f"The audit chain is broken at seal {verification.broken_at} "
                               f"({verification.reason}); nothing was archived.")
    folder = Path(folder or settings.AUDIT_ARCHIVE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        due = list(AuditSeal.objects.order_by("position")
                   .filter(occurred_at__lt=cutoff).values_list("position", "event_id", "digest"))
        # only a prefix of the chain leaves: stop at the first seal that must stay
        first = AuditSeal.objects.order_by("position").values_list("position", flat=True).first()
        prefix = []
        for expected, row in enumerate(due, start=first or 0):
            if row[0] != expected:
                break
            prefix.append(row)
        if not prefix:
            return None
        events = AuditEvent.objects.in_bulk([event_id for _, event_id, _ in prefix])
        stamp = now.strftime("%Y%m%dT%H%M%S")
        name = f"audit-{prefix[0][0]:012d}-{prefix[-1][0]:012d}-{stamp}.jsonl.gz"
        path = folder / name
        with gzip.open(path, "wt", encoding="utf-8") as archive_file:
            for position, event_id, digest in prefix:
                archive_file.write(json.dumps({
                    "position": position, "digest": digest,
                    "row": json.loads(canonical(events[event_id]))}, ensure_ascii=False) + "\n")
        with path.open("rb") as written:  # read in chunks: an archive may be large
            file_hash = hashlib.file_digest(written, "sha256").hexdigest()
        manifest = folder / (name + ".sha256")
        manifest.write_text("".join(f"{digest}  {position}\n" for position, _, digest in prefix)
                            + f"{file_hash}  {name}\n", encoding="utf-8")
        record = AuditArchive.objects.create(
            file_name=name, file_sha256=file_hash, rows=len(prefix),
            first_position=prefix[0][0], last_position=prefix[-1][0],
            last_digest=prefix[-1][2], cutoff=cutoff)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SET LOCAL zhuao.audit_archive = 'on'")
        ids = [event_id for _, event_id, _ in prefix]
        AuditSeal.objects.filter(position__lte=prefix[-1][0]).delete()
        AuditEvent.objects.filter(pk__in=ids).delete()
        drop_archived_partitions(cutoff)
    return record
