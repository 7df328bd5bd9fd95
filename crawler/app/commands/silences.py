"""`raqib silence add|list|expire`: hold the deliveries of matching alerts for a while."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from crawler.app.commands.feedback import BY
from crawler.app.commands.invocation import EXIT_FAILURE, fail
from crawler.app.commands.invocation import settings_of as _settings

if TYPE_CHECKING:
    from alerts.silences import Silence, SilenceStore


def duration(text: str) -> float:
    """'90m', '2h', '1d12h', '1w' in seconds."""
    from alerts.silences import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@contextmanager
def _store(ctx: click.Context) -> Iterator[SilenceStore]:
    settings = _settings(ctx, quiet=True)
    from alerts.audit import AuditLog
    from alerts.silences import SilenceStore
    from alerts.spine.connections import open_redis

    with open_redis(settings) as handle:
        client = handle.sync()
        yield SilenceStore(client, handle.keys, AuditLog(client, handle.keys))


def _when(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M UTC")


def _row(silence: Silence, now: float) -> str:
    state = silence.summary(now)["state"]
    matchers = " ".join(f"{k}={v}" for k, v in silence.matchers.items())
    ended = f" (expired by {silence.expired_by})" if silence.expired_by else ""
    return (f"{silence.id}  {state:<7}  {matchers}  until {_when(silence.ends_at)}{ended}  "
            f"by {silence.by}: {silence.comment}")  # fmt: skip


@click.group()
def silence() -> None:
    """Silences hold the deliveries of matching alerts (never detection) until they end."""


@silence.command()
@click.option("--place", help="A place name as alerts carry it (Arabic or English).")
@click.option("--district", help="A district (شعبية).")
@click.option("--region", help="طرابلس / برقة / فزان, or Tripolitania / Cyrenaica / Fezzan.")
@click.option("--type", "type_", metavar="TYPE", help="An incident type: attack, bombing …")
@click.option("--watchlist", help="The watchlist that matched.")
@click.option("--incident", help="One incident id.")
@click.option("--for", "length", required=True, metavar="DURATION",
              help="How long: 90m, 2h, 1d, 1w.")  # fmt: skip
@click.option("--comment", "-m", required=True, help="Why (shown wherever it holds something).")
@BY
@click.pass_context
def add(
    ctx: click.Context, place: str | None, district: str | None, region: str | None,
    type_: str | None, watchlist: str | None, incident: str | None, length: str, comment: str,
    by: str,
) -> None:  # fmt: skip
    """Add a silence: every matcher given must match an alert for it to be held."""
    seconds = duration(length)
    matchers = {"place": place, "district": district, "region": region, "type": type_,
                "watchlist": watchlist, "incident": incident}  # fmt: skip
    with _store(ctx) as store:
        try:
            added = store.add({k: v for k, v in matchers.items() if v}, seconds, comment, by)
        except ValueError as exc:
            fail(str(exc))
    click.echo(f"{added.id}: silenced until {_when(added.ends_at)}; "
               f"end it sooner with `raqib silence expire {added.id}`")  # fmt: skip


@silence.command("list")
@click.option("--all", "show_all", is_flag=True, help="Ended ones too (kept a week).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def list_silences(ctx: click.Context, show_all: bool, as_json: bool) -> None:
    """Silences in force (and, with --all, those ended within the week)."""
    now = time.time()
    with _store(ctx) as store:
        found = [s for s in store.list() if show_all or s.ends_at > now]
    for each in found:
        click.echo(
            json.dumps(each.summary(now), ensure_ascii=False) if as_json else _row(each, now)
        )
    if not found and not as_json:
        click.echo("no silences")


@silence.command()
@click.argument("silence_id")
@BY
@click.pass_context
def expire(ctx: click.Context, silence_id: str, by: str) -> None:
    """End a silence now: what it held goes out with the next run of the alert workers."""
    with _store(ctx) as store:
        try:
            ended, released = store.expire(silence_id, by)
        except ValueError as exc:
            fail(str(exc), EXIT_FAILURE)
    click.echo(f"{ended.id} expired; {released} held deliver(y/ies) released")
