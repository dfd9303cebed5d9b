"""What every page in the browser tests is held to: axe finds no WCAG 2.2 AA violation, and the
Content-Security-Policy blocked nothing (no inline script or style, nothing from elsewhere).
Open every browser context with `new_context`, so the policy's violations are listened for."""

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
}
# Runs in every page before its own scripts: the browser reports each thing the policy blocks.
LISTEN_FOR_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline code"} ` +
    `in ${event.sourceFile || event.documentURI}:${event.lineNumber}`
  );
});
"""


def new_context(browser, **options):
    context = browser.new_context(**options)
    context.add_init_script(LISTEN_FOR_CSP_VIOLATIONS)
    return context


def assert_no_csp_violations(page):
    violations = page.evaluate("window.cspViolations")
    assert violations is not None, "open the browser context with tests.e2e.checks.new_context"
    assert violations == [], violations


def assert_accessible(page):
    assert_no_csp_violations(page)
    results = Axe().run(page, options=WCAG_22_AA)
    assert results.violations_count == 0, results.generate_report()
