"""Decides whether a text reports a new incident, with the facts and the reasons why."""

from __future__ import annotations

import copy
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache, cached_property
from operator import attrgetter
from pathlib import Path
from typing import NamedTuple

from crawler.detect.facts import places, report
from crawler.detect.facts.casualties import MILITANTS, VICTIMS, CasualtyMention
from crawler.detect.facts.dates import MONTHS, DateMention, dateline, find_dates
from crawler.detect.facts.gazetteer import Country, Gazetteer, Place
from crawler.detect.facts.places import HOME, LOCAL_SOURCE, ForeignMention, PlaceMention
from crawler.detect.text.matcher import Hit, Matcher, Term
from crawler.detect.text.morphology import is_plural
from crawler.detect.text.normalise import normalise
from crawler.detect.text.sentences import Sentences, words_before
from crawler.detect.watchlist import INCIDENT_TYPES, Rule, Scoring, Watchlist, term_keys

_COUNT_SENTENCES = 8  # sentences after the incident's own that may still give its counts
# The more specific type wins when a window has several (a car bomb is also an attack).
_TYPE_RANK = {t: i for i, t in enumerate(INCIDENT_TYPES)}
_START = attrgetter("start")  # a sort key read in C, not a lambda called for every hit
_END = attrgetter("end")


@dataclass(frozen=True)
class Document:
    text: str
    title: str | None = None
    id: str | None = None
    url: str | None = None
    published: datetime | None = None


@dataclass
class Detection:
    is_incident: bool  # a new incident of the watched actor (the ISIS tier) only
    score: float
    watchlist: str | None = None
    places: list[Place] = field(default_factory=list)
    incident_type: str | None = None
    killed: int | None = None
    injured: int | None = None
    casualties: list[report.CasualtyCount] = field(default_factory=list)
    # every killed figure the incident's sentences give, the toll's and others (a second act,
    # a part): a report that names a figure among them does not contradict it
    killed_figures: tuple[int, ...] = ()
    event_date: date | None = None
    actors: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    text: str = ""  # the normalised text the hits point into
    evidence: list[Hit] = field(
        default_factory=list
    )  # the hits that counted, the watched country's places included
    rule: str | None = None  # the rule that fired, if one did
    sentences: tuple[int, int] | None = None  # the sentences (first, last) it fired in
    # "isis" for the watched actor's incident; "unattributed" for its tactics (car bomb, suicide
    # attack) in a place of the watched country that the text does not tie to it; None when not
    # an incident.
    attribution: str | None = None

    @property
    def reportable(self) -> bool:
        """An incident of either tier: subscriptions choose which tiers they receive."""
        return self.attribution is not None

    @property
    def matched(self) -> list[str]:
        return list(dict.fromkeys(h.surface for h in self.hits))


def document_text(doc: Document) -> str:
    """The text detection reads: the title, a paragraph break, the body."""
    if doc.title and doc.title.strip():
        return f"{doc.title.strip()}\n\n{doc.text}"
    return doc.text


class _Located(NamedTuple):
    """Where something is; ordered by offset first (a tuple: built and sorted in C)."""

    offset: int
    sentence: int
    country: str
    strong: bool


@dataclass(slots=True)
class _Span:
    """Sentences `first` to `last`, and the watchlist's incident words in them."""

    first: int
    last: int
    incidents: list[Hit]  # the incident words among the hits
    incident_sentences: list[int]  # the sentences that hold them, in order
    weight: float = 1.0  # of the strongest incident word (1.0 without one)

    @property
    def sentences(self) -> range:
        return range(self.first, self.last + 1)


@dataclass
class _Window:
    """A span that meets a rule, with its score (and, for the best one only, the reasons)."""

    rule: Rule
    span: _Span
    score: float
    why: list[str]
    has_casualties: bool


@dataclass
class _Evidence:
    """What one watchlist counts in a text, sentence by sentence: the first step of a verdict."""

    by_sentence: dict[int, list[Hit]]  # its own words that count, places aside
    actors: list[Hit]
    hedged: list[Hit]  # incident words a hedge made unreal
    named: list[PlaceMention]  # every place the text names, judged for the watched country
    foreign: list[ForeignMention]
    home: list[PlaceMention]  # the watched country's places where something may have happened
    places_by_sentence: dict[int, list[PlaceMention]]
    lead: range
    lead_hits: list[Hit]
    # the words that move a window's score, by sentence: each window reads only its own
    fresh_by_sentence: dict[int, list[Hit]]
    excluded_by_sentence: dict[int, list[Hit]]
    incidents_by_sentence: dict[int, list[Hit]]
    incident_weight_by_sentence: dict[int, float]  # of the strongest incident word of each
    # the sentences whose words meet each (role, qualifier), for the rules' requirements
    sentences_by_key: dict[tuple[str, str | None], set[int]]
    # sentences that tell an earlier event from their first clause (their places are its)
    earlier: frozenset[int] = frozenset()
    # sentences whose claim is of an attack abroad (found once, when a rule first asks)
    claims_abroad: set[int] | None = None

    def span(self, first: int, last: int) -> _Span:
        sentences = range(first, last + 1)
        incidents_by_sentence = self.incidents_by_sentence
        incidents = [h for x in sentences for h in incidents_by_sentence.get(x, ())]
        incident_sentences = [x for x in sentences if x in incidents_by_sentence]
        return _Span(
            first, last, incidents, incident_sentences,
            # the strongest of the sentences' strongest (each read once, in _evidence)
            max(map(self.incident_weight_by_sentence.__getitem__, incident_sentences), default=1.0),
        )  # fmt: skip

    @cached_property
    def only_the_country(self) -> bool:
        """Nothing places the text more closely than the country itself (ليبيا، مسؤول ليبي),
        but a sentence about an earlier event (وكانت خلايا التنظيم قد هاجمت بوابة في سبها)."""
        news = [
            m for s, ms in self.places_by_sentence.items() if s not in self.earlier for m in ms
        ]  # fmt: skip
        return bool(news) and all(m.place.kind == "country" for m in news)

    @property
    def counted(self) -> list[Hit]:
        """The hits that counted, the watched country's places among them, in text order."""
        return sorted(
            [h for hs in self.by_sentence.values() for h in hs] + [m.hit for m in self.home],
            key=_START,
        )

    @property
    def actor_labels(self) -> list[str]:
        return list(dict.fromkeys(h.term.label for h in self.actors))


class _Text:
    """One document as one matcher read it, shared by the watchlists of that matcher."""

    def __init__(
        self, doc: Document, text: str, hits: list[Hit], gazetteer: Gazetteer | None,
        heads: list[int] | None = None,
    ) -> None:  # fmt: skip
        """`heads`: where report.OTHER_EVENT_HEADS open a word, when the matcher noted them."""
        self.doc = doc
        self.text = text
        self._heads = heads
        self.sentences = Sentences(text)
        title = normalise(doc.title.strip()) if doc.title and doc.title.strip() else ""
        # The sentences the title takes (it ends where the body begins: one past its last).
        self.title_sentences = self.sentences.index(len(title)) + 1 if title else 0
        # A dated report (سبها 07 يونيو 2021 –) says when it was written.
        self.written = dateline(text)
        self.today: date | None = doc.published.date() if doc.published else self.written
        self._dates: dict[int, list[DateMention]] = {}
        self._casualties: dict[int, tuple[list[CasualtyMention], frozenset[str]]] = {}
        self._others: set[int] | None = None
        self._earlier: set[int] | None = None
        self._read(hits, gazetteer)

    def _read(self, hits: list[Hit], gazetteer: Gazetteer | None) -> None:
        self.hits = hits
        self.gazetteer = gazetteer
        self._places: dict[str, tuple[list[PlaceMention], list[ForeignMention]]] = {}
        self.adjustments: dict[tuple[str, int, int], _Adjustments] = {}
        # each sentence's old event told by its year (see _undated_old_event), once read
        self.old_years: dict[int, str | None] = {}
        # the sentence of each hit, by id(hit)
        self.sentence_by_hit = dict(
            zip(map(id, hits), self.sentences.indexes([h.start for h in hits]), strict=True)
        )

    def again(self, hits: list[Hit], gazetteer: Gazetteer | None) -> _Text:
        """The same document as another matcher read it: its sentences, dates and counts are
        shared, its hits and places are its own."""
        other = copy.copy(self)
        other._read(hits, gazetteer)
        return other

    def places_in(self, country: Country) -> tuple[list[PlaceMention], list[ForeignMention]]:
        """The place hits judged for one country (read once per country)."""
        found = self._places.get(country.code)
        if found is None:
            found = self._places[country.code] = places.resolve(
                self.text, self.hits, self.sentences, country
            )
        return found

    def sentence_of(self, hit: Hit) -> int:
        found = self.sentence_by_hit.get(id(hit))
        return self.sentences.index(hit.start) if found is None else found

    def lead(self, body_sentences: int) -> range:
        """The title and the first `body_sentences` of the body; a short question before them
        («ماذا حدث؟») opens the body without telling it."""
        end = self.title_sentences + body_sentences
        while end < len(self.sentences) and self._a_header(end - 1):
            end += 1
        return range(0, min(len(self.sentences), end))

    def _a_header(self, index: int) -> bool:
        """A body line that tells nothing: a question of up to four words («ماذا حدث؟»)."""
        start, end = self.sentences.spans[index]
        return (
            0 < len(self.text[start:end].split()) <= 4
            and self.text[end : end + 1] in ("؟", "?")
            and index >= self.title_sentences
        )

    def dates_in(self, sentences: Iterable[int]) -> list[DateMention]:
        """The dates of these sentences (read once each, on demand: most are never needed)."""
        found: list[DateMention] = []
        for index in sentences:
            if index not in self._dates:
                start, end = self.sentences.spans[index]
                self._dates[index] = [
                    replace(m, start=m.start + start, end=m.end + start)
                    for m in find_dates(self.text[start:end], self.today)
                ]
            found += self._dates[index]
        return found

    def _read_other_events(self) -> None:
        # both sets come from one scan of the text
        self._others, earlier = report.other_and_earlier_event_sentences(
            self.sentences, self.today, self._heads
        )
        self._earlier = {
            index
            for index in earlier
            if report.opens_as_earlier(self.sentences.sentence(index), self.today)
        }

    @property
    def earlier_events(self) -> set[int]:
        """Sentences that tell an earlier event from their first clause (سبق، هجمات مماثلة، في
        عام 2015، وكان … قد)."""
        if self._earlier is None:
            self._read_other_events()
        assert self._earlier is not None
        return self._earlier

    @property
    def other_events(self) -> set[int]:
        """Sentences about an earlier event than the one reported (الهجوم الذي سبقه)."""
        if self._others is None:
            self._read_other_events()
        assert self._others is not None
        return self._others

    def casualties_in(self, index: int) -> tuple[list[CasualtyMention], frozenset[str]]:
        """The casualty counts of one sentence (read once, on demand)."""
        if index not in self._casualties:
            self._casualties[index] = report.sentence_casualty_mentions(self.sentences, index)
        return self._casualties[index]

    def gives_casualties(self, first: int, last: int) -> bool:
        return any(
            not m.subset for index in range(first, last + 1) for m in self.casualties_in(index)[0]
        )


