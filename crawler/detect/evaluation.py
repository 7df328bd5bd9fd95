"""Scoring detection against hand-labelled texts: precision, recall, places and casualty counts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from crawler.detect.detector import Detection, Detector
from crawler.detect.facts.gazetteer import Gazetteer
from crawler.detect.text.normalise import normalise

_BRACKETS = re.compile(r"\([^)]*\)")
# Words after a labelled place that describe it (besides the country's adjectives)
_DESCRIBING = frozenset(normalise(w) for w in ("النفطي", "النفطية", "الساحلية", "الصحراوي"))
_DIRECTIONS = ("شمال", "جنوب", "شرق", "غرب", "وسط", "جنوبي", "شمالي", "شرقي", "غربي")


@dataclass
class Miss:
    id: str
    what: str  # false negative | false positive | place | casualties | date | tier
    detail: str
    watchlist: str | None = None  # the watchlist whose verdict the item got


@dataclass
class Report:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    by_class: dict[str, dict[str, int]] = field(default_factory=dict)
    places_right: int = 0
    places_total: int = 0
    casualties_right: int = 0
    casualties_total: int = 0
    dates_right: int = 0
    dates_total: int = 0
    # The lower tier (unattributed): said by the detector, and items labelled so, kept out of
    # the ISIS tier's precision and recall.
    unattributed_said: int = 0
    unattributed_labelled: int = 0
    unattributed_right: int = 0
    misses: list[Miss] = field(default_factory=list)
    # Every watchlist used, with how many items it found an incident in (either tier)
    watchlists: dict[str, int] = field(default_factory=dict)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.tp + self.fp + self.fn + self.tn,
            "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn,
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "by_class": self.by_class,
            "places": {"right": self.places_right, "total": self.places_total},
            "casualties": {"right": self.casualties_right, "total": self.casualties_total},
            "dates": {"right": self.dates_right, "total": self.dates_total},
            "unattributed": {
                "said": self.unattributed_said, "labelled": self.unattributed_labelled,
                "right": self.unattributed_right,
            },
            "watchlists": self.watchlists,
            "misses": [m.__dict__ for m in self.misses],
        }  # fmt: skip


def gold_place_ids(
    locations: Iterable[str], gazetteer: Gazetteer, adjectives: Iterable[str] = ()
) -> set[str]:
    """The gazetteer places a labeller's free-text locations name (جنوب ليبيا، شمال سبها …);
    `adjectives` are the country's (الليبية), which may follow a name and describe it."""
    describing = _DESCRIBING | {normalise(a) for a in adjectives}
    ids = set()
    for location in locations:
        name = _BRACKETS.sub("", location).strip()
        candidates = [name]
        # «حقل الغاني النفطي»، «سرت الليبية»: an adjective after the name describes it
        head, _, last = name.rpartition(" ")
        if head and normalise(last) in describing:
            candidates.append(head)
        first, _, rest = name.partition(" ")
        if first in _DIRECTIONS and rest:
            candidates.append(rest)
        for candidate in candidates:
            place = gazetteer.lookup(candidate)
            if place is not None:
                ids.add(place.id)
                break
    return ids


def _place_right(detection: Detection, locations: list[str], detector: Detector) -> bool:
    if not detection.places:
        return False
    top = detection.places[0]
    watchlist = detector.watchlist(detection.watchlist) or next(iter(detector.watchlists), None)
    adjectives = watchlist.country.adjectives if watchlist else ()
    if top.id in gold_place_ids(locations, detector.gazetteer_of(detection.watchlist), adjectives):
        return True
    names = {normalise(n) for n in (top.name, *top.variants)}
    return any(normalise(_BRACKETS.sub("", loc).strip()) in names for loc in locations)


