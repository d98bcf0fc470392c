"""A backup that includes the files: the database and every stored object, in one folder with a
manifest of SHA-256 sums; and its restore into an empty database and storage.

Files are read and written through Django's default storage, so the same commands copy the
embedded run's ``MEDIA_ROOT`` and a deployment's object store (``S3_BUCKET``). The database is
dumped first and the files after it: a file newer than the dump is harmless after a restore, a
row pointing at a file the backup lacks is not (docs/operations.md, "Backup")."""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection, models

MANIFEST = "MANIFEST.json"
FILES = "files.tar"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made, or a folder that is not a whole, unaltered backup."""


@dataclass(frozen=True)
class Restored:
    tables: int
    files: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def stored_names(storage=default_storage, folder: str = ""):
    """Every file in ``storage``, depth first, as storage names."""
    directories, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for directory in sorted(directories):
        yield from stored_names(storage, f"{folder}/{directory}" if folder else directory)


def _postgres_env(settings_dict) -> dict[str, str]:
    env = {**os.environ, "PGHOST": settings_dict.get("HOST") or "127.0.0.1",
           "PGPORT": str(settings_dict.get("PORT") or 5432),
           "PGUSER": settings_dict.get("USER") or "postgres",
           "PGDATABASE": settings_dict["NAME"]}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _dump_database(folder: Path) -> str:
    settings_dict = connection.settings_dict
    if connection.vendor == "sqlite":
        target = folder / "database.sqlite3"
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            connection.connection.backup(copy)  # a consistent copy while others write
        finally:
            copy.close()
        return target.name
    if connection.vendor == "postgresql":
        target = folder / "database.dump"
        result = subprocess.run(
            ["pg_dump", "--format=custom", "--no-owner", f"--file={target}"],
            env=_postgres_env(settings_dict), capture_output=True, text=True)
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        return target.name
    raise BackupError(f"no backup for the {connection.vendor} database")


def backup(folder: Path) -> dict:
    """Write the database, then every stored file, then the manifest, into the empty ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    if any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty")
    database = _dump_database(folder)
    names = []
    with tarfile.open(folder / FILES, "w") as archive:
        for name in stored_names():
            with default_storage.open(name, "rb") as handle:
                info = tarfile.TarInfo(name)
                info.size = default_storage.size(name)
                info.mtime = int(datetime.datetime.now().timestamp())
                archive.addfile(info, handle)
            names.append(name)
    manifest = {
        "made_at": datetime.datetime.now(datetime.timezone.utc).isoformat(),
        "database_vendor": connection.vendor,
        "database": database,
        "files": FILES,
        "file_count": len(names),
        "sha256": {database: _sha256(folder / database), FILES: _sha256(folder / FILES)},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def read_manifest(folder: Path) -> dict:
    """The manifest, after checking each part's SHA-256: an altered backup is refused whole."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} has no readable {MANIFEST}: {error}") from error
    for name, expected in manifest["sha256"].items():
        part = folder / name
        if Path(name).name != name or not part.is_file():
            raise BackupError(f"{name} is missing from the backup")
        if _sha256(part) != expected:
            raise BackupError(f"{name} does not match its SHA-256 in {MANIFEST}")
    return manifest


def _restore_database(folder: Path, manifest: dict) -> None:
    if manifest["database_vendor"] != connection.vendor:
        raise BackupError(f"a {manifest['database_vendor']} backup cannot be restored into "
                          f"{connection.vendor}")
    if connection.introspection.table_names():
        raise BackupError("the database is not empty: restore into a new one")
    source = folder / manifest["database"]
    if connection.vendor == "sqlite":
        connection.close()
        shutil.copyfile(source, connection.settings_dict["NAME"])
        return
    result = subprocess.run(["pg_restore", "--no-owner", "--exit-on-error",
                             f"--dbname={connection.settings_dict['NAME']}", str(source)],
                            env=_postgres_env(connection.settings_dict),
                            capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _restore_files(folder: Path) -> int:
    count = 0
    with tarfile.open(folder / FILES, "r") as archive:
        for member in archive:
            if not member.isfile() or member.name.startswith("/") or ".." in member.name.split("/"):
                raise BackupError(f"{member.name!r} is not a stored file")
            if default_storage.exists(member.name):
                raise BackupError(f"{member.name} is already stored: restore into empty storage")
            saved = default_storage.save(member.name, File(archive.extractfile(member)))
            if saved != member.name:
                raise BackupError(f"{member.name} was stored as {saved}")
            count += 1
    return count


def missing_files() -> list[str]:
    """Stored-file references in the database whose file the storage does not have."""
    missing = []
    for model in apps.get_models():
        fields = [field.name for field in model._meta.get_fields()
                  if isinstance(field, models.FileField)]
        for field in fields:
            names = (model._base_manager.exclude(**{field: ""}).exclude(**{f"{field}__isnull": True})
                     .values_list(field, flat=True).iterator())
            missing += [name for name in names if not default_storage.exists(name)]
    return missing


def restore(folder: Path) -> Restored:
    """Restore a checked backup into an empty database and empty storage; every file the
    restored rows name must then be in storage."""
    manifest = read_manifest(folder)
    _restore_database(folder, manifest)
    files = _restore_files(folder)
    if files != manifest["file_count"]:
        raise BackupError(f"{files} files restored, the manifest lists {manifest['file_count']}")
    missing = missing_files()
    if missing:
        raise BackupError(f"restored rows name {len(missing)} missing file(s), e.g. {missing[0]}")
    return Restored(tables=len(connection.introspection.table_names()), files=files)


def snapshot() -> dict:
    """What a restore must give back: the rows of every table the application's models own,
    and each stored file's SHA-256 (the restore drill compares two of these)."""
    counts = {model._meta.label: model._base_manager.count() for model in apps.get_models()
              if model._meta.managed and not model._meta.proxy}
    files = {}
    for name in stored_names():
        digest = hashlib.sha256()
        with default_storage.open(name, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
        files[name] = digest.hexdigest()
    return {"rows": counts, "files": files}