@dataclass
class _Group:
    """The watchlists that share a gazetteer, and the one matcher of their terms and its places."""

    gazetteer: Gazetteer | None
    watchlists: list[Watchlist]
    matcher: Matcher


def load_gazetteers(
    watchlists: Iterable[Watchlist], override: Path | None = None
) -> dict[str, Gazetteer]:
    """Each watchlist's gazetteer by watchlist name, each file read once; `override` (the
    `gazetteer:` setting) replaces every watchlist's own."""
    loaded: dict[Path, Gazetteer] = {}
    found = {}
    for watchlist in watchlists:
        path = override or watchlist.gazetteer
        if not watchlist.use_gazetteer or path is None:
            continue
        if path not in loaded:
            loaded[path] = Gazetteer.load(path)
        found[watchlist.name] = loaded[path]
    return found


class Detector:
    """Watchlists compiled into matchers: one per gazetteer, with its watchlists' terms."""

    def __init__(
        self, watchlists: Sequence[Watchlist], gazetteers: Mapping[str, Gazetteer] | Gazetteer
    ) -> None:
        """`gazetteers`: each watchlist's by its name, or one for every watchlist that uses one."""
        self.watchlists = list(watchlists)
        named = Counter(w.name for w in self.watchlists)
        if twice := [name for name, n in named.items() if n > 1]:
            raise ValueError(f"two watchlists are named {twice[0]!r}: give each its own `name`")
        groups: dict[int, _Group] = {}
        self._group_of: dict[str, _Group] = {}
        for watchlist in self.watchlists:
            gazetteer = None
            if watchlist.use_gazetteer:
                gazetteer = (
                    gazetteers if isinstance(gazetteers, Gazetteer) else gazetteers[watchlist.name]
                )
            group = groups.get(id(gazetteer))
            if group is None:
                group = groups[id(gazetteer)] = _Group(gazetteer, [], Matcher(()))
            group.watchlists.append(watchlist)
            self._group_of[watchlist.name] = group
        for group in groups.values():
            terms: list[Term] = [t for w in group.watchlists for t in w.terms]
            if group.gazetteer is not None:
                terms += group.gazetteer.terms()
            # (the heads of other events are noted in the same pass: see detect)
            group.matcher = Matcher(terms, marks=report.OTHER_EVENT_HEADS)
        self._groups = list(groups.values())
        self._own = {w.name: {id(t) for t in w.terms} for w in self.watchlists}
        # What each term can stand for in a rule, computed once: (role, None), (role, scope) …
        self._keys = {id(t): term_keys(t) for g in self._groups for t in g.matcher.terms}

    @classmethod
    def from_files(cls, watchlists: Iterable[Path], gazetteer: Path | None = None) -> Detector:
        """The watchlists at these paths, each with its own gazetteer, or with `gazetteer`."""
        loaded = [Watchlist.load(p) for p in watchlists]
        return cls(loaded, load_gazetteers(loaded, gazetteer))

    @property
    def matchers(self) -> list[Matcher]:
        return [g.matcher for g in self._groups]

    @property
    def matcher(self) -> Matcher:
        """The first watchlist's matcher (the only one when every watchlist shares a gazetteer)."""
        return self._groups[0].matcher if self._groups else Matcher(())

    @property
    def gazetteers(self) -> list[Gazetteer]:
        """Every gazetteer in use, once each, in the order of the watchlists."""
        return [g.gazetteer for g in self._groups if g.gazetteer is not None]

    @property
    def gazetteer(self) -> Gazetteer:
        """The first watchlist's gazetteer (an empty one when no watchlist uses one)."""
        return next(iter(self.gazetteers), Gazetteer([]))

    def watchlist(self, name: str | None) -> Watchlist | None:
        """The watchlist of that name (a detection's `watchlist`), or None."""
        return next((w for w in self.watchlists if w.name == name), None)

    def gazetteer_of(self, name: str | None) -> Gazetteer:
        """The gazetteer of the named watchlist (by default the first watchlist's)."""
        group = self._group_of.get(name or "")
        if group is None or group.gazetteer is None:
            return self.gazetteer
        return group.gazetteer

    def prefilter(self, text: str) -> bool:
        """Cheap test on a title and summary: worth fetching the article?

        Generous on purpose (a dropped article is a missed incident): an actor's name, a tactic
        typical of it, or any incident word beside a place or a casualty word.
        """
        normalised = normalise(text)
        for group in self._groups:
            hits = group.matcher.find(normalised)
            roles = {h.role for h in hits}
            if "actor" in roles or any(h.term.data.get("signature") for h in hits):
                return True
            if "incident" in roles and (
                bool(roles & {"place", "foreign"}) or report.has_casualty_words(normalised)
            ):
                return True
        return False

    def detect(self, doc: Document) -> Detection:
        """The verdict of the watchlist that says most: an incident, then the lower tier, then
        the highest score (the first watchlist wins a tie)."""
        text = normalise(document_text(doc))
        reads: dict[int, _Text] = {}
        best: Detection | None = None
        for watchlist in self.watchlists:
            group = self._group_of[watchlist.name]
            read = reads.get(id(group))
            if read is None:
                first = next(iter(reads.values()), None)
                if first is None:
                    # the first matcher's pass notes where other events' heads start
                    heads: list[int] = []
                    hits = group.matcher.find(text, heads)
                    read = _Text(doc, text, hits, group.gazetteer, heads)
                else:
                    read = first.again(group.matcher.find(text), group.gazetteer)
                reads[id(group)] = read
            found = self._judge(watchlist, read)
            if best is None or _rank(found) > _rank(best):
                best = found
        if best is None:
            best = Detection(is_incident=False, score=0.0, why=["no watchlist"], text=text)
        return best

    def _judge(self, watchlist: Watchlist, read: _Text) -> Detection:
        """One watchlist's verdict: its evidence, the windows that meet a rule, the best
        window's facts."""
        evidence = self._evidence(watchlist, read)
        windows, abroad = self._windows(watchlist, read, evidence)
        if not windows:
            return _no_incident(watchlist, read, evidence, abroad)
        return _facts(watchlist, read, evidence, self._best(watchlist, read, evidence, windows))

    def _evidence(self, watchlist: Watchlist, read: _Text) -> _Evidence:
        """The watchlist's words by sentence (anaphors after the actor, hedged incidents
        aside) and the watched country's places."""
        own = self._own[watchlist.name]
        places_too = watchlist.use_gazetteer
        # one pass over the hits; `term.role`, not the property, read for every hit
        hits: list[Hit] = []
        actors: list[Hit] = []
        hedges: list[Hit] = []
        rivals: list[int] = []  # where another armed group is named
        for hit in read.hits:
            role = hit.term.role
            if id(hit.term) in own or (places_too and role in ("place", "foreign")):
                if role == "actor" and (
                    _likened(read.text, hit)
                    or _denied(read.text, hit)
                    or _in_a_dated_past_clause(read.text, hit)
                    or _held_ones(read.text, hit)
                    or _a_hypothesis(read.text, hit)
                    or _trained_by(read.text, hit)
                ):
                    # «مجزرة تحكيمية بأسلوب داعش»: a likeness; «نافيا ما روجته صفحات من أن
                    # عناصر من تنظيم داعش نفذوا هجوما»: a denial; «وكان قد خاض مواجهات مع
                    # تنظيم داعش وطرده من درنة عام 2015»: the past; «سجن يضم مئات
                    # الموقوفين، بينهم عناصر من تنظيم داعش»: the held; none is the actor
                    continue
                hits.append(hit)
                if role == "actor":
                    actors.append(hit)
                elif role == "hedge":
                    hedges.append(hit)
                elif role == "rival":
                    rivals.append(hit.start)
        if rivals and actors:
            # a name other groups are called too (خوارج العصر) is not the actor's beside theirs
            actors = [h for h in actors if not h.term.data.get("shared")]
            dropped = {id(h) for h in hits if h.term.role == "actor"} - {id(h) for h in actors}
            if dropped:
                hits = [h for h in hits if id(h) not in dropped]
        # every hit here is one of the text's: its sentence is in the table (no method call)
        sentence_of = read.sentence_by_hit
        first_actor = min((h.start for h in actors), default=None)
        actor_starts = sorted(h.start for h in actors) if rivals else []
        by_sentence: dict[int, list[Hit]] = {}
        hedged: list[Hit] = []
        # the words that move a window's score by sentence, and the sentences of each key
        keys = self._keys
        fresh_by_sentence: dict[int, list[Hit]] = {}
        excluded_by_sentence: dict[int, list[Hit]] = {}
        incidents_by_sentence: dict[int, list[Hit]] = {}
        by_role = {
            "fresh": fresh_by_sentence,
            "exclude": excluded_by_sentence,
            "incident": incidents_by_sentence,
        }
        sentences_by_key: dict[tuple[str, str | None], set[int]] = {}
        hedges.sort(key=_END)  # (for a bisect to the hedges before each incident word)
        hedge_ends = [h.end for h in hedges]
        for hit in hits:
            role = hit.term.role
            if role in ("place", "foreign", "hedge"):
                continue  # places come resolved, below; hedges act on incident words
            if (
                role == "fresh"
                and read.text.endswith("اليوم", hit.start, hit.end)
                and report.says_nowadays(read.text, hit.end)
            ):
                continue  # «الجيش اليوم أقوى»: nowadays, no day
            if role == "anaphor" and (
                first_actor is None
                or hit.start < first_actor
                or (rivals and _rival_named_last(hit.start, actor_starts, rivals))
            ):
                continue
            # (most texts hedge nothing, and most incident words have no hedge ending in the
            # 120 letters before them, as _is_hedged reads them: no call for those)
            if role == "incident" and (
                (
                    hedges
                    and bisect_left(hedge_ends, hit.start - 120)
                    < bisect_right(hedge_ends, hit.start)
                    and _is_hedged(
                        read.text, hit, hedges, hedge_ends, watchlist.scoring.hedge_words
                    )
                )
                or (hedged and _describes(read.text, hedged[-1], hit))
            ):
                hedged.append(hit)
                continue
            sentence = sentence_of[id(hit)]
            by_sentence.setdefault(sentence, []).append(hit)
            of_role = by_role.get(role)
            if of_role is not None:
                of_role.setdefault(sentence, []).append(hit)
            for key in keys[id(hit.term)]:
                with_key = sentences_by_key.get(key)
                if with_key is None:
                    sentences_by_key[key] = {sentence}
                else:
                    with_key.add(sentence)
        named, foreign = read.places_in(watchlist.country)
        home = [m for m in named if m.status == HOME] if watchlist.use_gazetteer else []
        places_by_sentence: dict[int, list[PlaceMention]] = {}
        for mention in home:
            places_by_sentence.setdefault(sentence_of[id(mention.hit)], []).append(mention)
        lead = read.lead(watchlist.scoring.lead_body_sentences)
        present = watchlist.scoring.present_tense_weight
        return _Evidence(
            by_sentence=by_sentence, actors=actors, hedged=hedged, named=named, foreign=foreign,
            home=home, places_by_sentence=places_by_sentence, lead=lead,
            earlier=frozenset(read.earlier_events),
            lead_hits=[h for s in lead for h in by_sentence.get(s, ())],
            fresh_by_sentence=fresh_by_sentence, excluded_by_sentence=excluded_by_sentence,
            incidents_by_sentence=incidents_by_sentence,
            # a present-tense incident verb after the lead weighs at most `present_weight`
            incident_weight_by_sentence={
                s: max(
                    min(h.term.weight, present)
                    if s not in lead and h.term.data.get("present")
                    else h.term.weight
                    for h in hs
                )
                for s, hs in incidents_by_sentence.items()
            },
            sentences_by_key=sentences_by_key,
        )  # fmt: skip

    def _windows(
        self, watchlist: Watchlist, read: _Text, evidence: _Evidence
    ) -> tuple[list[_Window], list[str]]:
        """For each rule, the smallest window from each sentence that meets it, placed in the
        watched country and scored; and why the windows placed abroad were dropped."""
        located: list[_Located] | None = None  # built when a rule first meets a window
        located_sentences: list[int] = []  # the sentence of each, for bisect
        strong: list[_Located] = []  # the strong ones among them, and their sentences
        strong_sentences: list[int] = []
        windows: list[_Window] = []
        abroad: list[str] = []
        last_sentence = len(read.sentences) - 1
        # the sentences where a requirement is met, by its options (rules share requirements)
        met_by_options: dict[tuple[tuple[str, str | None], ...], set[int]] = {}
        in_order_by_options: dict[tuple[tuple[str, str | None], ...], list[int]] = {}
        spans: dict[tuple[int, int], _Span] = {}  # by (first, last): rules share windows
        for rule in watchlist.rules:
            # The sentences where each requirement is met: a window meets the rule when it
            # overlaps every one of these sets.
            met: list[set[int]] = []
            met_in_order: list[list[int]] = []  # the same sentences, sorted, for bisect
            for requirement in rule.require:
                where_met = met_by_options.get(requirement.options)
                if where_met is not None:
                    met.append(where_met)  # another rule's requirement of the same options
                    met_in_order.append(in_order_by_options[requirement.options])
                    continue
                # (a new set: the lines below change it)
                with_key = evidence.sentences_by_key
                where_met = set().union(*[with_key.get(k, ()) for k in requirement.options])
                if any(role == "place" for role, _ in requirement.options):
                    # a sentence about an earlier event (وكان مستشفى مصراتة قد أعلن الأسبوع
                    # الماضي …) places nothing of the news
                    where_met |= set(evidence.places_by_sentence)
                    where_met -= read.other_events
                elif any(role in ("actor", "anaphor") for role, _ in requirement.options):
                    # «وكانت خلايا لداعش قد نفذت هجمات مماثلة»: the actor of an earlier event
                    # is not the news's; nor is the actor of a claim of an attack abroad
                    where_met -= read.earlier_events
                    where_met -= _claims_abroad(read, evidence)
                    # «وتعد هذه الطرق، التي استخدمها عناصر داعش بعد طردهم من سرت عام 2016، من
                    # …»: a wire's background sentence that names a past year names the actor
                    # of the place's past (not «ويعد هذا الهجوم الأول الذي يتبناه التنظيم …»)
                    where_met -= {
                        i for i in where_met if _a_dated_background(read.sentences.sentence(i))
                    }
                elif ("incident", "claim") in requirement.options:
                    # «وأعلن تنظيم داعش مسؤوليته عن هجوم المنيا»: it claims that attack, not
                    # one reported in the country before it
                    where_met -= _claims_abroad(read, evidence)
                met_by_options[requirement.options] = where_met
                in_order_by_options[requirement.options] = sorted(where_met)
                met.append(where_met)
                met_in_order.append(in_order_by_options[requirement.options])
            if not all(met):
                continue  # the text lacks a role this rule needs
            starts = sorted(set().union(*met))
            if rule.from_lead:
                starts = [s for s in starts if s in evidence.lead]
            for first in starts:
                # The smallest window from `first` that meets every requirement ends where the
                # last of them is first met from `first` on (a bisect each, not a window of
                # each size tried against every set); none when that is past the rule's window
                # or the text.
                last = first
                for where_in_order in met_in_order:
                    at = bisect_left(where_in_order, first)
                    if at == len(where_in_order):
                        last = -1
                        break
                    if where_in_order[at] > last:
                        last = where_in_order[at]
                if last < 0 or last >= first + rule.window or last > last_sentence:
                    continue
                span = spans.get((first, last))
                if span is None:
                    span = spans[first, last] = evidence.span(first, last)
                if not rule.from_lead and _claim_before_its_place(span, evidence):
                    continue
                if located is None:
                    located = _locate(
                        read, watchlist.country, evidence.home, evidence.named,
                        evidence.foreign, evidence.actors,
                    )  # fmt: skip
                    located_sentences = [loc.sentence for loc in located]
                    strong = [loc for loc in located if loc.strong]
                    strong_sentences = [loc.sentence for loc in strong]
                where = _where(
                    span, located, located_sentences, strong, strong_sentences, read.sentence_of,
                    watchlist.country, read.text,
                )  # fmt: skip
                if where is not None and where != watchlist.country.code:
                    abroad.append(
                        f"rule {rule.name} in sentence {first + 1}: the incident is placed in {where}"
                    )
                    continue
                windows.append(self._score(rule, span, evidence, watchlist, read, False))
        self._count_the_leaders(watchlist, read, evidence, windows)
        return windows, abroad

    def _count_the_leaders(
        self, watchlist: Watchlist, read: _Text, evidence: _Evidence, windows: list[_Window]
    ) -> None:
        """Score again, with the casualty bonus, the windows that give a count and that the
        bonus could make the best (as `_best` chooses). Reading counts costs most, so the
        windows are tried from the highest score down, keeping the one that leads so far."""
        bonus = watchlist.scoring.casualty_bonus
        leader = -1  # the index of the window that leads so far (-1: none yet)

        def precedence(i: int) -> tuple[tuple[float, int], int]:
            return (_precedence(windows[i]), -i)  # `max` keeps the first of equals

        for lower_tier in (False, True):
            tier = [i for i, w in enumerate(windows) if w.rule.unattributed == lower_tier]
            tier.sort(key=lambda i: (-windows[i].score, windows[i].span.first, i))
            for i in tier:
                window = windows[i]
                if window.score + bonus < -1.0 - 1e-9:
                    break  # (as ever: the bonus cannot lift it above -1, and it shows as 0)
                if leader >= 0:
                    # with the bonus, how far the window could get past the leader's score
                    # (sums of the same weights in another order differ by 1e-16: a tie)
                    lead = windows[leader]
                    past = window.score + bonus - lead.score
                    if past < -1e-9:
                        break  # nor can any after it, scored no higher
                    if past <= 1e-9 and (window.span.first, i) > (lead.span.first, leader):
                        continue  # at best a tie, and the leader wins ties
                first, last = window.span.first, window.span.last
                # (a window told only as background takes no bonus: no need to read its counts)
                takes_bonus = read.adjustments[watchlist.name, first, last].counted is not None
                if takes_bonus and read.gives_casualties(first, last):
                    window = windows[i] = self._score(
                        window.rule, window.span, evidence, watchlist, read, True
                    )
                if leader < 0 or precedence(i) > precedence(leader):
                    leader = i
            # The lower tier decides only when no window of the actor's tier reaches the
            # threshold, and then only by beating every window, the actor's tier's too.
            if leader >= 0 and windows[leader].score >= watchlist.threshold:
                return

    def _best(
        self, watchlist: Watchlist, read: _Text, evidence: _Evidence, windows: list[_Window]
    ) -> _Window:
        """The window that decides, scored again with its reasons. The actor's tier first: a
        window of the lower tier (no actor named) decides only when no window of the actor's
        tier reaches the threshold."""
        best = max(windows, key=_precedence)
        attributed = [w for w in windows if not w.rule.unattributed]
        if attributed:
            best_attributed = max(attributed, key=_precedence)
            if round(best_attributed.score, 3) >= watchlist.threshold:
                best = best_attributed
        return self._score(
            best.rule, best.span, evidence, watchlist, read, best.has_casualties, explain=True
        )

    def _score(
        self, rule: Rule, span: _Span, evidence: _Evidence, watchlist: Watchlist, read: _Text,
        has_casualties: bool, explain: bool = False,
    ) -> _Window:  # fmt: skip
        """The window's score; with `explain`, the reasons too (only the best window needs them)."""
        first, last = span.first, span.last
        weight = span.weight if rule.needs_incident else 1.0
        score = rule.score * weight
        why: list[str] = []
        if explain:
            where = (
                f"sentence {first + 1}" if first == last else f"sentences {first + 1}-{last + 1}"
            )
            hits = [h for x in span.sentences for h in evidence.by_sentence.get(x, ())]
            hits += [m.hit for m in evidence.home if first <= read.sentence_of(m.hit) <= last]
            words = ", ".join(f"{h.role} «{h.surface}»" for h in _first_of_each_role(hits))
            factor = "" if weight == 1 else f" × {weight:.1f}"
            why.append(f"rule {rule.name} ({rule.score:.2f}{factor}) in {where}: {words}")
        # What moves the score depends on the window, not the rule: rules that meet in the same
        # window share it. A window is scored without its count, then with it when it gives
        # one: the bonuses and penalties are read once, the count's bonus put in its place.
        key = (watchlist.name, first, last)
        found = read.adjustments.get(key)
        if found is None:
            found = _adjustment(span, evidence, watchlist.scoring, read)
            read.adjustments[key] = found
        terms = found.terms
        if has_casualties and found.counted is not None:
            terms = [*terms[: found.at], found.counted, *terms[found.at :]]
        delta = 0.0
        for amount, _ in terms:
            delta += amount  # in the order they were read, as before: the same sum, bit for bit
        if explain:
            why += [reason for _, reason in terms]
        return _Window(rule, span, score + delta, why, has_casualties)


