"""State of *Vandaag* (/vandaag): the signed-in staff member's work for today.

The rules are in ``statushouders.today``; this only calls it with the actor resolved on the server
and turns its sections into rows of Dutch text for the page.
"""

from __future__ import annotations

import reflex as rx

from .. import config, db, today as today_rules
from ..budget.money import eur
from ..plan_templates import DOMAINS
from ..plans import STATUSES
from .auth_state import LOGIN_PAGE, AuthState
from .callbacks_ui import PART_OF_DAY_LABELS
from .i18n import _

SECTIONS = ("intakes", "actions", "callbacks", "runs", "norms")


def _moment(at) -> str:
    return at.strftime("%Y-%m-%d %H:%M")


def _flag(value: bool) -> str:
    return "1" if value else ""


def _intake_row(item: today_rules.IntakeItem) -> dict[str, str]:
    return {"person_id": str(item.person_id), "person_name": item.person_name, "at": _moment(item.at),
            "location": item.location or _("locatie volgt"), "mine": _flag(item.mine), "href": item.href}


def _action_row(item: today_rules.ActionItem) -> dict[str, str]:
    return {
        "id": str(item.action_id), "person_id": str(item.person_id), "person_name": item.person_name,
        "domain": _(DOMAINS.get(item.domain, item.domain)), "what": item.what, "due": item.due_date.isoformat(),
        "overdue": _flag(item.overdue), "status": _(STATUSES.get(item.status, item.status)),
        "worker": item.worker or _("nog niemand"), "mine": _flag(item.mine), "href": item.href,
        "budget_href": item.budget_href,
    }


def _callback_row(item: today_rules.CallbackItem) -> dict[str, str]:
    language = item.language + (_(", tolk nodig") if item.interpreter_needed else "")
    return {
        "id": str(item.request_id), "person_id": str(item.person_id), "person_name": item.person_name,
        "requested_at": config.local_time(item.requested_at),
        "part_of_day": PART_OF_DAY_LABELS.get(item.part_of_day, item.part_of_day), "language": language,
        "attempts": _("{n} poging(en) zonder gehoor").format(n=item.attempts) if item.attempts else "",
        "href": item.href, "mine": _flag(item.mine),
    }


def _run_row(item: today_rules.RunItem) -> dict[str, str]:
    return {
        "id": str(item.run_id), "month": f"{item.month:%Y-%m}" + (" " + _("(correctierun)") if item.correction else ""),
        "payments": str(item.payments), "total": eur(item.total_cents), "prepared_by": item.prepared_by,
        "may_approve": _flag(item.may_approve),
        "next": _("U kunt deze betaalrun goedkeuren (vier ogen).") if item.may_approve else _(
            "U heeft deze betaalrun zelf voorbereid: een collega van Financiën keurt hem goed."),
        "href": item.href,
    }


def _norm_row(item: today_rules.NormItem) -> dict[str, str]:
    if item.days_left < 0:
        when = _("{n} dagen over de termijn").format(n=-item.days_left)
    elif item.days_left == 0:
        when = _("de termijn verloopt vandaag")
    else:
        when = _("nog {n} dagen").format(n=item.days_left)
    registered = item.registered.isoformat() + (" " + _("(verwacht: verhuisdatum)") if item.registration_estimated else "")
    return {
        "person_id": str(item.person_id), "person_name": item.person_name, "registered": registered,
        "deadline": item.deadline.isoformat(), "when": when, "late": _flag(item.days_left < 0),
        "no_plan": _flag(not item.has_plan), "mine": _flag(item.mine), "href": item.href,
    }


ROWS = {"intakes": _intake_row, "actions": _action_row, "callbacks": _callback_row, "runs": _run_row,
        "norms": _norm_row}


class TodayState(AuthState):
    """What the signed-in staff member has to do today; a section this role does not have stays hidden."""

    intro: str = ""
    loaded: bool = False
    has_intakes: bool = False
    has_actions: bool = False
    has_callbacks: bool = False
    has_runs: bool = False
    has_norms: bool = False
    intakes: list[dict[str, str]] = []
    actions: list[dict[str, str]] = []
    callbacks: list[dict[str, str]] = []
    runs: list[dict[str, str]] = []
    norms: list[dict[str, str]] = []
    intakes_total: int = 0
    actions_total: int = 0
    callbacks_total: int = 0
    runs_total: int = 0
    norms_total: int = 0
    actions_more: str = ""
    callbacks_more: str = ""

    @rx.var
    def has_any(self) -> bool:
        return self.has_intakes or self.has_actions or self.has_callbacks or self.has_runs or self.has_norms

    @rx.event
    async def on_load(self):
        actor = await self.current_actor()
        if actor is None:
            return rx.redirect(LOGIN_PAGE)
        view = await db.call(today_rules.overview, actor, self.today())
        self.intro = _("Vandaag is het {day}. Deze week loopt tot en met {end}.").format(
            day=view.day.isoformat(), end=view.week_end.isoformat())
        for name in SECTIONS:
            section = getattr(view, name)
            setattr(self, f"has_{name}", section is not None)
            setattr(self, name, [ROWS[name](item) for item in section.items] if section is not None else [])
            setattr(self, f"{name}_total", section.total if section is not None else 0)
            if name in ("actions", "callbacks"):
                setattr(self, f"{name}_more", section.more_href if section is not None else "")
        self.loaded = True
