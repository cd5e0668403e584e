"""WCAG 2.1 AA as axe-core checks it: no serious or critical violation on any page, staff or own view."""

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STAFF_PAGES = ["/personen", "/personen/nieuw", "/dossier?id=1", "/plan?id=3", "/acties", "/brieven?id=1", "/budget?id=1", "/dashboard"]


def serious_violations(page) -> list[str]:
    """Run axe-core in the page; describe each serious or critical violation with its first element."""
    if not AXE.exists():
        pytest.fail("axe-core is not installed: make test runs npm ci --prefix tests/browser")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes'][0]['target']}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_login_page(new_page, app_url):
    page = new_page()
    page.goto(f"{app_url}/login")
    page.wait_for_selector("#username")
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", STAFF_PAGES)
def test_staff_pages(login, new_page, app_url, path):
    page = login(new_page(), "regisseur")
    page.goto(f"{app_url}{path}")
    page.wait_for_selector("main h1")
    page.wait_for_load_state("networkidle")
    assert serious_violations(page) == []


@pytest.mark.parametrize("language", ["nl", "ar", "ti_ER"])
def test_own_view_sign_in_page(new_page, app_url, language):
    page = new_page(width=360, height=740)
    page.goto(f"{app_url}/mijn/inloggen?taal={language}")
    page.wait_for_selector("#code")
    assert serious_violations(page) == []


@pytest.mark.parametrize("language", ["nl", "ar", "ti_ER"])
def test_own_view(login, new_page, app_url, language):
    staff = login(new_page(), "regisseur")
    staff.goto(f"{app_url}/dossier?id=1")
    staff.click("#issue-own-code")
    code = staff.locator("#own-code").inner_text()
    page = new_page(width=360, height=740)
    page.goto(f"{app_url}/mijn/inloggen?code={code}")
    page.click("#code-submit")
    page.wait_for_url("**/mijn")
    page.click(f"#language-{language}")
    page.wait_for_function(
        "lang => document.querySelector('#own-page').getAttribute('lang') === lang", arg=language.replace("_", "-")
    )
    page.locator("button.call-me").first.click()  # with a "we will call you" message on the page
    page.wait_for_function("() => [...document.querySelectorAll('[id^=call-status-]')].some(e => e.innerText)")
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", ["/acties", "/dossier?id=1"])
def test_callback_requests_where_staff_work(login, new_page, app_url, path):
    """The open "call me" requests table, on my actions and on the person's file."""
    from datetime import datetime, timezone

    from statushouders import callbacks, db
    from statushouders.models import Organisation, Person

    with db.session_scope() as session:
        person = session.get(Person, 1)
        gemeente = session.query(Organisation).filter_by(kind="gemeente").first()
        callbacks.request(session, person, gemeente.id, "afternoon", person.letter_language, datetime.now(timezone.utc))
    page = login(new_page(), "regisseur")
    page.goto(f"{app_url}{path}")
    page.wait_for_selector(".callback-row")
    assert serious_violations(page) == []
