"""Identity-document and bank-account numbers are encrypted at rest (``core.crypto``,
``core.fields.EncryptedTextField``): the columns hold only sealed values, lookups compare a
blind index, keys rotate in resumable batches, and a dump of the database holds no number in
clear."""
from __future__ import annotations

import base64
import io
import os
import shutil
import subprocess
from datetime import date

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection

from cases.models import IdentityDocument, Person
from cases.services import person_find_by_document, person_register
from remittance.models import Payment, Recipient
from tests.hardening.helpers import mainland_id
from core import crypto
from core.crypto import DecryptionError

pytestmark = [pytest.mark.postgres]

NEW_KEY = "k2027:sm4:" + base64.b64encode(b"0123456789abcdef").decode()
AES_KEY = "a2027:aes:" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()


def raw(table: str, column: str, **where) -> list[str]:
    condition = " AND ".join(f"{name} = %s" for name in where) or "TRUE"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE {condition} ORDER BY id",
                       list(where.values()))
        return [value for (value,) in cursor.fetchall()]


def register(users, seq: str, *, name="加密测试") -> Person:
    return person_register(actor=users["district"], name_zh=name, sex="male",
                           date_of_birth=date(1980, 5, 5), residence_status="macau_resident",
                           document_type="mainland_id",
                           document_number=mainland_id(birth="19800505", seq=seq))


@pytest.mark.django_db
def test_the_column_holds_only_the_sealed_number(users):
    person = register(users, "111")
    number = mainland_id(birth="19800505", seq="111")
    stored = raw("cases_identitydocument", "number", person_id=person.pk)[0]
    assert stored.startswith("zx1$dev$") and number not in stored
    assert person.documents.get().number == number  # the model reads it in clear
    assert person_find_by_document(document_type="mainland_id", number=number) == person
    index = raw("cases_identitydocument", "number_index", person_id=person.pk)[0]
    assert len(index) == 64 and index == IdentityDocument.index_of(number)


@pytest.mark.django_db
def test_the_blind_index_finds_the_duplicate(users):
    from cases.duplicates import find_matches

    first = register(users, "112")
    number = mainland_id(birth="19800505", seq="112")
    matches = find_matches(name_zh="别的名字", document_numbers=(number,))
    assert [match.person for match in matches if match.is_certain] == [first]
    with pytest.raises(Exception):
        register(users, "112", name="重复登记")


@pytest.mark.django_db
def test_a_lookup_that_would_silently_miss_is_refused(users):
    register(users, "113")
    with pytest.raises(FieldError, match="blind index"):
        list(IdentityDocument.objects.filter(number=mainland_id(birth="19800505", seq="113")))
    with pytest.raises(FieldError):
        list(IdentityDocument.objects.filter(number__in=["x"]))
    with pytest.raises(FieldError):
        list(IdentityDocument.objects.filter(number__startswith="44"))
    # equality with "" (no value) is allowed, and finds exactly the rows without a number
    from tests.remittance.remittance_factories import activated, import_rows, row

    activated(users["finwork"], [row(1), row(2)])
    import_rows(users["finwork"], [row(3)])
    with_number = [recipient.pk for recipient in Recipient.objects.all()
                   if recipient.card_account_no]
    assert len(with_number) == 2 and Recipient.objects.count() == 3
    assert sorted(Recipient.objects.exclude(card_account_no="").values_list("pk", flat=True)) \
        == sorted(with_number)


def test_a_value_does_not_decrypt_in_another_column_nor_when_altered():
    sealed = crypto.encrypt("440402198005051116", column="cases.identitydocument.number")
    assert crypto.decrypt(sealed, column="cases.identitydocument.number") == "440402198005051116"
    with pytest.raises(DecryptionError):
        crypto.decrypt(sealed, column="remittance.recipient.card_account_no")
    head, body = sealed.rsplit("$", 1)
    raw_bytes = bytearray(base64.b64decode(body))
    raw_bytes[-1] ^= 1
    with pytest.raises(DecryptionError):
        crypto.decrypt(f"{head}${base64.b64encode(bytes(raw_bytes)).decode()}",
                       column="cases.identitydocument.number")
    with pytest.raises(DecryptionError):
        crypto.decrypt("440402198005051116", column="cases.identitydocument.number")


@pytest.mark.parametrize("key", [NEW_KEY, AES_KEY])
def test_sm4_and_aes_keys(settings, key):
    settings.FIELD_ENCRYPTION_KEYS = [key]
    sealed = crypto.encrypt("6217000000000001", column="x.y.z")
    assert sealed.startswith(f"zx1${key.split(':')[0]}$")
    assert crypto.decrypt(sealed, column="x.y.z") == "6217000000000001"


def test_the_key_file_is_read_once_and_again_when_it_changes(settings, tmp_path, monkeypatch):
    """Production keeps its keys in a file. Reading it for every number sealed or opened made a
    200,000-payment batch spend more on the file than on the cipher; a rotated file (new key
    in front) still takes effect."""
    key_file = tmp_path / "keys"
    key_file.write_text(f"# keys\n{NEW_KEY}\n", encoding="ascii")
    settings.FIELD_ENCRYPTION_KEYS = []
    settings.FIELD_ENCRYPTION_KEY_FILE = str(key_file)
    opened = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda path, *args, **kwargs: (
        opened.append(path), real_open(path, *args, **kwargs))[1])
    sealed = [crypto.encrypt(f"621700000000{n:04d}", column="x.y.z") for n in range(50)]
    assert [crypto.decrypt(value, column="x.y.z") for value in sealed] == [
        f"621700000000{n:04d}" for n in range(50)]
    assert opened.count(str(key_file)) == 1
    assert all(value.startswith("zx1$k2027$") for value in sealed)

    key_file.write_text(f"{AES_KEY}\n{NEW_KEY}\n", encoding="ascii")
    os.utime(key_file, ns=(1, 1))  # a new mtime even within the clock's resolution
    rotated = crypto.encrypt("6217000000000001", column="x.y.z")
    assert rotated.startswith("zx1$a2027$")
    assert opened.count(str(key_file)) == 2
    assert crypto.decrypt(sealed[0], column="x.y.z") == "6217000000000000"


