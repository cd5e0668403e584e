"""A minimal camt.053 / camt.054 writer for tests and the bench: statements as a bank would send them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape


@dataclass
class Entry:
    amount_cents: int
    credit: bool = False
    end_to_end_id: str = ""
    reason: str = ""  # ISO return reason code: the entry is a return of our payment
    counterparty: str = "Dudok Wonen"
    iban: str = "NL63TRIO0212345678"
    remittance: str = ""
    booked: bool = True
    day: date = date(2026, 12, 2)


def statement(entries: list[Entry], account: str = "NL91ABNA0417164300", statement_id: str = "STMT-2026-12-02",
              version: str = "camt.053.001.02", message_id: str = "") -> bytes:
    notification = version.startswith("camt.054")
    v08 = version.endswith(".08")
    container, stmt = ("BkToCstmrDbtCdtNtfctn", "Ntfctn") if notification else ("BkToCstmrStmt", "Stmt")
    out = [f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:{version}">',
           f"<{container}><GrpHdr><MsgId>{escape(message_id or 'MSG-' + statement_id)}</MsgId>"
           "<CreDtTm>2026-12-03T07:00:00</CreDtTm></GrpHdr>",
           f"<{stmt}><Id>{escape(statement_id)}</Id><CreDtTm>2026-12-03T07:00:00</CreDtTm>"
           f"<Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>"]
    if not notification:
        for code in ("OPBD", "CLBD"):
            out.append(f"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">0.00</Amt>"
                       "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-02</Dt></Dt></Bal>")
    for e in entries:
        status = "BOOK" if e.booked else "PDNG"
        party, account_tag = ("Dbtr", "DbtrAcct") if e.credit else ("Cdtr", "CdtrAcct")
        name = f"<Pty><Nm>{escape(e.counterparty)}</Nm></Pty>" if v08 else f"<Nm>{escape(e.counterparty)}</Nm>"
        out.append(
            f"<Ntry><Amt Ccy=\"EUR\">{e.amount_cents // 100}.{e.amount_cents % 100:02d}</Amt>"
            f"<CdtDbtInd>{'CRDT' if e.credit else 'DBIT'}</CdtDbtInd>"
            + (f"<Sts><Cd>{status}</Cd></Sts>" if v08 else f"<Sts>{status}</Sts>")
            + f"<BookgDt><Dt>{e.day.isoformat()}</Dt></BookgDt><ValDt><Dt>{e.day.isoformat()}</Dt></ValDt>"
            "<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>"
            "<NtryDtls><TxDtls>"
            f"<Refs><EndToEndId>{escape(e.end_to_end_id or 'NOTPROVIDED')}</EndToEndId></Refs>"
            f"<RltdPties><{party}>{name}</{party}><{account_tag}><Id><IBAN>{e.iban}</IBAN></Id></{account_tag}>"
            "</RltdPties>"
            + (f"<RmtInf><Ustrd>{escape(e.remittance)}</Ustrd></RmtInf>" if e.remittance else "")
            + (f"<RtrInf><Rsn><Cd>{e.reason}</Cd></Rsn></RtrInf>" if e.reason else "")
            + "</TxDtls></NtryDtls></Ntry>")
    out.append(f"</{stmt}></{container}></Document>")
    return "".join(out).encode("utf-8")
