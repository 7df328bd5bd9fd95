"""`python -m crawler` is `raqib`."""

from crawler.app.cli import main

# Guarded: the document reader's worker processes start by importing the main module.
if __name__ == "__main__":
    main()
