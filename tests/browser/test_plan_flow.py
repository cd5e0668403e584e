"""Joint intake: a regisseur and a taalschool user on their own laptops build Yonas' plan together, live."""

from datetime import date, timedelta
import re
from datetime import date

from playwright.sync_api import expect

LIVE = 15_000  # ms: live updates poll every 2 s; allow for a busy CI machine


def _open_plan(page, name: str) -> str:
    page.fill("#search", name)
    page.click("text=Filteren")
    page.click(f"text={name}")
    page.wait_for_url(re.compile(r".*/dossier\?id=\d+"))
    page.click("#to-plan")
    page.wait_for_url(re.compile(r".*/plan\?id=\d+"))
    page.wait_for_selector("#plan-person")
    return page.url


def _assess(page, domain: str, score: str, relevance: str, goals: str) -> None:
    page.select_option("#assess_domain", domain)
    page.select_option("#assess_score", score)
    page.fill("#assess_relevance", relevance)
    page.fill("#assess_goals", goals)
    revision = page.locator("#plan-revision").inner_text()
    page.click("#assessment-submit")
    # The notice of the previous save may still show: wait for this save (the plan's version goes up),
    # and for the emptied form, before the next domain is typed.
    expect(page.locator("#plan-revision")).not_to_have_text(revision)
    expect(page.locator("#notice")).to_contain_text("Leefgebied opgeslagen")
    expect(page.locator("#assess_relevance")).to_have_value("")


def _regisseur_and_school_on_plan(new_page, login, name: str):
    """The regisseur opens the person's plan from the list; the taalschool opens the same page."""
    regie = login(new_page(), "regisseur")
    url = _open_plan(regie, name)
    school = login(new_page(), "taalschool")
    school.goto(url)
    school.wait_for_selector("#plan-person")
    return regie, school


def test_regisseur_and_taalschool_build_one_plan_live(new_page, login, app_url):
    regie, school = _regisseur_and_school_on_plan(new_page, login, "Yonas")
    expect(school.locator("#plan-person")).to_contain_text("Yonas")

    # Presence of the partners at the intake.
    for org in ("Taalschool De Brug", "VluchtelingenWerk Gooi"):
        box = regie.locator("#participants").get_by_label(org)
        box.click()  # the server records presence, then the box shows it
        expect(box).to_be_checked()
    expect(school.locator("#participants")).to_contain_text("aanwezig", timeout=LIVE)
    # The intake is planned for tomorrow: it cannot be marked held yet, and the page says why.
    regie.click("#intake-held-submit")
    expect(regie.locator("#intake_held-error")).to_contain_text("pas op of na die dag")

    # A level that differs from the score's suggestion needs a reason, shown next to the field.
    regie.select_option("#assess_domain", "werk")
    regie.select_option("#assess_score", "4")
    expect(regie.locator("#level-suggestion")).to_contain_text("L3 informatie")
    regie.select_option("#assess_level", "L1")
    regie.fill("#assess_relevance", "wil automonteur worden")
    regie.click("#assessment-submit")
    expect(regie.locator("#assess_level_reason-error")).to_contain_text("Leg uit waarom")
    expect(regie.locator("#assess_relevance")).to_have_value("wil automonteur worden")
    regie.fill("#assess_level_reason", "zegt ja zonder te begrijpen")
    regie.click("#assessment-submit")
    expect(regie.locator("#notice")).to_contain_text("Leefgebied opgeslagen")

    _assess(regie, "inburgering", "2", "start leerroute", "Nederlands leren om monteur te worden")
    _assess(regie, "financien", "1", "informele schulden, ongeopende brieven", "geen schulden")
    expect(school.locator("#assessments-table")).to_contain_text("Inburgering en taal", timeout=LIVE)
    expect(school.locator("#assessments-table")).not_to_contain_text("Financiën")  # not the school's business

    # The draft plan from the templates appears on the school's screen without reloading.
    regie.click("#generate-plan")
    expect(regie.locator("#notice")).to_contain_text("Conceptplan gemaakt")
    expect(school.locator("#actions-table")).to_contain_text("Proefles", timeout=LIVE)
    owners = regie.locator("#plan-owners")
    for org in ("Gemeente Hilversum", "Taalschool De Brug", "VluchtelingenWerk Gooi"):
        expect(owners).to_contain_text(org)

    # The school adds an action of its own; the regisseur sees it live.
    school.click("#add-action-toggle")
    school.select_option("#new_domain", "inburgering")
    school.select_option("#new_kind", "begeleid")
    school.fill("#new_what", "Extra uitspraakles op donderdag")
    school.select_option("#new_owner_id", label="Taalschool De Brug")
    school.click("#add-action-submit")
    expect(school.locator("#new_due_date-error")).to_contain_text("Deadline is verplicht")
    expect(school.locator("#new_what")).to_have_value("Extra uitspraakles op donderdag")
    due = (date.today() + timedelta(days=45)).isoformat()  # within the plan's date bounds (today ± 2 years)
    school.fill("#new_due_date", due)
    school.click("#add-action-submit")
    expect(school.locator("#notice")).to_contain_text("Actie toegevoegd")
    expect(regie.locator("#actions-table")).to_contain_text("Extra uitspraakles", timeout=LIVE)

    # The agreement comes after the intake was held: move it to today and mark it held.
    regie.fill("#intake_at", date.today().isoformat() + "T08:30")
    regie.fill("#intake_reason", "op verzoek van Yonas")
    regie.click("#schedule-submit")
    expect(regie.locator("#notice")).to_contain_text("Intake gepland")
    regie.click("#intake-held-submit")
    expect(regie.locator("#intake-held")).to_be_visible()

    # Agreement: summary on screen, plan active, visible to the school live.
    expect(regie.locator("#agreement-summary")).to_contain_text("Taalschool De Brug")
    regie.fill("#agreement_note", "Samengevat met tolk Tigrinya; Yonas vertelde het terug.")
    regie.click("#agree-submit")
    expect(regie.locator("#agreed")).to_be_visible()
    expect(school.locator("#plan-status")).to_contain_text("Actief", timeout=LIVE)

    # The school's "my actions" lists its own actions for Yonas.
    school.click("nav >> text=Mijn acties")
    school.wait_for_url("**/acties")
    table = school.locator("#my-actions-table")
    expect(table).to_contain_text("Yonas Tesfay")
    expect(table).to_contain_text("Proefles")
    expect(table).to_contain_text("Extra uitspraakles")
    expect(table).not_to_contain_text("bankrekening")


