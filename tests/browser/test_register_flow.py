"""Main flow of the foundation: a regisseur registers a statushouder; a taalschool sees no health or money."""

import re

from playwright.sync_api import expect


def _fill_person(page, **overrides):
    values = {
        "#given_names": "Amanuel", "#family_name": "Ghebre", "#name_own_script": "ኣማኑኤል ግብረ",
        "#birth_date": "2004-05-06", "#v_number": "2300000001", "#bsn": "123456789",
        "#permit_date": "2026-06-01", "#koppeling_date": "2026-06-12", "#azc": "AZC Zeist",
        "#spoken_languages": "tir", "#read_languages": "tir", "#phone": "06 1111 2222",
        "#functional_limitations": "Hoort slecht aan het linkeroor.", "#iban": "NL91ABNA0417164300",
    }
    values.update(overrides)
    for selector, value in values.items():
        page.fill(selector, value)
    page.select_option("#country_of_origin", "ER")
    page.select_option("#residence_status", "asylum")
    page.select_option("#letter_language", "ti_ER")
    page.select_option("#literacy", "limited")
    page.select_option("#preferred_channel", "phone")


def test_regisseur_registers_and_taalschool_sees_no_health_or_money(app_url, new_page, login):
    page = login(new_page(), "regisseur")
    expect(page.locator("#whoami")).to_contain_text("Regisseur / klantmanager")
    page.get_by_role("link", name="Nieuwe statushouder").click()
    page.wait_for_selector("#given_names")
    _fill_person(page)
    page.fill("#email", "amanuel@")  # the server says what is wrong, in Dutch; no browser tooltip blocks it

    # A wrong BSN is refused next to the field, and nothing typed is lost.
    page.click("#register-submit")
    expect(page.locator("#bsn-error")).to_contain_text("elfproef")
    expect(page.locator("#email-error")).to_be_visible()
    page.fill("#email", "")
    # announced next to the field: the field is invalid and described by the alert under it
    expect(page.locator("#bsn")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#bsn")).to_have_attribute("aria-describedby", "bsn-error")
    expect(page.locator("#bsn-error")).to_have_attribute("role", "alert")
    expect(page.locator("#given_names")).to_have_attribute("aria-invalid", "false")
    expect(page.locator("#given_names")).to_have_value("Amanuel")
    expect(page.locator("#functional_limitations")).to_have_value("Hoort slecht aan het linkeroor.")

    page.fill("#bsn", "")
    page.click("#register-submit")
    page.wait_for_url(re.compile(r".*/dossier\?id=\d+"))
    expect(page.locator("#file-title")).to_contain_text("Amanuel Ghebre")

    # Involve the language school, then find the person in the list.
    page.select_option("#link-org", label="Taalschool De Brug")
    page.get_by_role("button", name="Koppelen", exact=True).click()
    expect(page.get_by_text("Partner gekoppeld.")).to_be_visible()
    # Consent given with an interpreter present: the legal record says so.
    page.select_option("#consent-org", label="VluchtelingenWerk Gooi")
    page.check("#interpreter_present")
    page.get_by_role("button", name="Toestemming vastleggen").click()
    expect(page.locator("#consents-table")).to_contain_text("VluchtelingenWerk Gooi")
    expect(page.locator("#consents-table tbody tr").last.locator("td").nth(4)).to_have_text("ja")  # Tolk

    # The housing offer date for the dashboard: an impossible date is refused next to the field.
    page.fill("#housing_offer_date", "2026-06-01")
    page.locator("#housing_offer_date-form").get_by_role("button", name="Opslaan").click()
    expect(page.locator("#housing_offer_date-error")).to_contain_text("niet vóór de koppeling")
    page.fill("#housing_offer_date", "2026-08-20")
    page.locator("#housing_offer_date-form").get_by_role("button", name="Opslaan").click()
    expect(page.get_by_text("Mijlpaal vastgelegd.")).to_be_visible()
    expect(page.locator("#housing_offer_date")).to_have_value("2026-08-20")
    page.click("nav >> text=Statushouders")
    page.fill("#search", "ghebre")
    page.get_by_role("button", name="Filteren").click()
    expect(page.locator("#persons-table")).to_contain_text("Amanuel Ghebre")
    page.click("#logout")
    page.wait_for_url("**/login")

    school = login(new_page(), "taalschool")
    school.fill("#search", "ghebre")
    school.get_by_role("button", name="Filteren").click()
    school.click("text=Amanuel Ghebre")
    expect(school.locator("#file-groups")).to_contain_text("Leerroute")
    expect(school.locator("#file-groups")).not_to_contain_text("Functionele beperkingen")
    expect(school.locator("#file-groups")).not_to_contain_text("IBAN")
    expect(school.locator("#file-groups")).not_to_contain_text("Hoort slecht")
    expect(school.locator("#hidden-groups")).to_contain_text("Gezondheid")
    expect(school.locator("#hidden-groups")).to_contain_text("Financiën")
    # The school records the first lesson; the housing offer is not theirs to record.
    expect(school.locator("#housing_offer_date")).to_have_count(0)
    school.fill("#first_lesson_date", "2026-09-07")
    school.locator("#first_lesson_date-form").get_by_role("button", name="Opslaan").click()
    expect(school.get_by_text("Mijlpaal vastgelegd.")).to_be_visible()
    school.click("#logout")
    school.wait_for_url("**/login")
    school.goto(f"{app_url}/personen")
    school.wait_for_url("**/login")


def test_wrong_password_says_so_and_keeps_the_name(new_page, app_url):
    page = new_page()
    page.goto(f"{app_url}/login")
    page.fill("#username", "regisseur")
    page.fill("#password", "fout")
    page.click("#login-submit")
    expect(page.locator("#login-error")).to_contain_text("klopt niet")
    expect(page.locator("#username")).to_have_value("regisseur")


def test_a_bidi_override_is_refused_next_to_its_field_and_the_rest_of_the_form_stays(app_url, new_page, login):
    page = login(new_page(), "regisseur")
    page.goto(f"{app_url}/personen/nieuw")
    page.wait_for_selector("#given_names")
    _fill_person(page, **{"#given_names": "Ama\u202enuel", "#v_number": "2300000077", "#bsn": ""})
    page.click("#register-submit")
    expect(page.locator("#given_names-error")).to_contain_text("U+202E")
    expect(page.locator("#family_name-error")).to_have_count(0)
    expect(page.locator("#family_name")).to_have_value("Ghebre")  # nothing else the user typed is lost
    expect(page.locator("#azc")).to_have_value("AZC Zeist")
    expect(page.locator("#functional_limitations")).to_have_value("Hoort slecht aan het linkeroor.")
    expect(page.locator("#given_names")).to_have_attribute("maxlength", "200")


def test_a_partner_abroad_is_registered_and_arrives_as_a_life_event(app_url, new_page, login):
    """Gezinshereniging: the partner is on the file as abroad from the start, and arrives as a life event."""
    from datetime import date, timedelta

    page = login(new_page(), "regisseur")
    page.get_by_role("link", name="Nieuwe statushouder").click()
    page.wait_for_selector("#given_names")
    _fill_person(page, **{"#given_names": "Mehari", "#family_name": "Abraha", "#name_own_script": "",
                          "#v_number": "2300000077", "#bsn": "", "#email": ""})
    page.get_by_role("button", name="Gezinslid toevoegen").click()
    page.fill("#member-name-0", "Selam Abraha")
    page.select_option("#member-rel-0", "partner")
    page.fill("#member-birth-0", "1998-02-03")
    page.click("#member-abroad-0")  # a controlled box: checked once the server has the row
    expect(page.locator("#member-abroad-0")).to_be_checked()
    page.click("#register-submit")
    page.wait_for_url(re.compile(r".*/dossier\?id=\d+"))
    expect(page.locator("#household")).to_contain_text(
        "Selam Abraha — Partner, 1998-02-03 (in het buitenland, komt later (gezinshereniging))")

    page.click("#to-plan")
    page.wait_for_url(re.compile(r".*/plan\?id=\d+"))
    page.wait_for_selector("#plan-person")
    page.fill("#intake_at", f"{(date.today() + timedelta(days=3)).isoformat()}T10:00")
    page.fill("#intake_location", "Stadhuis")
    page.fill("#intake_reason", "op verzoek van de persoon")
    page.click("#schedule-submit")
    expect(page.locator("#intake-when")).to_be_visible()
    expect(page.locator("#family_reunification")).to_be_checked()  # the file says family is abroad

    page.select_option("#event_event_kind", "family_arrival")
    page.select_option("#event_member_id", label="Selam Abraha (partner)")
    page.fill("#event_event_on", date.today().isoformat())
    page.click("#event-preview")
    box = page.locator("#event-preview-box")
    expect(box).to_contain_text("Huishouden: Selam Abraha (partner) aangekomen op")
    page.click("#event-record")
    expect(page.locator("#notice")).to_contain_text("Levensgebeurtenis vastgelegd")
    expect(page.locator("#actions-table")).to_contain_text("Inschrijving in de BRP en een eigen brede intake")

    page.get_by_role("link", name="Naar dossier").click()
    page.wait_for_url(re.compile(r".*/dossier\?id=\d+"))
    member = page.locator("#household")
    expect(member).to_contain_text(f"Selam Abraha — Partner, 1998-02-03 (aangekomen op {date.today().isoformat()})")
    expect(member).not_to_contain_text("in het buitenland")
