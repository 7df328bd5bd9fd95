"""`raqib check --sources`: fetch every source once and say which work, on a machine with the network."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
import yaml

from config.settings import Settings


def verify_sources(settings: Settings, names: tuple[str, ...], as_json: bool, mark: bool) -> int:
    """Probe the sources (all enabled ones, or those named); print a table; 0 if all answer."""
    from crawler.app.daemon import run_in_reactor
    from crawler.fetch.runner import probe_sources

    sources = [
        s for s in settings.sources if (s.name in names if names else s.enabled)
    ]  # fmt: skip
    unknown = sorted(set(names) - {s.name for s in settings.sources})
    if unknown:
        raise click.UsageError(f"no source named {', '.join(unknown)}")
    results: dict[str, Any] = {}

    async def main() -> int:
        results.update(await probe_sources(settings, sources))
        return 0

    run_in_reactor(main)
    ordered = [results[s.name] for s in sources if s.name in results]
    if as_json:
        for result in ordered:
            click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    else:
        click.echo(_table(ordered))
    passed = [r.name for r in ordered if r.ok]
    click.echo(f"{len(passed)} of {len(sources)} sources answered with entries", err=True)
    if mark and settings.sources_file is not None and passed:
        changed = mark_verified(Path(settings.sources_file), passed)
        click.echo(f"marked {changed} source(s) verified in {settings.sources_file}", err=True)
    return 0 if len(passed) == len(sources) else 1


def _table(results: list[Any]) -> str:
    rows = [("source", "ok", "status", "entries", "newest", "arabic", "seconds", "problems")]
    for r in results:
        rows.append(
            (
                r.name, "yes" if r.ok else "NO", str(r.status or "—"), str(r.entries),
                r.newest or "—", f"{r.arabic_share:.0%}", f"{r.seconds:.1f}",
                "; ".join(r.problems)[:120] or "—",
            )
        )  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def mark_verified(path: Path, names: list[str], today: str | None = None) -> int:
    """Set `verified: true` on these sources in a catalogue file, leaving every other line as it is."""
    today = today or datetime.now(UTC).date().isoformat()
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    root = yaml.compose("".join(lines), Loader=yaml.SafeLoader)
    if isinstance(root, yaml.MappingNode):
        root = next((v for k, v in root.value if k.value == "sources"), None)
    if not isinstance(root, yaml.SequenceNode):
        return 0
    wanted, changed = set(names), 0
    for item in root.value:
        if not isinstance(item, yaml.MappingNode):
            continue
        fields = {k.value: (k, v) for k, v in item.value}
        name = fields.get("name", (None, None))[1]
        if name is None or name.value not in wanted or "verified" not in fields:
            continue
        line = fields["verified"][0].start_mark.line
        lines[line] = (
            re.sub(
                r"verified:\s*\S+.*$",
                f"verified: true  # checked {today}",
                lines[line].rstrip("\n"),
            )
            + "\n"
        )
        changed += 1
    path.write_text("".join(lines), encoding="utf-8")
    return changed
