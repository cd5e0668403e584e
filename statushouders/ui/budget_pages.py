"""Staff pages of the budget module: /budget?id=N and /betaalruns."""

from __future__ import annotations

import reflex as rx

from ..budget import config
from ..budget.ontzorgen import MODES
from ..validation import MAX_LENGTH
from .components import INPUT_STYLE, error_for, select_field, shell, text_field
from .budget_state import BudgetState, RunsState
from .i18n import _

CARD = {"width": "100%"}


def _notice_for(key: str) -> rx.Component:
    return rx.cond(
        BudgetState.notices.contains(key),
        rx.text(BudgetState.notices[key], id=f"{key}-notice", role="status", color="#8a5a00", size="2"),
    )


def _table(headers: list[str], rows, cells, id_: str) -> rx.Component:
    return rx.table.root(
        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in headers])),
        rx.table.body(rx.foreach(rows, lambda r: rx.table.row(*cells(r)))),
        id=id_,
        size="1",
    )


def _benefit_card() -> rx.Component:
    e = BudgetState.errors
    return rx.card(
        rx.heading(_("Uitkering en leefsituatie"), as_="h2", size="4"),
        _table([_("Vanaf"), _("Leefsituatie"), _("Norm")], BudgetState.households,
               lambda h: [rx.table.cell(h["from"]), rx.table.cell(h["kind"]), rx.table.cell(h["norm"])], "households"),
        rx.cond(
            BudgetState.can_edit,
            rx.vstack(
                rx.form(
                    rx.grid(
                        text_field("benefit_start", _("Ingangsdatum uitkering"), e, type_="date",
                                   default_value=BudgetState.benefit_start),
                        select_field("household_kind", _("Leefsituatie bij de start"),
                                     list(config.HOUSEHOLD_KINDS.items()), e, default_value=BudgetState.household_kind),
                        text_field("supplement", _("Aanvulling per maand (bijv. jongerentoeslag), €"), e,
                                   default_value=BudgetState.supplement, input_mode="decimal"),
                        text_field("leefgeld_iban", _("IBAN voor leefgeld"), e, default_value=BudgetState.leefgeld_iban),
                        columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
                    ),
                    rx.button(_("Uitkering opslaan"), type="submit", id="save-benefit", margin_top="8px"),
                    on_submit=BudgetState.save_benefit,
                    key=BudgetState.form_key,
                ),
                rx.cond(
                    BudgetState.has_budget,
                    rx.form(
                        rx.hstack(
                            text_field("change_from", _("Leefsituatie wijzigt per"), e, type_="date"),
                            select_field("change_kind", _("Nieuwe leefsituatie"), list(config.HOUSEHOLD_KINDS.items()), e),
                            rx.button(_("Wijziging opslaan"), type="submit", id="save-household"),
                            align="end", wrap="wrap", width="100%",
                        ),
                        on_submit=BudgetState.add_household_change,
                    ),
                ),
                width="100%",
            ),
        ),
        style=CARD,
    )


def _overview_card() -> rx.Component:
    return rx.card(
        rx.heading(_("Maandoverzicht"), as_="h2", size="4"),
        rx.foreach(BudgetState.warnings, lambda w: rx.callout(w, color_scheme="amber", role="alert", size="1",
                                                              class_name="budget-warning")),
        _table(
            [_("Maand"), _("Uitkering"), _("Direct betaald"), _("Inhoudingen"), _("Leefgeld"),
             _("Zelf te betalen"), _("Toeslaggat"), _("Om van te leven"), _("Norm huishouden")],
            BudgetState.months,
            lambda m: [rx.table.cell(m[k], white_space="nowrap") for k in (
                "month", "benefit", "direct", "deductions", "leefgeld", "own", "allowance_gap", "available", "norm")],
            "month-overview",
        ),
        rx.foreach(BudgetState.months, lambda m: rx.cond(
            m["note"] != "", rx.text(m["month"] + ": " + m["note"], size="2", class_name="month-note"))),
        rx.text(_("Uitkering − direct betaalde vaste lasten − inhoudingen = leefgeld voor de statushouder."), size="1"),
        style=CARD,
    )


