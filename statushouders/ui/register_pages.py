"""Staff pages of the register: login, the list of statushouders, registration and one file."""

from __future__ import annotations

import reflex as rx

from .. import languages
from ..register import SEARCH_MAX
from ..policy import GROUP_LABELS
from ..validation import CHANNELS, COUNTRIES, LITERACY, MAX_LENGTH, RELATIONSHIPS, RESIDENCE_STATUSES
from .auth_state import AuthState
from .callbacks_ui import callback_table
from .components import (
    INPUT_STYLE, checkbox_field, field_props, labelled, limit_props, notice, select_field, shell, text_field,
)
from .i18n import _
from .persons_state import FileState, PersonListState, RegisterState

COUNTRY_OPTIONS = sorted(COUNTRIES.items(), key=lambda item: item[1])
LANGUAGE_HINT = _("Talen bij naam of code, gescheiden door komma's, bijvoorbeeld: Tigrinya, Arabisch, Dari, "
                  "Kurmanji, Lingala")


def _password_step() -> rx.Component:
    return rx.vstack(
        rx.form(
            rx.vstack(
                text_field("username", _("Gebruikersnaam"), auto_complete="username"),
                text_field("password", _("Wachtwoord"), type_="password", auto_complete="current-password"),
                rx.cond(
                    AuthState.login_error != "",
                    rx.text(AuthState.login_error, role="alert", color="#b00020", id="login-error"),
                ),
                rx.button(_("Inloggen"), type="submit", id="login-submit"),
                spacing="3",
                align="stretch",
            ),
            on_submit=AuthState.login,
        ),
        rx.cond(
            AuthState.providers.length() > 0,
            rx.vstack(
                rx.text(_("Of log in met het account van uw organisatie:"), size="2", weight="medium"),
                rx.foreach(
                    AuthState.providers,
                    lambda p: rx.button(p["label"], type="button", variant="outline", id="sso-" + p["key"],
                                        on_click=AuthState.start_oidc(p["key"])),
                ),
                spacing="2",
                align="stretch",
                margin_top="16px",
            ),
        ),
        align="stretch",
    )


def _code_error() -> rx.Component:
    return rx.cond(AuthState.code_error != "",
                   rx.text(AuthState.code_error, role="alert", color="#b00020", id="code-error"))


def _code_input(hint: str) -> rx.Component:
    return rx.vstack(
        rx.el.label(_("Code"), html_for="code", style={"fontWeight": "600"}),
        rx.el.input(id="code", name="code", auto_complete="one-time-code", input_mode="text", auto_focus=True,
                    style=INPUT_STYLE, aria_describedby="code-hint code-error",
                    aria_invalid=rx.cond(AuthState.code_error != "", "true", "false")),
        rx.text(hint, size="1", color="#555", id="code-hint"),
        _code_error(),
        spacing="1",
        align="stretch",
    )


def _code_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.text(_("Uw account gebruikt tweestapsverificatie."), size="2"),
            _code_input(_("De 6 cijfers uit uw authenticator-app, of een van uw herstelcodes.")),
            rx.button(_("Verder"), type="submit", id="code-submit"),
            rx.button(_("Terug"), type="button", variant="soft", on_click=AuthState.cancel_login),
            spacing="3",
            align="stretch",
        ),
        on_submit=AuthState.submit_code,
    )


def _enrol_step() -> rx.Component:
    return rx.form(
        rx.vstack(
            rx.heading(_("Tweestapsverificatie instellen"), as_="h2", size="4"),
            rx.text(_("Uw rol geeft toegang tot BSN, gezondheid of financiën: daarvoor is een tweede stap "
                      "verplicht. Scan de QR-code met een authenticator-app (bijvoorbeeld Microsoft "
                      "Authenticator of FreeOTP) en typ de code die de app toont."), size="2"),
            rx.image(src=AuthState.enrol_qr, alt=_("QR-code voor de authenticator-app"), id="totp-qr",
                     width="220px", height="220px"),
            rx.text(_("Kunt u niet scannen? Typ dan deze sleutel in de app:"), size="2"),
            rx.code(AuthState.enrol_secret, id="totp-secret", style={"wordBreak": "break-all"}),
            _code_input(_("De 6 cijfers die de app nu toont.")),
            rx.button(_("Instellen en inloggen"), type="submit", id="enrol-submit"),
            rx.button(_("Terug"), type="button", variant="soft", on_click=AuthState.cancel_login),
            spacing="3",
            align="stretch",
        ),
        on_submit=AuthState.submit_enrol,
    )


def recovery_codes_view(codes, on_done) -> rx.Component:
    return rx.vstack(
        rx.heading(_("Uw herstelcodes"), as_="h2", size="4"),
        notice(_("Bewaar deze codes op een veilige plek. Elke code werkt één keer, als u uw telefoon niet bij "
                 "de hand hebt. Ze worden maar één keer getoond."), tone="warning"),
        rx.el.ul(rx.foreach(codes, lambda c: rx.el.li(rx.code(c))), id="recovery-codes"),
        rx.button(_("Ik heb de codes bewaard"), on_click=on_done, id="codes-done"),
        spacing="3",
        align="stretch",
    )


