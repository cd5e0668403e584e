"""OpenID Connect single sign-on per organisation (issue 21): authorization code flow with PKCE, state and nonce.

The providers are configured in ``config.oidc_config_file()`` (YAML; see docs/foundation.md, "Sign-in").
No file: no single sign-on, the login page shows local sign-in only. Authlib builds the authorization
request and exchanges the code; joserfc checks the ID token (signature against the provider's JWKS,
issuer, audience, expiry with a small leeway, nonce).

Mapping: the account is the one bound to (issuer, subject). On the first sign-in it is created in the
configured organisation; with ``link_by_email: true`` an existing account of that organisation with the
same e-mail address and no binding yet is bound instead (only when the provider says the address is
verified). The role comes from the roles claim through the mapping on every sign-in, so a change at the
provider counts from the next sign-in; no mapped value: refused, never a default role.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx
import yaml
from authlib.integrations.httpx_client import OAuth2Client
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.orm import Session

from . import audit, auth, config
from .catalogs import staff_text as _
from .models import Organisation, User
from .policy import ROLES, Actor

CALLBACK_PATH = "/oidc/callback"
PENDING_MINUTES = 10


class OidcRefused(Exception):
    """Sign-in through the provider refused; the message is shown on the refusal page as is."""


@dataclass(frozen=True)
class Provider:
    key: str
    organisation: str  # Organisation.name in the app
    label: str
    issuer: str
    client_id: str
    client_secret: str
    roles_claim: str
    roles: dict[str, str]  # claim value -> role, in configured order (the first match wins)
    scopes: tuple[str, ...] = ("openid", "profile", "email")
    link_by_email: bool = False
    metadata: dict = field(default_factory=dict, compare=False)


def _secret(entry: dict, key: str) -> str:
    if entry.get("client_secret_env"):
        return os.environ.get(entry["client_secret_env"], "")
    if entry.get("client_secret_file"):
        return Path(entry["client_secret_file"]).read_text().strip()
    return ""


_cache: dict[str, tuple[float, dict[str, Provider]]] = {}


def providers() -> dict[str, Provider]:
    """The configured providers by key (read again when the file changes); empty without a file."""
    path = config.oidc_config_file()
    try:
        mtime = path.stat().st_mtime
    except FileNotFoundError:
        return {}
    cached = _cache.get(str(path))
    if cached and cached[0] == mtime:
        return cached[1]
    data = yaml.safe_load(path.read_text()) or {}
    result = {}
    for key, entry in (data.get("organisations") or {}).items():
        result[str(key)] = Provider(
            key=str(key), organisation=entry["organisation"], label=entry.get("label") or entry["organisation"],
            issuer=str(entry["issuer"]).rstrip("/"), client_id=str(entry["client_id"]),
            client_secret=_secret(entry, key), roles_claim=entry.get("roles_claim", "groups"),
            roles={str(k): str(v) for k, v in (entry.get("roles") or {}).items()},
            scopes=tuple(entry.get("scopes") or ("openid", "profile", "email")),
            link_by_email=bool(entry.get("link_by_email", False)),
        )
    _cache[str(path)] = (mtime, result)
    return result


_metadata: dict[str, tuple[float, dict]] = {}


def metadata(provider: Provider) -> dict:
    """The provider's discovery document (cached for an hour)."""
    hit = _metadata.get(provider.issuer)
    if hit and hit[0] > time.monotonic():
        return hit[1]
    response = httpx.get(provider.issuer + "/.well-known/openid-configuration", timeout=10)
    response.raise_for_status()
    data = response.json()
    if str(data.get("issuer", "")).rstrip("/") != provider.issuer:
        raise OidcRefused(_("De identiteitsprovider meldt een andere issuer dan is ingesteld."))
    _metadata[provider.issuer] = (time.monotonic() + 3600, data)
    return data


def redirect_uri() -> str:
    return config.public_url() + CALLBACK_PATH


