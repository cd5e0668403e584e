"""The joint intake and the one shared plan of action: who does what by when.

Every function takes the signed-in ``Actor``, checks ``plan_policy``, writes the change
to the plan's history and to the audit log in the caller's transaction, and bumps the
plan's ``revision`` so that every open screen of the same plan reloads within seconds.
Actions carry a ``version``: a save based on an older version is refused (``StaleAction``)
instead of silently overwriting someone else's change.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from . import audit, config, notify, pip as pip_rules, plan_policy, policy
from .catalogs import staff_message
from .catalogs import staff_text as _
from .milestones import Milestone, check_due, due_from, milestone_dates
from .models import DomainAssessment, Organisation, Person, Plan, PlanAction, PlanHistory, PlanParticipant, User
from .plan_templates import (
    DOMAINS, KINDS, LEVELS, MILESTONES, Child, Facts, diagnosis_words_in, expand, facts_config, is_health_profession, norms,
    suggested_level,
)
from .policy import AccessDenied, Actor
from .register import FormErrors, display_name
from .validation import (
    RELATIONSHIPS, check_in_window, check_text, is_checked, max_length, parse_date, parse_id, parse_int, screen_form,
    text_problem,
)

# Multi-line fields of the plan forms (text areas): newline and tab allowed there, nowhere else.
MULTILINE = frozenset({"what", "own_part", "situation", "goals", "private_notes", "agreement_note"})

DIPLOMAS = {"": "Niet besproken", "none": "Geen diploma's", "present": "Diploma's aanwezig",
            "lost": "Diploma's behaald maar kwijtgeraakt"}
GOALS = {"": "Nog niet bekend", "work": "Werk", "study": "Opleiding"}
STATUSES = {"open": "Open", "bezig": "Bezig", "klaar": "Klaar", "geblokkeerd": "Geblokkeerd"}
PLAN_STATUSES = {"intake": "Intake gepland", "concept": "Concept", "actief": "Actief"}
# A partner's own answer to the intake invitation (``respond_to_intake``).
ACCEPTED, DECLINED = "accepted", "declined"
RESPONSES = {"": staff_message("Nog geen antwoord"), ACCEPTED: staff_message("Komt"),
             DECLINED: staff_message("Komt niet")}


class StaleAction(Exception):
    """Someone else saved this action first. ``latest`` is the newer version the user now sees."""

    def __init__(self, latest: dict | None, removed: bool = False):
        super().__init__(
            _("Deze actie is intussen verwijderd door iemand anders.")
            if removed else
            _("Iemand anders heeft deze actie net gewijzigd. Uw wijziging is niet opgeslagen; u ziet nu de "
              "nieuwste versie. Breng uw wijziging opnieuw aan als die nog nodig is.")
        )
        self.latest = latest
        self.removed = removed


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _plan_of(session: Session, person_id: int) -> Plan | None:
    return session.scalar(select(Plan).where(Plan.person_id == person_id))


def _require_plan(session: Session, person_id: int) -> Plan:
    plan = _plan_of(session, person_id)
    if plan is None:
        raise FormErrors({"form": _("Er is nog geen intake gepland voor deze statushouder.")})
    return plan


def _log(session: Session, actor: Actor, plan: Plan, what: str, action_id: int | None = None) -> None:
    """One change: plan history (who, when, what), audit log, and a new plan revision."""
    session.add(PlanHistory(
        plan_id=plan.id, action_id=action_id, at=_now(), user_id=actor.user_id, user_name=actor.name,
        organisation=actor.organisation, what=what,
    ))
    plan.revision = (plan.revision or 0) + 1
    audit.record(session, actor, audit.CHANGE, f"plan: {what}", "plan van aanpak", plan.person_id)


def _regie(session: Session, actor: Actor, person_id: int, today: date, what: str) -> tuple[Person, Plan]:
    person, _groups = plan_policy.open_person(session, actor, person_id, today)
    plan_policy.require_regie(actor, person, what)
    return person, _require_plan(session, person_id)


def _parse_day(raw: str, key: str, label: str, errors: dict[str, str], today: date, required: bool = False,
               not_after_today: bool = False) -> date | None:
    """A plan date within the configured window around today (``validation.date_window``)."""
    raw = (raw or "").strip()
    if not raw:
        if required:
            errors[key] = _("{label} is verplicht.").format(label=label)
        return None
    try:
        return check_in_window(parse_date(raw, label), label, today, not_after_today=not_after_today)
    except ValueError as exc:
        errors[key] = str(exc)
        return None


def _text(form: dict, key: str, label: str, errors: dict[str, str], required_message: str = "") -> str:
    """One free-text field of a plan form, checked by ``validation.check_text``; the message goes under ``key``."""
    try:
        return check_text(form.get(key), label, max_length(key), required=bool(required_message),
                          multiline=key in MULTILINE, required_message=required_message)
    except ValueError as exc:
        errors.setdefault(key, str(exc))
        return ""


def _one_text(raw, key: str, label: str, required_message: str = "") -> str:
    """A free-text argument on its own (a note, a reason); ``FormErrors`` under ``key`` when refused."""
    errors: dict[str, str] = {}
    value = _text({key: raw}, key, label, errors, required_message)
    if errors:
        raise FormErrors(errors)
    return value


# --- the intake -----------------------------------------------------------------------------


def outside_working_hours(moment: datetime, settings: dict | None = None) -> bool:
    """Whether a moment falls outside the working days and hours of ``plans/facts.yaml``."""
    cfg = settings or facts_config()
    hhmm = moment.strftime("%H:%M")
    return (moment.isoweekday() not in cfg["working_days"]
            or not cfg["working_hours"]["start"] <= hhmm < cfg["working_hours"]["end"])


def schedule_intake(
    session: Session, actor: Actor, person_id: int, when: str, location: str, today: date, reason: str = "",
    interpreter_email: str | None = None,
) -> Plan:
    """Schedule (or move) the joint intake; creates the plan the intake will fill.

    Intakes are held in working hours (``plans/facts.yaml``); another moment needs a reason.
    Every invited partner (and the interpreter agency at ``interpreter_email``; None keeps the address
    given before, "" removes it) gets a calendar invitation, or its update when the intake moved (``agenda``).
    """
    from . import agenda

    person, _groups = plan_policy.open_person(session, actor, person_id, today)
    plan_policy.require_regie(actor, person, _("een intake plannen"))
    location = _one_text(location, "intake_location", _("Locatie"))
    if interpreter_email is not None:
        interpreter_email = agenda.check_email(interpreter_email, "intake_interpreter_email", _("E-mail tolkenbureau"))
    raw = str(when or "").strip()
    try:
        if not raw.isascii() or len(raw) > 25:
            raise ValueError(raw)
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise FormErrors({"intake_at": _("Datum en tijd van de intake zijn niet geldig (JJJJ-MM-DD UU:MM).")}) from None
    if moment.date() < today:
        raise FormErrors({"intake_at": _("Een nieuwe intake kan niet in het verleden worden gepland.")})
    try:
        check_in_window(moment.date(), _("De intake"), today)
    except ValueError as exc:
        raise FormErrors({"intake_at": str(exc)}) from None
    reason = _one_text(reason, "intake_reason", _("Reden"))
    if outside_working_hours(moment) and not reason:
        cfg = facts_config()
        raise FormErrors({"intake_reason": _(
            "{moment} valt buiten werktijd (werkdagen {start}-{end}). Kies een moment binnen werktijd of geef "
            "een reden (bijvoorbeeld: op verzoek van de persoon, avondspreekuur)."
        ).format(moment=moment.strftime("%Y-%m-%d %H:%M"), start=cfg["working_hours"]["start"],
                 end=cfg["working_hours"]["end"])})
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    plan = _plan_of(session, person_id)
    if plan is None:
        plan = Plan(person_id=person_id, status="intake", created_at=_now(), created_by=actor.user_id, revision=1,
                    regisseur_id=actor.user_id,  # who plans the intake is the case owner until a hand-over
                    family_reunification=any(m.abroad for m in person.household))
        gemeente = session.scalar(
            select(Organisation).where(Organisation.kind == "gemeente", Organisation.municipality == person.municipality)
        )
        if gemeente is not None:
            plan.participants.append(PlanParticipant(organisation_id=gemeente.id, present=False))
        session.add(plan)
        session.flush()
    plan.intake_at = moment
    plan.intake_location = (location or "").strip()
    plan.intake_outside_hours_reason = reason if outside_working_hours(moment) else ""
    plan.intake_held_at = None  # a (re)scheduled intake has not been held yet
    _log(session, actor, plan, f"intake gepland op {moment.strftime('%Y-%m-%d %H:%M')} ({plan.intake_location or 'locatie volgt'})")
    agenda.intake_scheduled(session, actor, person, plan, interpreter_email)
    return plan


def cancel_intake(session: Session, actor: Actor, person_id: int, today: date, reason: str = "") -> None:
    """Call the planned intake off ("intake afzeggen"): every invited partner and the interpreter agency get
    METHOD:CANCEL. The invited partners stay on the plan for the next intake; their answers are cleared.
    The reason goes into the plan's history only, never into the e-mail."""
    from . import agenda

    person, plan = _regie(session, actor, person_id, today, _("de intake afzeggen"))
    if plan.intake_at is None:
        raise FormErrors({"intake_cancel": _("Er is geen geplande intake om af te zeggen.")})
    if plan.intake_held_at is not None:
        raise FormErrors({"intake_cancel": _("De intake is al gehouden; afzeggen kan niet meer.")})
    reason = _one_text(reason, "intake_cancel_reason", _("Reden"))
    was = plan.intake_at.strftime("%Y-%m-%d %H:%M")
    agenda.intake_cancelled(session, actor, person, plan, reason)
    plan.intake_at, plan.intake_location, plan.intake_outside_hours_reason = None, "", ""
    _log(session, actor, plan, f"intake van {was} afgezegd" + (f" ({reason})" if reason else ""))


