"""A backup that includes the files (core.backup, ``manage.py backup`` / ``restore``) and the
restore drill that CI runs on the embedded setup (scripts/restore-drill)."""
from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from core.backup import BackupError, backup, read_manifest, restore

ROOT = Path(__file__).resolve().parents[2]


def test_the_restore_drill_brings_back_every_row_and_file_on_the_embedded_setup(tmp_path):
    env = {key: value for key, value in os.environ.items()
           if key not in {"DATABASE_URL", "REDIS_URL", "ZHUAO_VAR_DIR", "MEDIA_ROOT",
                          "DJANGO_SETTINGS_MODULE"} and not key.startswith("ZHUAO_TEST_RUN_")}
    env["TMPDIR"] = str(tmp_path)
    result = subprocess.run([str(ROOT / "scripts/restore-drill")], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "drill passed" in result.stdout
    assert "Every batch's tallies equal its payments." in result.stdout  # money figures too
    assert "stored file(s)" in result.stdout and " 0 stored file(s)" not in result.stdout


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_altered_or_partial_backup_is_refused_whole(tmp_path, demo):
    name = default_storage.save("cases/attachments/drill.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    folder = tmp_path / "backup"
    manifest = backup(folder)
    assert manifest["file_count"] >= 1
    with tarfile.open(folder / "files.tar") as archive:
        assert name in archive.getnames()
    assert read_manifest(folder) == manifest

    with pytest.raises(BackupError, match="not empty"):
        backup(folder)
    with pytest.raises(BackupError, match="not empty"):
        restore(folder)  # the test database has tables: never restored over

    data = bytearray((folder / "files.tar").read_bytes())
    data[600] ^= 1
    (folder / "files.tar").write_bytes(bytes(data))
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore", str(folder))
    (folder / manifest["database"]).unlink()
    with pytest.raises(BackupError, match="missing"):
        read_manifest(folder)
    with pytest.raises(BackupError, match="MANIFEST"):
        read_manifest(tmp_path)


def test_the_backup_copies_the_object_store_when_files_live_there(tmp_path, settings, db):
    """Files are read through the storage API: an S3 bucket is backed up like a folder."""
    moto = pytest.importorskip("moto")
    boto3 = pytest.importorskip("boto3")
    with moto.mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="drill")
        settings.STORAGES = {**settings.STORAGES, "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "drill", "access_key": "k", "secret_key": "s",
                        "location": "media"}}}
        stored = default_storage.save("pilot/evidence/photo.pdf", ContentFile(b"%PDF-1.4 s3\n"))
        backup(tmp_path / "backup")
    with tarfile.open(tmp_path / "backup/files.tar") as archive:
        assert archive.getnames() == [stored]
        assert archive.extractfile(stored).read() == b"%PDF-1.4 s3\n"
