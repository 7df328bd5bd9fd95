"""The clustering decision, pure: is a matching report a new incident, news about one, or a duplicate?

No Redis, no Scrapy: the daemon's store and `raqib scan --cluster` both call `plan()` with the
candidate incidents they found, and get the same answer for the same stream.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any, Literal, get_args

from config.settings import IncidentSettings, UpdateReason
from crawler.detect.facts.geo import distance_km
from crawler.incidents.incident import Copy, Incident, Story, Toll
from crawler.incidents.markers import other_sides
from crawler.incidents.minhash import Signature, similarity
from crawler.incidents.report import Location, Report

Kind = Literal["new", "update", "duplicate"]

# The reasons an update carries, in the order they are listed; subscriptions filter on them.
UPDATE_REASONS: tuple[str, ...] = get_args(UpdateReason)

# Reports of one event name it differently (هجوم، تفجير، عبوة), so types match by family; a type
# not listed is read by its words ("bombing_checkpoint_claimed" → bombing), else as violence.
TYPE_FAMILIES: dict[str, str] = {
    "attack": "violence", "bombing": "violence", "suicide": "violence", "ambush": "violence",
    "assassination": "violence", "kidnapping": "violence", "execution": "violence",
    "clash": "violence", "clashes": "violence", "raid": "violence", "ied": "violence",
    "shelling": "violence", "car": "violence", "truck": "violence", "killing": "violence",
    "claim": "violence", "claimed": "violence",
    "arrest": "security_operation", "cell": "security_operation", "cells": "security_operation",
    "dismantle": "security_operation", "capture": "security_operation",
    "takeover": "territory", "territorial": "territory", "seizure": "territory",
    "control": "territory", "withdrawal": "territory",
}  # fmt: skip
# Types that say only that violence happened (or was claimed): a report typed so fits any violent
# incident.
GENERIC_TYPES = frozenset({"attack", "killing", "claim"})
# Types of attack on one person, whose reports name the victim.
AGAINST_A_PERSON = frozenset({"assassination", "kidnapping", "abduction", "execution"})
# A count of the dead that two events in one city share by chance (two, three)
SMALL_TOLL = 3
# Stages one event goes through, which its reports name differently: a commander shot dead, then
# the clashes that follow, or a raid that turns into a firefight; a hostage taken, then killed;
# a car bomb told as a bombing or a suicide attack. Types with a word in one stage are one kind.
STAGES: tuple[frozenset[str], ...] = (
    frozenset({"assassination", "clash", "clashes", "raid", "ambush", "killing", "shooting"}),
    frozenset({"kidnapping", "execution", "killing", "abduction"}),
    frozenset({"bombing", "suicide", "car", "truck", "ied"}),
)

# Evidence that a report is about a candidate incident, summed and compared with a threshold.
PLACE_SCORE = {
    "same": 2.0, "part": 2.0, "outskirts": 2.0, "nearby": 1.5, "within": 1.0, "misread": 1.0, "vague": 0.5,
}  # fmt: skip
# the very same place, a town and one of its quarters, or a town told with a side («جنوب سرت»)
# and a place around it that another report names
ONE_PLACE = ("same", "part", "outskirts")
TYPE_SCORE = {"same": 1.0, "family": 0.5, "unknown": 0.25}
TIME_SCORE = {0: 1.5, 1: 1.0}  # by gap in days; further, within the window: WINDOW_SCORE
WINDOW_SCORE = 0.5
DISTRICT = 3  # the specificity of a district (شعبية); regions and the country are broader
TOWN = 4  # a town or city; a quarter, a site, a port or a field is more specific (6)
PART = 6
PART_KM = 12  # a quarter or site this near a town of its district is part of the town
SITE_KM = 60  # an oil field or a base this near a town of its district is told by the town
# Evidence beyond place, type and time that two reports tell one event: the same toll, or many
# of the same words (the target, the weapon, the names) though reworded. It adds to the score,
# and a report with no day, or one whose place disagrees, needs it to join.
BACKING_SCORE = 1.0
TERMS_CLOSE = 0.25  # estimated Jaccard of the two reports' words (minhash.term_signature) …
TERMS_NEAR = 0.15  # … or this much at the very same place; other events share less (~0.1)
MASS_TOLL = 10  # a count of the dead this high is rare: one near it backs a report (28 and 30)
MISREAD_KM = 100  # a town this near, in the same district, may be a misread of the other
TERMS_SOME = 0.1  # … or this much at the same place for the same type (undated reports)


# The tunables (window, distance, similarity, threshold) are settings, defaults in config/.
Rules = IncidentSettings
DEFAULT_RULES = IncidentSettings()


@dataclass(frozen=True)
class Evidence:
    """How a report relates to one candidate incident, and what that adds up to."""

    place: str  # same | nearby | within | misread | vague | conflict
    type: str  # same | family | unknown | conflict
    time: str  # "0d", "2d" … | unknown | outside
    score: float
    gap: int | None = None
    # what else agrees: "same toll", "near toll", "same words", "toll follow-up", "same name",
    # "same victims", or ""
    backing: str = ""
    blocked: str = ""  # why it is ruled out though place, type and time allow it

    @property
    def vetoed(self) -> bool:
        return "conflict" in (self.place, self.type) or self.time == "outside" or bool(self.blocked)

    def explain(self) -> str:
        time = f"{self.gap}d, outside the window" if self.time == "outside" else self.time
        backing = f", {self.backing}" if self.backing else ""
        verdict = (
            f"ruled out ({self.blocked})"
            if self.blocked
            else ("ruled out" if self.vetoed else f"{self.score:g}")
        )
        return f"place {self.place}, type {self.type}, time {time}{backing}: {verdict}"


@dataclass(frozen=True)
class Decision:
    kind: Kind
    incident_id: str
    reasons: tuple[str, ...] = ()
    copy_of: str | None = None  # the story this report copies word for word
    why: tuple[str, ...] = ()
    attribution: str = "isis"  # the incident's tier once this report is in it


@dataclass(frozen=True)
class Event:
    """One line of an incident's history: what a report did to it."""

    at: datetime | None
    kind: Kind
    revision: int
    reasons: tuple[str, ...]
    outlet: str
    url: str
    title: str
    killed: int | None
    injured: int | None
    copy_of: str | None
    why: tuple[str, ...]
    changes: tuple[str, ...] = ()  # what an update changed, in words ("killed 3 → 5")

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat() if self.at else None, "kind": self.kind,
            "revision": self.revision, "reasons": list(self.reasons), "outlet": self.outlet,
            "url": self.url, "title": self.title, "killed": self.killed, "injured": self.injured,
            "copy_of": self.copy_of, "why": list(self.why), "changes": list(self.changes),
        }  # fmt: skip


