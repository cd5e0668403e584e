"""The statushouder's own view: a code from the gemeente, their language, RTL on a phone, consent withdrawal."""

import re

from playwright.sync_api import expect

from statushouders import own_messages

PHONE = {"width": 360, "height": 740}


def _issue_code(login, new_page, app_url, name: str) -> str:
    staff = login(new_page(), "regisseur")
    staff.fill("#search", name)
    staff.get_by_role("button", name="Filteren").click()
    staff.get_by_role("link", name=re.compile(name)).first.click()
    staff.click("#issue-own-code")
    code = staff.locator("#own-code").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{5}-[A-Z2-9]{5}", code)
    return code


def _sign_in(new_page, app_url, code: str):
    page = new_page(**PHONE)
    page.goto(f"{app_url}/mijn/inloggen?code={code}")
    expect(page.locator("#code")).to_have_value(code)
    page.click("#code-submit")
    page.wait_for_url("**/mijn")
    expect(page.locator("#own-name")).to_be_visible()
    return page


def test_yonas_reads_his_plan_page_in_tigrinya_and_switches_to_dutch(login, new_page, app_url):
    code = _issue_code(login, new_page, app_url, "Tesfay")
    page = _sign_in(new_page, app_url, code)
    tigrinya = own_messages.table("ti_ER")
    expect(page.locator("#own-page")).to_have_attribute("lang", "ti-ER")
    expect(page.locator("#own-page")).to_have_attribute("dir", "ltr")
    expect(page.locator("h1")).to_have_text(tigrinya["Mijn plan"])
    expect(page.locator("#own-contacts")).to_contain_text("Taalschool De Brug")
    expect(page.locator("#call-us")).to_be_visible()  # Yonas reads little
    # Ge'ez comes from the vendored web font, not from whatever the phone has installed
    assert page.evaluate(
        "document.fonts.ready.then(() => [...document.fonts].some("
        "f => f.family.includes('Noto Sans Ethiopic') && f.status === 'loaded'))"
    )
    page.select_option("#language", "nl")
    expect(page.locator("h1")).to_have_text("Mijn plan")
    expect(page.locator("#own-accesses")).to_contain_text("Klantmanager van de gemeente")


def test_wrong_code_is_refused_next_to_the_field(new_page, app_url):
    page = new_page(**PHONE)
    page.goto(f"{app_url}/mijn/inloggen")
    page.fill("#code", "AAAAA-BBBBB")
    page.click("#code-submit")
    expect(page.locator("#code-error")).to_contain_text("verlopen")
    expect(page.locator("#code")).to_have_value("AAAAA-BBBBB")


def test_rania_sees_rtl_on_a_phone_and_withdraws_consent_for_vluchtelingenwerk(login, new_page, app_url):
    partner = login(new_page(), "vwn")
    partner.fill("#search", "Haddad")
    partner.get_by_role("button", name="Filteren").click()
    expect(partner.locator("#persons-table")).to_contain_text("Rania Haddad")

    code = _issue_code(login, new_page, app_url, "Haddad")
    page = _sign_in(new_page, app_url, code)
    own = page.locator("#own-page")
    expect(own).to_have_attribute("dir", "rtl")
    expect(own).to_have_attribute("lang", "ar")
    # mirrored: the heading starts at the right edge of a 360 px screen
    box = page.locator("h1").bounding_box()
    assert box["x"] + box["width"] > 300
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.locator("#own-consents button").first.click()
    expect(page.locator("#own-notice")).to_be_visible()
    expect(page.locator("#own-consents")).not_to_contain_text("VluchtelingenWerk Gooi")

    partner.get_by_role("button", name="Filteren").click()
    expect(partner.locator("#persons-table")).not_to_contain_text("Rania Haddad")
