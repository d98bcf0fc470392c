"""The navigation's badges (unread messages, requests to answer, urgent notifications to
acknowledge) count what waits for the user, all of them in one query."""
import pytest
from django.urls import reverse
from django.utils import timezone

from infosharing.models import EmergencyKind
from infosharing.services import urgent_acknowledge, urgent_notification_send
from infosharing.selectors import urgent_recipients_to_acknowledge
from web.navigation import nav_items
from core.notifications import notification_mark_read
from core.roles import user_roles

pytestmark = pytest.mark.django_db

BADGES = ("inbox", "infosharing:request_list", "infosharing:urgent_list")


def _badges(user):
    return {item.url_name: item.badge for item in nav_items(user) if item.url_name in BADGES}


def test_badges_count_what_waits_in_one_query(users, agencies, person, sent,
                                              django_assert_num_queries):
    urgent_notification_send(actor=users["district"], person=person,
                             kind=EmergencyKind.HOSPITALISATION, occurred_at=timezone.now(),
                             description="送医", agencies=[agencies["mo-ias"]])
    macau = users["macau"]
    user_roles(macau)
    # The visibility door counts an agency's shares to choose its query plan, kept in the cache
    # for SHARE_COUNT_SECONDS (the "shared with you" work of a liaison asks it): once warm, the
    # badges of every page are one query.
    _badges(macau)
    with django_assert_num_queries(1):
        badges = _badges(macau)
    assert badges == {"inbox": 2, "infosharing:request_list": 1, "infosharing:urgent_list": 1}
    assert _badges(users["hengqin"]) == {"inbox": None, "infosharing:request_list": None,
                                         "infosharing:urgent_list": None}

    notification_mark_read(user=macau)
    urgent_acknowledge(actor=macau, recipient=urgent_recipients_to_acknowledge(macau).get())
    assert _badges(macau) == {"inbox": None, "infosharing:request_list": 1,
                              "infosharing:urgent_list": None}


def test_addresses_are_those_of_reverse(users):
    for item in nav_items(users["admin"]) + nav_items(users["city"]):
        assert item.url == reverse(item.url_name, kwargs=item.url_kwargs or None)
