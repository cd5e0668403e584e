"""Plan templates and process norms: YAML data files in ``plans/`` that a coordinator edits.

Each life domain has one file with standard actions per guidance level. Loading
validates every field and names the file and field of a mistake, so a broken
template is refused before it can produce a wrong plan. ``expand`` turns the
levels decided at the intake into draft actions; it knows nothing of the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .catalogs import staff_message
from .catalogs import staff_text as _
from .config import ROOT
from .policy import ORGANISATION_KINDS

PLANS_DIR = ROOT / "plans"

# Life domains (domain brief section 3), in the order a plan shows them.
DOMAINS: dict[str, str] = {
    "verblijf": "Verblijf en gezinshereniging",
    "wonen": "Wonen",
    "inburgering": "Inburgering en taal",
    "werk": "Werk en opleiding",
    "financien": "Financiën",
    "gezondheid": "Gezondheid",
    "gezin": "Gezin, kinderen en school",
    "sociaal": "Sociaal netwerk",
    "dagelijks": "Dagelijks leven en digitaal",
}
LEVELS: dict[str, str] = {
    "L1": staff_message("L1 intensief"), "L2": staff_message("L2 coaching"), "L3": staff_message("L3 informatie"),
}
KINDS: dict[str, str] = {
    "begeleid": "Begeleid (samen doen)",
    "coaching": "Coaching (partner bereidt voor, persoon doet)",
    "informatie": "Informatie",
    "controle": "Controlemoment",
}
MILESTONES: dict[str, str] = {
    "permit": staff_message("vergunning"),
    "koppeling": staff_message("koppeling"),
    "move": staff_message("verhuizing"),
    "brp": staff_message("inschrijving BRP"),
    "intake": staff_message("intake"),
    "pip": staff_message("PIP"),
}
SHARES = ("chain", "owner")  # chain: every partner at the intake sees it; owner: only owner and gemeente
CONDITIONS = ("has_children", "has_family_abroad", "not_moved", "integration_duty")
NORM_KEYS = (
    "permit_to_koppeling_days", "koppeling_to_offer_days", "offer_to_move_days", "move_to_brp_days",
    "brp_to_pip_days", "catch_up_days", "route_switch_months", "a2_min_hours", "a2_min_in_person_percent",
    "term_years", "ontzorgen_min_months",
)


class TemplateError(ValueError):
    """A template or norms file is wrong; the message names the file and the field."""


@dataclass(frozen=True)
class TemplateAction:
    ref: str  # "financien.yaml:L1[2]", kept on the generated action
    domain: str
    level: str
    what: str
    owner_kind: str
    kind: str
    own_part: str
    milestone: str
    days: int
    share: str
    when: str


@dataclass(frozen=True)
class Facts:
    """What about the person decides whether a conditional template action applies."""

    has_children: bool = False
    has_family_abroad: bool = False
    not_moved: bool = False
    integration_duty: bool = True

    def holds(self, condition: str) -> bool:
        return not condition or bool(getattr(self, condition))


def suggested_level(score: int) -> str:
    """Self-reliance 1-2 suggests L1, 3 suggests L2, 4-5 suggests L3 (the professional decides)."""
    return "L1" if score <= 2 else "L2" if score == 3 else "L3"


def _need(data: dict, key: str, where: str) -> object:
    if key not in data or data[key] in (None, ""):
        raise TemplateError(_("{where}.{key}: ontbreekt").format(where=where, key=key))
    return data[key]


def _action(name: str, domain: str, level: str, index: int, raw: object) -> TemplateAction:
    where = f"{name}: actions.{level}[{index}]"
    if not isinstance(raw, dict):
        raise TemplateError(_("{where}: moet een actie zijn met what, owner, kind en due").format(where=where))
    unknown = set(raw) - {"what", "owner", "kind", "own_part", "due", "share", "when"}
    if unknown:
        raise TemplateError(_("{where}.{key}: onbekend veld").format(where=where, key=sorted(unknown)[0]))
    owner = _need(raw, "owner", where)
    if owner not in ORGANISATION_KINDS:
        raise TemplateError(_("{where}.owner: onbekende organisatiesoort '{owner}' (kies uit {choices})").format(
            where=where, owner=owner, choices=", ".join(ORGANISATION_KINDS)))
    kind = _need(raw, "kind", where)
    if kind not in KINDS:
        raise TemplateError(_("{where}.kind: onbekend soort actie '{kind}' (kies uit {choices})").format(
            where=where, kind=kind, choices=", ".join(KINDS)))
    due = _need(raw, "due", where)
    if not isinstance(due, dict) or set(due) != {"after", "days"}:
        raise TemplateError(_("{where}.due: schrijf als {{after: <mijlpaal>, days: <aantal dagen>}}").format(where=where))
    if due["after"] not in MILESTONES:
        raise TemplateError(_("{where}.due.after: onbekende mijlpaal '{milestone}' (kies uit {choices})").format(
            where=where, milestone=due["after"], choices=", ".join(MILESTONES)))
    if not isinstance(due["days"], int) or isinstance(due["days"], bool):
        raise TemplateError(_("{where}.due.days: moet een geheel aantal dagen zijn").format(where=where))
    share = raw.get("share", "chain")
    if share not in SHARES:
        raise TemplateError(_("{where}.share: '{share}' is geen keuze (chain of owner)").format(where=where, share=share))
    when = raw.get("when", "") or ""
    if when and when not in CONDITIONS:
        raise TemplateError(_("{where}.when: onbekende voorwaarde '{when}' (kies uit {choices})").format(
            where=where, when=when, choices=", ".join(CONDITIONS)))
    return TemplateAction(
        ref=f"{name}:{level}[{index}]", domain=domain, level=level, what=str(_need(raw, "what", where)).strip(),
        owner_kind=owner, kind=kind, own_part=str(raw.get("own_part", "") or "").strip(),
        milestone=due["after"], days=due["days"], share=share, when=when,
    )


def parse_template(name: str, text: str) -> list[TemplateAction]:
    """One domain file's actions; raises ``TemplateError`` naming ``name`` and the field."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError(_("{name}: geen geldige YAML ({problem})").format(
            name=name, problem=f"{exc.__class__.__name__}: {exc}")) from None
    if not isinstance(data, dict):
        raise TemplateError(_("{name}: verwacht velden domain, label en actions").format(name=name))
    domain = _need(data, "domain", name)
    if domain not in DOMAINS:
        raise TemplateError(_("{name}.domain: onbekend leefgebied '{domain}' (kies uit {choices})").format(
            name=name, domain=domain, choices=", ".join(DOMAINS)))
    actions = _need(data, "actions", name)
    if not isinstance(actions, dict):
        raise TemplateError(_("{name}.actions: verwacht L1, L2 en L3").format(name=name))
    result = []
    for level in LEVELS:
        items = actions.get(level)
        if not isinstance(items, list) or not items:
            raise TemplateError(_("{name}: actions.{level}: ontbreekt of is leeg").format(name=name, level=level))
        result += [_action(name, domain, level, i, raw) for i, raw in enumerate(items)]
    extra = set(actions) - set(LEVELS)
    if extra:
        raise TemplateError(_("{name}: actions.{level}: onbekend begeleidingsniveau (L1, L2 of L3)").format(
            name=name, level=sorted(extra)[0]))
    return result


