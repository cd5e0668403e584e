"""Checks on what staff type, with a message per field in the staff UI language.

``check_registration`` takes the raw form (strings) and returns either clean values
or ``{field: message}``; it never half-accepts a form.

The input rules every domain module uses live here, once:

- ``check_text`` / ``text_problem``: a free-text field refuses bidi control characters (a letter
  must not read "exe.png" for "gnp.exe"), NUL and other control characters (newline and tab only in
  multi-line fields), lone surrogates (broken UTF-16 from a client), and anything over its length
  limit (``MAX_LENGTH``, which the forms also show as ``max_length``).
- ``screen_form``: the same character rules for every value of a submitted form, so that nothing a
  form echoes back in a message or stores can carry such characters.
- ``parse_id``: an id from a handler argument or a query string; ``None`` for anything but a plain
  positive number that fits the database's integer columns.
- Date bounds: ``check_birth_date`` (not before 1900, not in the future), ``check_in_window`` (a
  configurable window around today for move, plan and intake dates) and ``check_payment_month``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import pycountry
from babel import Locale
from schwifty import IBAN
from schwifty.exceptions import SchwiftyException
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as bsn_number

from . import config, languages
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
# Countries of origin: ISO 3166-1 (pycountry) plus Kosovo (XK, as the IND uses it), with Babel's Dutch names.
# Not Babel's whole territory list: that has pseudo-locales (XA "Pseudo-Accenten"), organisations
# (UN "Verenigde Naties", EU) and regions ("eurozone", "overig Oceanië").
COUNTRIES = {country.alpha_2: _NL.territories.get(country.alpha_2, country.name)
             for country in pycountry.countries} | {"XK": _NL.territories["XK"]}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# --- characters and lengths -----------------------------------------------------------------------

# Explicit direction marks and embeddings/overrides/isolates: invisible, and they reorder what is shown.
BIDI_CONTROLS = frozenset(
    [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
MULTILINE_ALLOWED = frozenset("\n\t")
# The register's longer texts may hold several lines (persona files and imports write them so).
REGISTER_MULTILINE = frozenset({"functional_limitations", "education_history", "learning_limitations"})

# Length limits per form field (the domain's key; the forms use the same names). One table for the
# server check and the ``max_length`` the forms show.
SHORT, MEDIUM, LONG, VERY_LONG = 200, 500, 2000, 4000
MAX_LENGTH: dict[str, int] = {
    # register
    "given_names": SHORT, "family_name": SHORT, "name_own_script": SHORT, "v_number": 20, "bsn": 20,
    "municipality": 100, "azc": SHORT, "address": 300, "spoken_languages": SHORT, "read_languages": SHORT,
    "phone": 40, "email": SHORT, "functional_limitations": LONG, "iban": 40, "education_years": 5,
    "education_history": VERY_LONG, "learning_limitations": LONG, "member_name": SHORT, "move_date": 10,
    # plan and intake
    "intake_location": SHORT, "interpreter_language": 40, "relevance": MEDIUM, "situation": VERY_LONG,
    "goals": VERY_LONG, "level_reason": MEDIUM, "private_notes": VERY_LONG, "what": LONG, "own_part": LONG,
    "blocked_reason": MEDIUM, "agreement_note": LONG,
    # agenda (meetings and their invitations)
    "interpreter_email": SHORT, "intake_interpreter_email": SHORT, "talk_interpreter_email": SHORT,
    "talk_location": SHORT, "talk_reason": MEDIUM, "cancel_reason": MEDIUM, "intake_cancel_reason": MEDIUM,
    # PIP
    "preconditions": LONG, "guidance": LONG, "map_intensity": MEDIUM, "pvt_intensity": MEDIUM,
    "ontzorgen": LONG, "monitoring": LONG, "vve": LONG, "reason": LONG,
    # budget
    "label": 100, "creditor_name": 70, "creditor_iban": 40, "reference": 140, "deduction_label": 100,
    "ontzorgen_reason": MEDIUM, "category_reason": MEDIUM, "alternative": 1000, "coach_offer": 1000, "note": VERY_LONG, "amount": 20,
    "supplement": 20, "leefgeld_iban": 40,
    # letter options
    "place": SHORT, "topics": LONG,
}


def max_length(key: str, default: int = SHORT) -> int:
    return MAX_LENGTH.get(key, default)


def _codepoint(char: str) -> str:
    return f"U+{ord(char):04X}"


def char_problem(value: str, label: str | None = None, multiline: bool = False) -> str | None:
    """Why ``value`` may not be stored (bad characters), in the staff UI language; None when fine."""
    name = label or _("Dit veld")
    for char in value:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return _("{label} bevat een ongeldig teken (beschadigde tekst). Typ de tekst opnieuw.").format(label=name)
        if code in BIDI_CONTROLS:
            return _(
                "{label} bevat een onzichtbaar teken dat de leesrichting omdraait ({code}). Haal het weg en "
                "typ de tekst opnieuw."
            ).format(label=name, code=_codepoint(char))
        if (code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029)) and not (
                multiline and char in MULTILINE_ALLOWED):
            if char in "\r\n" or code in (0x2028, 0x2029):
                return _("{label} moet op één regel staan.").format(label=name)
            return _("{label} bevat een onzichtbaar stuurteken ({code}). Haal het weg.").format(
                label=name, code=_codepoint(char))
    return None


def text_problem(value: str, label: str, max_len: int, multiline: bool = False) -> str | None:
    """Bad characters or too long: the message for the field, or None."""
    problem = char_problem(value, label, multiline)
    if problem:
        return problem
    if len(value) > max_len:
        return _("{label} is te lang (maximaal {max_len} tekens).").format(label=label, max_len=max_len)
    return None


def check_text(raw, label: str, max_len: int = SHORT, *, required: bool = False, multiline: bool = False,
               required_message: str = "") -> str:
    """A free-text value, stripped (multi-line: ``\r\n`` as ``\n``); ValueError with the field's message."""
    value = "" if raw is None else str(raw)
    if multiline:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = value.strip()
    problem = text_problem(value, label, max_len, multiline)
    if problem:
        raise ValueError(problem)
    if required and not value:
        raise ValueError(required_message or _("{label} is verplicht.").format(label=label))
    return value


