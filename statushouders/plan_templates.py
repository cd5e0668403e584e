"""Plan templates and process norms: YAML data files in ``plans/`` that a coordinator edits.

Each life domain has one file with standard actions per guidance level. Loading
validates every field and names the file and field of a mistake, so a broken
template is refused before it can produce a wrong plan. ``expand`` turns the
levels decided at the intake into draft actions; it knows nothing of the database.
"""

from __future__ import annotations

import dataclasses
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
# What closes a template action by itself (``closed_by`` in a template): the PIP decision.
CLOSERS = ("pip",)
NORM_KEYS = (
    "permit_to_koppeling_days", "koppeling_to_offer_days", "offer_to_move_days", "move_to_brp_days",
    "brp_to_pip_days", "catch_up_days", "route_switch_months", "a2_min_hours", "a2_min_in_person_percent",
    "term_years", "ontzorgen_min_months", "birth_lesson_pause_weeks", "pension_age_years",
    "z_route_learnability_below", "z_route_max_school_years", "onderwijsroute_max_age",
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
    requires: tuple[str, ...] = ()  # conditions (CONDITIONS, or "not <condition>") that must all hold
    per_child: tuple[int, int] | None = None  # (min_age, max_age): one action per child of that age
    closed_by: str = ""  # "pip": deciding the PIP marks this action done

    @property
    def when(self) -> str:  # the first condition, for older callers
        return self.requires[0] if self.requires else ""


@dataclass(frozen=True)
class Child:
    """A child in the household on the day the plan is made: ``key`` identifies it across regenerations."""

    key: str
    name: str
    age: int


@dataclass(frozen=True)
class Facts:
    """What about the person decides which template actions apply (see ``CONDITIONS``)."""

    children: tuple[Child, ...] = ()
    has_family_abroad: bool = False
    not_moved: bool = False
    integration_duty: bool = True
    literacy: str = "literate"  # literate, limited, illiterate (register.LITERACY)
    diplomas: str = ""  # "" (not discussed), none, present, lost
    occupation: str = ""  # previous occupation in the person's words
    health_profession: bool = False  # the occupation is a BIG profession (plans/facts.yaml)
    goal: str = ""  # "" , work, study
    health_shared: bool = False  # the person agreed to share functional limitations in the plan

    @property
    def has_children(self) -> bool:
        return bool(self.children)

    def holds(self, condition: str) -> bool:
        if not condition:
            return True
        if condition.startswith("not "):
            return not self.holds(condition[4:].strip())
        return bool(CONDITIONS[condition][1](self))

    def reason(self, condition: str) -> str:
        """Why a condition holds, in Dutch, for the 'waarom' of a generated action."""
        if condition.startswith("not "):
            return CONDITIONS[condition[4:].strip()][2]
        label = CONDITIONS[condition][0]
        return label.format(occupation=self.occupation or "?")


# The condition vocabulary a template may use in ``requires``: name -> (why it holds, test, why it does not).
CONDITIONS: dict[str, tuple[str, object, str]] = {
    "has_children": ("heeft kinderen in het huishouden", lambda f: f.has_children, "geen kinderen in het huishouden"),
    "has_family_abroad": ("gezinsleden nog in het buitenland (gezinshereniging)", lambda f: f.has_family_abroad,
                          "geen gezinsleden in het buitenland"),
    "not_moved": ("woont nog in het AZC", lambda f: f.not_moved, "woont al in de gemeente"),
    "integration_duty": ("inburgeringsplichtig", lambda f: f.integration_duty, "niet inburgeringsplichtig"),
    "cannot_read": ("kan niet lezen of schrijven", lambda f: f.literacy == "illiterate", "kan lezen en schrijven"),
    "reads_little": ("leest en schrijft beperkt of niet", lambda f: f.literacy in ("limited", "illiterate"),
                     "kan lezen en schrijven"),
    "has_diplomas": ("heeft diploma's", lambda f: f.diplomas == "present", "geen diploma's in handen"),
    "diplomas_lost": ("diploma's behaald maar kwijtgeraakt", lambda f: f.diplomas == "lost",
                      "geen kwijtgeraakte diploma's"),
    "diplomas_any": ("heeft diploma's (in handen of kwijtgeraakt)", lambda f: f.diplomas in ("present", "lost"),
                     "geen diploma's behaald"),
    "health_profession": ("vorig beroep '{occupation}' is een BIG-beroep", lambda f: f.health_profession,
                          "geen BIG-beroep"),
    "goal_work": ("doel: aan het werk", lambda f: f.goal == "work", "doel is niet direct werk"),
    "goal_study": ("doel: een opleiding volgen", lambda f: f.goal == "study", "doel is geen opleiding"),
    "health_shared": ("wil functionele beperkingen in het plan delen", lambda f: f.health_shared,
                      "deelt geen gezondheidsgegevens in het plan"),
}


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
    unknown = set(raw) - {"what", "owner", "kind", "own_part", "due", "share", "when", "requires", "for_each_child",
                          "closed_by"}
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
    requires = _conditions(raw, where)
    per_child = _per_child(raw.get("for_each_child"), where)
    closed_by = raw.get("closed_by", "") or ""
    if closed_by and closed_by not in CLOSERS:
        raise TemplateError(_("{where}.closed_by: onbekend '{value}' (kies uit {choices})").format(
            where=where, value=closed_by, choices=", ".join(CLOSERS)))
    return TemplateAction(
        ref=f"{name}:{level}[{index}]", domain=domain, level=level, what=str(_need(raw, "what", where)).strip(),
        owner_kind=owner, kind=kind, own_part=str(raw.get("own_part", "") or "").strip(),
        milestone=due["after"], days=due["days"], share=share, requires=requires, per_child=per_child,
        closed_by=closed_by,
    )


def _conditions(raw: dict, where: str) -> tuple[str, ...]:
    """``requires: [a, not b]`` (or the older single ``when: a``); every name from ``CONDITIONS``."""
    if "when" in raw and "requires" in raw:
        raise TemplateError(_("{where}: gebruik requires of when, niet allebei").format(where=where))
    value = raw.get("requires", raw.get("when")) or []
    key = "requires" if "requires" in raw else "when"
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
        raise TemplateError(_("{where}.{key}: schrijf een lijst voorwaarden, bijvoorbeeld [has_children]").format(
            where=where, key=key))
    result = []
    for item in items:
        name = item.strip()
        bare = name[4:].strip() if name.startswith("not ") else name
        if bare not in CONDITIONS:
            raise TemplateError(_("{where}.{key}: onbekende voorwaarde '{when}' (kies uit {choices})").format(
                where=where, key=key, when=bare, choices=", ".join(CONDITIONS)))
        result.append(name if bare == name else f"not {bare}")
    return tuple(result)


def _per_child(value: object, where: str) -> tuple[int, int] | None:
    """``for_each_child: {min_age: 4, max_age: 11}``: one action per child of that age (years, inclusive)."""
    if value is None:
        return None
    ok = isinstance(value, dict) and set(value) == {"min_age", "max_age"} and all(
        isinstance(value[k], int) and not isinstance(value[k], bool) and 0 <= value[k] <= 25 for k in value)
    if not ok or value["min_age"] > value["max_age"]:
        raise TemplateError(_(
            "{where}.for_each_child: schrijf als {{min_age: <jaar>, max_age: <jaar>}} (0-25, min <= max)"
        ).format(where=where))
    return (value["min_age"], value["max_age"])


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
        if path.name in ("norms.yaml", "facts.yaml"):
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


FACT_KEYS = ("health_professions", "diagnosis_words", "working_days", "working_hours", "pip_warning_days",
             "max_weekly_load_hours", "lesson_hours_per_week")


def parse_facts(name: str, text: str) -> dict:
    """``plans/facts.yaml``: word lists and process settings; names the key of a mistake."""
    import re

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError(_("{name}: geen geldige YAML ({problem})").format(name=name, problem=exc)) from None
    if not isinstance(data, dict):
        raise TemplateError(_("{name}: verwacht instellingen als sleutel: waarde").format(name=name))
    unknown = set(data) - set(FACT_KEYS)
    if unknown:
        raise TemplateError(_("{name}.{key}: onbekende instelling").format(name=name, key=sorted(unknown)[0]))
    for key in ("health_professions", "diagnosis_words"):
        words = data.get(key)
        if not isinstance(words, list) or not words or not all(isinstance(w, str) and w.strip() for w in words):
            raise TemplateError(_("{name}.{key}: verwacht een lijst woorden").format(name=name, key=key))
        data[key] = tuple(w.strip().lower() for w in words)
    days = data.get("working_days")
    if not isinstance(days, list) or not days or not all(isinstance(d, int) and 1 <= d <= 7 for d in days):
        raise TemplateError(_("{name}.working_days: verwacht weekdagen 1 (maandag) tot 7 (zondag)").format(name=name))
    hours = data.get("working_hours")
    pattern = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
    if (not isinstance(hours, dict) or set(hours) != {"start", "end"}
            or not all(isinstance(v, str) and pattern.match(v) for v in hours.values()) or hours["start"] >= hours["end"]):
        raise TemplateError(_("{name}.working_hours: schrijf als {{start: \"08:00\", end: \"18:00\"}}").format(name=name))
    for key in ("pip_warning_days", "max_weekly_load_hours", "lesson_hours_per_week"):
        value = data.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise TemplateError(_("{name}.{key}: ontbreekt of is geen geheel getal >= 0").format(name=name, key=key))
    return data


def load_facts(directory: Path = PLANS_DIR) -> dict:
    path = directory / "facts.yaml"
    return parse_facts(path.name, path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def facts_config() -> dict:
    return load_facts()


def _words(text: str) -> list[str]:
    import re

    return re.findall(r"\w+", (text or "").lower())


def is_health_profession(occupation: str, words: tuple[str, ...] | None = None) -> bool:
    """Whether a previous occupation is a BIG profession: a word of it starts with a listed word."""
    listed = words if words is not None else facts_config()["health_professions"]
    return any(w.startswith(p) for w in _words(occupation) for p in listed)


def diagnosis_words_in(text: str, words: tuple[str, ...] | None = None) -> list[str]:
    """The listed diagnosis words a health text contains (health holds functional limitations only)."""
    listed = words if words is not None else facts_config()["diagnosis_words"]
    found = set(_words(text))
    return [w for w in listed if w in found]


@lru_cache(maxsize=1)
def templates() -> dict[str, list[TemplateAction]]:
    return load_templates()


@lru_cache(maxsize=1)
def norms() -> dict[str, int]:
    return load_norms()


LEVEL_INTENSITY = {
    "L1": "L1 intensief: de partner doet dit samen met de persoon",
    "L2": "L2 coaching: de partner bereidt voor, de persoon doet het zelf",
    "L3": "L3 informatie: de persoon krijgt informatie en regelt het zelf",
}
# One check moment for the whole plan when any domain is at L3 (instead of one per domain):
# L3 is information plus a single moment where the regisseur checks that it worked out.
L3_CHECK = TemplateAction(
    ref="plan:L3[check]", domain="inburgering", level="L3",
    what="Controlemoment: samen nagaan of de informatie duidelijk was en alles geregeld is",
    owner_kind="gemeente", kind="controle", own_part="Vertellen wat gelukt is en waar u hulp bij wilt",
    milestone="intake", days=90, share="chain",
)


@dataclass(frozen=True)
class Fitted:
    """One template action chosen for this person: for a child when ``child`` is set, with the reason why."""

    template: TemplateAction
    child: Child | None
    reason: str
    children: tuple[Child, ...] = ()  # an action about all children (requires has_children) names them

    @property
    def key(self) -> str:
        """Kept on the generated action (``plan_actions.template``) so regenerating keeps edited ones."""
        return self.template.ref + (f"#{self.child.key}" if self.child else "")

    @property
    def subject(self) -> str:
        if self.child:
            return f"{self.child.name} ({self.child.age} jaar)"
        return ", ".join(f"{c.name} ({c.age} jaar)" for c in self.children)

    def __getattr__(self, name: str):  # domain, level, what, kind, owner_kind ... of the template
        return getattr(self.template, name)


def _reason(template: TemplateAction, facts: Facts, child: Child | None) -> str:
    parts = []
    if child is not None:
        low, high = template.per_child
        parts.append(f"{child.name} is {child.age} jaar (actie voor kinderen van {low} tot en met {high} jaar)")
    parts += [facts.reason(c) for c in template.requires]
    if not parts:
        parts.append("standaard in dit leefgebied")
    return "; ".join(parts) + ". " + LEVEL_INTENSITY[template.level] + "."


def expand(
    levels: dict[str, str], facts: Facts, by_domain: dict[str, list[TemplateAction]] | None = None
) -> list[Fitted]:
    """The template actions that fit this person, for the domains recorded at the intake, at each level.

    An action is chosen only when all its ``requires`` conditions hold; a ``for_each_child``
    action once per child whose age falls in its range (and not at all without such a child).
    Domains at L3 get their information actions and, for the plan as a whole, one check moment.
    """
    by_domain = by_domain if by_domain is not None else templates()
    result = []
    for domain in DOMAINS:
        level = levels.get(domain)
        if not level:
            continue
        for template in by_domain[domain]:
            if template.level != level or not all(facts.holds(c) for c in template.requires):
                continue
            if template.per_child is None:
                named = facts.children if "has_children" in template.requires else ()
                result.append(Fitted(template, None, _reason(template, facts, None), named))
                continue
            low, high = template.per_child
            for child in facts.children:
                if low <= child.age <= high:
                    result.append(Fitted(template, child, _reason(template, facts, child)))
    if "L3" in levels.values():
        l3 = [d for d in DOMAINS if levels.get(d) == "L3"]
        reason = "één controlemoment voor alle leefgebieden op L3 (" + ", ".join(DOMAINS[d] for d in l3) + "). "
        # filed under the first L3 domain, so it is seen where those domains are seen
        check = dataclasses.replace(L3_CHECK, domain=l3[0])
        result.append(Fitted(check, None, reason + LEVEL_INTENSITY["L3"] + "."))
    return result
