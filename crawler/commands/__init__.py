"""The crawler side's sub-commands, one module per area; `crawler.cli` registers them."""

from crawler.commands.detect import evaluate, scan
from crawler.commands.feeds import feeds

COMMANDS = [scan, evaluate, feeds]
