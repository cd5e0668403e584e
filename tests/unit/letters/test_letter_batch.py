"""The batch command: many letters on all cores, failures reported, the batch goes on."""

from __future__ import annotations

from sqlalchemy import func, select

from statushouders import db, register
from statushouders.letters import batch, cli, sources
from statushouders.models import LetterRecord

from ...conftest import TODAY

OPTIONS = {"date": "2026-12-03", "time": "10:00"}
NAMES = ["Haddad", "Ahmadi", "Tesfay", "Warsame", "Jansen"]


def _persons(session, chain, make_form, count):
    ids = []
    for i in range(count):
        form = make_form(v_number=f"21000001{i:02d}", bsn="", family_name=NAMES[i],
                         letter_language=["ar", "prs", "tir", "so", "nl"][i % 5])
        ids.append(register.register(session, chain["regisseur"], form, [], TODAY).id)
    return ids


def test_a_batch_archives_every_letter_and_reports_failures_without_stopping(session, chain, make_form, db_url, monkeypatch):
    ids = _persons(session, chain, make_form, 5)
    session.commit()
    real = sources._BUILDERS["intake_invitation"]

    def flaky(session_, actor, person_id, options):
        if person_id == ids[1]:
            raise sources.NotAvailable("geen adres bekend")
        context = real(session_, actor, person_id, options)
        if person_id == ids[3]:  # a name the fonts cannot draw: fails in the worker
            from dataclasses import replace
            context = replace(context, recipient=replace(context.recipient, name_own_script="山田"))
        return context

    monkeypatch.setitem(sources._BUILDERS, "intake_invitation", flaky)
    report = batch.run(db.sessionmaker_for(db_url), chain["regisseur"], "intake_invitation", OPTIONS, TODAY,
                       workers=2, progress=False)
    assert [pid for pid, _ in report.produced] == [ids[0], ids[2], ids[4]]
    reasons = dict(report.failed)
    assert reasons[ids[1]] == "geen adres bekend"
    assert "vakjes" in reasons[ids[3]]
    with db.session_scope(db_url) as check:
        stored = check.scalar(select(func.count()).select_from(LetterRecord).where(LetterRecord.batch == report.batch))
    assert stored == 3
    assert "3 gemaakt, 2 mislukt" in report.summary()


def test_the_batch_command_line_prints_a_summary(session, chain, make_form, db_url, capsys):
    _persons(session, chain, make_form, 2)
    session.commit()
    code = cli_main(["letters", "batch", "--type", "intake_invitation", "--user", "regisseur",
                     "--option", "date=2026-12-03", "--option", "time=10:00", "--workers", "1", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0 and "2 gemaakt, 0 mislukt" in out


def cli_main(argv):
    from statushouders.__main__ import main

    return main(argv)