def login_page() -> rx.Component:
    return rx.box(
        rx.el.main(
            rx.card(
                rx.heading(_("Inloggen"), as_="h1", size="6"),
                rx.text(_("Eén plan voor statushouders: voor de ketenpartners."), size="2"),
                rx.match(
                    AuthState.login_step,
                    ("code", _code_step()),
                    ("enrol", _enrol_step()),
                    ("codes", recovery_codes_view(AuthState.recovery_codes, AuthState.finish_codes)),
                    _password_step(),
                ),
                style={"maxWidth": "420px", "margin": "80px auto"},
            )
        ),
        lang="nl",
    )


def oidc_callback_page() -> rx.Component:
    """Where the identity provider sends the browser back; shows a refusal, else moves on to /personen."""
    return rx.box(
        rx.el.main(
            rx.card(
                rx.heading(_("Inloggen"), as_="h1", size="6"),
                rx.cond(
                    AuthState.oidc_error != "",
                    rx.vstack(
                        notice(AuthState.oidc_error, tone="error", id="oidc-error"),
                        rx.link(_("Terug naar de inlogpagina"), href="/login", id="back-to-login"),
                        align="stretch",
                    ),
                    rx.text(_("Bezig met inloggen…"), size="2"),
                ),
                style={"maxWidth": "480px", "margin": "80px auto"},
            )
        ),
        lang="nl",
    )


def _status_options() -> list[rx.Component]:
    return [rx.el.option(_("Alle statussen"), value="")] + [
        rx.el.option(label, value=key) for key, label in RESIDENCE_STATUSES.items()
    ]


def _sort_header(key: str, label: str) -> rx.Component:
    """A column header that sorts the list on the server: a link to ``?sort=key`` (again: the other way)."""
    state = PersonListState.sort_states[key]
    arrow = rx.match(state, ("ascending", " ▲"), ("descending", " ▼"), "")
    return rx.table.column_header_cell(
        rx.link(label, rx.el.span(arrow, aria_hidden="true"), href=PersonListState.sort_links[key], id=f"sort-{key}",
                title=_("Sorteren op {column}").format(column=label.lower())),
        aria_sort=state,
    )


def persons_page() -> rx.Component:
    return shell(
        rx.form(
            rx.hstack(
                rx.el.label(_("Zoeken"), html_for="search", style=_SR_ONLY),
                rx.el.input(id="search", name="search", placeholder=_("Naam, BSN, V-nummer of geboortedatum"),
                            style={**INPUT_STYLE, "minWidth": "280px"}, max_length=SEARCH_MAX,
                            aria_describedby="search-error"),
                rx.el.label(_("Verblijfsstatus"), html_for="status", style=_SR_ONLY),
                rx.el.select(*_status_options(), id="status", name="status", style=INPUT_STYLE),
                rx.button(_("Filteren"), type="submit"),
                align="center",
            ),
            on_submit=PersonListState.apply_filters,
            margin_bottom="16px",
        ),
        rx.cond(PersonListState.search_error != "",
                rx.text(PersonListState.search_error, role="alert", color="#b00020", id="search-error")),
        rx.box(
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        _sort_header("name", _("Naam")),
                        rx.table.column_header_cell(_("Status")),
                        _sort_header("municipality", _("Gemeente")),
                        rx.table.column_header_cell(_("Brieftaal")),
                        rx.table.column_header_cell(_("Intake")),
                        _sort_header("plan", _("Plan")),
                        rx.table.column_header_cell(_("PIP")),
                        _sort_header("deadline", _("Volgende deadline")),
                        _sort_header("owner", _("Casusregisseur")),
                    )
                ),
                rx.table.body(
                    rx.foreach(
                        PersonListState.rows,
                        lambda row: rx.table.row(
                            rx.table.cell(rx.link(row["name"], href="/dossier?id=" + row["person_id"].to(str)),
                                          rx.text(_("geb. "), row["birth_date"], " · ", row["country"], size="1",
                                                  color="#555")),
                            rx.table.cell(row["status"]),
                            rx.table.cell(row["municipality"]),
                            rx.table.cell(row["letter_language"]),
                            rx.table.cell(row["intake"]),
                            rx.table.cell(row["plan"]),
                            rx.table.cell(row["pip"]),
                            rx.table.cell(row["next_deadline"]),
                            rx.table.cell(row["case_owner"]),
                        ),
                    )
                ),
                id="persons-table",
                size="2",
            ),
            overflow_x="auto",
            width="100%",
        ),
        rx.cond(PersonListState.total == 0, rx.text(_("Geen statushouders gevonden die u mag zien."))),
        rx.hstack(
            rx.button(_("Vorige"), on_click=PersonListState.previous_page, variant="soft"),
            rx.text(PersonListState.page_label),
            rx.button(_("Volgende"), on_click=PersonListState.next_page, variant="soft"),
            align="center",
            margin_top="12px",
        ),
        title=_("Statushouders"),
    )


