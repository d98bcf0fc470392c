import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from core.roles import Role, collect_role_permissions, has_role, user_roles

pytestmark = pytest.mark.django_db


def test_every_role_is_a_group_with_exactly_the_declared_permissions(demo):
    declared = collect_role_permissions()
    for role in Role.values:
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == declared[role]


def test_each_demo_user_holds_one_role_and_one_agency(users):
    expected = {"city": Role.CITY, "district": Role.DISTRICT, "district2": Role.DISTRICT,
                "finance": Role.FINANCE, "finwork": Role.FINWORK, "macau": Role.MACAU,
                "hengqin": Role.HENGQIN, "ngo": Role.NGO, "leader": Role.LEADERSHIP,
                "admin": Role.ADMIN, "secadmin": Role.SECURITY_ADMIN,
                "auditadmin": Role.AUDIT_ADMIN}
    for username, role in expected.items():
        assert user_roles(users[username]) == {role}
        assert users[username].groups.filter(name=f"agency:{users[username].staff.agency.code}").exists()


def test_inactive_user_has_no_roles(users):
    users["city"].is_active = False
    assert not has_role(users["city"], Role.CITY)


def test_seed_demo_is_idempotent(db):
    from django.core.management import call_command
    from django.contrib.auth import get_user_model

    from core.models import Agency

    call_command("seed_demo")
    counts = (get_user_model().objects.count(), Agency.objects.count())
    call_command("seed_demo")
    assert (get_user_model().objects.count(), Agency.objects.count()) == counts


@pytest.mark.parametrize("username", ["city", "district", "district2", "finance", "finwork",
                                      "macau", "hengqin", "ngo", "leader", "admin",
                                      "secadmin", "auditadmin"])
def test_each_role_lands_on_its_home_page(client_for, username):
    response = client_for(username).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["role_labels"]


def test_the_admin_grants_rights_only_through_roles(client_for, users):
    """The user form offers roles (groups), never individual permissions beside them."""
    page = client_for("secadmin").get(reverse("admin:auth_user_change",
                                              args=[users["district"].pk]))
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "groups" in form.fields and "user_permissions" not in form.fields


def test_the_three_administrators_each_reach_only_their_own_admin_pages(client_for):
    """The separated duties (三权分立): each is refused the others' pages and the Django admin
    pages of the others' duties; the audit administrator has no Django admin at all."""
    pages = {"audit_list": "auditadmin", "lockout_list": "secadmin"}
    for name, owner in pages.items():
        for username in ("admin", "secadmin", "auditadmin"):
            status = client_for(username).get(reverse(name)).status_code
            assert (status == 200) is (username == owner), (name, username, status)
    admin_pages = {"admin:zhuao_auditevent_changelist": set(),
                   "admin:auth_user_changelist": {"admin", "secadmin"},
                   "admin:zhuao_agency_changelist": {"admin"}}
    for name, allowed in admin_pages.items():
        for username in ("admin", "secadmin", "auditadmin"):
            status = client_for(username).get(reverse(name)).status_code
            assert (status == 200) is (username in allowed), (name, username, status)
