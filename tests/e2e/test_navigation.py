"""Each demo role signs in through the real form and sees only its own navigation."""
import pytest

from web.navigation import nav_items

ROLES = ["city", "district", "district2", "finance", "finwork", "macau", "hengqin", "ngo",
         "leader", "admin", "secadmin", "auditadmin"]


@pytest.mark.parametrize("username", ROLES)
def test_role_sees_only_its_navigation(page, login, users, username):
    login(page, username)
    welcome = "歡迎" if users[username].staff.language == "zh-hant" else "欢迎"
    assert page.locator("h1").first.inner_text().startswith(welcome)
    shown = sorted(page.locator("nav.sidenav [data-nav]").evaluate_all(
        "links => links.map(link => link.dataset.nav)"))
    expected = sorted(item.url_name for item in nav_items(users[username]))
    assert shown == expected
    if username != "auditadmin":  # the separated duties: the audit trail is its alone
        assert "audit_list" not in shown
    if username != "secadmin":
        assert "lockout_list" not in shown


def test_login_page_in_simplified_chinese_and_switch_to_traditional(page, live_server, db):
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "登录"
    page.select_option("#language-select", "zh-hant")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "登入"