_SR_ONLY = {
    "position": "absolute", "width": "1px", "height": "1px", "overflow": "hidden",
    "clip": "rect(0 0 0 0)", "whiteSpace": "nowrap",
}


def _section(title: str, *fields: rx.Component) -> rx.Component:
    return rx.el.fieldset(
        rx.el.legend(title, style={"fontWeight": "700", "fontSize": "18px"}),
        rx.grid(*fields, columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%"),
        style={"border": "1px solid #ccc", "borderRadius": "8px", "padding": "16px", "marginBottom": "16px"},
    )


def _member_row(member, index) -> rx.Component:
    key = "household." + index.to(str) + "."
    errors = RegisterState.errors
    return rx.hstack(
        rx.vstack(
            rx.el.label(_("Naam"), html_for="member-name-" + index.to(str)),
            rx.el.input(
                id="member-name-" + index.to(str), value=member["name"], style=INPUT_STYLE,
                max_length=MAX_LENGTH["member_name"],
                on_change=lambda v: RegisterState.set_member(index, "name", v),
                aria_describedby="member-name-" + index.to(str) + "-error",
                aria_invalid=rx.cond(errors.contains(key + "name"), "true", "false"),
            ),
            rx.cond(errors.contains(key + "name"), rx.text(errors[key + "name"], color="#b00020", role="alert",
                                                           id="member-name-" + index.to(str) + "-error")),
        ),
        rx.vstack(
            rx.el.label(_("Relatie"), html_for="member-rel-" + index.to(str)),
            rx.el.select(
                *[rx.el.option(label, value=value) for value, label in RELATIONSHIPS.items()],
                id="member-rel-" + index.to(str), value=member["relationship"], style=INPUT_STYLE,
                on_change=lambda v: RegisterState.set_member(index, "relationship", v),
            ),
        ),
        rx.vstack(
            rx.el.label(_("Geboortedatum"), html_for="member-birth-" + index.to(str)),
            rx.el.input(
                id="member-birth-" + index.to(str), type="date", value=member["birth_date"], style=INPUT_STYLE,
                on_change=lambda v: RegisterState.set_member(index, "birth_date", v),
                aria_describedby="member-birth-" + index.to(str) + "-error",
                aria_invalid=rx.cond(errors.contains(key + "birth_date"), "true", "false"),
            ),
            rx.cond(
                errors.contains(key + "birth_date"),
                rx.text(errors[key + "birth_date"], color="#b00020", role="alert",
                        id="member-birth-" + index.to(str) + "-error"),
            ),
        ),
        rx.hstack(
            rx.el.input(type="checkbox", id="member-abroad-" + index.to(str), checked=member["abroad"] == "on",
                        on_change=lambda v: RegisterState.set_member(index, "abroad", v)),
            rx.el.label(_("In het buitenland, komt later (gezinshereniging)"), html_for="member-abroad-" + index.to(str)),
            align="center",
        ),
        rx.button(_("Verwijderen"), type="button", variant="soft", color_scheme="red",
                  on_click=RegisterState.remove_member(index)),
        align="end",
        wrap="wrap",
    )


def register_page() -> rx.Component:
    e = RegisterState.errors
    language_options = languages.choices_with_endonym()
    return shell(
        rx.form(
            _section(
                _("Identiteit"),
                text_field("given_names", _("Voornamen (Latijnse schrijfwijze, BRP)"), e),
                text_field("family_name", _("Achternaam (Latijnse schrijfwijze, BRP)"), e),
                text_field("name_own_script", _("Naam in eigen schrift"), e, dir="auto"),
                text_field("birth_date", _("Geboortedatum"), e, type_="date"),
                select_field("country_of_origin", _("Land van herkomst"), COUNTRY_OPTIONS, e),
                text_field("v_number", _("V-nummer"), e, input_mode="numeric"),
                text_field("bsn", _("BSN (leeg laten als nog niet bekend)"), e, input_mode="numeric"),
                select_field("residence_status", _("Verblijfsstatus"), list(RESIDENCE_STATUSES.items()), e),
                checkbox_field("integration_duty", _("Inburgeringsplichtig (PIP)"), e, default_checked=True),
                text_field("permit_date", _("Datum vergunning"), e, type_="date"),
                text_field("koppeling_date", _("Datum koppeling"), e, type_="date"),
                text_field("move_date", _("Verhuisdatum (als bekend)"), e, type_="date"),
                text_field("municipality", _("Gemeente"), e, default_value=AuthState.organisation.replace("Gemeente ", "")),
                text_field("azc", _("AZC"), e),
            ),
            _section(
                _("Taal en communicatie"),
                text_field("spoken_languages", _("Spreekt"), e, hint=LANGUAGE_HINT),
                text_field("read_languages", _("Leest"), e, hint=LANGUAGE_HINT),
                text_field("mother_tongue", _("Moedertaal"), e,
                           hint=_("Naam of code, ook een taal waarin de keten geen brieven schrijft (bijvoorbeeld "
                                  "Tigre)")),
                select_field("letter_language", _("Brieftaal"), language_options, e),
                select_field("literacy", _("Geletterdheid"), list(LITERACY.items()), e),
                checkbox_field("interpreter_needed", _("Tolk nodig"), e),
                select_field("preferred_channel", _("Voorkeurskanaal"), list(CHANNELS.items()), e),
            ),
            _section(
                _("Contact"),
                text_field("address", _("Adres"), e),
                text_field("phone", _("Telefoon"), e, type_="tel"),
                text_field("email", _("E-mail"), e, input_mode="email"),
            ),
            _section(
                _("Gezondheid (alleen functionele beperkingen, geen diagnoses)"),
                text_field("functional_limitations", _("Functionele beperkingen"), e),
            ),
            _section(_("Financiën"), text_field("iban", _("IBAN voor leefgeld"), e)),
            _section(
                _("Opleiding en leerroute"),
                text_field("education_years", _("Jaren onderwijs"), e, input_mode="numeric"),
                text_field("education_history", _("Opleiding en werk"), e),
                text_field("learning_limitations", _("Leerbeperkingen (geen diagnoses)"), e),
            ),
            rx.el.fieldset(
                rx.el.legend(_("Gezin"), style={"fontWeight": "700", "fontSize": "18px"}),
                rx.foreach(RegisterState.household, _member_row),
                rx.button(_("Gezinslid toevoegen"), type="button", on_click=RegisterState.add_member, variant="soft"),
                style={"border": "1px solid #ccc", "borderRadius": "8px", "padding": "16px", "marginBottom": "16px"},
            ),
            rx.cond(
                RegisterState.form_error != "",
                notice(RegisterState.form_error, tone="error", id="form-error"),
            ),
            rx.cond(
                RegisterState.duplicates.length() > 0,
                notice(
                    rx.vstack(
                        rx.text(_("Mogelijk staat deze persoon al geregistreerd:"), weight="bold"),
                        rx.foreach(RegisterState.duplicates, lambda d: rx.text("• ", d)),
                        rx.hstack(
                            rx.button(_("Toch registreren"), type="button", on_click=RegisterState.confirm_duplicate,
                                      id="confirm-duplicate"),
                            rx.button(_("Annuleren"), type="button", variant="soft", on_click=RegisterState.cancel_duplicate),
                        ),
                    ),
                    tone="warning",
                    id="duplicate-warning",
                ),
            ),
            rx.button(_("Registreren"), type="submit", id="register-submit", size="3", margin_top="12px"),
            on_submit=RegisterState.submit,
        ),
        title=_("Nieuwe statushouder registreren"),
    )


def _edit_button(key, label) -> rx.Component:
    """"Wijzigen" on a card the actor may change (the server checks again when the editor opens)."""
    return rx.button(_("Wijzigen"), rx.el.span(" ", label, style=_SR_ONLY), size="1", variant="soft",
                     on_click=FileState.start_edit(key), id="edit-" + key.to(str), type="button")


def _group_card(group) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.heading(group["label"], as_="h2", size="4"),
            rx.spacer(),
            rx.cond(group["editable"], _edit_button(group["key"], group["label"])),
            align="center",
            width="100%",
        ),
        rx.el.dl(
            rx.foreach(
                group["fields"].to(list[list[str]]),
                lambda pair: rx.grid(
                    rx.el.dt(pair[0], style={"fontWeight": "600"}),
                    rx.el.dd(pair[1], dir="auto", style={"margin": 0}),
                    columns="2",
                    spacing="2",
                ),
            )
        ),
        width="100%",
    )


