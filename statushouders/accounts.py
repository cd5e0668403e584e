"""Account management by an organisation's administrator ("beheerder", issue 21).

An administrator adds, changes (name, role) and disables the staff accounts of their own organisation
only, and resets a second factor. Every change is audited; every refusal too. A disabled account's
sessions end at once (``auth.end_sessions_of``), and ``auth.resolve`` refuses it on its next event.
The acting administrator is always resolved on the server; ids from the browser are only looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from . import audit, auth
from .catalogs import staff_text as _
from .models import RecoveryCode, User
from .policy import MAY_MANAGE_ACCOUNTS, ROLES, AccessDenied, Actor, require, requires_second_factor

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
MIN_PASSWORD = 12


class AccountInvalid(ValueError):
    """Bad input; ``errors`` maps a field to the message shown next to it."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class AccountRow:
    user_id: int
    username: str
    full_name: str
    role: str
    role_label: str
    active: bool
    second_factor: bool
    second_factor_required: bool
    single_sign_on: bool


def _require_admin(session: Session, actor: Actor) -> None:
    if actor.key not in MAY_MANAGE_ACCOUNTS:
        session.connection()  # a transaction to end: the refusal is written once it has (audit.after_transaction)
        audit.record_refusal(session, actor, "accountbeheer geweigerd", f"rol {actor.role} is geen beheerder")
    require(actor, MAY_MANAGE_ACCOUNTS, _("accounts beheren"))


def _own_user(session: Session, actor: Actor, user_id: int, what: str) -> User:
    """The account ``user_id`` when it belongs to the administrator's organisation; refused (and logged) else."""
    _require_admin(session, actor)
    user = session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.organisation_id != actor.organisation_id:
        audit.record_refusal(session, actor, f"account {what} geweigerd",
                             f"account {user_id!r} hoort niet bij {actor.organisation}")
        raise AccessDenied(_("Dit account hoort niet bij uw organisatie."))
    return user


def list_accounts(session: Session, actor: Actor) -> list[AccountRow]:
    _require_admin(session, actor)
    users = session.scalars(select(User).where(User.organisation_id == actor.organisation_id)
                            .order_by(User.full_name)).all()
    return [AccountRow(u.id, u.username, u.full_name, u.role, _(ROLES.get((actor.kind, u.role), ("?",))[0]),
                       u.active, u.totp_secret is not None, requires_second_factor(actor.kind, u.role),
                       u.oidc_subject is not None) for u in users]


def _check_role(actor: Actor, role: str, errors: dict) -> None:
    if (actor.kind, role) not in ROLES:
        errors["role"] = _("Kies een rol die uw organisatie kent.")


def _check_name(full_name: str, errors: dict) -> str:
    name = " ".join(str(full_name).split())
    if not name or len(name) > 200:
        errors["full_name"] = _("Vul de naam in (hoogstens 200 tekens).")
    return name


def add_account(session: Session, actor: Actor, form: dict) -> User:
    """A new local account in the administrator's own organisation, with a first password."""
    _require_admin(session, actor)
    errors: dict[str, str] = {}
    username = str(form.get("username", "")).strip().lower()
    if not USERNAME.match(username):
        errors["username"] = _("Gebruik 2 tot 100 kleine letters, cijfers of . _ @ -, beginnend met een letter of cijfer.")
    elif session.scalar(select(User.id).where(User.username == username)):
        errors["username"] = _("Deze gebruikersnaam bestaat al.")
    name = _check_name(form.get("full_name", ""), errors)
    role = str(form.get("role", ""))
    _check_role(actor, role, errors)
    password = str(form.get("password", ""))
    if len(password) < MIN_PASSWORD:
        errors["password"] = _("Het wachtwoord moet minstens {n} tekens hebben.").format(n=MIN_PASSWORD)
    if errors:
        raise AccountInvalid(errors)
    user = User(username=username, full_name=name, password_hash=auth.hash_password(password),
                organisation_id=actor.organisation_id, role=role, active=True)
    session.add(user)
    session.flush()
    audit.record(session, actor, audit.CHANGE, f"account aangemaakt: {username} ({role})", "accountbeheer")
    return user


def change_account(session: Session, actor: Actor, user_id: int, form: dict) -> User:
    """Change the name and role of an account of the own organisation. The new role counts from the next
    event: the session resolves the actor anew each time."""
    user = _own_user(session, actor, user_id, "wijzigen")
    errors: dict[str, str] = {}
    name = _check_name(form.get("full_name", ""), errors)
    role = str(form.get("role", ""))
    _check_role(actor, role, errors)
    if not errors and user.id == actor.user_id and role != user.role:
        errors["role"] = _("U kunt uw eigen rol niet wijzigen; vraag een andere beheerder.")
    if errors:
        raise AccountInvalid(errors)
    changes = []
    if name != user.full_name:
        changes.append(f"naam '{user.full_name}' -> '{name}'")
    if role != user.role:
        changes.append(f"rol {user.role} -> {role}")
    user.full_name, user.role = name, role
    if changes:
        audit.record(session, actor, audit.CHANGE, f"account gewijzigd: {user.username}", "; ".join(changes))
    return user


def set_active(session: Session, actor: Actor, user_id: int, active: bool) -> User:
    """Disable (every open session ends at once) or enable again an account of the own organisation."""
    user = _own_user(session, actor, user_id, "uitschakelen" if not active else "inschakelen")
    if user.id == actor.user_id and not active:
        raise AccountInvalid({"account": _("U kunt uw eigen account niet uitschakelen.")})
    if user.active == bool(active):
        return user
    user.active = bool(active)
    ended = auth.end_sessions_of(session, user.id) if not active else 0
    what = "account uitgeschakeld" if not active else "account weer ingeschakeld"
    audit.record(session, actor, audit.CHANGE, f"{what}: {user.username}",
                 f"accountbeheer; {ended} open sessie(s) beëindigd" if not active else "accountbeheer")
    return user


def reset_second_factor(session: Session, actor: Actor, user_id: int) -> User:
    """Remove the account's TOTP secret and recovery codes (a lost phone); open sessions end too.
    A role that requires a second factor enrols anew at its next sign-in."""
    user = _own_user(session, actor, user_id, "tweede factor herstellen")
    user.totp_secret, user.totp_last_step = None, None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    ended = auth.end_sessions_of(session, user.id)
    audit.record(session, actor, audit.CHANGE, f"tweede factor teruggezet: {user.username}",
                 f"accountbeheer; {ended} open sessie(s) beëindigd")
    return user
