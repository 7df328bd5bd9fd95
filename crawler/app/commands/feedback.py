"""Analysts' commands: `raqib feedback …` on incidents and `raqib audit`, the record of who did what."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import click

from crawler.app.commands.invocation import EXIT_FAILURE, fail
from crawler.app.commands.invocation import settings_of as _settings

if TYPE_CHECKING:
    from crawler.incidents.feedback import Feedback, FeedbackStore

BY = click.option(
    "--by", required=True, envvar="RAQIB_USER", metavar="NAME",
    help="Who gives it (or $RAQIB_USER); kept with it and in the audit log.",
)  # fmt: skip
COMMENT = click.option("--comment", "-m", default="", help="Why, in a few words.")


@contextmanager
def _store(ctx: click.Context) -> Iterator[FeedbackStore]:
    settings = _settings(ctx, quiet=True)
    from alerts.audit import AuditLog
    from alerts.spine.connections import open_redis
    from crawler.incidents.feedback import FeedbackStore
    from crawler.incidents.store import IncidentStore

    with open_redis(settings) as handle:
        client = handle.sync()
        incidents = IncidentStore(client, handle.keys, settings.incidents)
        yield FeedbackStore(incidents, AuditLog(client, handle.keys))


def _give(
    ctx: click.Context, kind: str, incident: str, by: str, comment: str, **value: Any
) -> None:
    from crawler.incidents.feedback import FeedbackError

    with _store(ctx) as store:
        try:
            given = store.give(kind, incident, by, comment, **value)
        except FeedbackError as exc:
            fail(str(exc), EXIT_FAILURE)
        except ValueError as exc:
            fail(str(exc))
    click.echo(f"{given.id}: incident {incident}: {given.describe()} (by {given.by}); "
               f"undo with `raqib feedback undo {given.id}`")  # fmt: skip


@click.group()
def feedback() -> None:
    """Feedback on an incident: it changes the incident, is kept with who and when, can be undone,
    and `feedback export` turns it into labelled lines for `raqib eval`."""


@feedback.command("not-incident")
@click.argument("incident")
@BY
@COMMENT
@click.pass_context
def not_incident(ctx: click.Context, incident: str, by: str, comment: str) -> None:
    """A false alarm: it sends nothing more and leaves the default `raqib incidents` list."""
    _give(ctx, "not-incident", incident, by, comment)


@feedback.command("not-isis")
@click.argument("incident")
@BY
@COMMENT
@click.pass_context
def not_isis(ctx: click.Context, incident: str, by: str, comment: str) -> None:
    """Another actor's: as a false alarm, it sends nothing more and leaves the list."""
    _give(ctx, "not-isis", incident, by, comment)


@feedback.command()
@click.argument("incident")
@click.argument("place")
@BY
@COMMENT
@click.pass_context
def place(ctx: click.Context, incident: str, place: str, by: str, comment: str) -> None:
    """The right place: a gazetteer name, Arabic or English (سبها, Sabha)."""
    settings = _settings(ctx, quiet=True)
    from crawler.app.configcheck import settings_gazetteers
    from crawler.incidents.feedback import FeedbackError, place_of

    found, first = None, None
    for gazetteer in settings_gazetteers(settings):  # each watched country's, in turn
        try:
            found = place_of(place, gazetteer)
            break
        except FeedbackError as exc:
            first = first or exc
    if found is None:
        fail(str(first))
    _give(ctx, "place", incident, by, comment, place=found)


@feedback.command()
@click.argument("incident")
@click.option("--killed", type=click.IntRange(0, 100_000), default=None)
@click.option("--injured", type=click.IntRange(0, 100_000), default=None)
@BY
@COMMENT
@click.pass_context
def toll(
    ctx: click.Context, incident: str, killed: int | None, injured: int | None, by: str,
    comment: str,
) -> None:  # fmt: skip
    """The right casualty figures (either or both)."""
    if killed is None and injured is None:
        fail("give --killed N, --injured N or both")
    _give(ctx, "toll", incident, by, comment, killed=killed, injured=injured)


