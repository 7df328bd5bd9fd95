"""`raqib check`: the configuration read whole, every problem reported in one pass with file:line."""

from __future__ import annotations

import re
import sys

import click

from crawler.app.commands.invocation import config_report, fail
from crawler.app.commands.invocation import settings_of as _settings

_WHERE = re.compile(r"^(.*?):(\d+):")


def _position(problem: str) -> tuple[str, int]:
    """(file, line) of a problem, so that the list reads in the file's order."""
    found = _WHERE.match(problem)
    return (found.group(1), int(found.group(2))) if found else (problem, 0)


@click.command()
@click.option(
    "--sources", "probe", is_flag=True,
    help="Also fetch every enabled source (or those named) once and report which answer; exit 1 "
    "if any does not. Needs the network.",
)  # fmt: skip
@click.option("--source", "names", multiple=True, help="With --sources: only this source.")
@click.option("--json", "as_json", is_flag=True, help="With --sources: JSON lines.")
@click.option(
    "--mark-verified", is_flag=True,
    help="With --sources: set `verified: true` in the catalogue for the sources that answered.",
)  # fmt: skip
@click.pass_context
def check(
    ctx: click.Context, probe: bool, names: tuple[str, ...], as_json: bool, mark_verified: bool
) -> None:
    """Validate the configuration, watchlists and subscriptions; exit 2 listing every error."""
    from crawler.app.configcheck import detection_problems

    report = config_report(ctx)
    # Apprise, the watchlists and the gazetteers judge the YAML as written, so they speak even
    # when the schema found errors: every problem comes out in one pass.
    problems = [*report.problems, *detection_problems(report)]
    detector = None
    if report.settings is not None and not problems:
        from crawler.detect import Detector

        try:
            detector = Detector.from_files(report.settings.watchlists, report.settings.gazetteer)
        except (ValueError, OSError, KeyError) as exc:
            problems.append(str(exc))
    problems.sort(key=_position)
    for warning in report.warnings:
        click.echo(f"raqib: warning: {warning}", err=True)
    if problems or detector is None:
        fail("configuration error:\n  " + "\n  ".join(problems))
    settings = _settings(ctx, quiet=True)
    from alerts.worker import build_routes

    routes = build_routes(settings)
    enabled = sum(s.enabled for s in settings.sources)
    click.echo(f"config: {settings.config_path}")
    click.echo(f"sources: {len(settings.sources)} ({enabled} enabled)")
    click.echo(
        f"watchlists: {', '.join(w.name for w in detector.watchlists)} "
        f"({sum(len(m.terms) for m in detector.matchers)} terms, "
        f"{sum(len(g) for g in detector.gazetteers)} places)"
    )
    if settings.subscriptions:
        click.echo(
            "subscriptions: "
            + ", ".join(
                f"{r.subscription.name} ({len(r.channels)} channel"
                f"{'s' if len(r.channels) != 1 else ''})"
                for r in routes
            )
        )
    else:
        click.echo(
            f"subscriptions: none; alerts go to the console and {settings.data_dir}/alerts.jsonl "
            "(`raqib test-alert -s console` tries it)"
        )
    click.echo(
        "redis: "
        + (
            "embedded under " + str(settings.data_dir)
            if not settings.redis.url
            else "REDIS_URL / redis.url"
        )
    )
    click.echo("ok")
    if probe:
        from crawler.app.commands.sources import verify_sources

        sys.exit(verify_sources(settings, names, as_json, mark_verified))
