"""The privacy officer pages through 10,000+ audit entries, filters them and exports CSV; others are refused."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select

from statushouders import audit, audit_view
from statushouders.models import AuditEntry
from statushouders.policy import AccessDenied

START = datetime(2026, 10, 1, 8, 0, tzinfo=timezone.utc)
ORGS = ("Gemeente Hilversum", "VluchtelingenWerk", "Taalschool Gooi")
USERS = ("Anouk de Vries", "Pieter Jansen", "Fatima El Idrissi", "Sanne 100% Mulder")
ACTIONS = (audit.READ, audit.READ, audit.CHANGE, audit.EXPORT, audit.REFUSED)


@pytest.fixture
def log(session):
    """10,200 entries: one every 5 minutes from 1 October 2026, cycling users, organisations and actions."""
    rows = [{"at": START + timedelta(minutes=5 * i), "user_id": None, "user_name": USERS[i % 4],
             "organisation": ORGS[i % 3], "role": "x", "person_id": 1 + i % 7, "action": ACTIONS[i % 5],
             "what": f"regel {i}", "why": "test", "prev_hash": "0" * 64, "hash": f"{i:064d}", "key_id": None}
            for i in range(10_200)]
    session.execute(insert(AuditEntry), rows)
    session.flush()
    return rows


def _f(**values) -> audit_view.AuditFilter:
    checked, errors = audit_view.parse_filter(values)
    assert errors == {}
    return checked


def test_pages_of_50_newest_first_through_more_than_10000_entries(session, chain, log):
    privacy = chain["privacy"]
    first, total = audit_view.search(session, privacy, _f(organisation="taalschool"))
    assert total == 3_400 and len(first) == 50
    assert [e.what for e in first[:2]] == ["regel 10199", "regel 10196"]  # every third entry, newest first
    last, _total = audit_view.search(session, privacy, _f(organisation="taalschool"), page=67)
    assert len(last) == 3_400 - 67 * 50 and last[-1].what == "regel 2"
    beyond, _total = audit_view.search(session, privacy, _f(organisation="taalschool"), page=999)
    assert [e.id for e in beyond] == [e.id for e in last]  # a page past the end shows the last one


def test_filters_combine_person_user_kind_and_dutch_days(session, chain, log):
    privacy = chain["privacy"]
    rows, total = audit_view.search(session, privacy, _f(person="3", user="pieter", kind=audit.READ))
    assert total > 0 and all((e.person_id, e.user_name, e.action) == (3, "Pieter Jansen", "read") for e in rows)
    refused, n_refused = audit_view.search(session, privacy, _f(kind=audit_view.REFUSED_ANY, organisation="Gemeente"))
    assert n_refused == sum(1 for i in range(10_200) if i % 5 == 4 and i % 3 == 0)
    # 2 October in Hilversum runs from 1 October 22:00 to 2 October 22:00 UTC (summer time)
    day, n_day = audit_view.search(session, privacy, _f(**{"from": "2026-10-02", "to": "2026-10-02"}))
    assert n_day == 24 * 12
    assert min(e.at for e in day) >= datetime(2026, 10, 1, 22, 0, tzinfo=timezone.utc)
    _rows, n_percent = audit_view.search(session, privacy, _f(user="100%"))
    assert n_percent == 10_200 // 4  # "%" is a character, not a wildcard


def test_bad_filter_input_gets_a_message_per_field():
    _f_, errors = audit_view.parse_filter({"person": "12a", "from": "2026-13-01", "to": ""})
    assert errors["person"] == "Vul een dossiernummer in (alleen cijfers)."
    assert "from" in errors
    _f_, errors = audit_view.parse_filter({"from": "2026-11-02", "to": "2026-11-01"})
    assert errors == {"to": "De einddatum ligt vóór de begindatum."}


def test_csv_export_has_every_matching_entry_and_is_logged_itself(session, chain, log):
    data = audit_view.export_csv(session, chain["privacy"], _f(person="5", kind=audit.CHANGE))
    table = list(csv.reader(io.StringIO(data), delimiter=";"))
    assert table[0] == list(audit_view.CSV_COLUMNS)
    expected = sum(1 for i in range(10_200) if 1 + i % 7 == 5 and ACTIONS[i % 5] == audit.CHANGE)
    assert len(table) - 1 == expected and all(row[5] == "5" and row[6] == "change" for row in table[1:])
    logged = session.scalars(select(AuditEntry).where(AuditEntry.action == audit.EXPORT,
                                                      AuditEntry.user_name == "Privacy")).all()
    assert len(logged) == 1 and f"{expected} regels" in logged[0].what and "dossier 5" in logged[0].what


@pytest.mark.parametrize("role", ["regisseur", "coordinator", "vwn"])
def test_only_the_privacy_officer_reads_or_exports_the_log(session, chain, role):
    with pytest.raises(AccessDenied):
        audit_view.search(session, chain[role], audit_view.AuditFilter())
    with pytest.raises(AccessDenied):
        audit_view.export_csv(session, chain[role], audit_view.AuditFilter())
