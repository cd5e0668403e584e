"""Budget flow: financien enters a budget, prepares a run, a colleague approves and downloads the SEPA file;
the budget coach sees finances but no health data."""

import re

from playwright.sync_api import expect


def _person_id(page, app_url, name: str) -> str:
    page.fill("#search", name)
    page.click("text=Filteren")
    page.click(f"text={name}")
    page.wait_for_url(re.compile(r".*/dossier\?id=\d+"))
    return page.url.split("id=")[1]


def test_financien_budget_run_four_eyes_and_coach_view(app_url, new_page, login):
    fin = login(new_page(), "financien")
    pid = _person_id(fin, app_url, "Yonas")
    fin.goto(f"{app_url}/budget?id={pid}")
    expect(fin.locator("#budget-title")).to_contain_text("Yonas")
    expect(fin.locator("#costs-table")).to_contain_text("Dudok Wonen")

    # Bad input: message next to the field, nothing typed is lost.
    fin.select_option("#category", "other")
    fin.fill("#label", "Inboedelverzekering")
    fin.fill("#creditor_name", "شركة")
    fin.fill("#creditor_iban", "NL00TRIO0212345678")
    fin.fill("#amount", "-12")
    fin.fill("#day_of_month", "31")
    fin.click("#add-cost")
    expect(fin.locator("#creditor_name-error")).to_contain_text("Latijnse")
    expect(fin.locator("#creditor_iban-error")).to_contain_text("geen geldig IBAN")
    expect(fin.locator("#amount-error")).to_contain_text("negatief")
    expect(fin.locator("#label")).to_have_value("Inboedelverzekering")
    fin.fill("#creditor_name", "Centraal Beheer")
    fin.fill("#creditor_iban", "NL91ABNA0417164300")
    fin.fill("#amount", "12,50")
    fin.click("#add-cost")
    expect(fin.locator("#budget-notice")).to_contain_text("Vaste last toegevoegd")
    expect(fin.locator("#day_of_month-notice")).to_contain_text("februari")
    expect(fin.locator("#month-overview")).to_contain_text("€")

    fin.goto(f"{app_url}/betaalruns")
    fin.fill("#month", "2027-01")
    fin.click("#prepare-run")
    expect(fin.locator("#runs-notice")).to_contain_text("voorbereid")
    expect(fin.locator(".approve-run")).to_have_count(0)  # the preparer cannot approve

    second = login(new_page(), "financien2")
    second.goto(f"{app_url}/betaalruns")
    second.locator(".show-run").first.click()  # the approver checks what is paid first
    expect(second.locator("#run-totals")).to_contain_text("Huur")
    expect(second.locator("#run-payments")).to_contain_text("Dudok Wonen")
    # Approving opens a confirmation with the total, the count and every warning per person.
    second.locator(".approve-run").first.click()
    expect(second.locator("#confirm-total")).to_contain_text("€")
    expect(second.locator("#confirm-count")).not_to_be_empty()
    blocking = second.locator(".run-warning.blocking")
    taken_out = blocking.count() > 0
    if taken_out:  # seeded personas below the leefgeld norm: approval is refused until taken out
        expect(second.locator("#confirm-blocking")).to_be_visible()
        expect(second.locator("#confirm-approve")).to_be_disabled()
        # Without a reason: a message next to the field, the person stays in the run.
        blocking.first.locator(".exclude-person").click()
        expect(second.locator(".reason-error").first).to_contain_text("reden")
        while second.locator(".run-warning.blocking").count():
            row = second.locator(".run-warning.blocking").first
            name = row.locator("td").first.inner_text()
            row.locator(".exclude-reason").fill("Leefgeld onder de norm; budgetcoach belt eerst")
            row.locator(".exclude-person").click()
            expect(second.locator(".run-exclusion").filter(has_text=name)).to_have_count(1)
    expect(second.locator("#confirm-approve")).to_be_enabled()
    second.click("#confirm-approve")
    expect(second.locator("#runs-notice")).to_contain_text("goedgekeurd")
    with second.expect_download() as info:
        second.locator(".download-run").first.click()
    content = open(info.value.path(), "rb").read()
    assert b"pain.001.001.09" in content and b"EP" in content

    # Preparing the same month again pays nothing twice; only the persons taken out are payable again.
    second.fill("#month", "2027-01")
    second.click("#prepare-run")
    if taken_out:
        expect(second.locator("#runs-notice")).to_contain_text("voorbereid")
        expect(second.locator("#runs-table")).to_contain_text("correctierun")
    else:
        expect(second.locator("#month-error")).to_contain_text("niets")

    coach = login(new_page(), "budgetcoach")
    coach.goto(f"{app_url}/budget?id={pid}")
    expect(coach.locator("#costs-table")).to_contain_text("Dudok Wonen")
    expect(coach.locator("body")).not_to_contain_text("Slaapt slecht")
    coach.goto(f"{app_url}/dossier?id={pid}")
    expect(coach.locator("#hidden-groups")).to_contain_text("Gezondheid")