def _precedence(window: _Window) -> tuple[float, int]:
    """What makes a window the best: its score (to 1e-6), then the earlier start; `max` keeps
    the first of equals in the list."""
    return (round(window.score, 6), -window.span.first)


def _no_incident(
    watchlist: Watchlist, read: _Text, evidence: _Evidence, abroad: list[str]
) -> Detection:
    """No window met a rule in the country: what was missing, what was abroad or hedged."""
    why = [_missing(evidence.by_sentence, evidence.home)]
    why += abroad[:3]
    if evidence.hedged:
        why.append("not events here: " + ", ".join(f"«{h.surface}»" for h in evidence.hedged[:5]))
    return Detection(
        is_incident=False, score=0.0, watchlist=watchlist.name,
        places=_rank_places(evidence.home, range(0), read), actors=evidence.actor_labels,
        why=why, hits=read.hits, text=read.text, evidence=evidence.counted,
    )  # fmt: skip


def _facts(watchlist: Watchlist, read: _Text, evidence: _Evidence, best: _Window) -> Detection:
    """The verdict of the best window, and the facts of its incident: counts, type, date, place."""
    score = round(max(0.0, min(1.0, best.score)), 3)
    reportable = score >= watchlist.threshold
    attribution = best.rule.attribution if reportable else None
    is_incident = reportable and not best.rule.unattributed
    why = list(best.why)
    verdict = "not a new incident"
    if is_incident:
        verdict = "a new incident"
    elif reportable:
        verdict = "a new incident not tied to the actor by the text (tier: unattributed)"
    why.append(
        f"score {score:.2f} {'≥' if reportable else '<'} threshold "
        f"{watchlist.threshold:.2f}: {verdict}"
    )

    window_range = best.span.sentences
    others = read.other_events
    order = list(window_range) + [
        s for s in range(len(read.sentences)) if s not in window_range and s not in others
    ]
    # «قتلوا ستة جنود في هجوم في ولاية بورنو بنيجيريا. وزعمت أن عناصر ولاية ليبيا فجروا …»: a
    # sentence placed abroad and nowhere in the country counts another country's dead
    abroad = {
        read.sentence_of(m.hit) for m in evidence.foreign
        if not m.border and not m.hit.term.data.get("adjective")
    } - set(evidence.places_by_sentence)  # fmt: skip
    if abroad and not abroad.issuperset(window_range):
        order = [s for s in order if s not in abroad]
    # Counts come from the incident's sentences, then the next few the text gives: far
    # down an article, a count is about something else.
    mentions: list[CasualtyMention] = []
    zero: dict[int, frozenset[str]] = {}
    for index in order[: len(window_range) + _COUNT_SENTENCES]:
        found, none = read.casualties_in(index)
        mentions += found
        if none:
            zero[index] = none
    killed, injured, breakdown, notes = report.casualty_facts(
        mentions, zero, order, read.title_sentences
    )
    why.extend(notes)
    figures = {
        m.count for m in mentions
        if m.kind == "killed" and m.count and m.vague is None and m.who != MILITANTS
        and not m.claimed
    }  # fmt: skip
    incident_type = _incident_type(best.span.incidents, read.text)
    if killed is None and incident_type == "assassination" and _one_assassinated(read, best.span):
        # «اغتال مسلحون الناشط …»: an assassination that gives no count killed one person
        killed = 1
        why.append("killed: 1 (an assassination of one person)")
        if not breakdown:
            breakdown = [report.CasualtyCount(VICTIMS, 1, injured)]
    # The incident's own sentences first: a window that opens on a sentence of context («وقعت
    # ليبيا وتشاد أمس الاثنين اتفاقا … وفي سياق متصل، أعلنت الكتيبة فجر اليوم مداهمة …») dates
    # the context, not the news.
    told = best.span.incident_sentences
    # (a sentence of another event in a wide window dates that event: «وشهدت القبة في
    # فبراير/شباط 2015 تفجيرات …» between an assassination and its claim)
    date_order = [
        s for s in (*told, *(s for s in window_range if s not in told))
        if s not in others or (told and s == told[0])
    ] + [
        s for s in evidence.lead if s not in window_range and s not in others
    ]
    # «وأوضح الجهاز أن العملية جرت يوم 3 أكتوبر»: the sentence after the news and its lead
    after = max(window_range.stop, max(evidence.lead, default=-1) + 1)
    if after < len(read.sentences) and after not in others:
        date_order.append(after)
    event_day, how = report.event_date(
        read.text, read.dates_in(date_order), read.sentences, date_order, read.today
    )
    if event_day is not None:
        why.append(f"event date {event_day.isoformat()}: {how}")
    ranked = _rank_places(evidence.home, window_range, read)
    # Places that only locate others (جنوب القطرون، 450 كم شرق طرابلس) come last, as context.
    incident_places = set(ranked)
    ranked += dict.fromkeys(
        m.place for m in evidence.named
        if m.status == "reference" and "unit" not in m.reason and m.place not in incident_places
    )  # fmt: skip
    named_places = set(ranked)
    ranked += [
        p
        for p in _actor_places(evidence.actors, window_range, read.sentence_of, read)
        if p not in named_places
    ]
    if ranked:
        region = ranked[0].region or watchlist.country.name
        why.append(f"place: {ranked[0].name} ({ranked[0].kind}, {region})")
    return Detection(
        is_incident=is_incident,
        score=score,
        watchlist=watchlist.name,
        places=ranked,
        incident_type=incident_type,
        killed=killed,
        injured=injured,
        casualties=breakdown,
        event_date=event_day,
        actors=evidence.actor_labels,
        why=why,
        hits=read.hits,
        text=read.text,
        rule=best.rule.name,
        sentences=(best.span.first, best.span.last),
        evidence=evidence.counted,
        attribution=attribution,
        killed_figures=tuple(sorted(figures)),
    )


