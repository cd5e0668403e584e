"""Producing, archiving and downloading letters: access on both sides, audit, hash, sources."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from statushouders import register
from statushouders.letters import archive, sources
from statushouders.letters.contexts import PlanAction, PlanSummary
from statushouders.models import AuditEntry, LetterRecord
from statushouders.policy import AccessDenied

from ...conftest import TODAY

INTAKE = {"date": "2026-12-03", "time": "10:00", "place": "Gemeentehuis, kamer 2.14"}


@pytest.fixture
def yonas(session, chain, make_form):
    person = register.register(session, chain["regisseur"], make_form(address="Larenseweg 12, 1221 CM Hilversum"), [], TODAY)
    register.link_partner(session, chain["regisseur"], person.id, chain["orgs"]["taalschool"].id, TODAY)
    return person


def test_the_regisseur_produces_an_intake_invitation_that_is_archived_and_audited(session, chain, yonas):
    record = archive.produce(session, chain["regisseur"], yonas.id, "intake_invitation", INTAKE, TODAY)
    assert record.language == "ti_ER"
    assert record.sha256 == hashlib.sha256(record.pdf).hexdigest()
    assert record.produced_by_name == chain["regisseur"].name and record.organisation == "Gemeente Hilversum"
    assert record.template_version and record.catalog_version.startswith("ti_ER:")
    assert record.gaps == []
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()[-1]
    assert entry.person_id == yonas.id and record.reference in entry.what


def test_the_letter_list_shows_each_letter_and_each_can_be_downloaded_again(session, chain, yonas):
    first = archive.produce(session, chain["regisseur"], yonas.id, "intake_invitation", INTAKE, TODAY)
    second = archive.produce(session, chain["regisseur"], yonas.id, "progress_talk", INTAKE, TODAY)
    rows = archive.list_letters(session, chain["regisseur"], yonas.id, TODAY)
    assert [row.letter_id for row in rows] == [second.id, first.id]
    assert rows[0].label == "Uitnodiging voortgangsgesprek" and rows[0].language_name == "Tigrinya"
    name, data = archive.fetch(session, chain["regisseur"], first.id, TODAY)
    assert data == first.pdf and name.endswith("-intake_invitation-ti_ER.pdf")
    whats = session.scalars(select(AuditEntry.what).where(AuditEntry.person_id == yonas.id)).all()
    assert any(w.startswith("brief gedownload") for w in whats) and "brievenlijst bekeken" in whats


def test_a_tampered_archive_copy_is_refused(session, chain, yonas):
    record = archive.produce(session, chain["regisseur"], yonas.id, "intake_invitation", INTAKE, TODAY)
    record.pdf = record.pdf + b"x"
    session.flush()
    with pytest.raises(ValueError, match="beschadigd"):
        archive.fetch(session, chain["regisseur"], record.id, TODAY)


def test_another_municipality_may_not_produce_list_or_download(session, chain, yonas):
    record = archive.produce(session, chain["regisseur"], yonas.id, "intake_invitation", INTAKE, TODAY)
    with pytest.raises(AccessDenied):
        archive.prepare(session, chain["utrecht"], yonas.id, "intake_invitation", INTAKE, TODAY)
    with pytest.raises(AccessDenied):
        archive.list_letters(session, chain["utrecht"], yonas.id, TODAY)
    with pytest.raises(AccessDenied):
        archive.fetch(session, chain["utrecht"], record.id, TODAY)


def test_the_language_school_sees_only_its_enrolment_letters(session, chain, yonas):
    archive.produce(session, chain["regisseur"], yonas.id, "intake_invitation", INTAKE, TODAY)
    school_letter = archive.produce(
        session, chain["taalschool"], yonas.id, "school_enrolment",
        {"date": "2027-01-05", "time": "09:00", "weekdays": "ma,wo,do", "hours": "12"}, TODAY,
    )
    rows = archive.list_letters(session, chain["taalschool"], yonas.id, TODAY)
    assert [row.letter_id for row in rows] == [school_letter.id]
    with pytest.raises(AccessDenied, match="Uitnodiging brede intake"):
        archive.prepare(session, chain["taalschool"], yonas.id, "intake_invitation", INTAKE, TODAY)


def test_bad_options_come_back_as_dutch_field_messages(session, chain, yonas):
    with pytest.raises(sources.OptionErrors) as caught:
        archive.prepare(session, chain["regisseur"], yonas.id, "intake_invitation", {"date": "3-12-2026"}, TODAY)
    assert "jjjj-mm-dd" in caught.value.errors["date"] and "tijd" in caught.value.errors["time"]


def test_plan_and_budget_letters_say_plainly_that_their_data_is_not_there_yet(session, chain, yonas):
    for letter_type in ("plan_summary", "pip_summary", "ontzorgen_decision", "payment_overview", "ontzorgen_end"):
        assert sources.available(letter_type)  # the plan and budget modules registered their sources
        with pytest.raises(sources.NotAvailable, match="nog geen"):
            archive.prepare(session, chain["regisseur"], yonas.id, letter_type, {}, TODAY)
    assert session.scalar(select(LetterRecord.id)) is None


def test_a_registered_plan_source_makes_the_plan_letter_available(session, chain, yonas, monkeypatch):
    monkeypatch.setitem(sources._BUILDERS, "plan_summary", sources._BUILDERS["plan_summary"])

    @sources.register("plan_summary")
    def plan(session_, actor, person_id, options):
        return PlanSummary(**sources.common(session_, actor, person_id, options),
                           actions=(PlanAction("Aanmelden bij de huisarts", "VluchtelingenWerk", TODAY),))

    record = archive.produce(session, chain["regisseur"], yonas.id, "plan_summary", {}, TODAY)
    assert record.letter_type == "plan_summary" and sources.available("plan_summary")
