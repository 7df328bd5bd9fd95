"""Incident commands: `raqib incidents` (recent ones) and `raqib incidents show ID` (one, with its history)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from crawler.app.commands.invocation import EXIT_FAILURE
from crawler.app.commands.invocation import fail as _fail
from crawler.app.commands.invocation import settings_of as _settings

if TYPE_CHECKING:
    from config.settings import Settings
    from crawler.app.console.queries import Filters
    from crawler.incidents.incident import Incident


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _toll(killed: int | None, injured: int | None) -> str:
    if killed is None and injured is None:
        return "—"
    return f"{killed if killed is not None else '?'} killed, {injured if injured is not None else '?'} injured"


@click.group(invoke_without_command=True)
@click.option("--limit", default=None, type=int, help="How many incidents to list (table: 20).")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per incident.")
@click.option("--since", default="", metavar="SPAN",
              help="Only incidents that changed within this span: 24h, 7d, 2w.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson", "atom", "json"]), default=None,
              help="Export instead of the table: CSV (ACLED's columns), GeoJSON, Atom or JSON.")  # fmt: skip
@click.option("--all", "show_all", is_flag=True,
              help="Those dismissed by feedback (not an incident, not ISIS) or merged too.")  # fmt: skip
@click.pass_context
def incidents(
    ctx: click.Context,
    limit: int | None,
    as_json: bool,
    since: str,
    fmt: str | None,
    show_all: bool,
) -> None:
    """Recent incidents, newest first: id, place, type, first seen, sources, casualties."""
    if ctx.invoked_subcommand is not None:
        return
    settings = _settings(ctx, quiet=True)
    from alerts.spine.connections import open_redis
    from crawler.app.console.queries import BadFilter, Filters
    from crawler.incidents.store import IncidentStore

    try:
        filters = Filters.parse({"span": since})
    except BadFilter as exc:
        _fail(str(exc))
    if fmt is not None or since:
        _export(settings, filters, fmt or ("jsonl" if as_json else "table"), limit)
        return
    with open_redis(settings) as handle:
        found = IncidentStore(handle.sync(), handle.keys, settings.incidents).recent(
            limit or 20, dismissed=show_all
        )
    if as_json:
        for incident in found:
            click.echo(json.dumps(_summary(incident), ensure_ascii=False))
        return
    _table(found)


def _table(found: list[Incident]) -> None:
    if not found:
        click.echo("no incidents yet")
        return
    rows = [("id", "place", "type", "first seen", "sources", "casualties", "rev")]
    for incident in found:
        copies = sum(len(s.copies) for s in incident.stories)
        rows.append((
            incident.id,
            incident.place.name if incident.place else "—",
            incident.incident_type or "—",
            _when(incident.first_seen),
            f"{len(incident.stories)}" + (f" (+{copies} copies)" if copies else ""),
            _toll(incident.killed, incident.injured),
            str(incident.revision),
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


def _export(settings: Settings, filters: Filters, fmt: str, limit: int | None) -> None:
    """The console's query and exports: `--since` and `--format` give what its pages give."""
    from alerts.spine.connections import open_redis
    from crawler.app.console.exports import render
    from crawler.app.console.index import IncidentIndex
    from crawler.app.console.keys import ConsoleKeys
    from crawler.app.console.web import records_of
    from crawler.incidents.store import IncidentStore

    with open_redis(settings) as handle:
        client = handle.sync()
        store = IncidentStore(client, handle.keys, settings.incidents)
        rows = filters.apply(IncidentIndex(client, ConsoleKeys(handle.keys.prefix), store).rows())
        rows = rows[:limit] if limit else rows
        records = records_of(store, rows)
    if fmt == "table":
        _table([incident for _, incident in records])
        return
    if fmt == "jsonl":
        for _, incident in records:
            click.echo(json.dumps(_summary(incident), ensure_ascii=False))
        return
    base_url = (
        settings.console.public_url.rstrip("/")
        or f"http://{settings.console.host}:{settings.console.port}/console"
    )
    click.echo(render(fmt, records, base_url, "Raqib — incidents"), nl=fmt != "csv")


