"""The privacy officer's Toegangslog: filters in the URL, a message next to a wrong field, CSV export."""

from __future__ import annotations

from playwright.sync_api import expect


def test_privacy_officer_filters_pages_and_exports_the_audit_log(login, new_page, app_url):
    page = login(new_page(), "privacy", then="/toegangslog")
    expect(page.locator("#range-top")).to_contain_text("Regel 1-50 van ")
    page.click("#next-page-top")
    page.wait_for_url("**/toegangslog?pagina=2")
    expect(page.locator("#range-top")).to_contain_text("Regel 51-")
    assert page.locator(".audit-row").count() > 0

    page.fill("#person", "12a")  # a wrong dossier number: the message next to it, the other fields kept
    page.fill("#user", "Visser")
    page.click("#filter")
    expect(page.locator("#person-error")).to_contain_text("alleen cijfers")
    expect(page.locator("#user")).to_have_value("Visser")

    page.fill("#person", "")
    page.select_option("#kind", "read")
    page.click("#filter")
    page.wait_for_url("**/toegangslog?user=Visser&kind=read")
    rows = page.locator(".audit-row")
    expect(rows.first).to_contain_text("toegangslog bekeken")
    page.reload()  # the filter is in the URL
    expect(page.locator("#user")).to_have_value("Visser")
    expect(page.locator("#kind")).to_have_value("read")

    with page.expect_download() as download:
        page.click("#download-csv")
    data = open(download.value.path(), encoding="utf-8").read()
    assert data.splitlines()[0] == "id;at;user_name;organisation;role;person_id;action;what;why"
    assert "toegangslog bekeken" in data


def test_a_regisseur_gets_no_audit_log(login, new_page, app_url):
    page = login(new_page(), "regisseur")
    expect(page.locator("nav a[href='/toegangslog']")).to_have_count(0)
    page.goto(f"{app_url}/toegangslog")
    expect(page.locator("#denied")).to_be_visible()