def _costs_card() -> rx.Component:
    e = BudgetState.errors
    return rx.card(
        rx.heading(_("Vaste lasten"), as_="h2", size="4"),
        _table(
            [_("Soort"), _("Omschrijving"), _("Ontvanger"), _("IBAN"), _("Bedrag"), _("Kenmerk"), _("Dag"),
             _("Vanaf"), _("Direct"), ""],
            BudgetState.costs,
            lambda c: [
                rx.table.cell(c["category"]), rx.table.cell(c["label"]), rx.table.cell(c["creditor"]),
                rx.table.cell(rx.el.bdi(c["iban"])), rx.table.cell(c["amount"], white_space="nowrap"), rx.table.cell(c["reference"]),
                rx.table.cell(c["day"]), rx.table.cell(c["from"], rx.cond(c["until"] != "", " t/m " + c["until"], "")),
                rx.table.cell(rx.cond(c["direct"] == "1", _("ja"), _("nee"))),
                rx.table.cell(rx.cond(BudgetState.can_edit & (c["until"] == ""),
                                      rx.button(_("Stoppen"), size="1", variant="soft", color_scheme="red",
                                                on_click=BudgetState.end_cost(c["id"])), rx.fragment())),
            ],
            "costs-table",
        ),
        rx.cond(
            BudgetState.can_edit & BudgetState.has_budget,
            rx.form(
                rx.heading(_("Vaste last toevoegen"), as_="h3", size="3", margin_top="12px"),
                rx.grid(
                    select_field("category", _("Soort"), list(config.CATEGORIES.items()), e),
                    text_field("label", _("Omschrijving (verplicht bij overig)"), e),
                    rx.vstack(text_field("creditor_name", _("Naam ontvanger (Latijns schrift)"), e),
                              _notice_for("creditor_name"), width="100%"),
                    text_field("creditor_iban", _("IBAN ontvanger"), e),
                    text_field("amount", _("Bedrag per maand, €"), e, input_mode="decimal"),
                    text_field("reference", _("Betalingskenmerk of omschrijving"), e),
                    rx.vstack(text_field("day_of_month", _("Dag van de maand"), e, input_mode="numeric"),
                              _notice_for("day_of_month"), width="100%"),
                    columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
                ),
                _notice_for("first_month"),
                rx.button(_("Vaste last toevoegen"), type="submit", id="add-cost", margin_top="8px"),
                on_submit=BudgetState.add_cost,
            ),
        ),
        style=CARD,
    )


def _lines_card() -> rx.Component:
    e = BudgetState.errors
    line_kinds = [(config.OTHER_INCOME, config.INCOME_KINDS[config.OTHER_INCOME]), *config.COMMITMENT_KINDS.items()]
    return rx.card(
        rx.heading(_("Inkomen, afspraken en voorschot"), as_="h2", size="4"),
        _table([_("Soort"), _("Omschrijving"), _("Per maand"), _("Vanaf"), _("Maanden")], BudgetState.lines,
               lambda r: [rx.table.cell(r[k]) for k in ("kind", "label", "amount", "from", "months")], "lines-table"),
        rx.cond(
            BudgetState.advance_proposal != "",
            rx.hstack(
                rx.text(_("Voorgesteld voorschot eerste maand:") + " " + BudgetState.advance_proposal, id="advance-proposal"),
                rx.cond(BudgetState.can_edit, rx.button(_("Voorschot boeken"), on_click=BudgetState.book_advance,
                                                        id="book-advance")),
                error_for(e, "advance"), align="center",
            ),
        ),
        rx.cond(
            BudgetState.has_budget,
            rx.vstack(
                rx.form(
                    rx.hstack(
                        text_field("work_amount", _("Inkomsten uit werk, netto per maand, €"), e, input_mode="decimal"),
                        text_field("work_from", _("Vanaf maand (JJJJ-MM)"), e),
                        text_field("work_label", _("Werkgever"), e),
                        rx.button(_("Inkomsten uit werk vastleggen"), type="submit"),
                        align="end", wrap="wrap",
                    ),
                    on_submit=BudgetState.record_work_income, id="work-income-form",
                ),
                rx.form(
                    rx.hstack(
                        select_field("line_kind", _("Soort"), line_kinds, e),
                        text_field("line_amount", _("Bedrag per maand, €"), e, input_mode="decimal"),
                        text_field("line_from", _("Vanaf maand (JJJJ-MM)"), e),
                        text_field("line_months", _("Aantal maanden (leeg = doorlopend)"), e, input_mode="numeric"),
                        text_field("line_label", _("Omschrijving"), e),
                        rx.button(_("Regel toevoegen"), type="submit"),
                        align="end", wrap="wrap",
                    ),
                    on_submit=BudgetState.add_line, id="budget-line-form",
                ),
                width="100%",
            ),
        ),
        style=CARD,
    )