def screen_form(form: dict, multiline: frozenset[str] | set[str] = frozenset()) -> tuple[dict, dict[str, str]]:
    """(form with refused values emptied, ``{field: message}``) for values with bad characters.

    Every form-taking domain function screens first, so a choice, number or code field is never echoed
    back (or stored) with a surrogate or control character in it; the field messages win over any later
    message for the same field.
    """
    clean, errors = {}, {}
    for key, value in (form or {}).items():
        values = value if isinstance(value, (list, tuple)) else [value]
        problem = next((p for p in (char_problem(v, None, key in multiline) for v in values if isinstance(v, str))
                        if p), None)
        if problem:
            errors[str(key)] = problem
            clean[key] = [] if isinstance(value, (list, tuple)) else ""
        else:
            clean[key] = value
    return clean, errors


# Ids: Integer primary keys (PostgreSQL ``integer``); a bigger number would crash the query.
MAX_ID = 2**31 - 1


def parse_id(raw) -> int | None:
    """A positive database id from a handler argument or query string, else None ("1x", "abc", "²", "-1")."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 < raw <= MAX_ID else None
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


def parse_int(raw, low: int, high: int) -> int | None:
    """A whole number typed in ASCII digits within [low, high], else None (so "²" or "1e9" never reach ``int``)."""
    text = str(raw if raw is not None else "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    value = int(text)
    return value if low <= value <= high else None


def id_or_zero(raw) -> int:
    """``parse_id`` for UI handlers: 0 (which exists for no record, so the domain refuses cleanly) when invalid."""
    return parse_id(raw) or 0


# --- dates ---------------------------------------------------------------------------------------

EARLIEST_BIRTH = date(1900, 1, 1)


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_window(today: date) -> tuple[date, date]:
    """(earliest, latest) for move, plan, intake and budget dates: today minus/plus the configured years."""
    return _shift_years(today, -config.date_past_years()), _shift_years(today, config.date_future_years())


def check_in_window(day: date, label: str, today: date, *, not_after_today: bool = False) -> date:
    """``day`` when it lies in the date window (and, if asked, not after today); ValueError otherwise."""
    earliest, latest = date_window(today)
    if not_after_today:
        latest = min(latest, today)
    if day < earliest:
        raise ValueError(_("{label} ligt te ver in het verleden: kies een datum vanaf {earliest}.").format(
            label=label, earliest=earliest.isoformat()))
    if day > latest:
        raise ValueError(_("{label} ligt te ver in de toekomst: kies een datum tot en met {latest}.").format(
            label=label, latest=latest.isoformat()))
    return day


def parse_date_in_window(raw: str, label: str, today: date, *, not_after_today: bool = False) -> date:
    return check_in_window(parse_date(raw, label), label, today, not_after_today=not_after_today)


def check_birth_date(day: date, label: str, today: date) -> date:
    """A birth date from 1900 up to today."""
    if day > today:
        raise ValueError(_("{label} ligt in de toekomst ({day}); vul een datum tot en met vandaag in.").format(
            label=label, day=day.isoformat()))
    if day < EARLIEST_BIRTH:
        raise ValueError(_("{label} ligt te ver in het verleden: kies een datum vanaf {earliest}.").format(
            label=label, earliest=EARLIEST_BIRTH.isoformat()))
    return day


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def check_payment_month(month: date, today: date) -> date:
    """A payment-run month from the configured months back up to the months ahead of this month."""
    back, ahead = config.payment_months_back(), config.payment_months_ahead()
    offset = _month_index(month) - _month_index(today)
    if not -back <= offset <= ahead:
        first = date((_month_index(today) - back) // 12, (_month_index(today) - back) % 12 + 1, 1)
        last = date((_month_index(today) + ahead) // 12, (_month_index(today) + ahead) % 12 + 1, 1)
        raise ValueError(_("Kies een maand van {first} tot en met {last}.").format(
            first=f"{first:%m-%Y}", last=f"{last:%m-%Y}"))
    return month


def _is_latin_name(text: str) -> bool:
    """BRP spelling: Latin letters (with accents), spaces, hyphens and apostrophes only."""
    for char in text:
        if char in " -'’.":
            continue
        if not char.isalpha() or "LATIN" not in unicodedata.name(char, ""):
            return False
    return True


def parse_date(raw: str, label: str) -> date:
    """A date typed as JJJJ-MM-DD (what a date input sends); ValueError with the field's message."""
    text = str(raw or "").strip()
    try:
        if not (text.isascii() and len(text) == 10):
            raise ValueError(text)
        return date.fromisoformat(text)
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


