"""Pages of the joint intake and the shared plan (/plan?id=N) and of "my actions" (/acties)."""

from __future__ import annotations

import reflex as rx

from .. import languages
from ..pip import CHANGE_KINDS, LANGUAGE_LEVELS, ROUTES
from ..plan_templates import DOMAINS, KINDS, LEVELS, MILESTONES
from ..life_events import causes_options, kinds_options
from ..plans import DIPLOMAS, DUE_FILTERS, GOALS, PERSON_SEARCH_MAX, STATUSES, WHO_FILTERS
from .callbacks_ui import callback_table
from ..validation import MAX_LENGTH, RELATIONSHIPS
from .components import INPUT_STYLE, error_for, field_props, labelled, limit_props, shell
from .i18n import _
from .plan_state import MyActionsState, PlanState

CARD = {"width": "100%"}
TEXTAREA_STYLE = {**INPUT_STYLE, "minHeight": "70px"}
RED = "#b00020"


def _input(field_id: str, label: str, errors=None, type_: str = "text", name: str = "", **props) -> rx.Component:
    """A labelled input whose form name may differ from its id (several forms share field names)."""
    if type_ == "text":
        props = limit_props(name or field_id, props)
    control = rx.el.input(id=field_id, name=name or field_id, type=type_, style=INPUT_STYLE,
                          **{**field_props(field_id, errors), **props})
    return labelled(field_id, label, control, errors)


def _checkbox(field_id: str, label: str, errors=None, **props) -> rx.Component:
    """A checkbox with its label; ``props`` may carry a React key to re-read the default after a reload."""
    return rx.vstack(
        rx.hstack(
            rx.el.input(type="checkbox", id=field_id, name=field_id, **{**field_props(field_id, errors), **props}),
            rx.el.label(label, html_for=field_id),
            align="center",
        ),
        error_for(errors, field_id) if errors is not None else rx.fragment(),
        spacing="1",
    )


def _select(field_id: str, label: str, options, errors=None, empty: str = "", name: str = "", **props):
    """A select over fixed (value, label) pairs; ``props`` may carry a React key."""
    items = [rx.el.option(empty or _("— kies —"), value="")]
    items += [rx.el.option(text, value=value) for value, text in options]
    control = rx.el.select(*items, id=field_id, name=name or field_id, style=INPUT_STYLE,
                           **{**field_props(field_id, errors), **props})
    return labelled(field_id, label, control, errors)


def _textarea(field_id: str, label: str, errors=None, name: str = "", **props) -> rx.Component:
    """A multi-line field with its limit as ``max_length`` and as a hint under it."""
    props = limit_props(name or field_id, props)
    parts = [
        rx.el.label(label, html_for=field_id, style={"fontWeight": "600"}),
        rx.el.textarea(id=field_id, name=name or field_id, style=TEXTAREA_STYLE,
                       **field_props(field_id, errors, "max_length" in props), dir="auto", **props),
    ]
    if "max_length" in props:
        parts.append(rx.text(_("Maximaal {n} tekens.").format(n=props["max_length"]), size="1", color="#555",
                             id=f"{field_id}-hint"))
    if errors is not None:
        parts.append(error_for(errors, field_id))
    return rx.vstack(*parts, spacing="1", align="stretch", width="100%")


def _options_select(field_id: str, label: str, options, errors=None, name: str = "", empty: str = "", **props):
    """A select whose options come from state ([value, label] pairs)."""
    control = rx.el.select(
        rx.el.option(empty or _("— kies —"), value=""),
        rx.foreach(options, lambda o: rx.el.option(o[1], value=o[0])),
        id=field_id, name=name or field_id, style=INPUT_STYLE, **{**field_props(field_id, errors), **props},
    )
    parts = [rx.el.label(label, html_for=field_id, style={"fontWeight": "600"}), control]
    if errors is not None:
        parts.append(error_for(errors, field_id))
    return rx.vstack(*parts, spacing="1", align="stretch", width="100%")


def _heading(text: str) -> rx.Component:
    return rx.heading(text, as_="h2", size="5")


# --- intake -----------------------------------------------------------------------------------


def _schedule_card() -> rx.Component:
    e = PlanState.errors
    return rx.card(
        _heading(_("1. Intake plannen")),
        rx.cond(
            PlanState.exists & (PlanState.intake_at != ""),
            rx.text(_("Gepland: "), PlanState.intake_at, " · ", PlanState.intake_location, id="intake-when"),
            rx.text(rx.cond(PlanState.exists, _("Intake afgezegd: plan een nieuwe intake."),
                            _("Nog geen intake gepland.")), id="intake-when"),
        ),
        rx.cond(PlanState.reference != "", rx.text(_("Dossiernummer in uitnodigingen: "), PlanState.reference,
                                                   size="1", color="#555", id="dossier-reference")),
        rx.cond(
            PlanState.regie,
            rx.vstack(
                rx.form(
                    rx.hstack(
                        _input("intake_at", _("Datum en tijd"), e, type_="datetime-local"),
                        _input("intake_location", _("Locatie"), e),
                        _input("intake_reason", _("Reden als het buiten werktijd is"), e),
                        _input("intake_interpreter_email", _("E-mail tolkenbureau (optioneel)"), e, type_="email",
                               default_value=PlanState.intake_interpreter_email, max_length=200,
                               key="interp-mail-" + PlanState.revision.to(str)),
                        rx.button(_("Intake plannen"), type="submit", id="schedule-submit"),
                        align="end", wrap="wrap",
                    ),
                    rx.text(_("Elke uitgenodigde partner (en het tolkenbureau) krijgt een agenda-uitnodiging per "
                              "e-mail met alleen de initialen en het dossiernummer; bij verplaatsen een wijziging."),
                            size="1", color="#555"),
                    on_submit=PlanState.schedule,
                ),
                rx.cond(
                    (PlanState.intake_at != "") & (PlanState.intake_held_at == ""),
                    rx.form(
                        rx.hstack(
                            _input("intake_cancel_reason", _("Reden van afzeggen (alleen in de geschiedenis)"), e),
                            rx.button(_("Intake afzeggen"), type="submit", id="intake-cancel-submit",
                                      color_scheme="red", variant="soft"),
                            align="end", wrap="wrap",
                        ),
                        error_for(e, "intake_cancel"),
                        on_submit=PlanState.cancel_intake,
                    ),
                ),
                spacing="2", width="100%",
            ),
        ),
        rx.cond(PlanState.may_respond, _respond_block()),
        style=CARD,
    )


