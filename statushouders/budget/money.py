"""Money as Decimal euros or integer cents; parsing of Dutch amount input. Never float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from ..catalogs import staff_text as _

CENT = Decimal("0.01")


def to_cents(amount: Decimal) -> int:
    scaled = amount.scaleb(2)
    whole = int(scaled)
    if whole == scaled:  # already whole cents (the usual case): exact, fast
        return whole
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_cents(cents: int) -> Decimal:
    return Decimal(int(cents)).scaleb(-2)


def eur(amount: Decimal | int) -> str:
    """Dutch notation: EUR 1.234,56 (cents given as int)."""
    value = from_cents(amount) if isinstance(amount, int) else Decimal(amount).quantize(CENT)
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return f"{sign}€ {whole},{frac}"


_AMOUNT = re.compile(r"^-?\d{1,3}(\.\d{3})*(,\d{1,2})?$|^-?\d+([.,]\d{1,2})?$")


def parse_amount(raw: str) -> Decimal:
    """'1.250,50', '1250.5', '650' -> Decimal; raises ValueError with a message for staff."""
    text = (raw or "").strip().replace("€", "").replace("EUR", "").replace(" ", "")
    if not text:
        raise ValueError(_("Vul een bedrag in."))
    if not _AMOUNT.match(text):
        raise ValueError(_("Geen geldig bedrag. Schrijf bijvoorbeeld 650,00."))
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") == 1 and len(text.split(".")[1]) == 3:
        text = text.replace(".", "")  # 1.250 means one thousand two hundred fifty
    try:
        return Decimal(text).quantize(CENT)
    except InvalidOperation:
        raise ValueError(_("Geen geldig bedrag. Schrijf bijvoorbeeld 650,00.")) from None
