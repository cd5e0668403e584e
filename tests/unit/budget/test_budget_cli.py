"""Operator commands: the configured norms, and checking a pain.001 file against the XSD."""

from datetime import date

from statushouders.__main__ import main
from statushouders.budget import config, sepa


def test_norms_command_lists_dated_norms(capsys):
    assert main(["normen"]) == 0
    out = capsys.readouterr().out
    assert "vanaf 2025-07-01" in out and "€ 1.300,61" in out and "nog te controleren" in out


def test_sepa_check_accepts_a_valid_file_and_refuses_a_broken_one(tmp_path, capsys):
    transfer = sepa.Transfer("EP1-LG-202612", 12345, "Yonas Tesfay", "NL20INGB0001234567", "Leefgeld", False,
                             date(2026, 12, 1))
    good = tmp_path / "good.xml"
    good.write_bytes(sepa.build_pain001(config.debtor_for("Hilversum"), [transfer], "EP-TEST-1"))
    assert main(["sepa-controle", str(good)]) == 0
    assert "Geldig pain.001.001.09" in capsys.readouterr().out
    bad = tmp_path / "bad.xml"
    bad.write_bytes(good.read_bytes().replace(b"<NbOfTxs>1</NbOfTxs>", b"<NbOfTxs>een</NbOfTxs>", 1))
    assert main(["sepa-controle", str(bad)]) == 1
    assert "voldoet niet" in capsys.readouterr().out