def invite(session: Session, actor: Actor, person_id: int, organisation_id: int, today: date) -> None:
    """Invite a partner organisation (from configuration: any organisation in the chain) to the intake."""
    _person, plan = _regie(session, actor, person_id, today, _("partners uitnodigen"))
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise FormErrors({"invite": _("Kies een partnerorganisatie.")})
    if any(p.organisation_id == org.id for p in plan.participants):
        raise FormErrors({"invite": _("{organisation} is al uitgenodigd.").format(organisation=org.name)})
    plan.participants.append(PlanParticipant(organisation_id=org.id, present=False))
    _log(session, actor, plan, f"{org.name} uitgenodigd voor de intake")
    session.flush()
    from . import agenda

    agenda.partner_invited(session, actor, _person, plan, org.id)


def set_presence(session: Session, actor: Actor, person_id: int, organisation_id: int, present: bool, today: date) -> None:
    _person, plan = _regie(session, actor, person_id, today, _("aanwezigheid vastleggen"))
    for participant in plan.participants:
        if participant.organisation_id == organisation_id:
            participant.present = present
            org = session.get(Organisation, organisation_id)
            _log(session, actor, plan, f"{org.name} {'aanwezig' if present else 'afwezig'} bij de intake")
            return
    raise FormErrors({"invite": _("Deze organisatie is niet uitgenodigd.")})


def respond_to_intake(session: Session, actor: Actor, person_id: int, coming: bool, today: date) -> bool:
    """"Ik kom" / "ik kom niet": a user of an invited partner answers for their own organisation only.

    The organisation is the actor's, resolved on the server; nobody answers for another organisation. The
    answer becomes the organisation's presence on the plan (the regisseur can still correct it with
    ``set_presence``). A moved intake asks again. Answering the same twice changes nothing (False).
    """
    person, _groups = plan_policy.open_person(session, actor, person_id, today)
    plan = _require_plan(session, person_id)
    participant = next((p for p in plan.participants if p.organisation_id == actor.organisation_id), None)
    if participant is None:
        audit.record_refusal(session, actor, "intake: antwoord geweigerd (niet uitgenodigd)", "plan van aanpak",
                             person_id)
        raise AccessDenied(_("Uw organisatie is niet uitgenodigd voor deze intake."))
    if plan.intake_at is None:
        raise FormErrors({"respond": _("Er is geen geplande intake.")})
    if plan.intake_held_at is not None:
        raise FormErrors({"respond": _("De intake is al gehouden; de regisseur legt vast wie er was.")})
    answer = ACCEPTED if coming else DECLINED
    changed = session.execute(
        update(PlanParticipant)
        .where(PlanParticipant.id == participant.id, PlanParticipant.response != answer)
        .values(response=answer, present=bool(coming), responded_at=_now(), responded_by=actor.user_id)
        .execution_options(synchronize_session=False)
    ).rowcount == 1
    session.expire(participant)
    if changed:
        _log(session, actor, plan, f"{actor.organisation} {'komt' if coming else 'komt niet'} naar de intake "
                                   f"(antwoord van {actor.name})")
    return changed


def mark_intake_held(session: Session, actor: Actor, person_id: int, today: date) -> None:
    """The intake took place: who attended (the partners ticked present) and whether an interpreter was there.

    Only after this may the agreement and the first PIP be recorded.
    """
    person, plan = _regie(session, actor, person_id, today, _("de intake als gehouden vastleggen"))
    if plan.intake_at is None or plan.intake_at.date() > today:
        raise FormErrors({"intake_held": _(
            "De intake is gepland op {day}; u kunt haar pas op of na die dag als gehouden vastleggen.").format(
            day=plan.intake_at.strftime("%Y-%m-%d") if plan.intake_at else "—")})
    present = [p for p in plan.participants if p.present]
    if not present:
        raise FormErrors({"intake_held": _("Vink eerst aan welke partners bij de intake aanwezig waren.")})
    if person.interpreter_needed and not plan.interpreter_present:
        raise FormErrors({"intake_held": _(
            "Deze persoon heeft een tolk nodig: leg eerst vast dat er een tolk was (en in welke taal).")})
    plan.intake_held_at = _now()
    names = ", ".join(session.get(Organisation, p.organisation_id).name for p in present)
    tolk = f"tolk {plan.interpreter_language}" if plan.interpreter_present else "geen tolk"
    _log(session, actor, plan, f"intake gehouden; aanwezig: {names}; {tolk}")


LEARNABILITY_MAX = 40  # the learnability test (leerbaarheidstoets) counts correct answers out of 40


