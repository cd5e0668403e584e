"""The login-code slip: one printed page in Dutch and the person's language, with the URL and a QR code."""

from __future__ import annotations

import io
import subprocess
from datetime import datetime, timezone

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from statushouders import own_slip
from statushouders.models import Person

EXPIRES = datetime(2026, 12, 7, 14, 30, tzinfo=timezone.utc)  # 15:30 in Hilversum
BASE = "https://eenplan.hilversum.example.nl"


def _person(**overrides) -> Person:
    values = dict(given_names="Yonas", family_name="Tesfay", name_own_script="ዮናስ ተስፋይ", letter_language="ti_ER",
                  bsn="123456782", v_number="2100000001", address="Kerkstraat 1, Hilversum")
    return Person(**{**values, **overrides})


def _qr(pdf: bytes, folder) -> list[str]:
    (folder / "slip.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", folder / "slip.pdf", folder / "slip"], check=True)
    return [code.text for code in zxingcpp.read_barcodes(Image.open(folder / "slip.png"))]


def test_the_slip_is_one_page_whose_qr_code_opens_the_sign_in_page_with_the_code_filled_in(tmp_path):
    pdf = own_slip.render_slip(_person(), "ABCDE-FGHJK", EXPIRES, BASE)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert f"{BASE}/mijn/inloggen?code=ABCDE-FGHJK" in text
    assert "Code: ABCDE-FGHJK" in text
    assert "De code werkt één keer, tot 7 december 2026 15:30. Geef de code aan niemand anders." in text
    assert "ዮናስ ተስፋይ" in text  # the name in the person's own script, drawn with the vendored Ge'ez font
    for secret in ("123456782", "2100000001", "Kerkstraat"):
        assert secret not in text
    assert _qr(pdf, tmp_path) == [f"{BASE}/mijn/inloggen?code=ABCDE-FGHJK"]


@pytest.mark.parametrize("locale, direction", [("ar", "rtl"), ("ti_ER", "ltr"), ("uk", "ltr")])
def test_the_second_half_is_in_the_persons_language_and_direction(locale, direction):
    html = own_slip.slip_html(_person(letter_language=locale), "ABCDE-FGHJK", EXPIRES, BASE)
    assert f'lang="{locale.replace("_", "-")}" dir="{direction}"' in html
    assert html.count("ABCDE-FGHJK") == 3  # the code in both halves and the address between them


def test_a_dutch_reader_gets_one_half_only():
    html = own_slip.slip_html(_person(letter_language="nl", name_own_script=""), "ABCDE-FGHJK", EXPIRES, BASE)
    assert html.count("<section") == 1


def test_only_the_regisseur_prints_a_slip_and_the_print_is_logged(session, chain, make_form):
    from sqlalchemy import select

    from statushouders import own_access, register
    from statushouders.models import AuditEntry
    from statushouders.policy import AccessDenied

    person = register.register(session, chain["regisseur"], make_form(), [], EXPIRES.date())
    code, expires = own_access.issue_code(session, chain["regisseur"], person.id, EXPIRES)
    pdf = own_slip.slip_for(session, chain["regisseur"], person.id, code, expires)
    assert pdf.startswith(b"%PDF")
    printed = session.scalars(select(AuditEntry).where(AuditEntry.action == "print")).all()
    assert [e.what for e in printed] == ["inlogbriefje eigen omgeving afgedrukt"]
    for role in ("vwn", "financien"):
        with pytest.raises(AccessDenied):
            own_slip.slip_for(session, chain[role], person.id, code, expires)
