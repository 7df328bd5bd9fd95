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

    # alerts side: keys used together share the {alerts} hash tag (one slot on Redis Cluster)
    @property
    def jobs(self) -> str:
        """Stream of delivery jobs, one per (alert or digest, subscription, channel)."""
        return self._k("{alerts}", "jobs")

    @property
    def scheduled(self) -> str:
        """Sorted set of jobs held until a time: retry back-off, quiet hours, rate limits."""
        return self._k("{alerts}", "scheduled")

    @property
    def dead(self) -> str:
        """Stream of dead letters: deliveries that failed for good, with the reason."""
        return self._k("{alerts}", "dead")

    @property
    def delivery_log(self) -> str:
        return self._k("{alerts}", "log")

    def state(self, delivery_id: str) -> str:
        """queued | sent | dead: what became of one delivery (the idempotency record)."""
        return self._k("{alerts}", "state", delivery_id)

    def digest(self, subscription: str, channel: str) -> str:
        """Hash of the alerts waiting for one subscription's next digest on one channel."""
        return self._k("{alerts}", "digest", subscription, channel)

    @property
    def digests_due(self) -> str:
        """Sorted set: digest key -> when it is sent."""
        return self._k("{alerts}", "digests-due")

    @property
    def digest_sequence(self) -> str:
        return self._k("{alerts}", "digest-seq")

    def rate(self, subscription: str, channel: str) -> str:
        """Sorted set of recent send times on one channel, for its rate limit."""
        return self._k("{alerts}", "rate", subscription, channel)

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
