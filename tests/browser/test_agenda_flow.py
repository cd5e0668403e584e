"""Agenda (issue 18) in the browser: the regisseur moves the intake with an interpreter agency, the taalschool
answers "ik kom" on the plan page, a progress talk is planned and called off, and only a beheerder reads
the outbox (no SMTP in the browser suite: every message is held there)."""

import re
from datetime import date, timedelta

from playwright.sync_api import expect

from .test_plan_flow import _open_plan

LIVE = 15_000  # ms: live updates poll every 2 s
AGENCY = "planning@tolkenbureau.example.nl"


def test_invitations_answers_and_the_outbox(new_page, login, app_url):
    regie = login(new_page(), "regisseur")
    url = _open_plan(regie, "Rania")
    expect(regie.locator("#dossier-reference")).to_contain_text("SH-")
    day = (date.today() + timedelta(days=3)).isoformat()
    regie.fill("#intake_at", f"{day}T11:00")
    regie.fill("#intake_location", "Stadhuis Hilversum")
    regie.fill("#intake_reason", "op verzoek van de persoon")
    regie.fill("#intake_interpreter_email", AGENCY)
    regie.click("#schedule-submit")
    expect(regie.locator("#notice")).to_contain_text("agenda-uitnodiging")
    expect(regie.locator("#intake-when")).to_contain_text(f"{day} 11:00")

    # The taalschool, invited in the demo, answers for its own organisation on the plan page.
    school = login(new_page(), "taalschool")
    school.goto(url)
    school.wait_for_selector("#plan-person")
    expect(school.locator("#my-response")).to_contain_text("nog niet gegeven")
    school.click("#respond-yes")
    expect(school.locator("#my-response")).to_contain_text("u komt")
    expect(regie.locator("#participants")).to_contain_text("antwoord: Komt", timeout=LIVE)
    expect(school.locator("#intake-cancel-submit")).to_have_count(0)  # calling off is the regisseur's

    # A progress talk: planned, then called off.
    regie.fill("#talk_at", f"{(date.today() + timedelta(days=90)).isoformat()}T10:00")
    regie.fill("#talk_location", "Stadhuis Hilversum")
    regie.fill("#talk_reason", "op verzoek van de persoon")
    regie.click("#talk-submit")
    expect(regie.locator("#talks-table")).to_contain_text("Gepland")
    regie.locator(".talk-row").get_by_role("button", name=re.compile("Afzeggen")).click()
    expect(regie.locator("#talks-table")).to_contain_text("Afgezegd")

    # The outbox: refused for the regisseur, readable for the gemeente's beheerder.
    regie.goto(f"{app_url}/outbox")
    expect(regie.locator("#denied")).to_contain_text("uitgaande berichten")
    admin = login(new_page(), "beheerder", then="/outbox")
    table = admin.locator("#outbox")
    expect(table).to_contain_text("Gewijzigd: Gezamenlijke intake")
    expect(table).to_contain_text(AGENCY)
    expect(table).to_contain_text("Afgezegd: Voortgangsgesprek")
    expect(table).to_contain_text("Niet verzonden: geen SMTP")
    admin.locator(".outbox-row", has_text=AGENCY).first.get_by_role("button", name=re.compile("Bericht lezen")).click()
    expect(admin.locator(".outbox-ics").first).to_contain_text("METHOD:REQUEST")
    expect(admin.locator(".outbox-body").first).to_contain_text("Verzoek om een tolk")
    expect(admin.locator("#outbox")).not_to_contain_text("Haddad")  # initials only
