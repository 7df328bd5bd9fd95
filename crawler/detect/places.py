"""Which place names in a text are Libyan places: cues for names that are also words, other
countries for shared names, and names that only locate something else (450 كم شرق طرابلس)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crawler.detect.gazetteer import Place
from crawler.detect.matcher import Hit
from crawler.detect.normalise import normalise
from crawler.detect.sentences import Sentences, bare, words_after, words_before


def _stems(*words: str) -> frozenset[str]:
    return frozenset(normalise(w) for w in words)


# A word before a name that says "this is a place": مدينة الخمس، بمنطقة الفقهاء، جنوب البيضاء.
CUES = _stems(
    "مدينة",
    "بلدة",
    "قرية",
    "منطقة",
    "مناطق",
    "واحة",
    "حي",
    "ضاحية",
    "ميناء",
    "مرفأ",
    "مرسى",
    "حقل",
    "حقول",
    "مطار",
    "قاعدة",
    "بوابة",
    "شعبية",
    "بلدية",
    "جبل",
    "جبال",
    "وادي",
    "محور",
    "ضواحي",
    "مدخل",
    "أطراف",
    "مشارف",
    "طريق",
    "معسكر",
    "مصفاة",
    "سواحل",
    "ساحل",
    "شاطئ",
    "جنوب",
    "جنوبي",
    "شمال",
    "شمالي",
    "شرق",
    "شرقي",
    "غرب",
    "غربي",
    "وسط",
    "قرب",
    "بين",
    "مدن",
    "بلدات",
    "قرى",
    "سكان",
    "أهالي",
    "مستشفى",
    "سجن",
    "مديرية",
    "أمن",
    "بوابات",
)
# A word after a name that says "in Libya": الخمس الليبية، البيضاء (ليبيا).
LIBYA_AFTER = _stems("الليبية", "الليبي", "ليبيا", "بليبيا")
# Distances: a place after them is a reference point, not where the event happened.
DISTANCE = _stems("كم", "كلم", "كيلو", "كيلومتر", "كيلومترا", "كيلومترات", "ميل", "أميال", "مترا")
# A direction between two places: in «جبل عصيدة جنوب القطرون» القطرون only locates the first.
DIRECTIONS = _stems(
    "جنوب",
    "جنوبي",
    "شمال",
    "شمالي",
    "شرق",
    "شرقي",
    "غرب",
    "غربي",
    "قرب",
    "بالقرب",
    "جنوب شرق",
    "جنوب غرب",
    "شمال شرق",
    "شمال غرب",
)
# A name inside a unit's or a group's name (كتيبة شهداء أم الأرانب، مجلس شورى مجاهدي درنة)
# tells where the unit comes from, not where the event happened.
UNITS = _stems(
    "كتيبة",
    "لواء",
    "سرية",
    "ثوار",
    "شهداء",
    "مجاهدي",
    "شورى",
    "قوة",
    "غرفة",
    "فرقة",
    "نادي",
    "فريق",
    "منتخب",
    "جامعة",
)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    hit: Hit
    place: Place
    # libya: a Libyan place where something may have happened; reference: a point to measure
    # from, or part of a unit's name; foreign: the name of a place in another country.
    status: str
    country: str | None = None
    reason: str = ""
    dateline: bool = False  # the name opens the text (طرابلس - …): where it was written

    @property
    def specificity(self) -> int:
        return self.place.specificity

    @property
    def weak(self) -> bool:
        """An adjective (مسؤول ليبي، الجيش الليبي) says who, not where; a dateline where the
        report was written."""
        return self.dateline or (self.place.kind == "country" and "ليبيا" not in self.hit.surface)


@dataclass(frozen=True, slots=True)
class ForeignMention:
    hit: Hit
    country: str

    @property
    def weak(self) -> bool:
        """An adjective (الجيش السوري، سلاح الجو المصري) says who, not where."""
        return bool(self.hit.term.data.get("adjective"))


def _is_dateline(text: str, hit: Hit) -> bool:
    """The name opens a paragraph and a dash, colon, bracket or date follows (سبها 07 يونيو …)."""
    if hit.start == 0 or text[hit.start - 1] == "\n":
        rest = text[hit.end : hit.end + 3].lstrip()
        return bool(rest) and (rest[0] in "-:(/" or rest[0].isdigit())
    return False


def _has_cue(text: str, hit: Hit) -> bool:
    if bare(hit.surface.split(" ", 1)[0], CUES) in CUES:
        return True  # the form carries its cue: حقل الشرارة
    before = words_before(text, hit.start, 1)
    if before and bare(before[0], CUES) in CUES:
        return True
    after = words_after(text, hit.end, 1)
    if after and after[0] in LIBYA_AFTER:
        return True
    return _is_dateline(text, hit)


def _blocked(text: str, hit: Hit, place: Place) -> str | None:
    if place.not_before:
        before = words_before(text, hit.start, 2)
        if before and (
            before[0] in place.not_before or " ".join(reversed(before)) in place.not_before
        ):
            return f"«{before[0]} {hit.surface}» is not the place"
    if place.not_after:
        after = words_after(text, hit.end, 1)
        if after and after[0] in place.not_after:
            return f"«{hit.surface} {after[0]}» is not the place"
    return None


def _role_of_name(text: str, hit: Hit, place_ends: set[int]) -> str | None:
    before = words_before(text, hit.start, 5)
    if any(w in DISTANCE for w in before):
        return "a distance is measured from it"
    if before[:2] and any(bare(w, UNITS) in UNITS for w in before[:2]):
        return "part of a unit's name"
    if before and before[0] in DIRECTIONS:
        # the direction word's start, then is a place name right before it?
        direction_start = text.rfind(before[0], 0, hit.start)
        head = text[:direction_start].rstrip(" ,")
        if len(head) in place_ends:
            return "it locates the place named before it"
    return None


def resolve(
    text: str, hits: Iterable[Hit], sentences: Sentences
) -> tuple[list[PlaceMention], list[ForeignMention]]:
    """Each place hit judged Libyan, foreign or a reference; rejected hits are left out."""
    place_hits = [h for h in hits if h.role in ("place", "foreign")]
    foreign = [
        ForeignMention(h, str(h.term.data["country"])) for h in place_hits if h.role == "foreign"
    ]
    candidates: list[tuple[Hit, Place]] = []
    for hit in place_hits:
        if hit.role != "place":
            continue
        place: Place = hit.term.data["place"]
        if _blocked(text, hit, place):
            continue
        candidates.append((hit, place))

    # A name that is also a word counts when one of its mentions carries a cue: a text that says
    # «مدينة الخمس» once means the town every time it says «الخمس».
    confirmed = {p.id for h, p in candidates if p.cue_required and _has_cue(text, h)}
    candidates = [(h, p) for h, p in candidates if not p.cue_required or p.id in confirmed]

    libyan_sentences: dict[int, int] = {}
    for hit, place in candidates:
        if not place.shared_with and not hit.term.data.get("relative"):
            index = sentences.index(hit.start)
            libyan_sentences[index] = libyan_sentences.get(index, 0) + 1
    foreign_by_sentence: dict[int, set[str]] = {}
    for mention in foreign:
        foreign_by_sentence.setdefault(sentences.index(mention.hit.start), set()).add(
            mention.country
        )
    foreign_anywhere = {m.country for m in foreign}

    place_ends = {h.end for h in place_hits}
    mentions: list[PlaceMention] = []
    for hit, place in candidates:
        if hit.term.data.get("relative"):
            # «جنوب البلاد» is a Libyan region only in a text about Libya, and not in a sentence
            # about another country
            index = sentences.index(hit.start)
            libyan_elsewhere = any(
                not p.shared_with and not h.term.data.get("relative") for h, p in candidates
            )
            if libyan_elsewhere and (
                index not in foreign_by_sentence or libyan_sentences.get(index)
            ):
                mentions.append(PlaceMention(hit, place, "libya", reason="the country's part"))
            continue
        if place.shared_with:
            index = sentences.index(hit.start)
            here = foreign_by_sentence.get(index, set()) & set(place.shared_with)
            if here and not libyan_sentences.get(index):
                country = sorted(here)[0]
                mentions.append(
                    PlaceMention(hit, place, "foreign", country, f"{country} named in the sentence")
                )
                continue
            elsewhere = foreign_anywhere & set(place.shared_with)
            if not here and elsewhere and not libyan_sentences:
                country = sorted(elsewhere)[0]
                mentions.append(
                    PlaceMention(hit, place, "foreign", country, f"{country} named in the text")
                )
                continue
        reference = _role_of_name(text, hit, place_ends)
        if reference:
            mentions.append(PlaceMention(hit, place, "reference", None, reference))
        else:
            mentions.append(PlaceMention(hit, place, "libya", dateline=_is_dateline(text, hit)))
    return mentions, foreign