def test_a_partner_without_access_sees_a_clear_refusal(new_page, login, app_url):
    regie = login(new_page(), "regisseur")
    url = _open_plan(regie, "Rania")
    coach = login(new_page(), "budgetcoach")  # Rania gave the budget coach no consent
    coach.goto(url)
    expect(coach.locator("#denied")).to_contain_text("geen toegang")


def test_two_people_editing_one_action_never_overwrite_each_other(new_page, login, app_url):
    regie, school = _regisseur_and_school_on_plan(new_page, login, "Zarghuna")  # the seed gives her an active plan
    school.wait_for_selector("#actions-table")
    for page in (regie, school):
        page.locator(".action-row", has_text="Proefles").get_by_role("button", name="Bewerken").click()
        expect(page.locator("#edit_what")).to_be_visible()
    regie.fill("#edit_what", "Proefles dinsdag 9:00 met tolk Dari")
    regie.click("#edit-submit")
    expect(regie.locator("#notice")).to_contain_text("Actie opgeslagen")

    school.fill("#edit_what", "Proefles woensdag")
    school.click("#edit-submit")
    expect(school.locator("#conflict")).to_contain_text("Iemand anders heeft deze actie net gewijzigd")
    expect(school.locator("#edit_what")).to_have_value("Proefles dinsdag 9:00 met tolk Dari")
    expect(school.locator("#actions-table")).not_to_contain_text("Proefles woensdag")


def test_rania_l3_intake_gives_information_and_checkpoints(new_page, login, app_url):
    regie = login(new_page(), "regisseur")
    _open_plan(regie, "Rania")
    # The intake facts select the actions: a clinical psychologist with diplomas gets BIG registration.
    regie.select_option("#diplomas", "present")
    regie.fill("#occupation", "klinisch psycholoog")
    regie.click("#details-submit")
    expect(regie.locator("#notice")).to_contain_text("Intakegegevens opgeslagen")
    _assess(regie, "werk", "4", "psycholoog; BIG-registratie", "Diplomawaardering en BIG-registratie")
    _assess(regie, "inburgering", "5", "spreekt Engels, wil snel B1", "Hoger dan B1")
    _assess(regie, "financien", "4", "vindt ontzorgen betuttelend", "Zelf mijn geld regelen")
    regie.click("#generate-plan")
    expect(regie.locator("#notice")).to_contain_text("Conceptplan gemaakt")
    actions = regie.locator("#actions-table")
    expect(actions).to_contain_text("Controlemoment")
    expect(actions).to_contain_text("BIG-registratie")
    expect(actions).to_contain_text("vorig beroep 'klinisch psycholoog' is een BIG-beroep")  # why it is there
    expect(actions).not_to_contain_text("Begeleid (samen doen)")
    expect(regie.locator("#assessments-table")).to_contain_text("L3 informatie")


