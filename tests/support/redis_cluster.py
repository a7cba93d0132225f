"""A real Redis Cluster of three primaries on loopback ports, made with `redis-cli --cluster create`."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

from tests.support.redis_server import RedisServer, free_port

# A node also listens on its port + 10000 for the cluster bus, so its port must leave room for that.
BUS_OFFSET = 10000
# Nodes call a silent peer failed after this long; short so a test sees the cluster react in time.
NODE_TIMEOUT_MS = 1000


class RedisCluster:
    """Three cluster-enabled redis-servers (no replicas) and the slots spread over them."""

    def __init__(self, binary: str, workdir: Path, size: int = 3) -> None:
        self.nodes = []
        for _ in range(size):
            folder = workdir / f"node-{len(self.nodes)}"
            folder.mkdir()
            self.nodes.append(RedisServer(binary, folder, _cluster_port()))

    @property
    def url(self) -> str:
        """Two of the nodes as start-up nodes, as an operator would list them."""
        return "redis+cluster://" + ",".join(f"127.0.0.1:{n.port}" for n in self.nodes[:2])

    def start(self) -> None:
        try:
            for node in self.nodes:
                node.start(("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                            "--cluster-node-timeout", str(NODE_TIMEOUT_MS)))
            subprocess.run([_cli(), "--cluster", "create", *(f"127.0.0.1:{n.port}" for n in self.nodes),
                            "--cluster-replicas", "0", "--cluster-yes"],
                           check=True, capture_output=True, timeout=30)
            self._wait_until_ok()
        except (OSError, RuntimeError, subprocess.SubprocessError):
            self.stop()
            raise

    def state(self, node: RedisServer) -> str:
        """What one node thinks of the cluster: ok or fail."""
        info = subprocess.run([_cli(), "-p", str(node.port), "cluster", "info"], capture_output=True, text=True,
                              check=False, timeout=5).stdout
        return next((line.split(":", 1)[1].strip() for line in info.splitlines()
                     if line.startswith("cluster_state:")), "unknown")

    def _wait_until_ok(self) -> None:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if all(self.state(n) == "ok" for n in self.nodes):
                return
            time.sleep(0.1)
        raise RuntimeError("the Redis Cluster did not reach cluster_state:ok")

    def node_for_port(self, port: int) -> RedisServer:
        return next(n for n in self.nodes if n.port == port)

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def _cli() -> str:
    return shutil.which("redis-cli") or "redis-cli"


def _cluster_port() -> int:
    """A free port whose cluster-bus port (port + 10000) is free as well."""
    for _ in range(200):
        port = free_port()
        if port + BUS_OFFSET < 65536 and _is_free(port + BUS_OFFSET):
            return port
    raise RuntimeError("no free port pair for a cluster node")


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True
