"""Feed commands: `raqib feeds` (health)."""

from __future__ import annotations

import click

from config.command import settings_of as _settings


@click.command()
@click.pass_context
def feeds(ctx: click.Context) -> None:
    """Each source's health: last success, last error, items seen, back-off."""
    settings = _settings(ctx)
    from alerts.connections import open_redis
    from crawler.feedstate import FeedStore
    from crawler.health import feed_table

    with open_redis(settings) as handle:
        store = FeedStore(handle.sync(), handle.keys)
        click.echo(feed_table(settings, store))
