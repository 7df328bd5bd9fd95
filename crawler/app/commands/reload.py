"""`raqib reload`: every daemon on this Redis re-reads its sources, watchlists and subscriptions."""

from __future__ import annotations

import json
import sys

import click

from crawler.app.commands.invocation import EXIT_FAILURE
from crawler.app.commands.invocation import settings_of as _settings


@click.command()
@click.option("--wait", default=10.0, show_default=True, help="Seconds to wait for answers.")
@click.option("--expect", type=int, default=None, help="Stop waiting once this many answered.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per daemon that answered.")
@click.pass_context
def reload(ctx: click.Context, wait: float, expect: int | None, as_json: bool) -> None:
    """Ask every `raqib run | crawl | alerts` on this Redis, on any host, to reload.

    Each re-reads its own configuration file; the sources are scheduled anew, the watchlists
    rebuilt, the subscriptions routed, and an invalid file keeps the running configuration.
    Exit 1 when a daemon kept its configuration, or none answered. (SIGHUP to one daemon does
    the same for that one.)
    """
    settings = _settings(ctx)
    from alerts.spine.connections import open_redis
    from crawler.app.reload import request_reload

    with open_redis(settings) as handle:
        client = handle.sync()
        try:
            generation, answers = request_reload(client, handle.keys, wait, expect)
        finally:
            client.close()
    for name, answer in answers:
        if as_json:
            click.echo(json.dumps({"daemon": name, **answer}, ensure_ascii=False))
        else:
            outcome = "reloaded" if answer["ok"] else "kept its configuration"
            roles = "+".join(answer.get("roles", []))
            click.echo(f"{name} ({roles}): {outcome}: {answer['summary']}")
    if not answers:
        click.echo(f"raqib: no daemon answered reload request {generation} within {wait:g} s; "
                   "is one running on this Redis (same redis.url and prefix)?", err=True)  # fmt: skip
        sys.exit(EXIT_FAILURE)
    if expect is not None and len(answers) < expect:
        click.echo(f"raqib: {len(answers)} of {expect} daemons answered", err=True)
        sys.exit(EXIT_FAILURE)
    if not all(answer["ok"] for _, answer in answers):
        sys.exit(EXIT_FAILURE)