def test_a_badly_written_key_is_refused(settings):
    from django.core.exceptions import ImproperlyConfigured

    for bad in ["nokey", "k1:sm4:" + base64.b64encode(b"short").decode(), "k1:des:AAAA",
                "k 1:sm4:" + base64.b64encode(b"0123456789abcdef").decode()]:
        settings.FIELD_ENCRYPTION_KEYS = [bad]
        with pytest.raises(ImproperlyConfigured):
            crypto.encrypt("1", column="x.y.z")


@pytest.mark.django_db(transaction=True)
def test_rotation_re_encrypts_every_row_and_resumes_after_a_stop(users, settings, monkeypatch):
    people = [register(users, f"2{index:02d}") for index in range(5)]
    numbers = {person.pk: person.documents.get().number for person in people}
    recipient_numbers = list(Recipient.objects.exclude(card_account_no="")
                             .values_list("card_account_no", flat=True))
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, "dev:sm4:" + base64.b64encode(
        crypto._derived("field encryption", 16)).decode()]
    real_encrypt, calls = crypto.encrypt, {"n": 0}

    def failing_after_three(plain, *, column):
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("power cut")
        return real_encrypt(plain, column=column)

    monkeypatch.setattr(crypto, "encrypt", failing_after_three)
    with pytest.raises(RuntimeError):
        call_command("rotate_field_keys", batch=2, stdout=io.StringIO())
    stored = raw("cases_identitydocument", "number")
    moved = [value for value in stored if value.startswith("zx1$k2027$")]
    assert len(moved) == 2  # the first batch committed; the second rolled back
    monkeypatch.setattr(crypto, "encrypt", real_encrypt)
    out = io.StringIO()
    call_command("rotate_field_keys", batch=2, stdout=out)
    assert all(value.startswith("zx1$k2027$") for value in raw("cases_identitydocument",
                                                                "number"))
    assert "cases.identitydocument.number: " in out.getvalue()
    for person in people:
        assert IdentityDocument.objects.get(person=person).number == numbers[person.pk]
        assert person_find_by_document(document_type="mainland_id",
                                       number=numbers[person.pk]) == person
    assert list(Recipient.objects.exclude(card_account_no="").values_list(
        "card_account_no", flat=True)) == recipient_numbers
    again = io.StringIO()
    call_command("rotate_field_keys", stdout=again)
    assert "cases.identitydocument.number: 0 row(s)" in again.getvalue()
    # the old key gone, the rows still read: nothing is left under it
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert IdentityDocument.objects.get(person=people[0]).number == numbers[people[0].pk]


@pytest.mark.django_db(transaction=True)
def test_a_dump_of_the_database_holds_no_number_in_clear(users, tmp_path):
    """The demo data of every workstream, dumped as SQL text, searched for every identity and
    bank-account number it holds."""
    if not shutil.which("pg_dump"):
        pytest.fail("pg_dump is not installed (postgresql-client)")
    call_command("seed_demo", stdout=io.StringIO())
    register(users, "301")
    numbers = set(IdentityDocument.objects.values_list("number", flat=True))
    accounts = (set(Recipient.objects.exclude(card_account_no="")
                    .values_list("card_account_no", flat=True))
                | set(Payment.objects.values_list("account_no", flat=True)))
    assert len(numbers) > 20 and len(accounts) > 3
    settings_dict = connection.settings_dict
    env = {**os.environ, **({"PGPASSWORD": settings_dict["PASSWORD"]}
                            if settings_dict.get("PASSWORD") else {})}
    dump = subprocess.run(
        ["pg_dump", "-h", settings_dict.get("HOST") or "127.0.0.1", "-p",
         str(settings_dict.get("PORT") or 5432), "-U", settings_dict.get("USER") or "postgres",
         "--format=plain", "--no-owner", settings_dict["NAME"]],
        check=True, env=env, capture_output=True, timeout=300).stdout.decode()
    assert "zx1$dev$" in dump
    found = sorted(number for number in numbers | accounts if number in dump)
    assert not found, f"{len(found)} number(s) in clear in the dump, e.g. {found[:3]}"


@pytest.mark.django_db(transaction=True)
def test_the_migration_seals_the_numbers_an_existing_database_holds(users):
    """A database from before encryption: its numbers in clear are sealed, with their blind
    index, by the migration itself."""
    from django.db.migrations.executor import MigrationExecutor

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE cases_identitydocument, remittance_importrun, "
                       "remittance_recipient, remittance_payment CASCADE")
    before = [("cases", "0016_possible_duplicates"),
              ("remittance", "0006_bank_role_and_full_roster")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    person = Person.objects.create(name_zh="迁移测试", sex="male",
                                   date_of_birth=date(1970, 1, 1), residence_status="other",
                                   owner_agency=users["district"].staff.agency,
                                   created_by=users["district"])
    number = mainland_id(birth="19700101", seq="555")
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO cases_identitydocument (person_id, document_type, number) "
                       "VALUES (%s, 'mainland_id', %s)", [person.pk, number])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    stored = raw("cases_identitydocument", "number")[0]
    assert stored.startswith("zx1$") and number not in stored
    assert person_find_by_document(document_type="mainland_id", number=number) == person
