"""core.db.bulk_insert: the same rows as bulk_create (COPY on PostgreSQL, bulk_create elsewhere),
all-or-nothing, and a duplicate refused as Django's IntegrityError; core.db.insert_rows: the
same from tuples of values."""
import datetime
import uuid
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import IdentityDocument, Person
from core.db import attach_rows, bulk_insert, count_each, insert_rows, load_related
from core.models import AuditEvent, LiaisonAssignment, WorkerHeartbeat
from remittance.models import Batch, Payment, Recipient

pytestmark = pytest.mark.django_db


def _events(tag):
    when = timezone.now().replace(microsecond=123456)
    request = uuid.uuid4()
    return when, request, [AuditEvent(occurred_at=when, actor_id=7, actor_username="城市\t用户",
                                      action=tag, object_type="cases.person", object_id=str(n),
                                      changes={"名字": "陈\n大文", "n": n, "none": None,
                                               "back\\slash": "a\\b"},
                                      ip_address="10.0.0.1" if n % 2 else None,
                                      request_id=request) for n in range(3)]


@pytest.mark.parametrize("backend", [
    pytest.param("copy", marks=pytest.mark.postgres), "bulk_create"])
def test_rows_round_trip(backend, monkeypatch):
    when, request, events = _events("test.insert")
    if backend == "bulk_create":
        from django.db import connection
        monkeypatch.setattr(connection, "vendor", "other")
    bulk_insert(AuditEvent, events)
    stored = list(AuditEvent.objects.filter(action="test.insert").order_by("object_id"))
    assert [event.object_id for event in stored] == ["0", "1", "2"]
    for n, event in enumerate(stored):
        assert event.occurred_at == when and event.request_id == request
        assert event.actor_username == "城市\t用户" and event.outcome == "success"
        assert event.changes == {"名字": "陈\n大文", "n": n, "none": None, "back\\slash": "a\\b"}
        assert event.ip_address == ("10.0.0.1" if n % 2 else None)


PAYMENT_FIELDS = ["batch_id", "recipient_id", "period", "reference", "amount_mop", "amount_cny",
                  "account_no", "carried_from_id"]


@pytest.mark.parametrize("backend", [
    pytest.param("copy", marks=pytest.mark.postgres), "bulk_create"])
def test_insert_rows_stores_what_instances_would(backend, users, monkeypatch):
    """Values as given, a sealed column sealed (not copied as it is, though it is text), the
    other fields at their defaults."""
    from tests.remittance.remittance_factories import import_rows, row

    import_rows(users["finwork"], [row(1), row(2)])
    first, second = Recipient.objects.order_by("pk")
    month = datetime.date(2030, 1, 1)
    batch = Batch.objects.create(number="PB203001-0001", period=month, rate=Decimal("0.9"),
                                 rate_date=month, rate_source="test", prepared_by=users["city"],
                                 prepared_at=timezone.now())
    if backend == "bulk_create":
        from django.db import connection
        monkeypatch.setattr(connection, "vendor", "other")
    insert_rows(Payment, PAYMENT_FIELDS, [
        (batch.pk, first.pk, month, "R-1", Decimal("100.50"), Decimal("90.45"),
         "6217000000000001", None),
        (batch.pk, second.pk, month, "R-2", Decimal("10.00"), Decimal("9.00"),
         "6217000000000002", None)])
    monkeypatch.undo()
    stored = list(Payment.objects.filter(batch=batch).order_by("reference").values_list(
        "recipient_id", "period", "reference", "amount_mop", "amount_cny", "account_no",
        "carried_from_id", "status", "failure_reason", "bank_reference", "settled_at"))
    assert stored == [
        (first.pk, month, "R-1", Decimal("100.50"), Decimal("90.45"), "6217000000000001", None,
         "pending", "", "", None),
        (second.pk, month, "R-2", Decimal("10.00"), Decimal("9.00"), "6217000000000002", None,
         "pending", "", "", None)]
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT account_no FROM remittance_payment WHERE batch_id = %s", [batch.pk])
        columns = [value for (value,) in cursor.fetchall()]
    assert all(value.startswith("zx1$") and "621700" not in value for value in columns)


@pytest.mark.parametrize("model,names", [
    (IdentityDocument, ["person_id", "document_type", "number"]),  # its blind index
    (AuditEvent, ["action", "occurred_at"]),  # changes: a callable default
    (Recipient, ["person_id", "ias_case_no"]),  # created_at: auto_now_add
    (WorkerHeartbeat, ["beat_at"]),  # name: a primary key the database does not draw
])
def test_insert_rows_refuses_to_give_one_value_to_what_each_row_computes(model, names):
    with pytest.raises(ValueError, match="for each row"):
        insert_rows(model, names, [])