def _deductions_card() -> rx.Component:
    e = BudgetState.errors
    return rx.card(
        rx.heading(_("Inhoudingen en verwachte toeslagen"), as_="h2", size="4"),
        _table([_("Inhouding"), _("Bedrag"), _("Vanaf"), _("Maanden")], BudgetState.deductions,
               lambda d: [rx.table.cell(d[k]) for k in ("label", "amount", "from", "months")], "deductions-table"),
        _table([_("Toeslag"), _("Per maand"), _("Verwacht vanaf"), _("Gat tot aankomst")], BudgetState.allowances,
               lambda a: [rx.table.cell(a[k]) for k in ("kind", "amount", "expected", "gap")], "allowances-table"),
        rx.cond(
            BudgetState.can_edit & BudgetState.has_budget,
            rx.vstack(
                rx.form(
                    rx.hstack(
                        text_field("deduction_label", _("Inhouding (bijv. inrichtingskrediet)"), e),
                        text_field("deduction_amount", _("Bedrag per maand, €"), e, input_mode="decimal"),
                        text_field("deduction_months", _("Aantal maanden (leeg = doorlopend)"), e, input_mode="numeric"),
                        rx.button(_("Inhouding toevoegen"), type="submit"),
                        align="end", wrap="wrap",
                    ),
                    on_submit=BudgetState.add_deduction,
                ),
                rx.form(
                    rx.hstack(
                        select_field("allowance_kind", _("Toeslag"), list(config.ALLOWANCES.items()), e),
                        text_field("allowance_amount", _("Bedrag per maand, €"), e, input_mode="decimal"),
                        text_field("allowance_expected", _("Verwacht vanaf"), e, type_="date"),
                        rx.button(_("Toeslag toevoegen"), type="submit"),
                        align="end", wrap="wrap",
                    ),
                    on_submit=BudgetState.add_allowance,
                ),
                width="100%",
            ),
        ),
        style=CARD,
    )


def _category_row(c) -> rx.Component:
    e = BudgetState.errors
    key = c["category"]
    return rx.table.row(
        rx.table.cell(c["label"]),
        rx.table.cell(
            rx.el.select(*[rx.el.option(label, value=value) for value, label in MODES.items()],
                         name="mode_" + key, id="mode_" + key, default_value=c["mode"], style=INPUT_STYLE,
                         aria_label=_("Hoe betaald: ") + c["label"], aria_describedby="mode_" + key + "-error",
                         disabled=~BudgetState.can_arrange),
            rx.cond(e.contains("mode_" + key), rx.text(e["mode_" + key], id="mode_" + key + "-error", color="#b00020",
                                                       role="alert", size="2")),
        ),
        rx.table.cell(
            rx.el.input(type="month", name="hand_back_" + key, id="hand_back_" + key, default_value=c["hand_back"],
                        style=INPUT_STYLE, disabled=~BudgetState.can_arrange,
                        aria_label=_("Zelf betalen vanaf (maand): ") + c["label"],
                        aria_describedby="hand_back_" + key + "-error"),
            rx.cond(e.contains("hand_back_" + key),
                    rx.text(e["hand_back_" + key], id="hand_back_" + key + "-error", color="#b00020", role="alert",
                            size="2")),
        ),
        rx.table.cell(rx.el.input(name="reason_" + key, id="reason_" + key, default_value=c["reason"], style=INPUT_STYLE,
                                  max_length=MAX_LENGTH["category_reason"],
                                  disabled=~BudgetState.can_arrange, aria_label=_("Reden: ") + c["label"])),
    )


