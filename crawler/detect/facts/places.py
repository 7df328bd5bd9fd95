"""Which place names in a text are places of the watched country: cues for names that are also
words, other countries for shared names, and names that only locate something else (450 كم شرق
طرابلس). The country is the watchlist's, and so is its gazetteer."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from crawler.detect.facts.gazetteer import Country, Place
from crawler.detect.facts.geo import distance_km
from crawler.detect.text.matcher import Hit, unfrozen_twin
from crawler.detect.text.normalise import normalise
from crawler.detect.text.sentences import Sentences, forms, words_after, words_before


def _stems(*words: str) -> frozenset[str]:
    return frozenset(normalise(w) for w in words)


# A word before a name that says "this is a place": مدينة الخمس، بمنطقة الفقهاء، جنوب البيضاء.
CUES = _stems(
    # «مركز شرطة القريات»، «مديرية أمن بني وليد»: a force's post named by its town
    "شرطة",
    "أمن",
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
    "معبر",  # a border crossing: «منفذ وازن»، «معبر رأس جدير»
    "منفذ",
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
    "آبار",
    "محيط",
    "حقلي",
    "مينائي",
    "مدينتي",
    "بلدتي",
    "منطقتي",
)
# «بالقرب من»، «على مقربة من»: a cue in two words
NEAR_FROM = _stems("بالقرب", "القرب", "مقربة", "بمقربة", "قريبا")
# A place of the watched country: where something may have happened (PlaceMention.status).
HOME = "home"
# Distances: a place after them is a reference point, not where the event happened.
DISTANCE = _stems("كم", "كلم", "كيلو", "كيلومتر", "كيلومترا", "كيلومترات", "ميل", "أميال", "مترا")
# «التي تبعد عن طرابلس 180 كم»: the distance comes after the place it is measured from
AWAY_FROM = _stems("تبعد", "يبعد", "وتبعد", "ويبعد", "البعيدة", "البعيد")
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
    "سرايا",  # «سرايا الدفاع عن بنغازي»
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
# Where people come from or go to is not where the event happened: «قادمة من ليبيا»، «باتجاه
# أوباري ومرزق»، «الالتحاق بمعاقل التنظيم في ليبيا»، «الحدود مع ليبيا».
TOWARDS = _stems("اتجاه", "نحو", "صوب", "تجاه")
FROM_AFTER = _stems(
    "قادم",
    "قادمة",
    "قادمين",
    "قادمون",
    "قادما",
    "فروا",
    "فر",
    "فرار",
    "هربوا",
    "هرب",
    "ينحدر",  # «ينحدر من مدينة أوباري»: where a person comes from
    "تنحدر",
    "ينحدرون",
    "المنحدر",
    "هربت",  # «الأسلحة هربت من الأراضي الليبية»: smuggled
    "تسربت",
    "جلبت",
    "تسللوا",
    "تسلل",
    "تسللت",
    "انطلاقا",
    "قدموا",
    "وافدين",
    "وافدون",
    "عائدين",
    "عائدون",
    "نزحوا",
    "رحلوا",
    "هاربين",
    "انطلقت",
    "انطلق",
    "انطلقوا",
    "تحركت",
    "تحرك",
    "خرجت",
    "خرج",
    "قدمت",
    "وصلت",
    "وصلوا",
    # «تسللهم من الأراضي الليبية»، «تهرب السلاح من جنوب ليبيا»: the act's noun, smuggling
    "تسللهم",
    "تسلله",
    "قدومهم",
    "قدومه",
    "تهرب",
    "يهرب",
    "يهربون",
    "تهريب",
)
TO_AFTER = _stems(
    "الالتحاق",
    "السفر",
    "التوجه",
    "الهجرة",
    "النفير",
    "متجهة",
    "متجها",
    "متجهين",
    "متجهون",
    # the dual: «شاحنتين كانتا متجهتين إلى سرت»
    "متجهتين",
    "متجهتان",
    "فروا",
    "الفرار",
    "هربوا",
    "انسحبوا",
    "تسللوا",
    "عبروا",
    "العبور",
    "سافروا",
    "سافر",
    "توجهوا",
    "توجه",
    "ترحيل",
    "ترحيلهم",
    "تهريب",
    "تهريبهم",
    "الوصول",
    "طريقهم",
    "انتقلوا",
    "الانتقال",
    "ينتقلون",
    "يتنقل",
    "تنقل",
    "إعادتهم",
    "إعادة",
    # «نقلوا إلى مستشفى هون»: where the wounded were taken
    "نقلوا",
    "نقل",
    "نقلت",
    "نقلهم",
    "أسعفوا",
    "إسعافهم",
)
# «الالتحاق بمعاقل التنظيم في ليبيا»: a purpose of travel a few words before the place
TRAVEL = _stems("الالتحاق", "السفر", "الهجرة", "النفير", "التسلل")
# with its proclitics; «للالتحاق»: ل before the article drops the article's alef
_TRAVEL_FORMS = frozenset(f"{c}{w}" for w in TRAVEL for c in ("", "و", "ف", "ب", "وب")) | frozenset(
    f"{c}لل{w[2:]}" for w in TRAVEL for c in ("", "و", "ف")
)
# «تلقى تدريبه … في ليبيا»، «تجند شبابا للقتال في ليبيا»، «أقام في ليبيا»: the country locates a
# person's past or purpose (trained, lived, recruited for), not the event the text reports.
PERSON_PAST = _stems(
    "تدرب", "تدربوا", "تدريبه", "تدريبهم", "تدريبا", "تلقى", "تلقوا", "أقام", "أقاموا", "عاش",
    "أمضى", "مكث", "للقتال", "للانضمام", "يجند", "تجند", "تجنيد", "يجندون", "جندت",
    # «خلال زيارته إلى ليبيا»: a visit, too
    "زيارته", "زيارتهم", "زيارتها", "زار", "زاروا",
    # «شخص يعتقد أنه موجود في ليبيا»، «يقيم في ليبيا»: where a person is now
    "موجود", "موجودا", "موجودون", "موجودين", "يقيم", "مقيم", "مقيما", "يختبئ", "متواجد",
)  # fmt: skip
_PERSON_PAST_REACH = 8  # words before the country's name
# «منفذي الهجوم تدربوا في معسكرات بمدينة درنة»: a town where a person trained or lived (not a
# visit: an official visits the scene of an attack), a few words before its name
# «منفذ الهجوم مولود في مصراتة»، «ينحدر من درنة»: where he was born or comes from, too
TOWN_PAST = _stems(
    "تدرب", "تدربوا", "تدريبه", "تدريبهم", "تلقى", "تلقوا", "أقام", "أقاموا", "عاش", "أمضى", "مكث",
    "ولد", "مولود", "المولود", "مواليد", "ينحدر", "المنحدر", "ينحدرون",
)  # fmt: skip
_TOWN_PAST_REACH = 5
_TOWN_PAST_FORMS = forms(TOWN_PAST)
_TOWN_PAST_CORES = (
    "تدرب", "تدريب", "تلق", "اقام", "عاش", "امضي", "مكث", "ولد", "مولود", "مواليد", "ينحدر",
    "منحدر",
)  # near the name  # fmt: skip
BORDER = _stems("الحدود", "حدود", "الحدودي", "الحدودية", "حدودها", "حدوده")
assert all("حدود" in w for w in BORDER)  # _border_word_before looks for it first
_TOWARDS_FORMS = forms(TOWARDS)
# «ليبي الجنسية»، «يحمل الجنسية الليبية»، «من أصل ليبي»: a person's nationality, not a place.
NATIONALITY_AFTER = _stems("الجنسية", "الأصل", "المولد")
NATIONALITY_BEFORE = _stems("الجنسية", "جنسية", "أصل", "الأصل", "أصول", "جنسيته", "جنسيتها")
_NATIONALITY_CORES = ("جنسي", "اصل", "اصول")  # one is in every word of NATIONALITY_BEFORE
assert all(any(c in w for c in _NATIONALITY_CORES) for w in NATIONALITY_BEFORE)
# «داخل الأراضي المصرية»، «من الجانب الليبي»: an adjective after a word for territory says
# where, not who.
TERRITORY = _stems("الأراضي", "أراضي", "داخل", "عمق", "العمق", "التراب", "الجانب")
# «منطقة الظهرة بطرابلس»: words that may stand between a quarter and the city that holds it
_INSIDE = _stems("في", "العاصمة", "مدينة", "داخل")
# Settlements: «واحة ربيانة بالكفرة» is the village in its district, not a namesake
_SETTLEMENTS = frozenset({"city", "town", "village", "oasis"})
# A unit's name ends at a preposition: «مقر كتيبة في سبها» names the town, not the unit
_PREPOSITIONS = _stems(
    "في", "قرب", "عند", "داخل", "على", "من", "إلى", "بين", "جنوب", "شمال", "شرق", "غرب"
)
_QUARTER = normalise("حي")
_NAMESAKE_KM = 60.0  # a "quarter" this far from its city is another place of the same name
# Every form `bare` reads as a word of each list: `bare(w, CUES) in CUES` is `w in _CUE_FORMS`,
# one set test for words read around every place name.
_CUE_FORMS = forms(CUES)
_UNIT_FORMS = forms(UNITS)
_FROM_AFTER_FORMS = forms(FROM_AFTER)
_TO_AFTER_FORMS = forms(TO_AFTER)
_BORDER_FORMS = forms(BORDER)
_NATIONALITY_BEFORE_FORMS = forms(NATIONALITY_BEFORE)
_INSIDE_FORMS = forms(_INSIDE)
_TERRITORY_FORMS = forms(TERRITORY)
# words that make the country's name a place: «في ليبيا»، «جنوب ليبيا»، «أنحاء ليبيا»
_WHERE_BEFORE_FORMS = forms(
    _stems(
        "في", "داخل", "أنحاء", "أرجاء", "عموم", "ربوع", "مناطق", "مدن", "جنوب", "شمال", "شرق",
        "غرب", "وسط", "جنوبي", "شمالي", "شرقي", "غربي", "قلب", "عمق", "أراضي", "الأراضي", "تراب",
        "صحراء", "حدود", "الحدود", "سواحل", "قرب", "عند", "على",
    )
)  # fmt: skip
_PERSON_PAST_FORMS = forms(PERSON_PAST)


@dataclass(frozen=True, slots=True)
class PlaceMention:
    hit: Hit
    place: Place
    # home (HOME): a place of the watched country where something may have happened;
    # reference: a point to measure from, or part of a unit's name; foreign: the name of a
    # place in another country.
    status: str
    country: str | None = None
    reason: str = ""
    dateline: bool = False  # the name opens the text (طرابلس - …): where it was written
    motion: bool = False  # where people came from or went to (قادمة من ليبيا، باتجاه أوباري)
    adjective: bool = False  # the country by its adjective (مسؤول ليبي), not by its name
    unit: bool = False  # inside a unit's name (غرفة عمليات الكفرة): where the unit serves
    far_end: bool = False  # «الطريق بين سبها وتمنهنت»: the second end, named after the first
    state: bool = False  # the country's name as who acts (ليبيا تدين، تضامن ليبيا), not where

    @property
    def specificity(self) -> int:
        return self.place.specificity

    @property
    def weak(self) -> bool:
        """An adjective (مسؤول ليبي، الجيش الليبي) says who, not where, as the country's name
        does when no word of place stands before it (ليبيا تدين الهجوم); a dateline where the
        report was written; a place of departure or arrival where the people were not yet; a
        unit's name where the unit serves, which places an event only when nothing else does."""
        return self.dateline or self.motion or self.adjective or self.unit or self.state


