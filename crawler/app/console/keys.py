"""Redis key names of the console: the incident summary index (with the incidents, {inc}) and sessions."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.incidents.keys import IncidentKeys


@dataclass(frozen=True)
class ConsoleKeys(IncidentKeys):
    @property
    def incident_summaries(self) -> str:
        """Hash: incident id -> its one-line summary (the list, map and timeline read only these)."""
        return self._k("{inc}", "summary")

    def session(self, token_hash: str) -> str:
        return self._k("{console}", "session", token_hash)

    def login_attempts(self, who: str) -> str:
        return self._k("{console}", "login", who)
