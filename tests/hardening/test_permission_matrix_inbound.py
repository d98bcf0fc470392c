"""The permission matrix for the records Macau and Hengqin start (issue 25), against the demo
data: Macau's own record 區美華, shared with the city bureau; Macau's referral of her to the
Kaifong contract (accepted); Macau's urgent notification to the city bureau (acknowledged);
Macau's verification request answered by Xiangzhou and the one waiting at the city bureau.

permission_matrix.py aims every route at the first Zhuhai record of Xiangzhou; this walks the
same routes aimed at the inbound records, every role, with the answers of matrix_engine
(``A`` answered, ``V`` refused at validation or by a state rule, ``D`` denied and nothing
changed). Macau and Hengqin create, Zhuhai routes and answers, nobody else sees."""
from __future__ import annotations

import pytest
from django.urls import reverse

from .matrix_engine import ROLES, Clients, answer, routes

#: (route, method, which record, answer string in ROLES order:
#:  anonymous city district district2 finance finwork macau hengqin ngo ngo2 leader admin
#:  secadmin auditadmin)
INBOUND = [
    # Macau's own record, shared with the city bureau: its owner and the city bureau see it
    ("cases:person_detail", "GET", "person", "DADDDDADDDDDDD"),
    ("cases-api:person-detail", "GET", "person", "DADDDDADDDDDDD"),
    ("cases:person_overview_pdf", "GET", "person", "DADDDDADDDDDDD"),
    # only its owner changes and shares it (an empty POST: refused at validation)
    ("cases:person_edit", "GET", "person", "DDDDDDADDDDDDD"),
    ("cases:person_share", "POST", "person", "DDDDDDVDDDDDDD"),
    ("cases-api:person-share", "POST", "person", "DDDDDDVDDDDDDD"),
    ("cases:person_unshare", "POST", "person+agency", "DDDDDDADDDDDDD"),  # a message, back
    ("cases-api:person-unshare", "POST", "person", "DDDDDDVDDDDDDD"),
    # Macau's referral: the referring agency, the city bureau and the provider see it
    ("partners:referral_detail", "GET", "referral", "DADDDDADADDDDD"),
    ("partners-api:referral-detail", "GET", "referral", "DADDDDADADDDDD"),
    # only the referring agency sends it (already answered: a message / 409)
    ("partners:referral_send", "POST", "referral", "DDDDDDADDDDDDD"),
    ("partners-api:referral-send", "POST", "referral", "DDDDDDVDDDDDDD"),
    ("partners:referral_consent", "POST", "referral", "DDDDDDADDDDDDD"),
    # only the provider answers it (already accepted: a message / 409)
    ("partners:referral_accept", "POST", "referral", "DDDDDDDDADDDDD"),
    ("partners-api:referral-accept", "POST", "referral", "DDDDDDDDVDDDDD"),
    # Macau's urgent notification to the city bureau
    ("infosharing:urgent_detail", "GET", "urgent", "DADDDDADDDDDDD"),
    # Macau's request answered by Xiangzhou: the requester, the answering district, the city
    ("infosharing:request_detail", "GET", "answered_request", "DAADDDADDDDDDD"),
    # Macau's request waiting at the city bureau: the requester and the city bureau
    ("infosharing:request_detail", "GET", "waiting_request", "DADDDDADDDDDDD"),
]


def _records():
    from cases.models import Person
    from infosharing.models import UrgentNotification, VerificationRequest
    from partners.models import Referral
    from core.models import Agency

    person = Person.objects.get(name_zh="區美華")
    inbound = VerificationRequest.objects.filter(direction="inbound",
                                                 requesting_agency__code="mo-ias")
    return {
        "person": {"pk": person.pk},
        "person+agency": {"pk": person.pk,
                          "agency_pk": Agency.objects.get(code="zh-civil-affairs").pk},
        "referral": {"pk": Referral.objects.get(originating_side="macau").pk},
        "urgent": {"pk": UrgentNotification.objects.get(reporting_agency__code="mo-ias").pk},
        "answered_request": {"pk": inbound.get(status="answered").pk},
        "waiting_request": {"pk": inbound.get(status="sent", routed_at__isnull=True).pk},
    }


def test_the_inbound_rows_name_existing_routes():
    names = {route.name for route in routes()}
    assert sorted({row[0] for row in INBOUND} - names) == []
    assert all(len(row[3]) == len(ROLES) for row in INBOUND)


@pytest.mark.parametrize("part", ["pages", "api"])
def test_inbound_records_cells(part, seeded_media, db):
    by_name = {route.name: route for route in routes()}
    records = _records()
    clients = Clients(seeded_media)
    mismatches = []
    for name, method, record, expected in INBOUND:
        route = by_name[name]
        if route.is_api != (part == "api"):
            continue
        url = reverse(name, kwargs=records[record])
        for role, wanted in zip(ROLES, expected, strict=True):
            got, status = answer(route, url, method, clients(role, api=route.is_api))
            if got != wanted:
                mismatches.append(f"{name} {method} {url} as {role}: expected {wanted}, "
                                  f"got {got} ({status})")
    assert mismatches == [], "\n".join(mismatches)


def test_the_bank_sees_no_inbound_record(seeded_media, db):
    by_name = {route.name: route for route in routes()}
    records = _records()
    clients = Clients(seeded_media)
    for name, method, record, _expected in INBOUND:
        route = by_name[name]
        got, status = answer(route, reverse(name, kwargs=records[record]), method,
                             clients("bank", api=route.is_api))
        assert got == "D", f"{name} as bank: {got} ({status})"
