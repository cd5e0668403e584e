"""Chain dashboard: the gemeente sees lights (colour and text) and trend charts; a red light lists its cases."""

import re
import time

from playwright.sync_api import expect


def test_dashboard_lights_chart_and_drill_down_from_a_red_light(new_page, login, app_url):
    page = login(new_page(), "coordinator")
    start = time.perf_counter()
    page.goto(f"{app_url}/dashboard")
    # Rania moved in May and has no agreed plan yet: the only moved person, so the light is red.
    light = page.locator("#light-active_plan")
    expect(light).to_contain_text("Rood", timeout=30_000)
    print(f"first numbers after {1000 * (time.perf_counter() - start):.0f} ms")
    expect(light).to_have_attribute("data-light", "red")
    expect(page.locator("#light-permit_koppeling")).to_be_visible()
    assert page.locator(".kpi-card").count() >= 10
    expect(page.locator(".trend-chart .recharts-wrapper").first).to_be_visible()
    expect(page.locator("#per-organisation")).to_contain_text("Gemeente Hilversum")

    page.click("#drill-active_plan")
    cases = page.locator("#drill-cases")
    expect(cases).to_contain_text("Rania")
    expect(cases).not_to_contain_text("Zarghuna")  # not moved in: not behind this light
    cases.get_by_role("link", name=re.compile("Rania")).click()
    page.wait_for_url(re.compile(r".*/dossier\?id=\d+"))


def test_filters_keep_bad_input_with_a_message(new_page, login, app_url):
    page = login(new_page(), "regisseur")
    page.goto(f"{app_url}/dashboard")
    expect(page.locator("#light-active_plan")).to_be_visible(timeout=30_000)
    page.fill("#country", "Syrië")
    page.click("#apply-filters")
    expect(page.locator("#country-error")).to_contain_text("twee letters")
    expect(page.locator("#country")).to_have_value("Syrië")


def test_a_partner_sees_only_its_own_part(new_page, login, app_url):
    page = login(new_page(), "vwn")
    page.goto(f"{app_url}/dashboard")
    expect(page.locator("#light-overdue_actions")).to_be_visible(timeout=30_000)
    expect(page.locator("#light-leefgeld_below_minimum")).to_have_count(0)  # no finances for VluchtelingenWerk
