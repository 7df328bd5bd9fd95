"""Facts of an incident report: casualty counts by side, and the day of the event."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import ahocorasick

from crawler.detect.facts.casualties import CasualtyMention, sentence_casualties, summarise
from crawler.detect.facts.dates import DateMention
from crawler.detect.lexicon import load
from crawler.detect.text.sentences import Sentences, words_before


@dataclass(frozen=True)
class CasualtyCount:
    who: str  # victims | security forces | civilians | militants
    killed: int | None = None
    injured: int | None = None


# Sentences worth reading for counts: a cheap test before tokenising, any of these anywhere
# (inside a word too), in one Aho-Corasick pass (a regex alternation tries each at every letter).
_CASUALTY_HINTS = (
    "قتل", "قتيل", "مقتل", "اصاب", "اصيب", "جرح", "جريح", "مصاب", "وفاه", "مصرع", "استشهاد",
    "استشهد", "شهيد", "شهدا", "اعدم", "اعدام", "ذبح", "اودي", "اودت", "ضحايا", "ضحيه",
    "حصيله", "جثث", "جثه", "تصفيه", "اغتيال", "اغتال", "لقوا", "حتف", "سقوط", "بحياه",
    "خسر", "تكبد", "فقد", "صلب", "رووس", "بشريه", "قضوا", "قضي", "قتلا", "اردو", "اردا",
    "اردت", "جثامين", "جثمان", "توفي",
)  # fmt: skip
_CASUALTY_HINT = ahocorasick.Automaton()
for _hint in _CASUALTY_HINTS:
    _CASUALTY_HINT.add_word(_hint, _hint)
_CASUALTY_HINT.make_automaton()
# A sentence about another, earlier event than the one reported (الهجوم الذي سبقه، في وقت سابق،
# هجوم مماثل): its counts and dates are not this incident's.
# «يذكر أن …»، «يشار إلى أن …»: background, not the news.
_OTHER_EVENT_WORDS = (
    "سبق", "في وقت سابق", "العام الماضي", "الشهر الماضي", "مماثل", "يذكر ان", "يشار الي ان",
    "الجدير بالذكر", "جدير بالذكر",
)  # fmt: skip
_ANY_ENDING = {"سبق", "مماثل"}  # سبقه، سبقها، مماثلة
_OTHER_EVENT = re.compile(
    r"(?<!\w)(?:"
    + "|".join(w + (r"\w*" if w in _ANY_ENDING else "") for w in _OTHER_EVENT_WORDS)
    + ")"
)
_YEAR = re.compile(r"(?:عام|العام|سنه)\s+(\d{4})")
# Words before a date that tie it to the announcement, not to the event (أعلن … الثلاثاء), and
# words that make it an earlier event's (سبق، منذ): data/lexicons/report.yaml.
_LEXICON = load("report")
_ANNOUNCED = _LEXICON.words("announced")
_EARLIER = _LEXICON.words("earlier")


def has_casualty_words(text: str) -> bool:
    return next(_CASUALTY_HINT.iter(text), None) is not None


def other_event_sentences(sentences: Sentences, today: date | None) -> set[int]:
    # One pass over the whole text, not one per sentence: a match that spans a sentence end
    # is none, as it would be read sentence by sentence.
    text = sentences.text
    found = set()
    # Most texts hold none of the words: substring tests spare them the pattern's scan.
    worth_a_scan = any(word in text for word in _OTHER_EVENT_WORDS)
    for match in _OTHER_EVENT.finditer(text) if worth_a_scan else ():
        index = sentences.index(match.start())
        if (
            match.group(0) == "في وقت سابق"
            and set(words_before(text, match.start(), 3)) & _ANNOUNCED
        ):
            continue  # «صرح في وقت سابق»: said earlier, of this same event
        if index == sentences.index(match.end() - 1):
            found.add(index)
    if today is not None:
        for match in _YEAR.finditer(text):
            index = sentences.index(match.start())
            if int(match.group(1)) < today.year and index == sentences.index(match.end() - 1):
                found.add(index)
    return found


def sentence_casualty_mentions(
    sentences: Sentences, index: int
) -> tuple[list[CasualtyMention], bool]:
    """The casualty counts of one sentence, and whether it says there were none."""
    text = sentences.sentence(index)
    if not has_casualty_words(text):
        return [], False
    return sentence_casualties(text, index)


def casualty_facts(
    mentions: list[CasualtyMention], zero: set[int], order: Sequence[int]
) -> tuple[int | None, int | None, list[CasualtyCount], list[str]]:
    summary = summarise(mentions, zero, order)
    counts = [CasualtyCount(who, killed, injured) for who, killed, injured in summary.by_group]
    return summary.killed, summary.injured, counts, summary.notes


def event_date(
    text: str,
    dates: Sequence[DateMention],
    sentences: Sentences,
    order: Sequence[int],
    today: date | None,
) -> tuple[date | None, str]:
    """The day of the event and how it was found.

    The first date in the incident's own sentences that is not the announcement's day or an
    earlier event's (سبق أن سيطر … في نهاية أيار), then one in the lead, then the publication day.
    """
    by_sentence: dict[int, list[DateMention]] = {}
    for mention in dates:
        if mention.precision == "year":
            continue
        by_sentence.setdefault(sentences.index(mention.start), []).append(mention)
    for index in order:
        candidates = []
        for mention in by_sentence.get(index, ()):
            before = set(words_before(text, mention.start, 6))
            if before & _EARLIER:
                continue
            if today is not None and mention.value > today:
                continue
            announced = bool(set(words_before(text, mention.start, 4)) & _ANNOUNCED)
            candidates.append((announced, mention))
        if candidates:
            event = [m for announced, m in candidates if not announced]
            chosen = min(event, key=lambda m: m.value) if event else candidates[0][1]
            how = "the text says «" + chosen.text.strip() + "»"
            return chosen.value, how
    if today is not None:
        return today, "the publication date (the text gives no date of its own)"
    return None, "no publication date and no date in the text"