@dataclass(frozen=True)
class Outcome:
    """A decision and the incident as it stands after it (`changed`: something to store)."""

    decision: Decision
    incident: Incident
    event: Event
    changed: bool

    @property
    def alerts(self) -> bool:
        return self.decision.kind != "duplicate"


# -- relations ----------------------------------------------------------------------------------


def contains(area: Location, place: Location) -> bool | None:
    """Is `place` inside `area` (a district or a region)? None when the gazetteer does not say."""
    if area.id == place.id:
        return True
    if area.specificity == DISTRICT:
        district = place.name if place.specificity == DISTRICT else place.district
        if district:
            return district == area.name
        if area.region and place.region and area.region != place.region:
            return False
        return None
    if area.specificity < DISTRICT and area.region and place.region:
        # "فزان", or "جنوب ليبيا" as detection maps it, holds its region's places and districts
        return area.region == place.region
    return None


def _combine(found: Iterable[bool | None]) -> str:
    """within if any says inside, conflict if all say outside, else vague (we cannot tell)."""
    answers = list(found)
    if any(a is True for a in answers):
        return "within"
    if answers and all(a is False for a in answers):
        return "conflict"
    return "vague"


def _either(first: bool | None, second: bool | None) -> bool | None:
    if first or second:
        return True
    return False if first is False and second is False else None


def part_of(place: Location, town: Location) -> bool:
    """Is `place` a quarter or a site of `town` (a city's quarter, its port): in its district
    and a few kilometres from it? One event's reports name the city or the quarter."""
    return (
        place.specificity >= PART
        and town.specificity == TOWN
        and place.district is not None
        and place.district == town.district
        and distance_km(place, town) <= PART_KM
    )


def site_near(site: Location, town: Location) -> bool:
    """Is `site` (an oil field, a port, a base) one that news places by `town`, a town of its
    district within reach («هجوم قرب أوباري» for an attack on the field 50 km off)?"""
    return (
        site.specificity >= PART
        and TOWN <= town.specificity < PART
        and site.district is not None
        and site.district == town.district
        and distance_km(site, town) <= SITE_KM
    )


def place_relation(report: Sequence[Location], incident: Sequence[Location], rules: Rules) -> str:
    """same | part | nearby | within | vague | conflict, from the most specific places on each
    side (part: one is a quarter or a site of the other, a town).

    Only the report's most specific place counts as where it happened: others are often
    mentioned in passing ("450 km east of Tripoli", "the wounded were taken to Sabha").
    """
    r_pin = report[0] if report and report[0].pinpoint else None
    r_areas = [p for p in report if not p.pinpoint]
    i_pins = [p for p in incident if p.pinpoint]
    i_areas = [p for p in incident if not p.pinpoint]
    if r_pin is not None and i_pins:
        if any(p.id == r_pin.id for p in i_pins):
            return "same"
        if any(part_of(r_pin, p) or part_of(p, r_pin) for p in i_pins):
            return "part"
        if min(distance_km(r_pin, p) for p in i_pins) <= rules.nearby_km or any(
            site_near(r_pin, p) or site_near(p, r_pin) for p in i_pins
        ):
            return "nearby"
        return "conflict"
    if r_pin is not None:
        return _combine(contains(a, r_pin) for a in i_areas)
    if i_pins:
        return _combine(contains(a, p) for a in r_areas for p in i_pins)
    return _combine(_either(contains(a, b), contains(b, a)) for a in r_areas for b in i_areas)


def type_family(incident_type: str) -> str:
    if incident_type in TYPE_FAMILIES:
        return TYPE_FAMILIES[incident_type]
    for word in incident_type.replace("-", "_").split("_"):
        if word in TYPE_FAMILIES:
            return TYPE_FAMILIES[word]
    return "violence"


def type_relation(report: str | None, incident: str | None) -> str:
    if report is None or incident is None:
        return "unknown"
    if report == incident:
        return "same"
    return "family" if type_family(report) == type_family(incident) else "conflict"


def time_relation(day: date | None, incident: Incident, rules: Rules) -> tuple[str, int | None]:
    """("Nd", gap) within the window, ("outside", gap) beyond it, ("unknown", None) without days."""
    first, last = incident.first_day, incident.last_day
    if day is None or first is None or last is None:
        return "unknown", None
    gap = 0 if first <= day <= last else min(abs((day - first).days), abs((day - last).days))
    span = (max(last, day) - min(first, day)).days
    if gap > rules.window_days or span > rules.max_span_days:
        return "outside", gap
    return f"{gap}d", gap


def window(day: date, rules: Rules) -> tuple[date, date]:
    """The last event days an incident can have and still take a report of `day`.

    For the indexes that find candidates: an incident whose span [first, last] comes within
    `window_days` of the day, and spans at most `max_span_days`, has its last day in here.
    """
    # A toll update may come later than the window, as long as the span allows (`_follows`).
    low = day - timedelta(days=max(rules.window_days, rules.max_span_days))
    return low, day + timedelta(days=rules.window_days + rules.max_span_days)


