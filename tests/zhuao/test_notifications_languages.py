"""Issue 25, "Languages per side", and issue 26, "Numbers and words": what a user receives is
in the recipient's language setting, whatever the sender's. A Macau liaison (traditional
Chinese by default) reads in traditional Chinese what a simplified-Chinese officer sent, an
English reader in English: on the inbox page, over the API and in the e-mail."""
from datetime import date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy

from core.admin import StaffProfileForm
from devtools.demo import ensure_user
from core.messages import Since, Text, as_text, choice_label
from core.models import Notification
from core.notifications import notify_users
from core.roles import Role

pytestmark = pytest.mark.django_db

ANSWERED = gettext_lazy("Verification request %(number)s was answered")
HANT = "協查函 VR-1 已答覆"
HANS = "协查函 VR-1 已答复"
ENGLISH = "Verification request VR-1 was answered"


@pytest.fixture
def english_city(users):
    users["city"].staff.language = "en"
    users["city"].staff.save(update_fields=["language"])
    return users["city"]


def _send(users, english_city, *, email=True):
    """Sent by a simplified-Chinese officer: zh-hans is active while the message is made."""
    with translation.override("zh-hans"):
        return notify_users(recipients=[users["macau"], english_city],
                            title=Text(ANSWERED, number="VR-1"),
                            body=gettext_lazy("The reason is given on the record's page."),
                            url="/inbox/", kind="test.language", email=email)


def test_macau_accounts_read_traditional_chinese_by_default(users):
    assert users["macau"].staff.language == "zh-hant"
    assert users["macau_backup"].staff.language == "zh-hant"
    assert users["district"].staff.language == "zh-hans"


def test_stored_text_is_in_each_recipients_language(users, english_city):
    rows = {n.recipient_id: n for n in _send(users, english_city, email=False)}
    assert rows[users["macau"].pk].title == HANT
    assert rows[english_city.pk].title == ENGLISH
    assert rows[users["macau"].pk].message["title"] == {
        "msgid": "Verification request %(number)s was answered", "params": {"number": "VR-1"}}


def test_inbox_page_renders_in_the_readers_language(client_for, users, english_city):
    _send(users, english_city, email=False)
    macau_page = client_for("macau").get(reverse("inbox")).content.decode()
    assert HANT in macau_page and HANS not in macau_page and ENGLISH not in macau_page
    assert "原因請見記錄頁面" in macau_page  # the body, traditional too
    city_page = client_for("city").get(reverse("inbox")).content.decode()
    assert ENGLISH in city_page and HANS not in city_page


def test_a_changed_language_setting_rerenders_old_messages(client_for, users, english_city):
    _send(users, english_city, email=False)
    users["macau"].staff.language = "en"
    users["macau"].staff.save(update_fields=["language"])
    assert ENGLISH in client_for("macau").get(reverse("inbox")).content.decode()


def test_api_inbox_renders_in_the_readers_language(api_client_for, users, english_city):
    _send(users, english_city, email=False)
    with translation.override("zh-hans"):  # whatever the request's own language
        macau = api_client_for("macau").get("/api/v1/inbox/")
        city = api_client_for("city").get("/api/v1/inbox/?unread=true")
    assert macau.status_code == 200
    assert macau.json()["results"][0]["title"] == HANT
    assert macau.json()["unread"] == 1
    assert city.json()["results"][0]["title"] == ENGLISH
    assert api_client_for("anonymous").get("/api/v1/inbox/").status_code == 401
    assert api_client_for("city").get("/api/v1/inbox/?unread=maybe").status_code == 400


def test_api_inbox_shows_only_own_messages(api_client_for, users, english_city):
    _send(users, english_city, email=False)
    assert api_client_for("hengqin").get("/api/v1/inbox/").json()["results"] == []


def test_each_recipient_gets_one_email_in_their_language(users, english_city,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send(users, english_city)
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 2
    assert by_address[users["macau"].email].subject == HANT
    assert by_address[english_city.email].subject == ENGLISH
    assert by_address[english_city.email].body.startswith("The reason is given")


def test_old_plain_rows_still_display(client_for, users):
    Notification.objects.create(recipient=users["macau"], title="舊消息：個案已共享", body="")
    assert "舊消息：個案已共享" in client_for("macau").get(reverse("inbox")).content.decode()


def test_parameters_are_rendered_in_the_readers_language(agencies, django_assert_num_queries):
    text = Text(gettext_lazy("Due %(date)s"), date=date(2026, 2, 17))
    with translation.override("en"):
        english = str(text)
    with translation.override("zh-hant"):
        traditional = str(text)
    assert english == "Due Feb. 17, 2026"
    assert "2026年2月17日" in traditional
    agency = Text(gettext_lazy("%(agency)s acknowledged the urgent notification"),
                  agency=agencies["mo-ias"])
    with translation.override("en"):
        assert str(agency).startswith(agencies["mo-ias"].name_en)
    with translation.override("zh-hant"), django_assert_num_queries(0):  # names kept in it
        assert Text.from_json(agency.to_json()).render().startswith(
            agencies["mo-ias"].name_zh_hant)


def test_nested_texts_choice_labels_and_contexts_are_kept_as_keys(agencies):
    from cases.models import Meeting

    meeting = Meeting(kind=Meeting._meta.get_field("kind").choices[0][0],
                      starts_at=datetime(2026, 3, 2, 1, 30, tzinfo=dt_timezone.utc))
    reference = Text(gettext_lazy("%(kind)s of %(when)s"), kind=choice_label(meeting, "kind"),
                     when=meeting.starts_at)
    title = Text(gettext_lazy("Invitation: %(meeting)s"), meeting=reference)
    restored = Text.from_json(title.to_json())
    assert restored == title
    label = Meeting._meta.get_field("kind").choices[0][1]
    with translation.override("en"):
        assert str(label) in str(restored)
    with translation.override("zh-hant"):
        assert str(label) in str(restored) and "2026年3月2日" in str(restored)
    approve = Text(pgettext_lazy("infosharing", "Approve"))
    assert approve.to_json() == {"msgid": "Approve", "context": "infosharing"}
    late = Text(gettext_lazy("Due %(date)s"), date=Since(
        datetime(2026, 1, 1, tzinfo=dt_timezone.utc),
        datetime(2026, 1, 1, tzinfo=dt_timezone.utc) + timedelta(hours=3)))
    with translation.override("en"):
        assert "3" in str(late) and "hour" in str(late)


def test_a_translated_string_is_not_mistaken_for_a_key():
    with translation.override("zh-hans"):
        frozen = gettext("Inbox")
    assert as_text(frozen) == frozen  # kept as the text it is
    with pytest.raises(TypeError):
        Text(frozen)


def test_new_macau_accounts_default_to_traditional_chinese(agencies):
    assert ensure_user("mo_new", agencies["mo-ias"], Role.MACAU).staff.language == "zh-hant"
    assert ensure_user("hq_new", agencies["hq-livelihood"],
                       Role.HENGQIN).staff.language == "zh-hans"
    from django.forms import modelform_factory

    from core.models import StaffProfile

    Form = modelform_factory(StaffProfile, form=StaffProfileForm, exclude=["user"])
    form = Form(data={"agency": agencies["mo-ias"].pk, "language": "zh-hans",
                                  "title": "", "phone": ""},
                            initial={"language": "zh-hans"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["language"] == "zh-hant"  # untouched: the agency's default
    chosen = Form(data={"agency": agencies["mo-ias"].pk, "language": "en",
                                    "title": "", "phone": ""}, initial={"language": "zh-hans"})
    assert chosen.is_valid() and chosen.cleaned_data["language"] == "en"