@dataclass(frozen=True, slots=True)
class ForeignMention:
    hit: Hit
    country: str
    territory: bool = False  # the adjective follows «الأراضي، داخل»: it says where
    border: bool = False  # «قرب الحدود الجنوبية مع النيجر»: either side of it

    @property
    def weak(self) -> bool:
        """An adjective (الجيش السوري، سلاح الجو المصري) says who, not where; a border with
        the country may be crossed from either side."""
        adjective = bool(self.hit.term.data.get("adjective")) and not self.territory
        return adjective or self.border


# resolve builds a mention for every name it keeps: as its unfrozen twin, then made a
# PlaceMention (as the matcher builds its hits; tests hold it to PlaceMention(...)).
_new_object = object.__new__
_UnfrozenMention = unfrozen_twin(PlaceMention)


def _mention(
    hit: Hit,
    place: Place,
    status: str,
    country: str | None = None,
    reason: str = "",
    dateline: bool = False,
    motion: bool = False,
    adjective: bool = False,
    unit: bool = False,
    far_end: bool = False,
    state: bool = False,
) -> PlaceMention:
    """`PlaceMention(…)` with the same arguments and defaults."""
    mention: Any = _new_object(_UnfrozenMention)
    mention.hit = hit
    mention.place = place
    mention.status = status
    mention.country = country
    mention.reason = reason
    mention.dateline = dateline
    mention.motion = motion
    mention.adjective = adjective
    mention.unit = unit
    mention.far_end = far_end
    mention.state = state
    mention.__class__ = PlaceMention
    return mention  # type: ignore[no-any-return]


