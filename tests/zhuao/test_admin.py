"""The administrator's user form: a user's one staff profile, and no form for a second."""
from datetime import date
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def test_a_user_with_a_profile_is_offered_no_second_one(client_for, users):
    admin = client_for("admin")
    page = admin.get(f"/admin/auth/user/{users['district'].pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="staff-0-agency"' in html  # the profile itself, editable
    assert 'id="staff-empty"' not in html  # no empty form for adding another
    # a new user still gets the profile's form
    assert 'id="staff-empty"' in admin.get("/admin/auth/user/add/").content.decode()


def test_the_profile_is_still_changed_through_the_form(client_for, users, agencies):
    user = users["district2"]
    other = next(agency for agency in agencies.values() if agency != user.staff.agency)
    page = client_for("admin").get(f"/admin/auth/user/{user.pk}/change/")
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items()
            if key in form.fields and value is not None and key not in ("password", "groups")}
    data |= {"groups": [group.pk for group in user.groups.all()],
             "last_login_0": "", "last_login_1": "", "date_joined_0": "2026-01-01",
             "date_joined_1": "08:00:00", "staff-TOTAL_FORMS": "1", "staff-INITIAL_FORMS": "1",
             "staff-MIN_NUM_FORMS": "0", "staff-MAX_NUM_FORMS": "1",
             "staff-0-id": user.staff.pk, "staff-0-user": user.pk, "staff-0-agency": other.pk,
             "staff-0-title": "", "staff-0-phone": "", "staff-0-language": "zh-hans"}
    response = client_for("admin").post(f"/admin/auth/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user.staff.refresh_from_db()
    assert user.staff.agency == other


@pytest.mark.parametrize("username", ["district", "admin"])
def test_the_user_form_reads_the_profile_with_its_user_and_agency(client_for, users, username):
    """A detail page's 15 queries: the profile comes with the user, its title's user and
    agency with the profile, not one query each."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = client_for("admin")
    url = f"/admin/auth/user/{users[username].pk}/change/"
    admin.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert admin.get(url).status_code == 200
    assert len(queries) <= 15, "\n".join(query["sql"][:120] for query in queries)


def test_the_administrator_can_neither_add_nor_delete_a_payment_or_batch(client_for, users):
    """A payment is counted in its batch's tallies and is money owed or sent: even a superuser
    (the one account the admin shows payments to) reads it and no more."""
    from remittance import services
    from remittance.models import Payment
    from tests.remittance.remittance_factories import activated, row

    activated(users["finwork"], [row(1)])
    batch = services.batch_prepare(actor=users["city"], period=date(2022, 7, 1),
                                   rate=Decimal("0.87"), rate_date=date(2022, 6, 30),
                                   rate_source="test")
    payment = batch.payments.get()
    users["admin"].is_superuser = True
    users["admin"].save(update_fields=["is_superuser"])
    admin = client_for("admin")
    assert admin.get(f"/admin/remittance/payment/{payment.pk}/change/").status_code == 200
    assert admin.get(f"/admin/remittance/payment/{payment.pk}/delete/").status_code == 403
    assert admin.post(f"/admin/remittance/payment/{payment.pk}/delete/",
                      {"post": "yes"}).status_code == 403
    assert admin.get("/admin/remittance/payment/add/").status_code == 403
    assert admin.post(f"/admin/remittance/batch/{batch.pk}/delete/",
                      {"post": "yes"}).status_code == 403
    assert Payment.objects.filter(pk=payment.pk).exists()
