"""Run a module as ``python -m`` would, then report this process's peak memory.

``python -m bench.measure FILE MODULE ARGS...`` runs ``MODULE`` with ``ARGS`` and writes
``{"peak_mib": ..., "exit": ...}`` to FILE. The peak is the kernel's high-water mark of this
process's resident memory (``VmHWM``), which starts afresh when the process is exec'd. The
``ru_maxrss`` that ``wait4`` reports does not: on Linux it keeps the parent's size at the
fork, so a child of a large benchmark process would seem at least as large as its parent.
"""

from __future__ import annotations

import json
import runpy
import sys
from pathlib import Path


def peak_mib() -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux: best effort


def main() -> None:
    report, module, *args = sys.argv[1:]
    sys.argv = [module, *args]
    code = 0
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    finally:
        Path(report).write_text(json.dumps({"peak_mib": peak_mib(), "exit": code}))
    sys.exit(code)


if __name__ == "__main__":
    main()
