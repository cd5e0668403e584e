"""Sign-in end to end in chromium (issue 21): single sign-on against a real OpenID Connect provider on another
site (127.0.0.1, the app is at localhost), TOTP for a role that must use it and one that need not, and the
beheerder disabling a user whose open tab is then refused."""

from __future__ import annotations

import os
import re
from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pyotp
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, demo_totp
from tests.oidc_helpers import providers, set_user


@pytest.fixture(scope="module")
def idp(app_url, tmp_path_factory):
    with providers(tmp_path_factory.mktemp("oidc"), host="127.0.0.1") as (path, issuer, expired):
        os.environ["STATUSHOUDERS_OIDC_CONFIG"] = str(path)  # read per request by the running app
        os.environ["STATUSHOUDERS_PUBLIC_URL"] = app_url
        os.environ["TEST_OIDC_SECRET"] = "geheim"
        yield issuer, expired
        os.environ.pop("STATUSHOUDERS_OIDC_CONFIG")


def _to_provider(page, app_url, button: str):
    page.goto(f"{app_url}/login")
    page.click(f"#sso-{button}")
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/oauth2/authorize.*"))


def _authorize(page, sub: str):
    page.get_by_placeholder("sub").fill(sub)
    page.get_by_role("button", name="Authorize").click()


def _taalschool_sees() -> int:
    from datetime import date

    from sqlalchemy import select

    from statushouders import auth, db, register
    from statushouders.models import User

    with db.session_scope() as session:
        user = session.scalars(select(User).where(User.username == "taalschool")).one()
        return min(register.list_persons(session, auth.actor_for(user), date.today())[1], 25)


def test_a_teacher_signs_in_through_the_provider_and_sees_what_the_taalschool_sees(app_url, idp, new_page):
    set_user(idp[0], "els-sso", email="els@debrug.example", name="Els via SSO", groups=["brug-docenten"])
    page = new_page()
    _to_provider(page, app_url, "brug")
    _authorize(page, "els-sso")
    page.wait_for_url("**/vandaag")  # every role lands on Vandaag
    expect(page.locator("#whoami")).to_have_text("Els via SSO · Taalschool De Brug · Taalschool")
    page.locator("nav a[href='/personen']").click()
    page.wait_for_url("**/personen")
    # exactly the persons the taalschool's local account sees (other browser tests add persons to the app)
    expect(page.locator("#persons-table tbody tr")).to_have_count(_taalschool_sees())
    for name in ("Yonas Tesfay", "Rania Haddad", "Zarghuna Ahmadi"):  # the seed links all three to it
        expect(page.locator("#persons-table")).to_contain_text(name)
    page.reload()  # the Strict cookie set after a cross-site redirect is sent on the next request too
    expect(page.locator("#whoami")).to_contain_text("Els via SSO")
    # Logout ends the app session and goes to the provider's end-session page, then back to the login page.
    page.click("#logout")
    page.wait_for_url(re.compile(r"http://127\.0\.0\.1:\d+/oauth2/end_session.*"))
    assert "id_token_hint" in page.url
    page.get_by_role("button", name="End session").click()
    page.wait_for_url("**/login")
    page.goto(f"{app_url}/personen")
    page.wait_for_url("**/login")


def test_an_unknown_group_gets_a_refusal_page(app_url, idp, new_page):
    set_user(idp[0], "kantine-sso", groups=["kantine"])
    page = new_page()
    _to_provider(page, app_url, "brug")
    _authorize(page, "kantine-sso")
    expect(page.locator("#oidc-error")).to_contain_text("geen groep die toegang geeft")
    page.goto(f"{app_url}/personen")
    page.wait_for_url("**/login")


