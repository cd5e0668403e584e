"""Budget commands for ``python -m statushouders``: show the norms, check a pain.001 file."""

from __future__ import annotations

import re
from pathlib import Path

from . import config, sepa
from .money import eur


def _norms(_args) -> int:
    print("Bijstandsnormen (netto per maand, excl. vakantiegeld):")
    for n in sorted(config.NORMS, key=lambda n: (n.valid_from, n.kind)):
        mark = "" if n.confirmed else "  (nog te controleren)"
        print(f"  vanaf {n.valid_from.isoformat()}  {config.HOUSEHOLD_KINDS[n.kind]:<24} {eur(n.amount):>12}{mark}")
    print(f"Minimum leefgeld voor waarschuwing: {eur(config.MINIMUM_LEEFGELD)}")
    return 0


def _check(args) -> int:
    xml = Path(args.file).read_bytes()
    found = re.search(rb"urn:iso:std:iso:20022:tech:xsd:(pain\.001\.001\.\d\d)", xml[:500])
    schema = args.schema or (found.group(1).decode() if found else config.DEFAULT_SCHEMA)
    try:
        sepa.validate(xml, schema)
    except sepa.SepaInvalid as exc:
        print(exc)
        return 1
    print(f"Geldig {schema}-bestand; SHA-256 {sepa.sha256(xml)}")
    return 0


def register(sub) -> None:
    sub.add_parser("normen", help="bijstandsnormen (gedateerde configuratie) tonen").set_defaults(run=_norms)
    check = sub.add_parser("sepa-controle", help="een pain.001-bestand tegen de XSD controleren")
    check.add_argument("file")
    check.add_argument("--schema", choices=config.SEPA_SCHEMAS)
    check.set_defaults(run=_check)