def _is_dateline(text: str, hit: Hit) -> bool:
    """The name opens a paragraph and a dash, colon, bracket or date follows (سبها 07 يونيو …)."""
    if hit.start == 0 or text[hit.start - 1] == "\n":
        rest = text[hit.end : hit.end + 3].lstrip()
        return bool(rest) and (rest[0] in "-:(/" or rest[0].isdigit())
    return False


def _has_cue(text: str, hit: Hit, country: Country, place_starts: frozenset[int]) -> bool:
    first, _, rest = hit.surface.partition(" ")
    if rest and first in _CUE_FORMS:
        return True  # the form carries its cue: حقل الشرارة (not «الشاطئ», a cue on its own)
    before = words_before(text, hit.start, 2)
    if before and before[0] in _CUE_FORMS:
        return True
    if len(before) == 2 and before[0] == "من" and before[1] in NEAR_FROM:
        return True  # «بالقرب من زلة»، «على مقربة من هون»
    after = words_after(text, hit.end, 1)
    if after and after[0] in country.after_place:
        return True  # «الخمس الليبية»: the country's word right after the name
    if after and after[0] in DIRECTIONS:
        # «في غدوة جنوب سبها»: a place located from another place is a place
        direction = text.find(after[0], hit.end)
        if direction + len(after[0]) + 1 in place_starts:
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


_APPOSITION = frozenset(normalise(w) for w in ("العاصمة", "مدينة", "بلدة", "واحة"))
_UNIT_NAME = "part of a unit's name"
_REGION_WORDS = _stems("منطقة", "لمنطقة", "بمنطقة", "المنطقة")
_MILITARY = re.compile(r"\s*(?:العسكريه|الامنيه)(?!\w)")
_FAR_END = "the far end of a stretch"
_BETWEEN = re.compile(r"(?<!\w)بين\s+(?:\S+\s+){0,2}\S+$")
# Each role below needs one of these words before the name: a distance, «تبعد عن», a military
# region, a unit or a direction.
_ROLE_WORDS = DISTANCE | AWAY_FROM | _REGION_WORDS | _UNIT_FORMS | DIRECTIONS