def _arrangement_card() -> rx.Component:
    e = BudgetState.errors
    return rx.card(
        rx.heading(_("Ontzorgen"), as_="h2", size="4"),
        rx.text(_("Periode: "), BudgetState.arrangement_start, " – ", BudgetState.arrangement_end,
                rx.cond(BudgetState.arrangement_tailored, _(" (maatwerk)"), _(" (standaard)")),
                rx.cond(BudgetState.arrangement_last != "",
                        rx.fragment(_("; laatste directe betaling: "), BudgetState.arrangement_last), ""),
                id="ontzorgen-period"),
        rx.form(
            rx.table.root(
                rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                    _("Kostenpost"), _("Hoe"), _("Teruggeven per maand"), _("Reden (verplicht bij maatwerk)"))])),
                rx.table.body(rx.foreach(BudgetState.categories, _category_row)),
                size="1",
                id="arrangement-table",
            ),
            rx.grid(
                text_field("ontzorgen_months", _("Duur in maanden (standaard 6)"), e,
                           default_value=BudgetState.arrangement_months, input_mode="numeric",
                           disabled=~BudgetState.can_arrange),
                text_field("ontzorgen_reason", _("Reden voor verlenging of maatwerk"), e,
                           default_value=BudgetState.arrangement_reason, disabled=~BudgetState.can_arrange),
                text_field("alternative", _("Geen ontzorgen: wat is in plaats daarvan afgesproken?"), e,
                           default_value=BudgetState.arrangement_alternative, disabled=~BudgetState.can_arrange),
                text_field("coach_offer", _("Geen ontzorgen: wat biedt de budgetcoach?"), e,
                           default_value=BudgetState.arrangement_coach_offer, disabled=~BudgetState.can_arrange),
                columns=rx.breakpoints(initial="1", sm="2"), spacing="3", width="100%",
            ),
            rx.cond(BudgetState.can_arrange,
                    rx.button(_("Ontzorgregeling opslaan"), type="submit", id="save-arrangement", margin_top="8px")),
            on_submit=BudgetState.save_arrangement,
            key=BudgetState.form_key,
        ),
        rx.heading(_("Teruggave per kostenpost"), as_="h3", size="3", margin_top="12px"),
        _table([_("Kostenpost"), _("Laatste maand direct"), _("Zelf betalen vanaf")], BudgetState.schedule,
               lambda h: [rx.table.cell(h[k]) for k in ("category", "last_direct", "hand_back")], "hand-back"),
        style=CARD,
    )