@dataclass(slots=True)
class _Adjustments:
    """A window's bonuses and penalties, each (signed amount, reason), in the order they add
    up; the casualty bonus apart (`counted`, None when the window cannot take it), to go in
    at `at` when the window gives a count."""

    terms: list[tuple[float, str]]
    counted: tuple[float, str] | None
    at: int


@cache
def _counted_term(bonus: float) -> tuple[float, str]:
    """The casualty bonus and its reason: one tuple, not a float formatted for every window."""
    return (bonus, f"+{bonus:.2f} gives a casualty count")


def _adjustment(span: _Span, evidence: _Evidence, scoring: Scoring, read: _Text) -> _Adjustments:
    """Bonuses and penalties of a window: fresh, counted, asked, framed, old."""
    first, last, incident_sentences = span.first, span.last, span.incident_sentences
    terms: list[tuple[float, str]] = []
    others = read.other_events
    # An incident told only as background (يذكر أن …، الهجوم الذي سبقه) takes no bonus from
    # the news it sits beside: the lead's «اليوم» dates that news, not it.
    background = bool(incident_sentences) and others.issuperset(incident_sentences)
    # The window's sentences, then the lead's: the hits of each, in text order, are the ones
    # the evidence holds by sentence (a sentence in both is read twice, to no effect).
    read_in = [*span.sentences, *evidence.lead]
    fresh_by_sentence = evidence.fresh_by_sentence
    if (
        incident_sentences
        and incident_sentences[0] not in evidence.lead
        and incident_sentences[0] in fresh_by_sentence
        and report.opens_a_development(read.sentences.sentence(incident_sentences[0]))
    ):
        # «وفي سياق متصل، ألقت القوة القبض أمس على …» after a trial's lead: a development of
        # its own, dated in its own sentence; the lead's frames and dates are another story's
        read_in = list(span.sentences)
    fresh = [h for s in read_in if s not in others for h in fresh_by_sentence.get(s, ())]
    if fresh and not background:
        terms.append(
            (scoring.fresh_bonus, f"+{scoring.fresh_bonus:.2f} dated as new: «{fresh[0].surface}»")
        )
    counted = None
    if not background:
        counted = _counted_term(scoring.casualty_bonus)
    at = len(terms)
    main = incident_sentences[0] if incident_sentences else first
    if read.sentences.ends_with_question(main):
        terms.append(
            (-scoring.question_penalty, f"-{scoring.question_penalty:.2f} asked as a question")
        )
    penalties: dict[str, tuple[float, str]] = {}
    general: set[str] = set()  # the kinds of frames of general pieces
    excluded = evidence.excluded_by_sentence
    if excluded:
        incidents = evidence.incidents_by_sentence
        # where the first incident word of each of the window's sentences starts
        first_incident = {s: incidents[s][0].start for s in incident_sentences}
        # the sentences of the fresh words: those of read_in that hold one (the words were
        # put under their own sentence)
        fresh_sentences = {s for s in read_in if s not in others and s in fresh_by_sentence}

        # a sentence of the window or the lead tells an incident and dates it as new: the date
        # after the incident word or in its clause («الذين استشهدوا فجر اليوم في الهجوم»; «أبقت
        # اليوم على نصيحتها …، وقالت إن عناصر داعش هاجموا» dates the advice), and no year («أقر المجلس أمس تعويضات لأسر قتلى
        # تفجيرات فبراير 2015» tells an old one)
        def told_today() -> bool:
            return any(
                s in first_incident
                and s in fresh_sentences
                and any(
                    h.start > first_incident[s]
                    or not any(c in read.text[h.end : first_incident[s]] for c in "،,")
                    for h in fresh_by_sentence[s]
                )
                and not any(m.explicit_year for m in read.dates_in((s,)))
                for s in read_in
            )

        # (read only for a reaction's word, and once: most windows hold none)
        told: bool | None = None
        carried: dict[str, float] = {}  # reactions that carry the news: kind → weight
        for sentence in read_in:
            frames = excluded.get(sentence)
            if not frames:
                continue
            # «تلقى تهديدات خلال الأشهر الماضية»: where a threat was received (its end)
            received = _threat_received(read.text, frames)
            for hit in frames:
                kind = str(hit.term.data.get("kind", hit.term.label))
                if received is not None and (
                    (kind == "threat" and hit.end <= received)
                    or (kind == "period" and 0 <= hit.start - received <= 4)
                ):
                    continue  # the victim's story, not a piece warning of the actor
                if kind == "court" and _the_actors_own(
                    hit, evidence.by_sentence.get(sentence, ()), read.text
                ):
                    continue  # «أدانته محكمة التنظيم»: the actor's own court is its rule, no trial
                if _in_a_title(read.text, hit.start):
                    continue  # «إصدار بعنوان "حصاد الصحراء"»: a work's name, not what the text is
                weight = hit.term.weight
                if sentence != first and _WIRE_BACKGROUND.match(read.sentences.sentence(sentence)):
                    # «وتقع زلة قرب حقول النفط، وتشهد المنطقة منذ سنوات هجمات متفرقة»: a
                    # wire's background on the place, beside the news, not what the text is
                    weight /= 2
                elif (
                    sentence in first_incident
                    and first_incident[sentence] < hit.start
                    and not hit.term.data.get("dates_news")
                    and not hit.term.data.get("in_full")
                    and not (
                        hit.term.data.get("dates_clause")
                        and _in_clause_of_incident(read.text, incidents[sentence], hit.start)
                    )
                ):
                    # a frame word after the news in its own sentence (… بعد أيام من الذكرى)
                    # weighs less, unless it dates the news (… خلال الأشهر الماضية; a time to
                    # come only in the incident word's own clause: … لتفجيرات خلال الأيام
                    # المقبلة) or speaks of the actor wherever it stands (… انتحل صفة داعش)
                    weight /= 2
                    if hit.term.data.get("carries_news"):
                        # «… الهجوم الذي استهدف فجر اليوم البوابة، معربا عن تعازيه لأسر
                        # الضحايا»: a reaction after the news, one with the others
                        carried[kind] = max(weight, carried.get(kind, 0.0))
                elif (
                    hit.term.data.get("corrected")
                    and sentence in first_incident
                    and report.corrects(
                        read.text,
                        hit.end,
                        [h.start for h in incidents[sentence]],
                        read.sentences.spans[sentence][1],
                    )
                ):
                    # «نفى … ما تداولته صفحات عن سيطرة التنظيم، مؤكدا أن ما حدث هو هجوم …»:
                    # the denial corrects a rumour with the news of its own sentence
                    weight /= 2
                elif hit.term.data.get("carries_news") and (
                    told if told is not None else (told := told_today())
                ):
                    # «قدم تعازيه لأسر ضحايا الهجوم الذي شنه داعش فجر اليوم»: a reaction to an
                    # incident the text dates as new in the incident's own sentence carries that
                    # news, wherever the reaction is named (the title's «يعزي» too)
                    weight /= 2
                    carried[kind] = max(weight, carried.get(kind, 0.0))
                elif sentence in first_incident and report.in_background_clause(
                    read.text, read.sentences.spans[sentence][0], hit.start,
                    first_incident[sentence],
                ):  # fmt: skip
                    # «في وقت يحذر فيه خبراء من عودة التنظيم، هاجم …»: the frame is the
                    # background's, before the news in its sentence
                    weight /= 2
                if kind not in penalties or weight > penalties[kind][0]:
                    penalties[kind] = (weight, hit.surface)
                    if hit.term.data.get("general"):
                        general.add(kind)
        # «يتقدم الأعيان بالتعازي إلى أسر الشهداء الذين ارتقوا عصر الخميس»: one reaction
        # told in its words (condolences, the families), weighed once, by its heaviest kind
        # (a kind that weighs more by another, unhalved word stays)
        reaction = [k for k, w in carried.items() if penalties[k][0] <= w]
        if len(reaction) > 1:
            heaviest = max(reaction, key=lambda k: penalties[k][0])
            for kind in reaction:
                if kind != heaviest:
                    del penalties[kind]
    # A report of a new incident names where it happened; a text placed only by the country's
    # name (داعش في ليبيا، مسؤول ليبي) is more often about the country in general, and the
    # frames of general pieces (a threat, a trend, a report) weigh more there. Not the others:
    # an arrest placed only by the country may well end «… وأحيل إلى المحكمة».
    # (only_the_country read only when a general frame is there to weigh: it scans the places)
    factor = scoring.country_only_frames if general and evidence.only_the_country else 1.0
    for kind, (penalty, surface) in penalties.items():
        if factor != 1.0 and kind in general:
            penalty *= factor
            surface = f"{surface}» (× {factor:g}: only the country places it)"
        else:
            surface += "»"
        terms.append((-penalty, f"-{penalty:.2f} {kind}: «{surface}"))
    old = _old_event(read, first, last, scoring.old_event_days)
    if not old and background:
        old = "about an earlier event than the one reported"
    if old:
        if old.endswith(_OLD_WOUND):
            # «توفي أمس … متأثرا بإصابته … منذ التفجير … في يناير 2016»: the day and the dead
            # are today's death's; the event is the old one
            terms = [t for t in terms if not t[1].startswith(f"+{scoring.fresh_bonus:.2f} dated")]
            at, counted = len(terms), None
        terms.append((-scoring.old_event_penalty, f"-{scoring.old_event_penalty:.2f} {old}"))
    return _Adjustments(terms, counted, at)