def save_intake_details(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> None:
    """Interpreter (present, language), BRP registration date, whether family is abroad, and the facts that
    choose template actions and the route proposal: diplomas, occupation, goal, learnability test."""
    from . import languages

    person, plan = _regie(session, actor, person_id, today, _("de intake vastleggen"))
    form, screened = screen_form(form)
    errors: dict[str, str] = {}
    interpreter = str(form.get("interpreter_present", "")) in ("on", "true", "True", "1")
    language = _text(form, "interpreter_language", _("Taal van de tolk"), errors)
    if interpreter and not language and "interpreter_language" not in errors:
        errors["interpreter_language"] = _("Geef aan in welke taal de tolk vertaalt.")
    code = ""
    if language and "interpreter_language" not in errors:
        try:
            code = languages.normalise(language)
        except languages.UnknownLanguage as exc:
            errors["interpreter_language"] = str(exc)
    brp = _parse_day(str(form.get("brp_date", "") or ""), "brp_date", _("Datum inschrijving BRP"), errors, today)
    if brp and brp > today:
        errors["brp_date"] = _("De inschrijving in de BRP kan niet in de toekomst liggen.")
    errors.update(screened)
    abroad = [m.name for m in person.household if m.abroad]
    if abroad and not is_checked(form, "family_reunification"):
        errors["family_reunification"] = _(
            "In het dossier staan gezinsleden in het buitenland ({names}). Leg hun aankomst vast als "
            "levensgebeurtenis, of pas het gezin in het dossier aan.").format(names=", ".join(abroad))
    diplomas = str(form.get("diplomas", "") or "")
    if diplomas not in DIPLOMAS:
        errors["diplomas"] = _("Kies: geen diploma's, diploma's aanwezig of diploma's kwijtgeraakt.")
    goal = str(form.get("goal", "") or "")
    if goal not in GOALS:
        errors["goal"] = _("Kies het doel: werk, opleiding of nog niet bekend.")
    occupation = _text(form, "occupation", _("Vorig beroep"), errors)
    learnability = str(form.get("learnability_score", "") or "").strip()
    score = parse_int(learnability, 0, LEARNABILITY_MAX) if learnability else None
    if learnability and score is None:
        errors["learnability_score"] = _("De leerbaarheidstoets is een score van 0 tot {max} goede antwoorden.").format(
            max=LEARNABILITY_MAX)
    if errors:
        raise FormErrors(errors)
    plan.diplomas, plan.goal, plan.occupation = diplomas, goal, occupation
    plan.learnability_score = score
    plan.health_shared = is_checked(form, "health_shared")
    plan.interpreter_present = interpreter
    plan.interpreter_language = code
    plan.brp_date = brp
    plan.family_reunification = is_checked(form, "family_reunification")
    _log(session, actor, plan, "intakegegevens vastgelegd (tolk, BRP-inschrijving, gezinshereniging, opleiding, "
                               f"beroep, doel, leerbaarheid: {DIPLOMAS[diplomas]}; {occupation or '—'}; {GOALS[goal]}; "
                               f"{'—' if score is None else score})")


def save_assessment(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> DomainAssessment:
    """One life domain: situation, self-reliance score, own goals and the decided guidance level."""
    _person, plan = _regie(session, actor, person_id, today, _("leefgebieden vastleggen"))
    form, screened = screen_form(form, MULTILINE)
    errors: dict[str, str] = {}
    domain = str(form.get("domain", "") or "")
    if domain not in DOMAINS:
        errors["domain"] = _("Kies een leefgebied.")
    score = parse_int(form.get("score", ""), 1, 5) or 0
    if not 1 <= score <= 5:
        errors["score"] = _("Zelfredzaamheid is een score van 1 (niet zelfredzaam) tot 5 (volledig zelfredzaam).")
    level = str(form.get("level", "") or "") or (suggested_level(score) if 1 <= score <= 5 else "")
    if level not in LEVELS:
        errors["level"] = _("Kies het begeleidingsniveau: L1, L2 of L3.")
    reason = _text(form, "level_reason", _("Reden voor het niveau"), errors)
    if "score" not in errors and level in LEVELS and level != suggested_level(score) and not reason \
            and "level_reason" not in errors:
        errors["level_reason"] = _("Bij score {score} past {suggested}; u kiest {chosen}. Leg uit waarom.").format(
            score=score, suggested=_(LEVELS[suggested_level(score)]), chosen=_(LEVELS[level]))
    relevance = _text(form, "relevance", _("Belang van het leefgebied"), errors, required_message=_(
        "Leg kort uit waarom dit leefgebied voor deze persoon van belang is (dataminimalisatie)."))
    row = next((a for a in plan.assessments if a.domain == domain), None)
    # A field left out of the form keeps what was recorded; a save never wipes situation or goals.
    situation = _text(form, "situation", _("Huidige situatie"), errors) if "situation" in form else (
        row.situation if row else "")
    goals = _text(form, "goals", _("Eigen doelen en wensen"), errors) if "goals" in form else (row.goals if row else "")
    errors.update(screened)
    if str(form.get("no_diagnosis", "")) not in ("on", "true", "True", "1"):
        for key, text in (("situation", situation), ("goals", goals), ("relevance", relevance), ("level_reason", reason)):
            found = diagnosis_words_in(text)
            if found and key not in errors:
                errors[key] = _(
                    "Dit lijkt een diagnose ('{word}'). Noteer alleen functionele beperkingen: wat iemand wel of "
                    "niet kan. Is het geen diagnose, vink dan 'Bevat geen diagnose' aan."
                ).format(word=found[0])
    if errors:
        raise FormErrors(errors)
    before = None
    if row is None:
        row = DomainAssessment(domain=domain, score=score, level=level)
        plan.assessments.append(row)
    else:
        before = (row.score, row.level, row.level_reason, row.relevance, row.situation, row.goals)
    row.score, row.level, row.level_reason, row.relevance = score, level, reason, relevance
    row.situation, row.goals = situation, goals
    if before is None:
        what = f"leefgebied {DOMAINS[domain]} vastgelegd: score {score}, {LEVELS[level]}"
    else:
        labels = ("score", "niveau", "reden niveau", "waarom van belang", "situatie", "doelen")
        after = (row.score, row.level, row.level_reason, row.relevance, row.situation, row.goals)
        changed = [f"{label}: {LEVELS.get(str(b), b) or '—'} → {LEVELS.get(str(a), a) or '—'}"
                   for label, b, a in zip(labels, before, after) if a != b]
        what = f"leefgebied {DOMAINS[domain]} gewijzigd: " + ("; ".join(changed) if changed else "niets veranderd")
    _log(session, actor, plan, what)
    session.flush()
    return row


def remove_assessment(session: Session, actor: Actor, person_id: int, domain: str, today: date) -> None:
    _person, plan = _regie(session, actor, person_id, today, _("leefgebieden verwijderen"))
    row = next((a for a in plan.assessments if a.domain == domain), None)
    if row is not None:
        plan.assessments.remove(row)
        _log(session, actor, plan, f"leefgebied {DOMAINS.get(domain, domain)} niet meer van belang")


def save_private(session: Session, actor: Actor, person_id: int, notes: str, held: bool, today: date) -> None:
    """The one-to-one part without partners or household: stays with the gemeente."""
    _person, plan = _regie(session, actor, person_id, today, _("het vertrouwelijke deel vastleggen"))
    plan.private_notes = _one_text(notes, "private_notes", _("Notities"))
    plan.private_held = held
    _log(session, actor, plan, "vertrouwelijk deel vastgelegd (alleen zichtbaar voor de gemeente)")


# --- milestones and the draft plan ------------------------------------------------------------


def milestones_for(session: Session, person: Person, plan: Plan, today: date) -> dict[str, Milestone]:
    current = pip_rules.current_pip(session, person.id)
    return milestone_dates(
        norms(), today, permit=person.permit_date, koppeling=person.koppeling_date, move=person.move_date,
        brp=plan.brp_date, intake=plan.intake_at.date() if plan.intake_at else None,
        pip=current.decided_on if current else None,
    )


def age_on(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def facts_for(person: Person, plan: Plan, on: date | None = None) -> Facts:
    """The facts that select template actions: the household's children and their age on the
    intake day (or ``on``), literacy, the intake's education, occupation, goal and health answers."""
    day = on or (plan.intake_at.date() if plan.intake_at else date.today())
    children = tuple(
        Child(f"m{m.id}", m.name.split()[0] if m.name.strip() else m.name, age_on(m.birth_date, day))
        for m in person.household_here if m.relationship_kind == "child" and m.birth_date and m.birth_date <= day
        and (m.arrived_on is None or m.arrived_on <= day)
    )
    return Facts(
        children=children,
        has_family_abroad=plan.family_reunification or any(
            m.abroad or (m.arrived_on is not None and m.arrived_on > day) for m in person.household),
        not_moved=person.move_date is None,
        integration_duty=pip_rules.no_pip_reason(person) is None,
        literacy=person.literacy,
        diplomas=plan.diplomas or "",
        occupation=plan.occupation or "",
        health_profession=is_health_profession(plan.occupation or ""),
        goal=plan.goal or "",
        health_shared=bool(plan.health_shared and person.functional_limitations.strip()),
    )


def _owner_for(session: Session, person: Person, plan: Plan, kind: str) -> Organisation:
    """The organisation of this kind at the intake; else the person's gemeente for regie; else any of the kind."""
    invited = [session.get(Organisation, p.organisation_id) for p in plan.participants]
    for org in invited:
        if org.kind == kind and (kind != "gemeente" or org.municipality == person.municipality):
            return org
    query = select(Organisation).where(Organisation.kind == kind).order_by(Organisation.id)
    if kind == "gemeente":
        query = query.where(Organisation.municipality == person.municipality)
    found = session.scalars(query).first()
    if found is not None:
        return found
    return session.scalars(
        select(Organisation).where(Organisation.kind == "gemeente", Organisation.municipality == person.municipality)
    ).one()


def generate_draft(session: Session, actor: Actor, person_id: int, today: date) -> int:
    """Turn the recorded domains into draft actions from the templates.

    Running it again replaces only template actions nobody has touched yet; actions
    added or edited by hand stay.
    """
    person, plan = _regie(session, actor, person_id, today, _("het conceptplan maken"))
    if not plan.assessments:
        raise FormErrors({"generate": _("Leg eerst minstens één leefgebied vast met score en begeleidingsniveau.")})
    if plan.status == "actief":
        raise FormErrors({"generate": _("Het plan is al actief; voeg acties toe in plaats van opnieuw te genereren.")})
    for action in list(plan.actions):
        if action.template and action.version == 1 and action.status == "open":
            plan.actions.remove(action)
    session.flush()
    kept = {a.template for a in plan.actions if a.template}
    stones = milestones_for(session, person, plan, today)
    chain_ids = [p.organisation_id for p in plan.participants]
    catch_up = norms()["catch_up_days"]
    levels = {a.domain: a.level for a in plan.assessments}
    count = 0
    pip_decided = pip_rules.current_pip(session, person.id) is not None
    for fitted in expand(levels, facts_for(person, plan, today if plan.intake_at is None else None)):
        template = fitted.template
        if fitted.key in kept:
            continue
        owner = _owner_for(session, person, plan, template.owner_kind)
        due, norm_day = due_from(stones, template.milestone, template.days, today, catch_up)
        shared = [i for i in chain_ids if i != owner.id] if template.share == "chain" else []
        done = template.closed_by == "pip" and pip_decided
        plan.actions.append(PlanAction(
            domain=template.domain, what=template.what, kind=template.kind, owner_id=owner.id,
            own_part=template.own_part, milestone=template.milestone, due_date=due, norm_date=norm_day,
            status="klaar" if done else "open", visible_to=shared, template=fitted.key, subject=fitted.subject,
            reason=fitted.reason + (" Afgerond: het PIP is al vastgesteld." if done else ""), updated_at=_now(),
        ))
        count += 1
    if plan.status == "intake":
        plan.status = "concept"
    session.flush()
    _log(session, actor, plan, f"conceptplan gemaakt uit sjablonen: {count} acties")
    return count


# --- actions ----------------------------------------------------------------------------------


def _action_values(session: Session, person: Person, plan: Plan, form: dict, today: date) -> dict:
    """Checked values of an action form; ``FormErrors`` names every wrong field."""
    form, screened = screen_form(form, MULTILINE)
    errors: dict[str, str] = {}
    v: dict = {}
    v["domain"] = str(form.get("domain", "") or "")
    if v["domain"] not in DOMAINS:
        errors["domain"] = _("Kies het leefgebied van deze actie.")
    v["what"] = _text(form, "what", _("Wat"), errors, required_message=_("Beschrijf wat er moet gebeuren."))
    v["kind"] = str(form.get("kind", "") or "coaching")
    if v["kind"] not in KINDS:
        errors["kind"] = _("Kies het soort actie.")
    owner_id = parse_id(form.get("owner_id", ""))
    owner = session.get(Organisation, owner_id) if owner_id else None
    if owner is None:
        errors["owner_id"] = _("Elke actie heeft een eigenaar: kies de organisatie die dit doet.")
    v["owner_id"] = owner.id if owner else None
    worker_raw = str(form.get("worker_id", "") or "").strip()
    worker_id = parse_id(worker_raw)
    v["worker_id"] = None
    if worker_raw and worker_id is None:
        errors["worker_id"] = _("De verantwoordelijke medewerker moet bij de eigenaar-organisatie horen.")
    if worker_id:
        worker = session.get(User, worker_id)
        if worker is None or owner is None or worker.organisation_id != owner.id:
            errors["worker_id"] = _("De verantwoordelijke medewerker moet bij de eigenaar-organisatie horen.")
        else:
            v["worker_id"] = worker.id
    v["own_part"] = _text(form, "own_part", _("Eigen deel van de statushouder"), errors)
    v["milestone"] = str(form.get("milestone", "") or "")
    if v["milestone"] and v["milestone"] not in MILESTONES:
        errors["milestone"] = _("Kies een mijlpaal uit de lijst.")
    v["due_date"] = _parse_day(str(form.get("due_date", "") or ""), "due_date", _("Deadline"), errors, today,
                               required=True)
    if v["due_date"] and "milestone" not in errors:
        problem = check_due(milestones_for(session, person, plan, today), v["milestone"], v["due_date"])
        if problem:
            errors["due_date"] = problem
    v["status"] = str(form.get("status", "") or "open")
    if v["status"] not in STATUSES:
        errors["status"] = _("Kies een status: open, bezig, klaar of geblokkeerd.")
    v["blocked_reason"] = _text(form, "blocked_reason", _("Reden als geblokkeerd"), errors)
    if v["status"] == "geblokkeerd" and not v["blocked_reason"] and "blocked_reason" not in errors:
        errors["blocked_reason"] = _("Geef aan waarom de actie geblokkeerd is en wat er nodig is.")
    visible = form.get("visible_to", [])
    if isinstance(visible, str):
        visible = [x for x in visible.split(",") if x.strip()]
    v["visible_to"] = sorted({i for i in (parse_id(x) for x in visible) if i} - {v["owner_id"]})
    errors.update(screened)
    if errors:
        raise FormErrors(errors)
    return v


def add_action(session: Session, actor: Actor, person_id: int, form: dict, today: date) -> PlanAction:
    person, _groups = plan_policy.open_person(session, actor, person_id, today)
    plan = _require_plan(session, person_id)
    values = _action_values(session, person, plan, form, today)
    plan_policy.require_add_action(actor, person, values["owner_id"])
    action = PlanAction(**values, template="", updated_at=_now())
    plan.actions.append(action)
    session.flush()
    owner = session.get(Organisation, action.owner_id)
    _log(session, actor, plan, f"actie toegevoegd: {action.what} (eigenaar {owner.name})", action.id)
    notify.action_assigned(session, actor, action, person)
    return action


def _load_action(session: Session, actor: Actor, action_id: int, expected_version: int, today: date):
    action = session.get(PlanAction, action_id)
    if action is None:
        raise StaleAction(None, removed=True)
    plan = action.plan
    person, _groups = plan_policy.open_person(session, actor, plan.person_id, today)
    if not plan_policy.sees_action(actor, action):
        raise AccessDenied(_("Deze actie is niet met uw organisatie gedeeld."))
    plan_policy.require_edit_action(actor, person, action)
    if action.version != expected_version:
        raise StaleAction(action_row(session, action, actor, person))
    return action, plan, person


def _describe_changes(session: Session, action: PlanAction, values: dict) -> list[str]:
    labels = {
        "domain": "leefgebied", "what": "wat", "kind": "soort", "owner_id": "eigenaar", "worker_id": "medewerker",
        "own_part": "eigen deel", "milestone": "mijlpaal", "due_date": "deadline", "status": "status",
        "blocked_reason": "reden blokkade", "visible_to": "zichtbaar voor",
    }
    changes = []
    for key, label in labels.items():
        if key in values and getattr(action, key) != values[key]:
            new = values[key]
            if key == "owner_id":
                new = session.get(Organisation, new).name
            elif key == "worker_id" and new is not None:  # the worker by name, never the database id
                worker = session.get(User, new)
                new = worker.full_name if worker else new
            elif key == "status":
                new = STATUSES[new]
            changes.append(f"{label}: {new if new not in (None, '', []) else '—'}")
    return changes


def _save(session: Session, action: PlanAction, actor: Actor, person: Person) -> None:
    action.updated_at = _now()
    try:
        session.flush()
    except StaleDataError:
        raise StaleAction(None) from None


def update_action(
    session: Session, actor: Actor, action_id: int, expected_version: int, form: dict, today: date
) -> PlanAction:
    """Save an edited action, unless someone saved a newer version since this user loaded it."""
    action, plan, person = _load_action(session, actor, action_id, expected_version, today)
    values = _action_values(session, person, plan, form, today)
    if values["owner_id"] != action.owner_id:
        plan_policy.require_add_action(actor, person, values["owner_id"])
    changes = _describe_changes(session, action, values)
    if not changes:
        return action
    assigned = values["worker_id"] is not None and values["worker_id"] != action.worker_id
    for key, value in values.items():
        setattr(action, key, value)
    _save(session, action, actor, person)
    _log(session, actor, plan, f"actie '{action.what}' gewijzigd: " + "; ".join(changes), action.id)
    if assigned:  # the new worker hears of it by e-mail (initials, dossier reference and a link only)
        notify.action_assigned(session, actor, action, person)
    return action


def set_status(
    session: Session, actor: Actor, action_id: int, expected_version: int, status: str, reason: str, today: date
) -> PlanAction:
    """The owner (or regisseur) moves an action along: open, bezig, klaar, geblokkeerd with a reason."""
    action, plan, person = _load_action(session, actor, action_id, expected_version, today)
    if status not in STATUSES:
        raise FormErrors({"status": _("Kies een status: open, bezig, klaar of geblokkeerd.")})
    reason = _one_text(reason, "blocked_reason", _("Reden als geblokkeerd"))
    if status == "geblokkeerd" and not reason:
        raise FormErrors({"blocked_reason": _("Geef aan waarom de actie geblokkeerd is en wat er nodig is.")})
    action.status = status
    action.blocked_reason = reason if status == "geblokkeerd" else ""
    _save(session, action, actor, person)
    suffix = f" ({reason})" if status == "geblokkeerd" else ""
    _log(session, actor, plan, f"status '{action.what}': {STATUSES[status]}{suffix}", action.id)
    return action


def remove_action(session: Session, actor: Actor, action_id: int, expected_version: int, today: date) -> None:
    action, plan, person = _load_action(session, actor, action_id, expected_version, today)
    what = action.what
    plan.actions.remove(action)
    try:
        session.flush()
    except StaleDataError:
        raise StaleAction(None) from None
    _log(session, actor, plan, f"actie verwijderd: {what}", action_id)


def agree(session: Session, actor: Actor, person_id: int, note: str, today: date) -> None:
    """Record the statushouder's agreement with the summarised plan; the plan becomes active."""
    person, plan = _regie(session, actor, person_id, today, _("de instemming vastleggen"))
    if plan.intake_held_at is None:
        raise FormErrors({"agree": _(
            "Eerst de intake houden en als gehouden vastleggen (wie aanwezig, tolk); daarna de instemming.")})
    if not plan.actions:
        raise FormErrors({"agree": _("Er zijn nog geen acties: maak eerst het plan.")})
    try:
        note = check_text(note, _("Samenvatting"), max_length("agreement_note"), required=True, multiline=True,
                          required_message=_("Noteer hoe de afspraken zijn samengevat en bevestigd "
                                             "(bijvoorbeeld teach-back, tolk)."))
    except ValueError as exc:
        raise FormErrors({"agree": str(exc)}) from None
    plan.status = "actief"
    plan.agreed_at = _now()
    plan.agreed_by = actor.user_id
    plan.agreement_note = note.strip()
    _log(session, actor, plan, f"statushouder stemt in met het plan; plan actief ({note.strip()})")


# --- reading ----------------------------------------------------------------------------------


def close_on_pip(session: Session, actor: Actor, person_id: int) -> int:
    """Deciding the PIP closes the template actions marked ``closed_by: pip`` (e.g. 'PIP opstellen')."""
    from .plan_templates import templates

    plan = _plan_of(session, person_id)
    if plan is None:
        return 0
    closing = {a.ref for actions in templates().values() for a in actions if a.closed_by == "pip"}
    closed = 0
    for action in plan.actions:
        if action.template.partition("#")[0] in closing and action.status != "klaar":
            action.status = "klaar"
            action.updated_at = _now()
            closed += 1
            _log(session, actor, plan, f"status '{action.what}': Klaar (PIP vastgesteld)", action.id)
    session.flush()
    return closed


def pip_deadline_warning(person: Person, plan: Plan, has_pip: bool, today: date) -> str:
    """Warning when the PIP norm (BRP registration + brp_to_pip_days) approaches or has passed."""
    if has_pip or plan.brp_date is None or pip_rules.no_pip_reason(person):
        return ""
    from datetime import timedelta

    deadline = plan.brp_date + timedelta(days=norms()["brp_to_pip_days"])
    if today > deadline:
        return _("Het PIP had uiterlijk {day} vastgesteld moeten zijn (10-wekennorm na inschrijving BRP).").format(
            day=deadline.isoformat())
    if (deadline - today).days <= facts_config()["pip_warning_days"]:
        return _("Het PIP moet uiterlijk {day} zijn vastgesteld (nog {days} dagen).").format(
            day=deadline.isoformat(), days=(deadline - today).days)
    return ""


def plan_revision(session: Session, person_id: int) -> int:
    """The plan's change counter, for live screens to poll (no person data, so not audited)."""
    return session.scalar(select(Plan.revision).where(Plan.person_id == person_id)) or 0


def _org_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Organisation.id, Organisation.name)).all())


