"""The `raqib` sub-commands beyond the daemon's own, one module per area; `crawler.app.cli` registers them."""

from crawler.app.commands.alerts import dead, test_alert
from crawler.app.commands.detect import evaluate, scan
from crawler.app.commands.feeds import feeds
from crawler.app.commands.incidents import incidents
from crawler.app.commands.reload import reload

COMMANDS = [scan, evaluate, feeds, incidents, dead, test_alert, reload]
