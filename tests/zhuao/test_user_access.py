"""Nobody promotes themselves: only a superuser grants superuser or staff status or a role it
does not hold; every change of a user's access is audited with before and after, whichever
way it is made (issue 23, finding 2; zhuao.user_access)."""
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from zhuao.models import AuditEvent, AuditOutcome
from zhuao.roles import Role
from zhuao.user_access import acting_as

pytestmark = pytest.mark.django_db


def _reload(user):
    return type(user).objects.get(pk=user.pk)


def test_the_admin_form_offers_an_administrator_no_superuser_or_staff_switch(users, client_for):
    admin = client_for("admin")
    page = admin.get(reverse("admin:auth_user_change", args=[users["admin"].pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="is_superuser"' not in html and 'name="is_staff"' not in html
    assert 'name="is_active"' in html


def test_an_administrator_cannot_make_itself_superuser_by_any_path(users):
    admin = users["admin"]
    with acting_as(admin), pytest.raises(PermissionDenied):
        admin.is_superuser = True
        admin.save()
    assert not _reload(admin).is_superuser
    refused = AuditEvent.objects.get(action="user.access_change", outcome=AuditOutcome.DENIED)
    assert refused.actor_username == "admin" and refused.changes["granted"] == "is_superuser"


def test_roles_the_granter_does_not_hold_are_refused_both_ways(users):
    admin, district = users["admin"], users["district"]
    city_role = Group.objects.get(name=Role.CITY)
    for grant in (lambda: admin.groups.add(city_role), lambda: city_role.user_set.add(district)):
        with acting_as(admin), pytest.raises(PermissionDenied), transaction.atomic():
            grant()  # the refusal rolls back with the change it refused
    assert not _reload(admin).groups.filter(name=Role.CITY).exists()
    assert not _reload(district).groups.filter(name=Role.CITY).exists()
    # a role the granter holds may be granted, and it is audited with before and after
    admin_role = Group.objects.get(name=Role.ADMIN)
    with acting_as(admin):
        district.groups.add(admin_role)
    event = AuditEvent.objects.filter(action="user.roles_change").latest("id")
    assert event.actor_username == "admin" and event.changes["username"] == "district"
    assert Role.ADMIN not in event.changes["before"].split(",")
    assert Role.ADMIN in event.changes["after"].split(",")


def test_console_changes_are_audited_with_before_and_after(users):
    city = users["city"]
    city.is_staff, city.is_active = True, False
    city.save()
    event = AuditEvent.objects.filter(action="user.access_change").latest("id")
    assert event.actor_username == "(console)"
    assert event.changes["is_staff_before"] is False and event.changes["is_staff_after"] is True
    assert event.changes["is_active_after"] is False
    Group.objects.get(name=Role.ADMIN).user_set.add(city)
    roles = AuditEvent.objects.filter(action="user.roles_change").latest("id")
    assert roles.actor_username == "(console)" and roles.changes["username"] == "city"
    assert Role.ADMIN in roles.changes["after"].split(",")


def test_a_superuser_may_grant_anything(users):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x" * 20)
    with acting_as(root):
        users["admin"].groups.add(Group.objects.get(name=Role.CITY))
        users["admin"].is_staff = True
        users["admin"].save()
    assert _reload(users["admin"]).groups.filter(name=Role.CITY).exists()


def test_the_admin_form_refuses_a_role_the_administrator_does_not_hold(users, rf):
    from django.contrib import admin as django_admin
    from django.contrib.auth import get_user_model

    model_admin = django_admin.site._registry[get_user_model()]
    request = rf.get("/")
    request.user = users["admin"]
    form_class = model_admin.get_form(request, users["district"])
    form = form_class(instance=users["district"])
    form.cleaned_data = {"groups": [*users["district"].groups.all(),
                                    Group.objects.get(name=Role.CITY)]}
    with pytest.raises(Exception) as refused:
        form.clean_groups()
    assert "roles you hold" in str(refused.value) or "角色" in str(refused.value)
    assert AuditEvent.objects.filter(action="user.access_change",
                                     outcome=AuditOutcome.DENIED).exists()
