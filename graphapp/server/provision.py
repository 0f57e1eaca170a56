"""Where the Neo4j graphapp talks to comes from: one code path, three sources, in this order.

1. ``NEO4J_URI`` (with ``NEO4J_USER`` and ``NEO4J_PASSWORD``) when set: Aura, a cluster, any server.
2. A Docker engine that answers: ``docker compose`` runs the Neo4j Community image.
3. Otherwise the local server that :mod:`graphapp.server.localserver` builds from Maven Central.

The password for the Docker and local sources is generated once and kept in ``.neo4j/<instance>``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass

from graphapp import config
from graphapp.server import localserver


@dataclass(frozen=True)
class Neo4jTarget:
    """How to reach the database, and where it came from (env, docker or local)."""

    uri: str
    user: str
    password: str
    source: str
    instance: str = "dev"


def docker_answers() -> bool:
    """True when a Docker engine (not just the client) answers."""
    if config.docker_disabled() or not shutil.which("docker"):
        return False
    try:
        return subprocess.run(
            ["docker", "info"], capture_output=True, timeout=10
        ).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


DOCKER_PORTS = {"dev": 7687, "test": 7688}


def resolve(instance: str = "dev") -> Neo4jTarget:
    """The target for ``instance`` without starting anything."""
    given = config.neo4j_uri()
    if given:
        return Neo4jTarget(*given, "env", instance)
    pw = localserver.password(instance)
    marker = localserver.instance_dir(instance) / "run" / "docker"
    if marker.exists():
        return Neo4jTarget(
            f"neo4j://127.0.0.1:{DOCKER_PORTS.get(instance, 7687)}", "neo4j", pw, "docker", instance
        )
    return Neo4jTarget(localserver.uri(instance), "neo4j", pw, "local", instance)


def start(instance: str = "dev", echo=print) -> Neo4jTarget:
    """Make the database answer: nothing to do for NEO4J_URI, else Docker, else the local server."""
    if config.neo4j_uri():
        target = resolve(instance)
        if not localserver.bolt_answers(target.uri, target.user, target.password, timeout=10):
            raise localserver.LocalServerError(
                f"NEO4J_URI={target.uri} does not answer with NEO4J_USER={target.user}"
            )
        return target
    if docker_answers():
        return _docker_start(instance, echo)
    localserver.start(instance, echo=echo)
    return resolve(instance)


def stop(instance: str = "dev") -> bool:
    target = resolve(instance)
    if target.source == "docker":
        subprocess.run([*_compose(instance), "down"], check=False)
        (localserver.instance_dir(instance) / "run" / "docker").unlink(missing_ok=True)
        return True
    if target.source == "local":
        return localserver.stop(instance)
    return False


def _compose(instance: str) -> list[str]:
    return ["docker", "compose", "-p", f"graphapp-{instance}",
            "-f", str(config.PROJECT_ROOT / "docker-compose.yml")]


def _docker_start(instance: str, echo) -> Neo4jTarget:
    run_dir = localserver.instance_dir(instance) / "run"
    run_dir.mkdir(parents=True, exist_ok=True)
    env = config.child_environment(
        NEO4J_PASSWORD=localserver.password(instance),
        NEO4J_BOLT_PORT=str(DOCKER_PORTS.get(instance, 7687)),
        NEO4J_VERSION=localserver.NEO4J_VERSION,
    )
    echo(f"Starting Neo4j {localserver.NEO4J_VERSION} ({instance}) with docker compose...")
    subprocess.run([*_compose(instance), "up", "-d", "neo4j"], env=env, check=True)
    (run_dir / "docker").write_text("compose")
    target = resolve(instance)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if localserver.bolt_answers(target.uri, target.user, target.password):
            return target
        time.sleep(1)
    raise localserver.LocalServerError("the Neo4j container did not answer within 180s")


def status(instance: str = "dev") -> dict:
    target = resolve(instance)
    if target.source == "local":
        local = localserver.status(instance)
        return {"source": "local", "uri": local.uri, "answers": local.answers,
                "running": local.running, "pid": local.pid, "instance": instance,
                "version": local.version, "home": local.home}
    answers = localserver.bolt_answers(target.uri, target.user, target.password)
    return {"source": target.source, "uri": target.uri, "answers": answers,
            "running": answers, "instance": instance}
