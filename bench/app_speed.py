"""``python -m bench.app_speed``: the app's own speed, measured in a real headless browser
(issue 4).

Rerun::

    python -m bench.app_speed              # the full run (~4 min), writes BENCHMARKS.md
    python -m bench.app_speed --quick      # fewer repeats (~1.5 min)
    python -m bench.app_speed --no-write   # print only; --out FILE writes another file

``make bench`` runs it after ``python -m bench``. It starts its own servers on free local
ports (``streamlit run app.py``, as ``bench/load.py`` does) and drives Debian's ``chromium``
through Playwright, one browser, a fresh context (a new Streamlit session, cold browser cache)
for every measured run, locale en-US and ``?lang=en``. Times are taken inside the page
(``performance.now()``): the Train click is the click event itself, and "drawn" is the first
animation frame in which the chart or text is in the page, so Playwright's own round trips are
not counted. The figures, each repeated (median and worst reported):

1. **First page**: from ``Popen`` of the server as ``make run`` starts it (``python serve.py``:
   ``streamlit run app.py`` with its imports warmed in the background) to the Train page drawn in the browser
   (its title and both its charts, the loss chart and the heatmap). A new server each time:
   Python's imports and the first script run are part of it. Target ≤ 3 s.
   **1d. A new visitor**: the same page on a server already running (started, then opened
   once, uncounted), as a student opens a class's link or an analyst a colleague's app: from
   the browser's ``goto`` to the page drawn, a new session each time, taking turns with the
   bare page on its own running server; the ratio of the two medians. Target ≤ 1.2.
2. **First loss point**: MovieLens latest-small (610 x 9,724, opened with ``?sample=movielens``
   as a shared link does) with the MF settings the Train page suggests: from the Train click to
   the first point on the loss chart. Target ≤ 1 s.
3. **Course matrix done**: the lecture preset (course matrix, MF, 100 epochs): from the Train
   click to the heatmap beside the loss chart showing epoch 100 (its figure's
   ``layout.meta.epoch``). Target ≤ 2 s.
4. **MovieLens done**: the run of figure 2, from the Train click to the success message.
   Target ≤ 10 s.
5. **Live chart's share**: MovieLens default MF but ``SHARE_EPOCHS`` (50) epochs, a run of a
   few seconds (the default run is well under a second, so its difference would be about
   one chart, not a share of training), on the usual server and on a second one started with
   ``RECSYS_DRAW_WHILE_TRAINING=0`` (the training loop then draws nothing but the progress
   bar, ``ui/training.py``); share = (time with drawing - time without) / time with drawing,
   from the medians of click-to-done (the browser's milliseconds) and, beside it, of the
   app's own training seconds (the success message's "in N s", to 0.1 s only). Runs on the
   two servers alternate. Target ≤ 10 %.
6. **Results**: after a MovieLens run, the sidebar link to Results (navigation within the
   session, which keeps the run): until the page is drawn (every chart on it), then each view
   of its heatmap (observed, predicted, residual, completed: the page has no tabs). Target
   < 3 s each. "Freeze": the longest main-thread block (``PerformanceObserver`` 'longtask')
   while the page and its views were drawn; the bench counts a block of 1 s or more as a
   freeze.

Before the measured runs each server trains the lecture preset once, uncounted (the first
training in a fresh server process imports and warms torch's optimiser); that cold run's
click-to-heatmap is reported beside the table. For each phase the CPU seconds of the server
process tree and of the browser are recorded too: they say where the time went when a target
is not met. The machine (``bench/machine.py``) and the load average before and after are
written with the table: other work on the 2 cores slows the browser and the server alike.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

from . import machine
from .load import (
    CHARTS_DRAWN,
    ROOT,
    free_port,
    idle,
    launch_chromium,
    spawn_server,
    splice,
    start_server,
    stop_server,
    tree_cpu_seconds,
    wait_healthy,
)
from .report import APP_SPEED_END, APP_SPEED_MARKER

HEADING = "## The app's own speed, in a real browser"
DRAW_SWITCH = "RECSYS_DRAW_WHILE_TRAINING"
TIMEOUT_MS = 120_000
FREEZE_S = 1.0  # a main-thread block this long or longer counts as a freeze
TARGETS = {"first_page": 3.0, "first_page_ratio": 1.2, "visitor_ratio": 1.2, "first_point": 1.0,
           "course_done": 2.0, "movielens_done": 10.0, "chart_share": 0.10, "results_page": 1.0,
           "results": 3.0, "compare": 3.0}
FLOOR_APP = "bench/bare_app.py"  # the floor of figure 1: a bare page with two plotly charts
REPEATS = {"first_page": 5, "course": 5, "movielens": 3, "share": 3}
QUICK_REPEATS = {"first_page": 2, "course": 2, "movielens": 1, "share": 1}
SHARE_EPOCHS = 50  # figure 5's run: long enough that the share is of training, not one chart
VIEWS = ("observed", "predicted", "residual", "completed")  # app_pages/results.py's order

# In every page: long tasks, the last click, and watchers that note the first animation frame
# in which a condition holds (window.__speed.marks[name] = performance.now()).
INSTRUMENT = """
window.__speed = {longtasks: [], marks: {}, click: null};
try {
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) window.__speed.longtasks.push([e.startTime, e.duration]);
  }).observe({type: 'longtask', buffered: true});
} catch (e) {}
document.addEventListener('click', () => { window.__speed.click = performance.now(); }, true);
window.__watch = (name, test) => {
  delete window.__speed.marks[name];
  const tick = () => {
    let ok = false;
    try { ok = test(); } catch (e) {}
    if (ok) window.__speed.marks[name] = performance.now(); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};
"""
PLOT = "document.querySelector('{} .js-plotly-plot')"
HAS_POINTS = ("() => {{ const el = " + PLOT.format(".st-key-loss_chart") + "; return !!el && "
              "!!el.querySelector('.main-svg') && (el._fullData || []).some("
              "t => (t._length || (t.x || []).length) > 0); }}")
HEATMAP_AT = ("() => {{ const el = " + PLOT.format(".st-key-live_heatmap") + "; return !!el && "
              "!!el.querySelector('.main-svg') && ((el.layout || {{}}).meta || {{}}).epoch === "
              "{epochs}; }}")
# the run's end: the success message "…: finished, N epoch(s) in S s." (not any other success)
SUCCESS = ("() => [...document.querySelectorAll(\"[data-testid='stAlertContentSuccess']\")]"
           ".some(el => / epoch\\(s\\) in [0-9.]+ s/.test(el.innerText))")
TITLE_AND_CHARTS = ("() => !!document.querySelector('h1') && (" + CHARTS_DRAWN + ")()")
IDLE_JS = ("() => !!document.querySelector(\"[data-testid='stApp']"
           "[data-test-script-state='notRunning']\")")
# Results drawn: the script is done, the heatmap is there and every chart on the page is drawn
# (on a large matrix the factor, map and predicted-vs-actual charts wait in closed panels)
RESULTS_DRAWN = ("() => (" + IDLE_JS + ")() && !!document.querySelector('h1') && "
                 "!!document.querySelector('.st-key-heatmap .js-plotly-plot') && "
                 "[...document.querySelectorAll('.js-plotly-plot')].every("
                 "el => el.querySelector('.main-svg'))")
# a heatmap view drawn: the figure under .st-key-heatmap is a new one (Streamlit replaces a
# chart whose figure changed) or has new data, it is drawn, and the script run is over
VIEW_DRAWN = ("() => { const el = " + PLOT.format(".st-key-heatmap") + "; return !!el && "
              "(el !== window.__oldHeat || el.data !== window.__oldHeatData) && "
              "!!el.querySelector('.main-svg') && (" + IDLE_JS + ")(); }")
# Compare drawn: the script is done, the runs' table and both side-by-side heatmaps are there
COMPARE_DRAWN = ("() => (" + IDLE_JS + ")() && "
                 "!!document.querySelector(\"[data-testid='stDataFrame']\") && "
                 "[...document.querySelectorAll('.js-plotly-plot')].filter("
                 "el => el.querySelector('.main-svg')).length >= 2")
SECONDS = re.compile(r" epoch\(s\) in ([0-9.]+) s")


# ----- the browser side --------------------------------------------------------------------------
class Page:
    """One fresh browser context and page (a new Streamlit session), instrumented."""

    def __init__(self, browser):
        self.browser, self.context, self.page = browser, None, None

    async def __aenter__(self) -> Page:
        self.context = await self.browser.new_context(
            locale="en-US", reduced_motion="reduce", viewport={"width": 1280, "height": 900})
        await self.context.add_init_script(INSTRUMENT)
        self.page = await self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        return self

    async def __aexit__(self, *exc) -> None:
        await self.context.close()

    async def open(self, url: str) -> None:
        await self.page.goto(url, timeout=TIMEOUT_MS)
        await idle(self.page, TIMEOUT_MS)
        await self.page.wait_for_function(TITLE_AND_CHARTS, timeout=TIMEOUT_MS, polling=50)

    async def watch(self, name: str, test: str) -> None:
        await self.page.evaluate(f"() => window.__watch({json.dumps(name)}, {test})")

    async def wait_mark(self, name: str) -> float:
        await self.page.wait_for_function(f"() => window.__speed.marks[{json.dumps(name)}]",
                                          timeout=TIMEOUT_MS, polling=50)
        return await self.page.evaluate(f"() => window.__speed.marks[{json.dumps(name)}]")

    async def now(self) -> float:
        return await self.page.evaluate("() => performance.now()")

    async def click_time(self) -> float:
        return await self.page.evaluate("() => window.__speed.click")

    async def longest_block(self, start: float, end: float) -> float:
        """Seconds of the longest main-thread task that overlapped [start, end] (page ms)."""
        tasks = await self.page.evaluate("() => window.__speed.longtasks")
        inside = [d for s, d in tasks if s < end and s + d > start]
        return max(inside, default=0.0) / 1000

    async def check(self) -> None:
        if await self.page.locator("[data-testid='stException']").count():
            raise RuntimeError("the page shows an exception: "
                               + (await self.page.locator("[data-testid='stException']")
                                  .first.inner_text())[:300])


class Cpu:
    """CPU seconds of the server tree and of the browser between ``start()`` and ``stop()``."""

    def __init__(self, server_pid: int | None):
        self.server_pid, self.me = server_pid, os.getpid()

    def _now(self) -> tuple[float, float]:
        server = tree_cpu_seconds(self.server_pid) if self.server_pid else 0.0
        return server, tree_cpu_seconds(self.me, only="chromium")

    def start(self) -> None:
        self._start = self._now()

    def stop(self) -> dict:
        end = self._now()
        return {"server_cpu_s": round(end[0] - self._start[0], 2),
                "browser_cpu_s": round(end[1] - self._start[1], 2)}


def spawn_floor(port: int) -> subprocess.Popen:
    """The bare page (``bench/bare_app.py``) on ``port``, started as ``streamlit run`` starts
    any script, with the same server options as the app's."""
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / FLOOR_APP), "--server.headless",
         "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


