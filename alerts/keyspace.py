"""Names of every Redis key Raqib uses, under one prefix, with hash tags where keys go together."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keyspace:
    prefix: str = "raqib:"

    def _k(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    # crawler side
    def feed_state(self, source: str) -> str:
        return self._k("feed", source)

    def feed_lease(self, source: str) -> str:
        return self._k("lease", source)

    def seen(self, entry_hash: str) -> str:
        return self._k("seen", entry_hash)

    @property
    def feeds(self) -> str:
        return self._k("feeds")

    # the contract between crawler/ and alerts/
    @property
    def matches(self) -> str:
        return self._k("{alerts}", "matches")

    # alerts side: keys used together share the {alerts} hash tag
    @property
    def deliveries(self) -> str:
        return self._k("{alerts}", "deliveries")

    @property
    def retries(self) -> str:
        return self._k("{alerts}", "retries")

    @property
    def dead(self) -> str:
        return self._k("{alerts}", "dead")

    @property
    def delivery_log(self) -> str:
        return self._k("{alerts}", "log")

    def delivered(self, delivery_id: str) -> str:
        return self._k("{alerts}", "done", delivery_id)

    def digest(self, subscription: str) -> str:
        return self._k("{alerts}", "digest", subscription)

    def thread(self, incident_id: str, subscription: str) -> str:
        return self._k("{alerts}", "thread", incident_id, subscription)

    # incidents
    def incident(self, incident_id: str) -> str:
        return self._k("{inc}", "incident", incident_id)

    @property
    def incidents(self) -> str:
        return self._k("{inc}", "incidents")

    # Every incident key shares the {inc} hash tag: one transaction updates them together.
    def incident_history(self, incident_id: str) -> str:
        return self._k("{inc}", "incident", incident_id, "history")

    @property
    def incident_days(self) -> str:
        return self._k("{inc}", "days")

    def incident_band(self, bucket: str) -> str:
        return self._k("{inc}", "band", bucket)

    def incident_url(self, url_hash: str) -> str:
        return self._k("{inc}", "url", url_hash)

    @property
    def incident_outbox(self) -> str:
        return self._k("{inc}", "outbox")

    @property
    def incident_clock(self) -> str:
        return self._k("{inc}", "clock")
