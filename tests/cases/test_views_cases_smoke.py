"""Every page of the app renders for the roles that use it, on the demo data."""
import pytest
from django.urls import reverse

from cases import demo as cases_demo
from cases.models import ActionItem, Case, Household, Meeting, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(demo):
    cases_demo.seed(demo)
    return demo


def test_pages_render_for_city(seeded, client_for):
    client = client_for("city")
    # the latest people are the liaisons' own records (issue 25), which the city does not see
    person = Person.objects.filter(owner_agency__side="zhuhai").first()
    case = Case.objects.filter(status="open").first()
    household = Household.objects.first()
    meeting = Meeting.objects.filter(status="held").first()
    # the second joint conference (the others are the monthly liaison meeting's occurrences)
    upcoming = Meeting.objects.filter(series__isnull=True).exclude(pk=meeting.pk).get()
    urls = [reverse("cases:case_list"), reverse("cases:case_list") + "?status=open",
            reverse("cases:person_list"), reverse("cases:person_create"),
            reverse("cases:person_detail", args=[person.pk]),
            reverse("cases:person_edit", args=[person.pk]),
            reverse("cases:household_create", args=[person.pk]),
            reverse("cases:case_create", args=[person.pk]),
            reverse("cases:household_detail", args=[household.pk]),
            reverse("cases:household_edit", args=[household.pk]),
            reverse("cases:case_detail", args=[case.pk]),
            reverse("cases:case_edit", args=[case.pk]),
            reverse("cases:meeting_list"), reverse("cases:meeting_create"),
            reverse("cases:meeting_detail", args=[meeting.pk]),
            reverse("cases:meeting_detail", args=[upcoming.pk]),
            reverse("cases:meeting_edit", args=[upcoming.pk]),
            reverse("cases:meeting_calendar"), reverse("cases:meeting_series_create"),
            reverse("cases:calendar_feed"),
            reverse("cases:pending_reviews"), reverse("cases:action_item_list"),
            reverse("cases:action_item_list") + "?overdue=on",
            reverse("cases:action_item_detail", args=[ActionItem.objects.first().pk]),
            reverse("cases:liaison_list"), reverse("cases:liaison_create"), reverse("home")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    response = client.get(reverse("cases:meeting_minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_pages_render_for_other_roles(seeded, client_for):
    for username in ("district", "macau", "hengqin", "leader", "finance", "ngo"):
        client = client_for(username)
        for url in [reverse("cases:meeting_list"), reverse("cases:meeting_calendar"),
                    reverse("cases:calendar_feed"), reverse("cases:action_item_list"),
                    reverse("cases:liaison_list"), reverse("home")]:
            assert client.get(url).status_code == 200, (username, url)
        expected = 200 if username in ("district", "macau", "hengqin") else 403
        assert client.get(reverse("cases:case_list")).status_code == expected, username
