"""Detection commands: `raqib scan` (detect on text or JSON lines) and `raqib eval` (against labels)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click

from crawler.app.commands.invocation import EXIT_FAILURE
from crawler.app.commands.invocation import fail as _fail
from crawler.app.commands.invocation import settings_of as _settings


def _read_lines(stream: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    name = getattr(stream, "name", "-")
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            _fail(f"{name}:{number}: not JSON: {exc.msg}")
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            _fail(f"{name}:{number}: expected an object with a string `text`")
        yield number, record


def _document(record: dict[str, Any]) -> Any:
    from crawler.detect import Document
    from crawler.detect.parse import parse_published

    def text_or_none(key: str) -> str | None:
        value = record.get(key)
        return None if value is None else str(value)

    return Document(
        text=record["text"],
        title=text_or_none("title"),
        id=text_or_none("id"),
        url=text_or_none("url"),
        published=parse_published(record.get("published")),
    )


def _detector(ctx: click.Context, watchlists: tuple[Path, ...] = ()) -> Any:
    """The configured watchlists, or those `--watchlist` names instead."""
    settings = _settings(ctx, quiet=True)
    from crawler.detect import Detector

    try:
        return Detector.from_files(list(watchlists) or settings.watchlists, settings.gazetteer)
    except (ValueError, OSError) as exc:
        _fail(f"cannot load detection: {exc}")


WATCHLIST = click.option(
    "--watchlist", "watchlists", multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Detect with this watchlist file instead of the configured ones (repeat for several).",
)  # fmt: skip


@click.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option(
    "--jsonl", is_flag=True, help="Input is JSON lines {id, title, text, url, published}."
)
@click.option("--explain", is_flag=True, help="Print a readable account with the matched words.")
@click.option(
    "--cluster", is_flag=True,
    help="With --jsonl: group the lines, in order, into incidents as the daemon does; "
    "adds incident_id and kind (new, update, duplicate) to each line.",
)  # fmt: skip
@WATCHLIST
@click.pass_context
def scan(
    ctx: click.Context, file: TextIO, jsonl: bool, explain: bool, cluster: bool,
    watchlists: tuple[Path, ...],
) -> None:  # fmt: skip
    """Run detection on a text file, JSON lines, or stdin (-), with the configured watchlists.

    With --jsonl, writes one line per input line, in order:
    {id, is_incident, attribution, watchlist, score, places, incident_type, killed, injured,
    casualties (each with its side, `who`), event_date, why}, where `watchlist` names the
    watchlist whose verdict the line is; with --cluster also {incident_id, kind}.
    """
    if cluster and not jsonl:
        _fail("--cluster reads a stream of reports: use it with --jsonl")
    from crawler.detect.detector import detection_record
    from crawler.detect.explain import explain as explain_text
    from crawler.incidents.book import IncidentBook

    detector = _detector(ctx, watchlists)
    book = IncidentBook(_settings(ctx, quiet=True).incidents) if cluster else None
    records: Iterator[dict[str, Any]]
    if jsonl:
        records = (r for _, r in _read_lines(file))  # streamed: stdin may be endless
    else:
        content = file.read()
        if content.lstrip().startswith("{"):
            # JSON lines given without --jsonl (raqib scan --explain leads.jsonl): read them so
            records = (r for _, r in _read_lines(io.StringIO(content)))
        else:
            records = iter([{"text": content}])
    for record in records:
        doc = _document(record)
        detection = detector.detect(doc)
        if explain:
            click.echo(explain_text(doc, detection))
            click.echo()
            continue
        line = detection_record(detection, doc.id)
        if book is not None:
            line.update(book.scan_line(record, doc, detection))
        click.echo(json.dumps(line, ensure_ascii=False))


@click.command(name="eval")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option(
    "--min-f1", type=float, default=None, help="Exit 1 when F1 falls below this (for CI)."
)
@WATCHLIST
@click.pass_context
def evaluate(
    ctx: click.Context, file: TextIO, as_json: bool, min_f1: float | None,
    watchlists: tuple[Path, ...],
) -> None:  # fmt: skip
    """Score detection with the configured watchlists against labelled JSON lines (the scan
    input plus `is_incident`).

    Optional labels: `class` (confusion by class), `killed`, `injured` (exact-count accuracy),
    `locations` (is the top place among them), `event_date_hint`. Prints precision, recall, F1,
    the accuracy of places and counts, and every miss; with several watchlists, how many
    incidents each found and whose verdict each miss is (--json: every miss names its
    `watchlist`).
    """
    from crawler.detect.evaluation import render, score

    detector = _detector(ctx, watchlists)
    pairs = []
    for number, record in _read_lines(file):
        if "is_incident" not in record:
            _fail(f"{getattr(file, 'name', '-')}:{number}: a labelled line needs `is_incident`")
        pairs.append((record, detector.detect(_document(record))))
    report = score(pairs, detector)
    if as_json:
        click.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        click.echo(render(report))
    if min_f1 is not None and report.f1 < min_f1:
        raise SystemExit(EXIT_FAILURE)
