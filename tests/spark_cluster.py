"""A Spark standalone cluster on loopback, started from the PySpark package (no downloads).

    with standalone_cluster(tmp_path, workers=2) as cluster:
        subprocess.run(["newsgraph", "spark", "in.jsonl", "--output", "out",
                        "--master", cluster.master_url, *cluster.conf_args()], env=cluster.env)

The pip package of PySpark has no `sbin/start-master.sh`, but its `bin/spark-class` runs any
Spark class with the bundled jars, so the master and each worker are

    spark-class org.apache.spark.deploy.master.Master --host 127.0.0.1 --port 0 --webui-port 0
    spark-class org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port 0 --webui-port 0 \\
        --cores 1 --memory 1g --work-dir DIR spark://127.0.0.1:PORT

Port 0 lets each daemon take a free port when it binds (no race with other users of the
machine); the master's URL is read from its log. Each daemon runs in a session of its own,
so tearing the cluster down signals every process it started (executor JVMs, Python
workers) and `leftover_processes` can prove none survived. Used by tests/test_spark_cluster.py
and bench/bench_spark.py.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

MASTER_CLASS = "org.apache.spark.deploy.master.Master"
WORKER_CLASS = "org.apache.spark.deploy.worker.Worker"
MASTER_URL = re.compile(r"Starting Spark master at (spark://\S+)")
REGISTERED = "Successfully registered with master"
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0


class ClusterError(RuntimeError):
    """The standalone cluster did not start, or left processes behind."""


def missing_requirement() -> str | None:
    """Why a standalone cluster cannot start here (no PySpark, PyArrow or Java), or None."""
    for module, purpose in (("pyspark", "PySpark"), ("pyarrow", "PyArrow (for `newsgraph load`)")):
        try:
            __import__(module)
        except ImportError:
            return f"{purpose} is not installed (pip install 'newsgraph[spark]')"
    if not (shutil.which("java") or os.environ.get("JAVA_HOME")):
        return "Spark needs Java 17+ (no `java` on PATH and no JAVA_HOME)"
    return None


def spark_home() -> Path:
    """The PySpark package folder: its `bin/` and `jars/` are a Spark distribution."""
    import pyspark

    return Path(pyspark.__file__).resolve().parent


def newsgraph_source() -> Path:
    """The folder that holds the `newsgraph` package the driver imports (src/ of this checkout)."""
    import newsgraph

    return Path(newsgraph.__file__).resolve().parent.parent


@dataclass
class Cluster:
    """A running standalone cluster: its URL, its folder and the daemons' processes."""

    master_url: str
    root: Path
    workers: int
    cores: int
    memory: str
    env: dict[str, str]
    processes: list[subprocess.Popen] = field(default_factory=list)

    def conf(self) -> dict[str, str]:
        """Spark settings for an application on this cluster.

        One machine, so every executor runs the driver's interpreter (the shared virtualenv,
        with the spaCy model package) and imports newsgraph from the same folder; without
        PYTHONPATH an executor would import whatever copy the virtualenv has installed.
        """
        python = self.env["PYSPARK_PYTHON"]
        return {
            "spark.executor.memory": self.memory,
            "spark.executor.cores": str(self.cores),
            "spark.cores.max": str(self.cores * self.workers),
            "spark.pyspark.python": python,
            "spark.executorEnv.PYSPARK_PYTHON": python,
            "spark.executorEnv.PYTHONPATH": self.env["PYTHONPATH"],
            "spark.driver.host": "127.0.0.1",
            "spark.driver.bindAddress": "127.0.0.1",
            "spark.local.dir": str(self.root / "scratch"),
            "spark.ui.enabled": "false",
            "spark.sql.shuffle.partitions": str(self.cores * self.workers),
        }

    def conf_args(self) -> list[str]:
        """`conf()` as `--conf KEY=VALUE` arguments (for `newsgraph spark` and `spark-submit`)."""
        return [arg for key, value in self.conf().items() for arg in ("--conf", f"{key}={value}")]

    def session_ids(self) -> set[int]:
        return {p.pid for p in self.processes}

    def stop(self) -> None:
        """Stop the workers, then the master, and everything they started; kill what lingers."""
        for process in reversed(self.processes):
            _signal_session(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for process in self.processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        while leftover_processes(self.session_ids()) and time.monotonic() < deadline:
            time.sleep(0.2)
        for session in self.session_ids():
            _signal_session(session, signal.SIGKILL)
        for process in self.processes:
            process.wait()


def cluster_env(root: Path) -> dict[str, str]:
    """The environment of the daemons and of the driver: loopback only, files under `root`."""
    for folder in ("logs", "work", "scratch"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env.update({
        "SPARK_HOME": str(spark_home()),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(root / "logs"),
        "SPARK_WORKER_DIR": str(root / "work"),
        "SPARK_LOCAL_DIRS": str(root / "scratch"),
        # no REST submission server: it would take the fixed port 6066
        "SPARK_MASTER_OPTS": "-Dspark.master.rest.enabled=false",
        "PYSPARK_PYTHON": sys.executable,
        "PYSPARK_DRIVER_PYTHON": sys.executable,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(newsgraph_source()), os.environ.get("PYTHONPATH")])),
    })
    env.pop("SPARK_CONF_DIR", None)
    return env


