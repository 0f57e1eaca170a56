"""A local Neo4j Community server, assembled from Maven Central and run with this machine's JDK.

Layout (all git-ignored, under ``<project>/.neo4j``):

    dist/<version>/lib/*.jar      the server's jars, copied by ``mvn dependency:copy-dependencies``
    <instance>/conf/neo4j.conf    one folder per instance ("dev" for the app, "test" for the suite)
    <instance>/data, logs, run/   the data survives restarts; run/ holds the pid and state files
    <instance>/password           the generated password of the ``neo4j`` user (mode 600)

The server listens on 127.0.0.1 only, and is ready when Bolt answers a query.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from graphapp import config

NEO4J_VERSION = "2026.08.1"
MIN_JAVA = 21
PREFERRED_PORTS = {"dev": 7687, "test": 7688}

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>graphapp.local</groupId>
  <artifactId>neo4j-community-local</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>{version}</version>
    </dependency>
    <dependency>
      <groupId>org.neo4j.app</groupId><artifactId>neo4j-server</artifactId><version>{version}</version>
    </dependency>
  </dependencies>
</project>
"""

CONF = """# Written by graphapp; edits are overwritten at the next start.
server.default_listen_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:{port}
server.bolt.advertised_address=127.0.0.1:{port}
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
server.directories.data=data
server.directories.logs=logs
server.directories.run=run
server.directories.plugins=plugins
server.directories.import=import
server.memory.heap.initial_size={heap}
server.memory.heap.max_size={heap}
server.memory.pagecache.size={pagecache}
dbms.usage_report.enabled=false
db.tx_log.rotation.retention_policy=2 files
"""


class LocalServerError(RuntimeError):
    """Something the local server needs is missing or failed; the message says what."""


@dataclass
class LocalStatus:
    instance: str
    uri: str
    running: bool
    answers: bool
    pid: int | None
    home: str
    version: str = NEO4J_VERSION


def base_dir() -> Path:
    return config.neo4j_home()


def dist_dir() -> Path:
    return base_dir() / "dist" / NEO4J_VERSION


def instance_dir(instance: str) -> Path:
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,30}", instance):
        raise LocalServerError(f"instance name {instance!r}: use lowercase letters, digits, - or _")
    return base_dir() / instance


# --- Java and Maven -----------------------------------------------------------------------


def _java_major(java: Path) -> int | None:
    try:
        out = subprocess.run(
            [str(java), "-version"], capture_output=True, text=True, timeout=30
        ).stderr
    except (OSError, subprocess.TimeoutExpired):
        return None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not m:
        return None
    major = int(m.group(1))
    return int(m.group(2)) if major == 1 and m.group(2) else major


def find_java() -> Path:
    """The newest JDK on this machine that runs Neo4j (Java 21 or later)."""
    candidates: list[Path] = []
    if config.java_home():
        candidates.append(config.java_home() / "bin" / "java")
    for jvm_root in (Path("/usr/lib/jvm"), Path("/opt/java"), Path("/usr/local/lib/jvm")):
        if jvm_root.is_dir():
            candidates += sorted(jvm_root.glob("*/bin/java"))
    if shutil.which("java"):
        candidates.append(Path(shutil.which("java")))
    found = [(v, j) for j in candidates if j.exists() and (v := _java_major(j))]
    usable = [(v, j) for v, j in found if v >= MIN_JAVA]
    if usable:
        return max(usable, key=lambda vj: vj[0])[1]
    seen = ", ".join(f"Java {v} at {j}" for v, j in found) or "no Java at all"
    raise LocalServerError(
        f"Neo4j {NEO4J_VERSION} needs Java {MIN_JAVA} or newer; this machine has {seen}. "
        "Install a JDK 21+ (e.g. `apt-get install openjdk-21-jre-headless`, or a Temurin JDK) "
        "or point JAVA_HOME at one."
    )