def test_budget_pages_have_no_serious_accessibility_violations(app_url, new_page, login):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("a11y", Path(__file__).with_name("test_accessibility.py"))
    a11y = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(a11y)
    page = login(new_page(), "financien")
    for path in ("/budget?id=1", "/betaalruns"):
        page.goto(f"{app_url}{path}")
        page.wait_for_selector("main h1")
        page.wait_for_load_state("networkidle")
        violations = a11y.serious_violations(page)
        assert violations == [], f"{path}: {violations}"


def _refused(page, values: dict[str, str], submit, wrong: list[str]) -> None:
    """Fill a form with bad input and submit: a message under each wrong field, every typed value kept."""
    for key, value in values.items():
        page.fill(f"#{key}", value)
    submit.click()
    for key in wrong:
        expect(page.locator(f"#{key}-error")).to_be_visible()
    for key, value in values.items():
        expect(page.locator(f"#{key}")).to_have_value(value)


def test_budget_money_forms_say_what_is_wrong_next_to_the_field_and_keep_the_input(app_url, new_page, login):
    """Work income, an income or debt line, a deduction and an expected allowance, each with bad input:
    a message under the field, what was typed stays, nothing is saved; corrected, it is saved."""
    fin = login(new_page(), "financien")
    pid = _person_id(fin, app_url, "Rania")
    fin.goto(f"{app_url}/budget?id={pid}")
    expect(fin.locator("#budget-title")).to_contain_text("Rania")

    _refused(fin, {"work_amount": "twaalfhonderd", "work_from": "2027-13", "work_label": "Bakkerij De Korst"},
             fin.locator("#work-income-form button[type=submit]"), ["work_amount", "work_from"])
    expect(fin.locator("#budget-notice")).to_have_count(0)
    _refused(fin, {"line_amount": "-50", "line_from": "2027-01", "line_months": "twee",
                   "line_label": "Lening van een neef"},
             fin.locator("#budget-line-form button[type=submit]"), ["line_amount", "line_months"])
    expect(fin.locator("#lines-table")).not_to_contain_text("Lening van een neef")
    _refused(fin, {"deduction_label": "Inrichtingskrediet", "deduction_amount": "veel"},
             fin.get_by_role("button", name="Inhouding toevoegen"), ["deduction_amount"])
    _refused(fin, {"allowance_amount": ""}, fin.get_by_role("button", name="Toeslag toevoegen"), ["allowance_amount"])

    # Corrected: saved, and the month overview shows the wages.
    fin.fill("#work_amount", "1200,00")
    fin.fill("#work_from", "2027-01")
    fin.locator("#work-income-form button[type=submit]").click()
    expect(fin.locator("#budget-notice")).to_contain_text("Inkomsten uit werk vastgelegd")
    expect(fin.locator("#work_amount-error")).to_have_count(0)
    expect(fin.locator("#lines-table")).to_contain_text("Bakkerij De Korst")
