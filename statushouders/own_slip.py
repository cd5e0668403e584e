"""The login-code slip: one printable page, in Dutch and the person's language, that opens the own view.

The regisseur hands it over with a new code. It carries the full address of the sign-in page and
a QR code (``segno``) that opens that page with the code filled in, and says in both languages how
long the code works and that nobody else may use it. The slip is rendered on request and never
stored: the code is a credential. It is drawn by the letters' renderer (vendored fonts, no file
or network access) and names the person only by name, never by BSN or V-number.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import segno
from babel.dates import format_datetime
from markupsafe import Markup, escape

from . import languages
from .catalogs import staff_text as _
from .config import public_url
from .models import Person
from .own_messages import table
from .own_view import N_


def script_class(text: str) -> str:
    from .letters.render import script_class as of

    return of(text)

TITLE = N_("Mijn plan")
HOW = N_("Log in met de code die u van de gemeente kreeg.")
CODE = N_("Code")
WHERE = N_("Ga naar dit adres, of scan de QR-code met de camera van uw telefoon.")
VALID = N_("De code werkt één keer, tot {moment}. Geef de code aan niemand anders.")
LOCAL = ZoneInfo("Europe/Amsterdam")


def sign_in_url(code: str, base: str | None = None) -> str:
    """The sign-in page with the code filled in."""
    return f"{(base or public_url()).rstrip('/')}/mijn/inloggen?code={quote(code)}"


def _block(locale: str, code: str, expires: datetime) -> Markup:
    words = table(locale)
    moment = format_datetime(expires.astimezone(LOCAL), "d MMMM y HH:mm", locale=languages.babel_locale(locale))
    lang = languages.get(locale)
    css = {"arabic": "script-arabic", "ethiopic": "script-ethiopic"}.get(lang.script, "")
    return Markup(
        '<section class="slip {css}" lang="{tag}" dir="{dir}"><h1>{title}</h1><p>{how}</p>'
        '<p class="key">{code_label}: <span class="ltr">{code}</span></p><p>{where}</p><p>{valid}</p></section>'
    ).format(css=css, tag=locale.replace("_", "-"), dir="rtl" if lang.rtl else "ltr", title=words[TITLE],
             how=words[HOW], code_label=words[CODE], code=code, where=words[WHERE],
             valid=words[VALID].format(moment=moment))


def slip_html(person: Person, code: str, expires: datetime, base: str | None = None) -> str:
    url = sign_in_url(code, base)
    qr = Markup(segno.make(url, error="m").svg_inline(scale=5, dark="#111", light="#fff"))
    own = person.letter_language if person.letter_language != "nl" else None
    name = escape(f"{person.given_names} {person.family_name}")
    own_name = person.name_own_script or ""
    return str(Markup(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>{title}</title>'
        "<style>.slip h1{{margin-top:4pt}} .qr{{text-align:center;margin:8pt 0}} .url{{text-align:center;"
        "font-size:10.5pt}} hr{{border:0;border-top:0.5pt dashed #777;margin:10pt 0}}</style></head><body>"
        '<p class="org">{name}{own_name}</p>{dutch}<div class="qr">{qr}</div>'
        '<p class="url"><span class="ltr">{url}</span></p>{other}</body></html>'
    ).format(title=TITLE, name=name, own_name=Markup(' · <bdi class="{}">{}</bdi>').format(script_class(own_name), own_name) if own_name else "",
             dutch=_block("nl", code, expires), qr=qr, url=url,
             other=(Markup("<hr>") + _block(own, code, expires)) if own else ""))


def render_slip(person: Person, code: str, expires: datetime, base: str | None = None) -> bytes:
    """The slip as PDF bytes (one A4 page)."""
    from .letters.render import renderer

    return renderer().pdf(slip_html(person, code, expires, base))


def slip_for(session, actor, person_id: int, code: str, expires: datetime) -> bytes:
    """The slip for a code this actor just issued (same rule as issuing); the print is audited."""
    from . import audit, policy
    from .own_access import MAY_ISSUE_CODES
    from .policy import AccessDenied

    policy.require(actor, MAY_ISSUE_CODES, _("een inlogbriefje voor de eigen omgeving afdrukken"))
    person = session.get(Person, person_id)
    if person is None or not policy.visible_groups(actor, person, session, expires.date()):
        raise AccessDenied(_("U heeft geen toegang tot dit dossier."))
    pdf = render_slip(person, code, expires)
    audit.record(session, actor, audit.PRINT, "inlogbriefje eigen omgeving afgedrukt", "toegang eigen omgeving",
                 person_id)
    return pdf
