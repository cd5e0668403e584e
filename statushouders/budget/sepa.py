"""SEPA pain.001 credit-transfer files (sepaxml's layout), checked against the official XSD before use.

sepaxml ships the ISO 20022 XSDs; validation runs through libxml2 (lxml) because the
pure-Python validator needs ~25 s for a 50,000-payment file.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date, datetime
from functools import lru_cache
from typing import Iterable, NamedTuple

import sepaxml
from lxml import etree
from sepaxml.utils import int_to_decimal_str, make_id

from .config import SEPA_SCHEMAS, DebtorAccount

SCHEMA_DIR = os.path.join(os.path.dirname(sepaxml.__file__), "schemas")


class SepaInvalid(ValueError):
    """The generated file does not match the XSD; it is never offered for download."""


class Transfer(NamedTuple):  # immutable; a tuple because approval builds one per payment (~50,000)
    end_to_end_id: str
    amount_cents: int
    creditor_name: str
    creditor_iban: str
    reference: str
    structured_reference: bool
    execution_date: date


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _leaf(tag: str, text: str) -> str:
    return f"<{tag}>{_escape(text)}</{tag}>"


def _amount(cents: int) -> str:
    """Cents as the decimal string sepaxml writes (``int_to_decimal_str``): 5 -> 0.05, 65000 -> 650.00."""
    return int_to_decimal_str(int(cents))


def build_pain001(
    debtor: DebtorAccount, transfers: Iterable[Transfer], message_id: str, schema: str = "pain.001.001.09"
) -> bytes:
    """One pain.001 file: a payment block per execution date (in order of first use) from the debtor account.

    Written directly as text, element for element what sepaxml's ``SepaTransfer`` (batch mode, BIC,
    no addresses) writes, plus the Dutch structured betalingskenmerk (Strd/CdtrRefInf, issuer CUR)
    for a structured reference: building sepaxml's element tree takes ~2 s for 50,000 payments, this
    ~0.2 s. The test ``test_pain001_matches_sepaxml`` compares both; ``validate`` (the XSD) runs on
    every approved file.
    """
    if schema not in SEPA_SCHEMAS:
        raise ValueError(f"Onbekend SEPA-formaat: {schema}")
    batches: dict[str, list[str]] = {}
    totals: dict[str, int] = {}
    for t in transfers:
        cents = int(t.amount_cents)
        day = t.execution_date.isoformat()
        description = _escape(t.reference[:140])
        if t.structured_reference:
            remittance = ("<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry><Issr>CUR</Issr></Tp>"
                          f"<Ref>{description}</Ref></CdtrRefInf></Strd>")
        else:
            remittance = f"<Ustrd>{description}</Ustrd>"
        tx = (f"<CdtTrfTxInf><PmtId><EndToEndId>{_escape(t.end_to_end_id)}</EndToEndId></PmtId>"
              f'<Amt><InstdAmt Ccy="EUR">{_amount(cents)}</InstdAmt></Amt>'
              f"<Cdtr><Nm>{_escape(t.creditor_name[:70])}</Nm></Cdtr>"
              f"<CdtrAcct><Id><IBAN>{_escape(t.creditor_iban)}</IBAN></Id></CdtrAcct>"
              f"<RmtInf>{remittance}</RmtInf></CdtTrfTxInf>")
        if day in batches:
            batches[day].append(tx)
            totals[day] += cents
        else:
            batches[day] = [tx]
            totals[day] = cents
    bic_tag = "BIC" if schema == "pain.001.001.03" else "BICFI"
    name = _escape(debtor.name)
    debtor_part = (f"<Dbtr><Nm>{name}</Nm></Dbtr><DbtrAcct><Id>{_leaf('IBAN', debtor.iban)}</Id></DbtrAcct>"
                   f"<DbtrAgt><FinInstnId>{_leaf(bic_tag, debtor.bic)}</FinInstnId></DbtrAgt><ChrgBr>SLEV</ChrgBr>")
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<Document xmlns="urn:iso:std:iso:20022:tech:xsd:{schema}" '
           'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><CstmrCdtTrfInitn><GrpHdr>',
           _leaf("MsgId", message_id), _leaf("CreDtTm", datetime.now().strftime("%Y-%m-%dT%H:%M:%S")),
           _leaf("NbOfTxs", str(sum(len(b) for b in batches.values()))),
           _leaf("CtrlSum", _amount(sum(totals.values()))),
           f"<InitgPty><Nm>{name}</Nm></InitgPty></GrpHdr>"]
    for day, txs in batches.items():
        when = day if schema == "pain.001.001.03" else f"<Dt>{day}</Dt>"
        out.append(f"<PmtInf>{_leaf('PmtInfId', make_id(debtor.name))}<PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>"
                   f"<NbOfTxs>{len(txs)}</NbOfTxs><CtrlSum>{_amount(totals[day])}</CtrlSum>"
                   f"<PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf><ReqdExctnDt>{when}</ReqdExctnDt>"
                   f"{debtor_part}")
        out.extend(txs)
        out.append("</PmtInf>")
    out.append("</CstmrCdtTrfInitn></Document>")
    return "".join(out).encode("utf-8")


@lru_cache(maxsize=4)
def _schema(schema: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(os.path.join(SCHEMA_DIR, schema + ".xsd")))


def validate(xml: bytes, schema: str) -> None:
    """Raise SepaInvalid (with the first XSD error) unless the file matches the schema."""
    xsd = _schema(schema)
    doc = etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True))
    if not xsd.validate(doc):
        raise SepaInvalid(f"Het SEPA-bestand voldoet niet aan {schema}: {xsd.error_log.last_error}")


def sha256(xml: bytes) -> str:
    return hashlib.sha256(xml).hexdigest()


_DATE_TAG = b"<ReqdExctnDt>"


def requested_execution_date(xml: bytes, end_to_end_id: str) -> date | None:
    """The ReqdExctnDt of the payment block holding this end-to-end id in an archived pain.001 file.

    The file sent to the bank is the truth about when money goes out (runs.approve_run sets
    max(due date, approval day)); letters print this date. None when the id is not in the file.
    """
    at = xml.find(b"<EndToEndId>" + end_to_end_id.encode() + b"</EndToEndId>")
    if at < 0:
        return None
    tag = xml.rfind(_DATE_TAG, 0, at)
    if tag < 0:
        return None
    chunk = xml[tag + len(_DATE_TAG): tag + len(_DATE_TAG) + 40]
    text = chunk.replace(b"<Dt>", b"").split(b"<", 1)[0].strip()  # .09 wraps the date in <Dt>
    return date.fromisoformat(text.decode())
