"""The crawler side's sub-commands, one module per area; `crawler.cli` registers them."""

from crawler.commands.detect import evaluate, scan
from crawler.commands.feeds import feeds
from crawler.commands.incidents import incidents

COMMANDS = [scan, evaluate, feeds, incidents]
