"""Checks on what staff type into the register, with a message per field in the staff UI language.

``check_registration`` takes the raw form (strings) and returns either clean values
or ``{field: message}``; it never half-accepts a form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from babel import Locale
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as bsn_number

from . import languages
from .catalogs import staff_text as _

RESIDENCE_STATUSES = {
    "asylum": "Asielvergunning",
    "family_reunification": "Gezinshereniging (nareiziger)",
    "temporary_protection": "Tijdelijke bescherming",
}
LITERACY = {"literate": "Kan lezen en schrijven", "limited": "Beperkt", "illiterate": "Kan niet lezen of schrijven"}
CHANNELS = {"letter": "Brief", "email": "E-mail", "phone": "Telefoon (met tolk)", "app": "App / eigen omgeving"}
RELATIONSHIPS = {"partner": "Partner", "child": "Kind", "parent": "Ouder", "other": "Anders"}

_NL = Locale("nl")
COUNTRIES = {code: name for code, name in _NL.territories.items() if len(code) == 2 and code.isalpha()}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _is_latin_name(text: str) -> bool:
    """BRP spelling: Latin letters (with accents), spaces, hyphens and apostrophes only."""
    for char in text:
        if char in " -'’.":
            continue
        if not char.isalpha() or "LATIN" not in unicodedata.name(char, ""):
            return False
    return True


def parse_date(raw: str, label: str) -> date:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError:
        raise ValueError(_("{label} is geen geldige datum (JJJJ-MM-DD).").format(label=label)) from None


def check_bsn(raw: str) -> str | None:
    """A valid BSN (11-proof), or None when left empty: the BSN may not be known yet."""
    raw = (raw or "").strip().replace(" ", "").replace(".", "")
    if not raw:
        return None
    try:
        return bsn_number.validate(raw)
    except StdnumError:
        raise ValueError(
            _("BSN '{bsn}' is ongeldig: het moet 9 cijfers zijn en voldoen aan de elfproef.").format(bsn=raw)
        ) from None


def check_iban(raw: str) -> str:
    """A valid IBAN in its compact form, or '' when left empty."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        return IBAN(raw).compact
    except SchwiftyException as exc:
        raise ValueError(_("IBAN '{iban}' is ongeldig: {reason}").format(iban=raw, reason=_iban_reason(exc))) from None


def _iban_reason(exc: SchwiftyException) -> str:
    name = type(exc).__name__
    return {
        "InvalidChecksumDigits": _("het controlegetal klopt niet."),
        "InvalidLength": _("de lengte klopt niet voor dit land."),
        "InvalidCountryCode": _("onbekende landcode."),
        "InvalidStructure": _("de opbouw klopt niet voor dit land."),
        "InvalidBankCode": _("onbekende bankcode."),
    }.get(name, _("controleer het nummer."))


def check_languages(raw: str | list[str], label: str) -> list[str]:
    """Comma-separated codes (``prs, ar``) to locale codes; any unknown code refuses the field."""
    codes = raw if isinstance(raw, list) else [c for c in re.split(r"[,\s]+", raw or "") if c]
    try:
        return list(dict.fromkeys(languages.normalise(c) for c in codes))
    except languages.UnknownLanguage as exc:
        raise ValueError(_("{label}: {problem}").format(label=label, problem=exc)) from None


@dataclass
class Registration:
    """Clean values for a new person, ready to store."""

    values: dict
    household: list[dict] = field(default_factory=list)


class _Checker:
    """Collects one message per field while reading a form."""

    def __init__(self, form: dict):
        self.form = form
        self.errors: dict[str, str] = {}
        self.values: dict = {}

    def text(self, key: str, label: str, required: bool = False, max_len: int = 200) -> str:
        value = str(self.form.get(key) or "").strip()
        if required and not value:
            self.errors[key] = _("{label} is verplicht.").format(label=label)
        elif len(value) > max_len:
            self.errors[key] = _("{label} is te lang (maximaal {max_len} tekens).").format(label=label, max_len=max_len)
        return value

    def run(self, key: str, func, *args):
        try:
            return func(*args)
        except ValueError as exc:
            self.errors[key] = str(exc)
            return None

    def choice(self, key: str, label: str, options: dict, required: bool = True) -> str:
        value = str(self.form.get(key) or "").strip()
        if not value and not required:
            return ""
        if value not in options:
            self.errors[key] = _("Kies een geldige waarde voor {label}.").format(label=label.lower())
        return value

    def day(self, key: str, label: str, today: date, required: bool = False) -> date | None:
        raw = str(self.form.get(key) or "").strip()
        if not raw:
            if required:
                self.errors[key] = _("{label} is verplicht.").format(label=label)
            return None
        value = self.run(key, parse_date, raw, label)
        if value is not None and value > today:
            self.errors[key] = _("{label} ligt in de toekomst ({day}); vul een datum tot en met vandaag in.").format(
                label=label, day=value.isoformat())
            return None
        if value is not None and value.year < 1900:
            self.errors[key] = _("{label} ligt te ver in het verleden.").format(label=label)
            return None
        return value


def _flag(form: dict, key: str) -> bool:
    return str(form.get(key, "")).lower() in {"1", "true", "on", "yes", "ja"}


