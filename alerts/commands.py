"""The delivery side's sub-commands (`raqib dead`, `raqib test-alert` come with the alerts work)."""

from __future__ import annotations

import click

COMMANDS: list[click.Command] = []
