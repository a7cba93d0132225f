"""The container set-up as shipped: Dockerfile, docker-compose.yml, .env.example and the Kubernetes
manifests are parsed and checked, then the image's command runs for real with the compose settings
(next to a redis-server run with the compose Redis flags) and is probed with the image's healthcheck."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

import pytest
import yaml

from readerly.app import create_app
from readerly.config import SETTINGS, config_table, load_config
from tests.conftest import ROOT, require
from tests.support.redis_server import RedisServer, free_port

KUBERNETES = ROOT / "deploy" / "kubernetes"
_INTERPOLATION = re.compile(r"\$\{(\w+)(?::-([^}]*))?\}")


@dataclass
class Stage:
    """One FROM ... block of the Dockerfile: its base and instructions in order."""

    base: str
    name: str | None
    instructions: list[tuple[str, str]] = field(default_factory=list)

    def all(self, keyword: str) -> list[str]:
        return [args for word, args in self.instructions if word == keyword]

    def env(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for args in self.all("ENV"):
            values.update(dict(item.split("=", 1) for item in shlex.split(args)))
        return values


def _dockerfile() -> list[Stage]:
    text = re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text())
    args: dict[str, str] = {}
    stages: list[Stage] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        word, rest = word.upper(), rest.strip()
        if word == "ARG" and not stages:
            name, _, default = rest.partition("=")
            args[name] = default
        elif word == "FROM":
            parts = rest.split()
            base = _INTERPOLATION.sub(lambda m: args.get(m.group(1), ""), parts[0])
            stages.append(Stage(base, parts[2] if len(parts) > 2 and parts[1].upper() == "AS" else None))
        else:
            stages[-1].instructions.append((word, rest))
    return stages


def _exec_form(args: str) -> list[str]:
    value = json.loads(args)
    assert isinstance(value, list), f"{args} is not the exec (JSON) form"
    return [str(v) for v in value]


def _compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return data


def _interpolate(value: str) -> str:
    """Compose's ${VAR:-default} with nothing set: the default."""
    return _INTERPOLATION.sub(lambda m: m.group(2) or "", value)


def test_dockerfile_is_multi_stage_on_slim_python_311() -> None:
    stages = _dockerfile()
    assert len(stages) >= 2
    assert all(re.fullmatch(r"python:3\.11-slim(-\w+)?", s.base) for s in stages)


def test_final_stage_runs_as_an_unprivileged_user() -> None:
    users = _dockerfile()[-1].all("USER")
    assert users, "the image must not run as root"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0") and int(user) >= 1000


def test_image_command_healthcheck_and_bind_address() -> None:
    final = _dockerfile()[-1]
    assert _exec_form(final.all("CMD")[-1]) == ["readerly", "serve"]
    healthcheck = final.all("HEALTHCHECK")[-1]
    assert _exec_form(healthcheck.split("CMD", 1)[1].strip()) == ["readerly", "healthcheck"]
    assert final.env()["READERLY_HOST"] == "0.0.0.0"
    assert final.env()["READERLY_PORT"] == final.all("EXPOSE")[-1]
    instructions = " ".join(args for stage in _dockerfile() for _, args in stage.instructions)
    assert not re.search(r"\b(curl|wget)\b", instructions)


def test_only_the_package_goes_into_the_image() -> None:
    stages = _dockerfile()
    sources = [shlex.split(args)[:-1] for stage in stages for args in stage.all("COPY")]
    from_context = {src for srcs in sources if not any(s.startswith("--from=") for s in srcs) for src in srcs}
    assert from_context == {"pyproject.toml", "README.md", "server"}
    assert all(any(s.startswith("--from=") for s in srcs) for srcs in
               (shlex.split(a)[:-1] for a in stages[-1].all("COPY")))
    assert not stages[-1].all("ADD")


