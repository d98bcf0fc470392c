"""Nobody promotes themselves: only a superuser grants superuser or staff status, only the
security administrator grants roles, and never to itself; no user holds two separated
administrator duties or a duty and an operational role (issue 28); every change of a user's
access is audited with before and after, whichever way it is made (issue 23, finding 2;
core.user_access)."""
import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from core.models import AuditEvent, AuditOutcome
from core.roles import Role
from core.user_access import acting_as

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


def test_only_the_security_administrator_grants_roles_both_ways(users):
    admin, district = users["admin"], users["district"]
    city_role = Group.objects.get(name=Role.CITY)
    for granter in (admin, district, users["auditadmin"]):
        for grant in (lambda: granter.groups.add(city_role),
                      lambda: city_role.user_set.add(district)):
            with acting_as(granter), pytest.raises(PermissionDenied), transaction.atomic():
                grant()  # the refusal rolls back with the change it refused
    assert not _reload(admin).groups.filter(name=Role.CITY).exists()
    assert not _reload(district).groups.filter(name=Role.CITY).exists()
    # the security administrator grants it, audited with before and after
    with acting_as(users["secadmin"]):
        district.groups.add(Group.objects.get(name=Role.FINANCE))
    event = AuditEvent.objects.filter(action="user.roles_change").latest("id")
    assert event.actor_username == "secadmin" and event.changes["username"] == "district"
    assert Role.FINANCE not in event.changes["before"].split(",")
    assert Role.FINANCE in event.changes["after"].split(",")


def test_the_security_administrator_grants_nothing_to_itself(users):
    secadmin = users["secadmin"]
    with acting_as(secadmin), pytest.raises(PermissionDenied), transaction.atomic():
        secadmin.groups.add(Group.objects.get(name=Role.LEADERSHIP))
    assert not _reload(secadmin).groups.filter(name=Role.LEADERSHIP).exists()


@pytest.mark.parametrize("holder,role", [
    ("admin", Role.SECURITY_ADMIN), ("admin", Role.AUDIT_ADMIN), ("auditadmin", Role.ADMIN),
    ("auditadmin", Role.SECURITY_ADMIN), ("admin", Role.CITY), ("auditadmin", Role.LEADERSHIP),
    ("district", Role.ADMIN), ("city", Role.AUDIT_ADMIN), ("bank", Role.SECURITY_ADMIN)])
