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
    help="Exit 1 when /healthz would judge the sources unhealthy (more than "
    "health.max_failing_sources of them failing), or an enabled source is silent or backing off "
    "after failures (for monitoring).",
)
@click.pass_context
def feeds(ctx: click.Context, as_json: bool, check: bool) -> None:
    """Each source's health: last success, last error, items seen, next run, back-off, silence."""
    settings = _settings(ctx, quiet=True)
    from alerts.spine.connections import open_redis
    from crawler.feeds.health import feed_health, feed_table, reachability
    from crawler.feeds.state import FeedStore

    enabled = [s.name for s in settings.sources if s.enabled]
    with open_redis(settings) as handle:
        store = FeedStore(handle.sync(), handle.keys)
        health = feed_health(settings, store)
        verdict = reachability(settings, store, enabled)
    if as_json:
        for source in health:
            click.echo(json.dumps(source.as_dict(), ensure_ascii=False))
    else:
        click.echo(feed_table(health, settings))
    if not check:
        return
    # As /healthz judges: most sources failing at once is our fault, whatever each one says.
    click.echo(verdict.sentence(), err=True)
    troubled = [s.state.name for s in health if s.enabled and (s.silent or s.resting)]
    if troubled:
        click.echo(f"needs attention: {', '.join(troubled)}", err=True)
    if troubled or not verdict.ok:
        sys.exit(1)
