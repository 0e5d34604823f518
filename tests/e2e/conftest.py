"""Real-browser tests: a Streamlit server on a free local port, driven by Playwright in Debian's
headless Chromium (Playwright's own browser download cannot work on these machines).

Following Streamlit's own end-to-end suite: start ``streamlit run --server.headless true``,
poll ``/_stcore/health``, and wait for ``[data-testid='stApp'][data-test-script-state='notRunning']``.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Debian's chromium is not installed: run `make test` (it installs it) or "
                    "`apt-get install chromium`.")
    return path


def start_server(port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.2)
        if proc.poll() is not None:
            raise RuntimeError(proc.stdout.read().decode(errors="replace"))
    proc.kill()
    raise RuntimeError("the Streamlit server did not answer /_stcore/health within 60 s")


@pytest.fixture(scope="session")
def server_url():
    port = _free_port()
    proc = start_server(port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=_chromium(), headless=True,
                                     args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the script run has finished (Streamlit marks the app element)."""
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']",
                           timeout=timeout)


def goto(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid='stApp']")
    wait_idle(page)


# ----- shared by the page-level browser tests ----------------------------------------------------
SHOTS = ROOT / "docs" / "screenshots"
WIDTH = 960  # pixels of a saved README picture (taken at 1280)
MAX_BYTES = 300_000
LOCALES = {"en": "en-US", "ko": "ko-KR"}
GRID_CELLS = """(key) => Array.from(document.querySelectorAll(
    `.st-key-${key} [data-testid='stDataFrame'] table [role=gridcell]`)).map(c => c.textContent)"""
"""The cells of the dataframe inside the element keyed ``key``: the grid draws on a canvas;
its accessible table holds the cells it has drawn."""


def settle(page, ms: int = 600, then: int = 300) -> None:
    """Wait out a rerun, and the rerun it may start (a callback, a redraw) ``then`` ms later."""
    page.wait_for_timeout(ms)
    wait_idle(page, timeout=120_000)
    page.wait_for_timeout(then)
    wait_idle(page, timeout=120_000)


def nav(page, name: str) -> None:
    """Switch page inside the same session (a new URL would start a new session)."""
    page.click(f"[data-testid='stSidebarNav'] a[href$='/{name}']")
    settle(page)


def press(page, key: str, ms: int = 500) -> None:
    """Click the button with Streamlit key ``key`` and wait out the run it starts."""
    page.click(f".st-key-{key} button")
    settle(page, ms)


def train(page) -> None:
    """Click Train and wait for the training and the rerun after it to finish (the rerun that
    redraws the buttons may start a moment later)."""
    page.click(".st-key-train button")
    settle(page, 500, then=500)


def set_number(page, key: str, value: str) -> None:
    """Type ``value`` into the field with Streamlit key ``key``, press Enter, wait the rerun."""
    field = page.locator(f".st-key-{key} input")
    field.fill(value)
    field.press("Enter")
    settle(page)


def what_if(page, value: str) -> None:
    """On Results: open What if, give the chosen cell the rating ``value``, retrain, and wait
    until the predictions that moved most are outlined."""
    page.click(".st-key-whatif summary")
    settle(page)
    set_number(page, "whatif_value", value)
    page.click(".st-key-whatif_retrain button")
    settle(page, 1500)
    page.wait_for_selector(".st-key-whatif_moved")


def open_picker(page, key: str):
    """Open the selectbox with ``key`` and return its options (scrolled into view first: a
    click that scrolls the page closes the list again)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    picker = page.locator(f".st-key-{key}")
    picker.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    for _ in range(3):
        picker.locator("button[aria-haspopup='listbox']").click()
        try:
            page.wait_for_selector("[role='option']", timeout=3000)
            break
        except PlaywrightTimeout:
            continue
    return page.locator("[role='option']")


def run_options(page) -> list[str]:
    """The runs of this session, as Compare's delete picker lists them ([] when none)."""
    nav(page, "compare")
    if page.locator(".st-key-delete_run").count() == 0:
        return []
    options = open_picker(page, "delete_run").all_inner_texts()
    page.keyboard.press("Escape")
    return options


def assert_no_exception(page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert "Traceback" not in page.inner_text("body")


@pytest.fixture
def new_page(browser, server_url, request):
    """Make pages in browsers of a given language (``en-US`` unless asked), size and default
    timeout; ``page.open(path)`` opens the app's ``path``. Each page is photographed into
    ARTIFACTS and closed at the end of the test."""
    contexts = []

    def make(locale: str = "en-US", width: int = 1280, height: int = 1000,
             timeout: float = 60_000):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      locale=locale, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(timeout)
        page.open = lambda path="": goto(page, f"{server_url}/{path}")
        return page

    yield make
    for number, context in enumerate(contexts):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for k, page in enumerate(context.pages):
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}_{number}_{k}.png"),
                            full_page=True)
        context.close()


@pytest.fixture
def page(new_page):
    """A page in a Korean browser (the course's language), 1280 x 900."""
    return new_page("ko-KR", height=900, timeout=30_000)


@pytest.fixture
def en(new_page):
    """A page in an English browser, 1280 x 900."""
    return new_page("en-US", height=900, timeout=30_000)


def shot(page) -> bytes:
    page.mouse.move(5, 5)  # no hover highlight on the pictures ...
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(300)  # ... nor the tooltip of the button clicked last
    return page.screenshot()


def save(png: bytes, name: str) -> Path:
    """Scale to WIDTH, reduce to a palette, write docs/screenshots/<name>."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    height = round(image.height * WIDTH / image.width)
    small = image.resize((WIDTH, height), Image.LANCZOS).quantize(colors=256, dither=0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / name
    small.save(path, optimize=True)
    return path


def top_of(page, selector: str, above: int = 0) -> None:
    """Scroll so that ``selector`` is at the top of the window, ``above`` pixels lower."""
    page.eval_on_selector(selector, """(el, above) => { el.scrollIntoView({block: 'start'});
        let box = el.parentElement;
        while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
        if (box) box.scrollBy(0, -above); }""", above)
    page.wait_for_timeout(400)


def type_and_choose(page, key: str, typed: str, attempts: int = 4) -> None:
    """Pick the option whose words contain ``typed`` in the multiselect ``key``, as a person
    does with the keyboard: type into its field, arrow down to that option, Enter, close the list.

    Not a pointer click on the option: Streamlit's list (react-aria) matches loosely, so several
    options show, and under a loaded machine a click kept finding its option re-drawn ("element
    was detached from the DOM", CI 2026-12-01). And typed again when a late rerun re-drew the
    field and emptied it before the list showed (CI 2026-12-02): a person would type again too."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    field = page.locator(f".st-key-{key} input")
    option = page.locator(f"[role='option']:has-text('{typed}')").first
    for _attempt in range(attempts):
        field.click()
        field.fill(typed)
        try:
            option.wait_for(timeout=5_000)
            wanted = option.get_attribute("id", timeout=5_000)
            for _ in range(page.locator("[role='option']").count()):
                if field.get_attribute("aria-activedescendant", timeout=5_000) == wanted:
                    break
                page.keyboard.press("ArrowDown")
            if field.get_attribute("aria-activedescendant", timeout=5_000) == wanted:
                page.keyboard.press("Enter")
                settle(page)
                page.keyboard.press("Escape")
                if typed in page.inner_text(f".st-key-{key}"):  # its chip is there
                    return
        except PlaywrightTimeout:
            pass
        page.keyboard.press("Escape")
        settle(page)  # whatever re-drew the field, let it finish, then type again
    raise AssertionError(f"could not choose the option with {typed!r} in {key!r}")
