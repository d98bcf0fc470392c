"""In-app inbox and e-mail. Every app notifies people through here.

``notify_users`` writes one Notification per recipient at once and sends the e-mails after the
transaction commits (a rolled-back action notifies nobody).

What a notification may say: the record's reference (a number, or a kind and a date), the
event, the deadline or how late, and the link to the record. Never a person's name, an
identity number, a phone number or address, nor any text a user typed (reasons, notes,
descriptions, titles): e-mail leaves the application, and an inbox or mailbox may belong to
someone (leadership, an agency's shared address) whose role may not see the record. The
record's page shows the rest, behind its visibility door.
Messages are stored as keys and parameters (``core.messages.Text``) and rendered in each
recipient's language: on the inbox page, over the API and in the e-mail, whatever language
the sender used.
``tests/<app>/test_notifications_<app>.py`` run every builder (the ``messages_sent`` fixture)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from core.messages import Text, as_text
from core.models import Agency, LiaisonAssignment, LiaisonRole, Notification, StaffProfile
from core.roles import Role

#: The body of a notice about a step whose reason a user typed: the reason stays on the page.
REASON_ON_PAGE = gettext_lazy("The reason is given on the record's page.")


def notify_users(*, recipients: Iterable, title: Text | Promise | str, body: Text | Promise | str = "",
                 url: str = "", kind: str = "", email: bool = True) -> list[Notification]:
    """One inbox message per active recipient, e-mailed after the commit.

    ``title`` and ``body`` are read in each *recipient's* language, whatever the sender's:
    pass a ``core.messages.Text`` (``Text(gettext_lazy("Case %(number)s was shared with
    you"), number=case.number)``) or a lazy string; they are stored as keys and parameters
    and rendered when read. A plain string is stored as it is (and stays in one language)."""
    users = [user for user in dict.fromkeys(recipients) if user is not None and user.is_active]
    if not users:
        return []
    title, body = as_text(title), as_text(body)
    message = {part: value.to_json() for part, value in (("title", title), ("body", body))
               if isinstance(value, Text)}
    languages = user_languages(users)
    rows = []
    for user in users:
        with translation.override(languages[user.pk]):
            rows.append(Notification(recipient=user, title=str(title)[:200], body=str(body),
                                     message=message, url=url[:300], kind=kind[:40]))
    created = Notification.objects.bulk_create(rows)
    if email and created:
        ids = [notification.pk for notification in created if notification.pk]
        transaction.on_commit(lambda: _send_emails(ids))
    return created


def user_language(user) -> str:
    """The language a user reads in: their profile's (which the middleware activates when they
    sign in), else the site's default."""
    staff = getattr(user, "staff", None)
    return _known_language(getattr(staff, "language", ""))


def user_languages(users: Iterable) -> dict[int, str]:
    """``{user pk: language}`` for ``users`` in one query."""
    users = list(users)
    chosen = dict(StaffProfile.objects.filter(user__in=users).values_list("user_id", "language"))
    return {user.pk: _known_language(chosen.get(user.pk, "")) for user in users}


def _known_language(language: str) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else settings.LANGUAGE_CODE


def _send_emails(ids: list[int]) -> None:
    """One e-mail per recipient, each in the recipient's language."""
    notifications = list(Notification.objects.filter(pk__in=ids).select_related("recipient")
                         .order_by("pk"))
    languages = user_languages({n.recipient for n in notifications})
    messages = []
    for notification in notifications:
        user = notification.recipient
        if not user.email:
            continue
        with translation.override(languages[user.pk]):
            title, body = notification.display_title, notification.display_body
        url = notification.url
        text = body + (f"\n\n{url}" if url else "")
        messages.append((title, text, settings.DEFAULT_FROM_EMAIL, [user.email]))
    if messages:
        send_mass_mail(messages, fail_silently=True)
    if ids:
        Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())


def current_liaisons(agency: Agency, *, role: str | None = None, on: date | None = None) -> QuerySet:
    """The agency's liaisons (active users) valid on ``on`` (today by default), primary first:
    the one lookup every workstream uses."""
    on = on or timezone.localdate()
    assignments = LiaisonAssignment.objects.filter(
        agency=agency, valid_from__lte=on, user__is_active=True).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on))
    if role:
        assignments = assignments.filter(role=role)
    return assignments.select_related("user").order_by("role", "-valid_from", "id")


def liaison_users(agency: Agency, *, role: str = LiaisonRole.PRIMARY) -> list:
    """The users of ``current_liaisons`` of one role, each once."""
    return list(dict.fromkeys(assignment.user
                              for assignment in current_liaisons(agency, role=role)))


def role_users(*roles: str, agency: Agency | None = None) -> QuerySet:
    """Active users holding one of ``roles`` (optionally of one agency)."""
    users = get_user_model().objects.filter(is_active=True, groups__name__in=list(roles))
    if agency is not None:
        users = users.filter(staff__agency=agency)
    return users.distinct()


def unread_notifications(user) -> QuerySet:
    return Notification.objects.filter(recipient=user, read_at__isnull=True)


def notification_mark_read(*, user, notification_ids: Iterable[int] | None = None) -> int:
    unread = unread_notifications(user)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())


__all__ = ["REASON_ON_PAGE", "Text", "notify_users", "user_language", "user_languages", "current_liaisons", "liaison_users", "role_users",
           "unread_notifications", "notification_mark_read", "Role"]
