"""The analyst's desk in the console: feedback on incidents, silences, subscriptions without YAML,
and the audit log, over the same stores as `raqib feedback|silence|subscriptions|audit`.

Every change goes through those stores with the logged-in analyst as its author; the forms'
values are typed by people and pass the stores' own checks (and cleaning) as the commands' do.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import redis

from alerts import unsubscribe
from alerts.audit import AuditEntry, AuditLog
from alerts.silences import MATCHERS, Silence, SilenceStore, parse_duration
from alerts.spine.keyspace import Keyspace
from alerts.subscription_store import SubscriptionError, SubscriptionStore
from config.settings import Settings
from crawler.app.configcheck import subscription_places
from crawler.app.console.index import Summary
from crawler.detect.facts.gazetteer import Gazetteer, Place
from crawler.incidents.feedback import Feedback, FeedbackError, FeedbackStore, place_of
from crawler.incidents.store import IncidentStore

AUDIT_PAGE = 50  # entries on one page of the audit log
MAX_FIELD = 1000  # characters kept of any one form field
_LIST = re.compile(r"[,،\n]+")  # names in one field, parted by Latin or Arabic commas


class DeskError(ValueError):
    """A form that cannot be acted on: the message says why (shown on the page)."""


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


def _field(form: Mapping[str, Any], name: str) -> str:
    return str(form.get(name) or "").strip()[:MAX_FIELD]


def _names(text: str) -> list[str]:
    return [n.strip() for n in _LIST.split(text) if n.strip()]


def _count(form: Mapping[str, Any], name: str) -> int | None:
    text = _field(form, name)
    if not text:
        return None
    if not text.isdigit() or int(text) > 100_000:
        raise DeskError(f"{name}: a whole number from 0 to 100000, not {text!r}")
    return int(text)


class Desk:
    """What the console's analysts do, each done in a thread of the console's pool."""

    def __init__(
        self, settings: Settings, client: redis.Redis, keys: Keyspace, store: IncidentStore
    ) -> None:
        self.settings = settings
        self.client = client
        self.keys = keys
        self.audit = AuditLog(client, keys)
        self.feedback = FeedbackStore(store, self.audit)
        self.silences = SilenceStore(client, keys, self.audit)
        self.subscriptions = SubscriptionStore(client, keys, self.audit)
        self._gazetteer: Gazetteer | None = None
        self._lock = threading.Lock()

    # -- the gazetteer's choices ------------------------------------------------------------------

    def gazetteer(self) -> Gazetteer:
        with self._lock:
            if self._gazetteer is None:
                self._gazetteer = Gazetteer.load(self.settings.gazetteer)
            return self._gazetteer

    def places(self, english: bool = False) -> list[Choice]:
        """Every place an analyst may pick, by name (the country itself and regions apart)."""
        shown = [p for p in self.gazetteer().places if p.kind not in ("country", "region")]
        return sorted(
            (Choice(p.id, _label(p, english)) for p in shown), key=lambda c: (c.label, c.value)
        )

    def districts(self) -> list[str]:
        return sorted({p.district for p in self.gazetteer().places if p.district})

    def regions(self) -> list[Choice]:
        """The three regions by the names alerts carry (طرابلس, not the region's own name)."""
        from alerts.subscriptions import REGION_NAMES

        return [
            Choice(p.region, f"{p.region} — {p.en}")
            for p in self.gazetteer().places
            if p.kind == "region" and p.region and REGION_NAMES.get(p.en.casefold()) == p.region
        ]

    # -- feedback ---------------------------------------------------------------------------------

    def give(self, incident_id: str, form: Mapping[str, Any], by: str) -> Feedback:
        kind = _field(form, "kind")
        comment = _field(form, "comment")
        value: dict[str, Any] = {}
        try:
            if kind == "place":
                value["place"] = place_of(_field(form, "place"), self.gazetteer())
            elif kind == "toll":
                value = {"killed": _count(form, "killed"), "injured": _count(form, "injured")}
                if value["killed"] is None and value["injured"] is None:
                    raise DeskError("give the killed, the injured or both")
            elif kind == "merge":
                value["into"] = _field(form, "into")
                if not value["into"]:
                    raise DeskError("say which incident it is the same as")
            elif kind == "split":
                value["url"] = _field(form, "url")
            return self.feedback.give(kind, incident_id, by, comment, **value)
        except (FeedbackError, ValueError) as exc:
            raise DeskError(str(exc)) from None

    def undo(self, feedback_id: str, by: str) -> Feedback:
        try:
            return self.feedback.undo(feedback_id, by)
        except (FeedbackError, ValueError) as exc:
            raise DeskError(str(exc)) from None

    def said_of(self, incident_id: str) -> list[Feedback]:
        return self.feedback.list(incident_id, limit=200)

    # -- silences ---------------------------------------------------------------------------------

    def active_silences(self, now: float | None = None) -> list[Silence]:
        now = time.time() if now is None else now
        return [s for s in self.silences.list() if s.active(now)]

    def add_silence(self, form: Mapping[str, Any], by: str) -> Silence:
        matchers = {name: _field(form, name) for name in MATCHERS if _field(form, name)}
        if "place" in matchers and matchers["place"] in {p.id for p in self.gazetteer().places}:
            matchers["place"] = place_of(matchers["place"], self.gazetteer())["name"]
        try:
            seconds = parse_duration(_field(form, "for") or "")
            return self.silences.add(matchers, seconds, _field(form, "comment"), by)
        except ValueError as exc:
            raise DeskError(str(exc)) from None

    def expire_silence(self, silence_id: str, by: str) -> tuple[Silence, int]:
        try:
            return self.silences.expire(silence_id, by)
        except ValueError as exc:
            raise DeskError(str(exc)) from None

    # -- subscriptions ----------------------------------------------------------------------------

    def subscription_rows(self) -> list[dict[str, Any]]:
        return self.subscriptions.listing(self.settings)

    def unsubscribed(self) -> list[unsubscribe.Unsubscribed]:
        return list(reversed(unsubscribe.unsubscribed(self.client, self.keys)))

    def add_subscription(self, form: Mapping[str, Any], by: str) -> str:
        from alerts.subscriptions import chat_channel

        getall = getattr(form, "getall", None)

        def many(name: str) -> list[str]:
            values = getall(name, []) if getall else [form.get(name)]
            return [str(v).strip()[:MAX_FIELD] for v in values if v and str(v).strip()]

        chat = _names(_field(form, "chat"))
        fields: dict[str, Any] = {
            "name": _field(form, "name"), "email": _names(_field(form, "email")), "chat": chat,
            "language": "en" if _field(form, "language") == "en" else "ar",
            "regions": many("regions"), "incident_types": many("incident_types"),
        }  # fmt: skip
        try:
            fields["places"] = subscription_places(
                self.gazetteer(), _names(_field(form, "places")), fields["regions"]
            )
            score = _field(form, "min_score")
            fields["min_score"] = float(score) if score else 0.0
            digest = _field(form, "digest_minutes")
            if digest:
                fields.update(mode="digest", digest_minutes=int(digest))
            for url in chat:
                chat_channel(self.settings, url)  # what `raqib check` asks of a YAML chat URL
            record = self.subscriptions.add(self.settings, fields, by, origin="console")
        except (SubscriptionError, ValueError) as exc:
            raise DeskError(str(exc).replace("--", "")) from None
        return record.subscription.name

    def change_subscription(self, name: str, action: str, by: str) -> None:
        if action not in ("pause", "resume", "remove"):
            raise DeskError(f"no action {action!r} on a subscription")
        try:
            getattr(self.subscriptions, action)(self.settings, name, by)
        except SubscriptionError as exc:
            raise DeskError(str(exc)) from None

    def reader(self, token: str) -> tuple[str, str, str] | None:
        """(subscription, address, language) of an unsubscribe token, or None."""
        languages = {s.name: s.language for s in self.settings.subscriptions}
        return unsubscribe.reader_of(self.client, self.keys, languages, token)

    def stop_mail(self, token: str) -> tuple[str, str, str] | None:
        found = self.reader(token)
        if found is not None:
            unsubscribe.unsubscribe(self.client, self.keys, found[0], found[1], "console")
        return found

    # -- the audit log ----------------------------------------------------------------------------

    def audit_page(self, before: str | None, action: str | None) -> list[AuditEntry]:
        if before and not re.fullmatch(r"\d{1,20}-\d{1,20}", before):
            before = None
        return self.audit.entries(AUDIT_PAGE + 1, action or None, None, before)


def _label(place: Place, english: bool) -> str:
    name = place.en or place.name if english else place.name
    other = place.name if english else place.en
    where = " · ".join(n for n in (place.district, place.region) if n)
    return f"{name} ({other})" + (f" — {where}" if where else "")


def silenced_by(silences: Iterable[Silence], rows: Iterable[Summary]) -> dict[str, Silence]:
    """The rows of the list that an active silence holds: incident id -> the silence (the one
    that ends last)."""
    held: dict[str, Silence] = {}
    silences = list(silences)
    if not silences:
        return held
    for row in rows:
        for silence in silences:
            if silence.matches_facts(
                places=row.places, districts=row.districts, regions=row.regions,
                incident_type=row.incident_type, watchlist=row.watchlist, incidents=[row.id],
            ) and (row.id not in held or silence.ends_at > held[row.id].ends_at):  # fmt: skip
                held[row.id] = silence
    return held
