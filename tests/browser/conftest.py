"""Fixtures for the browser tests: one ``flask serve`` process on loopback for the whole run,
with the community of ``world.py``, and Debian's Chromium driven by Playwright.

The tests skip, with the reason, when Chromium or Playwright is missing. Screenshots of each
step go to ``tests/browser/artefacts/<test>/`` (not committed).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import requests
from flask_migrate import upgrade

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tests.browser import world as community
from tests.support import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = HERE / "artefacts"
TIMEOUT_MS = 10_000

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page


def _missing() -> str:
    """Why the browser tests cannot run here, or "" when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: run `make install`"
    return ""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is a browser test (``-m "not browser"`` leaves them out)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember how the test went, so the people fixture can keep a picture of a failure."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    """The server under test and the community on it."""

    url: str
    world: community.World


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``flask serve`` on a free loopback port with a SQLite file made by the migrations,
    the search index kept up to date by a thread in the server (``SEARCH_WRITER=web``)."""
    if reason := _missing():
        pytest.skip(reason)
    instance = tmp_path_factory.mktemp("browser")
    database_url = f"sqlite:///{instance / 'community.db'}"
    application = create_app(TestConfig(instance, database_url))
    with application.app_context():
        upgrade()
    world = community.build(application)
    with application.app_context():
        db.session.remove()
        db.engine.dispose()

    port = _free_port()
    env = {
        **os.environ,
        "FLASK_APP": "tests.browser.server",
        "INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "COOKIE_SECURE": "0",
        "RATELIMIT_ENABLED": "0",
        "SEARCH_WRITER": "web",
        "ARGON2_MEMORY_KIB": "1024",
        "ARGON2_TIME_COST": "1",
        "QUICK_EXIT_URL": "about:blank",
    }
    for name in ("SOCKETIO_MESSAGE_QUEUE", "RATELIMIT_STORAGE_URI", "BASE_URL"):
        env.pop(name, None)
    log = instance / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "flask", "serve"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, process, log)
        yield Server(url, world)
    finally:
        process.terminate()
        process.wait(timeout=15)
        # Werkzeug logs a closed WebSocket (a page that went away) as an error; only errors
        # in our own code count.
        output = log.read_text()
        assert not re.search(r'File "[^"]*/(app|moderation|templates)/', output), output


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            if requests.get(url + "/", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise AssertionError(f"{url} did not come up:\n{log.read_text()}")
        time.sleep(0.2)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless; Playwright never downloads a browser of its own."""
    if reason := _missing():
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Trouble:
    """What went wrong in a page without it showing: dialogs, console errors, script errors."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    allowed: list[str] = field(default_factory=list)

    def allow(self, fragment: str) -> None:
        """Expect console errors containing ``fragment`` (a page answered 401 on purpose)."""
        self.allowed.append(fragment)

    def watch(self, page: Page) -> None:
        def on_dialog(dialog: Any) -> None:
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_console(message: Any) -> None:
            if message.type == "error":
                self.errors.append(f"{page.url}: {message.text}")

        page.on("dialog", on_dialog)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))

    def assert_none(self) -> None:
        assert self.dialogs == [], self.dialogs
        errors = [e for e in self.errors if not any(part in e for part in self.allowed)]
        assert errors == [], errors


class People:
    """Browser contexts, one per person, each with its own cookies and storage; every page
    they open is watched for dialogs and script errors."""

    def __init__(self, browser: Browser, server: Server, shots: Path) -> None:
        self.browser = browser
        self.server = server
        self.shots = shots
        self.trouble = Trouble()
        self.contexts: list[BrowserContext] = []
        self._step = 0

    def open(self, width: int = 1280, bypass_csp: bool = False) -> Page:
        """A new person (a fresh browser context) with one open page."""
        context = self.browser.new_context(
            base_url=self.server.url,
            viewport={"width": width, "height": 900},
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
            bypass_csp=bypass_csp,
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.on("page", self.trouble.watch)
        self.contexts.append(context)
        return context.new_page()

    def login(self, user: Any, width: int = 1280, bypass_csp: bool = False) -> Page:
        """A new person logged in as ``user`` through the login form."""
        page = self.open(width, bypass_csp)
        log_in(page, user.pseudonym)
        return page

    def shoot(self, page: Page, step: str) -> None:
        """Keep a screenshot of this step, numbered in order."""
        self._step += 1
        name = re.sub(r"[^a-z0-9]+", "-", step.lower()).strip("-")
        page.screenshot(path=str(self.shots / f"{self._step:02d}-{name}.png"), full_page=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def log_in(page: Page, pseudonym: str, password: str = PASSWORD) -> None:
    """Log in through the login form and wait for the page after it."""
    page.goto("/inloggen")
    page.get_by_label("Schuilnaam").fill(pseudonym)
    page.get_by_label("Wachtwoord").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/inloggen" not in page.url, page.locator("main").inner_text()


@pytest.fixture
def people(browser: Browser, server: Server, request: pytest.FixtureRequest) -> Iterator[People]:
    """The people of one test; their pages must end without dialogs or script errors."""
    shots = ARTEFACTS / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name).strip("-")
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    crowd = People(browser, server, shots)
    try:
        yield crowd
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            for number, context in enumerate(crowd.contexts):
                for page in context.pages:
                    crowd.shoot(page, f"failed person {number + 1}")
    finally:
        crowd.close()
    crowd.trouble.assert_none()


@pytest.fixture
def world(server: Server) -> community.World:
    return server.world


def wait_until(check: Callable[[], bool], seconds: float = 10, what: str = "") -> None:
    """Poll ``check`` until it holds (for what happens outside the page, like the index)."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting: {what}")
        time.sleep(0.2)


def axe_violations(page: Page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core (from npm, tests/browser/node_modules) on the page; return its violations
    of the given impacts, one readable line per element. The page's context needs
    ``bypass_csp``: the script is added inline, which the site's CSP rightly refuses."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is absent: run `make install` (npm ci --prefix tests/browser)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "() => axe.run(document, {resultTypes: ['violations']})"
        ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => n.target.join(' ') + ' ' + n.failureSummary)})))"
    )
    return [
        f"{violation['impact']} {violation['id']} ({violation['help']}): {node}"
        for violation in result
        if violation["impact"] in impacts
        for node in violation["nodes"]
    ]
