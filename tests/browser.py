"""The `browser` fixture of the browser tests: Debian's Chromium driven by Playwright."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test are
# still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu"],
        )
        yield browser
        browser.close()


def screenshot(page, name):
    """Keep a full-page screenshot of this step when SCREENSHOT_DIR is set."""
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


AXE_SCRIPT = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WIDER_THAN_CONTAINER = (Path(__file__).parent / "axe" / "wider_than_container.js").read_text()


def watch_console(page):
    """The list that collects every console error and uncaught exception of `page`."""
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(f"{error.name}: {error.message}"))
    return errors


def with_axe(page):
    """Load axe-core (tests/axe, installed by `make install`) in every document of `page`.

    As an init script: the Content Security Policy refuses an injected <script> and eval."""
    assert AXE_SCRIPT.exists(), f"{AXE_SCRIPT} is missing: run `make install`"
    page.add_init_script(path=str(AXE_SCRIPT))
    return page


def axe_violations(page, impacts=("critical", "serious")):
    """axe-core's violations of these impacts on the current page: « rule: target » lines."""
    results = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                             "best-practice"]},
        })"""
    )
    return [
        f"{violation['id']} ({violation['impact']}): {node['target']} {violation['help']}"
        for violation in results["violations"]
        if violation["impact"] in impacts
        for node in violation["nodes"]
    ]


def wider_than_container(page):
    """Every element wider than its container (or the page wider than the window), but inside
    a region that scrolls on purpose: focusable and named, as the tables' containers."""
    return page.evaluate(WIDER_THAN_CONTAINER)