def action_row(
    session: Session, action: PlanAction, actor: Actor, person: Person, today: date | None = None,
    names: dict[int, str] | None = None, groups: frozenset[str] | None = None,
) -> dict:
    """One action as the plan page shows it (plain strings, ready for the UI).

    With ``groups`` (the field groups the actor sees of this person) the text of an action
    outside those groups is withheld unless the actor's organisation owns it: owner, due date
    and status stay, so the chain still sees who does what by when.
    """
    names = names if names is not None else _org_names(session)
    worker = session.get(User, action.worker_id) if action.worker_id else None
    today = today or date.today()
    overdue = action.due_date is not None and action.due_date < today and action.status != "klaar"
    return {
        "id": action.id,
        "version": action.version,
        "domain": action.domain,
        "domain_label": DOMAINS.get(action.domain, action.domain),
        "what": action.what,
        "kind": action.kind,
        "kind_label": KINDS.get(action.kind, action.kind),
        "owner_id": str(action.owner_id),
        "owner": names.get(action.owner_id, "?"),
        "worker_id": str(action.worker_id or ""),
        "worker": worker.full_name if worker else "",
        "own_part": action.own_part,
        "milestone": action.milestone,
        "milestone_label": MILESTONES.get(action.milestone, ""),
        "due_date": action.due_date.isoformat() if action.due_date else "",
        "norm_date": action.norm_date.isoformat() if action.norm_date else "",
        "status": action.status,
        "status_label": STATUSES.get(action.status, action.status),
        "blocked_reason": action.blocked_reason,
        "visible_to": ", ".join(names.get(i, "?") for i in action.visible_to or []),
        "visible_ids": [str(i) for i in action.visible_to or []],
        "overdue": overdue,
        "editable": plan_policy.may_edit_action(actor, person, action),
        "from_template": bool(action.template),
        "subject": action.subject or "",
        "reason": action.reason or "",
        "hidden": False,
    } if groups is None or plan_policy.sees_action_text(actor, groups, action) else _hidden_row(
        action, names, today, overdue, actor, person)


