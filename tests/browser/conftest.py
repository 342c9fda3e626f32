"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: the tests launch /usr/bin/chromium
(``apt-get install -y chromium``; ``.ci/run`` installs it). Without it they
fail with a message saying how to install it.

Every test starts from the seed catalogue (the ``seed`` fixture of tests/conftest.py)
on a database that is flushed after the test, because the live server runs in another
thread and cannot share a test transaction.
``serialized_rollback`` restores what the migrations created (the Editors
group) before each test, so the flush does not leak into later tests.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django
# would refuse ORM calls from it (fixtures, assertions on saved rows).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("ADVISOR_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium; never a browser Playwright would download."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM}: apt-get install -y chromium (.ci/run does).",
            pytrace=False,
        )
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB"}


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if SCREENSHOTS.is_dir() and any(SCREENSHOTS.iterdir()):
        terminalreporter.write_line(f"Browser screenshots: {SCREENSHOTS}")


@pytest.fixture
def result_code(seed):
    """A saved result for a complete set of answers, as the questionnaire would save it."""
    from advisor import services
    from tests.conftest import complete_answers

    return services.recommendation_create(answers=complete_answers()).code


class Problems:
    """Console errors, uncaught exceptions, CSP violations and failed requests of watched pages."""

    # The page reports CSP violations itself: Chromium's console message is not always emitted.
    INIT_SCRIPT = """
      document.addEventListener("securitypolicyviolation", function (event) {
        window.__advisorReport("CSP violation: " + event.violatedDirective + " blocked " +
          (event.blockedURI || "inline code") + " in " + event.sourceFile + ":" + event.lineNumber);
      });
    """

    def __init__(self):
        self.items = []
        self.expected_statuses = {}

    def expect_status(self, url, status):
        """A page that is meant to answer with an error status (the 404 page, a rejected form)."""
        self.expected_statuses[url] = status

    def watch(self, page):
        page.expose_function("__advisorReport", lambda text: self.items.append(f"{page.url}: {text}"))
        page.add_init_script(self.INIT_SCRIPT)
        page.on("console", lambda message: self._console(page, message))
        page.on("pageerror", lambda error: self.items.append(f"{page.url}: uncaught {error}"))
        page.on("requestfailed", lambda request: self._failed(request))
        page.on("response", self._response)
        return page

    def _console(self, page, message):
        if message.type != "error":
            return
        # Chromium logs a console error for a document that answers 4xx; expected for the 404 page.
        if message.text.startswith("Failed to load resource") and (
            self.expected_statuses.get(message.location.get("url")) is not None
        ):
            return
        self.items.append(f"{page.url}: console error: {message.text} ({message.location.get('url')})")

    def _failed(self, request):
        # Moving on to the next page cancels what the last one still loads (its
        # favicon, say); that is not a failure. Error statuses are caught as responses.
        if request.failure == "net::ERR_ABORTED":
            return
        self.items.append(f"request failed: {request.method} {request.url}: {request.failure}")

    def _response(self, response):
        if response.status < 400:
            return
        if self.expected_statuses.get(response.url) == response.status:
            return
        self.items.append(f"HTTP {response.status}: {response.request.method} {response.url}")

    def __str__(self):
        return "\n".join(self.items) or "none"


@pytest.fixture
def problems():
    return Problems()


@pytest.fixture
def page(page, problems):
    """pytest-playwright's page, watched for console errors, CSP violations and failed requests."""
    return problems.watch(page)


def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
