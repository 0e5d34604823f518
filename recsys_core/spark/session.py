"""A Spark session for one command: its requirements checked first, quiet unless asked.

Spark needs Java (Spark 4 needs 17 or newer) and pyspark; when either is missing the command
says so in one line, with what to install, instead of pyspark's page of Java errors.

Quiet: the Spark JVM's own output (its start-up notes, log4j warnings) goes to a log file in
the temporary folder, so stdout carries only the JSON and stderr only our own one-line
messages. The file is deleted when the command ends, normally or on bad input; it is kept only
when Spark itself failed (it did not start, or a job failed), and the one-line message names
it. ``--spark-log LEVEL`` shows that log on stderr instead, from LEVEL up. The Spark UI is off
(``spark.ui.enabled=false``): nothing listens on a port.

A session that is already running in this process (a notebook's, the test suite's shared one)
is used as it is and left running; ``--master`` and ``--conf`` then cannot change it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path

from recsys_core.data.errors import RatingsError
from recsys_core.i18n import L_

JAVA_PACKAGE = "openjdk-17-jre-headless"


class SparkSetupError(RatingsError):
    """Spark cannot run here (no Java, no pyspark, a bad setting): said like bad input."""

    code = "spark_setup"


def java_command() -> str | None:
    """The ``java`` Spark's launcher would run: ``$JAVA_HOME/bin/java``, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        candidate = Path(home) / "bin" / "java"
        return str(candidate) if os.access(candidate, os.X_OK) else None
    return shutil.which("java")


def check_requirements() -> None:
    """Raise :class:`SparkSetupError` when pyspark or Java is missing."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        raise SparkSetupError(L_("The Spark engine needs pyspark, which is not installed"), "",
                              L_("run {command}", command="pip install -r requirements-spark.txt"))
    if java_command() is None:
        where = (L_("JAVA_HOME is {home} but has no bin/java", home=os.environ["JAVA_HOME"])
                 if os.environ.get("JAVA_HOME") else
                 L_("no 'java' on PATH and JAVA_HOME unset"))
        raise SparkSetupError(L_("The Spark engine needs Java 17 or newer, and none was found"),
                              where, L_("run {command} (or set JAVA_HOME)",
                                        command=f"apt-get install {JAVA_PACKAGE}"))


def parse_conf(pairs: list[str]) -> dict[str, str]:
    conf = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise SparkSetupError(L_("--conf needs KEY=VALUE, got '{pair}'", pair=pair), "",
                                  L_("write it as e.g. {example}",
                                     example="--conf spark.driver.memory=8g"))
        conf[key.strip()] = value.strip()
    return conf


def default_conf(master: str) -> dict[str, str]:
    """Settings for one machine that Spark's defaults get wrong for it: 200 shuffle partitions
    for a few cores, and a 1 GiB driver, which is all the memory local mode has."""
    conf = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"}
    if master.startswith("local"):
        cores = _local_cores(master)
        conf["spark.sql.shuffle.partitions"] = str(max(4, 4 * cores))
        conf["spark.driver.memory"] = f"{_local_memory_gib()}g"
    return conf


def _local_cores(master: str) -> int:
    inside = master[len("local"):].strip("[]").split(",")[0]
    if inside in ("", "*"):
        return os.cpu_count() or 1
    return int(inside) if inside.isdigit() else 1


def _local_memory_gib() -> int:
    """An eighth of the machine's memory, 1 to 4 GiB: the driver is the whole of local mode.

    Spark lets its heap grow to this before collecting, and Netty's direct buffers as far
    again, so the process takes about what it is allowed: measured on 10 million ratings,
    3 GiB ran in 4.1 GiB in all, 5 GiB in 11.7 GiB, no faster. More with --conf
    spark.driver.memory=8g."""
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        return 2
    return int(max(1, min(4, round(total / 8))))


@contextlib.contextmanager
def spark_session(master: str = "local[*]", conf: dict[str, str] | None = None,
                  log_level: str | None = None) -> Iterator:
    """The active session if there is one, else a new one, stopped on the way out.

    Spark's own log (a file in the temporary folder unless ``log_level``) is deleted when the
    command ends, normally or on bad input, which is said in one line without it; it is kept
    only when Spark itself failed, and that failure is said in one line naming it."""
    check_requirements()
    _quiet_python_warnings()
    _quiet_python_side(log_level)
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        if log_level:
            active.sparkContext.setLogLevel(log_level)
        yield active
        return
    settings = {**default_conf(master), **(conf or {})}
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this Python
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    log = None if log_level else tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed below
        "w", prefix="recsys-spark-", suffix=".log", delete=False)
    try:
        spark = _start(master, settings, log)
    except Exception as exc:  # noqa: BLE001 - Java too old, bad --conf, no memory ...
        raise SparkSetupError(L_("Spark did not start ({reason})", reason=_first_line(exc)),
                              _log_place(log), L_("check --master and --conf; Spark 4 needs Java "
                                                  "17 or newer ({command})",
                                                  command=f"apt-get install {JAVA_PACKAGE}")) from None
    spark.sparkContext.setLogLevel(log_level or "WARN")
    keep_log = False
    try:
        yield spark
    except Exception as exc:
        keep_log = not _said_to_the_user(exc)
        if keep_log and _failed_in_spark(exc):
            raise SparkFailedError(L_("Spark failed ({reason})", reason=_spark_reason(exc)),
                                   _log_place(log),
                                   L_("read that log; for memory, give Spark more with --conf "
                                      "spark.driver.memory=8g (spark.executor.memory on a "
                                      "cluster)")) from exc
        raise
    finally:
        spark.stop()
        if log is not None:
            log.close()
            if not keep_log:
                Path(log.name).unlink(missing_ok=True)


class SparkFailedError(RatingsError):
    """Spark itself failed while running the command: said in one line, with its log kept."""

    code = "spark_failed"


def _log_place(log) -> str:
    """Where Spark's own words are: the kept log file, or stderr with ``--spark-log``."""
    return L_("Spark's own log: {path}", path=log.name) if log else L_("Spark's log above")


