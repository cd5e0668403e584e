"""Hand-built example contexts for every letter type: for tests, the bench and previews.

They use the Hilversum demo organisations and the personas' shapes, so a preview looks
like a real letter without needing a database.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .contexts import (
    CostLine,
    HandBackStep,
    IntakeInvitation,
    LetterBase,
    OntzorgenDecision,
    OntzorgenEnd,
    PaymentOverview,
    PipSummary,
    PlanAction,
    PlanFull,
    PlanFullLine,
    PlanSummary,
    ProgressTalkInvitation,
    Recipient,
    SchoolEnrolment,
    Sender,
    TemporaryProtection,
)

SENDER = Sender(
    name="Gemeente Hilversum",
    address="Dudokpark 1, 1217 JE Hilversum",
    phone="14 035",
    phone_hours="ma-vr 9.00-17.00",
    email="info@gemeente-hilversum.example.nl",
    staff_name="Anouk de Vries",
)
RECIPIENT = Recipient(name="Yonas Tesfay", name_own_script="ዮናስ ተስፋይ", address="Larenseweg 12, 1221 CM Hilversum")
LETTER_DATE = date(2026, 11, 23)

COSTS = (
    CostLine("rent", "Dudok Wonen", Decimal("612.40")),
    CostLine("energy", "Vattenfall", Decimal("125.00")),
    CostLine("water", "Vitens", Decimal("21.75")),
    CostLine("health_insurance", "Zilveren Kruis", Decimal("154.95")),
)


def sample(letter_type: str, language: str = "ti_ER", recipient: Recipient = RECIPIENT, ref: str = "BR-2026-000123") -> LetterBase:
    """An example context of one letter type in one language."""
    base = dict(recipient=recipient, sender=SENDER, language=language, letter_date=LETTER_DATE, reference=ref)
    if letter_type == "intake_invitation":
        return IntakeInvitation(
            **base, at=datetime(2026, 12, 3, 10, 0), place="Gemeentehuis Hilversum, Dudokpark 1, kamer 2.14",
            partners=("Gemeente Hilversum", "VluchtelingenWerk Gooi", "Taalschool De Brug"), interpreter=True,
        )
    if letter_type == "plan_summary":
        return PlanSummary(
            **base,
            actions=(
                PlanAction("Samen inschrijven bij huisarts en tandarts", "VluchtelingenWerk Gooi", date(2026, 12, 1)),
                PlanAction("Meedoen aan de proefles", "U", date(2026, 12, 8), by_person=True),
                PlanAction("Diplomawaardering aanvragen (IDW) met de persoon", "Gemeente Hilversum", date(2027, 1, 15)),
                PlanAction("Wekelijks budgetgesprek; samen post en rekeningen openen", "Budgetcoaching Gooi", date(2026, 12, 10)),
            ),
            next_talk=date(2027, 2, 23),
        )
    if letter_type == "plan_full":
        return PlanFull(
            **{**base, "language": "nl"}, plan_status="Actief",
            lines=(
                PlanFullLine("Inburgering en taal", "Leerbaarheidstoets afnemen met tolk", "Gemeente Hilversum", "begeleid",
                             "Naar de toets komen; bij ziekte vooraf bellen", date(2026, 12, 7), "Open"),
                PlanFullLine("Inburgering en taal", "Controlemoment: lessen gestart en aanwezigheid in orde?",
                             "Taalschool De Brug", "controle", "", date(2027, 2, 1), "Open"),
                PlanFullLine("Financien", "Wekelijks budgetgesprek; samen post en rekeningen openen",
                             "Budgetcoaching Gooi", "begeleid", "", date(2026, 12, 10), "Bezig"),
            ),
        )
    if letter_type == "pip_summary":
        return PipSummary(
            **base, route="onderwijs", decision_date=date(2026, 11, 20), term_end=date(2029, 11, 20),
            school="Taalschool De Brug",
            support=("Kinderopvang op lesdagen", "Wekelijks gesprek met uw begeleider"),
            objection_before=date(2027, 1, 4),
        )
    if letter_type == "temporary_protection":
        return TemporaryProtection(**base, children=True, school="Taalschool De Brug", case_owner="Anouk de Vries")
    if letter_type == "ontzorgen_decision":
        return OntzorgenDecision(
            **base, start=date(2026, 12, 1), end=date(2027, 5, 31), costs=COSTS, objection_before=date(2027, 1, 4)
        )
    if letter_type == "payment_overview":
        return PaymentOverview(
            **base, month=date(2026, 12, 1), benefit=Decimal("1300.61"), payments=COSTS,
            leefgeld_iban="NL91ABNA0417164300", leefgeld_date=date(2026, 12, 24),
        )
    if letter_type == "school_enrolment":
        return SchoolEnrolment(
            **base, school="Taalschool De Brug", school_address="Schoolstraat 5, 1211 AB Hilversum",
            first_lesson=datetime(2027, 1, 5, 9, 0), weekdays=(0, 2, 3), hours_per_week=12,
        )
    if letter_type == "progress_talk":
        return ProgressTalkInvitation(
            **base, at=datetime(2027, 2, 23, 14, 30), place="Gemeentehuis Hilversum, Dudokpark 1",
            topics=("Hoe gaan de lessen?", "Uw geld en rekeningen"), interpreter=True,
        )
    if letter_type == "ontzorgen_end":
        return OntzorgenEnd(
            **base, end=date(2027, 8, 1),
            steps=(HandBackStep("energy", date(2027, 6, 1)), HandBackStep("rent", date(2027, 7, 1)),
                   HandBackStep("health_insurance", date(2027, 8, 1))),
            coach="Budgetcoaching Gooi, 035 111 2222",
        )
    raise KeyError(letter_type)
