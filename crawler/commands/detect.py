"""Detection commands: `raqib scan` (and, with the detection work, `raqib eval`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

import click

from config.command import fail as _fail
from config.command import settings_of as _settings


def _read_lines(stream: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            _fail(f"line {number}: not JSON: {exc.msg}")
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            _fail(f"line {number}: expected an object with a string `text`")
        yield number, record


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
@click.pass_context
def scan(ctx: click.Context, file: TextIO, jsonl: bool, explain: bool, cluster: bool) -> None:
    """Run detection on a text file, JSON lines, or stdin (-)."""
    if cluster and not jsonl:
        _fail("--cluster reads a stream of reports: use it with --jsonl")
    settings = _settings(ctx)
    from crawler.detect import Detector, Document
    from crawler.detect.detector import detection_record
    from crawler.detect.explain import explain as explain_text
    from crawler.detect.parse import parse_published
    from crawler.incidents.book import IncidentBook

    detector = Detector.from_files(settings.watchlists, settings.gazetteer)
    book = IncidentBook(settings.incidents) if cluster else None
    documents: Iterator[tuple[dict[str, Any], Document]]
    if jsonl:
        documents = (
            (r, Document(
                text=r["text"], title=r.get("title"), id=r.get("id"), url=r.get("url"),
                published=parse_published(r.get("published")),
            ))
            for _, r in _read_lines(file)
        )  # fmt: skip
    else:
        documents = iter([({}, Document(text=file.read()))])
    for line, doc in documents:
        detection = detector.detect(doc)
        if explain:
            click.echo(explain_text(doc, detection))
            continue
        record = detection_record(detection, doc.id)
        if book is not None:
            record.update(book.scan_line(line, doc, detection))
        click.echo(json.dumps(record, ensure_ascii=False))
