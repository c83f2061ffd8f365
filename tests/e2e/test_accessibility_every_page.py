"""WCAG 2.2 AA on every page, and a keyboard-only journey through the main tasks.

The pages are not listed here: they come from the URL configuration (the same walk and sample
arguments as the access matrix, ``oversight.accounts.url_samples``), so a page added tomorrow
is checked too. Each page is opened by someone its rule (``oversight.accounts.access``) lets in:
the programme manager for most, the team manager for child-level pages, nobody for the public
ones. JSON twins, downloads and form targets are not pages and are skipped (by what the
server answers, not by name). axe-core runs with the WCAG 2.0/2.1/2.2 A and AA tags, as
``test_accessibility.py`` does.

The journey uses the keyboard only (Tab, Shift+Tab, Enter, Space, typing): sign in, update an
action's status with a dated note, upload a small synthetic Annex A workbook, download a report,
and at every stop checks that the focused element shows a visible focus indicator.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User

from oversight.accounts.access import ANONYMOUS, RULES, expected_status
from oversight.accounts.url_samples import MissingSample, build_world, sample_path, url_patterns

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
PM, TM = "Programme manager", "Team manager"


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


def _who_opens(rule) -> str | None:
    """Who opens the page in the sweep: anonymous for public pages, else the PM, else the team manager."""
    if rule.post_only:
        return None
    for who in (ANONYMOUS, PM, TM):
        if expected_status(rule, who) == 200:
            return who
    return None


def test_every_page_has_no_wcag_2_2_aa_violations(browser, live_server, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.TASKS = IMMEDIATE
    world = build_world(tmp_path, PASSWORD)
    users = world["users"]
    plan = {ANONYMOUS: [], PM: [], TM: []}
    for url in url_patterns():
        if url.is_admin or url.name not in RULES:  # the matrix fails a URL without a rule
            continue
        who = _who_opens(RULES[url.name])
        if who is None:
            continue
        try:
            plan[who].append((url.name, sample_path(url, world["objects"])))
        except MissingSample as exc:
            pytest.fail(str(exc))

    # the product's own error pages and the public page that answers 403 are pages too
    rows = next(u for u in url_patterns() if u.name == "datasets:rows")
    extra = {(ANONYMOUS, "sso_refused"): 403, (PM, "error 404"): 404, (PM, "error 403"): 403}
    plan[ANONYMOUS].append(("sso_refused", "/accounts/sso-refused/"))
    plan[PM] += [("error 404", "/plan/no-such-programme/"), ("error 403", sample_path(rows, world["objects"]))]

    problems: dict[str, list[str]] = {}
    checked: list[str] = []
    for who, pages in plan.items():
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        if who != ANONYMOUS:
            sign_in(page, live_server.url, users[who].username)
        for name, path in pages:
            head = page.request.get(f"{live_server.url}{path}", max_redirects=0)
            kind = head.headers.get("content-type", "")
            want = extra.get((who, name), 200)
            if head.status != want or "text/html" not in kind or "attachment" in head.headers.get(
                    "content-disposition", ""):
                continue  # a JSON twin, a download or a redirect: not a page
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == want, f"{name} {path} as {who}: {response.status}"
            checked.append(f"{name} ({who})")
            found = violations(page)
            if found:
                problems[f"{name} {path} ({who})"] = found
        context.close()
    print(f"axe-core checked {len(checked)} pages: {', '.join(checked)}")
    assert len(checked) >= 60, f"only {len(checked)} pages were checked: {checked}"
    assert {f"{n} ({w})" for (w, n) in extra} <= set(checked), "an error page was not checked"
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
        gb_page, live_server, settings, tmp_path, screenshot):
    from openpyxl import load_workbook
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    from oversight.accounts.roles import ensure_roles
    from oversight.engine.synth import generate_annex_a
    from oversight.plans.demo import build_demo_programme
    from oversight.plans.models import Action

    settings.DATA_DIR = tmp_path / "data"
    settings.TASKS = IMMEDIATE
    ensure_roles()
    build_demo_programme()
    user = User.objects.create_user("priya", password=PASSWORD)
    user.groups.set([Group.objects.get(name=PM)])
    action = Action.objects.get(ref="3.1.3")
    workbook = tmp_path / "annex-a-tiny.xlsx"
    generate_annex_a(workbook, dt.date(2020, 1, 31), seed=7, scale=0.02)
    page = gb_page
    keys = page.keyboard

    # 1. Sign in: Tab to the fields, type, Enter.
    page.goto(f"{live_server.url}/")
    tab_to(page, field("username"))
    keys.type("priya")
    tab_to(page, field("password"))
    keys.type(PASSWORD)
    keys.press("Enter")
    page.wait_for_url("**/plan/demo/")

    # 2. Update an action: its page, the update link, status, a dated note, save.
    page.goto(f"{live_server.url}{action.get_absolute_url()}")
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
    page.wait_for_url(f"**{action.get_absolute_url()}")
    assert page.get_by_text("Policies drafted with HR; consultation starts in February.").is_visible()
    action.refresh_from_db()
    assert action.status == "in_progress"
    assert action.notes.get(text__startswith="Policies drafted").date == dt.date(2020, 1, 15)

    # 3. Upload a workbook: the file input opens the chooser from the keyboard; the as-at date is typed.
    page.goto(f"{live_server.url}/data/upload/")
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
    page.wait_for_function("() => !location.pathname.endsWith('/upload/')", timeout=120_000)
    from oversight.datasets.models import Dataset

    assert Dataset.objects.filter(as_at=dt.date(2020, 1, 31)).exists()
    screenshot(page, "keyboard-upload")

    # 4. Download a report: the reports page, Tab to the XLSX of the highlight report, Enter.
    page.goto(f"{live_server.url}/plan/demo/reports/")
    tab_to(page, lambda f: f.startswith("A|") and "xlsx" in f.lower() and "/reports/" in f)
    with page.expect_download() as download:
        keys.press("Enter")
    assert download.value.suggested_filename.endswith(".xlsx")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    wb = load_workbook(saved)  # a real workbook, read back
    assert wb.sheetnames and wb.active.max_row > 1
