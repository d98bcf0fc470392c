"""Roster import: a row that would register someone already in the register under another
document is flagged as a possible duplicate in the import result, not silently created twice."""
from datetime import date

import pytest

from cases.models import ResidenceStatus, Sex
from cases.services import person_register
from remittance import services

from remittance_factories import csv_bytes, row, upload

pytestmark = pytest.mark.django_db


def test_a_row_like_a_registered_person_is_flagged(users, client_for):
    existing = person_register(actor=users["district"], name_zh="陈大文", sex=Sex.MALE,
                               date_of_birth=date(1950, 3, 4),
                               residence_status=ResidenceStatus.MACAU_RESIDENT,
                               document_type="macau_id", document_number="7654321(0)",
                               district="xiangzhou")
    rows = [row(1, name="陳大文"), row(2, name="李四")]
    run = services.roster_import_preview(actor=users["finwork"],
                                         uploaded_file=upload(csv_bytes(rows)))
    flagged = run.preview["diff"]["possible_duplicates"]
    assert flagged == [{"row": 2, "ias_case_no": "IAS-00001", "people": [existing.pk]}]
    page = client_for("finwork").get(f"/remittance/imports/{run.pk}/")
    assert page.status_code == 200
    assert b"import-possible-duplicates" in page.content
    # the commit still reports them: nothing is silently created twice
    run = services.roster_import_commit(actor=users["finwork"], import_run=run)
    assert run.summary["possible_duplicates"] == 1
    assert run.summary["diff"]["possible_duplicates"][0]["people"] == [existing.pk]