def load_templates(directory: Path = PLANS_DIR) -> dict[str, list[TemplateAction]]:
    """All domain templates by domain; every domain must have exactly one file."""
    by_domain: dict[str, list[TemplateAction]] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == "norms.yaml":
            continue
        actions = parse_template(path.name, path.read_text(encoding="utf-8"))
        domain = actions[0].domain
        if domain in by_domain:
            raise TemplateError(_("{name}.domain: leefgebied '{domain}' staat al in een ander bestand").format(
                name=path.name, domain=domain))
        by_domain[domain] = actions
    missing = [d for d in DOMAINS if d not in by_domain]
    if missing:
        raise TemplateError(_("{directory}: geen sjabloon voor leefgebied(en) {domains}").format(
            directory=directory, domains=", ".join(missing)))
    return by_domain


def parse_norms(name: str, text: str) -> dict[str, int]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError(_("{name}: geen geldige YAML ({problem})").format(name=name, problem=exc)) from None
    if not isinstance(data, dict):
        raise TemplateError(_("{name}: verwacht normen als sleutel: waarde").format(name=name))
    norms = {}
    for key in NORM_KEYS:
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise TemplateError(_("{name}.{key}: ontbreekt of is geen geheel getal >= 0").format(name=name, key=key))
        norms[key] = value
    unknown = set(data) - set(NORM_KEYS)
    if unknown:
        raise TemplateError(_("{name}.{key}: onbekende norm").format(name=name, key=sorted(unknown)[0]))
    return norms


def load_norms(directory: Path = PLANS_DIR) -> dict[str, int]:
    path = directory / "norms.yaml"
    return parse_norms(path.name, path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def templates() -> dict[str, list[TemplateAction]]:
    return load_templates()


@lru_cache(maxsize=1)
def norms() -> dict[str, int]:
    return load_norms()


def expand(
    levels: dict[str, str], facts: Facts, by_domain: dict[str, list[TemplateAction]] | None = None
) -> list[TemplateAction]:
    """The template actions for the domains recorded at the intake, at each domain's level."""
    by_domain = by_domain if by_domain is not None else templates()
    result = []
    for domain in DOMAINS:
        level = levels.get(domain)
        if not level:
            continue
        result += [a for a in by_domain[domain] if a.level == level and facts.holds(a.when)]
    return result
