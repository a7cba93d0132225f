"""Pieces of bench/service.py: processes it owns, wrk scripts and wrk's output read back."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}
_PERCENTILE = re.compile(r"^\s*(50|99)\.?0*%\s+([\d.]+)(us|ms|s|m)\s*$", re.MULTILINE)
_RPS = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")
_REQUESTS = re.compile(r"^\s*(\d+) requests in", re.MULTILINE)
_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
STARTUP_SECONDS = 30


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured."""

    rps: float
    p50: float
    p99: float
    non_2xx: int
    socket_errors: int
    requests: int = 0
    cpu_per_request: float = 0.0  # seconds of server CPU (every worker) per request; 0 when not measured


def static_body_script(path: Path, body: Path) -> Path:
    """A wrk script POSTing the same JSON body on every request."""
    path.write_text(f'local f = io.open("{body}", "rb")\nwrk.body = f:read("*all")\nf:close()\n'
                    'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n')
    return path


def unique_body_script(path: Path, template: Path, target: str) -> Path:
    """A wrk script whose every body differs (thread id and counter replace @@N@@): all cache misses."""
    nonce = f"{os.getpid()}-{time.time_ns()}"
    path.write_text(f"""
local f = io.open("{template}", "rb")
local text = f:read("*all")
f:close()
local at = string.find(text, "@@N@@", 1, true)
local prefix, suffix = string.sub(text, 1, at - 1), string.sub(text, at + 5)
local headers = {{["Content-Type"] = "application/json"}}
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("POST", "{target}", headers, prefix .. "{nonce}-" .. tid .. "-" .. counter .. suffix)
end
""")
    return path


def run_wrk(url: str, script: Path, seconds: int, threads: int, connections: int,
            server_pid: int | None = None) -> WrkResult:
    """One bounded wrk run against a 127.0.0.1 URL; with server_pid, also the CPU its processes spent."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError("load goes to 127.0.0.1 only")
    cpu_before = process_tree_cpu(server_pid) if server_pid else {}
    result = _wrk(url, script, seconds, threads, connections)
    if server_pid and result.requests:
        cpu_after = process_tree_cpu(server_pid)
        spent = sum(after - cpu_before.get(pid, 0.0) for pid, after in cpu_after.items())
        result = replace(result, cpu_per_request=spent / result.requests)
    return result


def process_tree_cpu(root: int) -> dict[int, float]:
    """CPU seconds (user + system) of a process and its descendants, by pid (Linux /proc).

    Unlike requests/s this barely moves when other work shares the machine, so it shows what one
    request costs the server even on a busy host.
    """
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        pid = int(entry.name)
        parents[pid] = int(fields[1])
        times[pid] = (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return {pid: times[pid] for pid in tree if pid in times}


def _wrk(url: str, script: Path, seconds: int, threads: int, connections: int) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
               "-s", str(script), url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr.strip()} {done.stdout.strip()}")
    output = done.stdout
    latencies = {q: float(v) * _UNITS[u] for q, v, u in _PERCENTILE.findall(output)}
    rps = _RPS.search(output)
    if rps is None or "50" not in latencies or "99" not in latencies:
        raise RuntimeError(f"unexpected wrk output:\n{output}")
    non_2xx = _NON_2XX.search(output)
    errors = _SOCKET_ERRORS.search(output)
    requests = _REQUESTS.search(output)
    return WrkResult(float(rps.group(1)), latencies["50"], latencies["99"],
                     int(non_2xx.group(1)) if non_2xx else 0,
                     sum(int(g) for g in errors.groups()) if errors else 0,
                     int(requests.group(1)) if requests else 0)


class Processes:
    """The servers this benchmark starts: each in its own session, all stopped by id at the end."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.running: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, command: list[str], env: dict[str, Any], ready_url: str | None,
              ready_post: tuple[str, bytes, int] | None = None) -> None:
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        self.running.append((name, process))
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited: {(self.workdir / f'{name}.log').read_text()[-2000:]}")
            if _answers(ready_url, ready_post):
                return
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not start within {STARTUP_SECONDS} s")

    def stop_all(self) -> None:
        """SIGTERM to each master (graceful), SIGKILL to its own process group if it lingers."""
        for _name, process in reversed(self.running):
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        self.running.clear()


def _answers(url: str | None, post: tuple[str, bytes, int] | None) -> bool:
    try:
        if post is not None:
            path, body, port = post
            request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method="POST")
            with urllib.request.urlopen(request, timeout=2) as response:
                return bool(response.status == 200)
        with urllib.request.urlopen(url or "", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False
