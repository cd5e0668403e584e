"""The statushouder's own view: a code from the gemeente, their language, RTL on a phone, consent withdrawal,
"call me" handled by the partner, and all of it with the keyboard only."""

import re

from playwright.sync_api import expect

from statushouders import own_messages, own_view

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
    code = _issue_code(login, new_page, app_url, "Yonas Tesfay")  # another Tesfay (Selam) exists in the suite
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
    expect(page.locator("#language-ti_ER")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#language-ar")).to_have_attribute("lang", "ar")  # each name in its own language
    page.click("#language-nl")
    expect(page.locator("#language-nl")).to_have_attribute("aria-pressed", "true")
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


def _contact(page, organisation: str):
    """The contact block of one partner and that partner's organisation id (from its call-me button)."""
    block = page.locator(".own-contact", has_text=organisation)
    return block, block.locator("button.call-me").get_attribute("id").removeprefix("call-me-")


def test_zarghuna_asks_the_budget_coach_to_call_and_the_coach_calls_back(login, new_page, app_url):
    code = _issue_code(login, new_page, app_url, "Ahmadi")
    page = _sign_in(new_page, app_url, code)
    dari = own_messages.table("fa_AF")
    expect(page.locator("#own-page")).to_have_attribute("lang", "fa-AF")
    coach, org = _contact(page, "Budgetcoaching Gooi")
    page.select_option(f"#call-when-{org}", "morning")
    coach.locator("button.call-me").click()
    status = page.locator(f"#call-status-{org}")
    expect(status).to_have_text(dari[own_view.CALLBACK_NEW].format(organisation=own_view.isolate("Budgetcoaching Gooi")))
    asked = dari[own_view.CALLBACK_ASKED].split("{")[0].strip()
    expect(coach).to_contain_text(asked)
    coach.locator("button.call-me").click()  # a second press: already asked, and when
    expect(status).to_contain_text(dari[own_view.CALLBACK_ALREADY].split("{")[0].strip())
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # the budget coach sees the request where they work, with the number and the language to call in
    staff = login(new_page(), "budgetcoach")
    staff.goto(f"{app_url}/acties")
    row = staff.locator(".callback-row", has_text="Zarghuna Ahmadi")
    expect(row).to_contain_text("06 8765 4321")
    expect(row).to_contain_text("Dari, tolk nodig")
    expect(row).to_contain_text("ochtend")
    row.locator("[id^=reached-callback-]").click()
    expect(staff.locator("#callback-notice")).to_contain_text("Terugbelverzoek afgehandeld")
    expect(staff.locator("#callback-notice")).to_be_focused()
    expect(staff.locator(".callback-row", has_text="Zarghuna Ahmadi")).to_have_count(0)

    page.reload()
    coach, _ = _contact(page, "Budgetcoaching Gooi")
    expect(coach).not_to_contain_text(asked)  # handled: she may ask again


def test_keyboard_only_call_me_and_consent_withdrawal(login, new_page, app_url, keys):
    """Zarghuna on her phone without touching the screen: sign in, ask VluchtelingenWerk to call, withdraw."""
    staff = login(new_page(), "regisseur")
    staff.fill("#search", "Ahmadi")
    staff.get_by_role("button", name="Filteren").click()
    staff.get_by_role("link", name=re.compile("Ahmadi")).first.click()
    staff.select_option("#consent-org", label="VluchtelingenWerk Gooi")
    staff.get_by_role("button", name="Toestemming vastleggen").click()
    expect(staff.get_by_text("Toestemming vastgelegd.")).to_be_visible()
    staff.click("#issue-own-code")
    code = staff.locator("#own-code").inner_text()

    page = new_page(**PHONE)
    page.goto(f"{app_url}/mijn/inloggen")
    page.wait_for_selector("#code")
    keys.type_into(page, "#code", code)
    page.keyboard.press("Enter")
    page.wait_for_url("**/mijn")
    expect(page.locator("#own-name")).to_be_visible()
    page.wait_for_load_state("networkidle")
    dari = own_messages.table("fa_AF")
    vwn, org = _contact(page, "VluchtelingenWerk Gooi")

    keys.tab_to(page, f"#call-when-{org}")
    page.keyboard.press("ArrowDown")  # no preference -> in the morning
    expect(page.locator(f"#call-when-{org}")).to_have_value("morning")
    keys.tab_to(page, f"#call-me-{org}")
    page.keyboard.press("Enter")
    status = page.locator(f"#call-status-{org}")
    expect(status).to_contain_text(dari[own_view.CALLBACK_NEW].split("{")[0].strip())
    expect(page.locator(f"#call-me-{org}")).to_be_focused()
    page.keyboard.press("Space")
    expect(status).to_contain_text(dari[own_view.CALLBACK_ALREADY].split("{")[0].strip())

    partner = login(new_page(), "vwn")
    partner.goto(f"{app_url}/acties")
    expect(partner.locator(".callback-row", has_text="Zarghuna Ahmadi")).to_have_count(1)

    keys.tab_to(page, "#own-consents button[aria-label*='VluchtelingenWerk Gooi']")
    page.keyboard.press("Space")
    expect(page.locator("#own-notice")).to_be_focused()  # not lost at the end of the page
    expect(page.locator("#own-consents")).not_to_contain_text("VluchtelingenWerk Gooi")
    keys.tab_to(page, "#own-logout", backwards=True)  # and on from there, both ways

    # the partner lost access with the consent, so it no longer sees her request either
    partner.reload()
    expect(partner.locator("#callbacks")).to_be_visible()
    expect(partner.locator(".callback-row", has_text="Zarghuna Ahmadi")).to_have_count(0)


def test_the_regisseur_prints_the_login_slip_whose_qr_code_opens_the_sign_in_page(login, new_page, app_url, tmp_path):
    import subprocess

    import zxingcpp
    from PIL import Image
    from pypdf import PdfReader

    staff = login(new_page(), "regisseur")
    staff.fill("#search", "Yonas")
    staff.get_by_role("button", name="Filteren").click()
    staff.get_by_role("link", name=re.compile("Yonas")).first.click()
    staff.click("#issue-own-code")
    code = staff.locator("#own-code").inner_text()
    with staff.expect_download() as download:
        staff.click("#own-code-slip")
    pdf = tmp_path / "slip.pdf"
    download.value.save_as(pdf)
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1 and code in reader.pages[0].extract_text()
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", pdf, tmp_path / "slip"], check=True)
    [qr] = zxingcpp.read_barcodes(Image.open(tmp_path / "slip.png"))
    assert qr.text.endswith(f"/mijn/inloggen?code={code}")
