"""`python -m crawler` is `raqib`."""

from crawler.cli import main

main()
