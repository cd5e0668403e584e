"""Deployment settings, read from the environment so the same code runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# A hidden folder: Reflex's dev-mode hot reload watches every visible entry of the app folder, and
# SQLite's -wal/-shm files change on every write (each login, each audited read), which restarted
# the backend and lost logins. Hidden top-level folders are never watched.
DATA_DIR = Path(os.environ.get("STATUSHOUDERS_DATA_DIR", ROOT / ".data"))


def database_url() -> str:
    """``DATABASE_URL`` when set (PostgreSQL in real deployments), else the embedded SQLite file."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'statushouders.db'}"


def session_minutes() -> int:
    """How long a staff login stays valid."""
    return int(os.environ.get("STATUSHOUDERS_SESSION_MINUTES", "480"))


def served_over_https() -> bool:
    """``STATUSHOUDERS_HTTPS=1`` behind a TLS-terminating proxy: Secure cookies and HSTS."""
    return os.environ.get("STATUSHOUDERS_HTTPS", "").strip().lower() in {"1", "true", "yes", "on"}


def audit_key_file() -> Path:
    """Where the audit log's HMAC key is read from when ``STATUSHOUDERS_AUDIT_KEY`` is not set.

    Outside the database on purpose: whoever can write to the database must not be able to re-sign
    the log. When neither setting is given, a key is generated once in the data directory (dev).
    """
    return Path(os.environ.get("STATUSHOUDERS_AUDIT_KEY_FILE") or DATA_DIR / "audit.key")


def audit_anchor_file() -> Path:
    """The append-only JSON-lines file that pins the audit log's head outside the database."""
    return Path(os.environ.get("STATUSHOUDERS_AUDIT_ANCHOR_FILE") or DATA_DIR / "audit-anchors.jsonl")


def audit_anchor_minutes() -> float:
    """How often the running app writes an anchor of the audit log (0 turns the periodic write off)."""
    return float(os.environ.get("STATUSHOUDERS_AUDIT_ANCHOR_MINUTES", "10"))

def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def idle_minutes() -> int:
    """A staff or own-view session ends after this many minutes without any activity."""
    return _int("STATUSHOUDERS_IDLE_MINUTES", 30)


def secure_cookies() -> bool:
    """Send the session cookies only over HTTPS (``STATUSHOUDERS_HTTPS``)."""
    return served_over_https()


def login_delay_after() -> int:
    """Failed staff logins per account after which each next try must wait (growing delays)."""
    return _int("STATUSHOUDERS_LOGIN_DELAY_AFTER", 5)


def login_lock_after() -> int:
    """Failed staff logins per account that lock it for ``login_lock_minutes``."""
    return _int("STATUSHOUDERS_LOGIN_LOCK_AFTER", 10)


def login_delay_seconds() -> int:
    """The first delay; it doubles with every further failure."""
    return _int("STATUSHOUDERS_LOGIN_DELAY_SECONDS", 2)


def login_lock_minutes() -> int:
    """How long a lock lasts; failures older than this are forgotten too."""
    return _int("STATUSHOUDERS_LOGIN_LOCK_MINUTES", 15)


def address_delay_after() -> int:
    """Failed sign-ins (staff or own view) from one client address before delays begin."""
    return _int("STATUSHOUDERS_ADDRESS_DELAY_AFTER", 20)


def address_lock_after() -> int:
    """Failed sign-ins from one client address that lock that address."""
    return _int("STATUSHOUDERS_ADDRESS_LOCK_AFTER", 50)


def own_code_max_failures() -> int:
    """Wrong tries against one own-view code after which the code is void."""
    return _int("STATUSHOUDERS_OWN_CODE_MAX_FAILURES", 10)


