"""Arabic detection of incidents: pure Python, no Scrapy or Redis (so `raqib scan` and tests use it alone)."""

from crawler.detect.detector import Detection, Detector, Document
from crawler.detect.facts.gazetteer import Gazetteer, Place
from crawler.detect.text.normalise import normalise, normalise_with_offsets

__all__ = [
    "Detection",
    "Detector",
    "Document",
    "Gazetteer",
    "Place",
    "normalise",
    "normalise_with_offsets",
]
