"""Feeds: decoding bytes, parsing documents in worker processes, per-feed state and health in Redis."""