def _threat_received(text: str, frames: Sequence[Hit]) -> int | None:
    """Where a threat a person received ends («تلقى تهديدات بالقتل»), if a frame is one."""
    for hit in frames:
        if hit.term.data.get("kind") == "threat" and not report.RECEIVED.isdisjoint(
            words_before(text, hit.start, 1)
        ):
            return hit.end
    return None


def _locate(
    read: _Text, country: Country, home: list[PlaceMention], mentions: list[PlaceMention],
    foreign: list[ForeignMention], actors: list[Hit],
) -> list[_Located]:  # fmt: skip
    """Where things are: (offset, sentence, country, strong); the watched country's code for its
    places. An adjective (مسؤول ليبي) is weak: it counts only where nothing else places the
    event."""
    # every hit here is one of the text's: its sentence is in the table (no method call); and
    # each _Located is built as its class's __new__ builds it, without that Python call
    sentence_of = read.sentence_by_hit
    here = country.code
    new = tuple.__new__
    located = [new(_Located, (m.hit.start, sentence_of[id(m.hit)], here, not m.weak)) for m in home]
    located += [
        new(_Located, (m.hit.start, sentence_of[id(m.hit)], m.country or "?", True))
        for m in mentions if m.status == "foreign"
    ]  # fmt: skip
    located += [
        new(_Located, (m.hit.start, sentence_of[id(m.hit)], m.country, not m.weak)) for m in foreign
    ]
    for actor in actors:
        scope = actor.term.data.get("scope")
        if scope == "local":
            located.append(new(_Located, (actor.start, sentence_of[id(actor)], here, True)))
        elif scope == "foreign":
            abroad = str(actor.term.data.get("country", "?"))
            located.append(new(_Located, (actor.start, sentence_of[id(actor)], abroad, True)))
    located.sort()
    return located