def _language_codes(raw: str | list[str], label: str, to) -> list[str]:
    codes = raw if isinstance(raw, list) else [c for c in re.split(r"[,\s]+", raw or "") if c]
    try:
        return list(dict.fromkeys(to(c) for c in codes))
    except languages.UnknownLanguage as exc:
        raise ValueError(_("{label}: {problem}").format(label=label, problem=exc)) from None


def check_languages(raw: str | list[str], label: str) -> list[str]:
    """Comma-separated codes (``prs, ar, ln``) of the languages someone speaks or reads: letter languages
    become their locale code, any other ISO 639 language keeps its code; an unknown code refuses the field."""
    return _language_codes(raw, label, languages.spoken_code)


def check_letter_languages(raw: str | list[str], label: str) -> list[str]:
    """Codes of languages the chain writes letters in (``prs`` -> ``fa_AF``); any other code refuses the field."""
    return _language_codes(raw, label, languages.normalise)


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

    def text(self, key: str, label: str, required: bool = False, max_len: int | None = None) -> str:
        value = str(self.form.get(key) or "").strip()
        problem = text_problem(value, label, max_len or max_length(key), multiline=key in REGISTER_MULTILINE)
        if problem:
            self.errors[key] = problem
        elif required and not value:
            self.errors[key] = _("{label} is verplicht.").format(label=label)
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

    def day(self, key: str, label: str, today: date, required: bool = False, birth: bool = False) -> date | None:
        """A date up to today: a birth date from 1900, any other within the configured date window."""
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
        if value is None:
            return None
        return self.run(key, check_birth_date if birth else check_in_window, value, label, today)


