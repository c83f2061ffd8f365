"""WCAG 2.2 AA on every page, and a keyboard-only journey through the main tasks.

The pages are not listed here: they come from the URL configuration of the app under test (the
same walk and sample arguments as the access matrix, ``oversight.accounts.url_samples``, run
inside the app by ``appside.every_page``), so a page added tomorrow is checked too. Each page is
opened by someone its rule (``oversight.accounts.access``) lets in: the programme manager for
most, the team manager for child-level pages, nobody for the public ones. JSON twins, downloads
and form targets are not pages and are skipped (by what the server answers, not by name).
axe-core runs with the WCAG 2.0/2.1/2.2 A and AA tags, as ``test_accessibility.py`` does.

The journey uses the keyboard only (Tab, Shift+Tab, Enter, Space, typing): sign in, update an
action's status with a dated note, upload a small synthetic Annex A workbook, download a report,
and at every stop checks that the focused element shows a visible focus indicator.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.e2e
PM = "Programme manager"
PASSWORD = "correct horse battery staple"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page, options=WCAG).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes'][:3]]}" for v in found]


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_every_page_has_no_wcag_2_2_aa_violations(browser, app):
    plan = app.call("every_page")
    if plan["missing_samples"]:
        pytest.fail("\n".join(plan["missing_samples"]))
    by_who: dict[str, list[tuple[str, str, int]]] = {}
    for who, name, path, want in plan["pages"]:
        by_who.setdefault(who, []).append((name, path, want))
    extra = {f"{name} ({who})" for who, name, path, want in plan["pages"] if want != 200}

    problems: dict[str, list[str]] = {}
    checked: list[str] = []
    for who, pages in by_who.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if plan["users"][who]:
            sign_in(page, app.url, plan["users"][who])
        for name, path, want in pages:
            # a download is made in full before it answers (the board pack: every report in every format)
            head = page.request.get(f"{app.url}{path}", max_redirects=0, timeout=180_000)
            kind = head.headers.get("content-type", "")
            if head.status != want or "text/html" not in kind or "attachment" in head.headers.get(
                    "content-disposition", ""):
                continue  # a JSON twin, a download or a redirect: not a page
            response = page.goto(f"{app.url}{path}")
            assert response.status == want, f"{name} {path} as {who}: {response.status}"
            checked.append(f"{name} ({who})")
            found = violations(page)
            if found:
                problems[f"{name} {path} ({who})"] = found
        context.close()
    print(f"axe-core checked {len(checked)} pages: {', '.join(checked)}")
    if plan["without_rule"]:
        print(f"not checked, no rule in oversight/accounts/access.py (the access matrix fails them): "
              f"{plan['without_rule']}")
    assert len(checked) >= 60, f"only {len(checked)} pages were checked: {checked}"
    assert extra <= set(checked), f"an error page was not checked: {extra - set(checked)}"
    assert problems == {}, "\n".join(f"{k}:\n  " + "\n  ".join(v) for k, v in problems.items())


# ------------------------------------------------------------------------------ keyboard only
FOCUS_VISIBLE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const ring = s.boxShadow && s.boxShadow !== 'none';
  return outline || ring;
}"""
FOCUSED = """() => { const el = document.activeElement; if (!el) return '';
  return [el.tagName, el.getAttribute('name') || '', el.getAttribute('type') || '', el.id || '',
          (el.innerText || el.value || '').trim().slice(0, 120), el.getAttribute('href') || ''].join('|'); }"""