# One relative pronoun and blanks, matched in place: the text between a hedged word and a
# later incident word may be most of the article, and is not copied to be split.
_ONLY_A_RELATIVE = re.compile(r"\s*(?:التي|الذي|اللذين|اللتين|الذين)\s*")


def _describes(text: str, hedged: Hit, hit: Hit) -> bool:
    """`hit` opens the relative clause of a hedged incident word: «مسؤولية التفجيرات التي
    استهدفت المدينة» is no more an event than the bombings it describes."""
    return _ONLY_A_RELATIVE.fullmatch(text, hedged.end, hit.start) is not None


def _in_clause_of_incident(text: str, incidents: list[Hit], start: int) -> bool:
    """The words at `start` follow an incident word with no comma between: they speak of it
    («تعد لتفجيرات خلال الأيام المقبلة»), not of what another clause says («…، وتعهد الجيش
    بملاحقتهم خلال الأيام المقبلة»)."""
    before = [h.end for h in incidents if h.end <= start]
    return bool(before) and not any(c in text[max(before) : start] for c in ",،")


def _first_of_each_role(hits: Iterable[Hit]) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for hit in sorted(hits, key=_START):
        if hit.role in ("actor", "anaphor", "incident", "place") and hit.role not in seen:
            seen[hit.role] = hit
    return list(seen.values())


def _rival_named_last(at: int, actor_starts: list[int], rivals: list[int]) -> bool:
    """«التنظيم» at `at` refers back to the group named last before it: another armed group's
    name after the actor's last one («أعلن داعش … هاجم تنظيم أنصار الشريعة … واستخدم
    التنظيم») makes it that group's."""
    last_actor = actor_starts[bisect_right(actor_starts, at) - 1]
    return any(last_actor < r < at for r in rivals)


def _is_hedged(text: str, hit: Hit, hedges: list[Hit], hedge_ends: list[int], reach: int) -> bool:
    """A hedge (يخطط لشن، لم يقع، تحت سيطرة) just before the incident word makes it unreal.

    A hedge reaches `reach` words unless it says its own (`reach:`), and acts on every incident
    type unless it names some (`applies_to:`). `hedges` are sorted by their ends, `hedge_ends`.
    """
    kind = hit.term.data.get("type")
    # the hedges that end at most 120 characters before the word
    for hedge in hedges[
        bisect_left(hedge_ends, hit.start - 120) : bisect_right(hedge_ends, hit.start)
    ]:
        applies_to = hedge.term.data.get("applies_to")
        if applies_to and kind not in applies_to:
            continue
        if hedge.term.data.get("plural_only") and not is_plural(hit.surface):
            continue  # «مسؤولية الهجمات» is every attack; «مسؤولية الهجوم على …» one
        between = text[hedge.end : hit.start]
        own_reach = int(hedge.term.data.get("reach", reach))
        if any(c in between for c in ".!?;\n,") or len(between.split()) > own_reach - 1:
            continue
        return True
    return False


def _where(
    span: _Span,
    located: list[_Located],
    located_sentences: list[int],
    strong: list[_Located],
    strong_sentences: list[int],
    sentence_of: Callable[[Hit], int],
    country: Country,
    text: str,
) -> str | None:
    """Where the window's incident happened: the country of the place nearest an incident word.

    The watched country when any incident word has one of its places nearest (a text about
    Libya may also speak of Syria); None when the window names no place at all.
    """
    watched = country.code
    incidents = span.incidents
    # `located` is in text order, so its sentences (`located_sentences`) are too: the window's
    # are one slice of it, and its strong ones (`strong`, in the same order) one slice of those
    inside = strong[
        bisect_left(strong_sentences, span.first) : bisect_right(strong_sentences, span.last)
    ]
    if not inside:
        inside = located[
            bisect_left(located_sentences, span.first) : bisect_right(located_sentences, span.last)
        ]
        if inside:
            # Only a nisba places the window (عكاشة الليبي، مسؤول ليبي): a text that names places
            # elsewhere, none of them Libyan, is about there.
            countries = [loc.country for loc in strong]
            if countries and watched not in countries:
                return Counter(countries).most_common(1)[0][0]
    if not inside:
        return None
    if not incidents:
        return watched if any(loc.country == watched for loc in inside) else inside[0].country
    # Nearest in the incident word's own sentence if any place is there, else anywhere in the
    # window; the first of equals, in text order.
    in_sentence: dict[int, list[_Located]] = {}
    for loc in inside:
        in_sentence.setdefault(loc.sentence, []).append(loc)
    nearest_countries = []
    for hit in incidents:
        start = hit.start
        candidates = in_sentence.get(sentence_of(hit)) or inside
        nearest = candidates[0]
        # «… غداة هجوم تبناه التنظيم على موقع للجيش قرب بلدة ديركو شمال شرقي النيجر»: the first
        # place after the word in its own clause, abroad, is its locative, whatever stands
        # before (not a home town after it: «هجوم الطعن في ميلانو مولود في مصراتة», where the
        # foreign city is one the gazetteer does not know)
        after = next((loc for loc in candidates if loc.offset >= start), None)
        if (
            after is not None
            and after.country != watched
            and after.offset - start <= _LOCATIVE_REACH
            and _CLAUSE_BREAK.search(text, start, after.offset) is None
        ):
            nearest = after
        elif len(candidates) > 1:
            # a place after the word (its locative) counts nearer than one as far before it;
            # the first of equals (as min() would give, without a key function's calls)
            offset = nearest.offset
            distance = offset - start if offset >= start else (start - offset) * 1.5
            for loc in candidates[1:]:
                offset = loc.offset
                other = offset - start if offset >= start else (start - offset) * 1.5
                if other < distance:
                    nearest, distance = loc, other
        if nearest.country == watched:
            return watched  # one incident word nearest the watched country's place is enough
        nearest_countries.append(nearest.country)
    return Counter(nearest_countries).most_common(1)[0][0]


_LOCATIVE_REACH = 120  # characters from an incident word to the place its clause names
_CLAUSE_BREAK = re.compile(r"[,،.;؛!?\n]")


def _missing(by_sentence: dict[int, list[Hit]], home: list[PlaceMention]) -> str:
    roles = {h.role for hs in by_sentence.values() for h in hs}
    if home:
        roles.add("place")
    parts = []
    for role in ("actor", "incident", "place"):
        parts.append(f"{role}: {'yes' if role in roles else 'no'}")
    return "no rule fired (" + ", ".join(parts) + ")"


def _incident_type(incidents: list[Hit], text: str) -> str | None:
    # «منذ التفجير الذي هز المنطقة قبل أيام»: what happened since an event is the news, not it
    since = [h for h in incidents if words_before(text, h.start, 1) == ["منذ"]]
    if since and len(since) < len(incidents):
        incidents = [h for h in incidents if h not in since]
    specific = [h for h in incidents if not h.term.data.get("generic")]
    types = [str(h.term.data.get("type")) for h in specific or incidents if h.term.data.get("type")]
    if not types:
        return None
    return min(types, key=lambda t: _TYPE_RANK.get(t, len(_TYPE_RANK)))


_ATTEMPT = ("محاوله", "نجا", "نجاه", "ينجو", "نجت", "اصابته", "اصيب")


def _one_assassinated(read: _Text, span: _Span) -> bool:
    """The window tells of one assassination carried out: not a series (اغتيالات), not an
    attempt (محاولة اغتيال، نجا من), not one that only wounded (أصيب)."""
    killings = [h for h in span.incidents if h.term.data.get("type") == "assassination"]
    if not killings or any(h.surface.endswith("ات") for h in killings):
        return False
    for index in span.sentences:
        if any(
            w.lstrip("وف") in _ATTEMPT or w in _ATTEMPT
            for w in read.sentences.sentence(index).split()
        ):
            return False
    return True


def _rank_places(mentions: list[PlaceMention], window: range, read: _Text) -> list[Place]:
    """The incident's places, most specific first, then the text's other places of the country.

    Where the rule fired comes first; then the sentence after it and the lead; then a dateline
    (where the report was written, often where it happened); then anything else; then a unit's
    name; the country last.
    """
    near = set(read.lead(1)) | ({window.stop} if window else set())
    # «وأعاد الهجوم إلى الأذهان ما شهدته بلدة الفقهاء عام 2018»: a sentence of another event
    # inside a wide window places the news only if nothing else does
    others = read.other_events if len(window) > 1 else set()
    counts = Counter(m.place.id for m in mentions)
    # every mention's hit is one of the text's: its sentence is in the table (no method call)
    sentence_by_hit = read.sentence_by_hit

    def key(mention: PlaceMention) -> tuple[int, int, int, int]:
        sentence = sentence_by_hit[id(mention.hit)]
        country = mention.place.kind == "country"
        if country:
            tier = 5
        elif mention.unit:
            tier = 4  # a unit's name (كتيبة شهداء أبو سليم) may honour a place far away
        elif mention.motion or mention.far_end:
            # where people came from or went to (باتجاه أوباري), the far end of a road, only if
            # nothing else
            tier = 3
        elif mention.dateline:
            tier = 2
        elif sentence in others:
            tier = 3
        elif sentence in window:
            tier = 0
        elif sentence in near:
            tier = 1
        else:
            tier = 3
        return (tier, -mention.specificity, -counts[mention.place.id], mention.hit.start)

    keys = {id(m): key(m) for m in mentions}
    ordered = sorted(mentions, key=lambda m: keys[id(m)])
    # A title says «في الجنوب الليبي», the lead «في مدينة أوباري»: a place of the incident's
    # sentences or the lead inside the wide one refines it.
    if ordered and ordered[0].place.kind in ("region", "district"):
        wide = ordered[0].place
        retold = _retelling_sentences(read)
        past = read.earlier_events | read.other_events
        for mention in ordered[1:]:
            tier, sentence = keys[id(mention)][0], sentence_by_hit[id(mention.hit)]
            if (
                mention.specificity <= wide.specificity
                or sentence in past  # «وكان التنظيم قد هاجم بلدة الفقهاء في عام 2019»
                or not (tier <= 1 or (tier == 3 and sentence in retold))
            ):
                continue
            if mention.reason == LOCAL_SOURCE or mention.motion or mention.far_end:
                # «… من منطقة وادي الحياة. وأكد مصدر محلي في أوباري»: where the source speaks
                # (the victims' home), or where someone is from or went («سائق من بلدة ودان»),
                # does not narrow where it happened
                continue
            inside = (
                mention.place.region == wide.region
                if wide.kind == "region"
                else mention.place.district == wide.district
            )
            if inside:
                ordered.insert(0, mention)
                break
    # each place once, where it first comes (a dict, not a list: a Place compares field by field)
    return list(dict.fromkeys(m.place for m in ordered))