def check_registration(form: dict, household: list[dict], today: date) -> Registration | dict[str, str]:
    """Validate a new-person form; return clean values or every field's message at once."""
    c = _Checker(form)
    v = c.values
    for key, label in (("given_names", _("Voornamen")), ("family_name", _("Achternaam"))):
        v[key] = c.text(key, label, required=True)
        if v[key] and not _is_latin_name(v[key]):
            c.errors[key] = _(
                "{label}: gebruik de Latijnse schrijfwijze uit de BRP; de naam in eigen schrift heeft een eigen veld."
            ).format(label=label)
    v["name_own_script"] = c.text("name_own_script", _("Naam in eigen schrift"))
    v["birth_date"] = c.day("birth_date", _("Geboortedatum"), today, required=True)
    v["country_of_origin"] = c.choice("country_of_origin", _("Land van herkomst"), COUNTRIES)
    v["v_number"] = c.text("v_number", _("V-nummer"), required=True).replace(" ", "")
    if v["v_number"] and not re.fullmatch(r"\d{10}", v["v_number"]):
        c.errors["v_number"] = _("V-nummer moet uit 10 cijfers bestaan.")
    v["bsn"] = c.run("bsn", check_bsn, form.get("bsn", ""))
    v["residence_status"] = c.choice("residence_status", _("Verblijfsstatus"), RESIDENCE_STATUSES)
    v["integration_duty"] = _flag(form, "integration_duty")
    if v["residence_status"] == "temporary_protection" and v["integration_duty"]:
        c.errors["integration_duty"] = _(
            "Tijdelijke bescherming geeft geen inburgeringsplicht: er komt geen PIP. Zet inburgeringsplichtig uit."
        )
    v["permit_date"] = c.day("permit_date", _("Datum vergunning"), today,
                             required=v["residence_status"] != "temporary_protection")
    v["koppeling_date"] = c.day("koppeling_date", _("Datum koppeling"), today)
    if v["permit_date"] and v["koppeling_date"] and v["koppeling_date"] < v["permit_date"]:
        c.errors["koppeling_date"] = _("De koppeling kan niet vóór de vergunning liggen.")
    v["move_date"] = c.run("move_date",
                           lambda: parse_date(form["move_date"], _("Verhuisdatum")) if form.get("move_date") else None)
    v["municipality"] = c.text("municipality", _("Gemeente"), required=True, max_len=100)
    v["azc"] = c.text("azc", _("AZC"))
    v["address"] = c.text("address", _("Adres"), max_len=300)
    if not v["azc"] and not v["address"]:
        c.errors["azc"] = _("Vul het AZC of het adres in.")
    v["spoken_languages"] = c.run("spoken_languages", check_languages, form.get("spoken_languages", ""),
                                  _("Gesproken talen"))
    if v["spoken_languages"] == []:
        c.errors["spoken_languages"] = _("Vul minstens één gesproken taal in (bijvoorbeeld ti, ar, prs).")
    v["read_languages"] = c.run("read_languages", check_languages, form.get("read_languages", ""), _("Leest in"))
    letter = c.run("letter_language", check_languages, form.get("letter_language", ""), _("Brieftaal"))
    if letter is not None and len(letter) != 1:
        c.errors["letter_language"] = _("Kies precies één brieftaal.")
    v["letter_language"] = letter[0] if letter else ""
    v["literacy"] = c.choice("literacy", _("Geletterdheid"), LITERACY)
    v["interpreter_needed"] = _flag(form, "interpreter_needed")
    v["preferred_channel"] = c.choice("preferred_channel", _("Voorkeurskanaal"), CHANNELS)
    if v["literacy"] == "illiterate" and v["preferred_channel"] in {"letter", "email"}:
        c.errors["preferred_channel"] = _("Deze persoon kan niet lezen: kies telefoon (met tolk) of app als kanaal.")
    v["phone"] = c.text("phone", _("Telefoon"), max_len=40)
    if v["phone"] and not re.fullmatch(r"\+?[\d\s\-()]{6,20}", v["phone"]):
        c.errors["phone"] = _("Telefoonnummer mag alleen cijfers, spaties, +, - en haakjes bevatten.")
    v["email"] = c.text("email", _("E-mail"))
    if v["email"] and not _EMAIL.match(v["email"]):
        c.errors["email"] = _("E-mailadres '{email}' is ongeldig.").format(email=v["email"])
    v["functional_limitations"] = c.text("functional_limitations", _("Functionele beperkingen"), max_len=2000)
    v["iban"] = c.run("iban", check_iban, form.get("iban", "")) or ""
    years = c.text("education_years", _("Jaren onderwijs"))
    v["education_years"] = None
    if years:
        if years.isdigit() and int(years) <= 30:
            v["education_years"] = int(years)
        else:
            c.errors["education_years"] = _("Jaren onderwijs moet een heel getal tussen 0 en 30 zijn.")
    v["education_history"] = c.text("education_history", _("Opleiding en werk"), max_len=4000)
    v["learning_limitations"] = c.text("learning_limitations", _("Leerbeperkingen"), max_len=2000)
    members = _check_household(household, today, c.errors)
    return c.errors or Registration(v, members)


def _check_household(household: list[dict], today: date, errors: dict[str, str]) -> list[dict]:
    members = []
    for index, raw in enumerate(household):
        prefix = f"household.{index}."
        name = str(raw.get("name") or "").strip()
        if not name:
            errors[prefix + "name"] = _("Naam van het gezinslid is verplicht.")
        relation = str(raw.get("relationship") or "")
        if relation not in RELATIONSHIPS:
            errors[prefix + "relationship"] = _("Kies de relatie (partner, kind, ouder, anders).")
        born = None
        try:
            born = parse_date(str(raw.get("birth_date") or ""), _("Geboortedatum gezinslid"))
            if born > today:
                errors[prefix + "birth_date"] = _("Geboortedatum gezinslid ligt in de toekomst.")
        except ValueError as exc:
            errors[prefix + "birth_date"] = str(exc)
        members.append({"name": name, "relationship_kind": relation, "birth_date": born})
    return members
