"""Every page renders for the roles that use it; refused roles get 403/redirect."""
import pytest
from django.urls import reverse

from remittance import services
from remittance.models import Batch, ImportRun, Recipient

from remittance_factories import activated, row

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(users):
    recipients = activated(users["finwork"], [row(1), row(2, district="斗门区",
                                                           macau_id="5000002(2)")])
    batch = services.batch_prepare(actor=users["city"], period=__import__("datetime").date(
        2022, 7, 1), rate="0.870000", rate_date=__import__("datetime").date(2022, 6, 30),
        rate_source="中国银行")
    return {"recipients": recipients, "batch": batch}


@pytest.mark.parametrize("username", ["city", "finwork", "district", "macau"])
def test_roster_pages(client_for, world, username):
    client = client_for(username)
    response = client.get(reverse("remittance:recipient_list"))
    assert response.status_code == 200
    shown = {recipient.ias_case_no for recipient in response.context["page"].object_list}
    expected = {"IAS-00001"} if username == "district" else {"IAS-00001", "IAS-00002"}
    assert shown == expected
    recipient = Recipient.objects.get(ias_case_no="IAS-00001")
    assert client.get(reverse("remittance:recipient_detail", args=[recipient.pk])).status_code == 200
    for name in ("appointment_list", "branch_list", "coverage"):
        assert client.get(reverse(f"remittance:{name}")).status_code == 200


def test_district_cannot_open_other_district(client_for, world):
    other = Recipient.objects.get(ias_case_no="IAS-00002")
    assert client_for("district").get(
        reverse("remittance:recipient_detail", args=[other.pk])).status_code == 404


@pytest.mark.parametrize("username,allowed", [("city", True), ("finwork", True),
                                              ("finance", False), ("macau", True),
                                              ("district", False), ("leader", False),
                                              ("ngo", False)])
def test_batch_pages(client_for, world, username, allowed):
    client = client_for(username)
    batch = world["batch"]
    for url in (reverse("remittance:batch_list"),
                reverse("remittance:batch_detail", args=[batch.pk])):
        assert client.get(url).status_code == (200 if allowed else 403)


def test_import_pages_and_templates(client_for, world):
    client = client_for("finwork")
    assert client.get(reverse("remittance:import_list")).status_code == 200
    run = ImportRun.objects.first()
    assert client.get(reverse("remittance:import_detail", args=[run.pk])).status_code == 200
    xlsx = client.get(reverse("remittance:import_template", args=["xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    csv = client.get(reverse("remittance:import_template", args=["csv"]))
    assert "社工局个案编号" in csv.content.decode("utf-8-sig")
    for username in ("district", "finance", "leader", "hengqin"):
        assert client_for(username).get(reverse("remittance:import_list")).status_code == 403
    assert client_for("macau").get(reverse("remittance:import_list")).status_code == 200


def test_anonymous_is_sent_to_login(client_for, world):
    response = client_for("anonymous").get(reverse("remittance:recipient_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_leadership_sees_coverage_only(client_for, world):
    client = client_for("leader")
    assert client.get(reverse("remittance:coverage")).status_code == 200
    assert client.get(reverse("remittance:recipient_list")).status_code == 403
    assert Batch.objects.count() == 1


def test_a_recipient_not_yet_visited_reads_the_branches_once(client_for, users):
    """Three of its forms offer branches (the visit, the card, an appointment): the page reads
    them once, within a detail page's 15 queries, and each select offers what it did."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from remittance.models import OnboardingStatus
    from remittance_factories import branch, import_rows

    plain = branch(users["finwork"], name="湾仔支行", priority=False)
    priority = branch(users["finwork"])
    import_rows(users["finwork"], [row(1)])
    recipient = Recipient.objects.get(ias_case_no="IAS-00001")
    assert recipient.onboarding_status == OnboardingStatus.NOT_STARTED
    client = client_for("finwork")
    url = reverse("remittance:recipient_detail", args=[recipient.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert len(queries) <= 15, "\n".join(query["sql"][:100] for query in queries)
    assert sum('FROM "remittance_bankbranch"' in query["sql"] for query in queries) == 1
    context = response.context
    for form, name, expected in ((context["visit_form"], "bank_branch", {plain, priority}),
                                 (context["card_form"], "bank_branch", {plain, priority}),
                                 (context["appointment_form"], "branch", {priority})):
        offered = {value.instance for value, _label in form.fields[name].choices if value}
        assert offered == expected