def find_maven() -> str:
    mvn = shutil.which("mvn")
    if not mvn:
        raise LocalServerError(
            "Maven (`mvn`) is not on PATH: it fetches Neo4j Community from Maven Central. "
            "Install it (e.g. `apt-get install maven`), or set NEO4J_URI to a running Neo4j."
        )
    return mvn


# --- the distribution -----------------------------------------------------------------------


def ensure_distribution(echo=print) -> Path:
    """Copy the Neo4j Community jars from Maven Central once; later calls reuse them."""
    lib = dist_dir() / "lib"
    done = dist_dir() / ".complete"
    if done.exists():
        return lib
    mvn = find_maven()
    dist_dir().mkdir(parents=True, exist_ok=True)
    (dist_dir() / "pom.xml").write_text(POM.format(version=NEO4J_VERSION))
    echo(f"Fetching Neo4j Community {NEO4J_VERSION} from Maven Central (once, ~150 MB)...")
    tmp = dist_dir() / "lib.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    proc = subprocess.run(
        [mvn, "-q", "-B", "dependency:copy-dependencies",
         f"-DoutputDirectory={tmp}", "-DincludeScope=runtime"],
        cwd=dist_dir(), capture_output=True, text=True,
    )
    if proc.returncode != 0:
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-15:])
        raise LocalServerError(f"mvn could not fetch Neo4j {NEO4J_VERSION}:\n{tail}")
    shutil.rmtree(lib, ignore_errors=True)
    tmp.rename(lib)
    done.write_text(NEO4J_VERSION)
    return lib


# --- one instance ---------------------------------------------------------------------------


def _state_file(instance: str) -> Path:
    return instance_dir(instance) / "run" / "graphapp-state.json"


def _read_state(instance: str) -> dict:
    try:
        return json.loads(_state_file(instance).read_text())
    except (OSError, ValueError):
        return {}


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited child not yet reaped) is not a running server.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _choose_port(instance: str) -> int:
    state = _read_state(instance)
    env_port = config.instance_port(instance)
    for port in (env_port, state.get("port"), PREFERRED_PORTS.get(instance)):
        if port and _port_free(int(port)):
            return int(port)
    if env_port:
        raise LocalServerError(
            f"port {env_port} (GRAPHAPP_NEO4J_{instance.upper()}_PORT) is in use")
    with socket.socket() as s:  # any free port; it is recorded in the state file
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def password(instance: str) -> str:
    """The instance's password, generated once and kept beside its data (mode 600)."""
    path = instance_dir(instance) / "password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(20))  # hex: a leading "-" breaks admin tools
        path.chmod(0o600)
    return path.read_text().strip()


def uri(instance: str) -> str:
    port = _read_state(instance).get("port") or PREFERRED_PORTS.get(instance, 7687)
    return f"neo4j://127.0.0.1:{port}"


def bolt_answers(bolt_uri: str, user: str, pw: str, timeout: float = 3.0) -> bool:
    """True when the server at ``bolt_uri`` runs a query with these credentials."""
    from neo4j import GraphDatabase
    from neo4j.exceptions import Neo4jError, ServiceUnavailable

    quiet = logging.getLogger("neo4j")
    level = quiet.level
    quiet.setLevel(logging.CRITICAL)  # a booting server makes the driver log every failed try
    try:
        with GraphDatabase.driver(
            bolt_uri, auth=(user, pw), connection_timeout=timeout, max_transaction_retry_time=0
        ) as driver:
            driver.execute_query("RETURN 1")
            return True
    except (ServiceUnavailable, Neo4jError, OSError, ValueError):
        return False
    except Exception:  # driver raises a few internal errors while a server boots
        return False
    finally:
        quiet.setLevel(level)


def server_cpu_seconds(instance: str) -> float | None:
    """CPU seconds the instance's running server has used so far (Linux /proc), or None."""
    return process_cpu_seconds(_read_state(instance).get("pid"))