def _role_of_name(
    text: str, hit: Hit, place_ends: set[int], before: list[str], country: Country
) -> str | None:
    if hit.surface.startswith("و"):
        # «الطريق بين سبها وتمنهنت»: the stretch is named by its first end
        window_start = max(0, hit.start - 60)
        head = text[window_start : hit.start].rstrip()
        if window_start + len(head) in place_ends and _BETWEEN.search(head):
            return _FAR_END
    if _ROLE_WORDS.isdisjoint(before):
        return None  # most names: none of the words read below stands before them
    if not DISTANCE.isdisjoint(before):
        # «بلدة الفقهاء، على بعد 40 كيلومترا من سبها»: a place named before is where it
        # happened. With none before in the text («على بعد 40 كيلومترا جنوب سبها»), the town
        # is the nearest place the text gives, so it stays.
        word = next(w for w in before if w in DISTANCE)
        measured_at = text.rfind(word, 0, hit.start)
        if any(end <= measured_at for end in place_ends):
            return _MEASURED
    if len(before) > 1 and before[0] == "عن" and before[1] in AWAY_FROM:
        away = text.rfind("عن", 0, hit.start)
        if any(end <= away for end in place_ends):
            return _MEASURED
    if before and before[0] in _REGION_WORDS and _MILITARY.match(text, hit.end):
        # «آمر منطقة سبها العسكرية»: a military region's name, where its command sits
        return _UNIT_NAME
    nearest = before[:3]
    if not _UNIT_FORMS.isdisjoint(nearest):  # (most names: no unit's word before them)
        for word in nearest:
            # «كتيبة شهداء أم الأرانب»، «قوة حماية وتأمين سرت»: up to three words, no preposition
            if word in _PREPOSITIONS:
                break
            if word in _UNIT_FORMS:
                return _UNIT_NAME
    # «الزاوية غرب العاصمة الليبية طرابلس»: what names the place between it and the direction
    described = 0
    while described < min(2, len(before) - 1) and (
        before[described] in _APPOSITION or before[described] in country.after_place
    ):
        described += 1
    if described:
        before = before[described:]
    if before and before[0] in DIRECTIONS:
        # the direction word's start (of «جنوب غرب» its first word), then is a place name
        # right before it?
        word = before[1] if len(before) > 1 and before[1] in DIRECTIONS else before[0]
        direction_start = text.rfind(word, 0, hit.start)
        # where the text before it ends, blanks and commas aside (`text[:at].rstrip(" ,")`
        # without copying the text up to there)
        head_end = direction_start
        while head_end > 0 and text[head_end - 1] in " ,":
            head_end -= 1
        if head_end in place_ends:
            return "it locates the place named before it"
    return None


_FACILITY = _stems("مستشفى", "مستشفيات", "مركز", "مصحة")
_RECEIVED = _stems("استقبل", "يستقبل", "استقبلت", "تستقبل")


_SOURCE_HOSPITAL = "the hospital a source speaks from"
LOCAL_SOURCE = "the town a local source speaks from"
_SOURCE_WORDS = frozenset(normalise(w) for w in ("طبي", "طبية", "مصدر", "مصادر", "مسؤول", "مدير"))


_LOCAL_SOURCE = frozenset(normalise(w) for w in ("محلي", "محلية", "محليون", "محليين"))
_SOURCES = frozenset(normalise(w) for w in ("مصدر", "مصادر", "شهود", "سكان"))


def _local_source(before: list[str]) -> bool:
    """«أكد مصدر محلي في X»: the town a local source speaks from (often the victims' home)."""
    return (
        len(before) > 2
        and before[0] in ("في", "ب")
        and before[1] in _LOCAL_SOURCE
        and before[2] in _SOURCES
    )


_PRESS_CONFERENCE = "where a press conference was held"
_PRESS = frozenset(normalise(w) for w in ("صحفي", "صحفيا", "الصحفي", "صحافي", "صحافيا", "الصحافي"))
_CONFERENCE = frozenset(normalise(w) for w in ("مؤتمر", "مؤتمرا", "المؤتمر", "بمؤتمر"))


def _press_conference(before: list[str]) -> bool:
    """«عقد الناطق مؤتمرا صحفيا مساء اليوم في بنغازي»: where it was said, not where it happened."""
    if _PRESS.isdisjoint(before):
        return False  # most names
    return any(
        word in _PRESS and before[at + 1] in _CONFERENCE for at, word in enumerate(before[:-1])
    )


def _past_the_hospital_name(before: list[str], surface: str) -> list[str]:
    """«مستشفى ابن سينا بسرت»: the words before a town told as «in X» after a hospital's own
    name (one or two words), from the hospital's word on; else `before` as it is."""
    if surface.startswith("ب") and before and before[0] not in _FACILITY:
        for k in (1, 2):
            if len(before) > k + 1 and before[k] in _FACILITY:
                return before[k:]
    return before


def _source_in_hospital(before: list[str]) -> bool:
    """«مصدر طبي في مستشفى X»، «مدير مستشفى X»: X names the hospital a source speaks from."""
    if not before or before[0] not in _FACILITY:
        return False
    if len(before) > 1 and before[1] in _SOURCE_WORDS:
        return True  # «مدير مستشفى سبها»
    return len(before) > 2 and before[1] in ("في", "ب") and before[2] in _SOURCE_WORDS