def _consent_section() -> rx.Component:
    e = FileState.errors
    return rx.card(
        rx.heading(_("Toestemming en partners"), as_="h2", size="4"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Partner"), _("Doel"), _("Gegeven op"), _("Taal"), _("Tolk"), _("Status"), "")])),
            rx.table.body(
                rx.foreach(
                    FileState.consents,
                    lambda c: rx.table.row(
                        rx.table.cell(c["organisation"]),
                        rx.table.cell(c["purpose"]),
                        rx.table.cell(c["given_on"]),
                        rx.table.cell(c["language"]),
                        rx.table.cell(rx.cond(c["interpreter_present"], _("ja"), _("nee"))),
                        rx.table.cell(rx.cond(c["withdrawn"], _("ingetrokken"), _("geldig"))),
                        rx.table.cell(
                            rx.cond(
                                c["withdrawn"],
                                rx.fragment(),
                                rx.button(_("Intrekken"), size="1", color_scheme="red", variant="soft",
                                          on_click=FileState.withdraw(c["consent_id"])),
                            )
                        ),
                    ),
                )
            ),
            id="consents-table",
        ),
        rx.form(
            rx.hstack(
                rx.vstack(
                    rx.el.label(_("Toestemming voor partner"), html_for="consent-org"),
                    rx.el.select(
                        rx.el.option(_("— kies —"), value=""),
                        rx.foreach(FileState.consent_options, lambda o: rx.el.option(o[1], value=o[0])),
                        id="consent-org", name="organisation", style=INPUT_STYLE, aria_describedby="consent-org-error",
                        aria_invalid=rx.cond(e.contains("organisation"), "true", "false"),
                    ),
                ),
                select_field("consent-language", _("Taal van de toestemmingstekst"), languages.choices_nl(), None, name="language"),
                checkbox_field("interpreter_present", _("Tolk aanwezig")),
                rx.button(_("Toestemming vastleggen"), type="submit"),
                align="end",
                wrap="wrap",
            ),
            rx.cond(e.contains("organisation"), rx.text(e["organisation"], color="#b00020", role="alert",
                                                        id="consent-org-error")),
            on_submit=FileState.add_consent,
            margin_top="12px",
        ),
        rx.form(
            rx.hstack(
                rx.vstack(
                    rx.el.label(_("Partner met contract koppelen (taalschool)"), html_for="link-org"),
                    rx.el.select(
                        rx.el.option(_("— kies —"), value=""),
                        rx.foreach(FileState.link_options, lambda o: rx.el.option(o[1], value=o[0])),
                        id="link-org", name="organisation", style=INPUT_STYLE, aria_describedby="link-org-error",
                        aria_invalid=rx.cond(e.contains("link"), "true", "false"),
                    ),
                ),
                rx.button(_("Koppelen"), type="submit"),
                align="end",
            ),
            rx.cond(e.contains("link"), rx.text(e["link"], color="#b00020", role="alert", id="link-org-error")),
            on_submit=FileState.link,
            margin_top="12px",
        ),
        rx.form(
            rx.hstack(
                text_field("move_date", _("Verhuisdatum vastleggen (COA verliest daarna toegang)"), e, type_="date"),
                rx.button(_("Opslaan"), type="submit"),
                align="end",
            ),
            on_submit=FileState.save_move_date,
            margin_top="12px",
        ),
        width="100%",
    )