def _retelling_sentences(read: _Text) -> set[int]:
    """Sentences that may tell the event again further down: the actor and an incident word
    («… ضبط قيادي في تنظيم داعش داخل مدينة بني وليد» under a lead that said «شمال غربي
    البلاد»)."""
    roles: dict[int, set[str]] = {}
    for hit in read.hits:
        if hit.role in ("actor", "incident"):
            roles.setdefault(read.sentence_by_hit[id(hit)], set()).add(hit.role)
    return {s for s, found in roles.items() if len(found) == 2}


def _actor_places(
    actors: list[Hit], window: range, sentence_of: Callable[[Hit], int], read: _Text
) -> list[Place]:
    """A province of the actor in the country (ولاية فزان) names a region when no place does."""
    found = []
    for actor in actors:
        place_id = actor.term.data.get("place")
        gazetteer = read.gazetteer
        if place_id and sentence_of(actor) in window and gazetteer and place_id in gazetteer.by_id:
            found.append(gazetteer.by_id[str(place_id)])
    return found


def _claim_before_its_place(span: _Span, evidence: _Evidence) -> bool:
    """The span opens on a claim («وأعلن داعش مسؤوليته عن الهجوم») of an event told before it,
    names no place there, and only after it: the claim is of the event told before, and a place
    after it (where the weapons came from) is not that event's."""
    first = span.first
    if first in evidence.places_by_sentence or not any(
        h.term.data.get("claim") for h in evidence.incidents_by_sentence.get(first, ())
    ):
        return False
    return any(s < first for s in evidence.incidents_by_sentence)


def _claims_abroad(read: _Text, evidence: _Evidence) -> set[int]:
    """The sentences whose claim is of an attack abroad («مسؤوليته عن هجوم المنيا») and that
    name no place in the watched country."""
    if evidence.claims_abroad is None:
        evidence.claims_abroad = _find_claims_abroad(read, evidence)
    return evidence.claims_abroad


def _find_claims_abroad(read: _Text, evidence: _Evidence) -> set[int]:
    abroad = [m.hit for m in evidence.foreign]
    abroad += [m.hit for m in evidence.named if m.status == "foreign"]
    if not abroad:
        return set()
    found = set()
    for sentence, hits in evidence.by_sentence.items():
        if sentence in evidence.places_by_sentence:
            continue
        for claim in hits:
            if (
                claim.term.role == "incident"
                and claim.term.data.get("claim")
                and any(_object_of_claim(read.text, claim.end, place.start) for place in abroad)
            ):
                found.add(sentence)
                break
    return found


def _object_of_claim(text: str, claim_end: int, place_at: int) -> bool:
    """The place at `place_at` is in what the claim ending at `claim_end` is of: «مسؤوليته عن
    هجوم المنيا» (not «تبنى التنظيم، الذي ينشط في مصر، الهجوم»: a clause on the actor)."""
    between = text[claim_end:place_at]
    return (
        0 <= len(between) <= 40 and " عن " in f" {between} " and not any(c in between for c in "،,")
    )


# Words right before the actor's name that liken something to it (lexicons/report.yaml)
_LIKENED = report.LIKENED
# one of these is in the letters before a likened actor (a cheap test before the split)
_LIKENED_CORES = ("اسلوب", "طريق", "غرار", "شبه", "ايام", "زمن", "ختلف")
assert all(any(core in word for core in _LIKENED_CORES) for word in _LIKENED), "_LIKENED_CORES"


def _likened(text: str, hit: Hit) -> bool:
    head = text[max(0, hit.start - 12) : hit.start]
    if not any(core in head for core in _LIKENED_CORES):
        return False
    before = head.split()
    return bool(before) and (
        before[-1] in _LIKENED
        or (hit.surface.startswith("ب") and before[-1] in ("اشبه", "يشبه"))
        # «تنظيما إرهابيا لا يختلف عن داعش»: no different from it
        or (before[-1] == "عن" and len(before) > 1 and before[-2].endswith("ختلف"))
    )


# A wire's background sentence on the place or the country: «وتقع زلة …»، «وتشهد ليبيا …»
_WIRE_BACKGROUND = re.compile(r"\s*و?(?:تقع|يقع|تشهد|يشهد|تعد|يعد|تعتبر|يعتبر)(?!\w)")
# the news itself named in a background sentence: «ويعد هذا الهجوم الأول …»
_THIS_EVENT = re.compile(r"(?<!\w)(?:هذا|هذه)\s+(?:الهجوم|العمليه|التفجير|الاعتداء|الهجمه)")


def _a_dated_background(sentence: str) -> bool:
    """A wire's background sentence («وتعد هذه الطرق …») that names a past year and not the
    news itself."""
    return (
        _WIRE_BACKGROUND.match(sentence) is not None
        and _CLAUSE_YEAR.search(sentence) is not None
        and _THIS_EVENT.search(sentence) is None
    )


# a clause of the past perfect («وكان قد …»، «وكانت خلية لداعش قد …») that names its year
_PLUPERFECT_OPENING = re.compile(r"\s*و?(?:كان|كانت|كانوا)\s+(?:\S+\s+){0,3}?قد(?!\w)")
_CLAUSE_YEAR = re.compile(r"(?<!\w)(?:عام|سنه)\s+\d{4}(?!\d)")


def _in_a_dated_past_clause(text: str, hit: Hit) -> bool:
    """The actor named in a clause that opens «وكان … قد» and names its year: what the past
    held, never the news (a claim of this attack told «وكان التنظيم قد تبنى …» names no year;
    «قتل شرطي كان قد نجا من هجوم عام 2016 في هجوم تبناه داعش» opens with the news)."""
    start = max(text.rfind(",", 0, hit.start), text.rfind(".", 0, hit.start)) + 1
    if text.find("كان", start, hit.start) < 0:
        return False
    ends = [at for at in (text.find(",", hit.end), text.find(".", hit.end)) if at >= 0]
    end = min(ends) if ends else len(text)
    return (
        _PLUPERFECT_OPENING.match(text, start, end) is not None
        and _CLAUSE_YEAR.search(text, start, end) is not None
    )


# the held: «سجن يضم مئات الموقوفين، بينهم مشتبه في انتمائهم لتنظيم داعش»
_HELD = re.compile(
    r"(?<!\w)(?:ال)?(?:موقوفين|محتجزين|سجناء|معتقلين|مساجين|نزلاء)(?!\w)[^.]{0,40}?"
    r"(?<!\w)(?:من\s+)?(?:بينهم|منهم)(?!\w)"
)


def _held_ones(text: str, hit: Hit) -> bool:
    """The actor named as what some of a prison's held belong to: who they are, no act."""
    head = text[max(0, hit.start - 90) : hit.start]
    if "بينهم" not in head and "منهم" not in head:
        return False
    last_end = max((m.end() for m in _HELD.finditer(head)), default=-1)
    return last_end >= 0 and len(head) - last_end < 40


# where a person trained: «تدرب في معسكر لداعش في ليبيا»، «تلقى تدريبا على أيدي عناصر من التنظيم»
_TRAINED = re.compile(r"(?<!\w)(?:و|ف)?(?:تدرب|تدربوا|تدربت|تلقي تدريب|تلقوا تدريب|خضع لتدريب|خضعوا لتدريب)")


_NEXT_ACT = frozenset(("قبل", "ثم", "بعد", "بعدما", "وبايع", "ويبايع", "بايع", "يبايع"))


def _trained_by(text: str, hit: Hit) -> bool:
    """The actor named as who trained a person, a few words before it: his past, no act."""
    if text.find("تدر", max(0, hit.start - 45), hit.start) < 0:
        return False  # (most actors: no «تدرب، تدريب» before them)
    head = text[max(0, hit.start - 45) : hit.start]
    if "." in head:
        head = head[head.rindex(".") + 1 :]
    last = max(_TRAINED.finditer(head), key=lambda m: m.start(), default=None)
    if last is None:
        return False
    # «تلقى تدريبه في ليبيا قبل أن يعود ويبايع داعش»: another act between, the actor's own
    between = head[last.end() :].split()
    return len(between) <= 6 and _NEXT_ACT.isdisjoint(between)


# a guess among others: «لا نستبعد أي فرضية بما فيها خلايا داعش»، «من بين الاحتمالات»
_HYPOTHESIS = re.compile(r"(?:لا|لم)\s+(?:ن|ي|ت)ستبعد|فرضي(?:ه|ات)|احتمالات")