def _respond_block() -> rx.Component:
    """The invited partner's own answer: "ik kom" / "ik kom niet" (the server checks the organisation)."""
    return rx.vstack(
        rx.text(_("Uw organisatie is uitgenodigd voor deze intake."), weight="bold"),
        rx.text(_("Uw antwoord: "), rx.match(
            PlanState.my_response, ("accepted", _("u komt")), ("declined", _("u komt niet")), _("nog niet gegeven")),
            id="my-response", aria_live="polite"),
        rx.hstack(
            rx.button(_("Ik kom"), on_click=PlanState.respond(True), id="respond-yes", type="button",
                      color_scheme="green"),
            rx.button(_("Ik kom niet"), on_click=PlanState.respond(False), id="respond-no", type="button",
                      variant="soft"),
        ),
        error_for(PlanState.errors, "respond"),
        spacing="2", margin_top="8px",
    )


def _participant_row(p) -> rx.Component:
    return rx.hstack(
        rx.el.input(
            type="checkbox", id="present-" + p["organisation_id"].to(str), checked=p["present"].to(bool),
            disabled=~PlanState.regie,
            on_change=lambda checked: PlanState.toggle_presence(p["organisation_id"].to(str), checked),
        ),
        rx.el.label(p["name"], html_for="present-" + p["organisation_id"].to(str)),
        rx.cond(p["present"].to(bool), rx.badge(_("aanwezig"), color_scheme="green"),
                rx.badge(_("uitgenodigd"), color_scheme="gray")),
        rx.cond(p["response"].to(str) != "", rx.text(_("antwoord: "), p["response_label"], size="1",
                                                     class_name="participant-response")),
        align="center",
    )


def _participants_card() -> rx.Component:
    e = PlanState.errors
    return rx.card(
        _heading(_("2. Partners en aanwezigheid")),
        rx.vstack(rx.foreach(PlanState.participants, _participant_row), id="participants", spacing="1"),
        rx.cond(
            PlanState.regie,
            rx.vstack(
                rx.form(
                    rx.hstack(
                        _options_select("invite", _("Partner uitnodigen"), PlanState.organisation_options, e,
                                        name="organisation"),
                        rx.button(_("Uitnodigen"), type="submit", id="invite-submit"),
                        align="end",
                    ),
                    on_submit=PlanState.invite,
                ),
                rx.form(
                    rx.grid(
                        _checkbox("interpreter_present", _("Tolk aanwezig"), e,
                                       default_checked=PlanState.interpreter_present,
                                       key="interp-" + PlanState.revision.to(str)),
                        _select("interpreter_language", _("Taal van de tolk"), languages.choices_nl(), e,
                                     default_value=PlanState.interpreter_language,
                                     key="interp-lang-" + PlanState.revision.to(str)),
                        _input("brp_date", _("Inschrijving BRP (datum)"), e, type_="date",
                                   default_value=PlanState.brp_date, key="brp-" + PlanState.revision.to(str)),
                        _checkbox("family_reunification", _("Gezinsleden in het buitenland (gezinshereniging)"), e,
                                       default_checked=PlanState.family_reunification,
                                       key="fam-" + PlanState.revision.to(str)),
                        _select("diplomas", _("Diploma's"), [(k, v) for k, v in DIPLOMAS.items() if k], e,
                                default_value=PlanState.diplomas, key="dipl-" + PlanState.revision.to(str)),
                        _input("occupation", _("Vorig beroep"), e, default_value=PlanState.occupation,
                               key="occ-" + PlanState.revision.to(str)),
                        _select("goal", _("Doel"), [(k, v) for k, v in GOALS.items() if k], e,
                                default_value=PlanState.goal, key="goal-" + PlanState.revision.to(str)),
                        _input("learnability_score", _("Leerbaarheidstoets (goede antwoorden van 40)"), e,
                               default_value=PlanState.learnability_score, input_mode="numeric",
                               key="learn-" + PlanState.revision.to(str)),
                        _checkbox("health_shared", _("Wil functionele beperkingen in het plan delen"), e,
                                  default_checked=PlanState.health_shared,
                                  key="health-" + PlanState.revision.to(str)),
                        columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
                    ),
                    rx.button(_("Intakegegevens opslaan"), type="submit", id="details-submit", margin_top="8px"),
                    on_submit=PlanState.save_details,
                ),
                rx.hstack(
                    rx.button(_("Intake is gehouden"), on_click=PlanState.mark_held, id="intake-held-submit",
                              type="button"),
                    rx.cond(PlanState.intake_held_at != "", rx.text(_("Gehouden: "), PlanState.intake_held_at,
                                                                    id="intake-held")),
                    rx.cond(e.contains("intake_held"), rx.text(e["intake_held"], color="red", id="intake_held-error")),
                    align="center",
                ),
                rx.vstack(
                    rx.text(_("Toestemmingen"), weight="bold"),
                    rx.foreach(PlanState.consents, lambda c: rx.text(
                        c["organisation"], " · ", c["purpose"], " · ", c["given_on"], " · ", c["language"],
                        rx.cond(c["interpreter_present"].to(bool), _(" · tolk aanwezig"), ""),
                        rx.cond(c["withdrawn"].to(bool), _(" · ingetrokken"), ""), size="2")),
                    id="consents", spacing="0",
                ),
                rx.form(
                    rx.hstack(
                        _options_select("consent-org", _("Toestemming voor partner (doel volgt uit de partner)"),
                                        PlanState.consent_options, name="organisation",
                                        aria_describedby="consent-error consent_organisation-error",
                                        aria_invalid=rx.cond(e.contains("consent") | e.contains("consent_organisation"),
                                                             "true", "false")),
                        _select("consent-language", _("Taal van de tekst"), languages.choices_nl(), None,
                                     name="language"),
                        _checkbox("consent_interpreter", _("Tolk aanwezig")),
                        rx.button(_("Toestemming vastleggen"), type="submit", id="consent-submit"),
                        align="end", wrap="wrap",
                    ),
                    error_for(e, "consent"),
                    error_for(e, "consent_organisation"),
                    on_submit=PlanState.add_consent,
                ),
                spacing="3", width="100%",
            ),
            rx.text(
                _("Tolk: "), rx.cond(PlanState.interpreter_present, PlanState.interpreter_language, _("nee")),
                " · ", _("BRP: "), PlanState.brp_date,
            ),
        ),
        style=CARD,
    )