async def open_new_server(browser, floor: bool, root: Path = ROOT) -> dict:
    """One run of figure 1: a new server (the app, or the bare page when ``floor``), from
    ``Popen`` to its page drawn (title and both charts); ``root``: another checkout's app."""
    port = free_port()
    async with Page(browser) as p:
        started = time.perf_counter()
        proc = spawn_floor(port) if floor else spawn_server(port, root=root)
        try:
            wait_healthy(proc, port, every=0.02)
            healthy = time.perf_counter()
            cpu = Cpu(proc.pid)
            cpu.start()
            await p.open(f"http://127.0.0.1:{port}/" if floor else
                         f"http://127.0.0.1:{port}/train?lang=en")
            drawn = time.perf_counter()
            await p.check()
            return {"seconds": drawn - started, "server_ready_s": healthy - started,
                    "page_s": drawn - healthy, **cpu.stop()}
        finally:
            stop_server(proc)


async def first_page(browser, repeats: int) -> tuple[list[dict], list[dict]]:
    """Figure 1 and its floor, taking turns (so both meet the same load): the app's Train
    page and the bare page, a new server each time."""
    app, floor = [], []
    for _ in range(repeats):
        floor.append(await open_new_server(browser, floor=True))
        app.append(await open_new_server(browser, floor=False))
    return app, floor