def _client(provider: Provider) -> OAuth2Client:
    return OAuth2Client(provider.client_id, provider.client_secret, scope=" ".join(provider.scopes),
                        redirect_uri=redirect_uri(), code_challenge_method="S256",
                        token_endpoint_auth_method="client_secret_post" if provider.client_secret else "none",
                        timeout=10)


def start(key: str) -> tuple[str, dict]:
    """The provider's authorization URL and what the server keeps until the callback (never the browser)."""
    provider = providers().get(key)
    if provider is None:
        raise OidcRefused(_("Voor deze organisatie is geen inlogprovider ingesteld."))
    meta = metadata(provider)
    state, nonce, verifier = secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64)
    with _client(provider) as client:
        url, _state = client.create_authorization_url(meta["authorization_endpoint"], state=state, nonce=nonce,
                                                       code_verifier=verifier)
    return url, {"key": key, "state": state, "nonce": nonce, "verifier": verifier, "at": time.time()}


def _refused(session: Session, provider: Provider | None, why: str, message: str, subject: str = "") -> OidcRefused:
    session.connection()  # a transaction to end: the refusal is written once it has (audit.after_transaction)
    who = Actor(None, (subject or "onbekend")[:100], 0, provider.organisation if provider else "", "", "", None)
    audit.record_apart(session, who, audit.LOGIN_FAILED, "inloggen via single sign-on geweigerd",
                       f"{provider.key if provider else '?'}: {why}")
    return OidcRefused(message)


