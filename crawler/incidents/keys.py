"""Redis key names of the incidents, all under the {inc} hash tag: one transaction updates them together."""

from __future__ import annotations

from dataclasses import dataclass

from alerts.spine.keyspace import Keyspace


@dataclass(frozen=True)
class IncidentKeys(Keyspace):
    def incident(self, incident_id: str) -> str:
        return self._k("{inc}", "incident", incident_id)

    @property
    def incidents(self) -> str:
        return self._k("{inc}", "incidents")

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

    def incident_texts(self, incident_id: str) -> str:
        """Hash: address hash -> the report's title and text, for `raqib feedback export`."""
        return self._k("{inc}", "incident", incident_id, "texts")

    @property
    def feedback(self) -> str:
        """Hash: feedback id -> the feedback as JSON."""
        return self._k("{inc}", "feedback")

    @property
    def feedback_times(self) -> str:
        """Sorted set: feedback id -> when it was given (bounds the hash, orders the list)."""
        return self._k("{inc}", "feedback-at")

    def feedback_of(self, incident_id: str) -> str:
        """Sorted set: the ids of the feedback about one incident -> when it was given."""
        return self._k("{inc}", "feedback-of", incident_id)

    @property
    def feedback_indexed(self) -> str:
        """String: set once every stored piece of feedback is in its incidents' indexes."""
        return self._k("{inc}", "feedback-indexed")