def is_checked(form: dict, key: str) -> bool:
    """A checkbox in a submitted form: browsers send True (Reflex), "on" (plain HTML) or nothing."""
    return str(form.get(key, "")).lower() in {"1", "true", "on", "yes", "ja"}


def check_registration(form: dict, household: list[dict], today: date) -> Registration | dict[str, str]:
    """Validate a new-person form; return clean values or every field's message at once."""
    values, errors = check_person_fields(form, today)
    members = _check_household(household, today, errors)
    return errors or Registration(values, members)


def check_person_fields(form: dict, today: date) -> tuple[dict, dict[str, str]]:
    """The field checks of a person's form, once for registering and editing (``file_edit``).

    Returns (values, ``{field: message}``): every field's value, clean where it passed; a field with a
    message has no usable value. Registration refuses on any message; an edit looks only at the fields
    it changes and the rules they take part in.
    """
    form, screened = screen_form(form, REGISTER_MULTILINE)
    c = _Checker(form)
    v = c.values
    for key, label in (("given_names", _("Voornamen")), ("family_name", _("Achternaam"))):
        v[key] = c.text(key, label, required=True)
        if v[key] and not _is_latin_name(v[key]):
            c.errors[key] = _(
                "{label}: gebruik de Latijnse schrijfwijze uit de BRP; de naam in eigen schrift heeft een eigen veld."
            ).format(label=label)
    v["name_own_script"] = c.text("name_own_script", _("Naam in eigen schrift"))
    v["birth_date"] = c.day("birth_date", _("Geboortedatum"), today, required=True, birth=True)
    v["country_of_origin"] = c.choice("country_of_origin", _("Land van herkomst"), COUNTRIES)
    v["v_number"] = c.text("v_number", _("V-nummer"), required=True).replace(" ", "")
    if v["v_number"] and not re.fullmatch(r"\d{10}", v["v_number"]):
        c.errors["v_number"] = _("V-nummer moet uit 10 cijfers bestaan.")
    v["bsn"] = c.run("bsn", check_bsn, form.get("bsn", ""))
    v["residence_status"] = c.choice("residence_status", _("Verblijfsstatus"), RESIDENCE_STATUSES)
    v["integration_duty"] = is_checked(form, "integration_duty")
    if v["residence_status"] == "temporary_protection" and v["integration_duty"]:
        c.errors["integration_duty"] = _(
            "Tijdelijke bescherming geeft geen inburgeringsplicht: er komt geen PIP. Zet inburgeringsplichtig uit."
        )
    v["permit_date"] = c.day("permit_date", _("Datum vergunning"), today,
                             required=v["residence_status"] != "temporary_protection")
    v["koppeling_date"] = c.day("koppeling_date", _("Datum koppeling"), today)
    if v["permit_date"] and v["koppeling_date"] and v["koppeling_date"] < v["permit_date"]:
        c.errors["koppeling_date"] = _("De koppeling kan niet vóór de vergunning liggen.")
    v["move_date"] = c.run("move_date", lambda: parse_date_in_window(form["move_date"], _("Verhuisdatum"), today)
                           if str(form.get("move_date") or "").strip() else None)
    v["municipality"] = c.text("municipality", _("Gemeente"), required=True)
    v["azc"] = c.text("azc", _("AZC"))
    v["address"] = c.text("address", _("Adres"))
    if not v["azc"] and not v["address"]:
        c.errors["azc"] = _("Vul het AZC of het adres in.")
    v["spoken_languages"] = c.run("spoken_languages", check_languages, form.get("spoken_languages", ""),
                                  _("Gesproken talen"))
    if v["spoken_languages"] == []:
        c.errors["spoken_languages"] = _("Vul minstens één gesproken taal in (bijvoorbeeld ti, ar, prs).")
    v["read_languages"] = c.run("read_languages", check_languages, form.get("read_languages", ""), _("Leest in"))
    mother = c.run("mother_tongue", check_languages, form.get("mother_tongue", ""), _("Moedertaal"))
    if mother is not None and len(mother) > 1:
        c.errors["mother_tongue"] = _("Vul één moedertaal in.")
    v["mother_tongue"] = mother[0] if mother else ""
    letter = c.run("letter_language", check_letter_languages, form.get("letter_language", ""), _("Brieftaal"))
    if letter is not None and len(letter) != 1:
        c.errors["letter_language"] = _("Kies precies één brieftaal.")
    v["letter_language"] = letter[0] if letter else ""
    v["literacy"] = c.choice("literacy", _("Geletterdheid"), LITERACY)
    v["interpreter_needed"] = is_checked(form, "interpreter_needed")
    v["preferred_channel"] = c.choice("preferred_channel", _("Voorkeurskanaal"), CHANNELS)
    if v["literacy"] == "illiterate" and v["preferred_channel"] in {"letter", "email"}:
        c.errors["preferred_channel"] = _("Deze persoon kan niet lezen: kies telefoon (met tolk) of app als kanaal.")
    v["phone"] = c.text("phone", _("Telefoon"))
    if v["phone"] and not re.fullmatch(r"\+?[\d\s\-()]{6,20}", v["phone"]):
        c.errors["phone"] = _("Telefoonnummer mag alleen cijfers, spaties, +, - en haakjes bevatten.")
    v["email"] = c.text("email", _("E-mail"))
    if v["email"] and not _EMAIL.match(v["email"]):
        c.errors["email"] = _("E-mailadres '{email}' is ongeldig.").format(email=v["email"])
    v["functional_limitations"] = c.text("functional_limitations", _("Functionele beperkingen"))
    v["iban"] = c.run("iban", check_iban, form.get("iban", "")) or ""
    years = c.text("education_years", _("Jaren onderwijs"))
    v["education_years"] = None
    if years:
        if years.isascii() and years.isdigit() and int(years) <= 30:
            v["education_years"] = int(years)
        else:
            c.errors["education_years"] = _("Jaren onderwijs moet een heel getal tussen 0 en 30 zijn.")
    v["education_history"] = c.text("education_history", _("Opleiding en werk"))
    v["learning_limitations"] = c.text("learning_limitations", _("Leerbeperkingen"))
    c.errors.update(screened)
    return v, c.errors


