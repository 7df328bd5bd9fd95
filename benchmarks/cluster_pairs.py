"""`python -m benchmarks.cluster_pairs LABELS.jsonl -`: grouping measured in pairs (crawler.incidents.pairs)."""

import sys

from crawler.incidents.pairs import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