async def new_visitors(browser, repeats: int) -> tuple[list[dict], list[dict]]:
    """Figure 1d and its floor: the app's Train page and the bare page, each on a server
    already running and opened once (uncounted: that first visit is figure 1's), then opened
    by new sessions in turns, from ``goto`` to drawn."""
    servers = {}
    try:
        for floor in (False, True):
            port = free_port()
            proc = spawn_floor(port) if floor else spawn_server(port)
            wait_healthy(proc, port, every=0.02)
            servers[floor] = (proc, f"http://127.0.0.1:{port}/" if floor else
                              f"http://127.0.0.1:{port}/train?lang=en")
        for floor in (False, True):  # the servers' first visits: imports, the first script run
            async with Page(browser) as p:
                await p.open(servers[floor][1])
        app, bare = [], []
        for _ in range(repeats):
            for floor, rows in ((True, bare), (False, app)):
                proc, url = servers[floor]
                async with Page(browser) as p:
                    cpu = Cpu(proc.pid)
                    cpu.start()
                    started = time.perf_counter()
                    await p.open(url)
                    rows.append({"seconds": time.perf_counter() - started, **cpu.stop()})
                    await p.check()
        return app, bare
    finally:
        for proc, _ in servers.values():
            stop_server(proc)


async def course_run(browser, url: str, server_pid: int | None) -> dict:
    """Figure 3: the lecture preset, Train click to the heatmap at epoch 100."""
    async with Page(browser) as p:
        await p.open(f"{url}/train?lang=en")
        await p.page.click(".st-key-preset_lecture-mf button")
        await p.page.wait_for_function(
            "() => document.querySelector('.st-key-tc-mf-epochs input')?.value === '100'",
            timeout=TIMEOUT_MS, polling=50)
        await idle(p.page, TIMEOUT_MS)
        await p.watch("heatmap", HEATMAP_AT.format(epochs=100))
        await p.watch("done", SUCCESS)
        cpu = Cpu(server_pid)
        cpu.start()
        await p.page.click(".st-key-train button")
        heat = await p.wait_mark("heatmap")
        done = await p.wait_mark("done")
        click = await p.click_time()
        await idle(p.page, TIMEOUT_MS)
        await p.check()
        return {"seconds": (heat - click) / 1000, "success_s": (done - click) / 1000,
                **cpu.stop()}


async def movielens_run(browser, url: str, server_pid: int | None, draws: bool,
                        results: bool, epochs: int | None = None) -> dict:
    """Figures 2 and 4 (and 6 when ``results``): MovieLens latest-small, default MF; figure
    5 with ``epochs`` instead of the default's."""
    more = f"&epochs={epochs}" if epochs else ""
    async with Page(browser) as p:
        await p.open(f"{url}/train?lang=en&sample=movielens&model=mf{more}")
        text = await p.page.locator("[data-testid='stMain']").inner_text()
        if "610" not in text and "MovieLens" not in text:
            raise RuntimeError("the MovieLens sample is not loaded")
        if draws:
            await p.watch("point", HAS_POINTS)
        await p.watch("done", SUCCESS)
        cpu = Cpu(server_pid)
        cpu.start()
        await p.page.click(".st-key-train button")
        done = await p.wait_mark("done")
        click = await p.click_time()
        row = {"done_s": (done - click) / 1000, "draws": draws}
        if draws:
            row["first_point_s"] = (await p.wait_mark("point") - click) / 1000
        messages = await p.page.locator("[data-testid='stAlertContentSuccess']").all_inner_texts()
        found = next((m for m in map(SECONDS.search, messages) if m), None)
        row["app_seconds"] = float(found.group(1)) if found else None
        row["longest_block_s"] = await p.longest_block(click, done)
        await idle(p.page, TIMEOUT_MS)
        row.update(cpu.stop())
        await p.check()
        if results:
            row["results"] = await results_views(p, server_pid)
            row["compare"] = await compare_two_runs(p, server_pid)
        return row


async def results_views(p: Page, server_pid: int | None) -> dict:
    """Figure 6: Results opened from the sidebar (the same session), then each heatmap view."""
    out = {"page": await open_from_sidebar(p, server_pid, "results", RESULTS_DRAWN)}
    cpu = Cpu(server_pid)
    buttons = p.page.locator(".st-key-heatmap_view button")
    labels = [s.strip().lower() for s in await buttons.all_inner_texts()]
    for view in VIEWS:
        index = next((k for k, label in enumerate(labels) if view in label), None)
        if index is None:
            raise RuntimeError(f"no {view!r} view button among {labels}")
        await p.page.evaluate("() => { const el = " + PLOT.format(".st-key-heatmap") + "; "
                              "window.__oldHeat = el; window.__oldHeatData = el && el.data; }")
        cpu.start()
        await buttons.nth(index).click()
        await p.page.wait_for_function(VIEW_DRAWN, timeout=TIMEOUT_MS, polling=50)
        end = await p.now()
        click = await p.click_time()
        await p.check()
        out[view] = {"seconds": (end - click) / 1000,
                     "longest_block_s": await p.longest_block(click, end), **cpu.stop()}
    return out


async def compare_two_runs(p: Page, server_pid: int | None) -> dict:
    """Figure 7: back on Train, a second run (the baseline, a few seconds) on the same data,
    then Compare opened from the sidebar until drawn (its table and both runs' heatmaps)."""
    await p.page.click("[data-testid='stSidebarNav'] a[href$='/train']")
    await idle(p.page, TIMEOUT_MS)
    await p.page.click(".st-key-model input[role='combobox']")
    await p.page.click("[role='option']:has-text('Baseline')")
    await idle(p.page, TIMEOUT_MS)
    await p.watch("done", SUCCESS)
    await p.page.click(".st-key-train button")
    await p.wait_mark("done")
    await idle(p.page, TIMEOUT_MS)
    return await open_from_sidebar(p, server_pid, "compare", COMPARE_DRAWN)


async def open_from_sidebar(p: Page, server_pid: int | None, path: str, drawn: str) -> dict:
    """The sidebar's link to ``/path`` clicked until ``drawn`` holds: seconds, the longest
    main-thread block, and the CPU of the server and the browser meanwhile."""
    cpu = Cpu(server_pid)
    cpu.start()
    start = await p.now()
    await p.page.click(f"[data-testid='stSidebarNav'] a[href$='/{path}']")
    await p.page.wait_for_function(drawn, timeout=TIMEOUT_MS, polling=50)
    end = await p.now()
    await p.check()
    return {"seconds": (end - start) / 1000, "longest_block_s": await p.longest_block(start, end),
            **cpu.stop()}