def _a_hypothesis(text: str, hit: Hit) -> bool:
    """The actor named as one guess among others, in the words right before it."""
    head = text[max(0, hit.start - 50) : hit.start]
    if "." in head:
        head = head[head.rindex(".") + 1 :]
    return _HYPOTHESIS.search(head) is not None


# A denial, the words that end its reach (a new statement), «ولا علاقة» (lexicons/report.yaml)
_DENIAL = report.DENIAL
_SAYS = report.NEW_STATEMENT
_NO_LINK = report.NO_LINK
_DENIAL_FORMS = _DENIAL | frozenset(f"و{word}" for word in _DENIAL)
# one of these is in the letters before a denied actor: «نفي، نفت، نفو» or «نافي» of every
# denial (not «نف» alone: «نفذ» is in most texts about an attack), «علاقة» or «صلة»
_DENIAL_CORES = ("نفي", "نفت", "نفو", "نافي")
assert all(any(core in word for core in _DENIAL_CORES) for word in _DENIAL), "_DENIAL_CORES"
assert {last for _, last in _NO_LINK} <= {"علاقه", "صله"}, "_denied looks for «علاق» or «صله»"


def _denied(text: str, hit: Hit) -> bool:
    """The actor is named in what a denial before it in its sentence denies (up to 24 words:
    «نفى المكتب، اليوم، صحة ما تداولته صفحات على مواقع التواصل عن هجوم شنه تنظيم داعش»;
    unless a new statement starts between)."""
    head = text[max(0, hit.start - 200) : hit.start]
    if (
        "نفي" not in head
        and "نفت" not in head
        and "نفو" not in head
        and "نافي" not in head
        and "علاق" not in head
        and "صله" not in head
    ):
        return False  # most actors: no denial before them
    head = head[max(head.rfind(end) for end in ".!?\n") + 1 :]
    words = head.split()
    if len(words) > 1 and (words[-2], words[-1]) in _NO_LINK:
        return True  # «ولا علاقة لداعش بالحادثة»
    recent = words[-24:]
    if _DENIAL_FORMS.isdisjoint(recent):
        return False  # («تنفيذ» holds «نفي»)
    for word in reversed(recent):
        if word in _SAYS:
            return False
        if word in _DENIAL_FORMS:
            return not report.corrected_after(text, hit.end)
    return False


def _the_actors_own(hit: Hit, sentence_hits: Iterable[Hit], text: str) -> bool:
    """The court at `hit` is the actor's: «محكمة التنظيم»، «المحكمة الشرعية التابعة لداعش»
    (not «يقضي بإعدام 23 داعشيا»: the actor sentenced)."""
    return any(
        h.term.role in ("actor", "anaphor")
        and 0 <= h.start - hit.end <= 30
        and _OWNED_BY.fullmatch(text, hit.end, h.start) is not None
        for h in sentence_hits
    )


def _in_a_title(text: str, start: int) -> bool:
    """The word at `start` is inside the quoted name of a work: «بعنوان "…"», «عنوانه "…"»."""
    # the last quote before the word opens a title when the word for a title is right before it
    # (a quote that closes a title, «بعنوان "حصاد" عن محاكمة», has the title before it instead)
    opened = text.rfind('"', max(0, start - _TITLE_REACH), start)
    return opened >= 0 and _TITLED.search(text, max(0, opened - 12), opened + 1) is not None


# A work's name is quoted right after the word that introduces it (normalised: «» became "); the
# pattern ends at the quote ($: the end of the span searched)
_TITLED = re.compile(r"(?:بعنوان|عنوانه|عنوانها|عنوان)\s*\"$")
_TITLE_REACH = 60  # a title is a few words: a quote opened further back is something else


# between a court and the actor that owns it: nothing (a quote mark), or «الشرعية التابعة ل»
_OWNED_BY = re.compile(r"[\s«»\"']*(?:(?:الشرعيه|الاسلاميه)\s+)?(?:(?:التابعه|التابع)\s+)?")


def _old_event(read: _Text, first: int, last: int, days: int) -> str | None:
    """An explicit date in the window long before publication: an old event retold."""
    if read.doc.published is None:
        return _undated_old_event(read, first, last)
    # A dated report (سبها 07 يونيو 2021 –) is judged against the day it was written.
    written = read.written
    today = written or read.doc.published.date()
    for mention in read.dates_in(range(first, last + 1)):
        if not mention.explicit_year:
            continue
        if written is not None and mention.value == written and mention.start < 120:
            continue
        index = read.sentences.index(mention.start)
        if index in read.other_events and index != first:
            continue  # «وتشهد ليبيا فوضى منذ سقوط النظام عام 2011»: a wire's background
        sentence_start = read.sentences.spans[index][0]
        if report.describes_a_place(read.text, sentence_start, mention.start):
            continue  # «…، في المدينة التي سيطر عليها التنظيم عام 2015»: the town's past
        if (
            mention.precision == "year"
            and mention.value.year < today.year
            and today - mention.value > timedelta(days=days + 365)
        ):
            return f"an old event: «{mention.text.strip()}»"
        if mention.precision != "year" and today - mention.value > timedelta(days=days):
            return f"an old event: «{mention.text.strip()}» ({(today - mention.value).days} days before publication)"
    return None


def _undated_old_event(read: _Text, first: int, last: int) -> str | None:
    """With no publication date to compare: the incident told «في عام 2015» (or «في يناير
    2016») in its own sentence, after its word, and no «اليوم، أمس» there. News of this week is not dated by its
    year; a retelling is («جثامين 21 مسيحيا قتلهم مسلحو داعش في سرت في عام 2015»)."""
    if read.written is not None:
        return None
    # A year told «عام 2015» is in the letters of its own sentence: the dates of the others are
    # not read (every window of an undated text comes here, and most tell no such year).
    seen = read.old_years
    for index in range(first, last + 1):
        if index not in seen:
            seen[index] = _year_of_old_event(read, index)
        old = seen[index]
        # «وأعاد الهجوم إلى الأذهان ما شهدته البلدة في أكتوبر 2018»: background
        if old is not None and (index == first or index not in read.other_events):
            return old
    return None


def _year_of_old_event(read: _Text, index: int) -> str | None:
    """The old event a sentence tells by its year, for _undated_old_event (a sentence of many
    windows: read once)."""
    text, spans = read.text, read.sentences.spans
    if not _year_told(text, *spans[index]):
        return None
    for mention in read.dates_in((index,)):
        if mention.precision not in ("year", "month") or not mention.explicit_year:
            continue
        if (
            (mention.precision == "year" and not mention.text.startswith("عام"))
            or set(words_before(read.text, mention.start, 1)) & _SINCE
        ):
            continue  # (a bare year, or «منذ عام 2011»: a time up to now)
        start = spans[index][0]
        # «توفي اليوم متأثرا بإصابته التي تعرض لها … عام 2016 حين أصابته شظايا قذيفة»: today's
        # death, the old wound's event (told before the year or after it)
        died_of_old = _DIED_OF_OLD.search(text, start, mention.start) is not None
        end = spans[index][1] if died_of_old else mention.start
        told = any(h.term.role == "incident" and start <= h.start < end for h in read.hits)
        if not told:
            continue
        if report.TODAY.search(read.sentences.sentence(index)) and not died_of_old:
            continue
        old = f"an old event: «{mention.text.strip()}» (the text has no date of its own"
        return f"{old}{_OLD_WOUND}" if died_of_old else f"{old})"
    return None


# «متأثرا بجراحه، بإصابته»: died of wounds, which a year after it dates
_OLD_WOUND = "; today's death is of its wound)"
_DIED_OF_OLD = re.compile(r"متاثر(?:ا|ه|ين|ون|تين)?\s+ب")
# A year, and the words that tell it (a cheap test of a sentence before its dates are read):
# «عام 2015», a month's name «يناير 2016», «تشرين الأول 2018»
_YEAR_DIGITS = re.compile(r"[12][09]\d\d(?!\d)")  # (no look-behind: re scans for [12] in C)
_YEAR_TELLERS = frozenset({"عام", "الاول", "الثاني", *MONTHS})


def _year_told(text: str, start: int, end: int) -> bool:
    """The sentence between `start` and `end` tells a year by «عام» or a month."""
    for year in _YEAR_DIGITS.finditer(text, start, end):
        if text[year.start() - 1].isdigit():
            continue  # (the end of a longer number)
        before = words_before(text, year.start(), 1)
        if before and (
            before[0].endswith("عام")  # «العام 2015»، «بعام 2018»
            or before[0] in _YEAR_TELLERS
            or before[0][1:] in _YEAR_TELLERS  # «وفبراير 2015»
        ):
            return True
    return False
# Words before «عام» that make the year the start of a time up to now, not the event's
_SINCE = frozenset({"منذ", "مطلع", "بداية", "اواخر", "نهاية", "خلال", "طيله", "طوال"})


def _rank(detection: Detection) -> tuple[bool, bool, float]:
    """Which watchlist's verdict a text gets: an incident, then the lower tier, then the score."""
    return (detection.is_incident, detection.reportable, detection.score)


def detection_record(detection: Detection, doc_id: str | None = None) -> dict[str, object]:
    """The `raqib scan --jsonl` output line (a contract other tools depend on)."""
    return {
        "id": doc_id,
        "is_incident": detection.is_incident,
        "attribution": detection.attribution,
        "watchlist": detection.watchlist,
        "score": detection.score,
        "places": [{"name": p.name, "lat": p.lat, "lon": p.lon} for p in detection.places],
        "incident_type": detection.incident_type,
        "killed": detection.killed,
        "injured": detection.injured,
        "casualties": [
            {"who": c.who, "killed": c.killed, "injured": c.injured} for c in detection.casualties
        ],
        "event_date": detection.event_date.isoformat() if detection.event_date else None,
        "why": detection.why,
    }
