"""The home page's panels read only the columns their templates show (``.only()``): a column
left out would cost one more query per row, when the template reads it. On the full demo data,
every user's home page is served without loading a deferred field, and the panels that read
rows do appear for someone (else the first check would prove nothing)."""
from __future__ import annotations

import pytest
from django.db.models import Model
from tests.two_factor_clients import VerifiedClient as Client

pytestmark = pytest.mark.django_db

#: Panels that list records, by template: each must appear for at least one demo user.
LISTING_PANELS = {
    "infosharing/panels/requests.html",
    "infosharing/panels/authorizations.html",
    "cases/secretariat/home/overdue_action_items.html",
    "cases/secretariat/home/upcoming_meetings.html",
    "remittance/panels/visits.html",
    "remittance/panels/bank_appointments.html",
    "tempaid/home_panel.html",
    "partners/panels/expiring.html",
}


def test_home_panels_load_no_deferred_field(seeded_media, monkeypatch):
    loaded = []
    original = Model.refresh_from_db

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        loaded.append((type(self).__name__, tuple(fields or ())))
        return original(self, using=using, fields=fields, from_queryset=from_queryset)

    monkeypatch.setattr(Model, "refresh_from_db", refresh_from_db)
    shown = set()
    for username, user in seeded_media.items():
        client = Client()
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 200, username
        shown |= {panel.template for panel in response.context["panels"]}
        assert loaded == [], (username, loaded)
    assert LISTING_PANELS <= shown, LISTING_PANELS - shown
