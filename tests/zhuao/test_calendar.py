"""The two working-day calendars (core/calendar.py): holidays and 调休 of the mainland,
public and government holidays of Macau, the administrator's overrides winning over both."""
from datetime import date, timedelta

import pytest

from core.calendar import (
    add_working_days,
    agency_sides,
    calendar_side,
    is_working_day,
    working_days_between,
)
from core.models import AuditEvent, CalendarSide, Side, WorkingDayOverride

pytestmark = pytest.mark.django_db

MAINLAND, MACAU = CalendarSide.MAINLAND, CalendarSide.MACAU


def _weekdays_only(start: date, days: int) -> date:
    """The old arithmetic (Monday to Friday, no holidays), to show the calendars differ."""
    current = start
    while days:
        current += timedelta(days=1)
        days -= current.weekday() < 5
    return current


def test_chinese_new_year_2026_differs_between_the_sides():
    eve = date(2026, 2, 16)  # 除夕, the day before the Spring Festival
    # mainland: off 15–23 February; Saturday 28 February is a 调休 working day
    assert add_working_days(eve, 5, MAINLAND) == date(2026, 2, 28)
    # Macau: the eve's afternoon and the first three days, back to work on Friday 20th
    assert add_working_days(eve, 5, MACAU) == date(2026, 2, 26)
    assert _weekdays_only(eve, 5) == date(2026, 2, 23)


def test_chinese_new_year_2027_skips_the_first_days_on_both_sides():
    eve = date(2027, 2, 5)
    for side in (MAINLAND, MACAU):
        assert not is_working_day(date(2027, 2, 8), side)  # third day of the lunar year
        assert add_working_days(eve, 5, side) > _weekdays_only(eve, 5)
    assert add_working_days(eve, 5, MACAU) == date(2027, 2, 17)  # off until the 10th


def test_national_day_2026_differs_between_the_sides():
    start = date(2026, 9, 30)
    # mainland: off 1–7 October, Saturday 10 October worked
    assert add_working_days(start, 5, MAINLAND) == date(2026, 10, 13)
    # Macau: off 1 and 2 October only
    assert add_working_days(start, 5, MACAU) == date(2026, 10, 9)
    assert _weekdays_only(start, 5) == date(2026, 10, 7)


@pytest.mark.parametrize("day", [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28),
                                 date(2026, 5, 9), date(2026, 9, 20), date(2026, 10, 10)])
def test_make_up_weekend_days_are_working_days_on_the_mainland_only(day):
    assert day.weekday() >= 5
    assert is_working_day(day, MAINLAND)
    assert not is_working_day(day, MACAU)


def test_macau_government_holidays_are_days_off_in_macau_only():
    for day in (date(2026, 12, 8), date(2026, 12, 24), date(2026, 11, 2), date(2026, 10, 19)):
        assert not is_working_day(day, MACAU), day
        assert is_working_day(day, MAINLAND), day


def test_overrides_win_over_the_package_on_their_side_only():
    holiday, weekday = date(2026, 10, 5), date(2026, 9, 15)
    assert not is_working_day(holiday, MAINLAND) and is_working_day(weekday, MACAU)
    WorkingDayOverride.objects.create(day=holiday, side=MAINLAND, is_working_day=True,
                                      note="worked by decision of the city")
    WorkingDayOverride.objects.create(day=weekday, side=MACAU, is_working_day=False,
                                      note="typhoon signal 8: offices closed")
    assert is_working_day(holiday, MAINLAND)
    assert not is_working_day(weekday, MACAU)
    assert is_working_day(weekday, MAINLAND)  # the other side is untouched
    assert add_working_days(date(2026, 9, 30), 5, MAINLAND) == date(2026, 10, 12)
    assert add_working_days(date(2026, 9, 14), 1, MACAU) == date(2026, 9, 16)