def _ignored(path: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent folders wins."""
    prefixes = ["/".join(path.split("/")[:i]) for i in range(1, path.count("/") + 2)]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        glob = pattern.lstrip("!").rstrip("/")
        if any(fnmatchcase(p, glob) and (glob.count("/") >= p.count("/") or "**" in glob) for p in prefixes):
            ignored = not negated
    return ignored


def test_build_context_leaves_out_tests_extension_and_tools() -> None:
    require(shutil.which("git") is not None and (ROOT / ".git").exists(), "not a git checkout")
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
                if line.strip() and not line.startswith("#")]
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    sent = [f for f in files if not _ignored(f, patterns)]
    assert "pyproject.toml" in sent and "server/readerly/app.py" in sent
    assert all(f in ("pyproject.toml", "README.md") or f.startswith("server/") for f in sent), sent
    assert _ignored("tests/test_api.py", patterns) and _ignored("extension/manifest.json", patterns)
    assert _ignored("server/readerly/__pycache__/app.cpython-311.pyc", patterns)


def test_compose_publishes_on_loopback_and_waits_for_a_healthy_redis() -> None:
    services = _compose()["services"]
    readerly, redis = services["readerly"], services["redis"]
    assert readerly["ports"] and all(str(p).startswith("127.0.0.1:") for p in readerly["ports"])
    published = _interpolate(str(readerly["ports"][0])).split(":")
    assert published[1:] == ["8080", readerly["environment"]["READERLY_PORT"]]
    assert readerly["depends_on"]["redis"]["condition"] == "service_healthy"
    assert readerly["healthcheck"]["test"] == ["CMD", "readerly", "healthcheck"]
    assert redis["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert readerly["env_file"] == [{"path": ".env", "required": False}]
    assert readerly["environment"]["READERLY_HOST"] == "0.0.0.0"


def test_compose_stops_gracefully_and_bounds_its_logs() -> None:
    services = _compose()["services"]
    grace = re.fullmatch(r"(\d+)s", services["readerly"]["stop_grace_period"])
    assert grace and int(grace.group(1)) > load_config({}).timeout
    assert services["readerly"]["read_only"] is True and "/tmp" in services["readerly"]["tmpfs"]
    for service in services.values():
        assert service["logging"]["options"]["max-size"]


def test_compose_redis_is_a_bounded_cache_without_persistence() -> None:
    command = _compose()["services"]["redis"]["command"]
    flags = dict(zip(command[1::2], command[2::2], strict=True))
    assert command[0] == "redis-server"
    assert flags == {"--save": "", "--appendonly": "no", "--maxmemory": "256mb",
                     "--maxmemory-policy": "allkeys-lru"}


def test_compose_runs_the_image_command() -> None:
    readerly = _compose()["services"]["readerly"]
    assert readerly["build"] == "."
    assert "command" not in readerly and "entrypoint" not in readerly  # the image's CMD: readerly serve


def _env_example() -> dict[str, str]:
    values = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        match = re.fullmatch(r"#?\s*(READERLY_\w+)=(.*)", line.strip())
        if match:
            values[match.group(1)] = match.group(2)
    return values


def test_env_example_documents_every_setting_with_its_default() -> None:
    documented = _env_example()
    expected = {s.env for s in SETTINGS} | {f"{s.env}_FILE" for s in SETTINGS if s.secret}
    assert set(documented) == expected
    for row in config_table():
        shown = documented[row["variable"]]
        assert shown == ("" if row["default"] == "(unset)" else row["default"]), row["variable"]
        load_config({row["variable"]: shown})  # every line is a valid value as written


def _kubernetes() -> dict[str, dict[str, Any]]:
    documents: dict[str, dict[str, Any]] = {}
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text()):
            if document:
                documents[f"{document['kind']}/{path.name}"] = document
    return documents


def _one(documents: dict[str, dict[str, Any]], kind: str) -> dict[str, Any]:
    found = [d for key, d in documents.items() if key.startswith(kind + "/")]
    assert len(found) == 1, kind
    return found[0]


def test_kubernetes_probes_hit_real_routes_on_the_container_port() -> None:
    documents = _kubernetes()
    deployment = _one(documents, "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    env = {e["name"]: e for e in container["env"]}
    assert int(env["READERLY_PORT"]["value"]) == ports["http"] == int(_dockerfile()[-1].env()["READERLY_PORT"])
    assert env["READERLY_HOST"]["value"] == "0.0.0.0"
    probes = {name: container[name]["httpGet"] for name in ("livenessProbe", "readinessProbe")}
    assert probes["livenessProbe"]["path"] == "/healthz" and probes["readinessProbe"]["path"] == "/readyz"
    client = create_app({"redis_url": ""}).test_client()
    for probe in [*probes.values(), container["startupProbe"]["httpGet"]]:
        assert probe["port"] in ports or probe["port"] in ports.values()
        assert client.get(probe["path"]).status_code == 200


def test_kubernetes_pods_are_unprivileged_bounded_and_read_tokens_from_a_secret() -> None:
    pod = _one(_kubernetes(), "Deployment")["spec"]["template"]["spec"]
    container = pod["containers"][0]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert str(pod["securityContext"]["runAsUser"]) == _dockerfile()[-1].all("USER")[-1].split(":")[0]
    assert container["securityContext"]["allowPrivilegeEscalation"] is False
    assert container["securityContext"]["readOnlyRootFilesystem"] is True
    assert "/tmp" in {m["mountPath"] for m in container["volumeMounts"]}
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    assert "memory" in container["resources"]["limits"]
    tokens = next(e for e in container["env"] if e["name"] == "READERLY_API_TOKENS")
    assert tokens["valueFrom"]["secretKeyRef"]["name"]
    assert pod["terminationGracePeriodSeconds"] > load_config({}).timeout


def test_kubernetes_service_and_autoscaler_point_at_the_deployment() -> None:
    documents = _kubernetes()
    deployment, service, hpa = (_one(documents, k) for k in ("Deployment", "Service", "HorizontalPodAutoscaler"))
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    port_names = {p["name"] for p in deployment["spec"]["template"]["spec"]["containers"][0]["ports"]}
    assert {p["targetPort"] for p in service["spec"]["ports"]} <= port_names
    target = hpa["spec"]["scaleTargetRef"]
    assert (target["kind"], target["name"]) == ("Deployment", deployment["metadata"]["name"])
    assert 1 < hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    listed = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())["resources"]
    assert all((KUBERNETES / name).is_file() for name in listed) and "secret.example.yaml" not in listed


def _installed(argv: list[str]) -> list[str]:
    """The image's argv with `readerly` resolved to this environment's console script."""
    script = Path(sys.executable).parent / argv[0]
    program = str(script) if script.exists() else shutil.which(argv[0])
    return [program, *argv[1:]] if program else [sys.executable, "-m", "readerly.cli", *argv[1:]]


@pytest.fixture
def compose_redis(redis_binary: str, tmp_path: Path) -> Iterator[RedisServer]:
    """redis-server started with exactly the compose service's flags (plus a free loopback port)."""
    server = RedisServer(redis_binary, tmp_path)
    server.start(tuple(_compose()["services"]["redis"]["command"][1:]))
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.redis
def test_image_command_serves_with_the_compose_settings_and_passes_its_healthcheck(
        compose_redis: RedisServer, tmp_path: Path) -> None:
    cli = shutil.which("redis-cli")
    require(cli is not None, "redis-cli is not installed")
    assert cli is not None
    ping = _compose()["services"]["redis"]["healthcheck"]["test"][1:]
    assert subprocess.run([cli, "-p", str(compose_redis.port), *ping[1:]], capture_output=True, text=True,
                          check=False).stdout.strip() == "PONG"
    policy = subprocess.run([cli, "-p", str(compose_redis.port), "config", "get", "maxmemory-policy"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert policy == ["maxmemory-policy", "allkeys-lru"]

    final = _dockerfile()[-1]
    port = free_port()
    environment = {k: _interpolate(str(v)) for k, v in _compose()["services"]["readerly"]["environment"].items()}
    # The compose network's "redis" host is this test's redis-server; the container port is a free one.
    environment["READERLY_REDIS_URL"] = environment["READERLY_REDIS_URL"].replace(
        "redis:6379", f"127.0.0.1:{compose_redis.port}")
    environment["READERLY_PORT"] = str(port)
    env = {**os.environ, **{k: v for k, v in final.env().items() if k.startswith(("READERLY_", "PYTHON"))},
           **environment}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    healthcheck = _installed(_exec_form(final.all("HEALTHCHECK")[-1].split("CMD", 1)[1].strip()))
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(_installed(_exec_form(final.all("CMD")[-1])), env=env,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        deadline = time.monotonic() + 30
        while subprocess.run(healthcheck, env=env, capture_output=True, check=False).returncode != 0:
            assert process.poll() is None, f"readerly serve exited: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, "the image's healthcheck never passed"
            time.sleep(0.2)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=5) as response:
            assert json.loads(response.read())["cache"] == "redis"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()[-3000:]
    assert subprocess.run(healthcheck, env=env, capture_output=True, check=False).returncode == 1


def test_image_command_survives_worker_recycling(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "READERLY_REDIS_URL": "", "READERLY_PORT": str(port), "READERLY_WORKERS": "2",
           "READERLY_MAX_REQUESTS": "3", "READERLY_MAX_REQUESTS_JITTER": "0"}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(_installed(_exec_form(_dockerfile()[-1].all("CMD")[-1])), env=env,
                                   stdout=subprocess.DEVNULL, stderr=stderr)
    try:
        healthcheck = _installed(["readerly", "healthcheck"])
        deadline = time.monotonic() + 30
        while subprocess.run(healthcheck, env=env, capture_output=True, check=False).returncode != 0:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        # Each worker is replaced after 3 requests: several generations of workers answer these.
        for _ in range(16):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
                assert response.status == 200
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0, log.read_text()[-3000:]
