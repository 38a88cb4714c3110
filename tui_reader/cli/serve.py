"""tui-reader serve: the same reader in a browser (textual-serve), behind a random token."""
from __future__ import annotations

import errno
import os
import secrets
import shlex
import socket
import sys
from typing import TYPE_CHECKING, Any

from .output import EXIT_FAILURE, EXIT_USAGE, warn

if TYPE_CHECKING:
    import argparse

TOKEN_COOKIE = "tui_reader_token"
REFUSED = "tui-reader: this page needs the link with its token that 'tui-reader serve' printed.\n"


def run_serve(args: argparse.Namespace) -> int:
    """Serve the reader on args.host:args.port until Ctrl+C; every request needs the token."""
    from ..core.paths import AppPaths

    missing = [p for p in args.paths if not os.path.lexists(p)]
    if missing:
        warn(f"{missing[0]}: no such file or folder")
        return EXIT_USAGE
    paths = AppPaths.resolve(args.home)
    problem = _unwritable(paths.state_file.parent)
    if problem:
        warn(f"cannot write the reader's home {paths.state_file.parent}: {problem}")
        return EXIT_FAILURE
    problem = _port_taken(args.host, args.port)
    if problem:
        warn(problem)
        return EXIT_FAILURE
    token = secrets.token_urlsafe(24)
    server = _token_server(reader_command(args), args.host, args.port, token)
    print(f"tui-reader: serving the reader on {server.public_url}/?token={token}", flush=True)
    print("Open that link in a browser (anyone with it can read and mark); Ctrl+C stops.", flush=True)
    try:
        server.serve()
    except OSError as err:
        warn(f"cannot serve on {args.host}:{args.port}: {err.strerror or err}")
        return EXIT_FAILURE
    return 0


def reader_command(args: argparse.Namespace) -> str:
    """The shell command each browser tab runs: this Python's reader, on the same home and paths."""
    argv = [sys.executable, "-m", "tui_reader"]
    if args.home:
        argv += ["--home", os.path.abspath(args.home)]
    return shlex.join([*argv, *(os.path.abspath(p) for p in args.paths)])


def _unwritable(folder: os.PathLike[str] | str) -> str | None:
    """Why the reader could not keep its state in `folder` (made if missing), or None."""
    try:
        os.makedirs(folder, exist_ok=True)
        probe = os.path.join(folder, f".serve-probe-{os.getpid()}")
        with open(probe, "w", encoding="utf-8"):
            pass
        os.unlink(probe)
    except OSError as err:
        return err.strerror or str(err)
    return None


def _port_taken(host: str, port: int) -> str | None:
    """One line when host:port cannot be listened on (in use, no such address), else None."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        return f"cannot serve on {host}: {err.strerror}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as err:
            if err.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is in use: choose another with --port"
            return f"cannot serve on {host}:{port}: {err.strerror}"
    return None


def _token_server(command: str, host: str, port: int, token: str) -> Any:
    """textual-serve's Server with every request checked for the token: in the link's query
    (then kept in a same-site, HTTP-only cookie, which the page's own requests and its
    WebSocket carry) or in that cookie. Anything else gets 403 and nothing of the reader."""
    import hmac
    import logging

    from aiohttp import web
    from textual_serve.server import Server

    @web.middleware
    async def require_token(request: web.Request, handler: Any) -> web.StreamResponse:
        given = request.query.get("token") or request.cookies.get(TOKEN_COOKIE) or ""
        if not hmac.compare_digest(given.encode(), token.encode()):
            return web.Response(status=403, text=REFUSED)
        response: web.StreamResponse = await handler(request)
        if "token" in request.query and not response.prepared:
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    class TokenServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(require_token)
            return app

        def initialize_logging(self) -> None:
            # Only problems: a request log would print every link, token included.
            logging.basicConfig(level=logging.WARNING, format="%(message)s")

        async def on_startup(self, app: web.Application) -> None:
            pass  # run_serve has said where it serves, with the token

    shown = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return TokenServer(command, host=host, port=port, title="tui-reader", public_url=f"http://{shown}:{port}")