def test_live_updates_come_back_after_the_network_drops(new_page, login, app_url):
    """A lost connection cancels the page's poll; the reconnect loads the page again and polls anew."""
    regie, school = _regisseur_and_school_on_plan(new_page, login, "Yonas")
    school.context.set_offline(True)  # the socket drops; reconnecting fails while offline
    school.wait_for_timeout(4000)
    school.context.set_offline(False)
    box = regie.locator("#participants").get_by_label("VluchtelingenWerk Gooi")
    box.click()
    expect(box).to_be_checked()
    expect(school.locator("#participants")).to_contain_text("aanwezig", timeout=LIVE)


def test_the_domain_form_edits_a_domain_and_never_carries_values_over(new_page, login, app_url):
    regie = login(new_page(), "regisseur")
    _open_plan(regie, "Zarghuna")  # five domains were recorded at her intake
    table = regie.locator("#assessments-table")
    # Two domains in a row: the second keeps its own level and reason, nothing from the first.
    regie.select_option("#assess_domain", "werk")
    regie.select_option("#assess_score", "4")
    regie.select_option("#assess_level", "L1")
    regie.fill("#assess_level_reason", "weet niet hoe solliciteren hier gaat")
    regie.fill("#assess_relevance", "wil later in een keuken werken")
    regie.click("#assessment-submit")
    expect(regie.locator("#notice")).to_contain_text("Leefgebied opgeslagen")
    for field in ("#assess_domain", "#assess_score", "#assess_level", "#assess_level_reason", "#assess_relevance"):
        expect(regie.locator(field)).to_have_value("")  # the form is empty again
    _assess(regie, "sociaal", "5", "heeft een buurvrouw die helpt", "Een vriendin in de buurt")
    sociaal = table.locator("tr", has_text="Sociaal netwerk")
    expect(sociaal).to_contain_text("L3 informatie")
    expect(sociaal).not_to_contain_text("solliciteren")
    expect(table.locator("tr", has_text="Werk en opleiding")).to_contain_text("L1 intensief")

    # Edit: 'Wijzigen' loads the recorded domain; changing the score keeps its situation and goals.
    regie.get_by_role("button", name="Wijzigen: Financiën").click()
    expect(regie.locator("#assessment-editing")).to_be_visible()
    expect(regie.locator("#assess_situation")).to_have_value("Geen ervaring met bank of rekeningen.")
    expect(regie.locator("#assess_score")).to_have_value("1")
    regie.select_option("#assess_score", "2")
    regie.click("#assessment-submit")
    expect(regie.locator("#notice")).to_contain_text("Leefgebied opgeslagen")
    financien = table.locator("tr", has_text="Financiën")
    expect(financien).to_contain_text("Geen ervaring met bank of rekeningen.")
    expect(financien).to_contain_text("Geen schulden krijgen.")
    # Choosing a recorded domain in the select loads it too.
    regie.select_option("#assess_domain", "gezondheid")
    expect(regie.locator("#assess_goals")).to_have_value("Een vaste huisarts.")
    expect(regie.locator("#history")).to_contain_text("leefgebied Financiën gewijzigd: score: 1 → 2")


def test_a_life_event_shows_what_it_changes_before_it_is_recorded(new_page, login, app_url):
    regie = login(new_page(), "regisseur")
    url = _open_plan(regie, "Zarghuna")
    regie.select_option("#event_event_kind", "work_start")
    regie.fill("#event_event_on", "2026-12-07")
    regie.fill("#event_hours_per_week", "80")
    regie.fill("#event_net_income", "1.250,00")
    regie.click("#event-preview")
    expect(regie.locator("#event_hours_per_week-error")).to_contain_text("Uren per week is een geheel getal van 1 tot en met 60")
    expect(regie.locator("#event_net_income")).to_have_value("1.250,00")  # nothing typed is lost
    regie.fill("#event_hours_per_week", "32")
    regie.click("#event-preview")
    box = regie.locator("#event-preview-box")
    expect(box).to_contain_text("Budget: inkomsten uit werk € 1.250,00 netto per maand vanaf 12-2026")
    expect(box).to_contain_text("Risico op verzuim: werk 32 uur + lessen 12 uur = 44 uur per week")
    expect(regie.locator("#life-events")).not_to_contain_text("Begint met werk")  # a preview saves nothing
    regie.click("#event-record")
    expect(regie.locator("#notice")).to_contain_text("Levensgebeurtenis vastgelegd")
    expect(regie.locator("#life-events")).to_contain_text("Begint met werk")
    expect(regie.locator("#actions-table")).to_contain_text("Lessen combineren met werk")
    # The taalschool reads the work and the lessons, not the money.
    school = login(new_page(), "taalschool")
    school.goto(url)
    events = school.locator("#life-events")
    expect(events).to_contain_text("Werk: 32 uur per week vanaf 2026-12-07")
    expect(events).not_to_contain_text("1.250,00")
