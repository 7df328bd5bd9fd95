"""Incident clustering: one incident per event across outlets and days, news about it as updates.

The package root and its pure modules import neither Redis nor Scrapy; the Redis-backed store
is `crawler.incidents.store`.
"""

from crawler.incidents.decision import Decision, Outcome, Rules, decide, plan
from crawler.incidents.incident import Incident
from crawler.incidents.report import Article, Location, Report, report_of

__all__ = [
    "Article",
    "Decision",
    "Incident",
    "Location",
    "Outcome",
    "Report",
    "Rules",
    "decide",
    "plan",
    "report_of",
]