@pytest.mark.parametrize("tamper", ["state", "nonce"])
def test_a_tampered_state_or_nonce_is_refused(app_url, idp, new_page, tamper):
    set_user(idp[0], "els-sso", groups=["brug-docenten"])
    page = new_page()

    def changed(url: str) -> str:
        parts = urlparse(url)
        query = parse_qs(parts.query)
        query[tamper] = ["aangepast"]
        return urlunparse(parts._replace(query=urlencode(query, doseq=True)))

    def change_request(route):  # the authorization request (the form and its post) carries another nonce
        return route.continue_(url=changed(route.request.url))

    def change_redirect(route):  # the provider's redirect back to the app gets another state
        if route.request.method != "POST":
            return route.continue_()
        response = route.fetch(max_redirects=0)
        route.fulfill(status=302, headers={"location": changed(response.headers["location"])})

    authorize = re.compile(r"http://127\.0\.0\.1:\d+/oauth2/authorize\?.*")
    page.route(authorize, change_request if tamper == "nonce" else change_redirect)
    _to_provider(page, app_url, "brug")
    _authorize(page, "els-sso")
    expect(page.locator("#oidc-error")).to_contain_text("(state)" if tamper == "state" else "ongeldig of verlopen")
    page.goto(f"{app_url}/personen")
    page.wait_for_url("**/login")


def test_an_expired_id_token_is_refused(app_url, idp, new_page):
    set_user(idp[1], "els-sso", groups=["brug-docenten"])
    page = new_page()
    _to_provider(page, app_url, "verlopen")
    _authorize(page, "els-sso")
    expect(page.locator("#oidc-error")).to_contain_text("verlopen")


def test_a_regisseur_must_give_a_code_and_a_wrong_one_is_refused(app_url, new_page):
    page = new_page()
    page.goto(f"{app_url}/login")
    page.fill("#username", "regisseur")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#code")
    good = demo_totp("regisseur")
    page.fill("#code", "000000" if good != "000000" else "111111")
    page.click("#code-submit")
    expect(page.locator("#code-error")).to_contain_text("De code klopt niet")
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    page.fill("#code", good)
    page.click("#code-submit")
    page.wait_for_url("**/vandaag")


def test_a_teacher_turns_totp_on_and_then_needs_it_and_a_recovery_code_works(app_url, login, new_page):
    page = login(new_page(), "taalschool")
    page.goto(f"{app_url}/account")
    page.click("#setup-begin")
    page.wait_for_selector("#setup-qr")
    assert page.get_attribute("#setup-qr", "src").startswith("data:image/svg+xml")
    secret = page.inner_text("#setup-secret").strip()
    page.fill("#setup_code", pyotp.TOTP(secret).now())
    page.click("#setup-submit")
    page.wait_for_selector("#recovery-codes")
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    codes = page.locator("#recovery-codes li").all_inner_texts()
    page.click("#codes-done")
    page.click("#logout")
    page.wait_for_url("**/login")
    page.fill("#username", "taalschool")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#code")
    page.fill("#code", codes[0])
    page.click("#code-submit")
    page.wait_for_url("**/vandaag")
    _totp_off("taalschool")  # the suite shares one app: later tests sign the teacher in with a password only


def _totp_off(username: str) -> None:
    from sqlalchemy import delete, select

    from statushouders import db
    from statushouders.models import RecoveryCode, User

    with db.session_scope() as session:
        user = session.scalars(select(User).where(User.username == username)).one()
        user.totp_secret, user.totp_last_step = None, None
        session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def test_the_beheerder_disables_a_user_whose_open_tab_is_refused_on_its_next_event(app_url, login, new_page):
    user = login(new_page(), "coordinator")
    admin = login(new_page(), "beheerder")
    admin.goto(f"{app_url}/beheer")
    admin.wait_for_selector("#accounts-table")
    row = admin.locator("#accounts-table tr", has_text="coordinator")
    row.get_by_role("button", name="Uitschakelen").click()
    expect(admin.locator("#admin-message")).to_contain_text("uitgeschakeld")
    expect(row).to_contain_text("uitgeschakeld")
    user.click("text=Mijn acties")  # the next event of the open tab
    user.wait_for_url("**/login")
    other = login(new_page(), "beheerder-taal")  # another organisation's beheerder sees none of this account
    other.goto(f"{app_url}/beheer")
    expect(other.locator("#accounts-table")).to_contain_text("beheerder-taal")
    expect(other.locator("#accounts-table")).not_to_contain_text("coordinator")
    refused = login(new_page(), "privacy")  # a non-admin gets a refusal, no list
    refused.goto(f"{app_url}/beheer")
    refused.wait_for_selector("#admin-refused")
    assert refused.locator("#accounts-table").count() == 0
