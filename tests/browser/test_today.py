"""Vandaag per role (issue 18) and Mijn acties per worker: every role lands on Vandaag; the regisseur sees an
intake this week and an overdue action that leads to the plan; the taalschool sees only its own work; the
Mijn acties filters (mine / unassigned / status) live in the URL, so a reload keeps them."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from statushouders import auth, db, plans, register
from statushouders.models import Organisation, User

REASON = "browsertest: op verzoek van de persoon"


def _form(given: str, family: str, v_number: str) -> dict:
    return {
        "given_names": given, "family_name": family, "birth_date": "2001-04-05", "country_of_origin": "ER",
        "v_number": v_number, "residence_status": "asylum", "integration_duty": "on", "permit_date": "2026-02-02",
        "koppeling_date": "2026-02-13", "municipality": "Hilversum", "azc": "AZC Zeist", "spoken_languages": "tir",
        "read_languages": "tir", "letter_language": "tir", "literacy": "limited", "preferred_channel": "phone",
        "phone": "06 2222 4444",
    }


def _world() -> dict:
    """Two statushouders in the app's database, as the demo regisseur would set them up today.

    Tesfalem Vandaagtest (linked to the taalschool): intake tomorrow with the taalschool invited; a gemeente
    action assigned to the regisseur three days overdue, an unassigned gemeente action in progress due in
    three weeks, a taalschool action due in two days, a VluchtelingenWerk action overdue.
    Hagos Nietgekoppeld (no link to the taalschool): intake tomorrow without the taalschool, and an overdue
    taalschool action the school may not see (it has no access to this person).
    """
    today = date.today()
    with db.session_scope() as session:
        user = session.scalars(select(User).where(User.username == "regisseur")).one()
        regie = auth.actor_for(user)
        orgs = {o.kind: o for o in session.scalars(select(Organisation))}
        seen = register.register(session, regie, _form("Tesfalem", "Vandaagtest", "2900000181"), [], today)
        unseen = register.register(session, regie, _form("Hagos", "Nietgekoppeld", "2900000182"), [], today)
        register.link_partner(session, regie, seen.id, orgs["taalschool"].id, today)
        tomorrow = (today + timedelta(days=1)).isoformat()
        for person in (seen, unseen):
            plans.schedule_intake(session, regie, person.id, f"{tomorrow}T10:00", "Stadhuis", today, reason=REASON)
        plans.invite(session, regie, seen.id, orgs["taalschool"].id, today)

        def add(person, owner, what, days, worker="", status="open"):
            plans.add_action(session, regie, person.id, {
                "domain": "inburgering", "what": what, "kind": "begeleid", "owner_id": str(owner.id),
                "due_date": (today + timedelta(days=days)).isoformat(), "status": status, "worker_id": worker},
                today)

        add(seen, orgs["gemeente"], "Vandaag: rekening openen", -3, worker=str(user.id))
        add(seen, orgs["gemeente"], "Vandaag: DigiD aanvragen", 21, status="bezig")
        add(seen, orgs["taalschool"], "Vandaag: proefles plannen", 2)
        add(seen, orgs["vwn"], "Vandaag: huisarts zoeken", -2)
        add(unseen, orgs["taalschool"], "Vandaag: niet voor de school", -1)
        return {"seen": seen.id, "unseen": unseen.id}


@pytest.fixture(scope="module")
def world(app_url) -> dict:
    return _world()


def test_every_role_lands_on_vandaag_and_a_partner_sees_only_its_own_work(new_page, login, app_url, world):
    regie = login(new_page(), "regisseur", then="/vandaag")
    expect(regie.locator("nav a").first).to_have_text("Vandaag")  # first in the menu
    intakes = regie.locator("#today-intakes")
    expect(intakes).to_contain_text("Tesfalem Vandaagtest")
    expect(intakes).to_contain_text("Hagos Nietgekoppeld")  # the gemeente sees every intake of its municipality
    overdue = regie.locator("tr.today-action.overdue", has_text="Vandaag: rekening openen")
    expect(overdue).to_contain_text("te laat")
    expect(overdue).to_contain_text("Anouk de Vries")  # assigned to the regisseur: listed first
    expect(regie.locator("tr.today-action").first).to_have_class(re.compile("overdue"))
    expect(regie.locator("#today-actions")).not_to_contain_text("Vandaag: huisarts zoeken")  # VWN's
    expect(regie.locator("#today-actions")).not_to_contain_text("Vandaag: DigiD aanvragen")  # in three weeks
    expect(regie.locator("#section-runs")).to_have_count(0)  # payment runs are financien's
    overdue.get_by_role("link", name="Naar plan").click()
    regie.wait_for_url(f"**/plan?id={world['seen']}")
    expect(regie.locator("#plan-person")).to_contain_text("Tesfalem Vandaagtest")
    regie.goto(f"{app_url}/")
    regie.wait_for_url("**/vandaag")  # the start page

    school = login(new_page(), "taalschool", then="/vandaag")
    expect(school.locator("#today-intakes")).to_contain_text("Tesfalem Vandaagtest")  # invited
    expect(school.locator("#today-intakes")).not_to_contain_text("Nietgekoppeld")
    actions = school.locator("#today-actions")
    expect(actions).to_contain_text("Vandaag: proefles plannen")
    for other in ("Vandaag: rekening openen", "Vandaag: huisarts zoeken", "Vandaag: niet voor de school"):
        expect(actions).not_to_contain_text(other)
    expect(school.locator("#section-norms")).to_have_count(0)  # the PIP deadline is the gemeente's to watch
    expect(school.locator("#section-callbacks")).to_be_visible()


def _rows(page):
    return page.locator("#my-actions-table tr.my-action")


def test_my_actions_filters_live_in_the_url_and_survive_a_reload(new_page, login, app_url, world):
    page = login(new_page(), "regisseur", then="/acties")
    page.goto(f"{app_url}/acties?persoon=Vandaagtest")
    expect(page.locator("#persoon")).to_have_value("Vandaagtest")
    expect(_rows(page)).to_have_count(2)  # the gemeente's two; not the taalschool's or VWN's
    expect(page.locator("#my-actions-table")).to_contain_text("nog niemand")  # the assignee column

    page.select_option("#filter-wie", "mijn")
    page.click("#filter-submit")
    expect(page).to_have_url(re.compile(r"/acties\?wie=mijn&persoon=Vandaagtest$"))
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("Vandaag: rekening openen")
    expect(_rows(page).first).to_contain_text("Anouk de Vries")
    page.reload()
    expect(page.locator("#filter-wie")).to_have_value("mijn")
    expect(page.locator("#persoon")).to_have_value("Vandaagtest")
    expect(_rows(page)).to_have_count(1)

    page.select_option("#filter-wie", "geen")
    page.click("#filter-submit")
    expect(page).to_have_url(re.compile(r"wie=geen"))
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("Vandaag: DigiD aanvragen")

    # Each step changes what the list shows, so the test waits until the server applied the new URL.
    page.select_option("#filter-status", "open")
    page.click("#filter-submit")
    expect(page).to_have_url(re.compile(r"wie=geen&persoon=Vandaagtest&status=open"))
    expect(page.locator("#no-actions")).to_have_text("Geen acties met deze filters.")  # DigiD is "bezig"
    page.reload()
    expect(page.locator("#filter-status")).to_have_value("open")
    expect(page.locator("#filter-wie")).to_have_value("geen")
    expect(page.locator("#no-actions")).to_have_text("Geen acties met deze filters.")
    page.select_option("#filter-status", "bezig")
    page.click("#filter-submit")
    expect(page).to_have_url(re.compile(r"wie=geen&persoon=Vandaagtest&status=bezig"))
    expect(_rows(page)).to_have_count(1)
    expect(_rows(page).first).to_contain_text("Vandaag: DigiD aanvragen")

    # A value the server does not know is no filter, never an error page.
    page.goto(f"{app_url}/acties?wie=iedereen&status=kapot&deadline=ooit&persoon=Vandaagtest")
    expect(page.locator("#filter-wie")).to_have_value("team")
    expect(page.locator("#filter-status")).to_have_value("")
    expect(_rows(page)).to_have_count(2)

    # A search the server cannot use: a message next to the field, the text kept, also after a reload.
    page.fill("#persoon", "Vandaag\u202etest")
    page.click("#filter-submit")
    expect(page.locator("#persoon-error")).to_contain_text("leesrichting")
    expect(page.locator("#persoon")).to_have_value("Vandaag\u202etest")
    expect(page.locator("#persoon")).to_have_attribute("aria-invalid", "true")
    page.reload()
    expect(page.locator("#persoon-error")).to_contain_text("leesrichting")
    expect(page.locator("#persoon")).to_have_value("Vandaag\u202etest")