def _assessment_row(a) -> rx.Component:
    return rx.table.row(
        rx.table.cell(a["domain_label"]),
        rx.table.cell(rx.text(a["situation"], dir="auto"), rx.text(_("Waarom relevant: "), a["relevance"], size="1",
                                                                     color="#555")),
        rx.table.cell(a["score"]),
        rx.table.cell(rx.text(a["goals"], dir="auto")),
        rx.table.cell(
            rx.badge(a["level_label"], color_scheme=rx.match(a["level"], ("L1", "red"), ("L2", "amber"), "green")),
            rx.cond(
                a["differs"].to(bool),
                rx.text(_("Voorgesteld: "), a["suggested"], " · ", _("reden: "), a["level_reason"], size="1",
                        color="#8a4b00"),
            ),
        ),
        rx.table.cell(rx.cond(PlanState.regie, rx.hstack(
            rx.button(_("Wijzigen"), size="1", variant="soft", on_click=PlanState.edit_assessment(a["domain"].to(str)),
                      aria_label=_("Wijzigen: ") + a["domain_label"].to(str)),
            rx.button(_("Verwijderen"), size="1", variant="soft", color_scheme="red",
                      on_click=PlanState.remove_assessment(a["domain"].to(str))),
        ))),
    )


def _assessments_card() -> rx.Component:
    e = PlanState.errors
    return rx.card(
        _heading(_("3. Leefgebieden")),
        rx.text(_("Leg alleen de leefgebieden vast die voor deze persoon van belang zijn, met de reden."), size="2"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Leefgebied"), _("Huidige situatie"), _("Score"), _("Eigen doelen"), _("Begeleiding"), "")])),
            rx.table.body(rx.foreach(PlanState.assessments, _assessment_row)),
            id="assessments-table",
        ),
        rx.cond(PlanState.hidden_domains > 0, rx.text(
            PlanState.hidden_domains.to(str), _(" leefgebied(en) niet zichtbaar voor uw rol."), size="1")),
        rx.cond(
            PlanState.regie,
            rx.form(
                rx.cond(PlanState.assess_form["recorded"].to(bool), rx.text(
                    _("U wijzigt een vastgelegd leefgebied: de opgeslagen waarden staan in de velden."),
                    size="2", id="assessment-editing")),
                rx.grid(
                    _select("assess_domain", _("Leefgebied"), list(DOMAINS.items()), e, name="domain",
                            **_assessment_value("domain"), on_change=PlanState.edit_assessment),
                    _select("assess_score", _("Zelfredzaamheid (1-5)"), [(str(i), str(i)) for i in range(1, 6)], e,
                            name="score", on_change=PlanState.set_form_score, **_assessment_value("score")),
                    rx.vstack(
                        _select("assess_level", _("Begeleidingsniveau"), list(LEVELS.items()), e, name="level",
                                empty=_("— volg het voorstel —"), **_assessment_value("level")),
                        rx.text(PlanState.suggestion, size="1", id="level-suggestion"),
                        width="100%",
                    ),
                    _input("assess_level_reason", _("Reden als het niveau afwijkt van het voorstel"), e,
                           name="level_reason", **_assessment_value("level_reason")),
                    _input("assess_relevance", _("Waarom is dit leefgebied van belang?"), e, name="relevance",
                           **_assessment_value("relevance")),
                    _textarea("assess_situation", _("Huidige situatie"), e, name="situation",
                              **_assessment_value("situation")),
                    _textarea("assess_goals", _("Eigen doelen en wensen (in eigen woorden)"), e, name="goals",
                              **_assessment_value("goals")),
                    _checkbox("no_diagnosis", _("Bevat geen diagnose"), e),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
                ),
                rx.hstack(
                    rx.button(_("Leefgebied opslaan"), type="submit", id="assessment-submit"),
                    rx.button(_("Leeg formulier"), type="button", variant="soft", id="assessment-clear",
                              on_click=PlanState.clear_assessment),
                    margin_top="8px",
                ),
                on_submit=PlanState.save_assessment,
                margin_top="12px",
                id="assessment-form",
            ),
        ),
        style=CARD,
    )


def _assessment_value(key: str) -> dict:
    """What a life-domain field opens with (a recorded domain's value, or empty) and the React key that
    remounts it when another domain is loaded; the buttons keep their place, so focus stays put."""
    return {"default_value": PlanState.assess_form[key].to(str),
            "key": f"assess-{key}-" + PlanState.assess_key.to(str)}


def _private_card() -> rx.Component:
    return rx.cond(
        PlanState.sees_private,
        rx.card(
            _heading(_("4. Vertrouwelijk deel (alleen gemeente)")),
            rx.text(_("Gesprek zonder partners en zonder gezinsleden. Alleen zichtbaar voor de regisseur."), size="2"),
            rx.form(
                _textarea("private_notes", _("Notities"), PlanState.errors, default_value=PlanState.private_notes,
                          key="priv-" + PlanState.revision.to(str)),
                _checkbox("private_held", _("Vertrouwelijk gesprek gevoerd"),
                               default_checked=PlanState.private_held, key="privh-" + PlanState.revision.to(str)),
                rx.button(_("Opslaan"), type="submit", id="private-submit"),
                on_submit=PlanState.save_private,
            ),
            style={**CARD, "background": "#fff8e6"},
            id="private-part",
        ),
    )


# --- actions ----------------------------------------------------------------------------------