def evidence(report: Report, incident: Incident, rules: Rules) -> Evidence:
    place = place_relation(report.places, incident.places, rules)
    kind = type_relation(report.incident_type, incident.incident_type)
    time, gap = time_relation(report.day, incident, rules)
    backing = backing_of(report, incident, place in ONE_PLACE)
    blocked = ""
    if kind == "conflict" and (
        _deadly_operation(report, incident, place, gap, backing)
        or _aftermath(report, incident, place, gap)
    ):
        kind = "family"
    if place == "conflict" and _misread(report, incident, kind, gap, backing):
        # One report's place is wrong (a quarter read as a far oil field, a town 70 km off, a
        # dateline): the same toll or the same words on the same day outweigh it.
        place = "misread"
    if place == "conflict" and _outskirts(report, incident):
        # «جنوب سرت» and a valley 70 km off in Sirte's district: the town names its surroundings
        place = "outskirts"
        backing = backing_of(report, incident, True)
    if (
        place in ("nearby", "misread", "outskirts")
        and _tolls_conflict(report, incident)
        and not _one_target_one_day(report, incident, gap)
    ):
        # two towns near each other whose reports give other tolls are two events
        place = "conflict"
    if (
        place in ("nearby", "misread", "outskirts")
        and (
            _distinct_types(report, incident)
            or (kind != "same" and _other_targets(report, incident))
        )
        and not backing
    ):
        # two towns, one day, two kinds of attack or two things hit, and nothing else in
        # common: two events
        place = "conflict"
    if time == "outside" and (
        _follows(report, incident, place, kind, rules)
        or _retold(report, incident, place, kind, rules)
    ):
        time = f"{gap}d"  # a toll update days later refers back to its event
    if time == "outside" and _told_in_time(report, incident, rules):
        # the day read from the text is far, the day it was published is near: one of them is
        # wrong (a date recalled from an earlier attack), so it joins only as an undated one
        time, gap = "unknown", None
    if time == "unknown":
        blocked = _undated_block(report, incident, place, backing)
    elif time != "outside":
        blocked = _dated_block(report, incident, place, kind, gap, backing)
    score = PLACE_SCORE.get(place, 0.0) + TYPE_SCORE.get(kind, 0.0)
    if gap is not None and time != "outside":
        score += TIME_SCORE.get(gap, WINDOW_SCORE)
    if backing:
        score += BACKING_SCORE
    return Evidence(place, kind, time, score, gap, backing, blocked)


def _deadly_operation(
    report: Report, incident: Incident, place: str, gap: int | None, backing: str
) -> bool:
    """A raid that ended in a firefight is told as a security operation and as clashes or an
    attack: at the same place within a day, with backing, when the operation's side gives dead.
    (An arrest without bloodshed and an attack in one town on one day are two events.)"""
    if place not in ONE_PLACE or gap is None or gap > 1 or not backing:
        return False
    families = (type_family(report.incident_type or ""), type_family(incident.incident_type or ""))
    if set(families) != {"security_operation", "violence"}:
        return False
    dead = report.killed if families[0] == "security_operation" else incident.killed
    return bool(dead)


def _aftermath(report: Report, incident: Incident, place: str, gap: int | None) -> bool:
    """A report of what followed an event, typed by that and not by the event: the perpetrators
    arrested (a security operation that names the attack), or the claim that boasts of what the
    attackers seized (a takeover) the day after. At one place, within the span."""
    if place not in ONE_PLACE:
        return False
    families = {type_family(report.incident_type or ""), type_family(incident.incident_type or "")}
    if gap is None and not report.claim:
        return False
    if report.refers_back and families == {"security_operation", "violence"}:
        return True
    # with no day to compare (gap None), a claim at the same place is read as the same day's
    return report.claim and (gap is None or gap <= 1) and families == {"territory", "violence"}


def _told_in_time(report: Report, incident: Incident, rules: Rules) -> bool:
    """The report's day comes from its text, and the day it was published or read lies within
    the window of the incident's days."""
    if report.event_date is None or incident.first_day is None or incident.last_day is None:
        return False
    when = report.published or report.seen
    if when is None:
        return False
    told = when.date()
    if told == report.event_date:
        return False
    first, last = incident.first_day, incident.last_day
    gap = 0 if first <= told <= last else min(abs((told - first).days), abs((told - last).days))
    return gap <= rules.window_days


