"""camt.053 import closes the loop: booked, returned (reason codes), re-sent in the next run, income, refused files.

Statements are generated in the test (tests/unit/budget/camt.py) and validated by the import against the
official ISO 20022 XSD. December: 3 persons × (rent € 650,00, energy € 120,00, water € 25,00, health
insurance € 155,00, leefgeld € 376,62) = 15 exported payments.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import func, select

from statushouders import db
from statushouders.budget import bank, runs, views
from statushouders.models import AuditEntry, BankStatement, BankStatementLine, Payment, PaymentReturn
from statushouders.policy import AccessDenied
from statushouders.register import FormErrors

from .camt import Entry, statement
from .test_payment_runs import DEC, TODAY, _person_with_budget, _second_financien
from ..test_concurrency import _all_at_once

JAN = date(2027, 1, 1)
ACCOUNT = "NL91ABNA0417164300"  # config.debtor_for("Hilversum")


@pytest.fixture
def exported(session, chain, make_form):
    people = [_person_with_budget(session, chain, make_form, n) for n in range(3)]
    second = _second_financien(session, chain)
    session.commit()
    fin = chain["financien"]
    with db.session_scope(session.get_bind().url.render_as_string(hide_password=False)) as s:
        run_id = runs.prepare_run(s, fin, DEC).id
        runs.approve_run(s, second, run_id, TODAY)
    return fin, second, people


def _e2e(person, cost="LG"):
    return f"EP{person.id}-{cost}-202612"


def _cost_ids(url, person):
    with db.session_scope(url) as s:
        return {c: i for c, i in s.execute(select(Payment.category, Payment.fixed_cost_id)
                                           .where(Payment.person_id == person.id, Payment.kind == "fixed_cost"))}


def _december_statement(url, people, **kwargs) -> bytes:
    a, b, c = people
    rent_a, energy_b = _cost_ids(url, a)["rent"], _cost_ids(url, b)["energy"]
    entries = [Entry(65000, end_to_end_id=_e2e(p, f"FC{_cost_ids(url, p)['rent']}")) for p in people]
    entries += [
        Entry(37662, end_to_end_id=_e2e(a), counterparty="Yonas TesfayA", iban="NL20INGB0001234567"),
        Entry(65000, credit=True, end_to_end_id=_e2e(a, f"FC{rent_a}"), reason="AC04"),  # rent back: closed account
        Entry(12000, credit=True, end_to_end_id=_e2e(b, f"FC{energy_b}"), reason="AM04"),  # energy back
        Entry(37662, credit=True, end_to_end_id=_e2e(c), reason="MD07"),  # leefgeld back: deceased
        Entry(8700, credit=True, counterparty="Belastingdienst Toeslagen", iban="NL86INGB0002445588",
              remittance=f"ZORGTOESLAG 2026 {_v_number(url, b)}"),
        Entry(4321, end_to_end_id="UNKNOWN-123", counterparty="Onbekend"),
        Entry(2500, end_to_end_id=_e2e(a, f"FC{_cost_ids(url, a)['water']}"), booked=False),  # pending: not yet
    ]
    return statement(entries, **kwargs)


def _v_number(url, person):
    from statushouders.models import Person
    with db.session_scope(url) as s:
        return s.get(Person, person.id).v_number


def test_booked_returned_income_and_unmatched_lines(db_url, exported):
    fin, second, people = exported
    a, b, c = people
    data = _december_statement(db_url, people)
    with db.session_scope(db_url) as s:
        result = bank.import_statement(s, fin, data, "afschrift.xml")
    assert (result.lines, result.booked, result.returned, result.income, result.unmatched) == (10, 4, 3, 1, 1)
    with db.session_scope(db_url) as s:
        returns = {r.reason_code: r for r in s.scalars(select(PaymentReturn))}
        assert set(returns) == {"AC04", "AM04", "MD07"}
        assert returns["AC04"].amount_cents == 65000 and returns["AC04"].iban == "NL63TRIO0212345678"
        overview = views.payment_overview(s, a.id, DEC)
        rent = [p for p in overview["paid"] if p["category"] == "rent"]
        assert rent == []  # returned: not paid
        assert {p["category"]: p["booked_on"] for p in views.payment_overview(s, b.id, DEC)["paid"]}["rent"] == \
            date(2026, 12, 2)
        page = views.budget_page(s, fin, a.id, TODAY)
        signal = next(x for x in page.bank if x["kind"] == "return")
        assert signal["reason"] == "AC04 Rekening opgeheven" and signal["amount"] == "€ 650,00" and signal["open"]
        assert any("teruggekomen" in w and "AC04" in w for w in page.warnings)
        income = next(x for x in views.budget_page(s, fin, b.id, TODAY).bank if x["kind"] == "income")
        assert income["amount"] == "€ 87,00" and income["reason"] == "Zorgtoeslag"
        listing = bank.statements(s, fin)
        assert [u["end_to_end_id"] for u in listing["unmatched"]] == ["UNKNOWN-123"]
        per_person = s.scalars(select(AuditEntry.what).where(AuditEntry.person_id == c.id)).all()
        assert any("teruggekomen" in w and "MD07 Rekeninghouder overleden" in w for w in per_person)
        assert any("bankafschrift STMT-2026-12-02 geïmporteerd" in w for w in per_person)


def test_returned_payment_is_sent_again_in_the_next_run_with_a_new_id(db_url, exported):
    fin, second, people = exported
    a, b, c = people
    with db.session_scope(db_url) as s:
        bank.import_statement(s, fin, _december_statement(db_url, people))
    with db.session_scope(db_url) as s:
        jan = runs.prepare_run(s, fin, JAN)
        again = s.scalars(select(Payment).where(Payment.run_id == jan.id, Payment.attempt == 2)).all()
        # AM04 (insufficient funds) goes again as is; AC04 and MD07 wait for a new IBAN.
        assert [(p.person_id, p.category, p.month, p.amount_cents) for p in again] == [(b.id, "energy", DEC, 12000)]
        assert again[0].end_to_end_id.endswith("-202612-R2") and again[0].resend_of is not None
        assert any("wacht op een nieuw IBAN" in p and "AC04" in p for p in jan.problems)
        assert jan.payment_count == 15 + 1
    with pytest.raises(FormErrors) as same, db.session_scope(db_url) as s:
        bank.correct_return(s, fin, _e2e(a, f"FC{_cost_ids(db_url, a)['rent']}"), "NL63 TRIO 0212 3456 78")
    assert "nieuwe IBAN" in same.value.errors["iban"]
    with db.session_scope(db_url) as s:
        bank.correct_return(s, fin, _e2e(a, f"FC{_cost_ids(db_url, a)['rent']}"), "NL02 ABNA 0123 4567 89")
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, jan.id, TODAY)
        correction = runs.prepare_run(s, fin, JAN)  # the corrected rent goes in the next (correction) run
        resent = s.scalars(select(Payment).where(Payment.run_id == correction.id)).all()
        assert [(p.person_id, p.category, p.creditor_iban, p.amount_cents) for p in resent] == [
            (a.id, "rent", "NL02ABNA0123456789", 65000)]
    with db.session_scope(db_url) as s:
        runs.approve_run(s, second, correction.id, TODAY)
        page = views.budget_page(s, fin, a.id, TODAY)
        assert "Opnieuw verstuurd naar NL02ABNA0123456789" in next(x["state"] for x in page.bank if x["kind"] == "return")
        with pytest.raises(runs.RunError):  # nothing more to send: never twice
            runs.prepare_run(s, fin, JAN)


def _nothing_changed(url, statements_before: int = 0):
    with db.session_scope(url) as s:
        assert s.scalar(select(func.count(BankStatement.id))) == statements_before
        assert s.scalar(select(func.count(PaymentReturn.id))) == (0 if not statements_before else 3)


def test_the_same_file_or_statement_imported_twice_changes_nothing(db_url, exported):
    fin, second, people = exported
    data = _december_statement(db_url, people)
    with db.session_scope(db_url) as s:
        bank.import_statement(s, fin, data)
    with db.session_scope(db_url) as s, pytest.raises(bank.StatementError, match="al geïmporteerd"):
        bank.import_statement(s, fin, data)
    other_bytes = _december_statement(db_url, people, message_id="OTHER-MSG")  # same statement id, new file
    with db.session_scope(db_url) as s, pytest.raises(bank.StatementError, match="al geïmporteerd"):
        bank.import_statement(s, fin, other_bytes)
    _nothing_changed(db_url, 1)
    with db.session_scope(db_url) as s:
        assert s.scalar(select(func.count(BankStatementLine.id))) == 10
    # The same return in a camt.054 notification as well: still one return.
    with db.session_scope(db_url) as s:
        bank.import_statement(s, fin, _december_statement(db_url, people, version="camt.054.001.08",
                                                          statement_id="NTF-2026-12-02"))
        assert s.scalar(select(func.count(PaymentReturn.id))) == 3


def test_simultaneous_imports_of_one_file_import_it_once(db_url, exported):
    fin, second, people = exported
    data = _december_statement(db_url, people)

    def call():
        with db.session_scope(db_url) as s:
            return bank.import_statement(s, fin, data).lines

    outcomes = _all_at_once([call] * 4)
    assert outcomes.count(10) == 1, outcomes
    assert all(isinstance(o, bank.StatementError) and "al geïmporteerd" in str(o) for o in outcomes if o != 10)
    with db.session_scope(db_url) as s:
        assert s.scalar(select(func.count(BankStatementLine.id))) == 10
        assert s.scalar(select(func.count(PaymentReturn.id))) == 3


@pytest.mark.parametrize("data, message", [
    (b"", "leeg"),
    (b"dit is geen xml", "geen geldig XML"),
    (b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'><BkToCstmrStmt>",
     "geen geldig XML"),
    (b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:pain.001.001.09'/>", "pain.001.001.09"),
    (b"<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:camt.053.001.02'><BkToCstmrStmt/>"
     b"</Document>", "ISO 20022-schema camt.053.001.02"),
])
def test_bad_files_get_a_clear_message_and_change_nothing(db_url, exported, data, message):
    fin, _second, _people = exported
    with db.session_scope(db_url) as s, pytest.raises(bank.StatementError, match=message) as refused:
        bank.import_statement(s, fin, data)
    assert "niets" in str(refused.value) or "leeg" in str(refused.value)
    _nothing_changed(db_url)


def test_statement_of_another_account_is_refused(db_url, exported):
    fin, _second, people = exported
    with db.session_scope(db_url) as s, pytest.raises(bank.StatementError, match="NL20INGB0001234567"):
        bank.import_statement(s, fin, _december_statement(db_url, people, account="NL20INGB0001234567"))
    _nothing_changed(db_url)


def test_only_financien_imports_and_lines_are_matched_by_hand(db_url, exported, chain):
    fin, second, people = exported
    data = _december_statement(db_url, people)
    for actor in (chain["regisseur"], chain["budgetcoach"]):
        with db.session_scope(db_url) as s, pytest.raises(AccessDenied):
            bank.import_statement(s, actor, data)
    _nothing_changed(db_url)
    with db.session_scope(db_url) as s:
        bank.import_statement(s, fin, data)
    with db.session_scope(db_url) as s:
        line_id = int(bank.statements(s, fin)["unmatched"][0]["id"])
    with db.session_scope(db_url) as s, pytest.raises(bank.StatementError, match="Geen verstuurde betaling"):
        bank.match_line(s, fin, line_id, "EP-NOPE")
    with db.session_scope(db_url) as s, pytest.raises(bank.StatementError, match="past niet"):
        bank.match_line(s, fin, line_id, _e2e(people[0]))  # € 43,21 is not the leefgeld of € 376,62
    with db.session_scope(db_url) as s, pytest.raises(AccessDenied):
        bank.match_line(s, chain["utrecht"], line_id, _e2e(people[0]))


def test_own_view_says_paid_only_once_the_bank_booked_it(db_url, exported):
    """The person reads "Betaald op 2 december 2026" next to the rent only after the statement booked it;
    water (pending on the statement) and a returned rent never say paid."""
    from statushouders import own_view
    from statushouders.models import Person

    fin, second, people = exported
    a, b, c = people

    def paid_on(person):
        with db.session_scope(db_url) as s:
            lines, _next = own_view.money(s, s.get(Person, person.id), "nl", DEC)
        return [(line["label"], line["paid_on"]) for line in lines if line["creditor"]]

    assert {day for _label, day in paid_on(b)} == {""}  # exported, but the bank has not confirmed anything yet
    with db.session_scope(db_url) as s:
        bank.import_statement(s, fin, _december_statement(db_url, people), "afschrift.xml")
    b_lines, a_lines = paid_on(b), paid_on(a)
    assert [(label, day) for label, day in b_lines if day] == [("Huur", "2 december 2026")]  # only the rent was booked
    assert a_lines and all(day == "" for _label, day in a_lines)  # a's rent came back (AC04), a's water is still pending


def test_the_payment_letter_after_a_returned_bill_says_it_is_paid_again(db_url, exported):
    """Rent € 650,00 came back (AC04): the letter does not count it as paid, sets it aside, and still
    tells the person the leefgeld that was transferred (€ 376,62)."""
    from io import BytesIO

    from pypdf import PdfReader

    from statushouders.letters import archive

    fin, second, people = exported
    a = people[0]
    with db.session_scope(db_url) as s:
        bank.import_statement(s, fin, _december_statement(db_url, people))
    with db.session_scope(db_url) as s:
        letter = archive.prepare(s, fin, a.id, "payment_overview", {"month": "2026-12"}, TODAY)
        assert [(line.payee, line.amount) for line in letter.returned] == [("Dudok Wonen", D("650.00"))]
        assert [line.kind for line in letter.payments] == ["energy", "water", "health_insurance"]
        assert letter.leefgeld == letter.transferred == D("376.62")
        record = archive.store(s, fin, a.id, archive.render_letter(letter), letter)
        text = " ".join(p.extract_text() for p in PdfReader(BytesIO(record.pdf)).pages).replace("\xa0", " ")
    assert "Wij hebben 3 rekeningen voor u betaald." in text
    assert "De bank kon 1 betaling niet uitvoeren. Wij betalen die rekening opnieuw." in text
    assert "wij betalen opnieuw" in text


def test_a_returned_leefgeld_stops_the_payment_letter_with_the_bank_reason(db_url, exported):
    """The leefgeld (€ 376,62) came back with MD07: the letter would say money arrived that did not.
    It refuses, and says why in plain words, not as a transfer mismatch."""
    from statushouders.letters import archive
    from statushouders.letters.budget_sources import Inconsistent

    fin, second, people = exported
    c = people[2]
    with db.session_scope(db_url) as s:
        bank.import_statement(s, fin, _december_statement(db_url, people))
    with db.session_scope(db_url) as s:
        assert views.payment_overview(s, c.id, DEC)["leefgeld_returned"] == [{"amount": D("376.62"), "reason": "MD07"}]
        with pytest.raises(Inconsistent) as refused:
            archive.prepare(s, fin, c.id, "payment_overview", {"month": "2026-12"}, TODAY)
    message = str(refused.value)
    assert "de bank heeft het leefgeld van 12-2026 (€ 376,62) teruggestuurd: MD07 Rekeninghouder overleden" in message
    assert "overmaakt" not in message  # not the transfer-mismatch refusal