def _is_motion(before: list[str]) -> bool:
    """The place is where people came from or went to (see TOWARDS, FROM_AFTER, TO_AFTER)."""
    if not before or _MOTION_WORDS.isdisjoint(before):
        return False
    if len(before) > 1 and before[0] in _FACILITY:
        before = before[1:]  # «نقلوا إلى مستشفى هون»: the hospital's town, where they were taken
        if before[0] == "الي" or before[0] in _RECEIVED:
            # «ونقل المصابان بطائرة مروحية إلى مستشفى هون»: however far the verb; «استقبل
            # مستشفى سرت جثماني جنديين»: where they were brought
            return True
    elif len(before) > 2 and (before[0] in _TERRITORY_FORMS or before[0] in _CUE_FORMS):
        # «هربت من الأراضي الليبية»، «قادمين من منطقة امساعد»: the word for the land between
        before = before[1:]
    first = before[0]
    if len(before) > 1 and first in _FOLK and before[1] == "من" and not _FUNERAL.isdisjoint(before):
        # «شيع المئات من أهالي مدينة براك»: the mourners' town, the victim's home (not «ثلاثة
        # من أبناء مدينة ودان», most often where it happened too)
        return True
    if len(before) > 1:
        # one look-up decides for most places: the word before is none of these
        if first == "من":
            # «قادمة من ليبيا»، «انطلقت قوة من سبها»: the verb right before, or before its subject;
            # «سائق من بلدة ودان»، «من سكان سرت»: where a person is from
            return (
                any(w in _FROM_AFTER_FORMS for w in before[1:3])
                or before[1] in _PERSON_FROM_FORMS
                # «سائق شاحنة من مدينة مصراتة»: a calling of two words
                or (len(before) > 2 and before[2] in _PERSON_FROM_FORMS)
                or _travels(before)
                # «تسللت عبر الحدود من ليبيا»: across the border, from where they came
                or (before[1] in _BORDER_FORMS and len(before) > 2 and before[2] == "عبر")
            )
        if first == "الي":
            return before[1] in _TO_AFTER_FORMS or _travels(before)
        if first == "مع":
            # «الحدود مع ليبيا»، «عبر الحدود الغربية مع ليبيا»: another country's border
            return _across_border(before) or _travels(before)
    return first in _TOWARDS_FORMS or _travels(before)


def _faced_from_abroad(text: str, names: list[tuple[Hit, Place]], watched: Country) -> set[int]:
    """«معبر رأس جدير الحدودي مع ليبيا»: the starts of the crossings named from the other side of
    the border."""
    found: set[int] = set()
    for hit, _ in names:
        if text.find("مع ", hit.end, hit.end + 24) < 0:
            continue  # most names: no «مع» right after them
        after = words_after(text, hit.end, 3)
        if (
            len(after) == 3
            and after[0] in _BORDER_FORMS
            and after[1] == "مع"
            and after[2] in watched.after_place
        ):
            found.add(hit.start)
    return found


def _across_border(before: list[str]) -> bool:
    """«الحدود مع النيجر»، «الحدود الجنوبية مع النيجر»: the words before a country's name."""
    return bool(before) and before[0] == "مع" and any(w in _BORDER_FORMS for w in before[1:3])


def _across_border_at(text: str, offset: int) -> bool:
    """`_across_border` of the words before `offset`. Its first word, «مع», is one of them only
    if it is among the 72 letters they are read from: most names are spared the reading."""
    if text.find("مع", max(0, offset - 72), offset) < 0:
        return False
    return _across_border(words_before(text, offset, 3))


def _border_of_two(text: str, offset: int, watched: Country) -> bool:
    """«على الحدود الليبية الجزائرية»: the other country's adjective after the watched one's,
    after a border word."""
    if text.find("حدود", max(0, offset - 40), offset) < 0:
        return False
    before = words_before(text, offset, 2)
    return len(before) == 2 and before[0] in watched.after_place and before[1] in _BORDER_FORMS


def _border_word_before(text: str, offset: int) -> bool:
    """The word right before `offset` is a border word (every form holds «حدود»)."""
    if text.find("حدود", max(0, offset - 24), offset) < 0:
        return False
    return any(w in _BORDER_FORMS for w in words_before(text, offset, 1))


def _travels(before: list[str]) -> bool:
    return any(w in _TRAVEL_FORMS for w in before[1:5])


# «سائق من بلدة ودان»: one person, then «من» and a place, is where he is from (not «ثلاثة
# من أبناء مدينة ودان»: a town's people are most often taken or killed in it)
PERSON_FROM = _stems(
    "سائق", "جندي", "شاب", "عامل", "مواطن", "رجل", "امرأة", "طالب", "تاجر", "مهندس", "طبيب",
    "موظف", "راع", "راعي", "شرطي", "ضابط", "متطوع", "رهينة", "مسافر", "مهاجر", "لاجئ", "شخص",
    "عنصر", "مسلح", "مقاتل", "متهم", "مشتبه",
)  # fmt: skip
_FOLK = _stems("أهالي", "سكان", "أبناء")
_FUNERAL = _stems("شيع", "شيعت", "وشيع", "وشيعت", "تشييع", "جنازة", "جثمان")
_PERSON_FROM_FORMS = forms(PERSON_FROM) | frozenset(f"{w}ا" for w in forms(PERSON_FROM))
# one person in the indefinite accusative (مواطنا، شابا، سائقا), with «و» or without
_PERSON_ACCUSATIVE = frozenset(f"{c}{w}ا" for w in PERSON_FROM for c in ("", "و"))
_KUNYA = frozenset(("ابو", "ابي", "ام"))
# Scans for any of a few strings between two offsets, without copying the letters between them
_KUNYA_BEFORE = re.compile("|".join(f"{re.escape(w)} " for w in sorted(_KUNYA)))
_NATIONALITY_AFTER_ANY = re.compile("|".join(map(re.escape, sorted(NATIONALITY_AFTER))))
_NATIONALITY_CORE_ANY = re.compile("|".join(map(re.escape, _NATIONALITY_CORES)))
# One set test rules motion out for most names: `_is_motion` says yes only with one of these
# words before the name (a verb or noun of motion, a person, a border, or a hospital to which
# the wounded were taken), not with «من، الي، مع» alone.
_MOTION_WORDS = (
    _FROM_AFTER_FORMS
    | _PERSON_FROM_FORMS
    | _TO_AFTER_FORMS
    | _BORDER_FORMS
    | _TOWARDS_FORMS
    | _TRAVEL_FORMS
    | _FACILITY
    | _FOLK
)