def _coach_card() -> rx.Component:
    e = BudgetState.errors
    return rx.card(
        rx.heading(_("Budgetcoach"), as_="h2", size="4"),
        rx.cond(BudgetState.coach_name != "",
                rx.text(BudgetState.coach_name, " (", BudgetState.coach_org, "), ", _("sinds "), BudgetState.coach_since,
                        id="coach-assigned"),
                rx.text(_("Nog geen budgetcoach toegewezen."))),
        rx.cond(
            BudgetState.can_assign,
            rx.form(
                rx.hstack(
                    rx.vstack(
                        rx.el.label(_("Budgetcoach"), html_for="coach"),
                        rx.el.select(rx.el.option(_("— kies —"), value=""),
                                     rx.foreach(BudgetState.coach_choices, lambda o: rx.el.option(o[1], value=o[0])),
                                     id="coach", name="coach", style=INPUT_STYLE, aria_describedby="coach-error"),
                        error_for(e, "coach"),
                    ),
                    rx.button(_("Toewijzen"), type="submit", id="assign-coach"),
                    align="end",
                ),
                on_submit=BudgetState.assign_coach,
            ),
        ),
        rx.heading(_("Checklist"), as_="h3", size="3", margin_top="12px"),
        rx.foreach(
            BudgetState.checklist,
            lambda item: rx.hstack(
                rx.el.input(type="checkbox", id="check-" + item["item"], checked=item["done"] == "1",
                            disabled=~BudgetState.can_coach,
                            on_change=lambda v: BudgetState.toggle_check(item["item"], v)),
                rx.el.label(item["label"], html_for="check-" + item["item"]),
                rx.cond(item["done_on"] != "", rx.text("(", item["done_on"], ")", size="1", color="#555")),
                align="center",
            ),
        ),
        rx.heading(_("Notities"), as_="h3", size="3", margin_top="12px"),
        rx.foreach(BudgetState.notes, lambda n: rx.box(
            rx.text(n["date"], " · ", n["author"], weight="bold", size="2"), rx.text(n["text"], dir="auto"),
            class_name="coach-note", margin_bottom="8px")),
        rx.cond(
            BudgetState.can_coach,
            rx.form(
                rx.vstack(
                    rx.el.label(_("Nieuwe notitie"), html_for="note"),
                    rx.el.textarea(id="note", name="note", rows="3", style=INPUT_STYLE, aria_describedby="note-error note-hint",
                                   max_length=MAX_LENGTH["note"]),
                    rx.text(_("Maximaal {n} tekens.").format(n=MAX_LENGTH["note"]), size="1", color="#555",
                            id="note-hint"),
                    error_for(e, "note"),
                    rx.button(_("Notitie opslaan"), type="submit", id="save-note"),
                    width="100%",
                ),
                on_submit=BudgetState.add_note,
                reset_on_submit=False,
            ),
        ),
        style=CARD,
    )


def _bank_card() -> rx.Component:
    e = BudgetState.errors
    return rx.card(
        rx.heading(_("Bank: teruggekomen betalingen en ontvangsten"), as_="h2", size="4"),
        _table([_("Datum"), _("Wat"), _("Maand"), _("Bedrag"), _("IBAN"), _("Reden"), _("Stand"), ""], BudgetState.bank,
               lambda b: [rx.table.cell(b["date"]), rx.table.cell(b["creditor"]), rx.table.cell(b["month"]),
                          rx.table.cell(b["amount"], white_space="nowrap"), rx.table.cell(rx.el.bdi(b["iban"])),
                          rx.table.cell(b["reason"]), rx.table.cell(b["state"]),
                          rx.table.cell(rx.cond(
                              (b["open"] == "1") & BudgetState.can_edit,
                              rx.form(rx.hstack(
                                  rx.el.input(type="hidden", name="end_to_end_id", value=b["end_to_end_id"]),
                                  rx.el.input(name="iban", aria_label=_("Nieuw IBAN"), placeholder=_("Nieuw IBAN"),
                                              aria_describedby="iban-error"),
                                  rx.button(_("IBAN aanpassen"), type="submit", size="1")),
                                  on_submit=BudgetState.correct_iban)))],
               "bank-signals"),
        error_for(e, "iban"),
        style=CARD,
    )


