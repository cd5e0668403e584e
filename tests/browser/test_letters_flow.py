"""Letters page: the regisseur makes an invitation for Yonas (Dutch + Tigrinya) and downloads it;
the language school only sees its own letter type."""

import re

from playwright.sync_api import expect


def _open_letters_of_yonas(page, app_url):
    page.fill("#search", "tesfay")
    page.click("text=Filteren")
    page.click("text=Yonas Tesfay")
    page.wait_for_url(re.compile(r".*/dossier\?id=\d+"))
    # The workspace links carry the id only once the file has loaded (before that: id=0).
    expect(page.locator("#file-title")).to_contain_text("Yonas Tesfay")
    page.click("#to-letters")
    page.wait_for_url(re.compile(r".*/brieven\?id=[1-9]\d*"))
    expect(page.locator("#letters-title")).to_contain_text("Yonas Tesfay")


def test_regisseur_makes_and_downloads_a_bilingual_invitation(app_url, new_page, login):
    page = login(new_page(), "regisseur")
    _open_letters_of_yonas(page, app_url)
    expect(page.locator("#translation-gaps")).to_contain_text("Tigrinya")
    expect(page.locator("#person-gap")).to_contain_text("nog niet nagekeken")

    # A plan letter is not available yet: the reason is shown next to the field.
    page.select_option("#letter_type", "plan_summary")
    page.click("#produce")
    expect(page.locator("#letter_type-error")).to_contain_text("nog geen plan")

    # Missing date: message next to the field, the place typed stays.
    page.select_option("#letter_type", "intake_invitation")
    page.fill("#place", "Gemeentehuis, kamer 2.14")
    page.click("#produce")
    expect(page.locator("#date-error")).to_contain_text("datum")
    expect(page.locator("#place")).to_have_value("Gemeentehuis, kamer 2.14")

    page.fill("#date", "2026-12-03")
    page.fill("#time", "10:00")
    page.click("#produce")
    expect(page.locator("#notice")).to_contain_text("gemaakt en bewaard", timeout=60_000)
    expect(page.locator("#letters-table")).to_contain_text("Uitnodiging brede intake")
    expect(page.locator("#letters-table")).to_contain_text("Tigrinya")

    with page.expect_download() as info:
        page.click("#letters-table >> text=Download")
    download = info.value
    assert re.match(r"BR-\d{4}-[0-9A-F]{8}-intake_invitation-ti_ER\.pdf", download.suggested_filename)
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_the_language_school_only_handles_its_enrolment_letter(app_url, new_page, login):
    page = login(new_page(), "taalschool")
    _open_letters_of_yonas(page, app_url)
    options = page.locator("#letter_type option").all_inner_texts()
    assert [o for o in options if "kies" not in o] == ["Inschrijving taalschool"]
    expect(page.locator("#no-letters")).to_be_visible()  # the invitation made by the regisseur is not listed