def _said_to_the_user(exc: Exception) -> bool:
    """Bad data or a bad option: the one-line message says it all, Spark's log adds nothing."""
    from recsys_core.cli import UsageError

    return isinstance(exc, (RatingsError, UsageError))


def _failed_in_spark(exc: Exception) -> bool:
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    return isinstance(exc, (Py4JError, PySparkException))


def _spark_reason(exc: Exception) -> str:
    """The Java exception's own first line (``java.lang.OutOfMemoryError: Java heap space``)
    rather than py4j's "An error occurred while calling o52.fit"."""
    java = getattr(exc, "java_exception", None)
    try:
        return _first_line(exc if java is None else java)  # str(java) asks the JVM
    except Exception:  # noqa: BLE001 - the gateway may be gone; py4j's line is still a reason
        return _first_line(exc)


def _start(master: str, settings: dict[str, str], log):
    from pyspark import SparkConf, SparkContext
    from pyspark.java_gateway import launch_gateway
    from pyspark.sql import SparkSession

    spark_conf = SparkConf().setMaster(master).setAppName("recsys_core")
    for key, value in settings.items():
        spark_conf.set(key, value)
    # The JVM's stdout must never reach ours (the JSON); its stderr only when asked.
    streams = {"stdout": log, "stderr": log} if log else {"stdout": sys.stderr}
    gateway = launch_gateway(spark_conf, streams)
    context = SparkContext(conf=spark_conf, gateway=gateway)
    return SparkSession(context)


def _quiet_python_side(log_level: str | None) -> None:
    """pyspark's own Python loggers print a JSON record of every failed query to stderr;
    quiet unless asked (the error still reaches the command as an exception)."""
    import logging

    if not log_level:
        for name in ("pyspark", "DataFrameQueryContextLogger", "py4j"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


def _quiet_python_warnings() -> None:
    # pyspark checks the pandas version on its Arrow path and warns about pandas 3, which
    # this path never hands any data to.
    warnings.filterwarnings("ignore", category=FutureWarning, module=r"pyspark(\.|$)")
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")


def _first_line(error) -> str:
    """An error's first line (a message must stay one line), at most 300 characters."""
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:300]
