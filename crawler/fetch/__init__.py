"""Fetching: the schedule, the Scrapy runner, spiders, middlewares and item pipelines."""