@feedback.command()
@click.argument("incident")
@click.option("--into", "into", required=True, metavar="ID", help="The incident it is the same as.")
@BY
@COMMENT
@click.pass_context
def merge(ctx: click.Context, incident: str, into: str, by: str, comment: str) -> None:
    """INCIDENT is the same as --into ID: its reports join that one, whose subscribers hear so
    in the same thread; later reports of either go there."""
    _give(ctx, "merge", incident, by, comment, into=into)


@feedback.command()
@click.argument("incident")
@click.argument("url")
@BY
@COMMENT
@click.pass_context
def split(ctx: click.Context, incident: str, url: str, by: str, comment: str) -> None:
    """The report at URL is another incident: it becomes an incident of its own."""
    _give(ctx, "split", incident, by, comment, url=url)


@feedback.command()
@click.argument("feedback_id")
@BY
@COMMENT
@click.pass_context
def undo(ctx: click.Context, feedback_id: str, by: str, comment: str) -> None:
    """Take one piece of feedback back."""
    from crawler.incidents.feedback import FeedbackError

    with _store(ctx) as store:
        try:
            undone = store.undo(feedback_id, by, comment)
        except FeedbackError as exc:
            fail(str(exc), EXIT_FAILURE)
    click.echo(f"{feedback_id} undone: incident {undone.incident}: {undone.describe()} no more")


def _row(fb: Feedback) -> str:
    at = datetime.fromtimestamp(fb.at, UTC).strftime("%Y-%m-%d %H:%M")
    undone = f"  [undone by {fb.undone['by']}]" if fb.undone else ""
    comment = f"  “{fb.comment}”" if fb.comment else ""
    return f"{fb.id}  {at}  {fb.by}  {fb.incident}: {fb.describe()}{comment}{undone}"


@feedback.command("list")
@click.argument("incident", required=False)
@click.option("--limit", default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def list_feedback(ctx: click.Context, incident: str | None, limit: int, as_json: bool) -> None:
    """Feedback given, the latest first (on one incident, or all)."""
    with _store(ctx) as store:
        found = store.list(incident, limit)
    for fb in found:
        click.echo(json.dumps(fb.summary(), ensure_ascii=False) if as_json else _row(fb))
    if not found and not as_json:
        click.echo("no feedback yet")


@feedback.command()
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="Where to write the JSON lines (default: standard output).")  # fmt: skip
@click.pass_context
def export(ctx: click.Context, output: Any) -> None:
    """The reports of corrected incidents as labelled JSON lines, in the format `raqib eval`
    reads: a regression set of what analysts corrected."""
    count = 0
    with _store(ctx) as store:
        for line in store.export():
            output.write(json.dumps(line, ensure_ascii=False) + "\n")
            count += 1
    click.echo(f"{count} labelled report(s)", err=True)


@click.command()
@click.option("--limit", default=50, show_default=True)
@click.option(
    "--action", default=None, help="Only these actions (a prefix: feedback, silence.add …)."
)
@click.option(
    "--target", default=None, help="Only what was done to this incident, silence or subscription."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object a line.")
@click.pass_context
def audit(
    ctx: click.Context, limit: int, action: str | None, target: str | None, as_json: bool
) -> None:
    """Who did what, and when: feedback, silences, subscriptions; the latest first."""
    settings = _settings(ctx, quiet=True)
    from alerts.audit import AuditLog
    from alerts.spine.connections import open_redis

    with open_redis(settings) as handle:
        entries = AuditLog(handle.sync(), handle.keys).entries(limit, action, target)
    for entry in entries:
        if as_json:
            click.echo(json.dumps(entry.summary(), ensure_ascii=False))
            continue
        at = datetime.fromtimestamp(entry.at, UTC).strftime("%Y-%m-%d %H:%M:%S")
        detail = json.dumps(entry.detail, ensure_ascii=False) if entry.detail else ""
        click.echo(f"{at}  {entry.by}  {entry.action}  {entry.target}  {detail}".rstrip())
    if not entries and not as_json:
        click.echo("nothing audited yet")
