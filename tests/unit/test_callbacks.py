""""Call me" from the own view: who may ask whom, who sees the request, who handles it, and the audit log."""

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from statushouders import callbacks, own_messages, own_view, register
from statushouders.models import AuditEntry, CallbackRequest, Organisation
from statushouders.policy import AccessDenied

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)


def _org(session, kind):
    return session.scalars(select(Organisation).where(Organisation.kind == kind).order_by(Organisation.id)).first()


@pytest.fixture
def person(session, chain, make_form):
    """Yonas in Hilversum: the taalschool by contract, VluchtelingenWerk by consent, no budget coach."""
    yonas = register.register(session, chain["regisseur"], make_form(), [], TODAY)
    register.link_partner(session, chain["regisseur"], yonas.id, _org(session, "taalschool").id, TODAY)
    register.record_consent(session, chain["regisseur"], yonas.id, _org(session, "vwn").id, "ti_ER", True, TODAY)
    return yonas


def _audit(session, what_starts):
    return session.scalars(select(AuditEntry).where(AuditEntry.what.startswith(what_starts))).all()


def test_person_asks_a_partner_once_and_a_second_press_says_when(session, person):
    vwn = _org(session, "vwn")
    first = callbacks.request(session, person, vwn.id, "morning", "ti", NOW)
    assert first.created and first.organisation == vwn.name and first.part_of_day == "morning"
    again = callbacks.request(session, person, vwn.id, "afternoon", "ti", NOW + timedelta(hours=2))
    assert not again.created and again.request_id == first.request_id
    assert again.requested_at == NOW and again.part_of_day == "morning"
    rows = session.scalars(select(CallbackRequest)).all()
    assert len(rows) == 1 and rows[0].language == "ti_ER"
    entries = _audit(session, "terugbelverzoek aan")
    assert len(entries) == 1 and entries[0].organisation == "Statushouder zelf" and entries[0].person_id == person.id


def test_unknown_part_of_day_or_language_from_the_browser_is_harmless(session, person):
    made = callbacks.request(session, person, _org(session, "gemeente").id, "<script>", "xx", NOW)
    row = session.get(CallbackRequest, made.request_id)
    assert row.part_of_day == "" and row.language == person.letter_language


@pytest.mark.parametrize("kind", ["budgetcoach"])
def test_person_cannot_ask_an_organisation_that_does_not_work_with_them(session, person, kind):
    with pytest.raises(AccessDenied):
        callbacks.request(session, person, _org(session, kind).id, "", "nl", NOW)
    with pytest.raises(AccessDenied):
        callbacks.request(session, person, 999_999, "", "nl", NOW)
    assert session.scalars(select(CallbackRequest)).all() == []


def test_coa_cannot_be_asked_after_the_move(session, chain, person):
    coa = _org(session, "coa")
    assert callbacks.request(session, person, coa.id, "", "nl", NOW).created
    register.set_move_date(session, chain["regisseur"], person.id, "2026-11-01", TODAY)
    session.refresh(person)
    assert callbacks.open_for_staff(session, chain["coa"], TODAY) == []  # COA lost the file, so the request too
    with pytest.raises(AccessDenied):
        callbacks.request(session, person, coa.id, "", "nl", NOW + timedelta(days=1))


def test_staff_of_the_asked_partner_see_the_request_with_phone_and_language(session, chain, person):
    callbacks.request(session, person, _org(session, "vwn").id, "afternoon", "ti_ER", NOW)
    callbacks.request(session, person, _org(session, "gemeente").id, "", "ti_ER", NOW)
    [row] = callbacks.open_for_staff(session, chain["vwn"], TODAY)
    assert (row.person_id, row.phone, row.language, row.interpreter_needed, row.part_of_day) == (
        person.id, "06 1234 5678", "Tigrinya", True, "afternoon")
    assert [r.person_id for r in callbacks.open_for_staff(session, chain["regisseur"], TODAY)] == [person.id]
    # the taalschool works with Yonas but was not asked; Utrecht's gemeente is another gemeente
    assert callbacks.open_for_staff(session, chain["taalschool"], TODAY) == []
    assert callbacks.open_for_staff(session, chain["utrecht"], TODAY) == []
    # the list shows a phone number: the look is in the audit log, and the person sees it
    reads = _audit(session, "terugbelverzoek bekeken")
    assert {e.organisation for e in reads} >= {"VluchtelingenWerk", "Gemeente Hilversum"}
    assert any(line.organisation == "VluchtelingenWerk" for line in own_view.who_looked(session, person))


def test_the_call_back_is_in_the_files_language_even_when_the_person_tapped_another(session, chain, person):
    """Yonas is registered as Tigrinya; he pressed "Bel mij" with the own view set to Arabic."""
    callbacks.request(session, person, _org(session, "vwn").id, "", "ar", NOW)
    [row] = callbacks.open_for_staff(session, chain["vwn"], TODAY)
    assert (row.language, row.asked_in, row.interpreter_needed) == ("Tigrinya", "Arabisch", True)


