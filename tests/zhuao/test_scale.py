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


@pytest.mark.django_db
@pytest.mark.parametrize("meetings", [120, 480])
def test_more_meetings_are_more_history_not_a_fuller_month(meetings):
    """A month of the calendar holds the same meetings whatever the size (a day apart, the
    newest two months ahead), so the bench compares like with like."""
    from datetime import timedelta

    from django.utils import timezone

    from cases.models import Meeting
    from cases.scale import MEETINGS_AHEAD_DAYS

    call_command("seed_scale", "--factor", "0.001", "--meetings", str(meetings))
    now = timezone.now()
    month = Meeting.objects.filter(starts_at__gte=now - timedelta(days=15),
                                   starts_at__lt=now + timedelta(days=15))
    assert month.count() == 30
    newest = Meeting.objects.order_by("-starts_at").first().starts_at
    assert (newest - now).days in (MEETINGS_AHEAD_DAYS - 1, MEETINGS_AHEAD_DAYS)