def _undated_block(report: Report, incident: Incident, place: str, backing: str) -> str:
    """Why a report cannot join without a day to compare ("" if it may).

    Place and type alone fit many events (a city sees several bombings a year): it needs
    backing, or at the very same place and for the same type at least some of the same words.
    """
    if _tolls_conflict(report, incident, wounded=True) and not (
        _near_mass_toll(report, incident)
        # without a day neither count is known to be the earlier: outlets and hours differ, and
        # the actor inflates; the same target at the very place is the event
        or (place in ONE_PLACE and same_target(report, incident))
        or (
            _close_tolls(report, incident)
            and (same_words(report, incident) >= TERMS_NEAR or same_name(report, incident))
        )
    ):
        return "no day, other toll"
    if report.another and not (same_toll(report, incident) or same_name(report, incident)):
        # "the second attack on the town this week": not the one already reported there
        return "no day, another attack"
    if _other_sides(report, incident) and not (
        same_toll(report, incident) or same_name(report, incident)
    ):
        # the north gate and the south road of one town: two places
        return "no day, another side of the town"
    if backing == "toll follow-up" and not _one_kind(report, incident):
        # a higher count fits any earlier event: without a day, it needs the same kind of attack
        backing = ""
    if backing in ("", "same words") and _other_roles(report, incident):
        # two journalists taken, seven Egyptian workers taken, near one town: two kidnappings
        return "no day, other victims"
    # a patrol and a checkpoint in one city: two attacks, however alike their words, and though
    # each killed two (a small toll is shared by chance; all the dead and wounded less so)
    other_target = _other_targets(report, incident)
    small_toll = backing == "same toll" and not same_toll(report, incident, full=True)
    by_chance = backing == "same words" or small_toll
    if (
        small_toll
        and report.killed is not None
        and report.killed <= SMALL_TOLL
        and _a_person_and_a_clash(report, incident)
    ):
        # two doctors' bodies and a clash that killed two fighters in one city: the same small
        # count of the dead is shared by chance
        return "no day, a person taken and a clash, a shared small toll"
    if backing and not (other_target and by_chance):
        return ""
    one_kind = _one_kind(report, incident) or _aftermath(report, incident, place, None)
    related = place in ONE_PLACE and one_kind and not _other_people(report, incident)
    if related and (
        (same_words(report, incident) >= TERMS_SOME and not other_target)
        or same_target(report, incident)
        or same_role(report, incident)
        or _none_hurt(report, incident)
    ):
        return ""
    if other_target:
        return "no day, another target"
    return "no day, nothing but place and type in common"


def _dated_block(
    report: Report, incident: Incident, place: str, kind: str, gap: int | None, backing: str
) -> str:
    """Why a report within the window cannot join though place, type and time fit ("" if it may)."""
    if _other_people(report, incident) or (
        backing in ("", "same words") and _other_roles(report, incident)
    ):
        # a doctor taken, then a teacher taken in the same town two days later
        return "other victims"
    told_later = report.follow_up or report.refers_back
    if place == "nearby" and gap is not None and gap >= 2 and not backing and not told_later:
        # another quarter or town, days later, nothing shared but violence (a funeral or a
        # toll update is told days later by nature)
        return "days apart, another place nearby"
    if report.another and not (same_toll(report, incident) or same_name(report, incident)):
        # «في ثاني هجوم على المنطقة خلال أيام»: the text says it is not the one reported there
        return "another attack"
    if gap is not None and gap >= 2 and _distinct_types(report, incident) and not backing:
        # an ambush, then a roadside bomb days later on the same road: two attacks
        return "days apart, another kind of attack"
    if (
        not backing
        and kind != "same"
        and _other_targets(report, incident)
        and _tolls_conflict(report, incident)
    ):
        # a camp shelled and an officer shot outside his home, one city, one day (one event's
        # reports name its target differently, and count at different hours, but in one word)
        return "another target, another toll"
    if not backing and _taken_or_killed(report, incident):
        # farmers taken near a town, and soldiers killed at its gate the next day
        return "the taken, and others killed"
    return ""


def _taken(incident_type: str | None) -> bool:
    return incident_type is not None and any(
        w in incident_type for w in ("kidnapping", "abduction")
    )


def _taken_or_killed(report: Report, incident: Incident) -> bool:
    """One side tells people taken and gives no count of dead at all (not even the actor's
    boast), the other tells people killed and none taken."""
    held, _ = counted(incident)
    report_silent = report.killed is None and not report.killed_figures and not report.boast
    mine, theirs = report.incident_type, incident.incident_type
    return (_taken(mine) and report_silent and not _taken(theirs) and bool(held)) or (
        _taken(theirs) and not incident.tolls and not _taken(mine) and bool(report.killed)
    )


def _tolls_conflict(report: Report, incident: Incident, wounded: bool = False) -> bool:
    """Both give a killed count (`wounded`: or, failing that, a wounded count), they differ, and
    the report does not say it revises one."""
    if report.correction or report.revised_toll:
        return False
    killed, injured = counted(incident)
    pairs = [(report.killed, killed)]
    if wounded and (report.killed is None or killed is None):
        pairs.append((report.injured, injured))
    for new, held in pairs:
        if new is None or held is None or new == held:
            continue
        if new == report.killed and (held in report.killed_figures or _told_figure(incident, new)):
            continue  # «مجزرة ذهب ضحيتها 169، فيما صلب 12»: one report gives the other's figure too
        if new == report.killed and new < held and _risen_to(incident, held):
            continue  # the held toll «rose to» it: a lower count is an earlier one
        if new < held and all(t.claim for t in incident.tolls):
            continue  # only the actor has given a count: its boast, not a count to compare
        # a higher figure in the actor's word is its boast («قتلنا أربعين»), not another count
        return not ((report.follow_up or report.claim or report.boast) and new > held)
    return False


def _told_figure(incident: Incident, killed: int | None) -> bool:
    """A story of the incident gave this count of dead (two or more), if not as its toll."""
    return killed is not None and killed >= 2 and any(killed in s.figures for s in incident.stories)


def _risen_to(incident: Incident, killed: int) -> bool:
    """A report said the toll of the dead rose to this figure («ارتفعت الحصيلة إلى خمسة»)."""
    return any(t.rose and t.killed == killed and not t.claim for t in incident.tolls)


def counted(incident: Incident) -> tuple[int | None, int | None]:
    """The incident's killed and wounded as counted, not as claimed: when a claim's figure (the
    actor's boast, «قتلنا أربعين») is the one held, the highest a report without a claim gave
    (the held one when no other report gave a figure)."""
    told = [t for t in incident.tolls if not t.claim]
    if len(told) == len(incident.tolls):
        return incident.killed, incident.injured
    killed = max((t.killed for t in told if t.killed is not None), default=None)
    injured = max((t.injured for t in told if t.injured is not None), default=None)
    return (
        incident.killed if killed is None else killed,
        incident.injured if injured is None else injured,
    )


