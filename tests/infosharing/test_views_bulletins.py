"""The bulletin pages per role (issue 25): who sees an open and a published two-way bulletin,
who writes which section, the check-and-confirm step before publishing, acknowledging; every
refusal changes nothing."""
from datetime import date

import pytest
from django.urls import reverse

from infosharing.models import Bulletin, BulletinStatus
from infosharing.services import bulletin_open, bulletin_publish, bulletin_section_save
from core.models import AuditEvent

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "city", "district", "district2", "finance", "finwork", "macau",
         "hengqin", "ngo", "ngo2", "leader", "admin", "bank"]


@pytest.fixture
def opened(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        bulletin, _created = bulletin_open(period_start=date(2026, 9, 1),
                                           period_end=date(2026, 9, 30))
    bulletin_section_save(actor=users["macau"], bulletin=bulletin, side="macau",
                          common_concern="澳門方面的草稿")
    return bulletin


@pytest.fixture
def published(users, opened, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        bulletin_publish(actor=users["city"], bulletin=opened)
    opened.refresh_from_db()
    return opened


def _status(client_for, role, url, method="get"):
    return getattr(client_for(role), method)(url).status_code


@pytest.mark.parametrize("role", ROLES)
def test_open_bulletin_pages_per_role(role, opened, client_for):
    allowed = {"city", "macau", "hengqin"}
    detail = reverse("infosharing:bulletin_detail", args=[opened.pk])
    section = reverse("infosharing:bulletin_section", args=[opened.pk])
    publish = reverse("infosharing:bulletin_publish", args=[opened.pk])
    expected = 200 if role in allowed else None
    for url in (detail, section):
        status = _status(client_for, role, url)
        assert (status == 200) == (role in allowed), (role, url, status)
        if role == "anonymous":
            assert status == 302
    assert (_status(client_for, role, publish) == 200) == (role == "city")
    page = client_for(role).get(detail).content.decode() if expected else ""
    # a draft is seen by its own side only
    assert ("澳門方面的草稿" in page) == (role == "macau")


@pytest.mark.parametrize("role", ROLES)
def test_published_bulletin_pages_per_role(role, published, client_for):
    recipients = {"city", "district", "district2", "macau", "hengqin"}
    detail = reverse("infosharing:bulletin_detail", args=[published.pk])
    status = _status(client_for, role, detail)
    assert (status == 200) == (role in recipients), (role, status)
    if role in recipients:
        page = client_for(role).get(detail).content.decode()
        assert "澳門方面的草稿" in page  # published: every section to every recipient
    assert _status(client_for, role, reverse("infosharing:bulletin_publish",
                                             args=[published.pk])) != 200


def test_section_form_saves_the_own_side_only(users, opened, client_for):
    url = reverse("infosharing:bulletin_section", args=[opened.pk])
    response = client_for("hengqin").post(url, {"common_concern": "合作区关注个案", "submit": "draft"})
    assert response.status_code == 302
    hengqin = opened.sections.get(side="hengqin")
    assert hengqin.common_concern == "合作区关注个案" and hengqin.submitted_at is None
    macau = opened.sections.get(side="macau")
    assert macau.common_concern == "澳門方面的草稿"
    # too long: the form says so and nothing is saved
    response = client_for("hengqin").post(url, {"common_concern": "长" * 8001})
    assert response.status_code == 200 and "field--error" in response.content.decode()
    assert opened.sections.get(side="hengqin").common_concern == "合作区关注个案"
    # a district officer writes no section: refused, audited, nothing saved
    assert client_for("district").post(url, {"common_concern": "x"}).status_code == 404
    assert not opened.sections.filter(common_concern="x").exists()


def test_publish_needs_the_confirmation(users, opened, client_for):
    url = reverse("infosharing:bulletin_publish", args=[opened.pk])
    check = client_for("city").get(url).content.decode()
    assert 'data-testid="publish-missing"' in check
    response = client_for("city").post(url, {})
    assert response.status_code == 200
    opened.refresh_from_db()
    assert opened.status == BulletinStatus.OPEN
    response = client_for("city").post(url, {"confirm": "on"})
    assert response.status_code == 302
    opened.refresh_from_db()
    assert opened.status == BulletinStatus.PUBLISHED
    assert opened.missing_sides == ["zhuhai", "hengqin"]
    page = client_for("district").get(reverse("infosharing:bulletin_detail", args=[opened.pk]))
    assert 'data-testid="missing-sections"' in page.content.decode()
    # the Macau liaison may not publish (refused, audited)
    second, _created = bulletin_open(period_start=date(2026, 10, 1), period_end=date(2026, 10, 31))
    client_for("macau").post(reverse("infosharing:bulletin_publish", args=[second.pk]),
                             {"confirm": "on"})
    second.refresh_from_db()
    assert second.status == BulletinStatus.OPEN
    assert AuditEvent.objects.filter(action="bulletin_publish.refused",
                                     actor_id=users["macau"].pk).exists()


def test_acknowledge_page_once(users, published, client_for):
    url = reverse("infosharing:bulletin_acknowledge", args=[published.pk])
    assert client_for("macau").post(url).status_code == 302
    assert client_for("macau_backup").post(url).status_code == 302  # refused: already
    assert client_for("ngo").post(url).status_code == 403
    recipient = published.recipients.get(agency__code="mo-ias")
    assert recipient.acknowledged_by == users["macau"]
    assert AuditEvent.objects.filter(action="bulletin.acknowledge").count() == 1
    assert AuditEvent.objects.filter(action="bulletin_acknowledge.refused").count() == 1


def test_existing_bulletins_stay_readable(users, agencies, client_for):
    """A bulletin made before the two-way bulletin (one agency, Zhuhai's content) is shown as
    a published bulletin with Zhuhai's section only, to its agency."""
    from infosharing.models import BulletinRecipient, BulletinSection

    legacy = Bulletin.objects.create(agency=agencies["mo-ias"], period_start=date(2025, 1, 1),
                                     period_end=date(2025, 1, 31), status="published")
    BulletinSection.objects.create(bulletin=legacy, side="zhuhai", agency=agencies["zh-civil-affairs"],
                                   content=[{"key": "cases", "title": "Shared cases",
                                             "figures": [["New cases", 3]], "columns": [], "rows": []}])
    BulletinRecipient.objects.create(bulletin=legacy, agency=agencies["mo-ias"])
    page = client_for("macau").get(reverse("infosharing:bulletin_detail", args=[legacy.pk]))
    assert page.status_code == 200 and "New cases" in page.content.decode() or "新个案" in page.content.decode()
    assert client_for("hengqin").get(reverse("infosharing:bulletin_detail",
                                             args=[legacy.pk])).status_code == 404


def test_section_form_of_a_published_bulletin_goes_back_to_it(published, client_for):
    url = reverse("infosharing:bulletin_section", args=[published.pk])
    response = client_for("macau").get(url)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/infosharing/bulletins/{published.pk}/")
    response = client_for("macau").post(url, {"common_concern": "太迟"})
    assert response.status_code == 200 and "太迟" not in published.sections.get(
        side="macau").common_concern
