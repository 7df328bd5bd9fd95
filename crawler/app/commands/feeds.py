"""Feed commands: `raqib feeds` (health)."""

from __future__ import annotations

import json
import sys

import click

from crawler.app.commands.invocation import settings_of as _settings


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source, one per line.")
@click.option(
    "--check",
    is_flag=True,
    help="Exit 1 if an enabled source is silent or backing off after failures (for monitoring).",
)
@click.pass_context
def feeds(ctx: click.Context, as_json: bool, check: bool) -> None:
    """Each source's health: last success, last error, items seen, next run, back-off, silence."""
    settings = _settings(ctx)
    from alerts.spine.connections import open_redis
    from crawler.feeds.health import feed_health, feed_table
    from crawler.feeds.state import FeedStore

    with open_redis(settings) as handle:
        health = feed_health(settings, FeedStore(handle.sync(), handle.keys))
    if as_json:
        for source in health:
            click.echo(json.dumps(source.as_dict(), ensure_ascii=False))
    else:
        click.echo(feed_table(health, settings))
    troubled = [s.state.name for s in health if s.enabled and (s.silent or s.resting)]
    if check and troubled:
        click.echo(f"needs attention: {', '.join(troubled)}", err=True)
        sys.exit(1)