def _first_word(surface: str) -> str:
    """`surface.split(" ", 1)[0]`, without the list (most names are one word)."""
    space = surface.find(" ")
    return surface if space < 0 else surface[:space]


def _right_after_a_place(text: str, hit: Hit, place_ends: set[int]) -> bool:
    head_end = hit.start
    while head_end > 0 and text[head_end - 1] in " ,،":
        head_end -= 1
    return head_end in place_ends


def _kunya_nisba(text: str, hit: Hit) -> bool:
    """«أبو عائشة الليبي»، «أبو طلحة التونسي»: a fighter's name, not where anything happened."""
    if not _KUNYA_BEFORE.search(text, max(0, hit.start - 40), hit.start):
        return False  # most names: no kunya before them
    before = words_before(text, hit.start, 2)
    return len(before) == 2 and before[1] in _KUNYA


def _is_nationality(text: str, hit: Hit, place: Place) -> bool:
    if place.kind != "country":
        return False
    if _kunya_nisba(text, hit):
        return True
    # «نعت الخارجية مواطنا ليبيا قضى في هجوم إسطنبول»: after one person in the indefinite
    # accusative, «ليبيا» is the adjective «ليبيًّا» (the same letters once normalised), not the
    # country's name (read only when the word before ends in «ا»)
    if hit.surface.endswith("يا") and text[hit.start - 2 : hit.start] == "ا ":
        person = words_before(text, hit.start, 1)
        if person and person[0] in _PERSON_ACCUSATIVE:
            return True
    # The words are read only when the letters they are read from hold one of the lists' cores.
    if _NATIONALITY_AFTER_ANY.search(text, hit.end, hit.end + 24):
        after = words_after(text, hit.end, 1)
        if after and after[0] in NATIONALITY_AFTER:
            return True
    if not _NATIONALITY_CORE_ANY.search(text, max(0, hit.start - 48), hit.start):
        return False
    before = words_before(text, hit.start, 2)
    return bool(before) and (
        before[0] in _NATIONALITY_BEFORE_FORMS
        or (len(before) > 1 and before[0] == "اصل" and before[1] == "من")
    )


_NEXT_NAME_GAP = 16  # the letters between a quarter's name and its city's, at most


def _namesake_inside(
    text: str, hit: Hit, place: Place, following: tuple[Hit, Place] | None, before: list[str]
) -> str | None:
    """«منطقة الظهرة بطرابلس»: a quarter of the city named right after it, far from the field or
    town that shares its name; the city is the place. `before`: the words before the name."""
    if following is None or place.kind == "country":
        return None
    next_hit, city = following
    if (
        next_hit.start - hit.end > _NEXT_NAME_GAP
        or city.kind not in ("city", "town")
        or city.id == place.id
    ):
        return None  # (most names: no city right after them)
    if place.kind in _SETTLEMENTS and before[:1] != [_QUARTER]:
        # «واحة ربيانة بالكفرة» is the village in its district; «حي القرضة بمدينة سبها» is a
        # quarter of the city that bears a far village's name
        return None
    between = text[hit.end : next_hit.start].split()
    if any(w not in _INSIDE_FORMS for w in between):
        return None
    if not between and not next_hit.surface.startswith("ب"):
        return None
    if distance_km(place, city) < _NAMESAKE_KM:
        return None
    return f"a quarter of {city.name} by another place's name"


def _by_adjective(hit: Hit, place: Place, country: Country) -> bool:
    """The country's own entry matched by an adjective (الليبي، التونسية), not by a name."""
    if place.kind != "country":
        return False
    core = hit.surface[hit.core_start - hit.start : hit.core_end - hit.start]
    return country.names.isdisjoint(core.split())


# Every reading of the words before a name in `resolve` after the ones that settle it (its role,
# a press conference, a hospital, motion, a past stay, a local source) says yes only with one of
# these words among them: one set test spares most names all of them.
_READ_WORDS = _ROLE_WORDS | _PRESS | _FACILITY | _MOTION_WORDS | _TOWN_PAST_FORMS | _LOCAL_SOURCE