def _none_hurt(report: Report, incident: Incident) -> bool:
    """Both say in so many words that no one was killed or wounded (a bomb that hurt no one)."""
    return (report.killed, report.injured) == (0, 0) == (incident.killed, incident.injured)


def _close_tolls(report: Report, incident: Incident) -> bool:
    """Tolls one event's reports may give: a higher count of the dead (they rise as the dead are
    counted), or one lower by little (an early count): by two, or a quarter."""
    held, _ = counted(incident)
    if report.killed is None or held is None:
        return False
    if report.killed > held:
        return True
    return held - report.killed <= max(2, held // 4)


def _one_kind(report: Report, incident: Incident) -> bool:
    """The same type, or one a refinement of the other ("bombing", "suicide_bombing")."""
    first, second = report.incident_type, incident.incident_type
    if first is None or second is None:
        return False
    if first in GENERIC_TYPES or second in GENERIC_TYPES:
        return type_family(first) == type_family(second)
    return first == second or _refines(first, second) or _stages(first, second)


def _stages(first: str, second: str) -> bool:
    """Two types that name stages of one event ("assassination" and the "clash" after it)."""
    words = (set(first.split("_")), set(second.split("_")))
    return any(words[0] & stage and words[1] & stage for stage in STAGES)


def _held_tolls(incident: Incident) -> list[tuple[int | None, int | None]]:
    """The incident's figures and every figure a report of it gave (a later one may echo any)."""
    return [(incident.killed, incident.injured), *((t.killed, t.injured) for t in incident.tolls)]


def same_toll(report: Report, incident: Incident, full: bool = False) -> bool:
    """The report gives a toll the incident holds that few events share by chance: the same dead
    and wounded, or the same dead (two or more; its toll or another figure it gives), or without
    the dead the same wounded (three or more). `full`: only the same dead and wounded."""
    for killed, injured in _held_tolls(incident):
        both = (report.killed, report.injured) == (killed, injured)
        if both and killed is not None and injured is not None and killed + injured >= 2:
            return True
        if full:
            continue
        if report.killed is not None and killed is not None:
            if killed >= 2 and (report.killed == killed or killed in report.killed_figures):
                return True  # (a figure the report also gives: «… فيما صلب 12»)
        elif report.injured is not None and report.injured == injured and injured >= 3:
            return True
    # or a story of the incident gave the report's count among its own figures
    return not full and _told_figure(incident, report.killed)


def _near_mass_toll(report: Report, incident: Incident) -> bool:
    """Counts of many dead that differ by little (28 and 30): two counts of one massacre, which
    few events come near. Many: MASS_TOLL or more; little: two, or a tenth."""
    new = report.killed
    for killed, _ in _held_tolls(incident):
        if new is None or killed is None or min(new, killed) < MASS_TOLL:
            continue
        if abs(new - killed) <= max(2, max(new, killed) // 10):
            return True
    return False


def same_words(report: Report, incident: Incident) -> float:
    """How far the report's words are those of the closest story the incident has."""
    return max((_terms_similarity(report.terms, s.terms) for s in incident.stories), default=0.0)


# Targets that are one thing told two ways: a Libyan «بوابة» is a checkpoint; an oil facility
# and an oil field.
ONE_TARGET = {"gate": "checkpoint", "oil": "oil_field"}


def _target(key: str | None) -> str | None:
    return ONE_TARGET.get(key, key) if key is not None else None


def same_target(report: Report, incident: Incident) -> bool:
    """The report names what was hit (a police station, a gate) as a story of the incident does."""
    mine = _target(report.target)
    return mine is not None and any(_target(s.target) == mine for s in incident.stories)


def _other_targets(report: Report, incident: Incident) -> bool:
    """The report and the incident's stories name what was hit, and never the same thing."""
    mine = _target(report.target)
    held = {_target(s.target) for s in incident.stories} - {None}
    return mine is not None and bool(held) and mine not in held


def same_role(report: Report, incident: Incident) -> bool:
    """The report names a victim's rank or calling (a judge, a colonel) a story names too."""
    roles = set(report.roles)
    return bool(roles) and any(roles & set(s.roles) for s in incident.stories)


def _other_roles(report: Report, incident: Incident) -> bool:
    """Both name what the victims were (a calling, a nationality), and never the same."""
    held = {role for s in incident.stories for role in s.roles}
    return bool(report.roles) and bool(held) and not held & set(report.roles)


def _other_sides(report: Report, incident: Incident) -> bool:
    """The report names a side of its town opposite to the sides the incident's stories name."""
    held = tuple(sorted({side for s in incident.stories for side in s.sides}))
    return other_sides(report.sides, held)


def same_name(report: Report, incident: Incident) -> bool:
    """The report names a person a story of the incident names (the victim, a commander)."""
    names = set(report.names)
    return bool(names) and any(names & set(s.names) for s in incident.stories)


def _a_person_and_a_clash(report: Report, incident: Incident) -> bool:
    """One is an attack on a person (a kidnapping, an execution), the other a clash."""
    kinds = [set((k or "").split("_")) for k in (report.incident_type, incident.incident_type)]
    person = [bool(k & AGAINST_A_PERSON) for k in kinds]
    clash = ["clash" in k for k in kinds]
    return (person[0] and clash[1]) or (person[1] and clash[0])


def _other_people(report: Report, incident: Incident) -> bool:
    """Two attacks on a person (assassinations, kidnappings) whose reports name people, none in
    common: in one city, two killings of two men. (In clashes the names are of others.)"""
    kinds = (report.incident_type or "", incident.incident_type or "")
    if not all(set(k.split("_")) & AGAINST_A_PERSON for k in kinds):
        return False
    held = {n for s in incident.stories for n in s.names}
    return bool(report.names) and bool(held) and not held & set(report.names)


def _terms_similarity(first: Signature, second: Signature) -> float:
    return similarity(first, second) if first and second else 0.0


def backing_of(report: Report, incident: Incident, same_place: bool = False) -> str:
    """What beyond place, type and time ties the report to the incident, in words ("" if nothing)."""
    if same_toll(report, incident):
        return "same toll"
    if _near_mass_toll(report, incident):
        return "near toll"
    if same_words(report, incident) >= (TERMS_NEAR if same_place else TERMS_CLOSE):
        return "same words"
    held, _ = counted(incident)  # not the actor's figure: «12» claimed, «rose to five» told
    if report.follow_up and report.killed is not None and (held is None or report.killed > held):
        return "toll follow-up"
    if same_name(report, incident):
        return "same name"
    if same_role(report, incident) and not _other_people(report, incident):
        return "same victims"  # four engineers taken, or a colonel killed, told twice
    return ""


def _misread(report: Report, incident: Incident, kind: str, gap: int | None, backing: str) -> bool:
    """May a place conflict be a misread place? Only for one kind of event within a day, with the
    same dead and wounded, or with other backing and the places related (the report names the
    incident's place too, or both lie in one district)."""
    if kind not in ("same", "family") or (gap is not None and gap > 1):
        return False
    if same_toll(report, incident, full=True):
        return True
    if gap is None:
        return False  # without a day to agree on, a count of the dead alone fits many events
    # a name may be a spokesman's, quoted on many events: it says nothing of where
    weak = ("", "toll follow-up", "same name")
    return backing not in weak and _related_places(report, incident)


def _related_places(report: Report, incident: Incident) -> bool:
    """The report names the incident's place too, or its town is in the incident's district and
    not far (a southern district spans hundreds of kilometres)."""
    held = {p.id for p in incident.pins}
    if any(p.id in held for p in report.places[1:] if p.pinpoint):
        return True
    anchor = report.anchor
    if anchor is None or not anchor.district:
        return False
    return any(
        p.district == anchor.district and distance_km(anchor, p) <= MISREAD_KM
        for p in incident.pins
    )


def _outskirts(report: Report, incident: Incident) -> bool:
    """A town told with a side («كمين جنوب سرت») names its surroundings, not the town: a place
    in its district within reach is where the other report puts the event, when both name the
    same side and no opposite one."""
    held = {side for s in incident.stories for side in s.sides}
    # both tell the same side: a toll alone is no proof (a big city's district holds many
    # attacks, and a count of two or four is shared by chance)
    if not set(report.sides) & held or _other_sides(report, incident):
        return False
    if not report.places or not incident.places:
        return False
    # the first places (a valley is an area, so not always a pin), each below a district
    mine, theirs = report.places[0], incident.places[0]
    return (
        min(mine.specificity, theirs.specificity) >= DISTRICT
        and mine.district is not None
        and mine.district == theirs.district
        and distance_km(mine, theirs) <= MISREAD_KM
    )


def _one_target_one_day(report: Report, incident: Incident, gap: int | None) -> bool:
    """Two places near each other, told on the same day as hit in one kind of attack on the same
    kind of target (the guards of two oil ports 8 km apart): the counts of one assault, told by
    outlets at different hours, not two events."""
    return gap == 0 and same_target(report, incident) and not _distinct_types(report, incident)


def _retold(report: Report, incident: Incident, place: str, kind: str, rules: Rules) -> bool:
    """A report days after the window that tells the incident again (a recap, the town's
    demands after it): at the same place, and the same dead and wounded, or the same three or
    more dead, or the same person, within the span."""
    if place not in ONE_PLACE or kind == "conflict" or _distinct_types(report, incident):
        return False
    if not _later_within_span(report, incident, rules):
        return False
    held, _ = counted(incident)
    many = report.killed is not None and report.killed >= 3 and report.killed == held
    return many or same_toll(report, incident, full=True) or same_name(report, incident)


def _refines(first: str, second: str) -> bool:
    """One type is the other made precise ("bombing" and "suicide_bombing")."""
    return first in second.split("_") or second in first.split("_")


def _distinct_types(report: Report, incident: Incident) -> bool:
    """Two specific kinds of violence that are not one another ("ambush" and "bombing")."""
    first, second = report.incident_type, incident.incident_type
    if first is None or second is None or first == second:
        return False
    if first in GENERIC_TYPES or second in GENERIC_TYPES:
        return False
    return not _refines(first, second)


def _follows(report: Report, incident: Incident, place: str, kind: str, rules: Rules) -> bool:
    """A toll update ("rose to nine"), or a report of what followed (died of wounds, a funeral,
    the perpetrators arrested), past the window, at the same place, within the span."""
    told_later = report.follow_up or report.refers_back
    if not told_later or place not in ("same", "part", "outskirts", "within", "nearby"):
        return False
    return kind != "conflict" and _later_within_span(report, incident, rules)


def _later_within_span(report: Report, incident: Incident, rules: Rules) -> bool:
    """The report's day is not before the incident's first (what follows an event, or retells
    it, comes after it), and the incident with it spans at most `max_span_days`."""
    first = incident.first_day
    if report.day is None or first is None or report.day < first:
        return False
    last = incident.last_day or first
    return (max(last, report.day) - first).days <= rules.max_span_days


# -- what a report adds -------------------------------------------------------------------------


def _higher(new: int | None, old: int | None) -> bool:
    return new is not None and new > 0 and (old is None or new > old)


def _toll_changes(report: Report, incident: Incident) -> tuple[str | None, int | None, int | None]:
    """(reason, killed, injured): the incident's figures after this report, and why they moved.

    Tolls rise as the dead are counted, so a higher figure replaces a lower one; a lower figure
    replaces a higher one only when the report says it corrects or revises the count.
    """
    killed, injured = incident.killed, incident.injured
    given = [(report.killed, incident.killed), (report.injured, incident.injured)]
    if report.correction or report.revised_toll:
        if any(new is not None and new != old for new, old in given):
            reason = "correction" if report.correction else "casualties"
            return (
                reason,
                report.killed if report.killed is not None else killed,
                report.injured if report.injured is not None else injured,
            )
        return None, killed, injured
    if _higher(report.killed, killed) or _higher(report.injured, injured):
        return (
            "casualties",
            report.killed if _higher(report.killed, killed) else killed,
            report.injured if _higher(report.injured, injured) else injured,
        )
    return None, killed, injured


def news(report: Report, incident: Incident, copy: bool) -> tuple[str, ...]:
    """What this report tells subscribers that the incident did not say yet."""
    reasons: set[str] = set()
    if not copy and report.outlet not in incident.outlets:
        reasons.add("new_source")
    toll_reason, _, _ = _toll_changes(report, incident)
    if toll_reason:
        reasons.add(toll_reason)
    if report.claim and not incident.claimed:
        reasons.add("claim")
    if report.anchor is not None and not incident.pins:
        reasons.add("place")
    return tuple(r for r in UPDATE_REASONS if r in reasons)


# -- the decision -------------------------------------------------------------------------------


def _copied_story(
    report: Report, candidates: Iterable[Incident], rules: Rules
) -> tuple[Incident, Story, float] | None:
    """The known story this report repeats: the same address, or the same text near enough."""
    best: tuple[Incident, Story, float] | None = None
    for incident in candidates:
        for story in incident.stories:
            if report.url in story.urls:
                return incident, story, 1.0
            if not report.signature:
                continue
            sim = similarity(report.signature, story.signature)
            if sim < rules.copy_similarity or (best is not None and sim <= best[2]):
                continue
            # One template ("ISIS claimed an attack in X") with another place is another event.
            if place_relation(report.places, incident.places, rules) == "conflict":
                continue
            best = (incident, story, sim)
    return best


def decide(
    report: Report, candidates: Sequence[Incident], rules: Rules = DEFAULT_RULES
) -> Decision:
    """new | update(reasons) | duplicate, with the incident and the reasons why."""
    why: tuple[str, ...]
    copied = _copied_story(report, candidates, rules)
    if copied is not None:
        incident, story, sim = copied
        reasons = news(report, incident, copy=True)
        same = report.url in story.urls
        why = (
            f"same address as the story from {story.outlet}"
            if same
            else f"copy of {story.outlet}'s story {story.url} (similarity {sim:.2f})",
        )
        kind: Kind = "update" if reasons else "duplicate"
        return Decision(
            kind, incident.id, reasons, story.url, why, joint_attribution(incident, report)
        )

    scored = [(evidence(report, i, rules), i) for i in candidates]
    fitting = [(e, i) for e, i in scored if not e.vetoed and e.score >= rules.threshold]
    if fitting:
        # The strongest evidence wins; then the closest in time; then the most recently seen.
        def rank(item: tuple[Evidence, Incident]) -> tuple[float, int, str]:
            found, incident = item
            seen = incident.last_seen.isoformat() if incident.last_seen else ""
            return (found.score, -(found.gap if found.gap is not None else 99), seen)

        found, incident = max(fitting, key=rank)
        reasons = news(report, incident, copy=False)
        why = (f"same incident as {incident.id}: {found.explain()}",)
        return Decision(
            "update" if reasons else "duplicate", incident.id, reasons, None, why,
            joint_attribution(incident, report),
        )  # fmt: skip

    if scored:
        found, incident = max(scored, key=lambda item: (not item[0].vetoed, item[0].score))
        why = (
            f"no incident close enough (threshold {rules.threshold:g}); "
            f"nearest {incident.id}: {found.explain()}",
        )
    else:
        why = ("no earlier incident in the window",)
    return Decision("new", new_incident_id(report), (), None, why, report.attribution)


def joint_attribution(incident: Incident, report: Report) -> str:
    """One report that ties the event to the actor makes the whole incident the actor's."""
    if "isis" in (incident.attribution, report.attribution):
        return "isis"
    return incident.attribution


def new_incident_id(report: Report) -> str:
    """A readable, stable id: the event day, the place, and a hash of the first report's address."""
    place = report.places[0].id if report.places else "libya"
    digest = hashlib.sha1(report.url.encode()).hexdigest()[:6]
    day = report.day
    return f"{day:%Y%m%d}-{place}-{digest}" if day else f"{place}-{digest}"


# -- applying it --------------------------------------------------------------------------------


def _merge_places(incident: Incident, report: Report) -> tuple[Location, ...]:
    pins, areas = incident.pins, incident.areas
    anchor = report.anchor
    # A report joined despite a conflicting place (one of them misread) brings its town too.
    if anchor is not None and all(p.id != anchor.id for p in pins):
        pins = [*pins, anchor]
    for area in (p for p in report.places if not p.pinpoint):
        if all(a.id != area.id for a in areas):
            areas = [*areas, area]
    # The first pinned place stays first (the alert is named after it): a later report's town,
    # nearby or possibly misread, is listed beside it, never instead of it.
    pins = pins[:1] + sorted(pins[1:], key=lambda p: -p.specificity)
    areas.sort(key=lambda p: -p.specificity)
    return (*pins, *areas)


def _merge_type(incident: str | None, report: str | None) -> str | None:
    # A specific word ("bombing") says more than a generic one ("attack") about the same event.
    if incident is None or (
        incident in GENERIC_TYPES
        and report is not None
        and report not in GENERIC_TYPES
        and type_family(report) == type_family(incident)
    ):
        return report
    return incident


def _span(a: date | None, b: date | None, pick: Any) -> date | None:
    known = [d for d in (a, b) if d is not None]
    return pick(known) if known else None


def _seen(a: datetime | None, b: datetime | None, pick: Any) -> datetime | None:
    known = [d for d in (a, b) if d is not None]
    return pick(known) if known else None


def start(report: Report, incident_id: str) -> Incident:
    """A new incident from its first report."""
    pinned = [report.anchor] if report.anchor is not None else []
    places = (*pinned, *(p for p in report.places if not p.pinpoint))
    tolls: tuple[Toll, ...] = ()
    if report.killed is not None or report.injured is not None:
        tolls = (
            Toll(report.outlet, report.url, report.at, report.killed, report.injured, "adopted",
                 report.boast, report.follow_up),
        )  # fmt: skip
    return Incident(
        id=incident_id,
        revision=1,
        places=places,
        incident_type=report.incident_type,
        first_seen=report.at,
        last_seen=report.at,
        first_day=report.day,
        last_day=report.day,
        killed=report.killed,
        injured=report.injured,
        claimed=report.claim,
        stories=(_story(report),),
        tolls=tolls,
        score=report.score,
        title=report.title,
        attribution=report.attribution,
    )


def _story(report: Report) -> Story:
    return Story(
        report.outlet, report.url, report.title, report.published, report.seen, report.signature,
        terms=report.terms, target=report.target, names=report.names, sides=report.sides,
        roles=report.roles, figures=report.killed_figures,
    )  # fmt: skip


def merge(incident: Incident, report: Report, decision: Decision, rules: Rules) -> Incident:
    """The incident after a report that the decision assigned to it."""
    stories = list(incident.stories)
    if decision.copy_of is not None:
        index = next(i for i, s in enumerate(stories) if s.url == decision.copy_of)
        story = stories[index]
        if report.url not in story.urls:
            copy = Copy(report.outlet, report.url, report.published)
            stories[index] = replace(story, copies=(*story.copies, copy))
    else:
        stories.append(_story(report))
    _, killed, injured = _toll_changes(report, incident)
    tolls = incident.tolls
    figures = (report.killed, report.injured)
    known = any(t.url == report.url and (t.killed, t.injured) == figures for t in tolls)
    if figures != (None, None) and not known:
        if (killed, injured) != (incident.killed, incident.injured):
            verdict = "adopted"
        elif all(new in (None, held) for new, held in zip(figures, (killed, injured), strict=True)):
            verdict = "confirms"
        else:
            verdict = "not adopted"
        tolls = (*tolls, Toll(report.outlet, report.url, report.at, report.killed,
                              report.injured, verdict, report.boast,
                              report.follow_up))  # fmt: skip
    # A toll update tells of an earlier event: the day it was told is not a day of the event.
    told_later = report.follow_up or report.refers_back
    if report.day is not None and time_relation(report.day, incident, rules)[0] == "outside":
        told_later = True  # joined past the window: a recap days later, not another event day
    event_day = None if told_later and incident.first_day is not None else report.day
    return replace(
        incident,
        revision=incident.revision + (1 if decision.kind == "update" else 0),
        places=_merge_places(incident, report),
        incident_type=_merge_type(incident.incident_type, report.incident_type),
        first_seen=_seen(incident.first_seen, report.at, min),
        last_seen=_seen(incident.last_seen, report.at, max),
        first_day=_span(incident.first_day, event_day, min),
        last_day=_span(incident.last_day, event_day, max),
        killed=killed,
        injured=injured,
        claimed=incident.claimed or report.claim,
        stories=tuple(stories),
        tolls=tolls,
        score=max(incident.score, report.score),
        attribution=joint_attribution(incident, report),
    )


def plan(report: Report, candidates: Sequence[Incident], rules: Rules = DEFAULT_RULES) -> Outcome:
    """Decide, then apply: the one entry point both the Redis store and the offline CLI use."""
    return apply(report, decide(report, candidates, rules), candidates, rules)


def apply(
    report: Report, decision: Decision, candidates: Sequence[Incident], rules: Rules = DEFAULT_RULES
) -> Outcome:
    """The incident as a decision leaves it (`decision.incident_id` among the candidates)."""
    if decision.kind == "new":
        incident = before = start(report, decision.incident_id)
        changed = True
    else:
        before = next(i for i in candidates if i.id == decision.incident_id)
        if decision.kind == "duplicate" and report.url in before.urls:
            incident, changed = before, False  # the same article read again: nothing to store
        else:
            incident = merge(before, report, decision, rules)
            changed = True
    changes = (
        changes_between(before, incident, decision, report) if decision.kind == "update" else ()
    )
    event = Event(
        at=report.at, kind=decision.kind, revision=incident.revision, reasons=decision.reasons,
        outlet=report.outlet, url=report.url, title=report.title, killed=report.killed,
        injured=report.injured, copy_of=decision.copy_of, why=decision.why, changes=changes,
    )  # fmt: skip
    return Outcome(decision, incident, event, changed)


def changes_between(
    before: Incident, after: Incident, decision: Decision, report: Report
) -> tuple[str, ...]:
    """What an update tells, in words, one item per reason."""
    said: list[str] = []
    for reason in decision.reasons:
        if reason == "new_source":
            said.append(f"new source: {report.outlet}")
        elif reason in ("casualties", "correction"):
            figures = [
                f"{label} {old if old is not None else '?'} → {new}"
                for label, old, new in (
                    ("killed", before.killed, after.killed),
                    ("injured", before.injured, after.injured),
                )
                if new != old
            ]
            prefix = "correction: " if reason == "correction" else ""
            said.append(prefix + ", ".join(figures))
        elif reason == "claim":
            said.append("claim of responsibility")
        elif reason == "place" and after.place is not None:
            said.append(f"place: {after.place.name}")
    return tuple(said)
