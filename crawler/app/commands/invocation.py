"""What every `raqib` sub-command needs: the settings from the command line, and exits a user can act on."""

from __future__ import annotations

import sys
from typing import NoReturn

import click

from config.loader import ConfigError, load_settings
from config.logs import configure_logging
from config.settings import Settings

EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    click.echo(f"raqib: {message}", err=True)
    sys.exit(code)


def settings_of(ctx: click.Context) -> Settings:
    """Load (once) the settings named by --config / $RAQIB_CONFIG; exit 2 with file:line on error."""
    obj = ctx.find_root().ensure_object(dict)
    if "settings" not in obj:
        try:
            obj["settings"] = load_settings(obj.get("config"))
        except ConfigError as exc:
            fail("configuration error:\n  " + "\n  ".join(exc.problems))
        configure_logging(obj["settings"], obj.get("log_level"), obj.get("json_logs"))
    settings: Settings = obj["settings"]
    return settings