def test_no_user_holds_two_duties_or_a_duty_and_an_operational_role(users, holder, role):
    """Whoever grants (the security administrator, the console, a superuser): refused with a
    translated reason, audited, nothing changed."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x" * 20)
    user = users[holder]
    for granter in (users["secadmin"], None, root):
        with acting_as(granter), translation.override("en"), \
                pytest.raises(PermissionDenied) as refused, transaction.atomic():
            user.groups.add(Group.objects.get(name=role))
        assert "administrator duty" in str(refused.value)
        assert not _reload(user).groups.filter(name=role).exists()
    with translation.override("zh-hans"), pytest.raises(PermissionDenied) as refused, \
            transaction.atomic():
        user.groups.add(Group.objects.get(name=role))
    assert "管理员" in str(refused.value)


def test_the_check_lists_users_who_hold_separated_roles(users):
    """Rows written around the guard (SQL, a restored backup) are found by the system check
    and the command."""
    from django.core.checks import run_checks
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("check_admin_duties")  # the demo is clean
    through = type(users["admin"]).groups.through
    through.objects.bulk_create([through(user=users["admin"],
                                         group=Group.objects.get(name=Role.AUDIT_ADMIN))])
    errors = [error for error in run_checks(databases=["default"]) if error.id == "zhuao.E003"]
    assert len(errors) == 1 and "admin" in errors[0].msg
    with pytest.raises(CommandError):
        call_command("check_admin_duties")


def test_console_changes_are_audited_with_before_and_after(users):
    city = users["city"]
    city.is_staff, city.is_active = True, False
    city.save()
    event = AuditEvent.objects.filter(action="user.access_change").latest("id")
    assert event.actor_username == "(console)"
    assert event.changes["is_staff_before"] is False and event.changes["is_staff_after"] is True
    assert event.changes["is_active_after"] is False
    Group.objects.get(name=Role.FINANCE).user_set.add(city)
    roles = AuditEvent.objects.filter(action="user.roles_change").latest("id")
    assert roles.actor_username == "(console)" and roles.changes["username"] == "city"
    assert Role.FINANCE in roles.changes["after"].split(",")


def test_a_superuser_may_grant_anything_the_separation_allows(users):
    from django.contrib.auth import get_user_model

    root = get_user_model().objects.create_superuser("root", "root@example.invalid", "x" * 20)
    with acting_as(root):
        users["district"].groups.add(Group.objects.get(name=Role.CITY))
        users["admin"].is_staff = True
        users["admin"].save()
    assert _reload(users["district"]).groups.filter(name=Role.CITY).exists()


def test_the_admin_form_refuses_a_role_from_the_system_administrator(users, rf):
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
    assert "security administrator" in str(refused.value) or "安全管理员" in str(refused.value)
    assert AuditEvent.objects.filter(action="user.access_change",
                                     outcome=AuditOutcome.DENIED).exists()


def test_the_system_administrator_sees_roles_read_only_and_the_security_one_may_change_them(
        users, rf):
    from django.contrib import admin as django_admin
    from django.contrib.auth import get_user_model

    model_admin = django_admin.site._registry[get_user_model()]
    for username, groups_read_only in (("admin", True), ("secadmin", False)):
        request = rf.get("/")
        request.user = users[username]
        fields = model_admin.get_readonly_fields(request, users["district"])
        assert ("groups" in fields) is groups_read_only, username
        assert "is_superuser" in fields and "is_staff" in fields
    request.user = users["secadmin"]  # but not its own
    assert "groups" in model_admin.get_readonly_fields(request, users["secadmin"])


def test_the_admin_form_refuses_a_second_duty_and_audits_it(users, rf):
    """Through the security administrator's user form the refusal is a form error, in the
    user's language, and the refused change is audited."""
    from django.contrib import admin as django_admin
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError
    from django.utils import translation

    model_admin = django_admin.site._registry[get_user_model()]
    request = rf.get("/")
    request.user = users["secadmin"]
    target = users["auditadmin"]
    form = model_admin.get_form(request, target)(instance=target)
    form.cleaned_data = {"groups": [*target.groups.all(), Group.objects.get(name=Role.ADMIN)]}
    with translation.override("zh-hant"), pytest.raises(ValidationError) as refused:
        form.clean_groups()
    assert "管理員" in str(refused.value)
    refusal = AuditEvent.objects.filter(action="user.access_change",
                                        outcome=AuditOutcome.DENIED).latest("id")
    assert refusal.actor_username == "secadmin" and refusal.changes["username"] == "auditadmin"
    assert refusal.changes["roles_added"] == Role.ADMIN


NEW_PASSWORD = "Another-Passw0rd-2026"


def _set_password(client, user):
    return client.post(f"/admin/auth/user/{user.pk}/password/",
                       {"usable_password": "true", "password1": NEW_PASSWORD,
                        "password2": NEW_PASSWORD})


@pytest.mark.parametrize("actor, target", [
    ("secadmin", "district"),  # grants roles: with the password too, it could sign in as them
    ("secadmin", "admin"),
    ("admin", "secadmin"),  # another duty's holder
    ("admin", "auditadmin"),
    ("admin", "admin"),  # one's own: on the account page, with the old password
])
def test_a_password_is_set_only_by_the_system_administrator_on_others(users, client_for, actor,
                                                                      target):
    client, user = client_for(actor), users[target]
    assert client.get(f"/admin/auth/user/{user.pk}/password/").status_code == 403
    assert _set_password(client, user).status_code == 403
    assert not _reload(user).check_password(NEW_PASSWORD)
    refusals = AuditEvent.objects.filter(action="user.password_set")
    assert len(refusals) == 2  # the form and the post
    for refusal in refusals:
        assert refusal.outcome == AuditOutcome.DENIED and refusal.actor_username == actor
        assert refusal.changes == {"username": target}
    page = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200 and "../password/" not in page.content.decode()


def test_the_system_administrator_sets_an_officers_password_and_it_is_audited(users,
                                                                              client_for):
    client, user = client_for("admin"), users["district"]
    assert "../password/" in client.get(f"/admin/auth/user/{user.pk}/change/").content.decode()
    assert _set_password(client, user).status_code == 302
    assert _reload(user).check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="user.password_set")
    assert event.outcome == AuditOutcome.SUCCESS and event.actor_username == "admin"
    assert event.object_id == str(user.pk) and NEW_PASSWORD not in str(event.changes)


def test_the_system_administrator_sets_no_superusers_password(users, client_for):
    """The break-glass superuser's password would make the system administrator a superuser."""
    root = type(users["admin"]).objects.create_superuser("root", password="Root-Passw0rd-2026")
    client = client_for("admin")
    assert _set_password(client, root).status_code == 403
    assert not _reload(root).check_password(NEW_PASSWORD)
    assert AuditEvent.objects.get(action="user.password_set",
                                  outcome=AuditOutcome.DENIED).changes == {"username": "root"}