def _hidden_row(action: PlanAction, names: dict[int, str], today: date, overdue: bool, actor: Actor,
                person: Person) -> dict:
    from .policy import GROUP_LABELS

    group = plan_policy.DOMAIN_GROUPS.get(action.domain, policy.IDENTITY)
    return {
        "id": action.id, "version": action.version, "domain": action.domain,
        "domain_label": DOMAINS.get(action.domain, action.domain),
        "what": _("Actie in dit leefgebied (inhoud alleen voor partners met toegang tot {group})").format(
            group=_(GROUP_LABELS[group])),
        "kind": action.kind, "kind_label": KINDS.get(action.kind, action.kind),
        "owner_id": str(action.owner_id), "owner": names.get(action.owner_id, "?"),
        "worker_id": "", "worker": "", "own_part": "", "milestone": action.milestone,
        "milestone_label": MILESTONES.get(action.milestone, ""),
        "due_date": action.due_date.isoformat() if action.due_date else "", "norm_date": "",
        "status": action.status, "status_label": STATUSES.get(action.status, action.status),
        "blocked_reason": "", "visible_to": "", "visible_ids": [], "overdue": overdue,
        "editable": False, "from_template": bool(action.template), "subject": "", "reason": "", "hidden": True,
    }


@dataclass
class PlanView:
    """Everything the plan page shows to one actor, already filtered by what that actor may see."""

    person_id: int
    person_name: str
    exists: bool
    status: str = ""
    status_label: str = ""
    revision: int = 0
    regie: bool = False
    intake_at: str = ""
    intake_location: str = ""
    interpreter_present: bool = False
    interpreter_language: str = ""
    brp_date: str = ""
    family_reunification: bool = False
    diplomas: str = ""
    occupation: str = ""
    goal: str = ""
    learnability_score: str = ""
    health_shared: bool = False
    intake_held_at: str = ""
    intake_outside_hours_reason: str = ""
    participants: list[dict] = field(default_factory=list)
    assessments: list[dict] = field(default_factory=list)
    hidden_domains: int = 0
    private_notes: str = ""
    private_held: bool = False
    sees_private: bool = False
    actions: list[dict] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    milestones: list[str] = field(default_factory=list)
    agreed_at: str = ""
    agreement_note: str = ""
    history: list[dict] = field(default_factory=list)
    sees_pip: bool = False
    no_pip_reason: str = ""
    pip_versions: list[dict] = field(default_factory=list)
    linked_pips: list[dict] = field(default_factory=list)
    overall_level: str = ""
    overall_label: str = ""
    overall_explanation: str = ""
    overall_chosen: bool = False
    overall_reason: str = ""
    case_owner: str = ""
    case_owner_options: list[list[str]] = field(default_factory=list)
    abroad_members: list[list[str]] = field(default_factory=list)  # [member id, "name (relationship)"]
    life_events: list[dict] = field(default_factory=list)
    route_advice: str = ""  # pip.ROUTES key the product proposes for the next PIP version
    route_advice_reason: str = ""
    # agenda (issue 18): the dossier reference invitations use, the interpreter agency of the intake, the
    # actor's own organisation's answer ("" when not invited, "none" before answering), progress talks.
    reference: str = ""
    intake_interpreter_email: str = ""
    my_response: str = ""
    may_respond: bool = False
    talks: list[dict] = field(default_factory=list)


