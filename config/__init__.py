"""Raqib's settings: the schema with its defaults, the loader, and the files Raqib ships."""

from config.loader import DEFAULT_CONFIG, ConfigError, load_settings, load_sources_file
from config.settings import Settings, Source, Subscription

__all__ = [
    "DEFAULT_CONFIG",
    "ConfigError",
    "Settings",
    "Source",
    "Subscription",
    "load_settings",
    "load_sources_file",
]