def _id_token_claims(provider: Provider, meta: dict, id_token: str, nonce: str) -> dict:
    keys = KeySet.import_key_set(httpx.get(meta["jwks_uri"], timeout=10).json())
    token = jwt.decode(id_token, keys, algorithms=meta.get("id_token_signing_alg_values_supported") or ["RS256"])
    registry = jwt.JWTClaimsRegistry(
        leeway=config.oidc_leeway_seconds(),
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": provider.client_id},
        sub={"essential": True},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    registry.validate(token.claims)
    return dict(token.claims)


def role_for(provider: Provider, claims: dict) -> str | None:
    """The one role the claims map to (the first mapping entry present), or None."""
    values = claims.get(provider.roles_claim) or []
    present = {str(v) for v in (values if isinstance(values, list) else [values])}
    return next((role for value, role in provider.roles.items() if value in present), None)


def finish(session: Session, pending: dict | None, params: dict) -> tuple[str, Actor, str, str]:
    """Handle the provider's redirect back: returns (session token, actor, ID token, provider key).

    ``pending`` is what ``start`` kept on the server for this browser tab; ``params`` the callback's query.
    """
    if not pending or time.time() - pending.get("at", 0) > PENDING_MINUTES * 60:
        raise _refused(session, None, "geen of verlopen aanvraag",
                       _("Deze inlogpoging is niet (meer) geldig. Begin opnieuw op de inlogpagina."))
    provider = providers().get(pending["key"])
    if provider is None:
        raise _refused(session, None, "provider niet meer ingesteld", _("Deze inlogprovider is niet meer ingesteld."))
    if not hmac.compare_digest(str(params.get("state", "")), pending["state"]):
        raise _refused(session, provider, "state klopt niet",
                       _("Deze inlogpoging klopt niet (state). Begin opnieuw op de inlogpagina."))
    if params.get("error"):
        raise _refused(session, provider, f"provider meldt {str(params['error'])[:50]}",
                       _("De identiteitsprovider heeft het inloggen niet toegestaan."))
    meta = metadata(provider)
    try:
        with _client(provider) as client:
            tokens = client.fetch_token(meta["token_endpoint"], code=str(params.get("code", "")),
                                        code_verifier=pending["verifier"], grant_type="authorization_code")
        claims = _id_token_claims(provider, meta, tokens["id_token"], pending["nonce"])
    except (JoseError, KeyError, ValueError, httpx.HTTPError) as exc:
        kind = type(exc).__name__
        raise _refused(session, provider, f"ID-token of code ongeldig ({kind}: {str(exc)[:100]})",
                       _("Het antwoord van de identiteitsprovider is ongeldig of verlopen. Begin opnieuw.")) from exc
    except Exception as exc:  # authlib's OAuth errors: the code was refused at the token endpoint
        raise _refused(session, provider, f"code geweigerd ({type(exc).__name__})",
                       _("Het antwoord van de identiteitsprovider is ongeldig of verlopen. Begin opnieuw.")) from exc
    token, actor = _sign_in(session, provider, claims)
    return token, actor, tokens["id_token"], provider.key


def _sign_in(session: Session, provider: Provider, claims: dict) -> tuple[str, Actor]:
    subject = str(claims["sub"])
    org = session.scalars(select(Organisation).where(Organisation.name == provider.organisation)).first()
    if org is None:
        raise _refused(session, provider, f"organisatie '{provider.organisation}' bestaat niet", _(
            "Deze organisatie is niet bekend in Eén plan. Neem contact op met uw beheerder."), subject)
    role = role_for(provider, claims)
    if role is None or (org.kind, role) not in ROLES:
        values = claims.get(provider.roles_claim)
        raise _refused(session, provider, f"geen rol voor {provider.roles_claim}={values!r}", _(
            "Uw account bij {organisation} heeft geen groep die toegang geeft tot Eén plan. Vraag uw beheerder "
            "om u aan de juiste groep toe te voegen.").format(organisation=org.name), subject)
    user = session.scalars(select(User).where(User.oidc_issuer == provider.issuer,
                                              User.oidc_subject == subject)).first()
    email = str(claims.get("email") or "").strip().lower() or None
    how = "bestaand account"
    if user is None and provider.link_by_email and email and claims.get("email_verified") is True:
        user = session.scalars(select(User).where(User.organisation_id == org.id, User.email == email,
                                                  User.oidc_subject.is_(None))).first()
        if user is not None:
            user.oidc_issuer, user.oidc_subject = provider.issuer, subject
            how = f"gekoppeld op e-mail aan {user.username}"
    if user is None:
        user = User(username=_username(provider, subject), full_name=_name(claims, subject),
                    password_hash=auth.NO_PASSWORD, organisation_id=org.id, role=role, active=True, email=email,
                    oidc_issuer=provider.issuer, oidc_subject=subject)
        session.add(user)
        session.flush()
        how = "nieuw account"
    if user.organisation_id != org.id:
        raise _refused(session, provider, "account hoort bij een andere organisatie",
                       _("Dit account hoort bij een andere organisatie."), subject)
    if not user.active:
        raise _refused(session, provider, f"account {user.username} is uitgeschakeld",
                       _("Uw account is uitgeschakeld. Neem contact op met uw beheerder."), subject)
    session.refresh(user, ["organisation"])
    changed = []
    if user.role != role:
        changed.append(f"rol {user.role} -> {role} (provider)")
        user.role = role
    name = _name(claims, user.full_name)
    if name != user.full_name:
        changed.append("naam bijgewerkt (provider)")
        user.full_name = name
    token, actor = auth.open_session(session, user, f"oidc:{provider.key}")
    audit.record(session, actor, audit.LOGIN, f"single sign-on: {how}",
                 f"issuer {provider.issuer}" + ("; " + "; ".join(changed) if changed else ""))
    return token, actor


def _username(provider: Provider, subject: str) -> str:
    name = f"{provider.key}:{subject}".lower()
    return name if len(name) <= 100 else f"{provider.key}:{hashlib.sha256(subject.encode()).hexdigest()[:32]}"


def _name(claims: dict, fallback: str) -> str:
    return " ".join(str(claims.get("name") or fallback).split())[:200] or fallback


def logout_url(key: str, id_token: str) -> str | None:
    """Where to send the browser to end the provider's session too (RP-initiated logout), if it supports it."""
    provider = providers().get(key)
    if provider is None:
        return None
    try:
        endpoint = metadata(provider).get("end_session_endpoint")
    except (httpx.HTTPError, OidcRefused):
        return None
    if not endpoint:
        return None
    query = {"client_id": provider.client_id, "post_logout_redirect_uri": config.public_url() + "/login"}
    if id_token:
        query["id_token_hint"] = id_token
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode(query)
