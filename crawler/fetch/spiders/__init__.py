"""Scrapy spiders: feeds and listing pages, and the one-off probe of `raqib check --sources`."""
