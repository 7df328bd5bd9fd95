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

        try:
            return super().invoke(ctx)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            _fail(unreachable(exc), EXIT_FAILURE)
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
@click.pass_context
def main(
    ctx: click.Context, config: Path | None, log_level: str | None, json_logs: bool | None
) -> None:
    """Raqib (رقيب) watches Arabic news feeds and alerts each new ISIS incident in Libya once."""
    ctx.ensure_object(dict).update(config=config, log_level=log_level, json_logs=json_logs)


@main.command()
@click.option("--once", is_flag=True, help="Crawl every source once, deliver every alert, exit.")
@click.pass_context
def run(ctx: click.Context, once: bool) -> None:
    """The daemon: scheduler, crawler and alert delivery together."""
    from crawler.app.daemon import daemon

    sys.exit(daemon(_settings(ctx), once=once))


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

    sys.exit(daemon(_settings(ctx), once=once, crawl=False))


@main.command()
@click.option(
    "--sources", "probe", is_flag=True,
    help="Also fetch every enabled source (or those named) once and report which answer; exit 1 "
    "if any does not. Needs the network.",
)  # fmt: skip
@click.option("--source", "names", multiple=True, help="With --sources: only this source.")
@click.option("--json", "as_json", is_flag=True, help="With --sources: JSON lines.")
@click.option(
    "--mark-verified", is_flag=True,
    help="With --sources: set `verified: true` in the catalogue for the sources that answered.",
)  # fmt: skip
@click.pass_context
def check(
    ctx: click.Context, probe: bool, names: tuple[str, ...], as_json: bool, mark_verified: bool
) -> None:
    """Validate the configuration, watchlists and subscriptions; exit 2 on any error."""
    settings = _settings(ctx)
    from alerts.worker import build_routes
    from crawler.detect import Detector

    try:
        detector = Detector.from_files(settings.watchlists, settings.gazetteer)
        routes = build_routes(settings)
    except (ValueError, OSError, KeyError) as exc:
        _fail(f"configuration error: {exc}")
    click.echo(f"config: {settings.config_path}")
    click.echo(
        f"sources: {len(settings.sources)} ({sum(s.enabled for s in settings.sources)} enabled)"
    )
    click.echo(
        f"watchlists: {', '.join(w.name for w in detector.watchlists)} "
        f"({len(detector.matcher.terms)} terms, {len(detector.gazetteer)} places)"
    )
    click.echo(
        "subscriptions: "
        + ", ".join(
            f"{r.subscription.name} ({len(r.channels)} channel{'s' if len(r.channels) != 1 else ''})"
            for r in routes
        )
    )
    click.echo(
        "redis: "
        + (
            "embedded under " + str(settings.data_dir)
            if not settings.redis.url
            else "REDIS_URL / redis.url"
        )
    )
    click.echo("ok")
    if probe:
        from crawler.app.commands.sources import verify_sources

        sys.exit(verify_sources(settings, names, as_json, mark_verified))


def _register() -> None:
    from crawler.app.commands import COMMANDS

    for command in COMMANDS:
        main.add_command(command)


_register()
