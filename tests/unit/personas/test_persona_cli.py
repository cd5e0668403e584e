"""`python -m statushouders personas validate [DIR]`: a table of personas, non-zero on errors."""

from __future__ import annotations

from statushouders.__main__ import main
from statushouders.personas import schema


def test_validate_prints_every_persona_and_succeeds(capsys):
    assert main(["personas", "validate"]) == 0
    out = capsys.readouterr().out
    for path in schema.persona_files():
        assert f"\n{path.stem} " in out
    assert "Yonas Tesfay" in out and "housing_norm_exceeded" in out and "letter_unreadable!" in out
    assert f"{len(schema.persona_files())} van {len(schema.persona_files())} persona's geldig" in out


def test_validate_fails_and_names_the_file_and_field(tmp_path, capsys):
    good = (schema.PERSONAS_DIR / "yonas.yaml").read_text(encoding="utf-8")
    (tmp_path / "yonas.yaml").write_text(good, encoding="utf-8")
    (tmp_path / "kapot.yaml").write_text(good.replace("id: yonas", "id: kapot").replace('"2100000001"', '"21"'),
                                         encoding="utf-8")
    assert main(["personas", "validate", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "1 van 2 persona's geldig" in captured.out and "yonas" in captured.out
    assert f"{tmp_path / 'kapot.yaml'}: identity.v_number: V-nummer moet uit 10 cijfers bestaan." in captured.err


def test_validate_an_empty_directory_fails(tmp_path, capsys):
    assert main(["personas", "validate", str(tmp_path)]) == 1
    assert "Geen persona's gevonden" in capsys.readouterr().err