async def drive(repeats: dict) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {}
    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        try:
            out["first_page"], out["floor_page"] = await first_page(browser,
                                                                    repeats["first_page"])
            out["visitor_page"], out["visitor_floor"] = await new_visitors(
                browser, repeats["first_page"])
            servers = {}
            try:
                for draws in (True, False):
                    port = free_port()
                    proc = start_server(port, env=None if draws else {DRAW_SWITCH: "0"})
                    servers[draws] = (f"http://127.0.0.1:{port}", proc)
                on_url, on = servers[True]
                for draws in (False, True):  # warm-up, not counted
                    url, proc = servers[draws]
                    out["cold_course"] = await course_run(browser, url, proc.pid)
                out["course"] = [await course_run(browser, on_url, on.pid)
                                 for _ in range(repeats["course"])]
                out["movielens"] = []
                for _k in range(repeats["movielens"]):
                    for draws in (True, False):
                        url, proc = servers[draws]
                        out["movielens"].append(
                            await movielens_run(browser, url, proc.pid, draws, results=draws))
                out["share"] = []
                for _k in range(repeats["share"]):
                    for draws in (True, False):
                        url, proc = servers[draws]
                        out["share"].append(await movielens_run(
                            browser, url, proc.pid, draws, results=False, epochs=SHARE_EPOCHS))
            finally:
                for _, proc in servers.values():
                    stop_server(proc)
        finally:
            await browser.close()
    return out


# ----- the figures -------------------------------------------------------------------------------
def _stats(values: list[float | None]) -> dict:
    known = [v for v in values if v is not None]
    if not known:
        return {"median": None, "worst": None, "n": 0}
    return {"median": statistics.median(known), "worst": max(known), "n": len(known)}


def med(rows: list[dict], key: str) -> float | None:
    """The median of ``key`` over raw runs (None when no run measured it)."""
    return _stats([r.get(key) for r in rows])["median"]


def _ratio(app: dict, floor: dict) -> dict:
    return {"median": app["median"] / floor["median"] if app["median"] and floor["median"]
            else None}


def summarise(raw: dict) -> dict:
    on = [r for r in raw["movielens"] if r["draws"]]
    off = [r for r in raw["movielens"] if not r["draws"]]
    figures = {
        "first_page": _stats([r["seconds"] for r in raw["first_page"]]),
        "floor_page": _stats([r["seconds"] for r in raw.get("floor_page", [])]),
        "first_point": _stats([r["first_point_s"] for r in on]),
        "course_done": _stats([r["seconds"] for r in raw["course"]]),
        "movielens_done": _stats([r["done_s"] for r in on]),
    }
    long_on = [r for r in raw.get("share", []) if r["draws"]] or on
    long_off = [r for r in raw.get("share", []) if not r["draws"]] or off
    app_on = _stats([r["app_seconds"] for r in long_on])
    app_off = _stats([r["app_seconds"] for r in long_off])
    done_on, done_off = _stats([r["done_s"] for r in long_on]), _stats([r["done_s"] for r in long_off])
    def share(a, b):
        return (None if not a["median"] or b["median"] is None
                 else (a["median"] - b["median"]) / a["median"])
    figures["chart_share"] = {"median": share(done_on, done_off), "by_app_seconds":
                              share(app_on, app_off), "app_seconds_on": app_on,
                              "app_seconds_off": app_off, "done_on": done_on,
                              "done_off": done_off, "n": min(app_on["n"], app_off["n"])}
    figures["first_page_ratio"] = _ratio(figures["first_page"], figures["floor_page"])
    figures["visitor_page"] = _stats([r["seconds"] for r in raw.get("visitor_page", [])])
    figures["visitor_floor"] = _stats([r["seconds"] for r in raw.get("visitor_floor", [])])
    figures["visitor_ratio"] = _ratio(figures["visitor_page"], figures["visitor_floor"])
    compare = [r["compare"] for r in on if "compare" in r]
    figures["compare"] = {**_stats([c["seconds"] for c in compare]),
                          "longest_block_s": max((c["longest_block_s"] for c in compare),
                                                 default=None),
                          "server_cpu_s": _stats([c["server_cpu_s"] for c in compare])["median"],
                          "browser_cpu_s": _stats([c["browser_cpu_s"] for c in compare])["median"]}
    results = [r["results"] for r in on if "results" in r]
    for view in ("page", *VIEWS):
        figures[f"results_{view}"] = {
            **_stats([r[view]["seconds"] for r in results]),
            "longest_block_s": max((r[view]["longest_block_s"] for r in results), default=None),
            "server_cpu_s": _stats([r[view]["server_cpu_s"] for r in results])["median"],
            "browser_cpu_s": _stats([r[view]["browser_cpu_s"] for r in results])["median"]}
    return figures


def first_page_gap(raw: dict) -> dict | None:
    """Where the first page's seconds beyond the floor's went, from one run's medians (None
    when a part was not measured). The three parts add up to the whole gap (about: medians of
    differences are not differences of medians):

    - ``start``: the server answering later (Streamlit starts while ``serve.py``'s warm-up
      thread imports torch, pandas and plotly beside it, under one interpreter lock);
    - ``page``: the page itself, as a new visitor on a running server sees it (the imports
      paid), against the floor's new visitor;
    - ``imports``: the rest of the page's time, the first script run waiting for imports.

    ``to_cut`` is how much shorter the first page must be for figure 1c's target."""
    first, floor = raw["first_page"], raw.get("floor_page", [])
    parts = [med(first, "seconds"), med(floor, "seconds"), med(first, "server_ready_s"),
             med(floor, "server_ready_s"), med(first, "page_s"), med(floor, "page_s"),
             med(raw.get("visitor_page", []), "seconds"),
             med(raw.get("visitor_floor", []), "seconds")]
    if None in parts:
        return None
    app_s, floor_s, app_ready, floor_ready, app_page, floor_page, visitor, visitor_floor = parts
    page = visitor - visitor_floor
    return {"gap": app_s - floor_s, "start": app_ready - floor_ready, "page": page,
            "imports": (app_page - floor_page) - page,
            "to_cut": app_s - TARGETS["first_page_ratio"] * floor_s}


