"""List reads are audited per person shown; the duplicate check shows no one of another municipality (issue 14.7)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from statushouders import plans, register
from statushouders.budget import checks, runs, service
from statushouders.models import AuditEntry
from statushouders.register import DuplicateFound, FormErrors

TODAY = date(2026, 11, 22)


def _reads(session, what_contains: str) -> list[tuple[int | None, str]]:
    rows = session.execute(select(AuditEntry.person_id, AuditEntry.user_name).where(
        AuditEntry.action == "read", AuditEntry.what.contains(what_contains)).order_by(AuditEntry.id)).all()
    return [tuple(r) for r in rows]


def _yonas_in_utrecht(session, chain, make_form, **overrides):
    return register.register(session, chain["utrecht"], make_form(municipality="Utrecht", **overrides), [], TODAY,
                             confirmed=True)


def test_person_list_audits_each_person_on_the_page_and_no_one_else(session, chain, make_form):
    shown = [register.register(session, chain["regisseur"], make_form(
        v_number=f"21000000{n:02d}", bsn="", family_name=f"Tesfay{chr(65 + n)}"), [], TODAY) for n in range(3)]
    elsewhere = _yonas_in_utrecht(session, chain, make_form, v_number="2100000099", bsn="")
    rows, total = register.list_persons(session, chain["regisseur"], TODAY, page=0, page_size=2)
    assert total == 3 and len(rows) == 2
    audited = {pid for pid, _who in _reads(session, "in lijst getoond")}
    assert audited == {r.person_id for r in rows}
    assert shown[2].id not in audited and elsewhere.id not in audited
    assert _reads(session, "lijst bekeken")  # the summary row stays


def _with_plan_action(session, chain, person):
    actor = chain["regisseur"]
    plans.schedule_intake(session, actor, person.id, f"{TODAY.isoformat()}T10:00", "Stadhuis", TODAY,
                          reason="op verzoek van de persoon")  # TODAY is a Sunday
    plans.add_action(session, actor, person.id, {
        "domain": "financien", "what": "Bankrekening openen", "kind": "begeleid",
        "owner_id": str(chain["orgs"]["gemeente"].id), "due_date": "2026-12-15", "status": "open"}, TODAY)


def test_my_actions_audits_each_person_shown(session, chain, make_form):
    mine = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    _with_plan_action(session, chain, mine)
    other = _yonas_in_utrecht(session, chain, make_form, v_number="2100000099", bsn="")
    rows = plans.my_actions(session, chain["regisseur"], TODAY)
    assert {r["person_id"] for r in rows} == {str(mine.id)}
    assert [pid for pid, _ in _reads(session, "in mijn acties getoond")] == [mine.id]
    assert other.id not in {pid for pid, _ in _reads(session, "getoond")}
    assert _reads(session, "mijn acties bekeken")


def test_payment_run_detail_audits_each_person_whose_payment_is_shown(session, chain, make_form):
    fin = chain["financien"]
    people = []
    for n in range(2):
        person = register.register(session, chain["regisseur"], make_form(
            v_number=f"21000001{n:02d}", bsn="", family_name=f"Tesfay{chr(65 + n)}", iban="NL20INGB0001234567"),
            [], TODAY)
        service.save_benefit(session, fin, person.id, {"benefit_start": "2026-06-01", "household_kind": "single"},
                             TODAY)
        service.add_fixed_cost(session, fin, person.id, {
            "category": "rent", "creditor_name": "Dudok Wonen", "creditor_iban": "NL63TRIO0212345678",
            "amount": "650,00", "day_of_month": "1",
            "reference": checks.make_betalingskenmerk("30000000000010" + str(n))}, TODAY)
        people.append(person)
    run = runs.prepare_run(session, fin, date(2026, 12, 1))
    detail = runs.run_payments(session, fin, run.id, limit=1)
    assert detail["shown"] == 1
    audited = [pid for pid, _ in _reads(session, f"betaling getoond in betaalrun {run.id}")]
    assert audited == [people[0].id]  # only the person on the rows shown, not the whole run


# --- the duplicate check --------------------------------------------------------------------------------


def test_duplicate_in_own_municipality_is_shown_and_audited(session, chain, make_form):
    existing = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    twin = make_form(v_number="2100000099", bsn="")
    found = register.precheck(session, chain["regisseur"], twin, [], TODAY)
    assert found.hard == {} and "Yonas Tesfay, geboren 2007-03-14, gemeente Hilversum" in found.soft[0]
    assert [pid for pid, _ in _reads(session, "dubbele registratie getoond")] == [existing.id]
    with pytest.raises(DuplicateFound) as warned:
        register.register(session, chain["regisseur"], twin, [], TODAY)
    assert "Yonas Tesfay" in warned.value.matches[0]


def test_duplicate_in_another_municipality_says_only_whom_to_contact(session, chain, make_form):
    existing = _yonas_in_utrecht(session, chain, make_form)
    twin = make_form(v_number="2100000099", bsn="")
    found = register.precheck(session, chain["regisseur"], twin, [], TODAY)
    assert found.hard == {} and len(found.soft) == 1
    line = found.soft[0]
    assert "Gemeente Utrecht" in line and "andere gemeente" in line
    for personal in ("Yonas", "Tesfay", "2007-03-14", str(existing.id)):
        assert personal not in line
    audited = _reads(session, "andere gemeente; geen gegevens getoond")
    assert audited == [(existing.id, "Regisseur")]
    with pytest.raises(DuplicateFound) as warned:
        register.register(session, chain["regisseur"], twin, [], TODAY)
    assert "Yonas" not in " ".join(warned.value.matches)


def test_same_bsn_or_v_number_elsewhere_names_no_person(session, chain, make_form):
    existing = _yonas_in_utrecht(session, chain, make_form)
    other = make_form(given_names="Ander", family_name="Iemand", birth_date="1990-01-01")
    found = register.precheck(session, chain["regisseur"], other, [], TODAY)
    assert set(found.hard) == {"bsn", "v_number"} and found.soft == []
    for message in found.hard.values():
        assert "Gemeente Utrecht" in message and "Yonas" not in message and "2007" not in message
    assert {pid for pid, _ in _reads(session, "andere gemeente; geen gegevens getoond")} == {existing.id}
    with pytest.raises(FormErrors) as refused:
        register.register(session, chain["regisseur"], other, [], TODAY)
    assert "Yonas" not in " ".join(refused.value.errors.values())


def test_same_bsn_in_own_municipality_still_points_to_the_file(session, chain, make_form):
    existing = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    found = register.precheck(session, chain["regisseur"], make_form(given_names="Ander", family_name="Iemand"),
                              [], TODAY)
    assert "Zoek het bestaande dossier op" in found.hard["bsn"]
    assert {pid for pid, _ in _reads(session, "dubbele registratie gemeld")} == {existing.id}


def test_precheck_is_for_the_regisseur_only_and_reports_form_errors(session, chain, make_form):
    from statushouders.policy import AccessDenied

    _yonas_in_utrecht(session, chain, make_form)
    with pytest.raises(AccessDenied):
        register.precheck(session, chain["taalschool"], make_form(), [], TODAY)
    found = register.precheck(session, chain["regisseur"], make_form(bsn="123"), [], TODAY)
    assert "bsn" in found.hard and not _reads(session, "dubbele registratie")
