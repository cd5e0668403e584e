"""Coordinator page: the coordinator runs one persona on a scratch database and sees its journey and findings;
a partner has no persona link and is refused."""

from playwright.sync_api import expect


def test_coordinator_runs_a_persona_and_sees_findings(app_url, new_page, login):
    page = login(new_page(), "coordinator")
    page.click("text=Persona's")
    page.wait_for_url("**/personas")
    page.select_option("#persona", "olena")
    page.click("#run-personas")
    expect(page.locator("#run-notice")).to_contain_text("1 persona", timeout=120_000)
    journey = page.locator("#journey-olena")
    expect(journey).to_contain_text("Olena")
    expect(journey).to_contain_text("Geen PIP")
    # words, not codes: the letter language and the route in Dutch, the banner agrees with the findings
    expect(journey).to_contain_text("Brieftaal: Oekraïens · Leerroute: geen PIP")
    expect(journey.locator(".outcome")).to_have_text("Geen bevindingen")
    expect(journey.locator(".finding")).to_have_count(0)
    # no PIP under temporary protection: the letter that says why, in Ukrainian (the uk catalog is complete)
    expect(journey).to_contain_text("Brief: Tijdelijke bescherming: geen PIP, wel hulp (Oekraïens)")
    # the klantreis drawing: every step on the line, with the waiting time between the steps
    klantreis = journey.locator(".klantreis svg")
    expect(klantreis).to_contain_text("Inschrijving BRP en registratie")
    expect(klantreis).to_contain_text("14 dagen")
    expect(journey).to_contain_text("Om van te leven per maand")
    with page.expect_download() as info:
        journey.locator(".download-html").click()
    assert info.value.suggested_filename == "klantreis-olena.html"

    partner = login(new_page(), "taalschool")
    expect(partner.locator("nav")).not_to_contain_text("Persona's")
    partner.goto(f"{app_url}/personas")
    expect(partner.locator("#denied")).to_be_visible()
