"""Single sign-on against a real OpenID Connect provider started in the test (issue 21), both databases."""

from urllib.parse import parse_qs, urlencode, urlparse, urlunparse

import pytest
from sqlalchemy import select

from statushouders import audit, auth, db, oidc
from statushouders.models import AuditEntry, LoginSession, User
from tests.oidc_helpers import authorize, providers, set_user


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    with providers(tmp_path_factory.mktemp("oidc")) as found:
        yield found


@pytest.fixture
def brug(idp, monkeypatch, session, chain):
    path, issuer, expired = idp
    monkeypatch.setenv("STATUSHOUDERS_OIDC_CONFIG", str(path))
    monkeypatch.setenv("STATUSHOUDERS_PUBLIC_URL", "http://localhost:3000")
    monkeypatch.setenv("TEST_OIDC_SECRET", "geheim")
    chain["orgs"]["taalschool"].name = "Taalschool De Brug"
    session.commit()
    return issuer, expired


def _sign_in(key, sub, tamper=None):
    url, pending = oidc.start(key)
    query = parse_qs(urlparse(url).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert query["redirect_uri"] == ["http://localhost:3000/oidc/callback"]
    if tamper == "nonce":  # the request the provider sees carries another nonce than the app keeps
        query["nonce"] = ["aangepast-" + query["nonce"][0]]
        url = urlunparse(urlparse(url)._replace(query=urlencode(query, doseq=True)))
    params = authorize(url, sub)
    if tamper == "state":
        params["state"] = "aangepast"
    return db.in_session(oidc.finish, pending, params)


def _refusals(db_url):
    with db.session_scope(db_url) as s:
        return [e.why for e in s.scalars(select(AuditEntry).where(AuditEntry.action == audit.LOGIN_FAILED))]


def test_a_teacher_signs_in_with_the_right_organisation_and_role_and_a_change_counts_next_time(db_url, brug):
    issuer, _ = brug
    set_user(issuer, "els-001", email="els@debrug.example", name="Els Smit", groups=["iedereen", "brug-docenten"])
    token, actor, id_token, key = _sign_in("brug", "els-001")
    assert (actor.organisation, actor.kind, actor.role, key) == ("Taalschool De Brug", "taalschool", "docent", "brug")
    assert db.in_session(auth.resolve, token) == actor and id_token
    with db.session_scope(db_url) as s:
        user = s.scalars(select(User).where(User.oidc_subject == "els-001")).one()
        assert (user.oidc_issuer, user.email, user.password_hash) == (issuer, "els@debrug.example", auth.NO_PASSWORD)
        assert s.scalars(select(LoginSession.method)).one() == "oidc:brug"
    set_user(issuer, "els-001", email="els@debrug.example", name="Els Smit", groups=["brug-beheer"])
    _, again, _, _ = _sign_in("brug", "els-001")
    assert again.role == "beheerder" and again.user_id == actor.user_id
    with pytest.raises(auth.LoginFailed):  # no local password for a single sign-on account
        db.in_session(auth.login, user.username, "")


def test_an_unknown_group_is_refused_and_gets_no_account(db_url, brug):
    set_user(brug[0], "piet-002", email="piet@debrug.example", groups=["kantine"])
    with pytest.raises(oidc.OidcRefused, match="geen groep die toegang geeft"):
        _sign_in("brug", "piet-002")
    with db.session_scope(db_url) as s:
        assert s.scalar(select(User.id).where(User.oidc_subject == "piet-002")) is None
    assert "geen rol voor groups=['kantine']" in _refusals(db_url)[-1]


@pytest.mark.parametrize("tamper", ["state", "nonce"])
def test_a_tampered_state_or_nonce_is_refused(db_url, brug, tamper):
    set_user(brug[0], "els-001", groups=["brug-docenten"])
    with pytest.raises(oidc.OidcRefused):
        _sign_in("brug", "els-001", tamper=tamper)
    assert ("state klopt niet" if tamper == "state" else "nonce") in _refusals(db_url)[-1]
    with db.session_scope(db_url) as s:
        assert s.scalars(select(LoginSession)).all() == []


def test_an_expired_id_token_is_refused(db_url, brug):
    set_user(brug[1], "els-001", groups=["brug-docenten"])
    with pytest.raises(oidc.OidcRefused, match="ongeldig of verlopen"):
        _sign_in("verlopen", "els-001")
    assert "exp" in _refusals(db_url)[-1].lower() or "expired" in _refusals(db_url)[-1].lower()


def test_a_callback_without_a_pending_request_is_refused(db_url, brug):
    with pytest.raises(oidc.OidcRefused, match="niet \\(meer\\) geldig"):
        db.in_session(oidc.finish, {}, {"code": "x", "state": "y"})


def test_a_disabled_account_is_refused_at_the_provider_sign_in(db_url, brug):
    set_user(brug[0], "els-001", groups=["brug-docenten"])
    _, actor, _, _ = _sign_in("brug", "els-001")
    with db.session_scope(db_url) as s:
        s.get(User, actor.user_id).active = False
    with pytest.raises(oidc.OidcRefused, match="uitgeschakeld"):
        _sign_in("brug", "els-001")


def test_logout_goes_to_the_providers_end_session_endpoint(brug):
    url = oidc.logout_url("brug", "het-id-token")
    assert url.startswith(brug[0] + "/oauth2/end_session?")
    query = parse_qs(urlparse(url).query)
    assert query["id_token_hint"] == ["het-id-token"]
    assert query["post_logout_redirect_uri"] == ["http://localhost:3000/login"]
