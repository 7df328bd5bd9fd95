"""The `raqib` command line: thin wiring over the daemon, detection and the Redis state."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from crawler.app.commands.invocation import EXIT_FAILURE
from crawler.app.commands.invocation import fail as _fail
from crawler.app.commands.invocation import settings_of as _settings


class RaqibGroup(click.Group):
    """Errors a user can act on end in one line, not a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        import redis

        from alerts.spine.connections import unreachable
        from alerts.spine.files import NotPrivate

        try:
            return super().invoke(ctx)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            _fail(unreachable(exc), EXIT_FAILURE)
        except NotPrivate as exc:
            _fail(str(exc), EXIT_FAILURE)
        except UnicodeDecodeError as exc:
            _fail(
                f"the input is not UTF-8 text ({exc.reason} at byte {exc.start}); convert it "
                "first, e.g. iconv -f windows-1256 -t utf-8"
            )


@click.group(cls=RaqibGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "-c",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML settings file (default: $RAQIB_CONFIG or the shipped config/raqib.yaml).",
)
@click.option("--log-level", default=None, help="DEBUG, INFO, WARNING or ERROR.")
@click.option("--json-logs/--plain-logs", default=None, help="Log as JSON lines.")
@click.option(
    "--verbose", "-v", is_flag=True,
    help="Read-only commands (feeds, incidents, dead, pending, check) log their INFO lines and "
    "the libraries' warnings too.",
)  # fmt: skip
@click.version_option(package_name="raqib", prog_name="raqib")
@click.pass_context
def main(
    ctx: click.Context,
    config: Path | None,
    log_level: str | None,
    json_logs: bool | None,
    verbose: bool,
) -> None:
    """Raqib (رقيب) watches Arabic news feeds and alerts each new ISIS incident in Libya once."""
    ctx.ensure_object(dict).update(
        config=config, log_level=log_level, json_logs=json_logs, verbose=verbose
    )


@main.command()
@click.option("--once", is_flag=True, help="Crawl every source once, deliver every alert, exit.")
@click.pass_context
def run(ctx: click.Context, once: bool) -> None:
    """The daemon: scheduler, crawler and alert delivery together."""
    from crawler.app.daemon import daemon

    sys.exit(daemon(_settings(ctx, delivery=True), once=once))


@main.command()
@click.option("--once", is_flag=True, help="Crawl every source once and exit.")
@click.pass_context
def crawl(ctx: click.Context, once: bool) -> None:
    """The crawler alone (scheduler and feeds); alerts are left on the stream for `raqib alerts`."""
    from crawler.app.daemon import daemon

    sys.exit(daemon(_settings(ctx), once=once, deliver=False))


@main.command()
@click.option("--once", is_flag=True, help="Deliver what is on the stream now and exit.")
@click.pass_context
def alerts(ctx: click.Context, once: bool) -> None:
    """The alert workers alone: deliver what the crawlers publish."""
    from crawler.app.daemon import daemon

    sys.exit(daemon(_settings(ctx, delivery=True), once=once, crawl=False))


def _register() -> None:
    from crawler.app.commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register()
