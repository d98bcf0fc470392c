"""Issue 25 in the browser, the two-way bulletin: the Macau liaison (traditional Chinese)
writes the Macau section; the Zhuhai city officer writes Zhuhai's, checks what is missing and
publishes with a confirmation; the Macau liaison reads both sections, Hengqin's named as
missing, and acknowledges receipt."""
from datetime import date

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

MACAU_TEXT = "本月三宗澳門居民在珠海住院個案，社工局已跟進。"
ZHUHAI_TEXT = "香洲区两名澳门长者独居，已安排社工每周探访。"


def test_bulletin_written_by_both_sides_published_and_acknowledged(
        page, live_server, login, users):
    from infosharing.models import Bulletin, BulletinStatus
    from infosharing.services import bulletin_open

    bulletin, _created = bulletin_open(period_start=date(2026, 10, 1),
                                       period_end=date(2026, 10, 31))
    detail = f"{live_server.url}/infosharing/bulletins/{bulletin.pk}/"

    login(page, "macau")
    page.goto(detail)
    assert "撰寫本方內容" in page.content()  # traditional Chinese for the Macau liaison
    page.click(f"a[href$='/infosharing/bulletins/{bulletin.pk}/section/']")
    page.wait_for_load_state("networkidle")
    page.fill("#id_common_concern", MACAU_TEXT)
    page.click("button[name=submit][value=submit]")
    page.wait_for_load_state("networkidle")
    assert MACAU_TEXT in page.content()
    section = bulletin.sections.get(side="macau")
    assert section.is_in and section.submitted_by == users["macau"]

    page.context.clear_cookies()
    login(page, "city")
    page.goto(detail)
    assert MACAU_TEXT not in page.content()  # another side's draft stays with its side
    page.click(f"a[href$='/infosharing/bulletins/{bulletin.pk}/section/']")
    page.wait_for_load_state("networkidle")
    page.fill("#id_common_concern", ZHUHAI_TEXT)
    page.click("button[name=submit][value=submit]")
    page.wait_for_load_state("networkidle")
    page.click(f"a[href$='/infosharing/bulletins/{bulletin.pk}/publish/']")
    page.wait_for_load_state("networkidle")
    assert page.locator("[data-testid=publish-missing]").is_visible()  # Hengqin's is missing
    page.click("form.card button[type=submit]")  # without the confirmation: not published
    page.wait_for_load_state("networkidle")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.OPEN
    page.check("#id_confirm")
    page.click("form.card button[type=submit]")
    page.wait_for_load_state("networkidle")
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED and bulletin.missing_sides == ["hengqin"]
    assert page.locator("[data-testid=missing-sections]").is_visible()

    page.context.clear_cookies()
    login(page, "macau")
    page.goto(detail)
    content = page.content()
    assert MACAU_TEXT in content and ZHUHAI_TEXT in content
    assert "發佈時缺少以下各方的內容" in content
    page.click(f"form[action$='/infosharing/bulletins/{bulletin.pk}/acknowledge/'] button")
    page.wait_for_load_state("networkidle")
    recipient = Bulletin.objects.get(pk=bulletin.pk).recipients.get(agency__code="mo-ias")
    assert recipient.acknowledged_by == users["macau"] and recipient.acknowledged_at
    assert "已確認" in page.content()
