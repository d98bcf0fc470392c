from datetime import date

import pytest

from pilot.models import ReminderKind, TaskReminder
from pilot.services import reminders_send
from core.models import Notification

import pilot_factories as factories

pytestmark = pytest.mark.django_db


def test_reminders_a_week_before_and_when_overdue_once(users):
    factories.plan_2021()
    factories.report(users["city"], 3, day=date(2022, 2, 10), status="done", percent=100)
    sent = reminders_send(today=date(2022, 6, 23))
    due_soon = set(TaskReminder.objects.filter(kind=ReminderKind.DUE_SOON)
                   .values_list("task__number", flat=True))
    overdue = set(TaskReminder.objects.filter(kind=ReminderKind.OVERDUE)
                  .values_list("task__number", flat=True))
    assert due_soon == {5, 8, 9, 12}
    assert overdue == {1, 2, 4, 7, 11}  # task 3 is done; ongoing tasks are never overdue
    assert sent == 9
    finwork_titles = list(Notification.objects.filter(recipient=users["finwork"])
                          .values_list("kind", flat=True))
    assert sorted(finwork_titles) == ["pilot.due_soon", "pilot.due_soon"]
    assert Notification.objects.filter(recipient=users["ngo"]).count() == 0
    assert Notification.objects.filter(recipient=users["leader"]).count() == 0
    assert Notification.objects.filter(recipient=users["district"], kind="pilot.overdue").count() == 3
    # safe to run twice
    assert reminders_send(today=date(2022, 6, 23)) == 0
    # a week later, June's tasks turn overdue: reminded once more
    reminders_send(today=date(2022, 7, 1))
    assert set(TaskReminder.objects.filter(kind=ReminderKind.OVERDUE)
               .values_list("task__number", flat=True)) == {1, 2, 4, 5, 7, 8, 9, 11, 12}


def test_reminders_wait_for_a_working_day_of_the_responsible_units(users):
    """3 October 2022 is a mainland National Day holiday; Saturday 8 October a 调休 working
    day."""
    factories.plan_2021()
    assert reminders_send(today=date(2022, 10, 3)) == 0
    assert not TaskReminder.objects.exists()
    assert reminders_send(today=date(2022, 10, 8)) > 0