@pytest.mark.postgres
def test_a_duplicate_refuses_the_whole_insert(users):
    person = Person.objects.create(name_zh="陈大文", sex="M", date_of_birth=datetime.date(1980, 1, 1),
                                   residence_status="macau_resident",
                                   owner_agency=users["district"].staff.agency)
    IdentityDocument.objects.create(person=person, document_type="macau_id", number="1234567(8)")
    documents = [IdentityDocument(person=person, document_type="macau_id", number="7654321(0)"),
                 IdentityDocument(person=person, document_type="macau_id", number="1234567(8)")]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(IdentityDocument, documents)
    assert IdentityDocument.objects.filter(person=person).count() == 1


@pytest.mark.parametrize("backend", [
    pytest.param("copy", marks=pytest.mark.postgres), "bulk_create"])
def test_set_pks_gives_each_object_its_row(backend, users, monkeypatch):
    agency = users["district"].staff.agency
    people = [Person(name_zh=f"陈大文{n}", sex="M", date_of_birth=datetime.date(1980, 1, n + 1),
                     residence_status="macau_resident", phone=f"6612345{n}", district="xiangzhou",
                     owner_agency=agency) for n in range(3)]
    if backend == "bulk_create":
        from django.db import connection
        monkeypatch.setattr(connection, "vendor", "other")
    bulk_insert(Person, people, set_pks=True)
    assert all(person.pk for person in people)
    for n, person in enumerate(people):
        stored = Person.objects.get(pk=person.pk)
        assert (stored.name_zh, stored.date_of_birth, stored.phone, stored.owner_agency_id) == (
            f"陈大文{n}", datetime.date(1980, 1, n + 1), f"6612345{n}", agency.pk)
    monkeypatch.undo()
    # the sequence moved past the ids drawn: the next ordinary insert does not collide
    later = Person.objects.create(name_zh="李四", sex="F", date_of_birth=datetime.date(1990, 1, 1),
                                  residence_status="macau_resident", owner_agency=agency)
    assert later.pk > max(person.pk for person in people)


def test_count_each_counts_like_count_in_one_statement(django_assert_num_queries):
    bulk_insert(AuditEvent, _events("count-each")[2])
    events = AuditEvent.objects.filter(action="count-each")
    querysets = [events, events.filter(ip_address__isnull=True), AuditEvent.objects.none(),
                 events.filter(pk__in=events.filter(object_id="1").values("pk")),
                 events.filter(object_id__in=[])]
    expected = [queryset.count() for queryset in querysets]
    assert expected == [3, 2, 0, 1, 0]
    with django_assert_num_queries(1):
        assert count_each(querysets) == expected
    with django_assert_num_queries(0):
        assert count_each([AuditEvent.objects.none()]) == [0]


def test_load_related_fills_foreign_keys_to_one_model_in_one_query(users, django_assert_num_queries):
    from tempaid.models import Application

    fresh = Application(created_by_id=users["district"].pk, decided_by_id=users["city"].pk)
    with django_assert_num_queries(1):
        load_related(fresh, "created_by", "decided_by", "paid_by")
    with django_assert_num_queries(0):
        assert fresh.created_by.username == "district" and fresh.decided_by.username == "city"
        assert fresh.paid_by is None
    with django_assert_num_queries(0):
        load_related(Application(), "created_by", "decided_by", "paid_by")
    with pytest.raises(ValueError):
        load_related(fresh, "created_by", "case")  # two models: one query cannot fill both


def test_attach_rows_gives_each_record_its_rows_in_one_query(users, agencies,
                                                           django_assert_num_queries):
    """Each agency gets its liaisons as dictionaries, in the queryset's order; an agency with
    none gets an empty list; no records, no query."""
    chosen = sorted(agencies.values(), key=lambda agency: agency.code)
    for number, agency in enumerate(chosen[:2]):
        for role, user in (("primary", users["macau"]), ("backup", users["macau_backup"])):
            LiaisonAssignment.objects.create(
                agency=agency, user=user, role=role, phone=f"{number}", email="l@example.org",
                valid_from=datetime.date(2026, 1, 1))
    expected = {agency.pk: list(LiaisonAssignment.objects.filter(agency_id=agency.pk)
                                .order_by("id").values("id", "role", "phone"))
                for agency in chosen}
    assert any(expected.values()) and not all(expected.values())
    with django_assert_num_queries(1):
        attach_rows(chosen, LiaisonAssignment.objects.order_by("id"), foreign_key="agency_id",
                    to_attr="listed_liaisons", fields=["id", "role", "phone"])
    assert {agency.pk: agency.listed_liaisons for agency in chosen} == expected
    with django_assert_num_queries(0):
        attach_rows([], LiaisonAssignment.objects.all(), foreign_key="agency_id",
                    to_attr="listed_liaisons", fields=["id"])


def test_the_application_connects_without_jit_compilation():
    """A count over a million rows spent 0.8 s compiling to run in 0.1 s: the application's
    short queries run without PostgreSQL's JIT (BENCHMARKS.md, "A million people")."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