def load_plan(session: Session, actor: Actor, person_id: int, today: date) -> PlanView:
    """The plan as this actor may see it; the read (or the refusal) is audited."""
    try:
        person, groups = plan_policy.open_person(session, actor, person_id, today)
    except AccessDenied:
        audit.record_refusal(session, actor, "plan: toegang geweigerd", "plan van aanpak", person_id)
        raise
    plan = _plan_of(session, person_id)
    view = PlanView(person_id=person.id, person_name=display_name(person), exists=plan is not None)
    view.regie = plan_policy.is_regie(actor, person)
    view.sees_pip = plan_policy.sees_pip(groups)
    view.no_pip_reason = pip_rules.no_pip_reason(person) or ""
    if view.sees_pip:
        from dataclasses import asdict

        view.pip_versions = [plan_policy.mask_pip(asdict(s), groups) for s in pip_rules.pip_versions(session, person_id)]
        view.linked_pips = [plan_policy.mask_pip(asdict(s), groups) for s in pip_rules.linked_pips(session, person_id)]
    if plan is None:
        audit.record(session, actor, audit.READ, "plan bekeken (nog geen intake)", "plan van aanpak", person_id)
        return view
    names = _org_names(session)
    view.status, view.status_label, view.revision = plan.status, PLAN_STATUSES[plan.status], plan.revision
    if plan.status == "intake" and plan.intake_at is None:
        view.status_label = _("Intake afgezegd")
    from . import agenda

    view.reference = notify.dossier_reference(person)
    if view.regie:
        view.intake_interpreter_email = agenda.intake_interpreter_email(session, plan)
    own = next((p for p in plan.participants if p.organisation_id == actor.organisation_id), None)
    if own is not None and not view.regie:
        view.my_response = own.response or "none"
        view.may_respond = plan.intake_at is not None and plan.intake_held_at is None
    view.talks = agenda.talks(session, plan)
    from . import case_owner, overall_level

    overall = overall_level.overall_of(plan)
    view.overall_level, view.overall_label, view.overall_explanation = overall.level, overall.label, overall.explanation
    view.overall_chosen, view.overall_reason = overall.level != overall.derived, overall.reason
    view.case_owner = case_owner.name_of(session, plan)
    if view.regie and not view.no_pip_reason:
        from . import route_advice

        current = pip_rules.current_pip(session, person_id)
        n = norms()
        advice = route_advice.advise(person, plan, current.term_start if current else today, n["term_years"] * 12, n)
        view.route_advice, view.route_advice_reason = advice.route, advice.reason
    view.intake_at = plan.intake_at.strftime("%Y-%m-%d %H:%M") if plan.intake_at else ""
    view.intake_location = plan.intake_location
    view.interpreter_present, view.interpreter_language = plan.interpreter_present, plan.interpreter_language
    view.brp_date = plan.brp_date.isoformat() if plan.brp_date else ""
    view.family_reunification = plan.family_reunification or any(m.abroad for m in person.household)
    view.diplomas, view.occupation, view.goal = plan.diplomas, plan.occupation, plan.goal
    view.learnability_score = "" if plan.learnability_score is None else str(plan.learnability_score)
    view.health_shared = plan.health_shared
    view.intake_held_at = config.local_time(plan.intake_held_at)
    view.intake_outside_hours_reason = plan.intake_outside_hours_reason
    view.participants = [
        {"organisation_id": str(p.organisation_id), "name": names[p.organisation_id], "present": p.present,
         "response": p.response, "response_label": _(RESPONSES.get(p.response, RESPONSES[""]))}
        for p in plan.participants
    ]
    for a in plan.assessments:
        if not plan_policy.sees_domain(groups, a.domain):
            view.hidden_domains += 1
            continue
        suggested = suggested_level(a.score)
        view.assessments.append({
            "domain": a.domain, "domain_label": DOMAINS[a.domain], "relevance": a.relevance, "situation": a.situation,
            "score": str(a.score), "goals": a.goals, "level": a.level, "level_label": LEVELS[a.level],
            "suggested": LEVELS[suggested], "differs": a.level != suggested, "level_reason": a.level_reason,
        })
    view.sees_private = plan_policy.sees_private(actor, person)
    if view.sees_private:
        view.private_notes, view.private_held = plan.private_notes, plan.private_held
    visible = [a for a in plan.actions if plan_policy.sees_action(actor, a)]
    order = list(DOMAINS)
    visible.sort(key=lambda a: (order.index(a.domain) if a.domain in order else 99, a.due_date or date.max, a.id))
    view.actions = [action_row(session, a, actor, person, today, names, groups) for a in visible]
    view.owners = sorted({names[a.owner_id] for a in plan.actions})
    view.warnings = _owner_warnings(session, person, plan, names, today) if view.regie else []
    if view.regie:
        view.case_owner_options = case_owner.candidates(session, person.municipality)
        view.abroad_members = [[str(m.id), f"{m.name} ({RELATIONSHIPS[m.relationship_kind].lower()})"]
                               for m in person.household if m.abroad]
        unassigned = sum(1 for a in plan.actions if a.worker_id is None and a.status != "klaar")
        if unassigned:
            view.warnings.append(_(
                "{count} open actie(s) hebben nog geen medewerker: vraag de eigenaar-organisatie iemand te noemen."
            ).format(count=unassigned))
        if not view.case_owner:
            view.warnings.append(_("Er is geen casusregisseur genoemd: draag de regie over aan een regisseur."))
        late = pip_deadline_warning(person, plan, pip_rules.current_pip(session, person.id) is not None, today)
        view.warnings += [late] if late else []
    view.milestones = [m.label for m in milestones_for(session, person, plan, today).values()]
    from . import life_events

    view.life_events = life_events.timeline(session, actor, person_id, groups)
    view.agreed_at = config.local_time(plan.agreed_at)
    view.agreement_note = plan.agreement_note
    rows = session.scalars(
        select(PlanHistory).where(PlanHistory.plan_id == plan.id).order_by(PlanHistory.id.desc()).limit(50)
    ).all()
    # Partners see the history of the actions they see; intake entries (domains, scores) stay with the gemeente.
    view.history = [
        {"at": config.local_time(h.at), "who": h.user_name, "organisation": h.organisation, "what": h.what}
        for h in rows
        if plan_policy.is_regie(actor, person)
        or (h.action_id is not None and _history_visible(session, actor, h.action_id, groups))
    ]
    audit.record(
        session, actor, audit.READ, f"plan bekeken ({len(view.actions)} acties zichtbaar)", "plan van aanpak", person_id
    )
    return view


