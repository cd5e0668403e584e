"""sepa.build_pain001 writes the file as text; it must be exactly what sepaxml's SepaTransfer builds."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, datetime
from types import SimpleNamespace

import pytest
import sepaxml.transfer
from lxml import etree
from sepaxml import SepaTransfer

from statushouders.budget import config, sepa


class _Reference(SepaTransfer):
    """sepaxml plus the Dutch structured betalingskenmerk: what build_pain001 used to be built with."""

    def _add_to_batch_list(self, TX, payment):
        if payment.get("structured"):
            rmt = TX["RmtInfNode"]
            rmt.remove(TX["UstrdNode"])
            strd = ET.SubElement(rmt, "Strd")
            ref_inf = ET.SubElement(strd, "CdtrRefInf")
            tp = ET.SubElement(ref_inf, "Tp")
            ET.SubElement(ET.SubElement(tp, "CdOrPrtry"), "Cd").text = "SCOR"
            ET.SubElement(tp, "Issr").text = "CUR"
            ET.SubElement(ref_inf, "Ref").text = payment["description"]
        super()._add_to_batch_list(TX, payment)


def _reference(debtor, transfers, message_id, schema):
    ref = _Reference({"name": debtor.name, "IBAN": debtor.iban, "BIC": debtor.bic, "batch": True, "currency": "EUR"},
                     schema=schema, clean=False)
    ref._xml.find("CstmrCdtTrfInitn").find("GrpHdr").find("MsgId").text = message_id
    for t in transfers:
        ref.add_payment({"name": t.creditor_name[:70], "IBAN": t.creditor_iban, "amount": int(t.amount_cents),
                         "execution_date": t.execution_date, "description": t.reference[:140],
                         "endtoend_id": t.end_to_end_id, "structured": t.structured_reference})
    return ref.export(validate=False)


def _canonical(xml: bytes) -> bytes:
    return etree.tostring(etree.fromstring(xml, parser=etree.XMLParser(huge_tree=True)), method="c14n")


class _FixedClock:
    @staticmethod
    def now():
        return datetime(2026, 11, 23, 9, 30, 5)


def _ids():
    counter = iter(range(1000))
    return lambda name: f"{name[:10]}-{next(counter)}"


@pytest.fixture
def fixed_ids(monkeypatch):
    """The two parts sepaxml makes up: the creation time and a random PmtInfId per block."""
    monkeypatch.setattr(sepa, "make_id", _ids())
    monkeypatch.setattr(sepaxml.transfer, "make_id", _ids())
    monkeypatch.setattr(sepa, "datetime", _FixedClock)
    monkeypatch.setattr(sepaxml.transfer, "datetime", SimpleNamespace(datetime=_FixedClock, date=date))


TRANSFERS = [
    sepa.Transfer("EP1-FC1-202612", 65000, "Dudok Wonen", "NL63TRIO0212345678", "3000000000000101", True,
                  date(2026, 12, 1)),
    sepa.Transfer("EP1-LG-202612", 37662, "Persoon Een", "NL20INGB0001234567", "Leefgeld 12-2026", False,
                  date(2026, 12, 24)),
    sepa.Transfer("EP2-FC7-202612", 5, "Eneco & Zn <B.V.>", "NL91ABNA0417164300", "Energie 12-2026 \"dec\" & <x>",
                  False, date(2026, 12, 1)),
    sepa.Transfer("EP3-FC9-202612", 99, "W" * 80, "NL63TRIO0212345678", "R" * 200, False, date(2026, 12, 15)),
    sepa.Transfer("EP3-FC10-202612", 1250, "Vitens", "NL63TRIO0212345678", "Water 12-2026", False, date(2026, 12, 15)),
]
EMPTY_REFERENCE = sepa.Transfer("EP4-FC11-202612", 100, "Vitens", "NL63TRIO0212345678", "", False, date(2026, 12, 1))


@pytest.mark.parametrize("schema", ["pain.001.001.09", "pain.001.001.03"])
def test_pain001_matches_sepaxml(fixed_ids, schema):
    debtor = config.debtor_for("Hilversum")
    built = sepa.build_pain001(debtor, TRANSFERS, "EP-HILVERSUM-202612-R1", schema)
    reference = _reference(debtor, TRANSFERS, "EP-HILVERSUM-202612-R1", schema)
    assert _canonical(built) == _canonical(reference)
    # An empty reference (the XSD refuses it, so validation stops such a file) is written the same too.
    odd = [*TRANSFERS, EMPTY_REFERENCE]
    assert _canonical(sepa.build_pain001(debtor, odd, "M", schema)) == _canonical(_reference(debtor, odd, "M", schema))
    with pytest.raises(sepa.SepaInvalid):
        sepa.validate(sepa.build_pain001(debtor, odd, "M", schema), schema)
    assert built.startswith(b'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:')
    sepa.validate(built, schema)


def test_pain001_blocks_per_execution_date_in_order_of_first_use(fixed_ids):
    xml = sepa.build_pain001(config.debtor_for("Hilversum"), TRANSFERS, "EP-X")
    ns = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"}
    doc = etree.fromstring(xml)
    assert doc.xpath("//p:PmtInf/p:ReqdExctnDt/p:Dt/text()", namespaces=ns) == ["2026-12-01", "2026-12-24", "2026-12-15"]
    assert doc.xpath("//p:PmtInf/p:NbOfTxs/text()", namespaces=ns) == ["2", "1", "2"]
    assert doc.xpath("//p:PmtInf/p:CtrlSum/text()", namespaces=ns) == ["650.05", "376.62", "13.49"]
    assert doc.xpath("string(//p:GrpHdr/p:CtrlSum)", namespaces=ns) == "1040.16"
    assert doc.xpath("string(//p:GrpHdr/p:NbOfTxs)", namespaces=ns) == "5"
    assert doc.xpath("string(//p:Cdtr/p:Nm[starts-with(., 'Eneco')])", namespaces=ns) == "Eneco & Zn <B.V.>"
