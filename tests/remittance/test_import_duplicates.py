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


def test_the_commit_keeps_the_previews_flags_without_comparing_names_again(users, monkeypatch):
    """Comparing every new name with the register took a fifth of a 20,000-row import, twice.
    The commit keeps what the preview flagged (and the officer saw), for the rows that still
    register someone new; a row whose person was registered meanwhile is no longer flagged."""
    existing = person_register(actor=users["district"], name_zh="陈大文", sex=Sex.MALE,
                               date_of_birth=date(1950, 3, 4),
                               residence_status=ResidenceStatus.MACAU_RESIDENT,
                               document_type="macau_id", document_number="7654321(0)",
                               district="xiangzhou")
    rows = [row(1, name="陳大文"), row(2, name="李四"), row(3, name="陳大文")]
    run = services.roster_import_preview(actor=users["finwork"],
                                         uploaded_file=upload(csv_bytes(rows)))
    assert [entry["row"] for entry in run.preview["diff"]["possible_duplicates"]] == [2, 4]
    # meanwhile the third row's person is registered with its Macau ID: found, not new
    third = run.preview["rows"][2]
    person_register(actor=users["district"], name_zh="陳大文", sex=Sex.MALE,
                    date_of_birth=date.fromisoformat(third["date_of_birth"]),
                    residence_status=ResidenceStatus.MACAU_RESIDENT,
                    document_type="macau_id", document_number=third["macau_id"],
                    district="xiangzhou")

    def not_again(*args, **kwargs):
        raise AssertionError("the commit compared the names with the register again")
    monkeypatch.setattr("remittance.roster_import.match_many", not_again)
    run = services.roster_import_commit(actor=users["finwork"], import_run=run)
    assert run.summary["possible_duplicates"] == 1
    assert run.summary["diff"]["possible_duplicates"] == [
        {"row": 2, "ias_case_no": "IAS-00001", "people": [existing.pk]}]
