"""The `qiao` console script.

`qiao demo` sets up and serves the platform with demo data; the other commands are thin
wrappers over Django management commands so that operators never need manage.py.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from qiao.core.installation import (
    DEMO_ENVIRONMENT_VARIABLE,
    InsecureProductionError,
    refuse_insecure_production,
)

# Sub-command -> (Django management command, one-line help). `qiao CMD --help` shows the
# management command's own options.
PASSTHROUGH: dict[str, tuple[str, str]] = {
    "migrate": ("migrate", "create or upgrade the database schema"),
    "worker": ("worker", "run the background worker (indexing, matching, e-mail); run 1 or more"),
    "import": ("import_profiles", "import profiles from CSV, XLSX or JSONL (validates first)"),
    "export": ("export_profiles", "export profiles to CSV, XLSX or JSONL"),
    "reindex": ("reindex", "index every collection and re-match (--check, --repair, --force)"),
    "search": ("search_profiles", 'search published profiles: qiao search "text"'),
    "expire": ("expire_profiles", "expire profiles past their validity (run daily)"),
    "load-demo": ("load_demo", "load the sample data and build the index"),
    "backup": ("backup", "back up the database, private files and media into one archive"),
    "restore": ("restore", "restore a backup into an empty database and empty folders"),
}

USAGE = """usage: qiao COMMAND [options]

commands:
  demo        set up a local platform with demo data and serve it (SQLite by default)
  serve       serve the web application with waitress (production)
{passthrough}
  bench       benchmarks: qiao bench quality|speed|platform --help (platform: the whole
              write and search path with its processes, docs/search.md)
  index       embed a JSONL file of documents into an index directory, optionally on a Ray
              cluster (--ray ADDRESS); the platform's own index is rebuilt by `qiao reindex`
  manage      any Django management command: qiao manage createsuperuser

