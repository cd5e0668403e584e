"""Reading persona YAML strictly: every mistake becomes ``(field path, message)`` in the staff UI language.

YAML 1.1 turns ``2026-02-30`` into an exception without a field name, ``no`` (Norway) into
False and ``612.50`` into a float; this loader keeps dates, decimals and yes/no as text so
the reader parses them itself and can name the field of a mistake.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

import yaml

from ..catalogs import staff_text as _

# --- YAML without surprises: dates, decimals and "no" stay text; we parse them ourselves ---------


class Loader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps, floats and yes/no/on/off booleans (only true/false)."""


_SKIP = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:float"}
Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in _SKIP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf"))

MISSING = object()


class Reader:
    """Reads one persona file, collecting ``(field path, message)`` for every mistake."""

    def __init__(self):
        self.errors: list[tuple[str, str]] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append((where, message))

    def section(self, data: object, where: str, allowed: set[str], required: bool = True) -> dict:
        if data is MISSING or data is None:
            if required:
                self.fail(where, _("ontbreekt"))
            return {}
        if not isinstance(data, dict):
            self.fail(where, _("moet een blok met velden zijn"))
            return {}
        for key in data:
            if key not in allowed:
                self.fail(f"{where}.{key}" if where else str(key),
                          _("onbekend veld (toegestaan: {allowed})").format(allowed=", ".join(sorted(allowed))))
        return data

    def items(self, data: dict, key: str, where: str) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(where, _("moet een lijst zijn"))
            return []
        return value

    def text(self, data: dict, key: str, where: str, required: bool = False) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(where, _("ontbreekt"))
            return ""
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            self.fail(where, _("moet tekst zijn"))
            return ""
        return str(value).strip()

    def digits(self, data: dict, key: str, where: str, required: bool = False) -> str:
        value = data.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            self.fail(where, _("zet het nummer tussen aanhalingstekens (een voorloopnul gaat anders verloren)"))
            return ""
        return self.text(data, key, where, required)

    def flag(self, data: dict, key: str, where: str, default: bool | None = None) -> bool:
        value = data.get(key)
        if value is None:
            if default is None:
                self.fail(where, _("ontbreekt (true of false)"))
                return False
            return default
        if not isinstance(value, bool):
            self.fail(where, _("moet true of false zijn"))
            return False
        return value

    def day(self, data: dict, key: str, where: str, required: bool = False) -> date | None:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(where, _("ontbreekt"))
            return None
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.fail(where, _("geen geldige datum (JJJJ-MM-DD)"))
            return None

    def number(self, data: dict, key: str, where: str, low: int, high: int, required: bool = False) -> int | None:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(where, _("ontbreekt"))
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.fail(where, _("moet een heel getal van {low} tot en met {high} zijn").format(low=low, high=high))
            return None
        return value

    def money(self, data: dict, key: str, where: str, required: bool = False) -> Decimal:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.fail(where, _("ontbreekt"))
            return Decimal("0.00")
        try:
            amount = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            self.fail(where, _("'{value}' is geen bedrag (schrijf bijvoorbeeld 612.50)").format(value=value))
            return Decimal("0.00")
        if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:
            self.fail(where, _("'{value}' is geen bedrag in euro's met hoogstens twee decimalen").format(value=value))
            return Decimal("0.00")
        return amount.quantize(Decimal("0.01"))

    def choice(self, data: dict, key: str, where: str, options: dict, required: bool = True) -> str:
        value = self.text(data, key, where, required)
        if value and value not in options:
            self.fail(where, _("onbekende waarde '{value}' (kies uit {choices})").format(
                value=value, choices=", ".join(options)))
            return ""
        return value

    def codes(self, data: dict, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [c for c in re.split(r"[,\s]+", value) if c]
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            self.fail(where, _("moet een lijst met taalcodes zijn"))
            return ()
        return tuple(value)
