"""Raqib's acquisition side: scheduling, Scrapy spiders, detection and incident clustering."""