`qiao COMMAND --help` describes each command's options.
"""


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiao.settings")
    import django

    django.setup()


def _usage() -> str:
    lines = [f"  {name:<11} {help_}" for name, (_, help_) in PASSTHROUGH.items()]
    return USAGE.format(passthrough="\n".join(lines))


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _demo_allow_host(host: str) -> None:
    """The demo also accepts requests addressed to the host it binds to. Never a wildcard:
    a wildcard bind (0.0.0.0) is reached as 127.0.0.1/localhost, or under the names the
    operator lists in QIAO_ALLOWED_HOSTS; any other Host header is refused."""
    hosts = os.environ.get("QIAO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host not in hosts and host not in ("0.0.0.0", "::"):
        hosts.append(host)
    os.environ["QIAO_ALLOWED_HOSTS"] = ",".join(h for h in hosts if h)


def _served_url(host: str, port: int) -> str:
    """The address to show for what is served on host:port (a wildcard bind: loopback)."""
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    return f"http://{shown}:{port}"


def _default_base_url(host: str, port: int) -> None:
    """Links in e-mails and QR codes point at the address served here, unless QIAO_BASE_URL
    says otherwise (set before Django reads its settings; the worker inherits it).

    Not in production (QIAO_SECURE): there a proxy serves another address, which only the
    operator knows, so the settings refuse to start without QIAO_BASE_URL."""
    if os.environ.get("QIAO_SECURE", "").strip().lower() in {"1", "true", "yes", "on"}:
        return
    os.environ.setdefault("QIAO_BASE_URL", _served_url(host, port))


def _serve_parser(prog: str, description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--host", default=os.environ.get("QIAO_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("QIAO_PORT", "8000")))
    parser.add_argument("--threads", type=int, default=8, help="request threads (default 8)")
    return parser


def waitress_server(application: Any, *, host: str, port: int, threads: int) -> Any:
    """The WSGI server `qiao serve` runs (a waitress server; port 0 picks a free one)."""
    import waitress

    from qiao.core.limits import server_body_limit

    return waitress.create_server(
        application,
        host=host,
        port=port,
        threads=threads,
        # Refuse larger bodies before buffering them (waitress's default is 1 GiB).
        max_request_body_size=server_body_limit(),
        # Waitress drops X-Forwarded-* headers unless they come from a trusted proxy, and then
        # Django (QIAO_SECURE's SECURE_PROXY_SSL_HEADER) sees every request from nginx as plain
        # HTTP and redirects it to HTTPS for ever. The proxy on this host is trusted by default.
        trusted_proxy=os.environ.get("QIAO_TRUSTED_PROXY", "127.0.0.1"),
        trusted_proxy_headers="x-forwarded-proto x-forwarded-for",
        clear_untrusted_proxy_headers=True,
    )


def _serve(host: str, port: int, threads: int) -> None:
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    from qiao.core.warmup import load_request_code
    from qiao.search.holder import start_following

    load_request_code()  # before the search state's load freezes what is loaded
    # The search engines load from the database and follow its changes in a thread of their
    # own, so no request waits for a catch-up.
    start_following()
    server = waitress_server(application, host=host, port=port, threads=threads)
    server.print_listen("Serving on http://{}:{}")
    server.run()


def _start_worker() -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "qiao.cli", "worker"],
        env=os.environ.copy(),
        stdin=subprocess.DEVNULL,
    )


def _stop(worker: subprocess.Popen[bytes] | None) -> None:
    if worker is None or worker.poll() is not None:
        return
    worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()


def cmd_demo(argv: Sequence[str]) -> int:
    parser = _serve_parser(
        "qiao demo",
        "Create the database, load demo data, build the index, start the worker and serve.",
    )
    parser.add_argument(
        "--no-worker", action="store_true", help="do not start the background worker"
    )
    parser.add_argument(
        "--setup-only", action="store_true", help="prepare everything, then exit without serving"
    )
    args = parser.parse_args(argv)
    if not args.setup_only and not _port_free(args.host, args.port):
        print(
            f"qiao demo: port {args.port} on {args.host} is in use; "
            f"choose another with --port, e.g. qiao demo --port {args.port + 1}",
            file=sys.stderr,
        )
        return 2
    os.environ[DEMO_ENVIRONMENT_VARIABLE] = "1"  # inherited by the worker started below
    _demo_allow_host(args.host)
    _default_base_url(args.host, args.port)
    _setup_django()
    from django.conf import settings
    from django.core.management import call_command

    from qiao.core.names import person_name
    from qiao.demo.loader import DEMO_PASSWORD, DEMO_USERS

    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    # Static files come from the app directories (WHITENOISE_USE_FINDERS); an existing
    # STATIC_ROOT only silences whitenoise's warning until someone runs collectstatic.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    print("==> migrating the database", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    print("==> loading demo data and building the matching index", flush=True)
    call_command("load_demo", verbosity=1)
    if args.setup_only:
        return 0

    worker = None if args.no_worker else _start_worker()
    url = f"{_served_url(args.host, args.port)}/"
    print()
    print(f"Qiao is running at {url}   (API docs: {url}api/docs/)")
    print(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for user in DEMO_USERS:
        name = person_name(user.first_name, user.last_name, user.username)
        print(f"  {user.username:<16} {name}, {user.description} [{user.language}]")
    from qiao.careers.demo import DEMO_LOGINS

    for username, description, language in DEMO_LOGINS:
        print(f"  {username:<16} {description} [{language}]")
    print("Press Ctrl+C to stop.", flush=True)
    # SIGTERM (a service manager, a test) ends the server like Ctrl+C, so that the worker is
    # stopped below instead of outliving the demo.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        _serve(args.host, args.port, args.threads)
    except KeyboardInterrupt:
        pass
    finally:
        _stop(worker)
    return 0


def cmd_serve(argv: Sequence[str]) -> int:
    parser = _serve_parser("qiao serve", "Serve the web application with waitress.")
    args = parser.parse_args(argv)
    # ALLOWED_HOSTS is exactly QIAO_ALLOWED_HOSTS: the bind address never widens it.
    _default_base_url(args.host, args.port)
    _setup_django()
    try:
        refuse_insecure_production()
    except InsecureProductionError as error:
        print(f"qiao serve: {error}", file=sys.stderr)
        return 2
    _serve(args.host, args.port, args.threads)
    return 0


def cmd_manage(argv: Sequence[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qiao.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["qiao manage", *argv])
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        print(_usage())
        return 0
    command, rest = args[0], args[1:]
    if command == "demo":
        return cmd_demo(rest)
    if command == "serve":
        return cmd_serve(rest)
    if command == "manage":
        return cmd_manage(rest)
    if command == "bench" and rest[:1] == ["platform"]:  # the platform's, with Django
        return cmd_manage(["bench_platform", *rest[1:]])
    if command == "bench":  # framework-free: no Django settings needed
        from matching.cli import run_benchmark

        return run_benchmark(rest)
    if command == "index":
        from matching.cli import main as matching_main

        return matching_main(["index", *rest])
    if command in PASSTHROUGH:
        return cmd_manage([PASSTHROUGH[command][0], *rest])
    print(f"qiao: unknown command {command!r}\n\n{_usage()}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
