import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# between browser steps are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _one_request_at_a_time():
    """The live server's threads share one database connection (an in-memory SQLite test
    database can have no other), and a page asked for at the same time as another request
    (its favicon) once left a thread waiting on that connection for ever (CI hung). Served
    in turn by the server's own thread, requests never share it; Django closes each
    connection after its response on such a server, so the browser never waits on one."""
    from django.core.servers.basehttp import WSGIServer
    from django.test.testcases import LiveServerThread

    class OneAtATime(WSGIServer):
        def __init__(self, *args, connections_override=None, **kwargs):
            super().__init__(*args, **kwargs)

    LiveServerThread.server_class = OneAtATime


_one_request_at_a_time()
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
    "--mute-audio",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(f"E2E_REQUIRED is set but there is no browser at {CHROMIUM}")
        pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def open_context(browser, live_server):
    """New browser contexts (separate cookie jars), each recording CSP violations."""
    contexts, violations = [], []

    def make(width=1280, height=900, language=None, scripts=True):
        context = browser.new_context(
            viewport={"width": width, "height": height},
            locale="fr-FR",
            java_script_enabled=scripts,
        )
        if language:
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
        context.set_default_timeout(10_000)
        context.on(
            "console",
            lambda message: (
                violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()
    assert violations == [], violations


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.COMMENT_MIN_SECONDS = 1


# Where the journeys leave their screenshots for people to look at (not in git), when
# E2E_SCREENSHOTS names a folder or is 1 (.screenshots/): ./dev shots. Without it the
# journeys run as they do, and take none (a whole page at two widths costs a second).
_SHOTS = os.environ.get("E2E_SCREENSHOTS", "")
SCREENSHOTS = Path(
    _SHOTS if _SHOTS not in ("", "1") else Path(__file__).resolve().parents[2] / ".screenshots"
)


@pytest.fixture
def screenshot():
    """shoot(page, name): the whole page at 360 and at 1280 px wide, as NAME-360.png and
    NAME-1280.png in SCREENSHOTS; the page keeps its own width after."""

    def shoot(page, name):
        if not _SHOTS:
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        size = page.viewport_size
        for width, height in ((360, 780), (1280, 900)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
        page.set_viewport_size(size)

    return shoot


AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_source():
    """axe-core's script (npm, tests/e2e/package.json; ./dev test installs it)."""
    if not AXE.exists():
        if os.environ.get("E2E_REQUIRED"):
            pytest.fail(
                f"E2E_REQUIRED is set but axe-core is missing: npm ci --prefix {AXE.parents[2]}"
            )
        pytest.skip("axe-core is not installed (npm ci --prefix tests/e2e)")
    return AXE.read_text()


# The handbook's pictures (docs/images/handbook/), made by the journeys when
# HANDBOOK_SHOTS is set (./dev handbook); otherwise nothing is written.
HANDBOOK_IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images" / "handbook"


@pytest.fixture
def handbook_shot():
    """shoot(page, name): what the window shows at 1280 × 800 (or `size`), as NAME.jpg for the
    handbook; with `show`, a locator, scrolled to it first."""

    def shoot(page, name, size=(1280, 800), show=None):
        if not os.environ.get("HANDBOOK_SHOTS"):
            return
        HANDBOOK_IMAGES.mkdir(parents=True, exist_ok=True)
        before = page.viewport_size
        page.set_viewport_size({"width": size[0], "height": size[1]})
        if show is not None:
            show.evaluate("element => element.scrollIntoView({block: 'start'})")
        page.screenshot(path=HANDBOOK_IMAGES / f"{name}.jpg", type="jpeg", quality=70)
        page.set_viewport_size(before)

    return shoot