def _status_form(row, state) -> rx.Component:
    """Owner or regisseur moves the action along; blocked needs a reason."""
    key = "status_" + row["id"].to(str) + "_"
    return rx.form(
        rx.el.input(type="hidden", name="action_id", value=row["id"].to(str)),
        rx.el.input(type="hidden", name="version", value=row["version"].to(str)),
        rx.vstack(
            rx.el.select(
                *[rx.el.option(label, value=value) for value, label in STATUSES.items()],
                name="status", default_value=row["status"].to(str), style={**INPUT_STYLE, "width": "auto"},
                aria_label=_("Status"), id="status-" + row["id"].to(str),
                key="st-" + row["id"].to(str) + "-" + row["version"].to(str),
            ),
            # the reason before the button: keyboard users meet the field before they save
            rx.el.input(name="blocked_reason", placeholder=_("reden als geblokkeerd"), style=INPUT_STYLE,
                        max_length=MAX_LENGTH["blocked_reason"],
                        default_value=row["blocked_reason"].to(str), aria_label=_("Reden blokkade"),
                        id=key + "blocked_reason", aria_describedby=key + "blocked_reason-error",
                        aria_invalid=rx.cond(state.errors.contains(key + "blocked_reason"), "true", "false"),
                        key="br-" + row["id"].to(str) + "-" + row["version"].to(str)),
            rx.cond(state.errors.contains(key + "blocked_reason"),
                    rx.text(state.errors[key + "blocked_reason"], color=RED, role="alert", size="1",
                            id=key + "blocked_reason-error")),
            rx.button(_("Opslaan"), type="submit", size="1", id="status-save-" + row["id"].to(str)),
            spacing="1",
            width="100%",
        ),
        on_submit=state.update_status,
    )


def _due_cell(row) -> rx.Component:
    return rx.vstack(
        rx.text(row["due_date"], color=rx.cond(row["overdue"].to(bool), RED, "inherit"), white_space="nowrap",
                weight=rx.cond(row["overdue"].to(bool), "bold", "regular")),
        rx.cond(row["overdue"].to(bool), rx.badge(_("te laat"), color_scheme="red")),
        rx.cond(row["milestone_label"] != "", rx.text(_("na "), row["milestone_label"], size="1", color="#555")),
        rx.cond(row["norm_date"] != "", rx.text(_("norm was "), row["norm_date"], size="1", color="#8a4b00")),
        spacing="0",
    )


def _action_fields(prefix: str, row=None) -> list[rx.Component]:
    """The fields of an action form; ``row`` fills them when editing."""
    e = PlanState.errors

    def dv(key):
        return {"default_value": row[key].to(str)} if row is not None else {}

    return [
        _select(prefix + "domain", _("Leefgebied"), list(DOMAINS.items()), e, name="domain", **dv("domain")),
        _select(prefix + "kind", _("Soort"), list(KINDS.items()), e, name="kind", **dv("kind")),
        _textarea(prefix + "what", _("Wat"), e, name="what", **dv("what")),
        _textarea(prefix + "own_part", _("Eigen deel van de statushouder"), e, name="own_part", **dv("own_part")),
        _options_select(prefix + "owner_id", _("Eigenaar (organisatie)"), PlanState.organisation_options, e,
                        name="owner_id", **dv("owner_id")),
        _options_select(prefix + "worker_id", _("Verantwoordelijke medewerker (optioneel)"),
                        PlanState.worker_options, e, name="worker_id", empty=_("— geen —"), **dv("worker_id")),
        _select(prefix + "milestone", _("Hangt af van mijlpaal"), list(MILESTONES.items()), e, name="milestone",
                     empty=_("— geen —"), **dv("milestone")),
        _input(prefix + "due_date", _("Deadline"), e, type_="date", name="due_date", **dv("due_date")),
        _select(prefix + "status", _("Status"), list(STATUSES.items()), e, name="status",
                     **(dv("status") if row is not None else {"default_value": "open"})),
        _input(prefix + "blocked_reason", _("Reden als geblokkeerd"), e, name="blocked_reason",
                   **dv("blocked_reason")),
        rx.vstack(
            rx.text(_("Zichtbaar voor (naast eigenaar en gemeente)"), weight="bold"),
            rx.foreach(
                PlanState.participants,
                lambda p: rx.hstack(
                    rx.el.input(
                        type="checkbox", name="visible_" + p["organisation_id"].to(str),
                        id=prefix + "visible-" + p["organisation_id"].to(str),
                        default_checked=(row["visible_ids"].to(list[str]).contains(p["organisation_id"].to(str))
                                         if row is not None else True),
                    ),
                    rx.el.label(p["name"], html_for=prefix + "visible-" + p["organisation_id"].to(str)),
                ),
            ),
            spacing="1",
        ),
    ]


