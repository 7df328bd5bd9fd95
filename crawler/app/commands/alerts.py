"""The delivery side's sub-commands: `raqib dead` (list and re-drive) and `raqib test-alert`."""

from __future__ import annotations

import asyncio
import json
import sys
import time

import click

from crawler.app.commands.invocation import EXIT_FAILURE, fail
from crawler.app.commands.invocation import settings_of as _settings


@click.command()
@click.option("--redrive", "redrive_ids", multiple=True, metavar="ID",
              help="Put this dead letter back on the delivery stream (repeatable).")  # fmt: skip
@click.option("--redrive-all", is_flag=True, help="Re-drive every dead letter.")
@click.option("--drop", "drop_ids", multiple=True, metavar="ID",
              help="Forget this dead letter for good (repeatable).")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option("--limit", type=int, default=None, help="Show at most this many (oldest first).")
@click.pass_context
def dead(
    ctx: click.Context,
    redrive_ids: tuple[str, ...],
    redrive_all: bool,
    drop_ids: tuple[str, ...],
    as_json: bool,
    limit: int | None,
) -> None:
    """Deliveries that failed for good: list them, re-drive them after a fix, or drop them."""
    settings = _settings(ctx, quiet=True)
    from alerts.deadletter import dead_letters, drop, redrive
    from alerts.spine.connections import open_redis

    if redrive_ids and redrive_all:
        fail("give either --redrive ID … or --redrive-all, not both")
    with open_redis(settings) as handle:
        client = handle.sync()
        try:
            if redrive_ids or redrive_all:
                done, skipped = redrive(
                    client, handle.keys, list(redrive_ids) if redrive_ids else None,
                    settings.alerts.idempotency_days,
                )  # fmt: skip
                click.echo(f"re-driven: {len(done)}" + (f" ({' '.join(done)})" if done else ""))
                if skipped:
                    click.echo(f"not re-driven (unknown, or not a delivery): {' '.join(skipped)}")
                    sys.exit(EXIT_FAILURE)
                return
            if drop_ids:
                click.echo(f"dropped: {drop(client, handle.keys, list(drop_ids))}")
                return
            letters = dead_letters(client, handle.keys, limit)
        finally:
            client.close()
    if as_json:
        for letter in letters:
            click.echo(json.dumps(letter.summary(), ensure_ascii=False))
        return
    if not letters:
        click.echo("no dead letters")
        return
    click.echo(f"{len(letters)} dead letter{'s' if len(letters) != 1 else ''} (oldest first):")
    for letter in letters:
        row = letter.summary()
        where = f"{row['subscription']} → {row['channel']}" if letter.job else "(unreadable match)"
        click.echo(f"{row['id']}  {row['at']}  {where}  attempts: {row['attempts'] or 0}")
        if row["incident"]:
            click.echo(f"    incident {row['incident']}: {row['title']}")
        click.echo(f"    reason: {row['reason']}")
    click.echo("re-drive with: raqib dead --redrive ID … (or --redrive-all)")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.option(
    "--limit", type=int, default=1000, show_default=True, help="List at most this many."
)
@click.pass_context
def pending(ctx: click.Context, as_json: bool, limit: int) -> None:
    """Deliveries that wait, soonest first: retries (with the failure), held ones (quiet hours,
    rate limits), digests gathering, jobs queued; each with when it is tried next."""
    settings = _settings(ctx, quiet=True)
    from alerts.pending import waiting_deliveries, when
    from alerts.queues import read_alert_queues
    from alerts.spine.connections import open_redis

    with open_redis(settings) as handle:
        client = handle.sync()
        try:
            waiting = waiting_deliveries(client, handle.keys, limit)
            routing = read_alert_queues(client, handle.keys).routing
        finally:
            client.close()
    if as_json:
        for item in waiting:
            click.echo(json.dumps(item.summary(), ensure_ascii=False))
        return
    if not waiting and not routing:
        click.echo("nothing waits: every alert was delivered or dead-lettered (`raqib dead`)")
        return
    now = time.time()
    if waiting:
        click.echo(
            f"{len(waiting)} {'deliveries wait' if len(waiting) != 1 else 'delivery waits'} "
            "(soonest first):"
        )
    for item in waiting:
        tries = f"  attempts: {item.attempts}" if item.attempts else ""
        click.echo(
            f"{item.state:<6}  {item.subscription} → {item.channel}  next: "
            f"{when(item.next_at, now)}{tries}"
        )
        if item.incident:
            more = f" (+{item.alerts - 1} more)" if item.alerts > 1 else ""
            click.echo(f"    incident {item.incident}: {item.title}{more}")
        click.echo(f"    reason: {item.reason}")
    if routing:
        click.echo(
            f"{routing} alert(s) not yet routed: a running `raqib alerts` or `raqib run` routes them"
        )


@click.command("test-alert")
@click.option("--subscription", "-s", "name", required=True, help="The subscription to test.")
@click.pass_context
def test_alert(ctx: click.Context, name: str) -> None:
    """Send a sample alert through every channel of one subscription and report each result.

    It goes straight to the channels: no filters, quiet hours, rate limits or Redis.
    """
    settings = _settings(ctx, delivery=True)
    from alerts.channels import DeliveryError
    from alerts.jobs import DeliveryJob
    from alerts.render import labels
    from alerts.sample import sample_alert
    from alerts.subscriptions import build_routes

    # The routes the daemon delivers on: with no subscription configured, the console fallback.
    routes = {route.subscription.name: route for route in build_routes(settings)}
    if name not in routes:
        fail(f"no subscription named {name!r} (known: {', '.join(routes)})")
    sub, channels = routes[name].subscription, routes[name].channels
    if not channels:
        fail(f"subscription {name!r} has no channels (add email: or chat: entries)")
    alert = sample_alert(incident_id=f"test-{int(time.time())}")
    note = labels()[sub.language]["test"]

    async def send_all() -> list[tuple[str, str | None]]:
        results: list[tuple[str, str | None]] = []
        for channel in channels:
            job = DeliveryJob(
                id=f"{alert.key}:{sub.name}:{channel.id}", subscription=sub.name,
                channel=channel.id, alerts_json=(alert.model_dump_json(),),
                created=time.time(), extra={"note": note},
            )  # fmt: skip
            try:
                await asyncio.wait_for(
                    channel.send(job, sub.language), settings.alerts.send_timeout_seconds
                )
                results.append((channel.describe(), None))
            except DeliveryError as exc:
                kind = "permanent" if exc.permanent else "temporary"
                reason = str(exc).removeprefix(f"{channel.describe()}: ")
                results.append((channel.describe(), f"{reason} ({kind})"))
            except TimeoutError:
                results.append((channel.describe(), "no answer within the send timeout"))
            finally:
                await channel.close()
        return results

    click.echo(f"test-alert {name}: a sample through {len(channels)} channel(s)")
    results = asyncio.run(send_all())
    for where, error in results:
        click.echo(
            f"  {'ok    ' if error is None else 'FAILED'}  {where}"
            + (f": {error}" if error else "")
        )
    failed = sum(error is not None for _, error in results)
    click.echo(f"{len(results) - failed} ok, {failed} failed")
    if failed:
        sys.exit(EXIT_FAILURE)
