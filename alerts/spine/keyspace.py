"""Redis key names under one prefix: the matches stream and the delivery keys; each room adds its own."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keyspace:
    prefix: str = "raqib:"

    def _k(self, *parts: str) -> str:  # the rooms' own key classes build on it
        return self.prefix + ":".join(parts)

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

    def latest(self, incident_id: str) -> str:
        """Hash {rev, alert}: the latest revision of an incident the router has seen."""
        return self._k("{alerts}", "latest", incident_id)

    def told(self, subscription: str, channel: str, incident_id: str) -> str:
        """Hash {rev, at, owner, until}: what one channel was last told of an incident, and
        which delivery is telling it now (for coalescing updates)."""
        return self._k("{alerts}", "told", subscription, channel, incident_id)

    def rate(self, subscription: str, channel: str) -> str:
        """Sorted set of recent send times on one channel, for its rate limit."""
        return self._k("{alerts}", "rate", subscription, channel)

    # what analysts and operators change at run time (alerts/silences.py, subscription_store.py)
    @property
    def silences(self) -> str:
        """Hash: silence id -> the silence as JSON."""
        return self._k("{alerts}", "silences")

    @property
    def silences_version(self) -> str:
        """Bumped on every change of a silence: senders read them again only then."""
        return self._k("{alerts}", "silences-version")

    @property
    def stored_subscriptions(self) -> str:
        """Hash: name -> a subscription made outside the YAML, as JSON."""
        return self._k("{alerts}", "subscriptions")

    @property
    def subscriptions_version(self) -> str:
        """Bumped on every change of a stored subscription: workers rebuild their routes then."""
        return self._k("{alerts}", "subscriptions-version")

    @property
    def audit(self) -> str:
        """Stream: who did what, and when (alerts/audit.py)."""
        return self._k("{audit}", "log")