def _history_visible(session: Session, actor: Actor, action_id: int, groups: frozenset[str]) -> bool:
    """A history line names the action's text: only for who may read that text."""
    action = session.get(PlanAction, action_id)
    return (action is not None and plan_policy.sees_action(actor, action)
            and plan_policy.sees_action_text(actor, groups, action))


def _owner_warnings(session: Session, person: Person, plan: Plan, names: dict[int, str], today: date) -> list[str]:
    """Owners who cannot open this person's file (no consent or link) would never see their actions."""
    warnings = []
    for owner_id in sorted({a.owner_id for a in plan.actions}):
        org = session.get(Organisation, owner_id)
        probe = policy.Actor(0, "", org.id, org.name, org.kind, _any_role(org.kind), org.municipality)
        if not policy.visible_groups(probe, person, session, today):
            warnings.append(_(
                "{organisation} heeft geen toegang tot deze statushouder (toestemming of koppeling ontbreekt) "
                "en ziet zijn acties dus niet."
            ).format(organisation=names[owner_id]))
    return warnings


def _any_role(kind: str) -> str:
    return next((role for (k, role) in policy.ROLES if k == kind), "")


# "Mijn acties" filters (issue 18). They travel as query parameters of /acties (``wie``, ``persoon``, ``status``,
# ``deadline``, ``afgerond``) so a reload keeps them; ``action_filters`` checks them here, and a value it does
# not know is no filter (never an error page).
WHO_FILTERS = {
    "team": staff_message("Mijn team (hele organisatie)"),
    "mijn": staff_message("Aan mij toegewezen"),
    "geen": staff_message("Nog zonder medewerker"),
}
DUE_FILTERS = {
    "te-laat": staff_message("Over de deadline"),
    "deze-week": staff_message("Deze week (vandaag en de 6 dagen erna)"),
    "later": staff_message("Later of zonder deadline"),
}
WEEK_DAYS = 7  # "this week": today and the six days after it
PERSON_SEARCH_MAX = 100