def budget_page() -> rx.Component:
    return shell(
        rx.cond(
            BudgetState.denied != "",
            rx.callout(BudgetState.denied, color_scheme="red", role="alert", id="denied"),
            rx.vstack(
                rx.hstack(
                    rx.heading(BudgetState.name, as_="h2", size="6", id="budget-title"),
                    rx.link(_("Terug naar dossier"), href="/dossier?id=" + BudgetState.person_id.to_string()),
                    align="center", spacing="4",
                ),
                rx.cond(BudgetState.notice != "",
                        rx.callout(BudgetState.notice, color_scheme="green", role="status", id="budget-notice")),
                rx.cond(BudgetState.errors.contains("form"),
                        rx.callout(BudgetState.errors["form"], color_scheme="red", role="alert")),
                rx.cond(BudgetState.errors.length() > 0,
                        rx.callout(_("Niet opgeslagen: verbeter de gemarkeerde velden."), color_scheme="red",
                                   role="alert", id="budget-form-error")),
                _benefit_card(),
                rx.cond(
                    BudgetState.has_budget,
                    rx.vstack(_overview_card(), rx.cond(BudgetState.bank.length() > 0, _bank_card()), _costs_card(), _deductions_card(),
                              _lines_card(), _arrangement_card(),
                              spacing="4", width="100%"),
                    rx.text(_("Er is nog geen uitkering vastgelegd."), id="no-budget"),
                ),
                _coach_card(),
                spacing="4",
                width="100%",
            ),
        ),
        title=_("Budget en ontzorgen"),
    )


def _run_detail() -> rx.Component:
    return rx.card(
        rx.heading(_("Betalingen in run "), RunsState.detail_run, as_="h2", size="4"),
        _table([_("Soort"), _("Aantal"), _("Totaal")], RunsState.detail_totals,
               lambda t: [rx.table.cell(t["category"]), rx.table.cell(t["count"]),
                          rx.table.cell(t["total"], white_space="nowrap")], "run-totals"),
        rx.text(RunsState.detail_note, size="1"),
        _table([_("Statushouder"), _("Soort"), _("Ontvanger"), _("IBAN"), _("Bedrag"), _("Datum"), _("Kenmerk"),
                _("End-to-end-id")], RunsState.detail_payments,
               lambda p: [rx.table.cell(p["person"]), rx.table.cell(p["category"]), rx.table.cell(p["creditor"]),
                          rx.table.cell(rx.el.bdi(p["iban"])), rx.table.cell(p["amount"], white_space="nowrap"),
                          rx.table.cell(p["due"]), rx.table.cell(p["reference"]), rx.table.cell(p["end_to_end_id"])],
               "run-payments"),
        style=CARD,
    )


def _warning_row(w) -> rx.Component:
    e = RunsState.errors
    key = "reason-" + w["person_id"]
    return rx.table.row(
        rx.table.cell(w["person"]),
        rx.table.cell(rx.cond(w["blocking"] == "1", rx.badge(_("Blokkerend"), color_scheme="red"),
                              rx.badge(_("Let op"), color_scheme="amber")), " ", w["message"]),
        rx.table.cell(rx.form(
            rx.hstack(
                rx.el.input(type="hidden", name="person_id", value=w["person_id"]),
                rx.el.input(name="reason", id="reason-" + w["person_id"] + "-" + w["code"], class_name="exclude-reason",
                            placeholder=_("Reden"), aria_label=_("Reden om uit de run te halen: ") + w["person"],
                            style={"minWidth": "12em"}),
                rx.button(_("Uit run halen"), type="submit", size="1", variant="soft", color_scheme="red",
                          class_name="exclude-person"),
                align="center",
            ),
            rx.cond(e.contains(key), rx.text(e[key], color="#b00020", role="alert", size="2",
                                             class_name="reason-error")),
            on_submit=RunsState.exclude,
            reset_on_submit=True,
        )),
        class_name=rx.cond(w["blocking"] == "1", "run-warning blocking", "run-warning"),
    )


