"""A real Redis Sentinel set-up on loopback: a primary, one replica and one sentinel watching them."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

from tests.support.redis_server import RedisServer, free_port

SERVICE = "readerly"
# The sentinel calls the primary down after this long; short so a failover fits in a test.
DOWN_AFTER_MS = 1000


class RedisSentinel:
    """Primary + replica + sentinel; `url` is the redis+sentinel:// URL the service is given."""

    def __init__(self, binary: str, workdir: Path) -> None:
        for name in ("primary", "replica", "sentinel"):
            (workdir / name).mkdir()
        self.binary, self.workdir = binary, workdir
        self.primary = RedisServer(binary, workdir / "primary")
        self.replica = RedisServer(binary, workdir / "replica")
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis+sentinel://127.0.0.1:{self.port}/{SERVICE}/0"

    def start(self) -> None:
        # The replica's first sync starts at once (Redis waits 5 s for more replicas by default).
        self.primary.start(("--repl-diskless-sync-delay", "0"))
        self.replica.start(("--replicaof", "127.0.0.1", str(self.primary.port)))
        config = self.workdir / "sentinel" / "sentinel.conf"
        config.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {config.parent}\n"
            f"sentinel monitor {SERVICE} 127.0.0.1 {self.primary.port} 1\n"
            f"sentinel down-after-milliseconds {SERVICE} {DOWN_AFTER_MS}\n"
            f"sentinel failover-timeout {SERVICE} 10000\n"
        )
        self.process = subprocess.Popen([self.binary, str(config), "--sentinel"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self._wait(lambda: self.command("PING") == "+PONG", "the sentinel did not start")

    def command(self, *words: str) -> str:
        """One inline command to the sentinel; the first line of its answer."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                sock.sendall(" ".join(words).encode() + b"\r\n")
                return sock.recv(4096).decode(errors="replace").split("\r\n", 1)[0]
        except OSError:
            return ""

    def primary_port(self) -> int:
        """The port the sentinel currently names as primary."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(f"SENTINEL get-master-addr-by-name {SERVICE}\r\n".encode())
            lines = sock.recv(4096).decode().split("\r\n")
        return int(lines[4])

    def _wait(self, condition: object, message: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if callable(condition) and condition():
                return
            time.sleep(0.1)
        raise RuntimeError(message)

    def crash_primary(self) -> None:
        """Kill the primary outright (a clean shutdown would first wait for its replica)."""
        process = self.primary.process
        assert process is not None
        process.kill()
        process.wait(timeout=10)
        self.primary.process = None

    def wait_for_failover(self, timeout: float = 20) -> None:
        self._wait(lambda: self.primary_port() == self.replica.port, "the sentinel did not fail over", timeout)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None
        self.replica.stop()
        self.primary.stop()
