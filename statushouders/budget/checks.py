"""Input checks for the budget forms, each with a clear message (staff UI language) for the field it concerns."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from schwifty import IBAN
from schwifty.exceptions import SchwiftyException

from ..catalogs import staff_text as _
from ..validation import check_in_window, check_text, max_length, parse_date, parse_int, screen_form
from . import config
from .money import parse_amount

# SEPA basic Latin character set (EPC guidelines).
SEPA_ALLOWED = re.compile(r"^[A-Za-z0-9/\-?:().,'+ ]*$")


def check_iban(raw: str) -> str:
    """Normalised IBAN (no spaces, upper case); ValueError with a message for staff otherwise."""
    text = re.sub(r"\s+", "", raw or "").upper()
    if not text:
        raise ValueError(_("Vul een IBAN in."))
    try:
        return str(IBAN(text).compact)
    except SchwiftyException:
        raise ValueError(_(
            "'{iban}' is geen geldig IBAN: controleer de letters en cijfers (bijvoorbeeld NL91 ABNA 0417 1643 00)."
        ).format(iban=raw.strip())) from None


def _is_latin_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L") and "LATIN" in unicodedata.name(ch, "")


def sepa_name(raw: str, max_length: int = 70) -> tuple[str, str]:
    """(name for the bank, notice). Accented Latin is cleaned visibly; other scripts are refused.

    Why: banks take only the SEPA Latin set; Arabic or Ge'ez script must never reach the file.
    """
    text = " ".join((raw or "").split())
    if not text:
        raise ValueError(_("Vul de naam van de ontvanger in."))
    if SEPA_ALLOWED.match(text) and len(text) <= max_length:
        return text, ""
    foreign = [ch for ch in text if unicodedata.category(ch).startswith("L") and not _is_latin_letter(ch)]
    if foreign:
        raise ValueError(_(
            "Gebruik de Latijnse schrijfwijze van de naam (zoals in de BRP); de bank accepteert geen "
            "Arabisch, Ge'ez of ander schrift (gevonden: {found})."
        ).format(found="".join(dict.fromkeys(foreign))[:10]))
    cleaned = unicodedata.normalize("NFKD", text)
    cleaned = "".join(ch for ch in cleaned if not unicodedata.combining(ch))
    cleaned = cleaned.replace("&", "+").replace("ß", "ss").replace("Ø", "O").replace("ø", "o")
    cleaned = "".join(ch if SEPA_ALLOWED.match(ch) else " " for ch in cleaned)
    cleaned = " ".join(cleaned.split())[:max_length]
    if not cleaned:
        raise ValueError(_("De naam bevat geen tekens die de bank accepteert."))
    notice = "" if cleaned == text else _("Naam wordt naar de bank gestuurd als: {name}").format(name=cleaned)
    return cleaned, notice


def check_reference(raw: str) -> tuple[str, bool]:
    """(reference, structured). A 16-digit Dutch betalingskenmerk is sent structured, else free text."""
    text = (raw or "").strip()
    digits = re.sub(r"[\s.\-]", "", text)
    if digits.isdigit() and len(digits) == 16:
        if not _betalingskenmerk_ok(digits):
            raise ValueError(_("Dit betalingskenmerk klopt niet (controlecijfer). Neem het kenmerk precies over van de nota."))
        return digits, True
    if len(text) > 140:
        raise ValueError(_("Omschrijving of kenmerk is te lang (maximaal 140 tekens)."))
    cleaned, _notice = sepa_name(text, 140) if text else ("", "")
    return cleaned, False


_WEIGHTS = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1]


def _betalingskenmerk_ok(digits: str) -> bool:
    """Dutch 16-digit betalingskenmerk: first digit is a check digit over the other 15 (mod 11)."""
    check, body = int(digits[0]), digits[1:]
    total = sum(int(d) * _WEIGHTS[i % 10] for i, d in enumerate(reversed(body)))
    expected = 11 - total % 11
    expected = {10: 1, 11: 0}.get(expected, expected)
    return check == expected


def make_betalingskenmerk(body15: str) -> str:
    """A valid 16-digit betalingskenmerk for 15 digits (for demo data and tests)."""
    total = sum(int(d) * _WEIGHTS[i % 10] for i, d in enumerate(reversed(body15)))
    check = 11 - total % 11
    return str({10: 1, 11: 0}.get(check, check)) + body15


def check_amount(raw: str, limit: Decimal, what: str) -> Decimal:
    """A monthly amount above 0 and below ``limit``; ``what`` names it in the staff UI language."""
    amount = parse_amount(raw)
    if amount < 0:
        raise ValueError(_("{what} kan niet negatief zijn.").format(what=what))
    if amount == 0:
        raise ValueError(_("{what} moet groter dan 0 zijn.").format(what=what))
    if amount > limit:
        raise ValueError(_(
            "{what} van € {amount} per maand is onwaarschijnlijk hoog (meer dan € {limit}). Controleer het bedrag."
        ).format(what=what, amount=amount, limit=limit))
    return amount


def check_day(raw: str) -> tuple[int, str]:
    """(day of month, notice). Days 29-31 are paid on the last day of shorter months."""
    day = parse_int(raw, 1, 31)
    if day is None:
        raise ValueError(_("Kies een dag van de maand tussen 1 en 31."))
    notice = ""
    if day >= 29:
        notice = _("In maanden zonder dag {day} (zoals februari) wordt op de laatste dag van de maand betaald.").format(
            day=day)
    return day, notice


def check_date(raw: str, label: str, today: date | None = None) -> date:
    """A JJJJ-MM-DD date; with ``today``, also within the configured date window around it."""
    day = parse_date(raw, label)
    return check_in_window(day, label, today) if today is not None else day


@dataclass
class Checked:
    """Cleaned values, field errors and visible notices (what was changed or will happen)."""

    values: dict = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    notices: dict[str, str] = field(default_factory=dict)

    def run(self, key: str, func, *args):
        try:
            result = func(*args)
        except ValueError as exc:
            self.errors[key] = str(exc)
            return None
        return result


def check_fixed_cost(form: dict) -> Checked:
    """A fixed cost: category, creditor (Latin), IBAN, amount, reference, day of month."""
    form, screened = screen_form(form)
    c = Checked()
    category = str(form.get("category", ""))
    if category not in config.CATEGORIES:
        c.errors["category"] = _("Kies een soort vaste last.")
        category = config.OTHER
    c.values["category"] = category
    label = c.run("label", check_text, form.get("label", ""), _("Omschrijving"), max_length("label")) or ""
    if category == config.OTHER and not label:
        label = f"Overig: {' '.join(str(form.get('creditor_name', '')).split())}"[:max_length("label")]
    c.values["label"] = label or config.CATEGORIES[category]
    name = c.run("creditor_name", sepa_name, str(form.get("creditor_name", "")))
    if name:
        c.values["creditor_name"], notice = name
        if notice:
            c.notices["creditor_name"] = notice
    iban = c.run("creditor_iban", check_iban, str(form.get("creditor_iban", "")))
    if iban:
        c.values["creditor_iban"] = iban
    amount = c.run("amount", check_amount, str(form.get("amount", "")), config.ABSURD_ABOVE[category], _("Bedrag"))
    if amount is not None:
        c.values["amount"] = amount
    ref = c.run("reference", check_reference, str(form.get("reference", "")))
    if ref:
        c.values["reference"], c.values["structured_reference"] = ref
    day = c.run("day_of_month", check_day, str(form.get("day_of_month", "")))
    if day:
        c.values["day_of_month"], notice = day
        if notice:
            c.notices["day_of_month"] = notice
    c.errors.update(screened)
    return c


def check_benefit(form: dict, today: date) -> Checked:
    """Benefit start (not in the future), household kind, supplement."""
    form, screened = screen_form(form)
    c = Checked()
    start = c.run("benefit_start", check_date, str(form.get("benefit_start", "")), _("Ingangsdatum uitkering"))
    if start is not None:
        if start > today:
            c.errors["benefit_start"] = _(
                "De ingangsdatum van de uitkering ligt in de toekomst. Leg de uitkering vast zodra het besluit is genomen."
            )
        elif start.year < 2015:
            c.errors["benefit_start"] = _("De ingangsdatum ligt onwaarschijnlijk ver terug.")
        c.values["benefit_start"] = start
    kind = str(form.get("household_kind", ""))
    if kind not in config.HOUSEHOLD_KINDS:
        c.errors["household_kind"] = _("Kies de leefsituatie (bepaalt de bijstandsnorm).")
    c.values["household_kind"] = kind
    raw_supplement = str(form.get("supplement", "") or "0")
    supplement = c.run("supplement", parse_amount, raw_supplement)
    if supplement is not None:
        if supplement < 0:
            c.errors["supplement"] = _("De aanvulling kan niet negatief zijn.")
        elif supplement > config.ABSURD_SUPPLEMENT:
            c.errors["supplement"] = _("Een aanvulling van € {amount} per maand is onwaarschijnlijk hoog.").format(
                amount=supplement)
        c.values["supplement"] = supplement
    raw_iban = str(form.get("leefgeld_iban", "") or "").strip()
    if raw_iban:
        iban = c.run("leefgeld_iban", check_iban, raw_iban)
        if iban:
            c.values["leefgeld_iban"] = iban
    c.errors.update(screened)
    return c


def check_household_change(form: dict, benefit_start: date | None, today: date | None = None) -> Checked:
    form, screened = screen_form(form)
    c = Checked()
    valid_from = c.run("change_from", check_date, str(form.get("change_from", "")), _("Datum wijziging"), today)
    if valid_from is not None and benefit_start and valid_from <= benefit_start:
        c.errors["change_from"] = _("Een wijziging van de leefsituatie moet na de ingangsdatum van de uitkering liggen.")
    c.values["valid_from"] = valid_from
    kind = str(form.get("change_kind", ""))
    if kind not in config.HOUSEHOLD_KINDS:
        c.errors["change_kind"] = _("Kies de nieuwe leefsituatie.")
    c.values["kind"] = kind
    c.errors.update(screened)
    return c


def check_deduction(form: dict) -> Checked:
    form, screened = screen_form(form)
    c = Checked()
    label = c.run("deduction_label", check_text, form.get("deduction_label", ""), _("Inhouding"),
                  max_length("deduction_label"))
    if label == "":
        c.errors["deduction_label"] = _("Geef aan wat er wordt ingehouden (bijvoorbeeld aflossing inrichtingskrediet).")
    c.values["label"] = label or ""
    amount = c.run("deduction_amount", check_amount, str(form.get("deduction_amount", "")),
                   config.ABSURD_DEDUCTION, _("Inhouding"))
    c.values["amount"] = amount
    months = str(form.get("deduction_months", "") or "").strip()
    c.values["months"] = parse_int(months, 1, 120) if months else None
    if months and c.values["months"] is None:
        c.errors["deduction_months"] = _("Aantal maanden moet tussen 1 en 120 liggen (leeg = doorlopend).")
    c.errors.update(screened)
    return c


def check_allowance(form: dict, today: date | None = None) -> Checked:
    form, screened = screen_form(form)
    c = Checked()
    kind = str(form.get("allowance_kind", ""))
    if kind not in config.ALLOWANCES:
        c.errors["allowance_kind"] = _(
            "Kies de soort toeslag (huurtoeslag, zorgtoeslag, kinderbijslag of kindgebonden budget).")
    c.values["kind"] = kind
    amount = c.run("allowance_amount", check_amount, str(form.get("allowance_amount", "")),
                   config.ABSURD_ALLOWANCE, _("Toeslag"))
    c.values["amount"] = amount
    expected = c.run("allowance_expected", check_date, str(form.get("allowance_expected", "")),
                     _("Verwachte eerste betaling"), today)
    c.values["expected_from"] = expected
    c.errors.update(screened)
    return c


def check_budget_line(form: dict, kinds: dict[str, str], today: date) -> Checked:
    """Income or a commitment per month: kind, amount, first month (JJJJ-MM, default this month), months."""
    c = Checked()
    kind = str(form.get("line_kind", ""))
    if kind not in kinds:
        c.errors["line_kind"] = _("Kies de soort: {kinds}.").format(kinds=", ".join(_(v) for v in kinds.values()))
    c.values["kind"] = kind
    c.values["label"] = " ".join(str(form.get("line_label", "") or "").split())[:100]
    amount = c.run("line_amount", check_amount, str(form.get("line_amount", "")), config.ABSURD_INCOME,
                   _("Bedrag per maand"))
    c.values["amount"] = amount
    raw = str(form.get("line_from", "") or "").strip()
    start = date(today.year, today.month, 1)
    if raw:
        try:
            start = date.fromisoformat(raw + "-01" if len(raw) == 7 else raw).replace(day=1)
        except ValueError:
            c.errors["line_from"] = _("Geen geldige maand (JJJJ-MM).")
    c.values["start_month"] = start
    months = str(form.get("line_months", "") or "").strip()
    if months and (not months.isdigit() or not 1 <= int(months) <= 120):
        c.errors["line_months"] = _("Aantal maanden moet tussen 1 en 120 liggen (leeg = doorlopend).")
    c.values["months"] = int(months) if months.isdigit() else None
    return c


def leefgeld_warnings(data, month: date) -> list:
    """Warnings for one person's month, for the payment-run confirmation: ``[Warning(code, message, blocking)]``.

    ``data`` is a ``leefgeld.BudgetData`` (``runs.load_budgets`` builds them for a whole municipality).
    Blocking codes: first_month_advance, fixed_cost_at_risk, leefgeld_negative, leefgeld_below_norm.
    """
    from .leefgeld import leefgeld_warnings as month_warnings

    return month_warnings(data, month)