def _milestone_form(key: str, label: str) -> rx.Component:
    return rx.cond(
        FileState.milestones.contains(key),
        rx.form(
            rx.hstack(
                text_field(key, label, FileState.errors, type_="date", default_value=FileState.milestones[key]),
                rx.button(_("Opslaan"), type="submit"),
                align="end",
                key=key + FileState.milestones[key],  # remount when loaded: the input is uncontrolled
            ),
            on_submit=FileState.save_milestone,
            id=key + "-form",
        ),
    )


def _milestones() -> rx.Component:
    """Dates the chain dashboard's throughput times need: the housing offer and the first lesson."""
    return rx.card(
        rx.heading(_("Mijlpalen"), as_="h2", size="4"),
        rx.text(_("Voor de doorlooptijden op het ketendashboard. Leeg laten en opslaan wist een datum."),
                color="#555", size="2"),
        _milestone_form("housing_offer_date", _("Datum woningaanbod")),
        _milestone_form("first_lesson_date", _("Datum eerste taalles")),
        width="100%",
        id="milestones",
    )


def _access_log() -> rx.Component:
    return rx.card(
        rx.heading(_("Wie heeft dit dossier ingezien"), as_="h2", size="4"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Wanneer"), _("Wie"), _("Organisatie"), _("Rol"), _("Actie"), _("Wat"), _("Waarom"))])),
            rx.table.body(
                rx.foreach(
                    FileState.accesses,
                    lambda a: rx.table.row(*[rx.table.cell(a[k]) for k in (
                        "at", "who", "organisation", "role", "action", "what", "why")]),
                )
            ),
            id="access-log",
        ),
        width="100%",
    )


def _workspace_links() -> rx.Component:
    """The person's workspaces beyond the file; each page checks access itself."""
    query = "?id=" + FileState.person_id.to_string()
    return rx.el.nav(
        rx.hstack(
            rx.link(_("Intake en plan van aanpak"), href="/plan" + query, id="to-plan"),
            rx.link(_("Brieven"), href="/brieven" + query, id="to-letters"),
            rx.link(_("Budget en ontzorgen"), href="/budget" + query, id="to-budget"),
            spacing="5",
            wrap="wrap",
        ),
        rx.text(_("Casusregisseur: "), rx.cond(FileState.case_owner != "", FileState.case_owner, _("(niemand genoemd)")),
                rx.cond(FileState.overall_label != "", rx.fragment(" · ", _("Overall begeleidingsniveau: "),
                                                                   FileState.overall_label)),
                size="2", id="file-regie"),
        aria_label=_("Werkruimtes van deze statushouder"),
    )