def tab_to(page, wanted, *, limit: int = 250, back: bool = False) -> str:
    """Press Tab until the focused element matches ``wanted`` (a predicate on FOCUSED's text); check its focus ring."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focused = page.evaluate(FOCUSED)
        if wanted(focused):
            assert page.evaluate(FOCUS_VISIBLE), f"no visible focus indicator on {focused}"
            return focused
    raise AssertionError(f"Tab never reached the wanted element; last focused: {page.evaluate(FOCUSED)}")


def keyed_date(page, day: dt.date) -> str:
    """The keys that type ``day`` into a date field: chromium orders its parts by the process's own
    locale (not the page's), so ask a scratch field which order it takes."""
    probe = page.context.new_page()
    probe.set_content('<input id="a"><input type="date" id="d">')
    probe.focus("#a")
    probe.keyboard.press("Tab")
    probe.keyboard.type("01152020")
    month_first = probe.eval_on_selector("#d", "e => e.value") == "2020-01-15"
    probe.close()
    return day.strftime("%m%d%Y" if month_first else "%d%m%Y")


def field(name: str):
    return lambda f: f.split("|")[1] == name


def link(text: str):
    return lambda f: f.startswith("A|") and text.lower() in f.split("|")[4].lower()


def button(text: str):
    return lambda f: f.startswith(("BUTTON|", "INPUT|")) and text.lower() in f.lower()


@pytest.fixture
def gb_page(browser):
    """A page in a British browser (dates typed day first), as a council officer's is."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
    yield context.new_page()
    context.close()


def test_a_keyboard_user_signs_in_updates_an_action_uploads_a_workbook_and_downloads_a_report(
        gb_page, app, tmp_path, screenshot):
    from openpyxl import load_workbook
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from oversight.engine.synth import generate_annex_a

    action = app.call("demo", users={"priya": [PM]})["actions"]["3.1.3"]
    workbook = tmp_path / "annex-a-tiny.xlsx"
    generate_annex_a(workbook, dt.date(2020, 1, 31), seed=7, scale=0.02)
    page = gb_page
    keys = page.keyboard

    # 1. Sign in: Tab to the fields, type, Enter.
    page.goto(f"{app.url}/")
    tab_to(page, field("username"))
    keys.type("priya")
    tab_to(page, field("password"))
    keys.type(PASSWORD)
    keys.press("Enter")
    page.wait_for_url("**/plan/demo/")

    # 2. Update an action: its page, the update link, status, a dated note, save.
    page.goto(f"{app.url}{action}")
    tab_to(page, link("Update status"))
    keys.press("Enter")
    page.wait_for_url("**/edit/")
    tab_to(page, field("status"))
    keys.type("In progress")  # a focused select takes the option typed
    assert page.eval_on_selector("select[name=status]", "s => s.value") == "in_progress"
    tab_to(page, field("note_date"))
    keys.type(keyed_date(page, dt.date(2020, 1, 15)))  # the parts of the date, as a person types them
    tab_to(page, field("note"))
    keys.type("Policies drafted with HR; consultation starts in February.")
    tab_to(page, button("Save update"))
    keys.press("Enter")
    page.wait_for_url(f"**{action}")
    assert page.get_by_text("Policies drafted with HR; consultation starts in February.").is_visible()
    saved = app.call("action", ref="3.1.3")
    assert saved["status"] == "in_progress"
    assert [n["date"] for n in saved["notes"] if n["text"].startswith("Policies drafted")] == ["2020-01-15"]

    # 3. Upload a workbook: the file input opens the chooser from the keyboard; the as-at date is typed.
    page.goto(f"{app.url}/data/upload/")
    tab_to(page, field("file"))
    chooser = None
    for key in ("Space", "Enter", "Space"):  # either key opens a focused file input's chooser
        try:
            with page.expect_file_chooser(timeout=10_000) as opened:
                keys.press(key)
            chooser = opened.value
            break
        except PlaywrightTimeout:
            assert page.evaluate(FOCUSED).split("|")[1] == "file", "focus left the file input"
    assert chooser is not None, "the file input never opened its chooser from the keyboard"
    chooser.set_files(str(workbook))
    tab_to(page, field("as_at"))
    keys.type(keyed_date(page, dt.date(2020, 1, 31)))
    tab_to(page, button("Upload"))
    keys.press("Enter")
    # the check runs as a job (in the request on the live server, in the worker when installed)
    page.wait_for_url("**/data/2020-01-31*/", timeout=120_000)
    assert "2020-01-31" in [d["as_at"] for d in app.call("datasets")]
    screenshot(page, "keyboard-upload")

    # 4. Download a report: the reports page, Tab to the XLSX of the highlight report, Enter.
    page.goto(f"{app.url}/plan/demo/reports/")
    tab_to(page, lambda f: f.startswith("A|") and "xlsx" in f.lower() and "/reports/" in f)
    with page.expect_download() as download:
        keys.press("Enter")
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    wb = load_workbook(saved)  # a real workbook, read back
    assert wb.sheetnames and wb.active.max_row > 1
