"""End to end: the real server on a loopback port, driven by headless Chromium.

Needs Debian's chromium (`apt-get install chromium chromium-driver`) and the `playwright`
package (the `test` extra); Playwright drives the system browser, it never downloads one.
Without Chromium on PATH (or at COMMISSIONING_CHROMIUM) the tests are skipped with the
install line; in CI (CI set, as `.ci/run` does) they fail instead, so CI cannot pass them
silently. Run only these: `python -m pytest -m browser`; leave them out: `-m "not browser"`.
Set COMMISSIONING_SCREENSHOT=docs/img/web.png to also save the README screenshot, and
COMMISSIONING_FORM_SCREENSHOTS=docs/img for the two of the form's Word options
(web-split-options.png, web-report-option.png).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import decision_reports
import docx
import pytest
from conftest import require_tool

from commissioning.cli import serve as serve_cli

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "provider_returns" / "westminster_holiday_activities_2024q2.xlsx"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    # The same server `commissioning serve` starts, on a free loopback port.
    server = serve_cli._make_server("127.0.0.1", 0, 20, False)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    chromium = require_tool("chromium")
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=chromium,
            headless=True,
            args=LAUNCH_ARGS,
            accept_downloads=True,
            viewport={"width": 1100, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    page = browser.new_page()
    page.set_default_timeout(30_000)
    try:
        yield page
    finally:
        page.close()


def _fill_form(page: Any, return_file: Path) -> None:
    page.get_by_label("Local authority", exact=True).select_option("Westminster")
    page.get_by_label("Service name", exact=True).fill("Holiday Activities and Food")
    page.get_by_label("Provider (optional)", exact=True).fill("Westminster Play Partnership")
    page.get_by_label("Period the return covers (optional)", exact=True).fill("2024-25 Q2")
    page.get_by_label("Comparator population", exact=True).select_option("fsm")
    page.get_by_label("Provider return", exact=True).set_input_files(str(return_file))


def test_upload_shows_findings_and_downloads_the_word_section(
    page: Any, base_url: str, tmp_path: Path
) -> None:
    page.goto(base_url + "/")
    _fill_form(page, EXAMPLE)
    page.get_by_role("button", name="Check the return and show the findings").click()

    page.get_by_role("heading", level=1, name="Findings for Holiday Activities and Food").wait_for()
    table = page.locator("table.findings")
    groups = table.locator("tbody th[scope=row]").all_inner_texts()
    assert groups[:5] == ["Asian", "Black", "Mixed", "White", "Other"]
    assert page.locator("figure img.chart").get_attribute("alt")
    assert "People counted: 412." in page.locator(".check-report").inner_text()
    frame = page.frame_locator("iframe.section-frame")
    frame.get_by_role("heading", name="Disproportionality Implications").wait_for()

    shot = os.environ.get("COMMISSIONING_SCREENSHOT")
    if shot:
        page.set_viewport_size({"width": 1100, "height": 1250})
        page.screenshot(path=shot, full_page=False)

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the Word section (.docx)").click()
    download = info.value
    assert download.suggested_filename == "westminster_holiday_activities_2024q2_section.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(str(saved))
    document = docx.Document(str(saved))
    texts = [p.text for p in document.paragraphs]
    assert "Disproportionality Implications" in texts
    assert any("Holiday Activities and Food" in t for t in texts)


def test_keyboard_reaches_skip_link_first_and_every_field_has_a_label(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to main content"
    for label in (
        "Local authority",
        "Service name",
        "Provider (optional)",
        "Period the return covers (optional)",
        "Comparator population",
        "Ages to compare with (optional)",
        "Provider return",
        "Sheet name (optional)",
        "Date for working out ages from dates of birth (optional)",
        "Returns for earlier periods (optional)",
        "By sex",
        "By age band",
        "Also compare by sex",
        "Also compare by age band",
        "Decision report to put the section into (optional)",
        "Section number (optional)",
    ):
        assert page.get_by_label(label, exact=True).count() == 1, label


def test_a_file_that_is_not_a_return_gets_a_plain_error_page(
    page: Any, base_url: str, tmp_path: Path
) -> None:
    bogus = tmp_path / "notes.xlsx"
    bogus.write_bytes(b"this is not a spreadsheet at all\n" * 20)
    page.goto(base_url + "/")
    _fill_form(page, bogus)
    page.get_by_role("button", name="Check the return and show the findings").click()
    page.get_by_role("heading", level=1, name="There is a problem").wait_for()
    body = page.locator("main").inner_text()
    assert "Traceback" not in body
    assert "Error code 422." in body


def test_a_decision_report_comes_back_numbered_9_with_the_section_split_by_sex(
    page: Any, base_url: str, tmp_path: Path
) -> None:
    report = decision_reports.typed(tmp_path / "Cabinet report.docx")
    page.goto(base_url + "/")
    _fill_form(page, EXAMPLE)
    page.get_by_label("Comparator population", exact=True).select_option("census2011")
    page.get_by_label("Ages to compare with (optional)", exact=True).fill("0-17")
    page.get_by_label("By sex", exact=True).check()
    page.get_by_label("Decision report to put the section into (optional)",
                      exact=True).set_input_files(str(report))
    page.get_by_label("Section number (optional)", exact=True).fill("9")

    shots = os.environ.get("COMMISSIONING_FORM_SCREENSHOTS")
    if shots:
        _screenshot_between(page, f"{shots}/web-split-options.png",
                            "legend:has-text('What to compare with')",
                            "fieldset:has(#characteristic-sex)")
        _screenshot_between(page, f"{shots}/web-report-option.png",
                            "legend:has-text('Your decision report')", ".actions.secondary")

    with page.expect_download() as info:
        page.get_by_role("button", name="Your decision report with the section (.docx)").click()
    download = info.value
    assert download.suggested_filename == "Cabinet_report with Disproportionality Implications.docx"
    saved = tmp_path / "downloaded.docx"
    download.save_as(str(saved))
    texts = [p.text for p in docx.Document(str(saved)).paragraphs]
    title = texts.index("9. Disproportionality Implications")
    assert texts[title - 1] == "6.1\tText of section 6."
    assert "By sex" in texts[title:]
    assert texts.index("10. Carbon Impact") > texts.index("9.1 Summary") > title


def _screenshot_between(page: Any, path: str, top: str, bottom: str) -> None:
    """A screenshot of the page from the top of one element to the bottom of another."""
    page.set_viewport_size({"width": 1100, "height": 900})
    page.evaluate("window.scrollTo(0, 0)")  # boxes are measured from the top of the page
    first = page.locator(top).first.bounding_box()
    last = page.locator(bottom).first.bounding_box()
    clip = {"x": 0, "y": first["y"] - 16, "width": 1100,
            "height": last["y"] + last["height"] - first["y"] + 32}
    page.screenshot(path=path, full_page=True, clip=clip)
