"""`raqib subscriptions list|add|pause|resume|remove`: subscriptions without YAML, kept in Redis."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from crawler.app.commands.feedback import BY
from crawler.app.commands.invocation import EXIT_FAILURE, fail
from crawler.app.commands.invocation import settings_of as _settings

if TYPE_CHECKING:
    from alerts.subscription_store import SubscriptionStore
    from config.settings import Settings


@contextmanager
def _store(ctx: click.Context) -> Iterator[tuple[Settings, SubscriptionStore]]:
    settings = _settings(ctx, quiet=True)
    from alerts.audit import AuditLog
    from alerts.spine.connections import open_redis
    from alerts.subscription_store import SubscriptionStore

    with open_redis(settings) as handle:
        client = handle.sync()
        yield settings, SubscriptionStore(client, handle.keys, AuditLog(client, handle.keys))


@click.group()
def subscriptions() -> None:
    """Subscriptions: those of the YAML (read-only here) and those made here or in the console."""


@subscriptions.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def list_subscriptions(ctx: click.Context, as_json: bool) -> None:
    """Every subscription with its channels, filters, state and where it was made."""
    with _store(ctx) as (settings, store):
        rows = store.listing(settings)
    for row in rows:
        if as_json:
            click.echo(json.dumps(row, ensure_ascii=False))
            continue
        filters = " ".join(f"{k}={v}" for k, v in row["filters"].items()) or "everything"
        made = f"made by {row['by']} ({row['origin']})" if row["by"] else "YAML, read-only here"
        click.echo(f"{row['name']}  {row['state']}  {', '.join(row['channels']) or '—'}  "
                   f"[{filters}]  {made}")  # fmt: skip
    if not rows and not as_json:
        click.echo("no subscriptions: each alert goes to the console fallback")


@subscriptions.command()
@click.argument("name")
@click.option("--email", multiple=True, help="An address (repeatable).")
@click.option(
    "--chat", multiple=True, help="An Apprise or webhook URL (repeatable; kept in Redis)."
)
@click.option("--language", type=click.Choice(["ar", "en"]), default="ar", show_default=True)
@click.option("--place", "places", multiple=True, help="Only alerts of this place (repeatable).")
@click.option("--region", "regions", multiple=True, help="Only alerts of this region (repeatable).")
@click.option("--type", "types", multiple=True, help="Only incidents of this type (repeatable).")
@click.option("--min-score", type=float, default=0.0)
@click.option("--digest-minutes", type=click.IntRange(1), default=None,
              help="A digest every so many minutes instead of each alert at once.")  # fmt: skip
@BY
@click.pass_context
def add(
    ctx: click.Context, name: str, email: tuple[str, ...], chat: tuple[str, ...], language: str,
    places: tuple[str, ...], regions: tuple[str, ...], types: tuple[str, ...], min_score: float,
    digest_minutes: int | None, by: str,
) -> None:  # fmt: skip
    """Add a subscription, kept in Redis (never written into the YAML); running workers take it
    up within a poll."""
    from alerts.subscription_store import SubscriptionError

    fields: dict[str, Any] = {
        "name": name, "email": list(email), "chat": list(chat), "language": language,
        "places": list(places), "regions": list(regions), "incident_types": list(types),
        "min_score": min_score,
    }  # fmt: skip
    if digest_minutes is not None:
        fields.update(mode="digest", digest_minutes=digest_minutes)
    settings = _settings(ctx, quiet=True)
    fields["places"] = _checked_places(settings, places, regions)
    from alerts.subscriptions import chat_channel

    for url in chat:
        try:
            chat_channel(settings, url)  # what `raqib check` asks of a YAML chat URL
        except ValueError as exc:
            fail(f"--chat: {exc}")
    with _store(ctx) as (settings, store):
        try:
            store.add(settings, fields, by)
        except SubscriptionError as exc:
            fail(str(exc))
    click.echo(f"subscription {name} added by {by}")


def _change(ctx: click.Context, action: str, name: str, by: str) -> None:
    from alerts.subscription_store import SubscriptionError

    with _store(ctx) as (settings, store):
        try:
            getattr(store, action)(settings, name, by)
        except SubscriptionError as exc:
            fail(str(exc), EXIT_FAILURE)
    done = {"pause": "paused", "resume": "resumed", "remove": "removed"}[action]
    click.echo(f"subscription {name} {done}")


@subscriptions.command()
@click.argument("name")
@BY
@click.pass_context
def pause(ctx: click.Context, name: str, by: str) -> None:
    """Stop routing new alerts to it (what was queued still goes)."""
    _change(ctx, "pause", name, by)


@subscriptions.command()
@click.argument("name")
@BY
@click.pass_context
def resume(ctx: click.Context, name: str, by: str) -> None:
    """Route new alerts to it again."""
    _change(ctx, "resume", name, by)


@subscriptions.command()
@click.argument("name")
@BY
@click.pass_context
def remove(ctx: click.Context, name: str, by: str) -> None:
    """Remove a subscription made outside the YAML."""
    _change(ctx, "remove", name, by)


def _checked_places(
    settings: Settings, places: tuple[str, ...], regions: tuple[str, ...]
) -> list[str]:
    """Places as alerts name them; exit 2 on a place or region no alert could ever carry."""
    from crawler.app.configcheck import settings_gazetteers, subscription_places

    first: ValueError | None = None
    for gazetteer in settings_gazetteers(settings):  # each watched country's, in turn
        try:
            return subscription_places(gazetteer, places, regions)
        except ValueError as exc:
            first = first or exc
    fail(str(first))