def _approval_dialog() -> rx.Component:
    e = RunsState.errors
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(_("Betaalrun "), RunsState.confirm_run, _(" goedkeuren"), " (", RunsState.confirm_month, ")"),
            rx.dialog.description(
                rx.text(_("Totaal "), rx.text.strong(RunsState.confirm_total, id="confirm-total"), _(" in "),
                        rx.text.strong(RunsState.confirm_count, id="confirm-count"), _(" betalingen."))),
            rx.cond(RunsState.confirm_blocking > 0,
                    rx.callout(_("Blokkerende waarschuwingen: los ze op (pas het budget aan, annuleer en bereid de run "
                                 "opnieuw voor) of haal de persoon met een reden uit de run."),
                               color_scheme="red", role="alert", id="confirm-blocking")),
            rx.cond(RunsState.confirm_warnings.length() > 0,
                    rx.table.root(
                        rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                            _("Statushouder"), _("Waarschuwing"), "")])),
                        rx.table.body(rx.foreach(RunsState.confirm_warnings, _warning_row)),
                        size="1", id="confirm-warnings"),
                    rx.text(_("Geen waarschuwingen."), id="confirm-no-warnings")),
            rx.cond(RunsState.confirm_exclusions.length() > 0,
                    rx.box(rx.heading(_("Uit de run gehaald"), as_="h3", size="3"),
                           rx.foreach(RunsState.confirm_exclusions, lambda x: rx.text(
                               x["person"], ": ", x["reason"], " (", x["count"], _(" betalingen, "), x["total"], ")",
                               size="2", class_name="run-exclusion")))),
            rx.cond(e.contains("confirm"), rx.callout(e["confirm"], color_scheme="red", role="alert", id="confirm-error")),
            rx.hstack(
                rx.button(_("Terug"), variant="soft", on_click=RunsState.close_approval, id="confirm-cancel"),
                rx.button(_("Goedkeuren en SEPA-bestand maken"), id="confirm-approve", disabled=~RunsState.confirm_may,
                          on_click=RunsState.confirm_approve),
                justify="end", margin_top="12px",
            ),
            max_width="900px",
        ),
        open=RunsState.confirm_open,
        on_open_change=lambda _open: RunsState.close_approval(),
    )


def _statements_card() -> rx.Component:
    e = RunsState.errors
    return rx.card(
        rx.heading(_("Bankafschriften (camt.053)"), as_="h2", size="4"),
        rx.text(_("Upload het dagafschrift (camt.053 of camt.054) van de betaalrekening van de gemeente. Betalingen "
                  "worden gekoppeld op end-to-end-id; teruggekomen betalingen gaan opnieuw mee in de volgende run."),
                size="1"),
        rx.el.label(  # wraps the dropzone's file input: its accessible name
            rx.text(_("Bankafschrift (camt.053 of camt.054, XML)"), size="2"),
            rx.upload(rx.button(_("Kies bestand"), variant="outline", type="button"), id="camt-upload", max_files=1,
                      multiple=False, accept={"application/xml": [".xml"], "text/xml": [".xml"]},
                      border="1px dashed #999", padding="8px"),
        ),
        rx.text(rx.selected_files("camt-upload"), size="1"),
        rx.button(_("Afschrift importeren"), id="import-statement", type="button",
                  on_click=RunsState.import_statement(rx.upload_files(upload_id="camt-upload"))),
        rx.cond(e.contains("statement"), rx.text(e["statement"], id="statement-error", color="#b00020", role="alert",
                                                 size="2")),
        rx.cond(RunsState.import_notice != "", rx.callout(RunsState.import_notice, color_scheme="green", role="status",
                                                          id="import-notice")),
        _table([_("Afschrift"), _("Formaat"), _("Geïmporteerd"), _("Regels"), _("Geboekt"), _("Teruggekomen"),
                _("Ontvangsten"), _("Niet gekoppeld")], RunsState.statements,
               lambda x: [rx.table.cell(x[k]) for k in ("ref", "type", "imported", "lines", "booked", "returned",
                                                        "income", "unmatched")], "statements-table"),
        rx.heading(_("Niet gekoppelde regels"), as_="h3", size="3", margin_top="12px"),
        _table([_("Datum"), _("Bij/af"), _("Bedrag"), _("Tegenpartij"), _("End-to-end-id"), _("Omschrijving"),
                _("Koppelen aan end-to-end-id")], RunsState.unmatched,
               lambda u: [rx.table.cell(u["date"]), rx.table.cell(u["direction"]),
                          rx.table.cell(u["amount"], white_space="nowrap"),
                          rx.table.cell(u["counterparty"], " ", rx.el.bdi(u["iban"])), rx.table.cell(u["end_to_end_id"]),
                          rx.table.cell(u["remittance"]),
                          rx.table.cell(rx.form(
                              rx.hstack(rx.el.input(type="hidden", name="line_id", value=u["id"]),
                                        rx.el.input(name="end_to_end_id", aria_label=_("End-to-end-id"),
                                                    style={"minWidth": "12em"}),
                                        rx.button(_("Koppelen"), type="submit", size="1")),
                              rx.cond(e.contains("match-" + u["id"]),
                                      rx.text(e["match-" + u["id"]], color="#b00020", role="alert", size="2")),
                              on_submit=RunsState.match_line))],
               "unmatched-table"),
        style=CARD,
    )


