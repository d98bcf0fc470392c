"""Issue 23, finding 3, for temporary relief's notices: overdue fast-track paperwork is named
by the application's number and the fund alert by the fund and its balance — never the
applicant nor what the officer typed about the household."""
from datetime import timedelta
from decimal import Decimal

import pytest

from tempaid import services
from tempaid.models import Fund

pytestmark = pytest.mark.django_db


def test_relief_notices_carry_no_personal_data(users, case, fund, make_application,
                                               messages_sent):
    with messages_sent.capture():
        late = make_application("800", fast_track=True)
        services.applications_flag_overdue_paperwork(today=late.paperwork_due + timedelta(days=1))
        Fund.objects.filter(pk=fund.pk).update(low_balance_threshold=Decimal("200000"))
        assert services.fund_low_balance_alert_send(fund_id=fund.pk)
    person = case.subject
    messages_sent.assert_free_of(
        [person.name_zh, person.phone, person.address, late.description,
         late.household_situation, *person.documents.values_list("number", flat=True)],
        kinds={"tempaid.paperwork_overdue", "tempaid.fund_low"})
    assert any(late.number in text for text in messages_sent.texts())
