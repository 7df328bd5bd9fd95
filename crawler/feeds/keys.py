"""Redis key names of the feeds: each source's state, its lease, the entries it has seen."""

from __future__ import annotations

from dataclasses import dataclass

from alerts.spine.keyspace import Keyspace


@dataclass(frozen=True)
class FeedKeys(Keyspace):
    def feed_state(self, source: str) -> str:
        return self._k("feed", source)

    def feed_lease(self, source: str) -> str:
        return self._k("lease", source)

    def seen(self, entry_hash: str) -> str:
        return self._k("seen", entry_hash)

    @property
    def feeds(self) -> str:
        return self._k("feeds")