def process_cpu_seconds(pid: int | str | None) -> float | None:
    """CPU seconds (user + system) a process has used so far (Linux /proc), or None when it is
    gone or unknown: the benchmarks read the server's and the web workers' cost this way."""
    try:
        fields = Path(f"/proc/{int(pid)}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError, ValueError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def status(instance: str = "dev") -> LocalStatus:
    state = _read_state(instance)
    pid = state.get("pid")
    running = _pid_alive(pid)
    the_uri = uri(instance)
    answers = running and bolt_answers(the_uri, "neo4j", password(instance))
    return LocalStatus(instance, the_uri, running, answers, pid if running else None,
                       str(instance_dir(instance)))


def start(instance: str = "dev", timeout: float = 180.0, echo=print) -> LocalStatus:
    """Start the instance unless it already runs; return once Bolt answers a query."""
    current = status(instance)
    if current.running:
        if current.answers or _wait_for_bolt(instance, current.pid, timeout):
            return status(instance)
        raise LocalServerError(f"Neo4j ({instance}) runs as pid {current.pid} but does not answer")
    java = find_java()
    lib = ensure_distribution(echo)
    home = instance_dir(instance)
    for sub in ("conf", "data", "logs", "run", "plugins", "import"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    port = _choose_port(instance)
    heap, pagecache = config.server_memory()
    (home / "conf" / "neo4j.conf").write_text(CONF.format(port=port, heap=heap,
                                                          pagecache=pagecache))
    env = config.child_environment(NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    classpath = f"{lib}/*"
    first_start = not (home / "data" / "databases").exists()
    if first_start and not (home / "data" / "dbms" / "auth.ini").exists():
        proc = subprocess.run(
            [str(java), "-cp", classpath, "org.neo4j.cli.AdminTool",
             "dbms", "set-initial-password", password(instance)],
            env=env, capture_output=True, text=True, cwd=home,
        )
        if proc.returncode != 0:
            raise LocalServerError(f"could not set the initial password:\n{proc.stderr[-2000:]}")
    echo(f"Starting Neo4j {NEO4J_VERSION} ({instance}) on 127.0.0.1:{port} with {java}...")
    log = open(home / "logs" / "console.log", "ab")  # noqa: SIM115 - handed to the child
    proc = subprocess.Popen(
        [str(java), "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError",
         "--enable-native-access=ALL-UNNAMED",
         "-cp", classpath, "org.neo4j.server.Neo4jCommunity",
         f"--home-dir={home}", f"--config-dir={home / 'conf'}"],
        env=env, cwd=home, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    _state_file(instance).write_text(json.dumps({"pid": proc.pid, "port": port}))
    if not _wait_for_bolt(instance, proc.pid, timeout):
        tail = _log_tail(home)
        stop(instance)
        raise LocalServerError(f"Neo4j ({instance}) did not answer within {timeout:.0f}s.\n{tail}")
    return status(instance)


def _wait_for_bolt(instance: str, pid: int | None, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    pw = password(instance)
    while time.monotonic() < deadline:
        if not _pid_alive(pid):
            return False
        if bolt_answers(uri(instance), "neo4j", pw):
            return True
        time.sleep(0.5)
    return False


def _log_tail(home: Path, lines: int = 20) -> str:
    for name in ("neo4j.log", "console.log"):
        path = home / "logs" / name
        if path.exists():
            return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def stop(instance: str = "dev", timeout: float = 60.0) -> bool:
    """Stop the instance cleanly (SIGTERM, then SIGKILL after ``timeout``). False if not running."""
    pid = _read_state(instance).get("pid")
    if not _pid_alive(pid):
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(ChildProcessError):  # reap it if it is our child
            os.waitpid(pid, os.WNOHANG)
        if not _pid_alive(pid):
            return True
        time.sleep(0.2)
    os.kill(pid, signal.SIGKILL)
    return True


def instances() -> list[str]:
    root = base_dir()
    if not root.is_dir():
        return []
    return sorted(p.parent.parent.name for p in root.glob("*/run/graphapp-state.json"))


def status_dict(s: LocalStatus) -> dict:
    return asdict(s)