@contextmanager
def standalone_cluster(root: Path, *, workers: int = 2, cores: int = 1, memory: str = "1g") -> Iterator[Cluster]:
    """A master and `workers` workers on 127.0.0.1, stopped on exit whatever happens."""
    cluster = Cluster("", root, workers, cores, memory, cluster_env(root))
    try:
        master_log = root / "logs" / "master.out"
        cluster.processes.append(_daemon(cluster, [MASTER_CLASS, "--host", "127.0.0.1", "--port", "0",
                                                   "--webui-port", "0"], master_log))
        cluster.master_url = _wait_for(master_log, cluster.processes[0], MASTER_URL).group(1)
        logs = [root / "logs" / f"worker-{n}.out" for n in range(1, workers + 1)]
        for n, log in enumerate(logs, 1):
            cluster.processes.append(_daemon(cluster, [
                WORKER_CLASS, "--host", "127.0.0.1", "--port", "0", "--webui-port", "0",
                "--cores", str(cores), "--memory", memory, "--work-dir", str(root / "work" / f"worker-{n}"),
                cluster.master_url], log))
        for log, process in zip(logs, cluster.processes[1:]):
            _wait_for(log, process, re.compile(re.escape(REGISTERED)))
        yield cluster
    finally:
        cluster.stop()


def _daemon(cluster: Cluster, args: list[str], log: Path) -> subprocess.Popen:
    spark_class = spark_home() / "bin" / "spark-class"
    with open(log, "wb") as out:
        # a session of its own: the group signal reaches the executors and Python workers too
        return subprocess.Popen([str(spark_class), *args], stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=cluster.env, cwd=cluster.root,
                                start_new_session=True)


def _wait_for(log: Path, process: subprocess.Popen, pattern: re.Pattern) -> re.Match:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        text = log.read_text("utf-8", errors="replace") if log.exists() else ""
        if found := pattern.search(text):
            return found
        if process.poll() is not None:
            raise ClusterError(f"{log.name}: the daemon exited with {process.returncode}:\n{text[-3000:]}")
        time.sleep(0.25)
    raise ClusterError(f"{log.name}: no {pattern.pattern!r} after {START_TIMEOUT_S:.0f} s:\n{text[-3000:]}")


def _signal_session(session: int, sig: signal.Signals) -> None:
    try:
        os.killpg(session, sig)
    except ProcessLookupError:
        pass


def leftover_processes(sessions: set[int]) -> list[str]:
    """`ps` lines of live processes in any of `sessions` (the daemons' sessions)."""
    out = subprocess.run(["ps", "-eo", "pid=,sid=,stat=,args="], capture_output=True, text=True, check=True)
    lines = []
    for line in out.stdout.splitlines():
        pid, sid, stat, *args = line.split(None, 3)
        if int(sid) in sessions and not stat.startswith("Z"):
            lines.append(line.strip()[:200])
    return lines