@dataclass(frozen=True)
class ActionFilters:
    """Checked filters of *Mijn acties*; the defaults show every open action of the actor's organisation."""

    who: str = "team"  # a key of WHO_FILTERS
    person: str = ""  # words that must each occur in the person's name
    status: str = ""  # "" or a key of STATUSES
    due: str = ""  # "" or a key of DUE_FILTERS
    include_done: bool = False

    def params(self) -> dict[str, str]:
        """The query parameters that give these filters back (the defaults are left out)."""
        out = {"wie": self.who if self.who != "team" else "", "persoon": self.person, "status": self.status,
               "deadline": self.due, "afgerond": "1" if self.include_done else ""}
        return {key: value for key, value in out.items() if value}


def action_filters(params) -> tuple[ActionFilters, dict[str, str]]:
    """The filters from the query parameters of /acties, and a message per field that could not be used.

    An unknown ``wie``, ``status`` or ``deadline`` is no filter. A person search with characters that cannot
    be searched for, or too long, is not applied and gets a message under the field (``persoon``).
    """
    def one(key: str) -> str:
        value = params.get(key, "") if params else ""
        return (value[0] if value else "") if isinstance(value, (list, tuple)) else str(value or "")

    errors: dict[str, str] = {}
    who, status, due = one("wie").strip(), one("status").strip(), one("deadline").strip()
    person = " ".join(one("persoon").split())
    problem = text_problem(person, _("Statushouder"), PERSON_SEARCH_MAX)
    if problem:
        errors["persoon"], person = problem, ""
    return ActionFilters(
        who=who if who in WHO_FILTERS else "team",
        person=person,
        status=status if status in STATUSES else "",
        due=due if due in DUE_FILTERS else "",
        include_done=one("afgerond").strip() in ("1", "on", "true", "ja"),
    ), errors


def _name_matches(word: str):
    """One search word occurs in the person's given names, family name or name in their own script."""
    return or_(Person.given_names.icontains(word, autoescape=True),
               Person.family_name.icontains(word, autoescape=True),
               Person.name_own_script.contains(word, autoescape=True))


def _filtered(query, filters: ActionFilters, actor: Actor, today: date):
    if filters.who == "mijn":
        query = query.where(PlanAction.worker_id == actor.user_id)
    elif filters.who == "geen":
        query = query.where(PlanAction.worker_id.is_(None))
    if filters.status:
        query = query.where(PlanAction.status == filters.status)
    elif not filters.include_done:
        query = query.where(PlanAction.status != "klaar")
    week_end = today + timedelta(days=WEEK_DAYS - 1)
    if filters.due == "te-laat":  # what the rows mark as overdue: a deadline before today, not done
        query = query.where(PlanAction.due_date < today, PlanAction.status != "klaar")
    elif filters.due == "deze-week":
        query = query.where(PlanAction.due_date >= today, PlanAction.due_date <= week_end)
    elif filters.due == "later":
        query = query.where(or_(PlanAction.due_date > week_end, PlanAction.due_date.is_(None)))
    for word in filters.person.split():
        query = query.where(_name_matches(word))
    return query


def my_actions(session: Session, actor: Actor, today: date, include_done: bool = False,
               filters: ActionFilters | None = None) -> list[dict]:
    """The open actions of the actor's organisation across all statushouders it may see, oldest due first.

    ``filters`` narrows them down (see ``ActionFilters``); each row names its assigned worker (``worker``,
    empty when nobody is assigned yet).
    """
    filters = filters or ActionFilters()
    if include_done:
        filters = replace(filters, include_done=True)
    query = (
        select(PlanAction, Person)
        .join(Plan, Plan.id == PlanAction.plan_id)
        .join(Person, Person.id == Plan.person_id)
        .where(PlanAction.owner_id == actor.organisation_id, policy.person_filter(actor, today))
    )
    rows = session.execute(_filtered(query, filters, actor, today)).all()
    rows.sort(key=lambda r: (r[0].due_date or date.max, r[0].id))
    result = []
    names = _org_names(session)
    for action, person in rows:
        row = action_row(session, action, actor, person, today, names)
        row["person_id"] = str(person.id)
        row["person_name"] = display_name(person)
        result.append(row)
    used = ", ".join(f"{key}={value}" for key, value in filters.params().items() if key != "persoon")
    used += ", persoon gezocht" if filters.person else ""  # the search words are no business of the log
    audit.record(session, actor, audit.READ,
                 f"mijn acties bekeken ({len(result)} acties{'; filter: ' + used if used else ''})", "mijn acties")
    audit.record_many(session, actor, audit.READ, "in mijn acties getoond (naam, acties)", "mijn acties",
                      sorted({person.id for _action, person in rows}))
    return result


# --- for other modules (letters) ----------------------------------------------------------------


@dataclass(frozen=True)
class SummaryLine:
    domain: str
    what: str
    owner: str
    due_date: date | None
    own_part: str
    status: str


def plan_summary(session: Session, person_id: int, actor: Actor | None = None) -> list[SummaryLine]:
    """Who does what by when, as lines for a letter or the agreement summary.

    Without ``actor`` the caller has already checked access (a letter to the person
    themself shows every action); with one, only the actions that actor may see.
    """
    plan = _plan_of(session, person_id)
    if plan is None:
        return []
    names = _org_names(session)
    groups = None
    if actor is not None:
        groups = policy.visible_groups(actor, session.get(Person, person_id), session, date.today())
    actions = [a for a in plan.actions if actor is None or (
        plan_policy.sees_action(actor, a) and plan_policy.sees_action_text(actor, groups, a))]
    order = list(DOMAINS)
    actions.sort(key=lambda a: (order.index(a.domain) if a.domain in order else 99, a.due_date or date.max, a.id))
    return [
        SummaryLine(DOMAINS.get(a.domain, a.domain), a.what, names.get(a.owner_id, "?"), a.due_date, a.own_part,
                    STATUSES.get(a.status, a.status))
        for a in actions
    ]


def invite_options(session: Session) -> list[list[str]]:
    """[id, name] of every chain organisation that can be invited."""
    return [[str(o.id), o.name] for o in session.scalars(select(Organisation).order_by(Organisation.name))]


def workers_of(session: Session) -> list[list[str]]:
    """[user id, 'name (organisation)', organisation id] of active staff, to pick a responsible worker."""
    rows = session.execute(
        select(User.id, User.full_name, Organisation.name, Organisation.id)
        .join(Organisation, Organisation.id == User.organisation_id)
        .where(User.active.is_(True))
        .order_by(Organisation.name, User.full_name)
    ).all()
    return [[str(uid), f"{name} ({org})", str(oid)] for uid, name, org, oid in rows]