def _check_household(household: list[dict], today: date, errors: dict[str, str]) -> list[dict]:
    members = []
    for index, raw in enumerate(household):
        prefix = f"household.{index}."
        raw, screened = screen_form(raw if isinstance(raw, dict) else {})
        name = ""
        try:
            name = check_text(raw.get("name"), _("Naam van het gezinslid"), max_length("member_name"), required=True,
                              required_message=_("Naam van het gezinslid is verplicht."))
        except ValueError as exc:
            errors[prefix + "name"] = str(exc)
        relation = str(raw.get("relationship") or "")
        if relation not in RELATIONSHIPS:
            errors[prefix + "relationship"] = _("Kies de relatie (partner, kind, ouder, anders).")
        born = None
        try:
            born = parse_date(str(raw.get("birth_date") or ""), _("Geboortedatum gezinslid"))
            if born > today:
                errors[prefix + "birth_date"] = _("Geboortedatum gezinslid ligt in de toekomst.")
            else:
                check_birth_date(born, _("Geboortedatum gezinslid"), today)
        except ValueError as exc:
            errors[prefix + "birth_date"] = str(exc)
        errors.update({prefix + key: message for key, message in screened.items()})
        members.append({"name": name, "relationship_kind": relation, "birth_date": born,
                        "abroad": is_checked(raw, "abroad")})
    return members
