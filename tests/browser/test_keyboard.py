"""Keyboard only (Tab, Shift+Tab, Enter, Space, typing): sign in, open a file, plan the intake and record a
life domain on /plan. Every focus stop shows a ring, no stop traps, and a field error is announced at its field."""

from datetime import date, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from statushouders import auth, db, register
from statushouders.models import User
from tests.browser.conftest import demo_totp

FORM = {
    "given_names": "Dawit", "family_name": "Toetsenbord", "birth_date": "2003-04-05", "country_of_origin": "ER",
    "v_number": "2900000071", "residence_status": "asylum", "integration_duty": "on", "permit_date": "2026-02-02",
    "koppeling_date": "2026-02-13", "municipality": "Hilversum", "azc": "AZC Zeist", "spoken_languages": "tir", "read_languages": "tir",
    "letter_language": "tir", "literacy": "limited", "preferred_channel": "phone", "phone": "06 2222 3333",
}


def _new_person() -> int:
    """A statushouder without a plan yet, registered by the demo regisseur in the app's database."""
    with db.session_scope() as session:
        user = session.scalars(select(User).where(User.username == "regisseur")).one()
        return register.register(session, auth.actor_for(user), FORM, [], date.today()).id


def test_intake_and_plan_with_the_keyboard_only(new_page, app_url, keys):
    person_id = _new_person()
    page = new_page()
    page.goto(f"{app_url}/login")
    page.wait_for_selector("#username")
    keys.type_into(page, "#username", "regisseur")
    keys.type_into(page, "#password", "welkom-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_selector("#code")  # a regisseur must use a second factor
    keys.type_into(page, "#code", demo_totp("regisseur"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/vandaag")  # every role lands on Vandaag; the menu leads on to the persons list
    keys.tab_to(page, "nav a[href='/personen']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/personen")

    # find the file, open it, go to the intake and plan
    keys.type_into(page, "#search", "Toetsenbord")
    page.keyboard.press("Enter")
    expect(page.locator("#persons-table")).to_contain_text("Dawit Toetsenbord")
    keys.tab_to(page, f"a[href='/dossier?id={person_id}']")
    page.keyboard.press("Enter")
    page.wait_for_selector("#to-plan")
    keys.tab_to(page, "#to-plan")
    page.keyboard.press("Enter")
    page.wait_for_selector("#plan-person")
    page.wait_for_load_state("networkidle")

    # 1. plan the intake: a date-time field is typed segment by segment (Tab moves to the time)
    keys.tab_to(page, "#intake_at")
    # a weekday (intakes outside working hours need a reason) whose day and month are equal, so typing
    # the segments works whether the browser shows dd-mm or mm-dd
    day = next(d for d in (date.today() + timedelta(days=n) for n in range(7, 800))
               if d.day == d.month and d.weekday() < 5)
    page.keyboard.type(f"{day:%d%m%Y}")
    page.keyboard.press("Tab")
    page.keyboard.type("1000A")  # the A sets AM where the browser shows a 12-hour clock; ignored on 24 hours
    expect(page.locator("#intake_at")).to_have_value(f"{day.isoformat()}T10:00")
    keys.type_into(page, "#intake_location", "Stadhuis, kamer 2")
    page.keyboard.press("Enter")
    expect(page.locator("#notice")).to_contain_text("Intake gepland")

    # 2. invite the language school and mark it present with Space
    keys.choose(page, "#invite", "Taal")
    keys.tab_to(page, "#invite-submit")
    page.keyboard.press("Enter")
    expect(page.locator("#notice")).to_contain_text("Partner uitgenodigd")
    present = page.locator("#participants").get_by_label("Taalschool De Brug")
    keys.tab_to(page, f"#{present.get_attribute('id')}", backwards=True)
    page.keyboard.press("Space")
    expect(present).to_be_checked()

    # 3. a life domain: a level that differs from the suggestion needs a reason, announced at its field
    keys.choose(page, "#assess_domain", "Gezondheid")
    keys.choose(page, "#assess_score", "4")
    keys.choose(page, "#assess_level", "L1")
    keys.type_into(page, "#assess_relevance", "slaapt slecht, zegt weinig")
    keys.type_into(page, "#assess_goals", "Goed slapen en een huisarts hebben")
    keys.tab_to(page, "#assessment-submit")
    page.keyboard.press("Enter")
    error = page.locator("#assess_level_reason-error")
    expect(error).to_contain_text("Leg uit waarom")
    expect(error).to_have_attribute("role", "alert")
    reason = page.locator("#assess_level_reason")
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_attribute("aria-describedby", "assess_level_reason-error")
    expect(page.locator("#assess_relevance")).to_have_value("slaapt slecht, zegt weinig")  # nothing typed is lost
    expect(reason).to_be_focused()  # focus went to the field to fix
    page.keyboard.type("zegt ja zonder te begrijpen")
    keys.tab_to(page, "#assessment-submit")
    page.keyboard.press("Space")
    expect(page.locator("#notice")).to_contain_text("Leefgebied opgeslagen")
    expect(page.locator("#assessments-table")).to_contain_text("Gezondheid")
    expect(page.locator("#assessments-table")).to_contain_text("zegt ja zonder te begrijpen")
    assert keys.focused(page)["id"] == "assessment-submit"  # focus stays where the person was

    # the whole page once round: every stop has a visible ring, nothing traps the keyboard
    stops = keys.walk_around(page)
    ids = [stop["id"] for stop in stops]
    ids = ids[ids.index("intake_at"):] + ids[:ids.index("intake_at")]  # the round started at the save button
    assert ids.index("invite") < ids.index("assess_domain") < ids.index("assessment-submit") < ids.index("generate-plan")
