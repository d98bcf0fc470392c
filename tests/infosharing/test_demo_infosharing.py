import pytest

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_every_state_and_is_idempotent(demo, django_capture_on_commit_callbacks):
    from infosharing import demo as infosharing_demo
    from infosharing.models import (
        Authorization,
        Bulletin,
        RequestStatus,
        UrgentRecipient,
        VerificationRequest,
    )

    with django_capture_on_commit_callbacks(execute=False):
        infosharing_demo.seed(demo)
        infosharing_demo.seed(demo)
    assert set(VerificationRequest.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert Authorization.objects.filter(revoked_at__isnull=False).count() == 1
    assert Authorization.objects.count() == 3
    assert Bulletin.objects.count() == 4
    assert UrgentRecipient.objects.filter(acknowledged_at__isnull=False).count() == 1
    assert UrgentRecipient.objects.filter(escalation_level=1).count() == 1
