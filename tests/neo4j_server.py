"""A real Neo4j 5 Community server for the tests and benchmarks, from Maven Central.

``tools/neo4j/pom.xml`` pins ``org.neo4j:neo4j`` (the 5.26 LTS line; it holds
``org.neo4j.server.CommunityEntryPoint``). :func:`resolve_classpath` runs
``mvn dependency:copy-dependencies`` once into an ignored cache folder
(``tools/neo4j/.cache/lib-<hash of the pom>``, or ``$ORGLINK_NEO4J_CACHE``); Maven's own
repository (``~/.m2``) keeps the downloads across clones and runs, so a second resolve copies
jars and downloads nothing. :class:`Neo4jServer` starts that server with plain ``java -cp``:

* on 127.0.0.1 on a free port, Bolt only (HTTP and HTTPS off);
* heap 1 GB at most, page cache 256 MB, its own home and data directory (a temp folder);
* authentication on, with a generated password set before the first start
  (``neo4j-admin dbms set-initial-password``, run as ``org.neo4j.cli.AdminTool``);
* it waits until Bolt answers a login, and stops by PID (SIGTERM, then SIGKILL);
* on Linux the JVM gets SIGTERM when the process that started it dies (``PR_SET_PDEATHSIG``),
  so a killed test run leaves no server behind.

Command line (for a developer who wants a throwaway server)::

    python -m tests.neo4j_server          # prints the URI and password, stops on Ctrl-C
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POM = ROOT / "tools" / "neo4j" / "pom.xml"
DEFAULT_CACHE = ROOT / "tools" / "neo4j" / ".cache"
CACHE_ENV = "ORGLINK_NEO4J_CACHE"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
USERNAME = "neo4j"

# What Neo4j's own launcher passes to a Java 17+ JVM (server.jvm.additional in neo4j.conf).
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Djdk.tls.ephemeralDHKeySize=2048",
    "-Djdk.tls.rejectClientInitiatedRenegotiation=true",
    "-XX:FlightRecorderOptions=stackdepth=256",
    "-XX:+UnlockDiagnosticVMOptions",
    "-XX:+DebugNonSafepoints",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "-Dlog4j2.disable.jmx=true",
    "-Dfile.encoding=UTF-8",
)


def neo4j_version() -> str:
    """The Neo4j version pinned in ``tools/neo4j/pom.xml``."""
    m = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", POM.read_text(encoding="utf-8"))
    return m.group(1) if m else "?"


class ServerError(RuntimeError):
    """The test server could not be resolved or started; the message says why and what to do."""


def requirements() -> list[str]:
    """What is missing to start a server here (``[]`` when Java and Maven are on PATH)."""
    return [tool for tool in ("java", "mvn") if shutil.which(tool) is None]


def _cache_dir() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_CACHE)


def resolve_classpath(log=None) -> Path:  # type: ignore[no-untyped-def]
    """The folder holding the server's runtime jars, resolved with Maven on first use.

    The folder is named by a hash of ``pom.xml``, so changing the pinned version resolves
    anew; a folder is used only once the copy finished (marker file ``.complete``).
    ``log``, if given, is called with one line before a resolve starts.
    """
    pom = POM.read_bytes()
    lib = _cache_dir() / f"lib-{hashlib.sha256(pom).hexdigest()[:16]}"
    if (lib / ".complete").is_file():
        return lib
    if requirements():
        raise ServerError(f"starting the test Neo4j needs {' and '.join(requirements())} on PATH")
    lib.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=lib.name + ".", dir=lib.parent))
    if log:
        log(f"resolving Neo4j from Maven Central into {lib} (first run only)")
    cmd = ["mvn", "-q", "-B", "-f", str(POM), "dependency:copy-dependencies",
           "-DincludeScope=runtime", f"-DoutputDirectory={partial}"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        raise ServerError(f"mvn could not resolve {POM} (exit {proc.returncode}):\n"
                          f"{(proc.stdout + proc.stderr)[-3000:]}")
    if not any(partial.glob("neo4j-5*.jar")):
        shutil.rmtree(partial, ignore_errors=True)
        raise ServerError(f"mvn resolved {POM} but no neo4j jar arrived in {partial}")
    (partial / ".complete").write_text(" ".join(cmd) + "\n", encoding="utf-8")
    try:
        partial.rename(lib)
    except OSError:  # another run finished first: use its folder
        shutil.rmtree(partial, ignore_errors=True)
    return lib


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to SIGTERM this process when its parent dies (no effect elsewhere)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass
class Neo4jServer:
    """One throwaway Neo4j Community server (see the module docstring)."""

    heap: str = "1g"
    page_cache: str = "256m"
    port: int = 0
    # hex: a password starting with "-" would be taken for an option by neo4j-admin
    password: str = field(default_factory=lambda: secrets.token_hex(16))
    home: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    lib: Path | None = None
    started_in: float = 0.0
    pid_seen: int | None = None  # the last JVM's pid (kept after stop)

    @property
    def uri(self) -> str:
        """The Bolt URI of the running server."""
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def username(self) -> str:
        """The login (the built-in admin user)."""
        return USERNAME

    @property
    def pid(self) -> int | None:
        """The JVM's process id while it runs."""
        return self.proc.pid if self.proc is not None else None

    def _java(self, main: str, *args: str) -> list[str]:
        assert self.lib is not None and self.home is not None
        return ["java", f"-Xms{self.heap}", f"-Xmx{self.heap}", *JVM_OPTIONS,
                "-cp", f"{self.lib}/*", f"-Dneo4j.home={self.home}", main, *args]

    def _env(self) -> dict[str, str]:
        assert self.home is not None
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.home / "conf")}

    def _write_conf(self) -> None:
        assert self.home is not None
        conf = self.home / "conf"
        for sub in ("conf", "data", "logs", "plugins", "import", "run"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        (conf / "neo4j.conf").write_text("\n".join([
            "# written by tests/neo4j_server.py",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{self.port}",
            f"server.bolt.advertised_address=127.0.0.1:{self.port}",
            "server.bolt.enabled=true",
            "server.http.enabled=false",
            "server.https.enabled=false",
            "dbms.security.auth_enabled=true",
            f"server.memory.heap.initial_size={self.heap}",
            f"server.memory.heap.max_size={self.heap}",
            f"server.memory.pagecache.size={self.page_cache}",
            "dbms.usage_report.enabled=false",
            "db.tx_log.rotation.retention_policy=1 files",
            "server.logs.gc.enabled=false",
            "",
        ]), encoding="utf-8")

    def start(self, timeout: float = 180.0, log=None) -> Neo4jServer:  # type: ignore[no-untyped-def]
        """Resolve (first time), configure, set the password, start, and wait for Bolt."""
        t0 = time.monotonic()
        self.lib = self.lib or resolve_classpath(log)
        fresh = self.home is None
        if fresh:
            self.home = Path(tempfile.mkdtemp(prefix="orglink-neo4j-"))
        if not self.port:
            self.port = free_port()
        self._write_conf()
        if fresh:
            proc = subprocess.run(self._java(ADMIN_TOOL, "dbms", "set-initial-password", self.password),
                                  env=self._env(), capture_output=True, text=True, timeout=300)
            if proc.returncode != 0:
                raise ServerError(f"neo4j-admin set-initial-password failed (exit {proc.returncode}):\n"
                                  f"{(proc.stdout + proc.stderr)[-3000:]}")
        out = open(self.home / "logs" / "console.log", "ab")  # noqa: SIM115 - the child keeps it
        try:
            self.proc = subprocess.Popen(
                self._java(ENTRY_POINT, f"--home-dir={self.home}", f"--config-dir={self.home / 'conf'}"),
                env=self._env(), stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
        finally:
            out.close()
        try:
            self._wait_for_bolt(t0 + timeout)
        except BaseException:
            self.stop(remove=False)
            raise
        self.started_in = time.monotonic() - t0
        self.pid_seen = self.proc.pid if self.proc is not None else None
        return self

    def _wait_for_bolt(self, deadline: float) -> None:
        from neo4j import GraphDatabase
        from neo4j import exceptions as nx

        last: Exception | None = None
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise ServerError(f"Neo4j exited with code {self.proc.returncode} while starting:\n"
                                  f"{self.log_tail()}")
            try:
                with GraphDatabase.driver(self.uri, auth=(USERNAME, self.password)) as driver:
                    driver.verify_connectivity()
                    # every database online (the default one comes up after "system")
                    records, _, _ = driver.execute_query(
                        "SHOW DATABASES YIELD name, currentStatus "
                        "RETURN count(*) AS all, count(CASE WHEN currentStatus = 'online' THEN 1 END) AS up",
                        database_="system")
                    if records[0]["all"] >= 2 and records[0]["all"] == records[0]["up"]:
                        records, _, _ = driver.execute_query("RETURN 1 AS one")
                        if records[0]["one"] == 1:
                            return
            except (nx.ServiceUnavailable, nx.SessionExpired, nx.DatabaseUnavailable, OSError) as exc:
                last = exc
            time.sleep(0.25)
        raise ServerError(f"Neo4j did not answer on {self.uri} in time ({last}):\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        """The last lines of the server's logs (for error messages)."""
        if self.home is None:
            return ""
        out = []
        for name in ("console.log", "neo4j.log"):
            path = self.home / "logs" / name
            if path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:]
                out.append(f"--- {path}\n" + "\n".join(text))
        return "\n".join(out)

    def stop(self, remove: bool = True, timeout: float = 60.0) -> None:
        """Stop the JVM by PID (SIGTERM, SIGKILL after ``timeout``); ``remove`` deletes its home."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
        self.proc = None
        if remove and self.home is not None:
            shutil.rmtree(self.home, ignore_errors=True)
            self.home = None

    def restart(self, timeout: float = 180.0) -> None:
        """Stop and start again on the same port and data (the password stays)."""
        self.stop(remove=False)
        self.start(timeout)


def main() -> int:
    """``python -m tests.neo4j_server``: start a server, print how to reach it, wait for Ctrl-C."""
    srv = Neo4jServer()
    try:
        srv.start(log=lambda line: print(line, file=sys.stderr))
    except ServerError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"ORGLINK_TEST_NEO4J_URI={srv.uri}\nORGLINK_TEST_NEO4J_USERNAME={srv.username}\n"
          f"ORGLINK_TEST_NEO4J_PASSWORD={srv.password}\n# pid {srv.pid}, started in {srv.started_in:.1f} s;"
          f" Ctrl-C stops it", flush=True)
    try:
        while srv.proc is not None and srv.proc.poll() is None:
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
