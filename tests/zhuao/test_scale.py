"""The scale generator makes valid, unique data (run small)."""
import pytest
from django.core.management import call_command

from cases.models import Case, IdentityDocument, Person
from core.identity import normalize_and_validate
from devtools.scale import macau_id, mainland_id, residence_permit


@pytest.mark.parametrize("make", [mainland_id, residence_permit, macau_id])
def test_generated_numbers_are_valid_and_distinct(make):
    numbers = [make(serial) for serial in range(0, 60_000, 7)]
    assert len(set(numbers)) == len(numbers)
    kind = {mainland_id: "mainland_id", residence_permit: "residence_permit",
            macau_id: "macau_id"}[make]
    for number in numbers[:2000]:
        assert normalize_and_validate(kind, number) == number


@pytest.mark.django_db
def test_seed_scale_small(capsys):
    call_command("seed_scale", "--factor", "0.002")
    assert Person.objects.count() == 200 and Case.objects.count() == 200
    assert IdentityDocument.objects.count() == 200
    assert not Case.objects.filter(number__startswith="tmp-").exists()
    case = Case.objects.order_by("id").first()
    assert case.number == f"ZH-{case.opened_at.year}-{case.pk:06d}" or case.number.endswith(f"{case.pk:06d}")