def resolve(
    text: str, hits: Iterable[Hit], sentences: Sentences, watched: Country
) -> tuple[list[PlaceMention], list[ForeignMention]]:
    """Each place hit judged the watched country's (HOME), foreign or a reference; rejected
    hits are left out. The gazetteer's places are the `watched` country's."""
    foreign: list[ForeignMention] = []
    candidates: list[tuple[Hit, Place]] = []
    # a country's adjective (الجيش الليبي قرب بلدة …) says who, not where: nothing is located
    # from it
    place_ends: set[int] = set()
    cue_required = False
    # one pass over the hits: the foreign names, the candidates, the ends of places
    for hit in hits:
        term = hit.term
        role = term.role
        if role == "place":
            place: Place = term.data["place"]
            if place.kind != "country" or not _by_adjective(hit, place, watched):
                place_ends.add(hit.end)
            if ((place.not_before or place.not_after) and _blocked(text, hit, place)) or (
                place.kind == "country" and _is_nationality(text, hit, place)
            ):
                continue
            candidates.append((hit, place))
            cue_required = cue_required or place.cue_required
        elif role == "foreign":
            adjective = bool(term.data.get("adjective"))
            if not adjective:
                place_ends.add(hit.end)
            # «على الحدود الليبية الجزائرية»: the border between the two, not a place abroad
            if not _kunya_nisba(text, hit) and not (
                adjective and _border_of_two(text, hit.start, watched)
            ):
                foreign.append(
                    ForeignMention(
                        hit,
                        str(term.data["country"]),
                        territory=adjective
                        and any(w in _TERRITORY_FORMS for w in words_before(text, hit.start, 1)),
                        border=_across_border_at(text, hit.start),
                    )
                )

    # «سوسة التونسية»، «طرابلس شمال لبنان»: a country's word right after a shared name settles
    # it, and says it is a place at all
    foreign_at = {m.hit.start: m.country for m in foreign}

    def country_after(hit: Hit) -> str | None:
        rest = text[hit.end : hit.end + 4]
        return foreign_at.get(hit.end + len(rest) - len(rest.lstrip(" ,(-")))

    if cue_required:
        # A name that is also a word counts when one of its mentions carries a cue: a text that
        # says «مدينة الخمس» once means the town every time it says «الخمس».
        starts = frozenset(h.start for h, _ in candidates)
        confirmed = {
            p.id for h, p in candidates if p.cue_required and _has_cue(text, h, watched, starts)
        }
        # «حقلي الباهي والمبروك»: a name joined by و right after a confirmed one shares its cue
        for (previous, known), (hit, place) in pairwise(candidates):
            if (
                place.cue_required
                and place.id not in confirmed
                and hit.surface.startswith("و")
                and previous.end + 1 == hit.start
                and (known.id in confirmed or not known.cue_required)
                and known.kind == place.kind
            ):
                confirmed.add(place.id)
        candidates = [
            (h, p)
            for h, p in candidates
            if not p.cue_required
            or p.id in confirmed
            or (p.shared_with and country_after(h) in p.shared_with)
        ]

    # «معبر رأس جدير الحدودي مع ليبيا»: crossings named from abroad, read once
    from_abroad = _faced_from_abroad(text, candidates, watched)
    # the five words before each name, read once for the two passes below (by the name's start)
    five_before: dict[int, list[str]] = {}

    def words_before_name(hit: Hit) -> list[str]:
        found = five_before.get(hit.start)
        if found is None:
            found = five_before[hit.start] = words_before(text, hit.start, 5)
        return found

    foreign_anywhere = {m.country for m in foreign}
    # The counts settle only names relative to the country (جنوب البلاد) and names shared with
    # a country the text names: most texts have neither, and are spared reading them.
    counted = (
        candidates
        if any(
            hit.term.data.get("relative") or not foreign_anywhere.isdisjoint(place.shared_with)
            for hit, place in candidates
        )
        else []
    )
    home_sentences: dict[int, int] = {}
    for hit, place in counted:
        if hit.start in from_abroad:
            continue
        if not place.shared_with and not hit.term.data.get("relative"):
            if place.kind == "country" and (
                _border_word_before(text, hit.start) or _across_border_at(text, hit.start)
            ):
                # «تسللوا من الحدود الليبية»، «معبر رأس جدير الحدودي مع ليبيا»: Libya's border
                # places nothing in Libya
                continue
            if _is_motion(words_before_name(hit)):
                # «تسللت من الجنوب الليبي»: where people came from does not say the sentence is
                # about the country, so it settles no shared name
                continue
            index = sentences.index(hit.start)
            home_sentences[index] = home_sentences.get(index, 0) + 1
    foreign_by_sentence: dict[int, set[str]] = {}
    for mention in foreign:
        foreign_by_sentence.setdefault(sentences.index(mention.hit.start), set()).add(
            mention.country
        )

    # a text about the country names one of its places as where something is, not only its
    # border or where people came from («تحديات على حدودها الشمالية مع ليبيا»)
    home_elsewhere = bool(home_sentences)
    mentions: list[PlaceMention] = []
    motion_ends: set[int] = set()
    for number, (hit, place) in enumerate(candidates):
        if _first_word(hit.surface) in DIRECTIONS and _right_after_a_place(text, hit, place_ends):
            # «أوباري جنوب ليبيا»: right after a place, a region named by its direction locates
            # it and is no place of its own (where Ubari is a fighter's home town, nothing
            # happened in the south)
            mentions.append(
                _mention(hit, place, "reference", None, "it locates the place named before it")
            )
            continue
        if hit.term.data.get("relative"):
            # «جنوب البلاد» is a region of the country only in a text about it, and not in a sentence
            # about another country
            index = sentences.index(hit.start)
            if home_elsewhere and (index not in foreign_by_sentence or home_sentences.get(index)):
                mentions.append(_mention(hit, place, HOME, reason="the country's part"))
            continue
        if place.shared_with:
            index = sentences.index(hit.start)
            next_country = country_after(hit)
            if next_country is not None and next_country in place.shared_with:
                mentions.append(
                    _mention(
                        hit, place, "foreign", next_country, f"«{hit.surface}» of {next_country}"
                    )
                )
                continue
            here = foreign_by_sentence.get(index, set()) & set(place.shared_with)
            if here and not home_sentences.get(index):
                country = sorted(here)[0]
                mentions.append(
                    _mention(hit, place, "foreign", country, f"{country} named in the sentence")
                )
                continue
            elsewhere = foreign_anywhere & set(place.shared_with)
            if not here and elsewhere and not home_sentences:
                country = sorted(elsewhere)[0]
                mentions.append(
                    _mention(hit, place, "foreign", country, f"{country} named in the text")
                )
                continue
        if hit.start in from_abroad:
            mentions.append(_mention(hit, place, "reference", None, "the border seen from abroad"))
            continue
        before = words_before_name(hit)
        # most names: no word before them that one of the readings below looks for
        plain = _READ_WORDS.isdisjoint(before)
        reference = None
        if not plain or hit.surface.startswith("و"):
            reference = _role_of_name(text, hit, place_ends, before, watched)
        if reference is None and number + 1 < len(candidates):
            following = candidates[number + 1]
            if following[0].start - hit.end <= _NEXT_NAME_GAP:  # (most names: no name after)
                reference = _namesake_inside(text, hit, place, following, before)
        if reference == _FAR_END:
            mentions.append(_mention(hit, place, HOME, reason=reference, far_end=True))
            continue
        if reference == _UNIT_NAME:
            # «أعلنت غرفة عمليات الكفرة أن مسلحين هاجموا بوابة جنوب المدينة»
            mentions.append(_mention(hit, place, HOME, reason=reference, unit=True))
            continue
        if reference:
            mentions.append(_mention(hit, place, "reference", None, reference))
            continue
        if not plain and _press_conference(before):
            # ranked like a unit's name: the place of the news comes first, this one still
            # places a statement that names no other
            mentions.append(_mention(hit, place, HOME, reason=_PRESS_CONFERENCE, unit=True))
            continue
        if not plain:
            before = _past_the_hospital_name(before, hit.surface)
        if not plain and _source_in_hospital(before):
            # «قال مصدر طبي في مستشفى رأس لانوف»: where the source speaks, ranked like a unit's
            # name (the wounded of a clash 50 km off are brought there)
            mentions.append(_mention(hit, place, HOME, reason=_SOURCE_HOSPITAL, unit=True))
            continue
        # «باتجاه أوباري ومرزق»: the places joined to a place of departure or arrival are too
        motion = (
            (not plain and _is_motion(before))
            or (hit.surface.startswith("و") and hit.start - 1 in motion_ends)
            or (
                place.kind == "country"
                and not _PERSON_PAST_FORMS.isdisjoint(
                    words_before(text, hit.start, _PERSON_PAST_REACH)
                )
            )
            or (
                # the set test first: it rules out most names, the substring scans the rest
                not plain
                and not _TOWN_PAST_FORMS.isdisjoint(before[:_TOWN_PAST_REACH])
                and any(
                    core in text[max(0, hit.start - 60) : hit.start] for core in _TOWN_PAST_CORES
                )
            )
        )
        if motion:
            motion_ends.add(hit.end)
            if place.kind == "country":
                # «أسلحة قادمة من ليبيا»، «التسلل إلى ليبيا»: crossing the country's border
                # places nothing in it, unlike «انطلقت قوة من سبها» (a town in Libya still)
                mentions.append(_mention(hit, place, "reference", None, "crossing its border"))
                continue
        # «من الجانب الليبي»، «داخل الأراضي الليبية»: the adjective after a word for territory
        # says where, as the name does
        adjective = (
            place.kind == "country"
            and _by_adjective(hit, place, watched)
            and not (bool(before) and before[0] in _TERRITORY_FORMS)
        )
        if adjective and before and before[0] in _PERSON_FROM_FORMS:
            # «توقيف شاب ليبي في مدينة باري»: a person's nationality, not where it happened
            mentions.append(_mention(hit, place, "reference", None, "a person's nationality"))
            continue
        # (a dateline opens the text or a line: most names are spared the call)
        dateline = (hit.start == 0 or text[hit.start - 1] == "\n") and _is_dateline(text, hit)
        # «ليبيا تدين الهجوم»، «تضامن ليبيا مع …»: the country's name with no word of place
        # before it (في، داخل، جنوب …) and no clitic on it (بليبيا) is the state, who acts
        state = (
            place.kind == "country"
            and not adjective
            and not dateline
            and not motion
            and (hit.start == 0 or not text[hit.start - 1].isalpha())
            and not (bool(before) and before[0] in _WHERE_BEFORE_FORMS)
        )
        mentions.append(
            _mention(
                hit,
                place,
                HOME,
                dateline=dateline,
                motion=motion,
                adjective=adjective,
                reason=LOCAL_SOURCE if not plain and _local_source(before) else "",
                state=state,
            )
        )
    return _measured_from(mentions, words_before_name), foreign


_MEASURED = "a distance is measured from it"
_MEASURED_ELSEWHERE = "a distance is measured from it elsewhere in the text"


def _measured_from(
    mentions: list[PlaceMention], words_before_name: Callable[[Hit], list[str]]
) -> list[PlaceMention]:
    """«انفجار … شرق طرابلس»، then «قرب بويرات الحسون، على بعد 60 كم غربي سرت، شرقي طرابلس
    بنحو 450 كم»: a city the text measures a distance from is a point to measure from where it
    is named only by a direction too, when the text places the event at another town."""
    measured = {m.place.id for m in mentions if m.status == "reference" and m.reason == _MEASURED}
    if not measured:
        return mentions
    elsewhere = any(
        m.status == HOME and m.place.id not in measured and m.place.kind != "country"
        for m in mentions
    )
    if not elsewhere:
        return mentions
    return [
        _mention(m.hit, m.place, "reference", None, _MEASURED_ELSEWHERE)
        if m.status == HOME
        and m.place.id in measured
        and (before := words_before_name(m.hit))
        and before[0] in DIRECTIONS
        else m
        for m in mentions
    ]
