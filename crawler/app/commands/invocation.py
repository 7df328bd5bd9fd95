"""What every `raqib` sub-command needs: the settings from the command line, and exits a user can act on."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from config.loader import ConfigReport, inspect_config
from config.logs import configure_logging
from config.settings import Settings
from crawler.app.exits import EXIT_FAILURE, EXIT_OK, EXIT_TEMPFAIL, EXIT_USAGE

__all__ = ["EXIT_FAILURE", "EXIT_OK", "EXIT_TEMPFAIL", "EXIT_USAGE", "fail", "settings_of"]


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"raqib: {message}", err=True)
    sys.exit(code)


def config_report(ctx: click.Context, delivery: bool = False) -> ConfigReport:
    """The configuration named by --config / $RAQIB_CONFIG, read whole (once); with `delivery`,
    its chat URLs and filter places are checked too."""
    obj = ctx.find_root().ensure_object(dict)
    if "report" not in obj:
        obj["report"] = inspect_config(obj.get("config"))
    report: ConfigReport = obj["report"]
    if delivery and not obj.get("delivery_checked"):
        from crawler.app.configcheck import delivery_problems

        obj["delivery_checked"] = True
        if not report.problems:  # with schema errors, `raqib check` reports them all at once
            report.problems += delivery_problems(report)
    return report


def settings_of(ctx: click.Context, quiet: bool = False, delivery: bool = False) -> Settings:
    """Load (once) the settings named by --config / $RAQIB_CONFIG; exit 2 listing every problem,
    each with file:line.

    `quiet`: a read-only command, whose output is its answer: no INFO lines (the embedded
    Redis starting and stopping) and no library warnings unless -v asks for them.
    `delivery`: the command delivers alerts, so its chat URLs and filters are checked first.
    """
    obj = ctx.find_root().ensure_object(dict)
    report = config_report(ctx, delivery)
    if report.problems or report.settings is None:
        fail("configuration error:\n  " + "\n  ".join(report.problems))
    if "logging" not in obj:
        obj["logging"] = True
        verbose = bool(obj.get("verbose"))
        configure_logging(
            report.settings, obj.get("log_level"), obj.get("json_logs"),
            quiet=quiet and not verbose,
        )  # fmt: skip
    return report.settings
