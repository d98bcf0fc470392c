import pytest


from partners.models import (
    Contract,
    Evaluation,
    Organisation,
    Referral,
    ServiceRecord,
    SocialWorker,
)

pytestmark = pytest.mark.django_db


def test_demo_seed_is_meaningful_and_idempotent(demo):
    from partners import demo as partners_demo

    partners_demo.seed(demo)
    counts = [model.objects.count() for model in
              (Organisation, SocialWorker, Contract, Referral, ServiceRecord, Evaluation)]
    partners_demo.seed(demo)
    assert [model.objects.count() for model in
            (Organisation, SocialWorker, Contract, Referral, ServiceRecord, Evaluation)] == counts
    kaifong = Organisation.objects.get(agency__code="ngo-kaifong")
    assert kaifong.name == "澳门街坊会联合总会广东办事处"
    assert Organisation.objects.get(agency__code="ngo-faom").name == "澳门工会联合总会广东办事处"
    assert Organisation.objects.filter(agency__isnull=True).count() >= 3
    assert any(worker.is_expiring for worker in SocialWorker.objects.all())
    assert SocialWorker.objects.filter(is_macau_social_worker=True).count() >= 3
    assert Contract.objects.filter(status="active").exists()
    assert Evaluation.objects.filter(status="approved").exists()
    # Macau's referral of a person it registered (issue 25): no case, accepted by the provider
    inbound = Referral.objects.get(originating_side="macau")
    assert inbound.case_id is None and inbound.status == "accepted"
    assert inbound.referring_agency.code == "mo-ias"
    assert demo is not None
