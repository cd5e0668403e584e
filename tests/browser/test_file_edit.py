"""Issue 18 in the browser: a regisseur corrects a misspelt family name and sees it in the file's changes; a
partner without the identity group has no control for it and a forged save is refused; find and sort."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import serious_violations


@pytest.fixture(scope="module")
def selam(app_url):
    """Selam, registered as "Tesfai" (the BRP says Tesfay), with the demo taalschool linked."""
    from sqlalchemy import select
    from stdnum.nl import bsn

    from statushouders import auth, db, register
    from statushouders.models import Organisation, Person, User

    with db.session_scope() as session:
        regisseur = auth.actor_for(session.scalars(select(User).where(User.username == "regisseur")).one())
        taken = set(session.scalars(select(Person.bsn)))
        number = next(f"{n:09d}" for n in range(700000000, 700100000) if bsn.is_valid(f"{n:09d}")
                      and f"{n:09d}" not in taken)
        form = {
            "given_names": "Selam", "family_name": "Tesfai", "birth_date": "2001-09-12", "country_of_origin": "ER",
            "v_number": "2400000018", "bsn": number, "residence_status": "asylum", "integration_duty": "on",
            "permit_date": "2026-03-02", "municipality": "Hilversum", "azc": "AZC Zeist",
            "spoken_languages": "tir", "read_languages": "tir", "letter_language": "tir", "literacy": "literate",
            "preferred_channel": "letter",
        }
        person = register.register(session, regisseur, form, [], date.today(), confirmed=True)
        school = session.scalars(select(Organisation).where(Organisation.name == "Taalschool De Brug")).one()
        register.link_partner(session, regisseur, person.id, school.id, date.today())
        return {"id": person.id, "bsn": number}


def test_regisseur_corrects_the_family_name_and_sees_it_in_the_changes(app_url, new_page, login, selam):
    page = login(new_page(), "regisseur")
    page.goto(f"{app_url}/dossier?id={selam['id']}")
    expect(page.locator("#file-title")).to_contain_text("Selam Tesfai")
    page.click("#edit-identity")
    expect(page.locator("#family_name")).to_have_value("Tesfai")
    expect(page.locator("#given_names")).to_be_focused()

    # A wrong V-number is refused next to the field, and the corrected name typed is not lost.
    page.fill("#family_name", "Tesfay")
    page.fill("#v_number", "123")
    page.click("#edit-save")
    expect(page.locator("#v_number-error")).to_contain_text("10 cijfers")
    expect(page.locator("#v_number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#v_number")).to_have_attribute("aria-describedby", "v_number-error")
    expect(page.locator("#family_name")).to_have_value("Tesfay")
    expect(page.locator("#file-title")).to_contain_text("Selam Tesfai")
    assert serious_violations(page) == []  # the open editor with a message, as axe-core sees it

    page.fill("#v_number", "2400000018")
    page.click("#edit-save")
    expect(page.locator("#file-notice")).to_contain_text("Achternaam")
    expect(page.locator("#file-title")).to_contain_text("Selam Tesfay")
    expect(page.locator("#file-editor")).to_have_count(0)
    changes = page.locator("#file-changes")
    first = changes.locator("tbody tr").first
    expect(first).to_contain_text("Achternaam")
    expect(first).to_contain_text("Tesfai → Tesfay")
    expect(first).to_contain_text("Anouk de Vries")

    # The household: a member added with a wrong date is refused next to the field, then added.
    page.click("#edit-family")
    page.fill("#member-new-name", "Luwam Tesfay")
    page.fill("#member-new-birth_date", "2099-01-01")
    page.locator("#member-new-form").get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#member-new-birth_date-error")).to_contain_text("toekomst")
    expect(page.locator("#member-new-name")).to_have_value("Luwam Tesfay")
    page.fill("#member-new-birth_date", "2024-02-10")
    page.locator("#member-new-form").get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#household")).to_contain_text("Luwam Tesfay")
    expect(changes.locator("tbody tr").first).to_contain_text("gezinslid toegevoegd: Luwam Tesfay (kind, 2024-02-10)")
    assert serious_violations(page) == []


def test_a_partner_without_the_identity_group_has_no_control_and_a_forged_save_is_refused(
        app_url, new_page, login, selam):
    page = login(new_page(), "taalschool")
    page.goto(f"{app_url}/dossier?id={selam['id']}")
    expect(page.locator("#file-title")).to_contain_text("Selam")
    expect(page.locator("#edit-learning")).to_be_visible()
    expect(page.locator("#edit-identity")).to_have_count(0)
    expect(page.locator("#edit-contact")).to_have_count(0)

    # The learning editor is the taalschool's; the browser is the user's, though: send it as "identity".
    page.click("#edit-learning")
    expect(page.locator("#education_years")).to_be_visible()
    page.evaluate("""() => {
        const form = document.getElementById('edit-form');
        form.querySelector('input[name=group]').value = 'identity';
        const forged = document.createElement('input');
        forged.name = 'family_name';
        forged.value = 'Vervalst';
        form.appendChild(forged);
    }""")
    page.click("#edit-save")
    expect(page.locator("#edit-refused")).to_contain_text("niet wijzigen")
    page.reload()
    expect(page.locator("#file-title")).to_contain_text("Selam")
    expect(page.locator("#file-title")).not_to_contain_text("Vervalst")


def test_find_by_full_name_and_bsn_and_sort_by_name(app_url, new_page, login, selam):
    from statushouders import auth, db, register
    from statushouders.models import User
    from sqlalchemy import select

    page = login(new_page(), "regisseur")
    table = page.locator("#persons-table")
    page.fill("#search", "selam tesfay")
    page.get_by_role("button", name="Filteren").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Selam Tesfay")
    expect(table).not_to_contain_text("Yonas")

    page.fill("#search", selam["bsn"])
    page.get_by_role("button", name="Filteren").click()
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table).to_contain_text("Selam Tesfay")

    page.fill("#search", "")
    page.get_by_role("button", name="Filteren").click()
    with db.session_scope() as session:
        actor = auth.actor_for(session.scalars(select(User).where(User.username == "regisseur")).one())
        ascending = [r.name for r in register.list_persons(session, actor, date.today(), sort="name")[0]]
        descending = [r.name for r in register.list_persons(session, actor, date.today(), sort="name",
                                                            descending=True)[0]]
    names = table.locator("tbody tr td:first-child a")
    expect(names).to_have_text(ascending)
    header = page.locator("th", has=page.locator("#sort-name"))
    expect(header).to_have_attribute("aria-sort", "ascending")

    page.click("#sort-name")  # the same column again: the other way round
    page.wait_for_url(re.compile(r".*/personen\?sort=name&dir=desc"))
    expect(names).to_have_text(descending)
    expect(header).to_have_attribute("aria-sort", "descending")
    if len(ascending) < 25:  # one page: the two orders are each other's mirror
        assert descending == list(reversed(ascending))

    page.click("#sort-owner")
    page.wait_for_url(re.compile(r".*/personen\?sort=owner$"))
    expect(page.locator("th", has=page.locator("#sort-owner"))).to_have_attribute("aria-sort", "ascending")
