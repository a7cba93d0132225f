"""The `readerly` command: serve (gunicorn), extract (offline, no server), healthcheck (probe)."""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from readerly import __version__
from readerly.config import ConfigError, load_config
from readerly.errors import NoArticle, ReaderlyError

EXIT_OK, EXIT_OTHER, EXIT_USAGE, EXIT_NO_ARTICLE = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        result: int = args.func(args)
    except ConfigError as exc:
        print(f"readerly: configuration error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="readerly", description="Reader view as a service.")
    parser.add_argument("--version", action="version", version=f"readerly {__version__}")
    commands = parser.add_subparsers(dest="command")
    serve = commands.add_parser("serve", help="run the HTTP service (gunicorn)")
    serve.add_argument("--host", help="address to bind (default READERLY_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default READERLY_PORT or 8080)")
    serve.add_argument("--workers", type=int, help="worker processes (default READERLY_WORKERS or 2)")
    serve.set_defaults(func=_serve)
    extract = commands.add_parser("extract", help="extract one page offline and print it")
    extract.add_argument("file", help="an HTML file, or - for standard input")
    extract.add_argument("--url", help="the page's address (resolves links and images)")
    extract.add_argument("--format", default="json", choices=["json", "html", "markdown", "text"])
    extract.set_defaults(func=_extract)
    health = commands.add_parser("healthcheck", help="probe a running service's /healthz (exit 0 if live)")
    health.add_argument("--url", help="default http://127.0.0.1:$READERLY_PORT/healthz")
    health.set_defaults(func=_healthcheck)
    return parser


def _extract(args: argparse.Namespace) -> int:
    from readerly.intake import check_url
    from readerly.pipeline import Options, run
    from readerly.pipeline.render import render_article

    try:
        data = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        print(f"readerly: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return EXIT_USAGE
    try:
        url = check_url(args.url)
        config = load_config()
        article = run(data, url, Options(max_html_bytes=config.max_html_bytes))
        rendered = render_article(article, args.format)
    except NoArticle as exc:
        print(json.dumps(exc.to_dict()), file=sys.stderr)
        return EXIT_NO_ARTICLE
    except ReaderlyError as exc:
        print(json.dumps(exc.to_dict()), file=sys.stderr)
        return EXIT_USAGE if exc.status == 400 else EXIT_OTHER
    sys.stdout.write(rendered.body if rendered.body.endswith("\n") else rendered.body + "\n")
    return EXIT_OK


def _healthcheck(args: argparse.Namespace) -> int:
    url = args.url or f"http://127.0.0.1:{load_config().port}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return EXIT_OK if response.status == 200 else EXIT_OTHER
    except (urllib.error.URLError, OSError) as exc:
        print(f"readerly: {url} is not healthy: {exc}", file=sys.stderr)
        return EXIT_OTHER


def _serve(args: argparse.Namespace) -> int:
    config = load_config()
    host = args.host or config.host
    port = args.port or config.port
    workers = args.workers or config.workers
    # Workers share metrics through files in this folder (Prometheus multiprocess mode).
    own_dir = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or tempfile.mkdtemp(prefix="readerly-metrics-")
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    options = {
        "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
        "workers": workers,
        "timeout": config.timeout,
        "graceful_timeout": config.timeout,
        "max_requests": config.max_requests,
        "max_requests_jitter": config.max_requests_jitter,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": config.log_level.lower(),
        "child_exit": _child_exit,
        "post_worker_init": _freeze_heap,
        "proc_name": "readerly",
        # The control socket is a single per-user path: two services on one host would clash on it.
        "control_socket_disable": True,
    }
    arbiter = os.getpid()
    try:
        _GunicornApp(options).run()
    finally:
        # Workers are forks of this process and run this block too when they exit: only the
        # arbiter may remove the folder the other workers still write to.
        if own_dir and os.getpid() == arbiter:
            shutil.rmtree(metrics_dir, ignore_errors=True)
    return EXIT_OK


def _freeze_heap(worker: Any) -> None:
    """Leave the loaded app's objects out of every later garbage collection.

    A worker holds ~60,000 objects once the app is imported; a full collection walks them all
    (~20 ms here), stalling whichever request triggered it. They live as long as the worker.
    """
    gc.freeze()


def _child_exit(server: Any, worker: Any) -> None:
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def _gunicorn_base() -> type:
    from gunicorn.app.base import BaseApplication

    return BaseApplication  # type: ignore[no-any-return]


class _GunicornApp(_gunicorn_base()):  # type: ignore[misc]
    """gunicorn run in-process, so `readerly serve` is the one command containers run too."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            if key in self.cfg.settings:  # settings newer than the installed gunicorn are skipped
                self.cfg.set(key, value)

    def load(self) -> Any:
        from readerly.wsgi import app

        return app


if __name__ == "__main__":
    raise SystemExit(main())