def gap_sentence(gap: dict) -> str:
    """Figure 1c's gap in words, and which of its parts alone could close it."""
    imports = gap["start"] + gap["imports"]
    enough = [name for name, part in (("the imports' share", imports),
                                      ("the page's own share", gap["page"]))
              if part >= gap["to_cut"]]
    verdict = (f"removing {' or '.join(enough)} at best would reach it" if enough else
               "neither share alone reaches it: it takes both, as the line above says")
    return (f"Where the first page's {_s(gap['gap'])} s beyond the floor's went (medians of "
            f"this run): the server answered {_s(gap['start'])} s later (Streamlit starts while "
            f"`serve.py` imports torch beside it), the page itself costs {_s(gap['page'])} s "
            f"more (1d. - 1e.: imports paid) and its first script run waited "
            f"{_s(gap['imports'])} s for the imports. The target needs the first page "
            f"{_s(gap['to_cut'])} s shorter: {verdict}.")


def verdicts(figures: dict) -> dict[str, bool | None]:
    def le(name, target):
        median = figures[name]["median"]
        return None if median is None else median <= target

    out = {name: le(name, TARGETS[name]) for name in
           ("first_page", "first_page_ratio", "visitor_ratio", "first_point", "course_done",
            "movielens_done",
            "chart_share")}
    for view in ("page", *VIEWS):
        f = figures[f"results_{view}"]
        target = TARGETS["results_page" if view == "page" else "results"]
        out[f"results_{view}"] = (None if f["median"] is None else
                                  f["median"] <= target and
                                  (f["longest_block_s"] or 0) < FREEZE_S)
    f = figures["compare"]
    out["compare"] = (None if f["median"] is None else
                      f["median"] <= TARGETS["compare"] and (f["longest_block_s"] or 0) < FREEZE_S)
    return out


