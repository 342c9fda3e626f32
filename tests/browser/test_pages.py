"""Every public page type in Chromium: accessibility (axe-core, WCAG 2.1 AA), phones, console.

One test per check walks all page types, so the seed catalogue is loaded once
per check rather than once per page.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import DESKTOP, PHONE, screenshot_dir

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

MODEL = "olmo-2-32b"
LICENCE = "apache-2.0"
COMPARED = ["gpt-5", "llama-3.3-70b", "olmo-2-32b"]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# axe files these under best practices (moderate impact), but headings in order,
# one h1 and one main landmark are part of what we promise; any break fails.
STRUCTURE_RULES = ["heading-order", "page-has-heading-one", "landmark-one-main", "landmark-unique"]


def public_pages(result_code):
    """(name, path, expected status) for every public page type."""
    return [
        ("home", "/", 200),
        ("questionnaire", "/questionnaire/", 200),
        ("questionnaire-preset", "/questionnaire/?preset=startups", 200),
        ("result", f"/r/{result_code}/", 200),
        ("models", "/models/", 200),
        ("model", f"/models/{MODEL}/", 200),
        ("report", f"/models/{MODEL}/report/", 200),
        ("licences", "/licenses/", 200),
        ("licence", f"/licenses/{LICENCE}/", 200),
        ("criteria", "/criteria/", 200),
        ("compare-empty", "/compare/", 200),
        ("compare", "/compare/?" + "&".join(f"m={slug}" for slug in COMPARED), 200),
        ("reevaluate", f"/r/{result_code}/reevaluate/", 200),
        ("404", "/no-such-page/", 404),
    ]


def visit(page, live_server, path, status, problems=None):
    url = live_server.url + path
    if problems is not None and status != 200:
        problems.expect_status(url, status)
    response = page.goto(url)
    assert response.status == status, f"{path}: HTTP {response.status}"
    return response


def open_all_details(page):
    """Folded sections count too: axe skips what is hidden."""
    page.evaluate("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")


def serious_violations(page):
    """WCAG 2.1 A/AA violations of serious or critical impact, plus any break of the page structure rules."""
    axe = Axe()
    wcag = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]})
    structure = axe.run(page, options={"runOnly": {"type": "rule", "values": STRUCTURE_RULES}})
    found = []
    violations = wcag.response["violations"] + structure.response["violations"]
    for violation in violations:
        if violation["impact"] not in {"serious", "critical"} and violation["id"] not in STRUCTURE_RULES:
            continue
        nodes = "\n".join(
            f"      {', '.join(map(str, node['target']))}: {node.get('failureSummary', '').replace(chr(10), ' ')}"
            for node in violation["nodes"][:5]
        )
        more = len(violation["nodes"]) - 5
        found.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})\n{nodes}"
            + (f"\n      … and {more} more" if more > 0 else "")
        )
    return found


def charts_without_text(page):
    """Every SVG is either decoration hidden from assistive technology or an image with a text alternative."""
    unnamed = page.evaluate(
        """() => Array.from(document.querySelectorAll('svg'))
          .filter(function (svg) { return !svg.closest('[aria-hidden=true]'); })
          .filter(function (svg) {
            var title = svg.querySelector(':scope > title');
            var named = svg.getAttribute('aria-label') || svg.getAttribute('aria-labelledby') ||
              (title && title.textContent.trim());
            return svg.getAttribute('role') !== 'img' || !named;
          })
          .map(function (svg) { return svg.outerHTML.slice(0, 120); })"""
    )
    return [f"  chart without a text alternative: {html}" for html in unnamed]


def test_every_public_page_passes_axe_wcag21_aa(page, live_server, result_code):
    report = []
    for name, path, status in public_pages(result_code):
        visit(page, live_server, path, status)
        open_all_details(page)
        violations = serious_violations(page) + charts_without_text(page)
        if violations:
            report.append(f"{name} ({path}):\n" + "\n".join(violations))
    assert not report, "Serious or critical WCAG 2.1 AA violations:\n" + "\n".join(report)


def test_the_questionnaire_with_errors_passes_axe(page, live_server, seed):
    page.goto(live_server.url + "/questionnaire/")
    page.get_by_role("checkbox", name="Text").uncheck()
    page.get_by_role("button", name="Get my recommendation").click()
    page.wait_for_load_state()
    assert page.get_by_text("Some answers need your attention").is_visible()
    violations = serious_violations(page)
    assert not violations, "Serious or critical WCAG 2.1 AA violations:\n" + "\n".join(violations)


def test_no_page_scrolls_sideways_on_a_phone_and_tables_stay_readable(page, live_server, result_code):
    page.set_viewport_size(PHONE)
    report = []
    for name, path, status in public_pages(result_code):
        visit(page, live_server, path, status)
        open_all_details(page)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            wide = page.evaluate(
                r"""() => Array.from(document.querySelectorAll('body *'))
                  .filter(function (el) { return el.getBoundingClientRect().right > window.innerWidth + 1; })
                  .filter(function (el) { return !el.closest('.table-responsive'); })
                  .slice(0, 5)
                  .map(function (el) {
                    var classes = typeof el.className === 'string' && el.className ? el.className : '';
                    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                      (classes ? '.' + classes.trim().split(/\s+/).join('.') : '');
                  })"""
            )
            report.append(f"{name}: page is {widths[0]}px wide in a {widths[1]}px viewport; too wide: {wide}")
        # A table wider than the screen scrolls inside its own box, and its text is not shrunk.
        tables = page.evaluate(
            """() => Array.from(document.querySelectorAll('table')).map(function (table) {
                 var box = table.parentElement;
                 var scrolls = false;
                 for (var el = table.parentElement; el && el !== document.body; el = el.parentElement) {
                   var overflow = getComputedStyle(el).overflowX;
                   if (overflow === 'auto' || overflow === 'scroll') { scrolls = true; break; }
                 }
                 var cell = table.querySelector('td, th');
                 return {
                   caption: (table.caption && table.caption.textContent.trim()) || table.className,
                   fits: table.getBoundingClientRect().width <= box.clientWidth + 1,
                   scrolls: scrolls,
                   fontSize: cell ? parseFloat(getComputedStyle(cell).fontSize) : 16,
                 };
               })"""
        )
        for table in tables:
            if not (table["fits"] or table["scrolls"]):
                report.append(f"{name}: table “{table['caption']}” is wider than the screen and does not scroll")
            if table["fontSize"] < 12:
                report.append(f"{name}: table “{table['caption']}” uses {table['fontSize']}px text")
    assert not report, "\n".join(report)


def test_no_console_errors_csp_violations_or_failed_requests(page, live_server, result_code, problems):
    for _name, path, status in public_pages(result_code):
        # goto() returns once the page and its CSS, JS and images have loaded.
        visit(page, live_server, path, status, problems)
    assert not problems.items, f"Problems in the browser:\n{problems}"


def test_screenshots_of_home_questionnaire_and_result_on_phone_and_desktop(page, live_server, result_code):
    folder = screenshot_dir()
    pages = [("home", "/"), ("questionnaire", "/questionnaire/"), ("result", f"/r/{result_code}/")]
    for size, viewport in (("375", PHONE), ("1280", DESKTOP)):
        page.set_viewport_size(viewport)
        for name, path in pages:
            page.goto(live_server.url + path)
            target = folder / f"{name}-{size}.png"
            page.screenshot(path=str(target), full_page=True)
            assert target.stat().st_size > 10_000, target
            # The first screen only, as the README shows it (docs/screenshots/).
            screen = folder / f"{name}-{size}-screen.png"
            page.screenshot(path=str(screen))
    print(f"Screenshots written to {folder}")