@pytest.mark.parametrize("role", ["financien", "coordinator", "privacy"])
def test_gemeente_roles_that_are_not_the_persons_contact_are_refused(session, chain, person, role):
    made = callbacks.request(session, person, _org(session, "gemeente").id, "", "nl", NOW)
    with pytest.raises(AccessDenied):
        callbacks.open_for_staff(session, chain[role], TODAY)
    with pytest.raises(AccessDenied):
        callbacks.mark_handled(session, chain[role], made.request_id, NOW)


def test_a_partner_that_loses_access_never_sees_or_handles_the_request(session, chain, person):
    made = callbacks.request(session, person, _org(session, "vwn").id, "", "nl", NOW)
    [consent] = [c for c in own_view.active_consents(session, person)]
    own_view.withdraw_consent(session, person, consent.id, NOW)
    assert callbacks.open_for_staff(session, chain["vwn"], TODAY) == []
    with pytest.raises(AccessDenied):
        callbacks.mark_handled(session, chain["vwn"], made.request_id, NOW)
    row = session.get(CallbackRequest, made.request_id)
    assert row.handled_by is None and row.open_key is None  # lapsed, not handled by anyone


@pytest.mark.parametrize("who", ["person", "regisseur"])
def test_a_request_lapses_with_the_consent_and_does_not_come_back_when_it_is_given_again(session, chain, person, who):
    vwn, gemeente = _org(session, "vwn"), _org(session, "gemeente")
    callbacks.request(session, person, vwn.id, "morning", "ti", NOW)
    callbacks.request(session, person, gemeente.id, "", "ti", NOW)
    [consent] = own_view.active_consents(session, person)
    if who == "person":
        own_view.withdraw_consent(session, person, consent.id, NOW + timedelta(hours=1))
    else:
        register.withdraw_consent(session, chain["regisseur"], consent.id, TODAY)
    assert set(callbacks.open_for_person(session, person)) == {gemeente.id}  # the gemeente still works with Yonas
    assert len(_audit(session, "1 terugbelverzoek(en) vervallen")) == 1

    register.record_consent(session, chain["regisseur"], person.id, vwn.id, "ti_ER", True, TODAY + timedelta(days=7))
    assert callbacks.open_for_staff(session, chain["vwn"], TODAY + timedelta(days=7)) == []
    later = NOW + timedelta(days=7)
    again = callbacks.request(session, person, vwn.id, "afternoon", "ti", later)
    assert again.created and again.requested_at == later


def test_another_partner_cannot_handle_or_see_the_request(session, chain, person):
    made = callbacks.request(session, person, _org(session, "vwn").id, "", "nl", NOW)
    for other in ("taalschool", "regisseur", "budgetcoach"):
        with pytest.raises(AccessDenied):
            callbacks.mark_handled(session, chain[other], made.request_id, NOW)
        assert callbacks.open_for_staff(session, chain[other], TODAY) == []


def test_handling_records_who_and_when_and_the_person_may_ask_again(session, chain, person):
    vwn = _org(session, "vwn")
    made = callbacks.request(session, person, vwn.id, "", "nl", NOW)
    assert callbacks.open_for_person(session, person) == {vwn.id: NOW}
    done = callbacks.mark_handled(session, chain["vwn"], made.request_id, NOW + timedelta(hours=1))
    assert not done.already and done.handled_by == "Vwn" and done.person_id == person.id
    row = session.get(CallbackRequest, made.request_id)
    assert row.handled_by == chain["vwn"].user_id and row.open_key is None
    assert callbacks.open_for_staff(session, chain["vwn"], TODAY) == []
    assert callbacks.open_for_person(session, person) == {}
    twice = callbacks.mark_handled(session, chain["vwn"], made.request_id, NOW + timedelta(hours=2))
    assert twice.already and twice.handled_by == "Vwn"
    assert len(_audit(session, "terugbelverzoek: bereikt")) == 1
    assert callbacks.request(session, person, vwn.id, "", "nl", NOW + timedelta(days=1)).created


def test_a_call_that_does_not_reach_the_person_counts_and_keeps_the_request_open(session, chain, person):
    vwn = _org(session, "vwn")
    made = callbacks.request(session, person, vwn.id, "", "nl", NOW)
    first = callbacks.record_outcome(session, chain["vwn"], made.request_id, callbacks.RETRY, NOW + timedelta(hours=1))
    assert (first.outcome, first.attempts, first.already) == ("retry", 1, False)
    [row] = callbacks.open_for_staff(session, chain["vwn"], TODAY)
    assert (row.attempts, row.last_attempt_at) == (1, NOW + timedelta(hours=1))
    assert callbacks.open_for_person(session, person) == {vwn.id: NOW}  # the person still sees "we will call"
    callbacks.record_outcome(session, chain["vwn"], made.request_id, callbacks.RETRY, NOW + timedelta(hours=3))
    closed = callbacks.record_outcome(session, chain["vwn"], made.request_id, callbacks.NOT_REACHED,
                                      NOW + timedelta(days=1))
    assert (closed.outcome, closed.attempts) == ("not_reached", 3)
    assert callbacks.open_for_staff(session, chain["vwn"], TODAY + timedelta(days=1)) == []
    stored = session.get(CallbackRequest, made.request_id)
    assert (stored.outcome, stored.attempts, stored.handled_by) == ("not_reached", 3, chain["vwn"].user_id)
    assert [e.what for e in _audit(session, "terugbelverzoek:")] == [
        "terugbelverzoek: niet bereikt, opnieuw proberen, poging 1 (VluchtelingenWerk)",
        "terugbelverzoek: niet bereikt, opnieuw proberen, poging 2 (VluchtelingenWerk)",
        "terugbelverzoek: niet bereikt, afgesloten, poging 3 (VluchtelingenWerk)"]
    with pytest.raises(ValueError):  # the browser can send anything
        callbacks.record_outcome(session, chain["vwn"], made.request_id, "<script>", NOW)