def runs_page() -> rx.Component:
    e = RunsState.errors
    return shell(
        rx.cond(
            RunsState.denied != "",
            rx.callout(RunsState.denied, color_scheme="red", role="alert", id="denied"),
            rx.vstack(
                rx.cond(RunsState.notice != "", rx.callout(RunsState.notice, color_scheme="green", role="status",
                                                           id="runs-notice")),
                rx.cond(e.contains("run"), rx.callout(e["run"], color_scheme="red", role="alert", id="run-error")),
                rx.card(
                    rx.heading(_("Betaalrun voorbereiden"), as_="h2", size="4"),
                    rx.form(
                        rx.hstack(
                            text_field("month", _("Maand"), e, type_="month"),
                            select_field("schema", _("SEPA-formaat"),
                                         [("pain.001.001.09", "pain.001.001.09 (standaard)"),
                                          ("pain.001.001.03", "pain.001.001.03")], e,
                                         empty="pain.001.001.09 (standaard)"),
                            rx.button(_("Voorbereiden"), type="submit", id="prepare-run"),
                            align="end", wrap="wrap",
                        ),
                        on_submit=RunsState.prepare,
                    ),
                    rx.text(_("Een collega met de rol Financiën keurt de run goed (vier-ogenprincipe). "
                              "Een goedgekeurde run kan niet worden geannuleerd; wijzigingen gaan in een correctierun."),
                            size="1"),
                    style=CARD,
                ),
                rx.table.root(
                    rx.table.header(rx.table.row(*[rx.table.column_header_cell(h) for h in (
                        _("Run"), _("Maand"), _("Status"), _("Betalingen"), _("Totaal"), _("Voorbereid door"),
                        _("Goedgekeurd door"), _("SHA-256"), "")])),
                    rx.table.body(rx.foreach(RunsState.rows, lambda r: rx.table.row(
                        rx.table.cell(r["run_id"]), rx.table.cell(r["month"]),
                        rx.table.cell(r["status_label"], rx.cond(r["problems"] != "",
                                                                 rx.text(r["problems"], size="1", color="#8a5a00"))),
                        rx.table.cell(r["payments"]), rx.table.cell(r["total"], white_space="nowrap"),
                        rx.table.cell(r["prepared_by"]),
                        rx.table.cell(r["approved_by"]),
                        rx.table.cell(rx.code(r["sha256"].to(str)[:16])),
                        rx.table.cell(rx.hstack(
                            rx.button(_("Bekijken"), size="1", variant="outline", class_name="show-run",
                                      on_click=RunsState.show(r["run_id"])),
                            rx.cond(r["may_approve"], rx.button(_("Goedkeuren…"), size="1", class_name="approve-run",
                                                                on_click=RunsState.open_approval(r["run_id"]))),
                            rx.cond(r["prepared"], rx.button(_("Annuleren"), size="1", variant="soft", color_scheme="red",
                                                             on_click=RunsState.cancel(r["run_id"]))),
                            rx.cond(r["approved"], rx.button(_("Download pain.001"), size="1", variant="soft",
                                                             class_name="download-run",
                                                             on_click=RunsState.download(r["run_id"]))),
                        )),
                    ))),
                    id="runs-table",
                ),
                rx.cond(RunsState.detail_run != "", _run_detail()),
                _approval_dialog(),
                _statements_card(),
                spacing="4",
                width="100%",
            ),
        ),
        title=_("Betaalruns"),
    )