def score(items: Iterable[tuple[Mapping[str, Any], Detection]], detector: Detector) -> Report:
    """Compare each labelled item with its detection (a place by the detecting watchlist's
    gazetteer)."""
    report = Report(watchlists={w.name: 0 for w in detector.watchlists})
    for gold, detection in items:
        item_id = str(gold.get("id"))
        if detection.reportable and detection.watchlist:
            report.watchlists[detection.watchlist] = (
                report.watchlists.get(detection.watchlist, 0) + 1
            )

        def miss(what: str, detail: str, item_id: str = item_id, on: Detection = detection) -> None:
            report.misses.append(Miss(item_id, what, detail, on.watchlist))

        said_lower = detection.attribution == "unattributed"
        report.unattributed_said += said_lower
        if gold.get("attribution") == "unattributed":
            # An event the text does not tie to the actor: scored as the lower tier only.
            report.unattributed_labelled += 1
            report.unattributed_right += said_lower
            if not said_lower:
                miss("tier", f"labelled unattributed, found {detection.attribution}")
            continue
        truth = bool(gold.get("is_incident"))
        said = detection.is_incident
        label = str(gold.get("class") or "")
        if label:
            row = report.by_class.setdefault(
                label,
                {"n": 0, "incident": 0, "gold_incident": 0, "right": 0, "unattributed": 0},
            )
            row["n"] += 1
            row["incident"] += said
            row["gold_incident"] += truth
            row["right"] += said == truth
            row["unattributed"] += said_lower
        why = "; ".join(detection.why[:3])
        if truth and said:
            report.tp += 1
        elif truth:
            report.fn += 1
            miss("false negative", f"score {detection.score:.2f}: {why}")
        elif said:
            report.fp += 1
            miss("false positive", f"score {detection.score:.2f}: {why}")
        else:
            report.tn += 1
        if not truth:
            continue
        locations = [str(x) for x in gold.get("locations") or []]
        if locations and said:
            report.places_total += 1
            if _place_right(detection, locations, detector):
                report.places_right += 1
            else:
                found = detection.places[0].name if detection.places else "none"
                miss("place", f"labelled {locations}, found {found}")
        stated = {k: gold.get(k) for k in ("killed", "injured") if gold.get(k) is not None}
        if stated:
            report.casualties_total += 1
            found_counts = {"killed": detection.killed, "injured": detection.injured}
            if all(found_counts[k] == v for k, v in stated.items()):
                report.casualties_right += 1
            else:
                miss("casualties", f"labelled {stated}, found {found_counts}")
        hint = str(gold.get("event_date_hint") or "")
        # Only where a date can be resolved at all: with a publication date to count from.
        if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", hint) and said and gold.get("published"):
            report.dates_total += 1
            found_date = detection.event_date.isoformat() if detection.event_date else ""
            if found_date.startswith(hint):
                report.dates_right += 1
            else:
                miss("date", f"labelled {hint}, found {found_date or 'none'}")
    return report


def render(report: Report) -> str:
    """The report as a person reads it."""

    def pct(right: int, total: int) -> str:
        return f"{right}/{total} ({right / total:.0%})" if total else "n/a"

    lines = [
        f"items: {report.tp + report.fp + report.fn + report.tn}   "
        f"TP {report.tp}  FP {report.fp}  FN {report.fn}  TN {report.tn}",
        f"precision {report.precision:.3f}   recall {report.recall:.3f}   F1 {report.f1:.3f}",
    ]
    if report.by_class:
        lines.append(
            "by class (n, said incident, labelled incident, right; said unattributed, not scored):"
        )
        for label in sorted(report.by_class):
            row = report.by_class[label]
            lines.append(
                f"  {label}: n={row['n']}  said={row['incident']}  labelled={row['gold_incident']}"
                f"  right={row['right']}  unattributed={row.get('unattributed', 0)}"
            )
    lines.append(
        f"lower tier (unattributed): said {report.unattributed_said}; labelled unattributed, "
        f"left out of the ISIS figures: {pct(report.unattributed_right, report.unattributed_labelled)}"
    )
    lines.append(
        f"places (top place among the labelled ones, found positives): {pct(report.places_right, report.places_total)}"
    )
    lines.append(
        f"killed/injured exact (positives that state them): {pct(report.casualties_right, report.casualties_total)}"
    )
    lines.append(
        f"event date (positives with a dated hint and a publication date): {pct(report.dates_right, report.dates_total)}"
    )
    # Several watchlists: which one found what, and whose verdict each miss is
    several = len(set(report.watchlists) | {m.watchlist for m in report.misses}) > 1
    if several:
        lines.append(
            "incidents by watchlist (either tier): "
            + ", ".join(f"{name} {n}" for name, n in sorted(report.watchlists.items()))
        )
    if report.misses:
        lines.append("misses:")
        lines.extend(
            f"  {m.id} [{m.what}] {m.detail}" + (f" (watchlist {m.watchlist})" if several else "")
            for m in report.misses
        )
    return "\n".join(lines)
