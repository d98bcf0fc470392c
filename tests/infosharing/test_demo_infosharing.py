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
    assert Authorization.objects.count() == 5
    # the inbound flow (issue 25): Macau and Hengqin ask Zhuhai about their own residents
    inbound = VerificationRequest.objects.filter(direction="inbound")
    assert {request.requesting_agency.code for request in inbound} == {"mo-ias", "hq-livelihood"}
    assert inbound.filter(status=RequestStatus.SENT, routed_at__isnull=True).count() == 1
    assert set(inbound.filter(routed_at__isnull=False).values_list(
        "receiving_agency__code", "status")) == {("zh-xiangzhou", RequestStatus.ANSWERED),
                                                 ("zh-doumen", RequestStatus.RECEIVED)}
    assert Authorization.objects.filter(owner_agency__side="macau", sides=["zhuhai"]).count() == 1
    # Zhuhai's to Macau and, inbound, Macau's to the city bureau (issue 25)
    assert set(UrgentRecipient.objects.filter(acknowledged_at__isnull=False).values_list(
        "notification__reporting_agency__code", "agency__code")) == {
        ("zh-xiangzhou", "mo-ias"), ("mo-ias", "zh-civil-affairs")}
    # Macau shared its own record with the city bureau, once
    from cases.models import Person
    from core.visibility import agencies_shared_with

    shared = Person.objects.get(name_zh="區美華")
    assert list(agencies_shared_with(shared).values_list("code", flat=True)) == [
        "zh-civil-affairs"]
    # two-way bulletins (issue 25): last month open with Hengqin missing, the month before
    # published with all three sections and acknowledged by Macau
    opened, published = Bulletin.objects.order_by("pk")
    assert opened.status == "open" and published.status == "published"
    assert {section.side for section in opened.sections.filter(
        submitted_at__isnull=False)} == {"zhuhai", "macau"}
    assert published.missing_sides == [] and published.sections.count() == 3
    assert list(published.recipients.filter(acknowledged_at__isnull=False)
                .values_list("agency__code", flat=True)) == ["mo-ias"]
    assert UrgentRecipient.objects.filter(escalation_level=1).count() == 1