# ----- BENCHMARKS.md -----------------------------------------------------------------------------
def _s(value, digits=2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pct(value) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def _verdict(ok) -> str:
    return "not measured" if ok is None else ("**met**" if ok else "**NOT met**")


def section(raw: dict, figures: dict, info: dict, command: str) -> str:
    ok = verdicts(figures)
    cpu_of = lambda rows, key="server_cpu_s": _s(_stats([r.get(key) for r in rows])["median"], 1)  # noqa: E731
    on = [r for r in raw["movielens"] if r["draws"]]
    fp = raw["first_page"]
    share = figures["chart_share"]
    lines = [
        APP_SPEED_MARKER,
        f"Generated by `bench/app_speed.py`: `{command}` (its docstring says what each figure "
        "is). Headless Chromium (Debian's) through Playwright, a fresh browser context (a new "
        "Streamlit session) for every run, against servers this script starts on the same "
        "machine; times are read inside the page (`performance.now()`, from the click event to "
        "the first animation frame with the result in it).", "",
        f"- Machine: {info['cpu']}, {info['cores']} cores, RAM {info['ram_gib']} GiB; "
        f"{info['os']}; Python {info['python']}; {info['date']}. The browser runs on the same "
        "cores as the server.",
        f"- Load average (1, 5, 15 min) before: {info['load_before']}; after: "
        f"{info['load_after']}.", "",
        "| figure | target | median | worst | runs | server CPU s | browser CPU s | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
        f"| 1. Server start (`Popen`) → Train page drawn (title, loss chart, heatmap) | ≤ 3 s "
        f"| {_s(figures['first_page']['median'])} | {_s(figures['first_page']['worst'])} "
        f"| {figures['first_page']['n']} | {cpu_of(fp)} | {cpu_of(fp, 'browser_cpu_s')} "
        f"| {_verdict(ok['first_page'])} |",
        f"| 1b. The floor: a bare Streamlit page with two plotly charts (`{FLOOR_APP}`), "
        f"started and timed the same way, taking turns with 1. | | "
        f"{_s(figures['floor_page']['median'])} | {_s(figures['floor_page']['worst'])} "
        f"| {figures['floor_page']['n']} | {cpu_of(raw.get('floor_page', []))} "
        f"| {cpu_of(raw.get('floor_page', []), 'browser_cpu_s')} | |",
        f"| 1c. First page ÷ the floor (medians of 1. and 1b.) | ≤ 1.2 "
        f"| {_s(figures['first_page_ratio']['median'])} | | | | "
        f"| {_verdict(ok['first_page_ratio'])} |",
        f"| 1d. A new visitor on a running server (`goto` → Train page drawn; its first "
        f"visit uncounted) | | {_s(figures['visitor_page']['median'])} "
        f"| {_s(figures['visitor_page']['worst'])} | {figures['visitor_page']['n']} "
        f"| {cpu_of(raw.get('visitor_page', []))} "
        f"| {cpu_of(raw.get('visitor_page', []), 'browser_cpu_s')} | |",
        f"| 1e. The floor's new visitor: the bare page on its running server, taking turns "
        f"with 1d. | | {_s(figures['visitor_floor']['median'])} "
        f"| {_s(figures['visitor_floor']['worst'])} | {figures['visitor_floor']['n']} "
        f"| {cpu_of(raw.get('visitor_floor', []))} "
        f"| {cpu_of(raw.get('visitor_floor', []), 'browser_cpu_s')} | |",
        f"| 1f. A new visitor's page ÷ the floor's (medians of 1d. and 1e.) | ≤ 1.2 "
        f"| {_s(figures['visitor_ratio']['median'])} | | | | "
        f"| {_verdict(ok['visitor_ratio'])} |",
        f"| 2. MovieLens latest-small, default MF: Train click → first loss point | ≤ 1 s "
        f"| {_s(figures['first_point']['median'])} | {_s(figures['first_point']['worst'])} "
        f"| {figures['first_point']['n']} | | | {_verdict(ok['first_point'])} |",
        f"| 3. Course matrix MF, 100 epochs (lecture preset): Train click → heatmap at epoch 100 "
        f"| ≤ 2 s | {_s(figures['course_done']['median'])} | "
        f"{_s(figures['course_done']['worst'])} | {figures['course_done']['n']} "
        f"| {cpu_of(raw['course'])} | {cpu_of(raw['course'], 'browser_cpu_s')} "
        f"| {_verdict(ok['course_done'])} |",
        f"| 4. MovieLens latest-small, default MF: Train click → finished (success message) "
        f"| ≤ 10 s | {_s(figures['movielens_done']['median'])} | "
        f"{_s(figures['movielens_done']['worst'])} | {figures['movielens_done']['n']} "
        f"| {cpu_of(on)} | {cpu_of(on, 'browser_cpu_s')} | {_verdict(ok['movielens_done'])} |",
        f"| 5. Live chart's share of training time (4.'s run with {SHARE_EPOCHS} epochs, with "
        f"and without drawing, click → finished) | ≤ 10 % | {_pct(share['median'])} | "
        f"| {share['n']} + {share['n']} | | "
        f"| {_verdict(ok['chart_share'])} |",
    ]
    for view in ("page", *VIEWS):
        f = figures[f"results_{view}"]
        what = ("Results page, opened from the sidebar after 4.: drawn with every chart"
                if view == "page" else f"Results heatmap view '{view}': click → drawn")
        lines.append(
            f"| 6. {what} (longest main-thread block {_s(f['longest_block_s'])} s) "
            f"| {'≤ 1 s' if view == 'page' else '≤ 3 s'} "
            f"| {_s(f['median'])} | {_s(f['worst'])} | {f['n']} | {_s(f['server_cpu_s'], 1)} "
            f"| {_s(f['browser_cpu_s'], 1)} | {_verdict(ok[f'results_{view}'])} |")
    f = figures["compare"]
    lines.append(
        f"| 7. Compare with two MovieLens runs (4.'s MF and the baseline), opened from the "
        f"sidebar: drawn, its table and both heatmaps (longest main-thread block "
        f"{_s(f['longest_block_s'])} s) | ≤ 3 s | {_s(f['median'])} | {_s(f['worst'])} "
        f"| {f['n']} | {_s(f['server_cpu_s'], 1)} | {_s(f['browser_cpu_s'], 1)} "
        f"| {_verdict(ok['compare'])} |")
    cold = raw.get("cold_course") or {}
    lines += [
        "",
        "Details:", "",
        f"- 1.: of which the server's start until `/_stcore/health` answers: median "
        f"{_s(_stats([r['server_ready_s'] for r in fp])['median'])} s; the page from then on: "
        f"median {_s(_stats([r['page_s'] for r in fp])['median'])} s. A new server every run; "
        "the operating system's file cache is warm after the first.",
        f"- 3.: the success message came {_s(_stats([r['success_s'] for r in raw['course']])['median'])} s "
        f"after the click (median). The uncounted first training of a fresh server (the "
        f"warm-up): {_s(cold.get('seconds'))} s click → heatmap.",
        f"- 5.: click → finished, median with drawing {_s(share['done_on']['median'])} s, "
        f"without {_s(share['done_off']['median'])} s; the app's own training seconds (the "
        f"success message, to 0.1 s only) with {_s(share['app_seconds_on']['median'], 1)} s, "
        f"without {_s(share['app_seconds_off']['median'], 1)} s (share by that measure: "
        f"{_pct(share['by_app_seconds'])}). Share = (with − without) ÷ with, from the medians; "
        "the server without drawing runs with `RECSYS_DRAW_WHILE_TRAINING=0`.",
        f"- 6.: a freeze is a main-thread block of {FREEZE_S:g} s or more (none = met); the "
        "longest block over all runs is given. Longest block during the MovieLens training "
        f"itself (4.): {_s(max((r['longest_block_s'] for r in on), default=None))} s. The "
        "Results page has no tabs: its views are the heatmap's four.",
    ]
    lines += why(raw, figures, ok)
    return "\n".join(lines + [APP_SPEED_END])


def why(raw: dict, figures: dict, ok: dict) -> list[str]:
    """For every target not met: where the time went, from this run's own measurements (and
    the profiles in ``NOTES``)."""
    on = [r for r in raw["movielens"] if r["draws"]]
    off = [r for r in raw["movielens"] if not r["draws"]]
    out = []
    if ok["first_page"] is False:
        fp = raw["first_page"]
        out.append(
            f"Why 1. is not met: the server answers after {_s(med(fp, 'server_ready_s'))} s; "
            f"the page then takes {_s(med(fp, 'page_s'))} s, in which the server spends "
            f"{_s(med(fp, 'server_cpu_s'), 1)} s of CPU (the first script run imports torch, "
            f"pandas, plotly and recsys_core) and the browser {_s(med(fp, 'browser_cpu_s'), 1)} "
            "s (loading and compiling Streamlit's and plotly's scripts, then drawing the two "
            "charts), on the same 2 cores (medians).")
    if ok["first_page_ratio"] is False:
        fp, floor = raw["first_page"], raw.get("floor_page", [])
        out.append(
            f"Why 1c. is not met: the app's first page used {_s(med(fp, 'server_cpu_s'), 1)} s "
            f"of server CPU and {_s(med(fp, 'browser_cpu_s'), 1)} s of browser CPU, the bare "
            f"page {_s(med(floor, 'server_cpu_s'), 1)} s and {_s(med(floor, 'browser_cpu_s'), 1)}"
            " s (medians). What it would take: a first script run that needs no torch (today "
            "the model registry, which the Train page's form is made from, imports it: about "
            "1 s of a core, paid in `serve.py`'s warm-up thread while the browser loads), and "
            "a first page with fewer elements (the control bar, the form and the captions are "
            "React components the bare page does not have; the heatmap with its cell values "
            "costs plotly more than the floor's plain one).")
        gap = first_page_gap(raw)
        if gap is not None:
            out.append(gap_sentence(gap))
    if ok["visitor_ratio"] is False:
        app, floor = raw.get("visitor_page", []), raw.get("visitor_floor", [])
        out.append(
            f"Why 1f. is not met: a new visitor's page used {_s(med(app, 'server_cpu_s'), 1)} s "
            f"of server CPU and {_s(med(app, 'browser_cpu_s'), 1)} s of browser CPU, the bare "
            f"page's {_s(med(floor, 'server_cpu_s'), 1)} s and "
            f"{_s(med(floor, 'browser_cpu_s'), 1)} s (medians): the imports are paid, so what "
            "is left is the page itself (the control bar, the form, the captions and the "
            "heatmap's cell values, drawn by the browser).")
    if ok["first_point"] is False:
        out.append("Why 2. is not met: see the CPU split of 4.; the first point waits for the "
                   "first epoch and the first redraw gap (`ui/training.py`, `DRAW_EVERY`).")
    on = [r for r in raw.get("share", []) if r["draws"]] or on
    off = [r for r in raw.get("share", []) if not r["draws"]] or off
    if ok["chart_share"] is False:
        out.append(
            "Why 5. is not met: with drawing, the server used "
            f"{_s(med(on, 'server_cpu_s'), 2)} s of CPU and the browser "
            f"{_s(med(on, 'browser_cpu_s'), 2)} s from click to finished; without, "
            f"{_s(med(off, 'server_cpu_s'), 2)} s and {_s(med(off, 'browser_cpu_s'), 2)} s "
            "(medians): the charts drawn while it trains, and the browser rendering them on "
            "the cores torch trains on, cost more than the target allows. What it would take: "
            "on a run this short (about a second) a tenth of a second is the whole margin, "
            "so fewer redraws in the first second of a run (`ui/training.py`, `draw_gap`).")
    failed = [v for v in ("page", *VIEWS) if ok[f"results_{v}"] is False]
    slow = [v for v in failed if figures[f"results_{v}"]["median"] >
            TARGETS["results_page" if v == "page" else "results"]]
    froze = [v for v in failed if (figures[f"results_{v}"]["longest_block_s"] or 0) >= FREEZE_S]
    if failed:
        f = figures["results_page"]
        out.append(
            f"Why 6. is not met: slower than its target (the page 1 s, a view 3 s): "
            f"{', '.join(slow) or 'none'}; a main-thread "
            f"block of {FREEZE_S:g} s or more: {', '.join(froze) or 'none'}. Opening the page the "
            f"server spent {_s(f['server_cpu_s'], 1)} s of CPU and the browser "
            f"{_s(f['browser_cpu_s'], 1)} s (medians): the browser sets the pace; a view's "
            "time is mostly the heatmap drawn anew. The page's server work (the 610 x 9,724 "
            "predictions and every user's top-N) starts when a run finishes "
            "(`FitResult.prepare`), but this script clicks Results as soon as the finished "
            "page is idle, so part of it can still be running then. What it would take: a "
            "lighter first heatmap on a large matrix, for example fewer than its 60 x 60 cells "
            "until the person pages or zooms (its 3,600 invisible click points are how a cell "
            "is clicked: Streamlit reports no click on a heatmap's own cells, "
            "streamlit/streamlit#8760), and fewer elements on the page (React's work is most "
            "of the browser's time, the profiles below).")
    if ok["compare"] is False:
        f = figures["compare"]
        out.append(
            f"Why 7. is not met: opening Compare the server spent {_s(f['server_cpu_s'], 1)} s "
            f"of CPU and the browser {_s(f['browser_cpu_s'], 1)} s (medians).")
    return [f"- {line}" for line in out + NOTES]


NOTES: list[str] = [
    "Profiles (2026-11-30, MovieLens latest-small, default MF) and what was done. Server: "
    "opening Results cost 5.5 s of CPU, 3.7 s of it computing the 610 x 9,724 predictions "
    "one factor lookup a cell and 1.1 s sorting every user's items for top-N, again on every "
    "rerun (py-spy); now MF's predictions are one matrix product, top-N partitions, and "
    "top-N and the 2-D map are kept with the run (`recsys_core/results.py`). Browser "
    "(DevTools CPU profiles, long tasks): plotly's tick-label overlap check ran over every "
    "pair of 60 + 60 labels after each label (~0.5 s a heatmap; now `ticklabeloverflow` "
    "'allow'), the 3,600 invisible click squares were SVG shapes restyled on each redraw "
    "(now empty text points above 900 cells), the 2-D map drew 10,334 SVG points (now the "
    "1,000 most-rated users and items, said in its subtitle) and predicted-vs-actual 5,000 "
    "(now 2,000, said). With all that, the page still took 5.4 s, its browser time spread "
    "over six charts, React and garbage collection; so on a matrix larger than 2,500 cells "
    "the factor charts, the map, predicted-vs-actual and the code now wait in closed "
    "panels and are made when opened (`app_pages/results.py`, `on_demand`).",
    "Profiles (2026-12-01, the same session and run, old and new code in turn; "
    "`bench/app_speed.py`'s page and CDP CPU profiles): the page still sent 1.69 MB, of "
    "which 540 KB were two selectboxes listing all 9,724 movies (the what-if's and the cell "
    "breakdown's item pickers, built by the browser although the what-if panel was closed), "
    "465 KB the heatmap (350 KB of it the click layer's per-cell data) and 240 KB the top-N "
    "table. Leaving out the what-if and the breakdown took the browser's CPU for opening "
    "Results from 2.7 s to 1.5 s (load 9); the heatmap alone costs about 1.1 s of it, the "
    "top-N table 0.1 s. Now both wait in closed panels on a large matrix (a click on the "
    "heatmap opens the breakdown; `ui/on_demand.py`), and the first run computes top-N in "
    "a few passes over the matrix and the click layer from numpy arrays. Side by side, the "
    "page's code at 3a2e6ca and at f54a76b opened Results alike (browser CPU 4.8 and 5.1 s, "
    "load 3 to 5): the 1.23 s of 2026-11-30 was measured on another CPU (family 26), on "
    "which the first page took 3.8 s against 6.8 s here. What is left is mostly the "
    "heatmap: opening Results again in the same session (the run's top-N kept), 1.5 s of "
    "browser CPU with it and 0.55 s without (load 3.5); without its click layer 1.15 s, "
    "without its corner marks (one SVG triangle per filled cell) 1.25 s.",
    "Profiles (2026-12-02, CDP CPU profile of Results reopened on MovieLens, and cProfile of "
    "its first script run): plotly drew the heatmap, measured its tick labels and colour bar "
    "(`doAutoMargin`) and drew it all again with the margins it found; the heatmap's margins "
    "(and the loss chart's, for its legend) are now worked out from the labels and fixed "
    "(`recsys_core/results/figures/heatmap.py`, `_fixed_margins`): reopening Results took "
    "0.65-0.72 s instead of 1.0-1.15 s (browser CPU 0.6-0.77 s instead of 0.9-1.15 s), and "
    "every live redraw of the heatmap on Train draws once. The first visit's top-N copied the "
    "48 MB cost matrix (fresh memory is slow on these machines: 0.5 s for the first 48 MB of a "
    "process); it now marks its picks in the matrix it has and puts them back (the first "
    "script run 4.0 s -> 1.1 s under cProfile).",
    "Profiles (2026-12-02 10:30-10:55 UTC; py-spy of the server, cProfile, and plotly.js "
    "drawing the Results heatmap alone in a page of its own). The first Results visit of a "
    "server took 3.9 s (server CPU 3.3 s): top-N 0.6-0.8 s, of which 0.47 s was negating the "
    "whole 48 MB prediction matrix into a new array (the earlier change had only kept "
    "`best_of_rows` from copying it again), and the predictions 0.33 s. Now top-N reads the "
    "predictions 4 MB of users at a time (`best_unrated`: 0.05-0.07 s), and a finished run's "
    "predictions, accuracy and top-N are computed in a background thread "
    "(`recsys_core/training/run_service.py`, `prepare_in_background`; a page asking "
    "meanwhile waits for that one computation): the first visit 1.4 s (server CPU 1.1 s). "
    "The heatmap's corner marks were one SVG marker per filled cell (922 on MovieLens' first "
    "page); they are one path now (a layout shape): plotly.js drew the heatmap in 135 ms "
    "instead of 200 without the click layer, 130 ms instead of 200 with it (medians of 3). "
    "A Chrome trace of Results opened again: 0.95 s of main-thread tasks, about 0.75 s of it "
    "JavaScript (React and plotly), 0.2 s style and layout.",
    "First page: `make run` starts the app through `serve.py`, which imports torch and the "
    "app's modules in a thread while the browser loads Streamlit's scripts (about 0.6 s "
    "less); the lecture's lesson panel on Train is made only while open (a table and "
    "highlighted code every first page drew unseen). What is left is mostly the browser's "
    "own work in a fresh profile: loading and compiling Streamlit's and plotly's scripts. "
    "The first script run of the Train page (imports done) took 0.96 s, 0.11 s a run after "
    "it: Streamlit compiling its emoji pattern for the language switch's 한국어 (0.32 s) and "
    "plotly building its template (0.13 s); `serve.py` now does both in its warm-up thread, "
    "which finished before the browser's first script run in every timeline taken (imports "
    "until 4.3-4.7 s after the server's start, the first run from 5.0-5.2 s); figure 1 moved "
    "within the noise (1.87 to 1.84 times the floor, five starts each).",
    "Tried and not kept (2026-12-02): leaving the \"More settings\" form (nine fields with "
    "their help) off the page changed a new visitor's ratio within the noise (1.35 against "
    "1.38, five visits each): no one element is the cost; a CDP profile of a new visitor "
    "gives 3.6 s of main-thread time against the bare page's 2.1 s, spread over plotly "
    "(0.8 s against 0.67), React and its styles (0.6 s against 0.14), Markdown (0.2 s "
    "against 0.03: 60 Markdown blocks, the captions, labels and help) and the browser's "
    "own layout and style work.",
    "First page, 2026-12-02 afternoon (the browser's resource timings, page time from the "
    "navigation, the server's imports under `python -X importtime`). The server's imports "
    "are about 2.8 s of one core held by Python's lock: torch 1.6 s, Streamlit 0.6 s, pandas "
    "0.4 s; the floor's are Streamlit's alone. The browser asks for its first script run "
    "about 1.0 s into the page, as on the floor, but its first element comes 0.9 s later on a "
    "new server than on one whose imports are done (2.0 s against 1.15 s; the floor's at "
    "1.0 s): the first script run waits for the warm-up's imports. Then plotly's script "
    "(4.6 MB) is asked for 0.4-0.6 s after the first element, and the page is drawn 1.8 s "
    "after it arrives (the floor: 1.45 s). `serve.py` now keeps the garbage collector off "
    "while it imports and freezes what was imported (imports 2.26 s instead of 2.67 s): "
    "figure 1 5.59-5.86 s against 6.34-6.59 s (five and six starts in turn). Tried and not "
    "kept: a shorter switch interval for the warm-up thread (6.38 s against 6.09), starting "
    "the warm-up only once the server listens (6.37 s; the server answers sooner, the first "
    "script run waits longer), and a tiny chart at the top of the sidebar so that plotly's "
    "script is fetched sooner (6.25 s against 5.84).",
    "Results, 2026-12-02 afternoon: opened 3 s after the run's finished message instead of at "
    "once, as a person who reads it first would, the page was drawn in 0.99 s against 1.19 s "
    "(medians of four, in turn, on one server; its CPU 0.3 s against 0.5-0.8 s): what keeps "
    "this figure at its target's edge (1.18-1.20 s in the runs before 15:17 UTC, 0.99 s in "
    "the one after the template change below) is mostly the background preparation still "
    "running when the bench clicks. `FitResult.prepare` itself takes 0.10-0.34 s on "
    "MovieLens (the first in a process the slowest: fresh memory for the 24 MB prediction "
    "matrix).",
    "Every figure (2026-12-02, py-spy of the Train page's first script run): "
    "`update_layout(template=\"plotly_white\")` had plotly validate and copy the whole "
    "template into each figure, about 34,000 Python calls, 15 ms a figure on a quiet machine "
    "and 420 ms the first time in a process; the Train page rebuilds its heatmap and loss "
    "chart on every live redraw, Results and Compare build several. The app now makes it "
    "plotly's default (`make_template_default`, called by `app.py`), which a new figure gets "
    "unvalidated in about 2,000 calls (0.65 ms); the figures' JSON is the same "
    "(`tests/test_figures.py`). A script that only imports recsys_core keeps its own default.",
]
"""What profiling found (by hand; the figures above are this run's own)."""


def write(path: Path, block: str) -> None:
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if APP_SPEED_MARKER not in old:
        block = HEADING + "\n\n" + block
    path.write_text(splice(old, block, APP_SPEED_MARKER, APP_SPEED_END), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.app_speed",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md",
                        help="the Markdown file whose app-speed section is written")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    info = machine.describe()
    try:
        raw = asyncio.run(drive(QUICK_REPEATS if args.quick else REPEATS))
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    info["load_after"] = machine.load_average()
    figures = summarise(raw)
    print(json.dumps({"figures": figures, "verdicts": verdicts(figures), "raw": raw,
                      "load_before": info["load_before"], "load_after": info["load_after"]},
                     indent=1))
    if not args.no_write:
        command = "python -m bench.app_speed" + (" --quick" if args.quick else "")
        write(args.out, section(raw, figures, info, command))
        print(f"wrote the app-speed section of {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
