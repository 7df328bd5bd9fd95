"""The `raqib` sub-commands beyond the daemon's own, one module per area; `crawler.app.cli` registers them."""

from crawler.app.commands.alerts import dead, pending, test_alert, unsubscribed
from crawler.app.commands.configuration import check
from crawler.app.commands.console import console, console_password
from crawler.app.commands.detect import evaluate, scan
from crawler.app.commands.feedback import audit, feedback
from crawler.app.commands.feeds import feeds
from crawler.app.commands.incidents import incidents
from crawler.app.commands.reload import reload
from crawler.app.commands.silences import silence
from crawler.app.commands.subscriptions import subscriptions

COMMANDS = [
    check, scan, evaluate, feeds, incidents, dead, pending, test_alert, unsubscribed, reload,
    console, console_password, feedback, silence, subscriptions, audit,
]  # fmt: skip