def _own_view_access() -> rx.Component:
    """The regisseur hands the person a one-time code for their own view."""
    return rx.card(
        rx.heading(_("Eigen omgeving van de statushouder"), as_="h2", size="4"),
        rx.text(_("Maak een inlogcode (72 uur geldig, één keer te gebruiken). Een nieuwe code maakt de oude ongeldig.")),
        rx.button(_("Inlogcode maken"), on_click=FileState.issue_own_code, id="issue-own-code", margin_top="8px"),
        rx.cond(
            FileState.own_code != "",
            rx.box(
                rx.text(_("Code: "), rx.code(FileState.own_code, id="own-code"), " · ", _("geldig tot "),
                        FileState.own_code_expires),
                rx.text(_("Inloggen op "), rx.link("/mijn/inloggen", href="/mijn/inloggen?code=" + FileState.own_code,
                                                    id="own-code-link")),
                rx.button(_("Inlogbriefje afdrukken (PDF, Nederlands en eigen taal)"),
                          on_click=FileState.download_own_slip, id="own-code-slip", variant="outline",
                          margin_top="6px"),
                role="status", margin_top="8px", padding="8px", border_radius="6px", background="#e6f0fb",
            ),
        ),
        rx.cond(FileState.errors.contains("own_code"),
                rx.text(FileState.errors["own_code"], id="own_code-error", role="alert", color="#b00020")),
        width="100%",
    )


# --- editing the file (issue 18) -----------------------------------------------------------------------

TEXTAREA_STYLE = {**INPUT_STYLE, "minHeight": "80px", "fontFamily": "inherit"}


def _edit_errors():
    return FileState.edit_errors


def _edit_text(column: str, label: str, type_: str = "text", hint: str = "", **props) -> rx.Component:
    if type_ in ("text", "tel"):
        props = limit_props(column, props)
    control = rx.el.input(id=column, name=column, type=type_, style=INPUT_STYLE,
                          default_value=FileState.edit_values[column],
                          **field_props(column, _edit_errors(), bool(hint)), **props)
    return labelled(column, label, control, _edit_errors(), hint)


def _edit_area(column: str, label: str) -> rx.Component:
    control = rx.el.textarea(id=column, name=column, style=TEXTAREA_STYLE, dir="auto",
                             default_value=FileState.edit_values[column],
                             **limit_props(column, field_props(column, _edit_errors())))
    return labelled(column, label, control, _edit_errors())


def _edit_select(column: str, label: str, options: list[tuple[str, str]]) -> rx.Component:
    items = [rx.el.option(_("— kies —"), value="")] + [rx.el.option(text, value=value) for value, text in options]
    control = rx.el.select(*items, id=column, name=column, style=INPUT_STYLE,
                           default_value=FileState.edit_values[column], **field_props(column, _edit_errors()))
    return labelled(column, label, control, _edit_errors())


def _edit_checkbox(column: str, label: str) -> rx.Component:
    return checkbox_field(column, label, _edit_errors(), default_checked=FileState.edit_values[column] == "on")


def _grid(*fields: rx.Component) -> rx.Component:
    return rx.grid(*fields, columns=rx.breakpoints(initial="1", sm="2"), spacing="4", width="100%")


def _identity_fields() -> rx.Component:
    return _grid(
        _edit_text("given_names", _("Voornamen (Latijnse schrijfwijze, BRP)")),
        _edit_text("family_name", _("Achternaam (Latijnse schrijfwijze, BRP)")),
        _edit_text("name_own_script", _("Naam in eigen schrift"), dir="auto"),
        _edit_text("birth_date", _("Geboortedatum"), type_="date"),
        _edit_select("country_of_origin", _("Land van herkomst"), COUNTRY_OPTIONS),
        _edit_text("v_number", _("V-nummer"), input_mode="numeric"),
        _edit_select("residence_status", _("Verblijfsstatus"), list(RESIDENCE_STATUSES.items())),
        _edit_checkbox("integration_duty", _("Inburgeringsplichtig (PIP)")),
        _edit_text("permit_date", _("Datum vergunning"), type_="date"),
        _edit_text("koppeling_date", _("Datum koppeling"), type_="date"),
        _edit_text("azc", _("AZC")),
        _edit_text("spoken_languages", _("Spreekt"), hint=LANGUAGE_HINT),
        _edit_text("read_languages", _("Leest"), hint=LANGUAGE_HINT),
        _edit_text("mother_tongue", _("Moedertaal")),
        _edit_select("letter_language", _("Brieftaal"), languages.choices_with_endonym()),
        _edit_select("literacy", _("Geletterdheid"), list(LITERACY.items())),
        _edit_checkbox("interpreter_needed", _("Tolk nodig")),
        _edit_select("preferred_channel", _("Voorkeurskanaal"), list(CHANNELS.items())),
    )


def _group_fields() -> rx.Component:
    return rx.match(
        FileState.editing,
        ("identity", rx.vstack(
            _identity_fields(),
            rx.text(_("De gemeente en de verhuisdatum wijzigen niet hier: een verhuizing naar een andere gemeente "
                      "is een overdracht (levensgebeurtenis), de verhuisdatum heeft een eigen formulier."),
                    size="2", color="#555"),
            align="stretch")),
        ("bsn", _grid(_edit_text("bsn", _("BSN (leeg laten als nog niet bekend)"), input_mode="numeric"))),
        ("contact", _grid(_edit_text("address", _("Adres")), _edit_text("phone", _("Telefoon"), type_="tel"),
                          _edit_text("email", _("E-mail"), input_mode="email"))),
        ("health", _edit_area("functional_limitations", _("Functionele beperkingen (geen diagnoses)"))),
        ("finances", _grid(_edit_text("iban", _("IBAN voor leefgeld")))),
        ("learning", rx.vstack(
            _grid(_edit_text("education_years", _("Jaren onderwijs"), input_mode="numeric")),
            _edit_area("education_history", _("Opleiding en werk")),
            _edit_area("learning_limitations", _("Leerbeperkingen (geen diagnoses)")),
            align="stretch")),
        rx.fragment(),
    )