def test_an_override_publishes_next_years_make_up_day():
    saturday = date(2027, 2, 20)
    assert not is_working_day(saturday, MAINLAND)
    WorkingDayOverride.objects.create(day=saturday, side=MAINLAND, is_working_day=True,
                                      note="国务院办公厅通知 调休上班")
    assert is_working_day(saturday, MAINLAND)
    assert working_days_between(date(2027, 2, 19), date(2027, 2, 22), MAINLAND) == 2


def test_working_days_between_inverts_add_working_days():
    for side in (MAINLAND, MACAU):
        for start in (date(2026, 2, 10), date(2026, 9, 28), date(2026, 12, 18)):
            for days in (0, 1, 5, 15):
                end = add_working_days(start, days, side)
                assert working_days_between(start, end, side) == days
                assert working_days_between(end, start, side) == -days


def test_each_agency_side_has_its_calendar(agencies):
    assert calendar_side(Side.ZHUHAI) == calendar_side(Side.HENGQIN) == MAINLAND
    assert calendar_side(Side.PARTNER) == MAINLAND
    assert calendar_side(Side.MACAU) == MACAU
    assert calendar_side(agencies["mo-ias"]) == MACAU
    assert calendar_side(agencies["hq-livelihood"]) == MAINLAND
    assert set(agency_sides(MAINLAND)) == {Side.ZHUHAI, Side.HENGQIN, Side.PARTNER}
    assert agency_sides(MACAU) == [Side.MACAU]
    with pytest.raises(ValueError):
        calendar_side("taipei")


def test_the_administrator_edits_overrides_and_each_change_is_audited(client_for):
    admin = client_for("admin")
    response = admin.post("/admin/zhuao/workingdayoverride/add/", {
        "day": "2026-09-15", "side": "macau", "is_working_day": "", "note": "typhoon"})
    assert response.status_code == 302
    override = WorkingDayOverride.objects.get()
    listing = admin.get("/admin/zhuao/workingdayoverride/")
    assert listing.status_code == 200 and "2026" in listing.content.decode()
    assert not is_working_day(date(2026, 9, 15), MACAU)
    added = AuditEvent.objects.get(action="workingdayoverride.add")
    assert added.changes["day"] == "2026-09-15" and added.object_id == str(override.pk)
    response = admin.post(f"/admin/zhuao/workingdayoverride/{override.pk}/change/", {
        "day": "2026-09-15", "side": "macau", "is_working_day": "on", "note": "signal lowered"})
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="workingdayoverride.change")
    assert changed.changes["previous_is_working_day"] is False
    assert changed.changes["is_working_day"] is True
    assert changed.changes["previous_note"] == "typhoon" and "previous_day" not in changed.changes
    response = admin.post(f"/admin/zhuao/workingdayoverride/{override.pk}/delete/",
                          {"post": "yes"})
    assert response.status_code == 302
    assert not WorkingDayOverride.objects.exists()
    assert AuditEvent.objects.filter(action="workingdayoverride.delete").count() == 1


def test_one_override_per_day_and_side(client_for):
    WorkingDayOverride.objects.create(day=date(2026, 9, 15), side=MACAU, is_working_day=False)
    response = client_for("admin").post("/admin/zhuao/workingdayoverride/add/", {
        "day": "2026-09-15", "side": "macau", "is_working_day": "on", "note": ""})
    assert response.status_code == 200  # the form, with its error
    assert WorkingDayOverride.objects.count() == 1
    assert not AuditEvent.objects.filter(action__startswith="workingdayoverride.").exists()


@pytest.mark.parametrize("role", ["district", "city", "macau"])
def test_only_the_administrator_edits_overrides(client_for, role):
    response = client_for(role).post("/admin/zhuao/workingdayoverride/add/", {
        "day": "2026-09-15", "side": "macau", "is_working_day": "", "note": "x"})
    assert response.status_code in (302, 403)
    assert not WorkingDayOverride.objects.exists()