def _edit_form(row) -> rx.Component:
    return rx.form(
        rx.grid(*_action_fields("edit_", row), columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%"),
        rx.hstack(
            rx.button(_("Wijziging opslaan"), type="submit", id="edit-submit"),
            rx.button(_("Annuleren"), type="button", variant="soft", on_click=PlanState.cancel_edit),
            margin_top="8px",
        ),
        on_submit=PlanState.save_edit,
        key="edit-" + row["id"].to(str) + "-" + PlanState.editing_version.to(str),
        id="edit-form",
        style={"border": "2px solid #1f3a5f", "borderRadius": "8px", "padding": "12px", "marginTop": "8px"},
    )


def _action_row(row) -> rx.Component:
    return rx.box(
        rx.grid(
            rx.vstack(
                rx.badge(row["domain_label"], variant="outline"),
                rx.badge(row["kind_label"], color_scheme=rx.match(
                    row["kind"], ("begeleid", "red"), ("coaching", "amber"), ("informatie", "blue"), "purple")),
                spacing="1",
            ),
            rx.vstack(
                rx.text(row["what"], weight="bold", dir="auto", class_name="action-what"),
                rx.cond(row["subject"] != "", rx.badge(row["subject"], class_name="action-subject", variant="soft")),
                rx.cond(row["own_part"] != "", rx.text(_("Zelf: "), row["own_part"], size="2", dir="auto")),
                rx.cond(row["visible_to"] != "", rx.text(_("Gedeeld met: "), row["visible_to"], size="1",
                                                         color="#555")),
                rx.cond(row["reason"] != "", rx.text(_("Waarom: "), row["reason"], size="1", color="#555",
                                                     class_name="action-reason")),
                spacing="1",
            ),
            rx.vstack(
                rx.text(row["owner"], weight="medium", class_name="action-owner"),
                rx.cond(row["worker"] != "", rx.text(row["worker"], size="1")),
                spacing="0",
            ),
            _due_cell(row),
            rx.cond(
                row["editable"].to(bool),
                rx.vstack(
                    _status_form(row, PlanState),
                    rx.hstack(
                        rx.button(_("Bewerken"), size="1", variant="soft",
                                  on_click=PlanState.start_edit(row["id"].to(int), row["version"].to(int)),
                                  id="edit-" + row["id"].to(str)),
                        rx.button(_("Verwijderen"), size="1", variant="soft", color_scheme="red",
                                  on_click=PlanState.remove_action(row["id"].to(int), row["version"].to(int))),
                    ),
                    spacing="1",
                ),
                rx.badge(row["status_label"]),
            ),
            columns="170px 3fr 1.2fr 110px 230px",
            spacing="3",
            width="100%",
        ),
        rx.cond(PlanState.editing_id == row["id"].to(int), _edit_form(row)),
        style={"borderBottom": "1px solid #ddd", "padding": "8px 0"},
        class_name="action-row",
        data_owner=row["owner"].to(str),
    )


def _actions_card() -> rx.Component:
    e = PlanState.errors
    return rx.card(
        _heading(_("5. Plan van aanpak: wie doet wat wanneer")),
        rx.cond(
            PlanState.regie,
            rx.hstack(
                rx.button(_("Conceptplan maken uit sjablonen"), on_click=PlanState.generate, id="generate-plan"),
                rx.text(_("Nog niet bewerkte sjabloonacties worden vervangen; eigen acties blijven."), size="1"),
                align="center",
            ),
        ),
        error_for(e, "generate"),
        rx.foreach(PlanState.warnings, lambda w: rx.callout(w, color_scheme="amber", size="1")),
        rx.cond(PlanState.milestones.length() > 0, rx.text(
            _("Mijlpalen: "), PlanState.milestones.join(" · "), size="1", color="#555", id="milestones")),
        rx.cond(PlanState.conflict != "", rx.callout(PlanState.conflict, color_scheme="red", role="alert",
                                                     id="conflict")),
        rx.text(_("Eigenaars: "), PlanState.owners.join(", "), id="plan-owners", size="2"),
        rx.box(rx.foreach(PlanState.actions, _action_row), id="actions-table"),
        rx.cond(PlanState.actions.length() == 0, rx.text(_("Nog geen acties die u mag zien."))),
        rx.el.details(
            rx.el.summary(_("Actie toevoegen"), style={"cursor": "pointer", "fontWeight": "600"}, id="add-action-toggle"),
            rx.form(
                rx.grid(*_action_fields("new_"), columns=rx.breakpoints(initial="1", sm="2"), spacing="3",
                        width="100%"),
                rx.button(_("Actie toevoegen"), type="submit", id="add-action-submit", margin_top="8px"),
                on_submit=PlanState.add_action,
            ),
            open=PlanState.errors.keys().length() > 0,
            margin_top="12px",
        ),
        style=CARD,
    )


# --- PIP, agreement, history ------------------------------------------------------------------


def _pip_version(v) -> rx.Component:
    def line(label, key):
        return rx.cond(v[key].to(str) != "", rx.text(rx.text.strong(label + ": "), v[key].to(str), size="2"))

    return rx.card(
        rx.hstack(
            rx.heading(_("PIP versie "), v["version"].to(str), as_="h3", size="3"),
            rx.cond(v["current"].to(bool), rx.badge(_("geldend"), color_scheme="green"),
                    rx.badge(_("vervangen"), color_scheme="gray")),
            rx.text(v["decided_on"], " · ", v["change"], size="2"),
        ),
        line(_("Reden"), "reason"),
        rx.text(rx.text.strong(_("Leerroute: ")), v["route"],
                rx.cond(v["language_level"].to(str) != "", " (" + v["language_level"].to(str) + ")", ""), ", ",
                v["duration_months"].to(str), _(" maanden; termijn "), v["term_start"], " – ", v["term_end"], size="2"),
        line(_("Termijn"), "term_extension"),
        line(_("Lessen gepauzeerd"), "lessons_paused"),
        line(_("Randvoorwaarden"), "preconditions"),
        line(_("Begeleiding"), "guidance"),
        line(_("MAP"), "map_intensity"),
        line(_("PVT"), "pvt_intensity"),
        line(_("Ontzorgen"), "ontzorgen"),
        line(_("Voortgang"), "monitoring"),
        line(_("VVE"), "vve"),
        rx.text(_("Lesuren: "), v["lesson_hours"].to(str), " (", v["in_person_hours"].to(str), _(" fysiek)"), size="2"),
        style={"opacity": rx.cond(v["current"].to(bool), "1", "0.75")},
        class_name="pip-version",
    )


def _pip_card() -> rx.Component:
    e = PlanState.errors
    return rx.cond(
        PlanState.sees_pip,
        rx.card(
            _heading(_("6. PIP (persoonlijk plan inburgering en participatie)")),
            rx.cond(
                PlanState.no_pip_reason != "",
                rx.callout(PlanState.no_pip_reason, color_scheme="blue", id="no-pip"),
                rx.vstack(
                    rx.foreach(PlanState.pip_versions, _pip_version),
                    rx.cond(PlanState.pip_versions.length() == 0, rx.text(_("Nog geen PIP vastgesteld."))),
                    rx.cond(
                        PlanState.linked_pips.length() > 0,
                        rx.vstack(rx.heading(_("Gekoppeld PIP in hetzelfde huishouden"), as_="h3", size="3"),
                                  rx.foreach(PlanState.linked_pips, lambda v: rx.box(
                                      rx.text(v["person_name"], weight="bold"), _pip_version(v))),
                                  id="linked-pips", width="100%"),
                    ),
                    rx.cond(PlanState.may_record_hours & (PlanState.pip_versions.length() > 0), rx.form(
                        rx.hstack(
                            _input("hours_lesson_hours", _("Lesuren totaal"), e, name="lesson_hours",
                                       input_mode="numeric"),
                            _input("hours_in_person_hours", _("Waarvan fysiek"), e, name="in_person_hours",
                                       input_mode="numeric"),
                            rx.button(_("Lesuren vastleggen"), type="submit"),
                            align="end",
                        ),
                        on_submit=PlanState.record_hours,
                    )),
                    rx.cond(PlanState.regie, _pip_form()),
                    width="100%",
                ),
            ),
            style=CARD,
            id="pip",
        ),
    )


def _pip_form() -> rx.Component:
    e = PlanState.errors
    return rx.el.details(
        rx.el.summary(rx.cond(PlanState.pip_versions.length() > 0, _("Nieuwe PIP-versie vaststellen"),
                              _("PIP vaststellen")), style={"cursor": "pointer", "fontWeight": "600"}),
        rx.form(
            rx.grid(
                rx.vstack(
                    _select("pip_route", _("Leerroute"), list(ROUTES.items()), e, name="route",
                            default_value=PlanState.route_advice, key=PlanState.route_advice),
                    rx.cond(PlanState.route_advice != "", rx.text(
                        _("Voorstel: "), rx.match(PlanState.route_advice, *ROUTES.items(), ""), " (",
                        PlanState.route_advice_reason, ")", size="1", color="#555", id="pip_route-advice")),
                    spacing="1", width="100%",
                ),
                _select("pip_language_level", _("Taalniveau"), list(LANGUAGE_LEVELS.items()), e,
                             name="language_level", default_value="B1"),
                _input("pip_duration_months", _("Duur (maanden)"), e, name="duration_months", input_mode="numeric"),
                _input("pip_preconditions", _("Randvoorwaarden (bijv. kinderopvang)"), e, name="preconditions"),
                _input("pip_guidance", _("Begeleiding en ondersteuning"), e, name="guidance"),
                _input("pip_map_intensity", _("Intensiteit MAP"), e, name="map_intensity"),
                _input("pip_pvt_intensity", _("Intensiteit PVT"), e, name="pvt_intensity"),
                _input("pip_ontzorgen", _("Ontzorgen: hoe (of alternatief op maat)"), e, name="ontzorgen"),
                _input("pip_ontzorgen_months", _("Ontzorgen: hoe lang (maanden, 0 = alternatief)"), e,
                           name="ontzorgen_months", default_value="6", input_mode="numeric"),
                _input("pip_monitoring", _("Voortgang volgen"), e, name="monitoring"),
                _input("pip_vve", _("VVE voor ouders"), e, name="vve"),
                _input("pip_linked_person_id", _("Gekoppeld PIP: dossiernummer gezinslid (optioneel)"), e,
                           name="linked_person_id", input_mode="numeric"),
                _select("pip_change_kind", _("Reden van de nieuwe versie"),
                             [(k, v) for k, v in CHANGE_KINDS.items() if k != "eerste"], e, name="change_kind"),
                _input("pip_reason", _("Toelichting"), e, name="reason"),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            error_for(e, "pip_form"),
            rx.button(_("PIP-versie vaststellen"), type="submit", id="pip-submit", margin_top="8px"),
            on_submit=PlanState.decide_pip,
        ),
        open=(PlanState.errors.keys().length() > 0),
    )


def _agreement_card() -> rx.Component:
    e = PlanState.errors
    return rx.card(
        _heading(_("7. Afspraken samenvatten en instemming")),
        rx.el.ol(rx.foreach(PlanState.summary_lines, lambda line: rx.el.li(line, dir="auto")), id="agreement-summary"),
        rx.cond(
            PlanState.agreed_at != "",
            rx.callout(f"{_('Ingestemd op ')}{PlanState.agreed_at}: {PlanState.agreement_note}",
                       color_scheme="green", id="agreed"),
        ),
        rx.cond(
            PlanState.regie & (PlanState.status != "actief"),
            rx.form(
                _input("agreement_note", _("Hoe samengevat en bevestigd (teach-back, tolk, taal)"), e),
                error_for(e, "agree"),
                rx.button(_("Instemming vastleggen en plan activeren"), type="submit", id="agree-submit"),
                on_submit=PlanState.agree,
            ),
        ),
        style=CARD,
    )


def _talk_row(t) -> rx.Component:
    return rx.table.row(
        rx.table.cell(t["when"]),
        rx.table.cell(t["where"]),
        rx.table.cell(rx.badge(t["status_label"], color_scheme=rx.cond(t["planned"].to(bool), "green", "gray"))),
        rx.table.cell(rx.cond(PlanState.regie & t["planned"].to(bool), rx.button(
            _("Afzeggen"), size="1", variant="soft", color_scheme="red", type="button",
            on_click=PlanState.cancel_talk(t["id"].to(str)), aria_label=_("Afzeggen: ") + t["when"].to(str)))),
        class_name="talk-row",
    )


def _talks_card() -> rx.Component:
    """Progress talks: planned, moved and called off with calendar invitations to the invited partners."""
    e = PlanState.errors
    form = PlanState.talk_form
    return rx.card(
        _heading(_("Voortgangsgesprekken")),
        rx.text(_("Elke uitgenodigde partner krijgt een agenda-uitnodiging per e-mail; verplaatsen stuurt een "
                  "wijziging, afzeggen een afzegging."), size="2"),
        rx.cond(PlanState.talks.length() > 0, rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Wanneer"), _("Locatie"), _("Status"), "")])),
            rx.table.body(rx.foreach(PlanState.talks, _talk_row)),
            id="talks-table",
        ), rx.text(_("Nog geen voortgangsgesprekken gepland."), size="2", id="no-talks")),
        rx.cond(
            PlanState.regie,
            rx.form(
                rx.grid(
                    rx.vstack(
                        rx.el.label(_("Gesprek"), html_for="talk_id", style={"fontWeight": "600"}),
                        rx.el.select(
                            rx.el.option(_("Nieuw voortgangsgesprek"), value=""),
                            rx.foreach(PlanState.planned_talks, lambda o: rx.el.option(
                                _("Wijzigen: ") + o[1].to(str), value=o[0])),
                            id="talk_id", name="talk_id", value=PlanState.talk_choice, on_change=PlanState.choose_talk,
                            style=INPUT_STYLE, aria_describedby="talk_id-error",
                        ),
                        error_for(e, "talk_id"),
                        spacing="1", align="stretch", width="100%",
                    ),
                    _input("talk_at", _("Datum en tijd"), e, type_="datetime-local", default_value=form["at"],
                           key="talk-at-" + form["key"]),
                    _input("talk_location", _("Locatie"), e, default_value=form["where"],
                           key="talk-where-" + form["key"]),
                    _input("talk_reason", _("Reden als het buiten werktijd is"), e, key="talk-reason-" + form["key"]),
                    _input("talk_interpreter_email", _("E-mail tolkenbureau (optioneel)"), e, type_="email",
                           max_length=200, default_value=form["interpreter_email"],
                           key="talk-mail-" + form["key"]),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
                ),
                rx.button(rx.cond(PlanState.talk_choice == "", _("Gesprek plannen"), _("Wijziging versturen")),
                          type="submit", id="talk-submit", margin_top="8px"),
                on_submit=PlanState.schedule_talk,
                margin_top="12px",
                id="talk-form",
            ),
        ),
        style=CARD,
        id="talks",
    )


def _history_card() -> rx.Component:
    return rx.card(
        rx.el.details(
            rx.el.summary(_("Geschiedenis van het plan (wie, wanneer, wat)"),
                          style={"cursor": "pointer", "fontWeight": "600"}),
            rx.table.root(
                rx.table.body(rx.foreach(PlanState.history, lambda h: rx.table.row(
                    rx.table.cell(h["at"]), rx.table.cell(h["who"]), rx.table.cell(h["organisation"]),
                    rx.table.cell(h["what"])))),
                id="history",
            ),
        ),
        style=CARD,
    )


def _event_field(key: str, label: str, type_: str = "text", **props) -> rx.Component:
    return _input(f"event_{key}", label, PlanState.errors, type_=type_, name=key,
                  key=f"ev-{key}-" + PlanState.event_key.to(str), **props)


def _event_fields() -> rx.Component:
    """The fields the chosen kind of event needs."""
    e, kind = PlanState.errors, PlanState.event_kind
    cause = _select("event_cause", _("Reden"), causes_options(), e, name="cause")
    return rx.fragment(
        rx.cond(kind == "birth", rx.fragment(
            _event_field("member_name", _("Naam van het kind")),
            _event_field("pause_until", _("Lessen gepauzeerd tot (leeg: de norm)"), "date"),
            _event_field("extension_months", _("Termijn verlengen met maanden (leeg: de duur van de pauze)")),
        )),
        rx.cond(kind == "work_start", rx.fragment(
            _event_field("hours_per_week", _("Uren per week")),
            _event_field("net_income", _("Netto loon per maand (€)")),
            _event_field("employer", _("Werkgever")),
        )),
        rx.cond(kind == "lessons_paused", rx.fragment(cause, _event_field("pause_until", _("Lessen gepauzeerd tot"),
                                                                           "date"))),
        rx.cond(kind == "lessons_stopped", cause),
        rx.cond(kind == "family_arrival", rx.fragment(
            rx.cond(PlanState.abroad_members.length() > 0, _options_select(
                "event_member_id", _("Wie is aangekomen?"), PlanState.abroad_members, e, name="member_id",
                empty=_("Een ander gezinslid (hieronder invullen)"), key="ev-member-" + PlanState.event_key.to(str))),
            _event_field("member_name", _("Naam van het gezinslid")),
            _select("event_member_relationship", _("Relatie"), list(RELATIONSHIPS.items()), e,
                    name="member_relationship"),
            _event_field("member_birth_date", _("Geboortedatum gezinslid"), "date"),
        )),
        rx.cond(kind == "move", _event_field("municipality", _("Nieuwe gemeente"))),
    )


def _events_card() -> rx.Component:
    """Life events: the timeline, and for the regisseur one form that shows what it will change first."""
    e = PlanState.errors
    return rx.card(
        _heading(_("Levensgebeurtenissen")),
        rx.cond(PlanState.life_events.length() == 0, rx.text(_("Nog geen levensgebeurtenissen vastgelegd."), size="2")),
        rx.el.ul(rx.foreach(PlanState.life_events, lambda ev: rx.el.li(
            rx.text(rx.text.strong(ev["on"].to(str), " · ", ev["kind"].to(str))),
            rx.el.ul(rx.foreach(ev["lines"].to(list[str]), lambda line: rx.el.li(line, dir="auto"))),
            rx.cond(ev["hidden"].to(int) > 0, rx.text(ev["hidden"].to(str), _(" regel(s) niet zichtbaar voor uw rol."),
                                                      size="1", color="#555")),
        )), id="life-events"),
        rx.cond(PlanState.regie, rx.form(
            rx.grid(
                _select("event_event_kind", _("Wat is er gebeurd?"), kinds_options(), e, name="event_kind",
                        value=PlanState.event_kind, on_change=PlanState.choose_event_kind),
                _event_field("event_on", _("Datum"), "date"),
                _event_fields(),
                _event_field("note", _("Toelichting")),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            rx.button(_("Bekijk wat er verandert"), type="submit", id="event-preview", margin_top="8px"),
            on_submit=PlanState.preview_event,
            margin_top="12px",
        )),
        rx.cond(PlanState.event_preview.length() > 0, rx.box(
            rx.text(rx.text.strong(_("Dit verandert er als u het vastlegt:"))),
            rx.el.ul(rx.foreach(PlanState.event_preview, lambda line: rx.el.li(line, dir="auto"))),
            rx.foreach(PlanState.event_warnings, lambda w: rx.callout(w, color_scheme="amber", size="1")),
            rx.button(_("Vastleggen"), id="event-record", on_click=PlanState.record_event, margin_top="8px"),
            id="event-preview-box", padding="8px", border="1px solid #ccc", border_radius="6px", margin_top="8px",
        )),
        style=CARD, id="events-card",
    )


def _regie_card() -> rx.Component:
    """The case owner and the overall guidance level: who directs, and how intensively."""
    e = PlanState.errors
    return rx.card(
        rx.hstack(
            rx.text(_("Casusregisseur: "), rx.text.strong(rx.cond(PlanState.case_owner != "", PlanState.case_owner,
                                                                  _("(niemand genoemd)"))), id="case-owner"),
            rx.text(_("Overall begeleidingsniveau: "), rx.text.strong(PlanState.overall_label), id="overall-level"),
            spacing="5", wrap="wrap",
        ),
        rx.cond(PlanState.overall_explanation != "",
                rx.text(PlanState.overall_explanation, size="1", color="#555", id="overall-explanation")),
        rx.cond(PlanState.regie, rx.hstack(
            rx.form(
                rx.hstack(
                    _select("overall_level", _("Overall niveau"), list(LEVELS.items()), e,
                            empty=_("— afgeleid uit de leefgebieden —"), key="ov-" + PlanState.revision.to(str),
                            default_value=PlanState.overall_choice),
                    _input("overall_reason", _("Reden als het afwijkt"), e, key="ovr-" + PlanState.revision.to(str),
                           default_value=PlanState.overall_reason),
                    rx.button(_("Niveau opslaan"), type="submit", id="overall-submit"),
                    align="end", wrap="wrap",
                ),
                on_submit=PlanState.set_overall,
            ),
            rx.form(
                rx.hstack(
                    _options_select("case_owner", _("Regie overdragen aan"), PlanState.case_owner_options, e),
                    rx.button(_("Overdragen"), type="submit", id="case-owner-submit"),
                    align="end", wrap="wrap",
                ),
                on_submit=PlanState.hand_over,
            ),
            spacing="6", wrap="wrap", align="end", margin_top="8px",
        )),
        style=CARD, id="regie-card",
    )


def plan_page() -> rx.Component:
    return shell(
        rx.cond(
            PlanState.denied != "",
            rx.callout(PlanState.denied, color_scheme="red", role="alert", id="denied"),
            rx.vstack(
                rx.hstack(
                    rx.heading(PlanState.person_name, as_="h2", size="6", dir="auto", id="plan-person"),
                    rx.cond(PlanState.status_label != "", rx.badge(PlanState.status_label, id="plan-status")),
                    rx.link(_("Naar dossier"), href="/dossier?id=" + PlanState.person_id.to_string()),
                    align="center", wrap="wrap",
                ),
                rx.text(_("Versie "), PlanState.revision.to_string(), size="1", color="#555", id="plan-revision",
                        aria_live="polite"),
                rx.cond(PlanState.notice != "", rx.callout(PlanState.notice, color_scheme="green", role="status",
                                                           id="notice")),
                rx.cond(PlanState.errors.contains("form"),
                        rx.callout(PlanState.errors["form"], color_scheme="red", role="alert", id="form-error")),
                rx.cond(PlanState.exists, _regie_card()),
                _schedule_card(),
                rx.cond(
                    PlanState.exists,
                    rx.vstack(_participants_card(), _assessments_card(), _private_card(), _actions_card(),
                              _pip_card(), _events_card(), _agreement_card(), _talks_card(), _history_card(), spacing="4",
                              width="100%"),
                    _pip_card(),
                ),
                spacing="4",
                width="100%",
            ),
        ),
        title=_("Intake en plan van aanpak"),
    )


def _my_action_row(row) -> rx.Component:
    return rx.table.row(
        rx.table.cell(rx.link(row["person_name"], href="/plan?id=" + row["person_id"].to(str), dir="auto")),
        rx.table.cell(row["domain_label"]),
        rx.table.cell(rx.text(row["what"], class_name="action-what"),
                      rx.cond(row["own_part"] != "", rx.text(_("Zelf: "), row["own_part"], size="1"))),
        rx.table.cell(rx.cond(row["worker"] != "", rx.text(row["worker"]),
                              rx.text(_("nog niemand"), color="#555", font_style="italic")),
                      class_name="action-worker"),
        rx.table.cell(_due_cell(row)),
        rx.table.cell(_status_form(row, MyActionsState)),
        style=rx.cond(row["overdue"].to(bool), {"background": "#fdecea"}, {}),
        class_name=rx.cond(row["overdue"].to(bool), "my-action overdue", "my-action"),
    )


def _my_actions_filters() -> rx.Component:
    """The filters as a GET-like form: submitting puts them in the URL, which the server checks on load."""
    s = MyActionsState
    key = s.filter_key.to_string()

    def select(field_id: str, label: str, options, value, empty: str | None = None) -> rx.Component:
        items = ([rx.el.option(empty, value="")] if empty is not None else []) + [
            rx.el.option(_(text), value=v) for v, text in options.items()]
        return rx.vstack(
            rx.el.label(label, html_for=f"filter-{field_id}", style={"fontWeight": "600"}),
            rx.el.select(*items, id=f"filter-{field_id}", name=field_id, default_value=value, key=key + field_id,
                         style={**INPUT_STYLE, "width": "auto"}),
            spacing="1",
        )

    return rx.form(
        rx.hstack(
            select("wie", _("Wie"), WHO_FILTERS, s.f_who),
            rx.vstack(
                rx.el.label(_("Statushouder"), html_for="persoon", style={"fontWeight": "600"}),
                rx.el.input(id="persoon", name="persoon", type="search", default_value=s.person_typed,
                            key=key + "persoon", placeholder=_("naam"), dir="auto", max_length=PERSON_SEARCH_MAX,
                            style={**INPUT_STYLE, "width": "14em"}, **field_props("persoon", s.errors)),
                error_for(s.errors, "persoon"),
                spacing="1",
            ),
            select("status", _("Status"), STATUSES, s.f_status, _("Alle (zonder klaar)")),
            select("deadline", _("Deadline"), DUE_FILTERS, s.f_due, _("Alle deadlines")),
            rx.button(_("Filteren"), type="submit", id="filter-submit"),
            rx.cond(s.filtered, rx.button(_("Filters wissen"), type="button", variant="outline", id="filter-clear",
                                          on_click=s.clear_filters)),
            align="end", spacing="3", wrap="wrap",
        ),
        on_submit=s.filter,
        id="my-actions-filters",
        aria_label=_("Acties filteren"),
        margin_bottom="8px",
    )


def my_actions_page() -> rx.Component:
    return shell(
        rx.text(_("Open acties van "), MyActionsState.organisation, _(" bij alle statushouders die u mag zien."),
                size="2"),
        rx.cond(MyActionsState.may_call_back, rx.box(callback_table(MyActionsState), margin_bottom="16px")),
        rx.cond(MyActionsState.overdue_count > 0, rx.callout(
            MyActionsState.overdue_count.to_string() + _(" actie(s) over de deadline."), color_scheme="red",
            id="overdue-count")),
        rx.cond(MyActionsState.notice != "", rx.callout(MyActionsState.notice, color_scheme="green", role="status")),
        rx.cond(MyActionsState.errors.contains("form"),
                rx.callout(MyActionsState.errors["form"], color_scheme="red", role="alert")),
        _my_actions_filters(),
        rx.hstack(
            rx.el.input(type="checkbox", id="include-done", checked=MyActionsState.include_done,
                        on_change=MyActionsState.toggle_done),
            rx.el.label(_("Ook afgeronde acties tonen"), html_for="include-done"),
            align="center", margin_bottom="8px",
        ),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Statushouder"), _("Leefgebied"), _("Wat"), _("Medewerker"), _("Deadline"), _("Status"))])),
            rx.table.body(rx.foreach(MyActionsState.rows, _my_action_row)),
            id="my-actions-table",
        ),
        rx.cond(MyActionsState.rows.length() == 0, rx.cond(
            MyActionsState.filtered,
            rx.text(_("Geen acties met deze filters."), id="no-actions"),
            rx.text(_("Geen open acties voor uw organisatie."), id="no-actions"))),
        title=_("Mijn acties"),
    )