def _conflict() -> rx.Component:
    return rx.cond(
        FileState.edit_conflict != "",
        notice(
            rx.text(FileState.edit_conflict),
            rx.cond(FileState.stale_attempt.length() > 0, rx.vstack(
                rx.text(_("Wat u had ingevuld (niet opgeslagen):"), weight="bold"),
                rx.el.ul(rx.foreach(FileState.stale_attempt, lambda line: rx.el.li(line, dir="auto"))),
                align="stretch", spacing="1")),
            tone="warning", id="edit-conflict",
        ),
    )


def _member_input(prefix, key: str, label: str, value, type_: str = "text") -> rx.Component:
    field_id = prefix + "-" + key
    errors = FileState.edit_errors
    return rx.vstack(
        rx.el.label(label, html_for=field_id, style={"fontWeight": "600"}),
        rx.el.input(id=field_id, name=key, type=type_, default_value=value, style=INPUT_STYLE,
                    **({"max_length": MAX_LENGTH["member_name"]} if type_ == "text" else {}),
                    aria_describedby=field_id + "-error",
                    aria_invalid=rx.cond(errors.contains(field_id), "true", "false")),
        rx.cond(errors.contains(field_id),
                rx.text(errors[field_id], id=field_id + "-error", role="alert", color="#b00020", size="2")),
        spacing="1",
    )


def _member_relation(prefix, value) -> rx.Component:
    field_id = prefix + "-relationship"
    errors = FileState.edit_errors
    return rx.vstack(
        rx.el.label(_("Relatie"), html_for=field_id, style={"fontWeight": "600"}),
        rx.el.select(*[rx.el.option(label, value=key) for key, label in RELATIONSHIPS.items()],
                     id=field_id, name="relationship", default_value=value, style=INPUT_STYLE,
                     aria_describedby=field_id + "-error",
                     aria_invalid=rx.cond(errors.contains(field_id), "true", "false")),
        rx.cond(errors.contains(field_id),
                rx.text(errors[field_id], id=field_id + "-error", role="alert", color="#b00020", size="2")),
        spacing="1",
    )


def _member_abroad(prefix, checked) -> rx.Component:
    field_id = prefix + "-abroad"
    return rx.hstack(
        rx.el.input(type="checkbox", id=field_id, name="abroad", default_checked=checked),
        rx.el.label(_("In het buitenland, komt later"), html_for=field_id),
        align="center",
    )


def _member_form(member) -> rx.Component:
    prefix = "member-" + member["id"].to(str)
    return rx.form(
        rx.el.input(type="hidden", name="member_id", value=member["id"]),
        rx.el.input(type="hidden", name="version", value=FileState.edit_version),
        rx.hstack(
            _member_input(prefix, "name", _("Naam"), member["name"]),
            _member_relation(prefix, member["relationship"]),
            _member_input(prefix, "birth_date", _("Geboortedatum"), member["birth_date"], type_="date"),
            _member_abroad(prefix, member["abroad"] == "on"),
            rx.button(_("Opslaan"), type="submit", size="2"),
            rx.button(_("Verwijderen"), type="button", size="2", variant="soft", color_scheme="red",
                      on_click=FileState.remove_member(member["id"])),
            align="end",
            wrap="wrap",
        ),
        rx.cond(FileState.edit_errors.contains(prefix + "-member"),
                rx.text(FileState.edit_errors[prefix + "-member"], role="alert", color="#b00020", size="2")),
        on_submit=FileState.save_member,
        key=prefix + "-" + FileState.edit_key.to(str),
        id=prefix + "-form",
    )


def _household_editor() -> rx.Component:
    return rx.vstack(
        rx.foreach(FileState.edit_members, _member_form),
        rx.form(
            rx.el.input(type="hidden", name="version", value=FileState.edit_version),
            rx.heading(_("Gezinslid toevoegen"), as_="h4", size="3"),
            rx.hstack(
                _member_input("member-new", "name", _("Naam"), ""),
                _member_relation("member-new", "child"),
                _member_input("member-new", "birth_date", _("Geboortedatum"), "", type_="date"),
                _member_abroad("member-new", False),
                rx.button(_("Toevoegen"), type="submit", size="2"),
                align="end",
                wrap="wrap",
            ),
            on_submit=FileState.add_member,
            key="member-new-" + FileState.edit_key.to(str),
            id="member-new-form",
        ),
        rx.button(_("Sluiten"), type="button", variant="soft", on_click=FileState.cancel_edit, id="edit-cancel"),
        align="stretch",
        spacing="3",
    )