def _int_setting(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


def date_past_years() -> int:
    """How far back a move, plan, intake or budget date may lie (``STATUSHOUDERS_DATES_PAST_YEARS``, 2)."""
    return _int_setting("STATUSHOUDERS_DATES_PAST_YEARS", 2)


def date_future_years() -> int:
    """How far ahead such a date may lie (``STATUSHOUDERS_DATES_FUTURE_YEARS``, 2)."""
    return _int_setting("STATUSHOUDERS_DATES_FUTURE_YEARS", 2)


def payment_months_back() -> int:
    """Oldest payment-run month, in months before this month (``STATUSHOUDERS_PAYMENT_MONTHS_BACK``, 12)."""
    return _int_setting("STATUSHOUDERS_PAYMENT_MONTHS_BACK", 12)


def payment_months_ahead() -> int:
    """Latest payment-run month, in months after this month (``STATUSHOUDERS_PAYMENT_MONTHS_AHEAD``, 3)."""
    return _int_setting("STATUSHOUDERS_PAYMENT_MONTHS_AHEAD", 3)


# --- Sign-in (issue 21) ---------------------------------------------------------------------------


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def totp_groups(default: frozenset[str]) -> frozenset[str]:
    """Field groups whose roles must use TOTP with a local password (``STATUSHOUDERS_TOTP_GROUPS``,
    comma-separated; default bsn,health,finances). Administrators always must."""
    raw = os.environ.get("STATUSHOUDERS_TOTP_GROUPS")
    if raw is None:
        return default
    return frozenset(part.strip() for part in raw.split(",") if part.strip())


def totp_all() -> bool:
    """``STATUSHOUDERS_TOTP_ALL=1``: every local account must use TOTP, whatever its role."""
    return _flag("STATUSHOUDERS_TOTP_ALL")


def totp_issuer() -> str:
    """The name authenticator apps show next to the code."""
    return os.environ.get("STATUSHOUDERS_TOTP_ISSUER", "Eén plan")


def second_factor_minutes() -> int:
    """How long a correct password stays good for entering the code (or enrolling) afterwards."""
    return _int_setting("STATUSHOUDERS_SECOND_FACTOR_MINUTES", 5)


def oidc_config_file() -> Path:
    """The OpenID Connect providers per organisation (``STATUSHOUDERS_OIDC_CONFIG``; default config/oidc.yaml).

    A missing file means: no single sign-on, local accounts only (the demo)."""
    return Path(os.environ.get("STATUSHOUDERS_OIDC_CONFIG") or ROOT / "config" / "oidc.yaml")


def public_url() -> str:
    """The address users open the app at (``STATUSHOUDERS_PUBLIC_URL``), for the OIDC redirect URI.

    Empty: taken from Reflex's ``deploy_url``."""
    url = os.environ.get("STATUSHOUDERS_PUBLIC_URL", "")
    if not url:
        import reflex as rx

        url = rx.config.get_config().deploy_url or "http://localhost:3000"
    return url.rstrip("/")


def oidc_leeway_seconds() -> int:
    """Clock skew allowed when checking an ID token's times."""
    return _int_setting("STATUSHOUDERS_OIDC_LEEWAY_SECONDS", 60)


# --- Agenda and e-mail (issue 18) -----------------------------------------------------------------


def timezone_name() -> str:
    """The time zone meetings are held in (``STATUSHOUDERS_TIMEZONE``, default Europe/Amsterdam).

    The plan page types and shows intake moments as wall-clock times of this zone; invitations carry
    it as the TZID of DTSTART/DTEND.
    """
    return os.environ.get("STATUSHOUDERS_TIMEZONE", "") or "Europe/Amsterdam"


def local_time(moment, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A real moment (a timestamp of something that happened: aware, or naive UTC) as staff and persons
    read it: in the configured zone, whatever the server's own zone is. "" for None.

    Not for the intake's wall-clock time (``Plan.intake_at``), which is already the zone's time.
    """
    from datetime import timezone
    from zoneinfo import ZoneInfo

    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(ZoneInfo(timezone_name())).strftime(fmt)


def intake_minutes() -> int:
    """How long a joint intake lasts in the calendar invitation (``STATUSHOUDERS_INTAKE_MINUTES``, 90)."""
    return _int_setting("STATUSHOUDERS_INTAKE_MINUTES", 90)


def progress_talk_minutes() -> int:
    """How long a progress talk lasts in the invitation (``STATUSHOUDERS_PROGRESS_TALK_MINUTES``, 60)."""
    return _int_setting("STATUSHOUDERS_PROGRESS_TALK_MINUTES", 60)


SMTP_TLS_MODES = {"starttls": 587, "ssl": 465, "none": 25}


def smtp_host() -> str:
    """The SMTP server (``STATUSHOUDERS_SMTP_HOST``). Empty (the embedded default): nothing is sent, every
    message stays in the outbox for the administrators to read (page "Uitgaande berichten")."""
    return os.environ.get("STATUSHOUDERS_SMTP_HOST", "").strip()


def smtp_configured() -> bool:
    return bool(smtp_host())


def smtp_tls() -> str:
    """``STATUSHOUDERS_SMTP_TLS``: starttls (default), ssl (implicit TLS) or none. Anything else is refused
    when a message is sent (the error stays with the message in the outbox)."""
    return (os.environ.get("STATUSHOUDERS_SMTP_TLS", "") or "starttls").strip().lower()


def smtp_port() -> int:
    """``STATUSHOUDERS_SMTP_PORT``; default 587 for starttls, 465 for ssl, 25 for none."""
    return _int_setting("STATUSHOUDERS_SMTP_PORT", SMTP_TLS_MODES.get(smtp_tls(), 587))


def smtp_user() -> str:
    """``STATUSHOUDERS_SMTP_USER``; empty: no SMTP AUTH."""
    return os.environ.get("STATUSHOUDERS_SMTP_USER", "")


def smtp_password() -> str:
    return os.environ.get("STATUSHOUDERS_SMTP_PASSWORD", "")


def smtp_from() -> str:
    """The sender address of every message (``STATUSHOUDERS_SMTP_FROM``)."""
    return os.environ.get("STATUSHOUDERS_SMTP_FROM", "").strip() or "noreply@statushouders.invalid"


def smtp_timeout_seconds() -> float:
    """How long one connection to the SMTP server may take (``STATUSHOUDERS_SMTP_TIMEOUT``, 10 s)."""
    return float(_int_setting("STATUSHOUDERS_SMTP_TIMEOUT", 10))


def outbox_max_attempts() -> int:
    """Failed messages are retried on every next send up to this many attempts
    (``STATUSHOUDERS_OUTBOX_MAX_ATTEMPTS``, 10); ``python -m statushouders outbox send`` always retries."""
    return _int_setting("STATUSHOUDERS_OUTBOX_MAX_ATTEMPTS", 10)
