"""The remittance forms submitted exactly as the page prefilled them: no date refused for its
format (issue 26: the rate date was prefilled as 2026年12月5日, which the date field refuses)."""
from datetime import date

import pytest
from django.urls import reverse

from form_values import date_format_errors, prefilled
from remittance.models import Recipient
from remittance_factories import activated, import_rows, row

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_batch_form_as_prefilled(client_for, users, language):
    activated(users["finwork"], [row(1)])
    client = client_for("city")
    client.post(reverse("language_set"), {"language": language})
    page = client.get(reverse("remittance:batch_list")).content.decode()
    html_lang = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}.get(language, language)
    assert f'<html lang="{html_lang}"' in page
    values = prefilled(page, form_id="prepare-form")
    assert values["rate_date"] == date.today().isoformat()
    assert values["period"] == date.today().strftime("%Y-%m")  # no batch yet: this month
    values.update({"rate": "0.87", "rate_source": "中国银行牌价"})  # what the officer types
    response = client.post(reverse("remittance:batch_list"), values)
    assert date_format_errors(response) == []
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.parametrize("step,typed", [
    ("card", {"card-account_no": "6217 8500 0000 0099"}),
    ("fail", {"fail-reason": "联系不上"}),
])
def test_onboarding_forms_as_prefilled(client_for, users, step, typed):
    import_rows(users["finwork"], [row(1)])
    recipient = Recipient.objects.get()
    page = client_for("city").get(reverse("remittance:recipient_detail", args=[recipient.pk]))
    action = reverse("remittance:recipient_action", args=[recipient.pk, step])
    values = {**prefilled(page.content.decode(), action=action), **typed}
    if step == "card":
        from remittance_factories import branch

        values["card-bank_branch"] = branch(users["finwork"]).pk
    response = client_for("city").post(action, values)
    assert date_format_errors(response) == []
    assert response.status_code == 302