def _editor() -> rx.Component:
    """The editor of the one field group being changed, under the cards."""
    return rx.card(
        rx.heading(_("Wijzigen: "),
                   rx.match(FileState.editing, *[(key, _(label)) for key, label in GROUP_LABELS.items()], ""),
                   as_="h2", size="4"),
        _conflict(),
        rx.cond(
            FileState.editing == "family",
            _household_editor(),
            rx.form(
                rx.el.input(type="hidden", name="group", value=FileState.editing),
                rx.el.input(type="hidden", name="version", value=FileState.edit_version),
                _group_fields(),
                rx.cond(FileState.edit_errors.length() > 0,
                        rx.text(_("Niet opgeslagen: verbeter de gemarkeerde velden."), color="#b00020",
                                role="alert", id="edit-form-error")),
                rx.hstack(
                    rx.button(_("Opslaan"), type="submit", id="edit-save"),
                    rx.button(_("Annuleren"), type="button", variant="soft", on_click=FileState.cancel_edit,
                              id="edit-cancel"),
                    margin_top="12px",
                ),
                on_submit=FileState.save_edit,
                key=FileState.editing + "-" + FileState.edit_key.to(str),
                id="edit-form",
            ),
        ),
        width="100%",
        id="file-editor",
    )


def _changes() -> rx.Component:
    """The file's changes, newest first (only the field groups this reader sees)."""
    return rx.card(
        rx.heading(_("Wijzigingen"), as_="h2", size="4"),
        rx.table.root(
            rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                _("Datum"), _("Door"), _("Veld"), _("Oud → nieuw"))])),
            rx.table.body(
                rx.foreach(
                    FileState.changes,
                    lambda c: rx.table.row(
                        rx.table.cell(c["at"]),
                        rx.table.cell(c["who"], " (", c["organisation"], ")"),
                        rx.table.cell(c["field"]),
                        rx.table.cell(c["change"], dir="auto"),
                    ),
                )
            ),
        ),
        width="100%",
        id="file-changes",
    )


def _budget_warning() -> rx.Component:
    return rx.cond(
        FileState.budget_warning != "",
        notice(rx.text(FileState.budget_warning),
               rx.link(_("Naar budget en ontzorgen"), href=FileState.budget_link, id="budget-warning-link"),
               tone="warning", id="budget-warning"),
    )


def file_page() -> rx.Component:
    return shell(
        rx.cond(
            FileState.denied != "",
            notice(FileState.denied, tone="error", id="denied"),
            rx.vstack(
                rx.heading(FileState.title, as_="h2", size="6", dir="auto", id="file-title"),
                rx.cond(FileState.title != "", _workspace_links()),
                rx.cond(FileState.notice != "", notice(FileState.notice, tone="success", id="file-notice",
                                                       tab_index=-1)),
                rx.cond(FileState.edit_errors.contains("form"),
                        notice(FileState.edit_errors["form"], tone="error", id="edit-refused")),
                _budget_warning(),
                rx.cond((FileState.callbacks.length() > 0) | (FileState.callback_notice != "")
                        | (FileState.callback_error != ""), callback_table(FileState, with_person=False)),
                rx.cond(FileState.errors.contains("form"), notice(FileState.errors["form"], tone="error")),
                rx.grid(rx.foreach(FileState.groups, _group_card), columns=rx.breakpoints(initial="1", md="2"),
                        spacing="4", width="100%", id="file-groups"),
                rx.cond(
                    (FileState.household.length() > 0) | FileState.editable.contains("family"),
                    rx.card(
                        rx.hstack(
                            rx.heading(_("Gezin"), as_="h2", size="4"),
                            rx.spacer(),
                            rx.cond(FileState.editable.contains("family"),
                                    _edit_button(rx.Var.create("family"), _("Gezin"))),
                            align="center",
                            width="100%",
                        ),
                        rx.foreach(FileState.household, lambda m: rx.text(
                            m["name"], " — ", m["relationship"], ", ", m["birth_date"],
                            rx.cond(m["where"] != "", rx.fragment(" (", m["where"], ")")), class_name="household-member")),
                        width="100%",
                        id="household",
                    ),
                ),
                rx.cond(FileState.editing != "", _editor()),
                rx.cond(FileState.changes.length() > 0, _changes()),
                rx.cond(
                    FileState.hidden_groups.length() > 0,
                    rx.text(_("Niet zichtbaar voor uw rol: "), FileState.hidden_groups.join(", "), id="hidden-groups",
                            color="#555"),
                ),
                rx.cond(AuthState.can_register, _consent_section()),
                rx.cond(AuthState.can_register, _own_view_access()),
                rx.cond(FileState.milestones.length() > 0, _milestones()),
                rx.cond(AuthState.can_read_audit, _access_log()),
                spacing="4",
                width="100%",
            ),
        ),
        title=_("Dossier"),
    )