def _summary(incident: Incident) -> dict[str, Any]:
    data: dict[str, Any] = incident.to_json()
    for story in data["stories"]:
        story.pop("signature", None)
        story.pop("terms", None)
    return data


@incidents.command()
@click.argument("incident_id")
@click.option("--json", "as_json", is_flag=True, help="The incident and its history as JSON.")
@click.pass_context
def show(ctx: click.Context, incident_id: str, as_json: bool) -> None:
    """One incident: where, what, when, the toll and how it changed, its sources, its history."""
    settings = _settings(ctx, quiet=True)
    from alerts.spine.connections import open_redis
    from crawler.incidents.store import IncidentStore

    with open_redis(settings) as handle:
        store = IncidentStore(handle.sync(), handle.keys, settings.incidents)
        incident = store.get(incident_id)
        history = store.history(incident_id) if incident else []
        said = store.feedback_on(incident_id) if incident else {}
    if incident is None:
        _fail(f"no incident {incident_id!r} (list them with `raqib incidents`)", EXIT_FAILURE)
    if as_json:
        click.echo(json.dumps({**_summary(incident), "history": history, "feedback": said},
                              ensure_ascii=False))  # fmt: skip
        return
    place = ", ".join(f"{p.name} ({p.en or p.id})" for p in incident.places) or "—"
    days = "—"
    if incident.first_day:
        days = incident.first_day.isoformat()
        if incident.last_day and incident.last_day != incident.first_day:
            days += f" … {incident.last_day.isoformat()}"
    lines = [
        f"incident {incident.id}  (revision {incident.revision})",
        f"  place:      {place}",
        f"  type:       {incident.incident_type or '—'}",
        f"  event day:  {days}",
        f"  first seen: {_when(incident.first_seen)}    last seen: {_when(incident.last_seen)}",
        f"  casualties: {_toll(incident.killed, incident.injured)}",
        f"  claimed:    {'yes' if incident.claimed else 'no'}",
        f"  sources ({len(incident.stories)} distinct stories):",
    ]
    if said:
        lines[1:1] = _feedback_lines(said)
    for story in incident.stories:
        lines.append(f"    - {story.outlet}: {story.title or '—'}  {story.url}")
        lines.extend(f"        copy: {c.outlet} {c.url}" for c in story.copies)
    if incident.tolls:
        lines.append("  casualty figures:")
        for toll in incident.tolls:
            lines.append(
                f"    - {_when(toll.at)}  {toll.outlet}: {_toll(toll.killed, toll.injured)} ({toll.verdict})"
            )
    lines.append("  history:")
    for event in history:
        at = _when(datetime.fromisoformat(event["at"])) if event.get("at") else "—"
        reasons = f" [{', '.join(event['reasons'])}]" if event.get("reasons") else ""
        lines.append(
            f"    - {at}  r{event['revision']} {event['kind']}{reasons}  {event['outlet']}: "
            f"{event['title'] or event['url']}"
        )
        lines.extend(f"        {change}" for change in event.get("changes") or ())
        lines.extend(f"        {why}" for why in event.get("why") or ())
    click.echo("\n".join(lines))


def _feedback_lines(said: dict[str, Any]) -> list[str]:
    """What analysts said of it (see `raqib feedback list ID`)."""
    lines = []
    if "verdict" in said:
        verdict = said["verdict"]
        what = "not an incident" if verdict["kind"] == "not-incident" else "not ISIS"
        lines.append(
            f"  feedback:   {what} (by {verdict['by']}, {verdict['feedback']}): sends nothing"
        )
    if "merged_into" in said:
        lines.append(f"  feedback:   merged into {said['merged_into']}")
    corrections = said.get("corrections") or {}
    if corrections.get("place"):
        lines.append(f"  feedback:   place set to {corrections['place']['name']}")
    if "killed" in corrections or "injured" in corrections:
        lines.append(
            f"  feedback:   toll set to {_toll(corrections.get('killed'), corrections.get('injured'))}"
        )
    return lines
