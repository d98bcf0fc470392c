"""First sign-in of a new account in a real browser: password, the enrolment page with its QR
code and secret, a code from an "authenticator app" computed from that secret, the recovery
codes, then the page asked for and home; the next sign-in asks for a code."""
import base64
import re

from django.conf import settings
from django_otp.oath import TOTP

from core.roles import Role


def _code(secret: str, at: float | None = None) -> str:
    import time

    totp = TOTP(base64.b32decode(secret))
    totp.time = at or time.time()
    return f"{totp.token():06d}"


def test_first_sign_in_enrols_then_shows_recovery_codes_then_home(page, live_server, users):
    import time

    from devtools.demo import ensure_user

    ensure_user("enrolee", users["district"].staff.agency, Role.DISTRICT, "新同事",
                password=settings.ZHUAO_DEMO_PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "enrolee")
    page.fill("#id_password", settings.ZHUAO_DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "/accounts/two-factor/enrol/" in page.url
    assert page.locator("figure.qr-code svg").count() == 1
    assert page.locator("nav.sidenav").count() == 0
    secret = page.locator("code.otp-secret").inner_text().replace(" ", "")
    assert re.fullmatch(r"[A-Z2-7]+", secret)

    page.goto(f"{live_server.url}/cases/")  # nothing else until the second factor
    assert "/accounts/two-factor/enrol/" in page.url
    page.fill("#id_code", _code(secret))
    page.click("#main button[type=submit]")
    page.wait_for_load_state("load")
    codes = page.locator("ol.recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert page.locator("a[download]").count() == 1
    page.click("a.button--primary")  # on to the page first asked for
    page.wait_for_load_state("load")
    assert page.url == f"{live_server.url}/cases/"
    page.goto(live_server.url)
    assert page.locator("nav.sidenav").count() == 1

    page.click("form[action='/accounts/logout/'] button")
    page.wait_for_load_state("load")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "enrolee")
    page.fill("#id_password", settings.ZHUAO_DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("load")
    assert "/accounts/two-factor/verify/" in page.url
    page.fill("#id_code", _code(secret, time.time() + 30))  # the next step's code
    page.click("#main button[type=submit]")
    page.wait_for_load_state("load")
    assert page.url.rstrip("/") == live_server.url
