"""``python -m bench.load``: a class on one small server at once (issue 5).

Starts the app on 127.0.0.1 (or uses ``--url``, which must be local), opens ``--sessions``
headless Chromium sessions at the same moment (one browser, one context each: separate
Streamlit sessions, like separate students), and in each: opens /train on the course matrix,
presses the lecture preset "11주차 MF" (the course matrix, MF, 100 epochs), presses Train and
waits for the run to finish. It reports each session's time from opening the page to the
finished run (median, p95, max), the errors, and the peak memory of the server process tree,
and writes them into the ``## Load`` section of BENCHMARKS.md (only that section: it sits
between two markers and everything else in the file is left as it is).

Bounded: at most ``MAX_SESSIONS`` sessions, a wall-clock limit (``--time-limit``) after which
everything is stopped and the unfinished sessions count as errors, and the server it started is
stopped at the end. Needs Debian's ``chromium`` (as the browser tests do).

    python -m bench.load                      # 10 sessions, writes BENCHMARKS.md
    python -m bench.load --sessions 2 --no-write
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from . import ROOT

SESSIONS = 10
MAX_SESSIONS = 40
TIME_LIMIT = 300.0  # seconds for the whole run, sessions included
TARGET_P95 = 15.0  # seconds
PRESET_KEY = "preset_lecture-mf"
START, END = "<!-- bench:load:start -->", "<!-- bench:load:end -->"  # see markers()
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-dev-shm-usage",
                  # every session is a student's foreground tab: no throttling of the others
                  "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                  "--disable-backgrounding-occluded-windows"]
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
# the page is open for a student when its charts are drawn, not only when the script is done:
# the browser renders plotly charts after the script run ends
CHARTS_DRAWN = ("() => document.querySelectorAll("
                "'.st-key-loss_chart .main-svg, .st-key-live_heatmap .main-svg').length >= 2")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
SHOTS: Path | None = None  # --screenshots: where failed sessions are photographed


@dataclass
class Session:
    number: int
    seconds: float | None = None  # preset pressed (course matrix loaded) -> run finished
    train_seconds: float | None = None  # Train pressed -> run finished
    open_seconds: float | None = None  # page opened -> app ready (before everyone starts)
    error: str | None = None


@dataclass
class LoadResult:
    sessions: list[Session]
    wall_seconds: float
    rss_before_mb: float | None
    rss_peak_mb: float | None
    threads_per_session: int
    machine: dict = field(default_factory=dict)
    cpu_seconds: dict = field(default_factory=dict)  # phase -> {"server", "browsers"}

    @property
    def times(self) -> list[float]:
        return sorted(s.seconds for s in self.sessions if s.seconds is not None)

    @property
    def errors(self) -> list[str]:
        return [f"session {s.number}: {s.error}" for s in self.sessions if s.error]

    def stat(self, which: str) -> float | None:
        times = self.times
        if not times:
            return None
        if which == "median":
            return statistics.median(times)
        if which == "max":
            return times[-1]
        return percentile(times, 95)

    @property
    def passed(self) -> bool:
        p95 = self.stat("p95")
        return not self.errors and p95 is not None and p95 < TARGET_P95

    def summary(self) -> dict:
        return {
            "sessions": len(self.sessions), "completed": len(self.times),
            "errors": self.errors, "median_s": _round(self.stat("median")),
            "p95_s": _round(self.stat("p95")), "max_s": _round(self.stat("max")),
            "train_median_s": _median([s.train_seconds for s in self.sessions]),
            "open_median_s": _median([s.open_seconds for s in self.sessions]),
            "open_max_s": _round(max((s.open_seconds for s in self.sessions
                                      if s.open_seconds is not None), default=None)),
            "server_rss_before_mb": _round(self.rss_before_mb),
            "server_rss_peak_mb": _round(self.rss_peak_mb),
            "wall_s": _round(self.wall_seconds), "threads_per_session": self.threads_per_session,
            "cpu_seconds": self.cpu_seconds,
            "target_met": self.passed,
        }


def percentile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default), on sorted values."""
    if len(sorted_values) == 1:
        return sorted_values[0]
    position = (len(sorted_values) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return _round(statistics.median(known)) if known else None


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# ----- the server ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn_server(port: int, env: dict | None = None, root: Path = ROOT) -> subprocess.Popen:
    """The app as ``make run`` starts it (``python serve.py``: ``streamlit run app.py``
    with its imports warmed) on 127.0.0.1:``port``, not waiting for it (``env``: extra
    environment variables for the server; ``root``: another checkout of the app, as
    ``bench/app_before_after.py`` starts an older one)."""
    env = {**os.environ, "PYTHONPATH": str(root), **(env or {})}
    return subprocess.Popen(
        [sys.executable, str(root / "serve.py"), "--server.headless",
         "true", "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_healthy(proc: subprocess.Popen, port: int, timeout: float = 60.0,
                 every: float = 0.2) -> None:
    """Poll ``/_stcore/health`` until the server answers (stopped and an error if not)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError("the Streamlit server exited while starting") from None
            time.sleep(every)
    stop_server(proc)
    raise RuntimeError(f"the Streamlit server did not answer within {timeout:.0f} s")


def start_server(port: int, timeout: float = 60.0, env: dict | None = None,
                 root: Path = ROOT) -> subprocess.Popen:
    proc = spawn_server(port, env, root)
    wait_healthy(proc, port, timeout)
    return proc


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def _tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def tree_rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` and all its descendants, in MB."""
    total = 0
    for current in _tree(pid):
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            if current == pid:
                return None
    return total / 1024


def tree_cpu_seconds(pid: int, only: str | None = None) -> float:
    """CPU time (user + system) used so far by ``pid`` and its descendants, optionally only
    by processes whose command line contains ``only``."""
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for current in _tree(pid):
        try:
            if only and only not in Path(f"/proc/{current}/cmdline").read_bytes().decode(
                    errors="replace"):
                continue
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except OSError:
            continue
    return total / tick


class PeakMemory:
    """Samples the server tree's RSS every ``every`` seconds in a thread; keeps the peak."""

    def __init__(self, pid: int | None, every: float = 0.1):
        self.pid, self.every, self.peak = pid, every, None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> PeakMemory:
        if self.pid is not None:
            self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.is_set():
            rss = tree_rss_mb(self.pid)
            if rss is not None:
                self.peak = rss if self.peak is None else max(self.peak, rss)
            self._stop.wait(self.every)


# ----- the sessions ----------------------------------------------------------------------------
async def idle(page, timeout_ms: float) -> None:
    await page.wait_for_selector(IDLE, timeout=timeout_ms)


class _Student:
    """One browser context (its own cookies and cache: a separate person) and its page."""

    def __init__(self, number: int):
        self.session = Session(number)
        self.context = None
        self.page = None

    async def fail(self, exc: BaseException) -> None:
        self.session.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
        if SHOTS is not None and self.page is not None:
            SHOTS.mkdir(parents=True, exist_ok=True)
            with contextlib.suppress(Exception):  # a picture of a failure is a nicety
                await self.page.screenshot(path=str(SHOTS / f"session{self.session.number}.png"),
                                           full_page=True)

    async def open(self, browser, url: str, left) -> None:
        """Phase 1: open the app on the Train page, as each student does on arrival."""
        try:
            started = time.perf_counter()
            self.context = await browser.new_context(locale="en-US", reduced_motion="reduce",
                                                     viewport={"width": 1280, "height": 800})
            self.page = await self.context.new_page()
            await self.page.goto(f"{url}/train?lang=en", timeout=left())
            await self.page.wait_for_selector("[data-testid='stApp']", timeout=left())
            await idle(self.page, left())
            await self.page.wait_for_function(CHARTS_DRAWN, timeout=left(), polling=100)
            self.session.open_seconds = time.perf_counter() - started
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            await self.fail(exc)

    async def work(self, left) -> None:
        """Phase 2, everyone at once: load the course matrix with the lecture preset (MF, 100
        epochs), press Train, wait for the finished run."""
        if self.session.error:
            return
        page = self.page
        try:
            started = time.perf_counter()
            await page.click(f".st-key-{PRESET_KEY} button", timeout=left())
            # the preset's rerun must be through before Train is pressed (a click while it is
            # pending would replace it): its sign is the epochs field showing 100
            await page.wait_for_function(
                "() => document.querySelector('.st-key-tc-mf-epochs input')?.value === '100'",
                timeout=left(), polling=100)
            await idle(page, left())
            pressed = time.perf_counter()
            await page.click(".st-key-train button", timeout=left())
            done = page.locator("[data-testid='stAlertContentSuccess']", has_text="100 epoch")
            await done.wait_for(timeout=left())
            finished = time.perf_counter()
            await idle(page, left())
            if await page.locator("[data-testid='stException']").count():
                raise RuntimeError("the page shows an exception")
            self.session.seconds = finished - started
            self.session.train_seconds = finished - pressed
        except Exception as exc:  # noqa: BLE001 - every failure is counted and reported
            await self.fail(exc)

    async def close(self) -> None:
        if self.context is not None:
            with contextlib.suppress(Exception):
                await self.context.close()


async def _warm_up(browser, url: str) -> None:
    """One session first, not counted, that does what every student will do: the server has
    then imported everything once (torch's optimiser alone imports for seconds on its first
    use), as it has in class after the teacher's own try."""
    teacher = _Student(0)
    left = lambda: 120_000  # noqa: E731
    try:
        await teacher.open(browser, url, left)
        await teacher.work(left)
    finally:
        await teacher.close()
    if teacher.session.error:
        raise RuntimeError(f"the warm-up session failed: {teacher.session.error}")


async def launch_chromium(pw):
    """Debian's headless ``chromium`` through Playwright (``pw``), with the benches' flags
    (Playwright's own browser download cannot work here)."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        raise RuntimeError("Debian's chromium is needed: apt-get install chromium")
    return await pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_FLAGS)


async def _drive(url: str, sessions: int, time_limit: float, on_start=None) -> list[Session]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        students = [_Student(k + 1) for k in range(sessions)]
        try:
            await _warm_up(browser, url)
            if on_start is not None:
                on_start("start")
            deadline = time.monotonic() + time_limit
            left = lambda: max(1.0, deadline - time.monotonic()) * 1000  # noqa: E731
            phases = ((lambda s: s.open(browser, url, left)), (lambda s: s.work(left)))
            for phase in phases:
                tasks = [asyncio.create_task(phase(s)) for s in students]
                _, pending = await asyncio.wait(tasks, timeout=max(1.0, left() / 1000) + 5)
                for task, student in zip(tasks, students):
                    if task in pending:
                        task.cancel()
                        student.session.error = "did not finish within the time limit"
                if on_start is not None:
                    on_start("opened" if phase is phases[0] else "done")
            return [s.session for s in students]
        finally:
            for student in students:
                await student.close()
            await browser.close()


def check_local(url: str) -> str:
    host = urlparse(url).hostname
    if host not in LOCAL_HOSTS:
        raise ValueError(f"the load script only drives a server on this machine, not {host!r}")
    return url.rstrip("/")


def run(sessions: int = SESSIONS, url: str | None = None, time_limit: float = TIME_LIMIT,
        server_pid: int | None = None) -> LoadResult:
    """Drive ``sessions`` browsers at once against ``url`` (or a server started here)."""
    if not 1 <= sessions <= MAX_SESSIONS:
        raise ValueError(f"sessions must be between 1 and {MAX_SESSIONS}")
    from recsys_core.limits import LIMITS

    machine_info = _machine()
    proc = None
    if url is None:
        port = free_port()
        proc = start_server(port)
        url, server_pid = f"http://127.0.0.1:{port}", proc.pid
    url = check_local(url)
    try:
        marks: dict = {}
        me = os.getpid()

        def on_start(moment: str) -> None:  # after the warm-up, the opening, the work
            if moment == "start":
                marks["before"] = tree_rss_mb(server_pid) if server_pid else None
                marks["started"] = time.perf_counter()
            marks[moment] = (tree_cpu_seconds(server_pid) if server_pid else 0.0,
                             tree_cpu_seconds(me, only="chromium"))

        with PeakMemory(server_pid) as memory:
            results = asyncio.run(_drive(url, sessions, time_limit, on_start))
        wall = time.perf_counter() - marks.get("started", time.perf_counter())
        before = marks.get("before")
    finally:
        if proc is not None:
            stop_server(proc)
    machine_info["load_after"] = _load_now()
    cpu = {}
    for phase, (a, b) in (("open", ("start", "opened")), ("work", ("opened", "done"))):
        if a in marks and b in marks:
            cpu[phase] = {"server": round(marks[b][0] - marks[a][0], 1),
                          "browsers": round(marks[b][1] - marks[a][1], 1)}
    return LoadResult(results, wall, before, memory.peak, LIMITS.threads_per_session,
                      machine_info, cpu)


def _machine() -> dict:
    try:
        from . import machine

        info = machine.describe()
        return {k: info[k] for k in ("date", "cpu", "cores", "ram_gib", "load_before")
                if k in info}
    except Exception:  # noqa: BLE001 - the description is a nicety
        return {"cores": os.cpu_count()}


def _load_now() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


# ----- BENCHMARKS.md ---------------------------------------------------------------------------
def section(result: LoadResult, command: str) -> str:
    s, m = result.summary(), result.machine
    verdict = "met" if result.passed else "NOT met"
    lines = [
        START, "## Load", "",
        f"A class on one small server: {s['sessions']} headless Chromium sessions (one browser, "
        "a separate context each: separate people, separate Streamlit sessions) against one "
        "local server. Each opens the app; once all are open, all at the same moment press the "
        "lecture preset (which loads the course matrix with MF and 100 epochs) and Train, and "
        f"wait for the finished run. Generated by `bench/load.py`: `{command}`.", "",
        f"- Machine: {m.get('cpu', '?')}, {m.get('cores', '?')} cores, RAM "
        f"{m.get('ram_gib', '?')} GiB; {m.get('date', '')}. The browsers that play the students "
        "run on the same cores as the server (in class they run on the students' laptops), so "
        "the times below are an upper bound for the server alone.",
        f"- Server: one `streamlit run` process; torch limited to "
        f"{s['threads_per_session']} thread(s) per operation (`RECSYS_THREADS_PER_SESSION`).",
        f"- Load average (1, 5, 15 min) before: {m.get('load_before', '?')}; after: "
        f"{m.get('load_after', '?')} (the run's own browsers raise it).",
        "",
        "| sessions | completed | errors | median s | p95 s | max s | Train→done median s "
        "| opening the app median / max s | server RSS before MB | server RSS peak MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {s['sessions']} | {s['completed']} | {len(s['errors'])} | {_cell(s['median_s'])} "
        f"| {_cell(s['p95_s'])} | {_cell(s['max_s'])} | {_cell(s['train_median_s'])} "
        f"| {_cell(s['open_median_s'])} / {_cell(s['open_max_s'])} "
        f"| {_cell(s['server_rss_before_mb'], 0)} | {_cell(s['server_rss_peak_mb'], 0)} |",
        "",
        f"Target (all complete, no error, p95 under {TARGET_P95:g} s): **{verdict}**. The "
        "median, p95 and max run from pressing the preset to the finished run; the server's "
        "memory is the resident size of its process tree, sampled every 0.1 s.",
    ]
    work = s.get("cpu_seconds", {}).get("work")
    if work:
        cores = m.get("cores") or 1
        lines += ["", f"CPU time while everyone loaded and trained: the server {work['server']:.1f} "
                      f"s, the browsers {work['browsers']:.1f} s; on {cores} cores that is at "
                      f"least {(work['server'] + work['browsers']) / cores:.1f} s of wall time "
                      f"however the work is shared, of which the server's own share is "
                      f"{work['server'] / cores:.1f} s: the simulated students' browsers, "
                      "not the server, set the pace here."]
    opening = s.get("cpu_seconds", {}).get("open")
    if opening:
        lines += ["", "Opening (not in the target's times): all sessions open the app at the same "
                      "moment, and a page counts as open when its charts are drawn. CPU time "
                      f"meanwhile: the server {opening['server']:.1f} s, the browsers "
                      f"{opening['browsers']:.1f} s (each loads and compiles Streamlit's and "
                      "plotly's scripts for itself)."]
    lines += ["", "What the server does to keep up: no full garbage collection after every "
                  "script run (`runner.postScriptGC = false` in `.streamlit/config.toml`; it took "
                  "40% of the server's time), a training loop never draws the finished run that "
                  "the page's next run draws anyway, and redraws while training come less often "
                  "the more sessions train at once (`ui/training.py`, `draw_gap`). The first run "
                  "of this bench, before those, measured p95 27.1 s and median 24.7 s."]
    if s["errors"]:
        lines += ["", "Errors:", ""] + [f"- {e}" for e in s["errors"]]
    return "\n".join(lines + ["", END])


def _cell(value, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def markers(name: str) -> tuple[str, str]:
    """The comments around a bench's own section of BENCHMARKS.md, which it rewrites alone."""
    return f"<!-- bench:{name}:start -->", f"<!-- bench:{name}:end -->"


def splice(text: str, block: str, start: str = START, end: str = END) -> str:
    """``text`` with its section between ``start`` and ``end`` (the load section by default)
    replaced by ``block`` (or ``block`` added at the end)."""
    if start in text and end in text.split(start, 1)[1]:
        head, rest = text.split(start, 1)
        return head + block + rest.split(end, 1)[1]
    return text.rstrip() + "\n\n" + block + "\n" if text.strip() else block + "\n"


def write(path: Path, block: str, start: str = START, end: str = END) -> None:
    """Put ``block`` in ``path`` between ``start`` and ``end`` (the load section by default;
    every bench that writes its own section of BENCHMARKS.md passes its markers)."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(splice(old, block, start, end), encoding="utf-8")


def section_parser(name: str, doc: str, what: str, models_help: str,
                   smoke_help: str) -> argparse.ArgumentParser:
    """The options every bench of models that writes its own section of BENCHMARKS.md shares:
    ``--models``, ``--smoke``, ``--out`` and the output options below."""
    parser = argparse.ArgumentParser(prog=f"python -m bench.{name}",
                                     description=doc.splitlines()[0])
    parser.add_argument("--models", help=models_help)
    parser.add_argument("--smoke", action="store_true", help=smoke_help)
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md",
                        help=f"the Markdown file whose {what} section is written")
    add_output_options(parser)
    return parser


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """``--no-write``, ``--json`` and ``--render``: how a bench that writes its own section of
    BENCHMARKS.md saves its raw results and rewrites the section from them."""
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON")
    parser.add_argument("--render", type=Path, metavar="JSON",
                        help="only rewrite the section from a JSON file an earlier run wrote")


def rendered(args, section, start: str, end: str, what: str) -> bool:
    """With ``--render``: the section rewritten from the saved run (``section(saved, machine,
    command)``), and True; else False (the bench runs)."""
    if not args.render:
        return False
    saved = json.loads(args.render.read_text(encoding="utf-8"))
    write(args.out, section(saved, saved["machine"], saved["command"]), start, end)
    print(f"wrote the {what} section of {args.out} from {args.render}")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=SESSIONS,
                        help=f"browser sessions at once (1..{MAX_SESSIONS}, default {SESSIONS})")
    parser.add_argument("--url", help="a server already running on this machine "
                                      "(default: start one on a free port)")
    parser.add_argument("--time-limit", type=float, default=TIME_LIMIT,
                        help=f"seconds for the whole run (default {TIME_LIMIT:g})")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md",
                        help="the Markdown file whose '## Load' section is written")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--screenshots", type=Path, help="save a screenshot of each failed "
                                                         "session into this folder")
    args = parser.parse_args(argv)
    global SHOTS
    SHOTS = args.screenshots
    try:
        result = run(args.sessions, args.url, args.time_limit)
    except (RuntimeError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps({**result.summary(), "times_s": [round(t, 2) for t in result.times],
                      "per_session": [asdict(s) for s in result.sessions]}, indent=1))
    if not args.no_write:
        command = "python -m bench.load" + (f" --sessions {args.sessions}"
                                            if args.sessions != SESSIONS else "")
        write(args.out, section(result, command))
        print(f"wrote the load section of {args.out}")
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
