"""Pages: role gates, 404 for other organisations' records, and what NGO staff see."""
import pytest
from django.urls import reverse

from partners.models import Referral, ReferralStatus, ServiceRecord
from core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_ngo_referral_list_shows_only_its_own(client_for, referrals):
    page = client_for("ngo").get(reverse("partners:referral_list"))
    assert page.status_code == 200
    assert list(page.context["page"].object_list) == [referrals["kaifong"]]
    page = client_for("ngo2").get(reverse("partners:referral_list"))
    assert list(page.context["page"].object_list) == [referrals["faom"]]


def test_ngo_guessing_another_organisations_referral_gets_404(client_for, referrals):
    other = referrals["faom"]
    assert client_for("ngo").get(reverse("partners:referral_detail", args=[other.pk])).status_code == 404
    assert client_for("ngo").get(reverse("partners:referral_detail", args=[99999])).status_code == 404
    response = client_for("ngo").post(reverse("partners:referral_accept", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == ReferralStatus.SENT
    assert AuditEvent.objects.filter(actor_username="ngo", outcome="denied",
                                     object_id=str(other.pk)).exists()


def test_ngo_cannot_reach_cases_by_guessing_ids(client_for, referrals):
    case = referrals["kaifong"].case
    for url in (f"/cases/{case.pk}/", f"/cases/cases/{case.pk}/"):
        assert client_for("ngo").get(url).status_code in (403, 404)
    assert client_for("ngo").get(reverse("partners:referral_consent_download",
                                         args=[referrals["kaifong"].pk])).status_code == 403


def test_ngo_sees_only_what_the_referral_needs(client_for, referrals):
    referral = referrals["kaifong"]
    page = client_for("ngo").get(reverse("partners:referral_detail", args=[referral.pk]))
    html = page.content.decode()
    assert referral.person_name in html and "13800000000" in html and "需要家访" in html
    assert referral.case.number not in html
    assert "机密个案摘要" not in html  # the case file's summary
    document = referral.case.subject.documents.first().number
    assert document not in html and document[:7] not in html
    assert AuditEvent.objects.filter(action="referral.view", actor_username="ngo").exists()


def test_officer_sees_the_case_number_and_consent(client_for, referrals):
    referral = referrals["kaifong"]
    html = client_for("district").get(reverse("partners:referral_detail", args=[referral.pk])).content.decode()
    assert referral.case.number in html
    assert client_for("district2").get(
        reverse("partners:referral_detail", args=[referral.pk])).status_code == 404


@pytest.mark.parametrize("url_name, allowed, refused", [
    ("partners:referral_list", ["city", "district", "ngo", "macau", "hengqin"],
     ["finance", "leader", "admin", "bank"]),
    ("partners:contract_list", ["city", "district", "finance", "ngo"], ["leader", "hengqin", "admin"]),
    ("partners:organisation_list", ["city", "district", "finance", "ngo"], ["leader", "macau"]),
    ("partners:social_worker_list", ["city", "district", "ngo"], ["finance", "leader"]),
    ("partners:service_record_list", ["city", "district", "ngo"], ["finance", "leader"]),
    ("partners:referral_create", ["city", "district", "macau", "hengqin"],
     ["ngo", "finance", "leader", "bank"]),
    ("partners:contract_create", ["city"], ["district", "finance", "ngo"]),
    ("partners:service_record_create", ["ngo"], ["city", "district"]),
    ("partners:figures", ["city", "leader"], ["district", "ngo", "finance"]),
])
def test_role_gates(client_for, referrals, url_name, allowed, refused):
    url = reverse(url_name)
    anonymous = client_for("anonymous").get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    for username in allowed:
        assert client_for(username).get(url).status_code == 200, username
    for username in refused:
        assert client_for(username).get(url).status_code == 403, username


def test_contract_detail_wrong_agency_404_and_draft_hidden_from_ngo(client_for, contracts):
    faom_contract = contracts["faom"]
    assert client_for("ngo").get(reverse("partners:contract_detail",
                                         args=[faom_contract.pk])).status_code == 404
    assert client_for("ngo2").get(reverse("partners:contract_detail",
                                          args=[faom_contract.pk])).status_code == 200


def test_refusing_a_step_changes_nothing(client_for, referrals):
    referral = referrals["kaifong"]
    response = client_for("district").post(reverse("partners:referral_accept", args=[referral.pk]))
    assert response.status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_send_without_consent_shows_the_message(client_for, users, contracts):
    from partners_factories import make_case, make_referral

    referral = make_referral(users, "district", make_case(users, "district"),
                             contracts["kaifong"], send=False, consent=False)
    response = client_for("district").post(reverse("partners:referral_send", args=[referral.pk]),
                                           follow=True)
    assert "未经当事人同意" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DRAFT


def test_service_record_form_refuses_expired_worker_with_a_message(client_for, users, referrals,
                                                                   workers, today):
    from partners import services

    referral = services.referral_accept(actor=users["ngo"], referral=referrals["kaifong"])
    response = client_for("ngo").post(reverse("partners:service_record_create"), {
        "contract": referral.contract_id, "referral": referral.pk,
        "worker": workers["kaifong_expired"].pk, "service_date": today.isoformat(),
        "service_type": "home_visit", "duration": "1", "duration_unit": "hours"})
    assert response.status_code == 200
    assert "已过期" in response.content.decode()
    assert not ServiceRecord.objects.exists()


def test_invalid_uscc_in_the_form_shows_a_chinese_message(client_for):
    from partners.models import Organisation

    response = client_for("city").post(reverse("partners:organisation_create"), {
        "name": "测试社工中心", "kind": "social_work_agency", "registered_in": "mainland",
        "uscc": "91440400MA4UXXXX1X", "status": "active"})
    assert response.status_code == 200
    assert "统一社会信用代码" in response.content.decode()
    assert not Organisation.objects.exists()


def test_list_query_counts_do_not_grow(client_for, users, contracts, django_assert_max_num_queries):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partners_factories import make_case, make_referral

    def count():
        cache.clear()  # the menu's "My work" count is kept 30 s: every load counts it afresh
        with CaptureQueriesContext(connection) as context:
            assert client_for("city").get(reverse("partners:referral_list")).status_code == 200
        return len(context)

    make_referral(users, "district", make_case(users, "district"), contracts["kaifong"])
    few = count()
    for _ in range(6):
        make_referral(users, "district", make_case(users, "district"), contracts["kaifong"])
    assert count() == few


def test_figures_page_shows_every_kpi_a_page_at_a_time(client_for, contracts, monkeypatch):
    """One row per KPI of every running contract (600 at the city's scale): pages of
    KPI_ROWS_PER_PAGE, the filters kept in the page links."""
    from partners import views
    from partners.models import ContractKpi

    kpis = list(ContractKpi.objects.filter(contract__in=contracts.values()))
    assert len(kpis) >= 3
    monkeypatch.setattr(views, "KPI_ROWS_PER_PAGE", 2)
    client = client_for("leader")
    shown = []
    for number in range(1, (len(kpis) + 1) // 2 + 1):
        html = client.get(reverse("partners:figures"), {"district": "", "page": number}
                          ).content.decode()
        rows = html.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")
        assert rows == min(2, len(kpis) - len(shown))
        shown += [number] * rows
        assert ("rel=\"next\"" in html) == (len(shown) < len(kpis))
        if len(shown) < len(kpis):
            assert f"district=&amp;page={number + 1}" in html
    assert len(shown) == len(kpis)


def test_kpis_are_read_a_page_at_a_time_and_never_kept_whole(client_for, users, contracts,
                                                             workers, today):
    """The figures page reads its page of KPIs and their actuals (no more queries for two pages
    of KPIs than for eight), and the figures it and the pilot dashboard cache hold no
    list longer than the dashboard shows, however many KPIs run."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from partners import services
    from partners.metrics import KPI_FURTHEST
    from partners.models import ContractKpi, KpiMeasure
    from pilot.dashboard import load_figures

    services.service_record_create(actor=users["ngo"], contract=contracts["kaifong"],
                                   worker=workers["kaifong"], service_date=today,
                                   service_type="home_visit", duration_minutes=60)

    def count(page):
        cache.clear()
        with CaptureQueriesContext(connection) as context:
            html = client_for("leader").get(reverse("partners:figures"), {"page": page}
                                            ).content.decode()
        return len(context), html

    def longest_list(value):
        if isinstance(value, dict):
            return max([longest_list(item) for item in value.values()], default=0)
        if isinstance(value, list | tuple):
            return max([len(value), *(longest_list(item) for item in value)])
        return 0

    few, _html = count(1)
    for number in range(120):
        ContractKpi.objects.create(contract=contracts["faom"], name=f"指标{number:03d}",
                                   measure=KpiMeasure.SERVICE_HOURS, target=number + 1)
    many, html = count(2)
    assert many <= few  # a page of hours KPIs alone skips the other measures' queries
    assert "指标042" in html and "指标041" not in html and "指标092" not in html  # 50 a page
    figures, _reason = load_figures("partners", start=today.replace(month=1, day=1), end=today,
                                    district=None)
    assert figures["kpi_total"] == ContractKpi.objects.count()
    assert longest_list(figures) <= KPI_FURTHEST


def test_closing_a_referral_is_checked_then_confirmed(client_for, users, referrals, workers,
                                                      today):
    """Closing cannot be undone: the provider sees a check page (service records and time),
    confirms, and lands on a confirmation page; nothing closes by looking or by a bare POST."""
    from partners import services

    referral = services.referral_accept(actor=users["ngo"], referral=referrals["kaifong"])
    services.service_record_create(actor=users["ngo"], contract=referral.contract,
                                   worker=workers["kaifong"], service_date=today,
                                   service_type="home_visit", duration_minutes=90,
                                   referral=referral)
    detail = client_for("ngo").get(reverse("partners:referral_detail", args=[referral.pk]))
    url = reverse("partners:referral_close", args=[referral.pk])
    assert f'href="{url}"' in detail.content.decode()
    client = client_for("ngo")
    check = client.get(url)
    body = check.content.decode()
    assert check.status_code == 200 and 'name="confirm"' in body
    assert 'data-check="records">1<' in body and "90" in body
    bare = client.post(url)  # not from the check page
    assert bare["Location"] == url
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    done = client.post(url, {"confirm": "yes"})
    assert done["Location"] == reverse("partners:referral_closed", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.CLOSED
    page = client.get(done["Location"])
    assert page.status_code == 200 and "data-confirmation" in page.content.decode()
    assert AuditEvent.objects.filter(action="referral.close", object_id=str(referral.pk)).exists()
    # closed: the check page sends the user back to the referral
    assert client.get(url).status_code == 302


@pytest.mark.parametrize("username,expected", [("anonymous", 302), ("ngo2", 404),
                                               ("finance", 403), ("macau", 403)])
def test_close_check_page_refused(client_for, users, referrals, username, expected):
    from partners import services

    referral = services.referral_accept(actor=users["ngo"], referral=referrals["kaifong"])
    url = reverse("partners:referral_close", args=[referral.pk])
    assert client_for(username).get(url).status_code == expected
    assert client_for(username).post(url, {"confirm": "yes"}).status_code == expected
    closed = reverse("partners:referral_closed", args=[referral.pk])
    assert client_for(username).get(closed).status_code == expected
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED


def test_referral_detail_folds_its_forms(client_for, users, contracts):
    from partners_factories import make_case, make_referral

    referral = make_referral(users, "district", make_case(users, "district"),
                             contracts["kaifong"], send=False, consent=True)
    body = client_for("district").get(
        reverse("partners:referral_detail", args=[referral.pk])).content.decode()
    assert "<details" in body.split(reverse("partners:referral_consent", args=[referral.pk]))[0]
