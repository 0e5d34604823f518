"""``python -m bench.app_before_after [--ref 5d51b12]``: the app's speed in a real browser as it
was at a git revision and as it is now, measured in one run, turn by turn.

Issue 13 (item 14) found the app slow where its users tried it: "first page 4.7 s, Results 3.1 s,
Compare 5.9 s with two runs". Those seconds came from another machine; this bench says how much
the app moved since, on this machine, with the same browser, data and clicks for both. *Before*
is the whole app at ``--ref`` (default 5d51b12, the code the issue was filed on), checked out
with ``git worktree`` into a temporary folder and started from there with this checkout's
Python and packages; *after* is this checkout. The figures are ``bench/app_speed.py``'s:

- **First page**: a new server (``python serve.py``, as ``make run`` starts it) from ``Popen``
  to the Train page drawn in a fresh browser context (its title, loss chart and heatmap).
- **MovieLens run**: latest-small (610 x 9,724), default MF, Train click to the success message.
- **Results**: then the sidebar's link to Results until every chart on it is drawn, and each of
  its heatmap's four views, click to drawn.
- **Compare**: back on Train, a second run (the baseline) on the same data, then Compare until its
  table and both heatmaps are drawn.

Each version runs on its own server; every figure alternates between them (before, after,
before, ...) so load from elsewhere meets both alike. Each server first trains the lecture preset
once, uncounted (the first training of a process warms torch). Writes its section of
BENCHMARKS.md (``--no-write`` prints only).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import ROOT, machine
from .app_speed import VIEWS, course_run, movielens_run, open_new_server
from .load import free_port, launch_chromium, markers, start_server, stop_server, write

DEFAULT_REF = "5d51b12"  # main when issue 13 was filed
REPEATS = 3
START, END = markers("app-before-after")
ROWS = (  # (key, what it is) in the order of the table
    ("first_page", "First page: server start (`Popen`) → Train page drawn"),
    ("movielens_done", "MovieLens latest-small, default MF: Train click → finished"),
    ("results_page", "Results opened from the sidebar after that run: every chart drawn"),
    *((f"results_{view}", f"Results heatmap view '{view}': click → drawn") for view in VIEWS),
    ("compare", "Compare with two runs (that MF and the baseline): table and both heatmaps drawn"),
)


async def drive(roots: dict[str, Path], repeats: int) -> dict[str, dict[str, list[float]]]:
    """Seconds of every figure for each version (``roots``: name → checkout), alternating."""
    from playwright.async_api import async_playwright

    seconds = {name: {key: [] for key, _ in ROWS} for name in roots}
    async with async_playwright() as pw:
        browser = await launch_chromium(pw)
        try:
            for _ in range(repeats):
                for name, root in roots.items():
                    row = await open_new_server(browser, floor=False, root=root)
                    seconds[name]["first_page"].append(row["seconds"])
            await _sessions(browser, roots, repeats, seconds)
        finally:
            await browser.close()
    return seconds


async def _sessions(browser, roots: dict[str, Path], repeats: int, seconds: dict) -> None:
    """The MovieLens run, Results and Compare, on one server per version."""
    servers = {}
    try:
        for name, root in roots.items():
            port = free_port()
            servers[name] = (f"http://127.0.0.1:{port}", start_server(port, root=root))
        for url, proc in servers.values():  # warm-up, not counted
            await course_run(browser, url, proc.pid)
        for _ in range(repeats):
            for name, (url, proc) in servers.items():
                row = await movielens_run(browser, url, proc.pid, draws=True, results=True)
                found = seconds[name]
                found["movielens_done"].append(row["done_s"])
                found["results_page"].append(row["results"]["page"]["seconds"])
                for view in VIEWS:
                    found[f"results_{view}"].append(row["results"][view]["seconds"])
                found["compare"].append(row["compare"]["seconds"])
    finally:
        for _, proc in servers.values():
            stop_server(proc)


def medians(seconds: dict[str, dict[str, list[float]]]) -> dict[str, dict[str, float]]:
    return {name: {key: statistics.median(values) for key, values in rows.items()}
            for name, rows in seconds.items()}


def section(seconds: dict, ref: str, info: dict, repeats: int) -> str:
    """The Markdown section: a row per figure, before and after (medians), and their ratio."""
    middle = medians(seconds)
    lines = [START, "## The app before and after issue 13", "",
             f"`python -m bench.app_before_after --ref {ref}` ({info['date']}): *before* is the "
             f"whole app at {ref} (the code issue 13's users tried), *after* this checkout, "
             f"each on its own server, the figures alternating between them, {repeats} runs "
             "each (medians; a fresh browser context every run). The figures are "
             "`bench/app_speed.py`'s; the issue's own seconds (first page 4.7 s, Results 3.1 s, "
             "Compare 5.9 s) were taken on another machine.", "",
             f"- Machine: {info['cpu']}, {info['cores']} cores; load average before "
             f"{info['load_before']}, after {info['load_after']}.", "",
             "| figure | before s | after s | after ÷ before |",
             "| --- | ---: | ---: | ---: |"]
    for key, what in ROWS:
        before, after = middle["before"][key], middle["after"][key]
        lines.append(f"| {what} | {before:.2f} | {after:.2f} | {after / before:.2f} |")
    return "\n".join(lines + ["", END])


def worktree(ref: str, folder: Path) -> Path:
    """A checkout of ``ref`` in ``folder`` (``git worktree``, detached; removed by
    :func:`remove_worktree`)."""
    subprocess.run(["git", "worktree", "add", "--detach", "-f", str(folder), ref], cwd=ROOT,
                   check=True, capture_output=True)
    return folder


def remove_worktree(folder: Path) -> None:
    subprocess.run(["git", "worktree", "remove", "--force", str(folder)], cwd=ROOT,
                   capture_output=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.app_before_after",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default=DEFAULT_REF, help="git revision of the 'before' app")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="runs of each figure")
    parser.add_argument("--out", type=Path, default=ROOT / "BENCHMARKS.md",
                        help="the Markdown file whose before-and-after section is written")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    info = machine.describe()
    with tempfile.TemporaryDirectory(prefix="bench-app-before-") as tmp:
        try:
            before = worktree(args.ref, Path(tmp) / "app")
        except subprocess.CalledProcessError as exc:
            print(f"error: no checkout of {args.ref!r} ({exc.stderr.decode().strip()}); "
                  "a shallow clone lacks it: git fetch --unshallow", file=sys.stderr)
            return 2
        try:
            seconds = asyncio.run(drive({"before": before, "after": ROOT}, args.repeats))
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        finally:
            remove_worktree(before)
    info["load_after"] = machine.load_average()
    print(json.dumps({"seconds": seconds, "medians": medians(seconds)}, indent=1))
    if not args.no_write:
        write(args.out, section(seconds, args.ref, info, args.repeats), START, END)
        print(f"wrote the before-and-after section of {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
