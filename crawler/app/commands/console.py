"""Console commands: `raqib console` (the web console alone) and `raqib console-password` (a login's hash)."""

from __future__ import annotations

import asyncio
import signal
import sys

import click

from crawler.app.commands.invocation import EXIT_FAILURE, fail
from crawler.app.commands.invocation import settings_of as _settings


@click.command()
@click.option(
    "--host", default=None, help="Address to listen on (default: console.host, 127.0.0.1)."
)
@click.option("--port", type=int, default=None, help="Port (default: console.port, 9481; 0: any).")
@click.pass_context
def console(ctx: click.Context, host: str | None, port: int | None) -> None:
    """The analyst's web console alone, on the same Redis as the daemon (no crawling, no delivery).

    Loopback needs no login to look; any other address needs RAQIB_CONSOLE_USERS.
    """
    settings = _settings(ctx)
    from aiohttp import web

    from alerts.spine.connections import open_redis
    from crawler.app.console.access import AccessError
    from crawler.app.console.web import BASE, Console

    host = host or settings.console.host
    port = settings.console.port if port is None else port

    async def serve() -> None:
        with open_redis(settings) as handle:
            try:
                app_console = Console(settings, handle.sync(), handle.keys, host=host)
            except AccessError as exc:
                fail(str(exc))
            app = web.Application()

            async def home(request: web.Request) -> web.StreamResponse:
                raise web.HTTPFound(f"{BASE}/incidents")

            app.router.add_get("/", home)
            app_console.install(app)
            # A page in flight gets a few seconds at the stop, not aiohttp's default minute.
            runner = web.AppRunner(app, access_log=None, shutdown_timeout=5)
            await runner.setup()
            try:
                await web.TCPSite(runner, host, port).start()
            except OSError as exc:
                await runner.cleanup()
                fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}", EXIT_FAILURE)
            # SIGINT and SIGTERM stop it, even when SIGINT came ignored from the parent
            # (Python then leaves Ctrl-C unhandled) and under a service manager's SIGTERM.
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(sig, stop.set)
            bound_host, bound_port = runner.addresses[0][:2]
            shown = f"[{bound_host}]" if ":" in bound_host else bound_host
            click.echo(f"console on http://{shown}:{bound_port}{BASE}/ (Ctrl-C stops it)", err=True)
            try:
                await stop.wait()
            finally:
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(sig)
                await runner.cleanup()
                await app_console.close()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        sys.exit(0)


@click.command("console-password")
@click.argument("name")
@click.option("--stdin", "from_stdin", is_flag=True, help="Read the password from standard input.")
def console_password(name: str, from_stdin: bool) -> None:
    """Print NAME:scrypt$… for RAQIB_CONSOLE_USERS (the password is asked for, never an argument)."""
    from crawler.app.console.access import hash_password

    if any(ch in name for ch in ":,\n") or not name.strip():
        fail("a console user name has no ':', ',' or line break")
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("password", hide_input=True, confirmation_prompt=True)
    if len(password) < 8:
        fail("use a password of 8 characters or more")
    click.echo(f"{name}:{hash_password(password)}")