def test_own_view_says_we_will_call_then_already_asked_in_the_persons_language(session, person):
    gemeente = _org(session, "gemeente")
    first = own_view.call_me(session, person, gemeente.id, "", "ti_ER", NOW)
    assert first["message"] == own_view.CALLBACK_NEW and first["organisation"] == gemeente.name
    second = own_view.call_me(session, person, gemeente.id, "", "ti_ER", NOW)
    assert second["message"] == own_view.CALLBACK_ALREADY and second["when"] == first["when"]
    rows = {row["organisation"]: row for row in own_view.contact_rows(session, person, "nl", TODAY)}
    assert rows[gemeente.name]["requested"].startswith("22 november 2026")
    assert rows[_org(session, "vwn").name]["requested"] == ""


def test_call_me_words_are_translated_with_their_placeholders_in_every_language():
    words = [own_view.CALLBACK_NEW, own_view.CALLBACK_ALREADY, *own_view.PART_OF_DAY_WORDS.values(),
             own_view.CALLBACK_ASKED,
             "Bel mij", "Wanneer kunnen wij u bellen?"]
    for locale in own_messages.CATALOG.locales:
        table = own_messages.table(locale)
        assert not set(words) & set(own_messages.missing(locale)), locale
        for message in (own_view.CALLBACK_NEW, own_view.CALLBACK_ALREADY, own_view.CALLBACK_ASKED):
            for placeholder in ("{organisation}", "{when}"):
                assert (placeholder in message) == (placeholder in table[message]), (locale, message)
            table[message].format(organisation="X", when="Y")


def test_two_presses_at_the_same_moment_make_one_request(session, person, monkeypatch):
    """The second press checked before the first was stored: the unique open key turns it into "already"."""
    vwn = _org(session, "vwn")
    first = callbacks.request(session, person, vwn.id, "", "nl", NOW)
    real, seen = callbacks._open_request, []

    def not_yet_there(session, person_id, organisation_id):
        seen.append(person_id)
        return None if len(seen) == 1 else real(session, person_id, organisation_id)

    monkeypatch.setattr(callbacks, "_open_request", not_yet_there)
    again = callbacks.request(session, person, vwn.id, "", "nl", NOW + timedelta(seconds=1))
    assert not again.created and again.request_id == first.request_id
    assert len(session.scalars(select(CallbackRequest)).all()) == 1
    assert len(_audit(session, "terugbelverzoek aan")) == 1  # only the savepoint was rolled back


def test_the_case_owner_sees_the_requests_of_their_own_persons_first(session, chain, make_form, person):
    """Yonas asked first, but Selam's case owner sees Selam on top; a colleague sees the oldest first."""
    from statushouders import case_owner, plans
    from statushouders.auth import actor_for
    from statushouders.models import User

    bram_user = User(username="regisseur2", full_name="Bram Bakker", password_hash="!",
                     organisation=chain["orgs"]["gemeente"], role="regisseur")
    session.add(bram_user)
    session.flush()
    bram = actor_for(bram_user)
    selam = register.register(session, chain["regisseur"], make_form(
        given_names="Selam", family_name="Tesfa", v_number="2100000002", bsn="123456782"), [], TODAY)
    plans.schedule_intake(session, chain["regisseur"], person.id, "2026-11-23T10:00", "Stadhuis", TODAY)
    plans.schedule_intake(session, chain["regisseur"], selam.id, "2026-11-23T11:00", "Stadhuis", TODAY)
    case_owner.hand_over(session, chain["regisseur"], selam.id, str(bram.user_id), TODAY)
    gemeente = _org(session, "gemeente").id
    callbacks.request(session, person, gemeente, "", "ti", NOW)
    callbacks.request(session, selam, gemeente, "", "ti", NOW + timedelta(hours=1))

    mine = callbacks.open_for_staff(session, bram, TODAY)
    assert [(r.person_name, r.case_owner, r.mine) for r in mine] == [
        ("Selam Tesfa", "Bram Bakker", True), ("Yonas Tesfay", "Regisseur", False)]
    theirs = callbacks.open_for_staff(session, chain["regisseur"], TODAY)
    assert [(r.person_name, r.mine) for r in theirs] == [("Yonas Tesfay", True), ("Selam Tesfa", False)]
    # partners have no case owner: their list stays oldest first
    assert all(r.case_owner == "" for r in callbacks.open_for_staff(session, chain["vwn"], TODAY))
