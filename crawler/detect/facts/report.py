"""Facts of an incident report: casualty counts by side, and the day of the event."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import ahocorasick

from crawler.detect.facts.casualties import TESTS, CasualtyMention, sentence_casualties, summarise
from crawler.detect.facts.dates import MONTHS, DateMention
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
    "اردت", "جثامين", "جثمان", "توفي", "توفو", "ضحيت", "خساير", "ارواح", "يصب", "اذي",
    "اضرار", "لقي", "قضت", "وفيات", "وفات", "جثت", "ارتق",
    "سقطوا", "نعي", "نعت",  # a roll of names «الذين سقطوا»، mourned «نعى، ينعى، نعت»
    "ماتو", "تعور", "تصاوب",  # a Libyan witness: «ماتوا فيها تلاتة وتعوروا خمسة»
    "علاج", "يرقد",  # under treatment: «ما زالا يتلقيان العلاج»، «يرقدون في المستشفى»
    "فارق",  # «ثلاثة منهم فارقوا الحياة»
    "اغتيل", "موتي",  # «اغتيل الشيخ …»، «أربعة موتى»
    "ميت", "مجروح",  # a Libyan mayor: «لا ميت لا مجروح»
    "تاذ", "اتصاب", "انصاب", "حد مات", "يمت", "يصاب", "تصاب",  # «لم يتأذ أحد»، «محدش اتصاب»، «ما فيش حد مات»
    "الوحيد",  # «جريح الهجوم الوحيد»
    "جروح",  # «ونجا السائق بجروح»
)  # fmt: skip
_CASUALTY_HINT = ahocorasick.Automaton()
for _hint in _CASUALTY_HINTS:
    _CASUALTY_HINT.add_word(_hint, _hint)
_CASUALTY_HINT.make_automaton()
# A sentence about another, earlier event than the one reported (الهجوم الذي سبقه، في وقت سابق،
# هجوم مماثل): its counts and dates are not this incident's.
# «يذكر أن …»، «يشار إلى أن …»: background, not the news.
_OTHER_EVENT = re.compile(
    r"(?<!\w)(?:سبق\w*|في وقت سابق|العام الماضي|الشهر الماضي|مماثل\w*"
    r"|يذكر ان|يشار الي ان|الجدير بالذكر|جدير بالذكر"
    # «ومن جهة أخرى، قتل شخصان في حادث سير»: the text turns to another event
    r"|من جهه اخري|في سياق (?:اخر|منفصل)|في حادث(?:ه)? (?:اخر|اخري|منفصل|منفصله)|حادث سير"
    # «وأعاد الهجوم إلى الأذهان ما شهدته البلدة …»، «لم تنس البلدة بعد الهجوم الذي …»: memory
    r"|الي الاذهان|لم (?:تنس|ينس|ننس)(?!\w)"
    # «قتل المئات في تلك السنوات»: a time the text already placed in the past
    r"|(?:في|خلال|طوال) (?:تلك (?:السنوات|الاعوام|الفتره|المرحله|الحقبه)|ذلك العام)"
    # «الهجوم على معسكر تجرهي قبل عامين»، «قبل أكثر من عشر سنوات»: a year and more ago is an
    # earlier event (not «قبل سنوات»، a frame of history, nor «قبل أيام»)
    r"|قبل (?:(?:اكثر من|نحو|حوالي|قرابه) )?(?:عام(?:ين)?|سنه|سنتين"
    r"|(?:\d{1,2}|ثلاث|اربع|خمس|ست|سبع|ثماني|تسع|عشر) سنوات"
    r"|(?:\d{1,2}|ثلاثه|اربعه|خمسه|سته|سبعه|ثمانيه|تسعه|عشره) اعوام)(?!\w))"
)
# Where a match of _OTHER_EVENT can start: every branch opens with one of these words (keep them
# with the pattern). One Aho-Corasick pass finds them; the pattern is tried only there.
_OTHER_EVENT_HEADS = (
    "سبق", "في وقت سابق", "العام الماضي", "الشهر الماضي", "مماثل", "يذكر ان", "يشار الي ان",
    "الجدير بالذكر", "جدير بالذكر", "من جهه اخري", "في سياق ", "في حادث", "حادث سير",
    "في تلك", "خلال تلك", "طوال تلك", "في ذلك العام", "خلال ذلك العام", "طوال ذلك العام",
    "قبل ", "الي الاذهان", "لم تنس", "لم ينس", "لم ننس",
)  # fmt: skip
_OTHER_EVENT_HEAD = ahocorasick.Automaton()
for _head in _OTHER_EVENT_HEADS:
    _OTHER_EVENT_HEAD.add_word(_head, len(_head))
_OTHER_EVENT_HEAD.make_automaton()
_BACKGROUND = re.compile(r"يذكر ان|يشار الي ان|الجدير بالذكر|جدير بالذكر")
# A sentence that says «أمس» or «اليوم» tells the news, whatever it adds about years ago
TODAY = re.compile(r"(?<!\w)(?:اليوم|امس|الامس)(?!\w)")
# A year the text names: «عام 2015»، «بين عامي 2014 و2017» (the dual names the first year),
# «مطلع 2016»، «أواخر 2019»; a bare year after «في، بين، منذ» («بين 2021 و2025»، «في 2026»،
# «منذ 2014») and a month's name with no day before it («في مارس 2015»، «تشرين الأول 2016»).
# Only the figures are searched for; the words before each say whether it is a year.
_YEAR_FIGURE = re.compile(r"(?<![\d/.,-])(\d{4})(?![\d/])")
_YEAR_HEADS = frozenset(
    (
        "عام", "العام", "عامي", "سنه", "سنتي", "مطلع", "اوايل", "اواخر", "منتصف", "بدايه",
        "نهايه", "خريف", "ربيع", "صيف", "في", "بين", "منذ",
    )
)  # fmt: skip


_PAIRED = str.maketrans("/()", "   ")


def named_years(text: str) -> Iterator[tuple[int, int, int]]:
    """(year, start, end) of each year the text names by a word before it (`_YEAR_HEADS`)."""
    for match in _YEAR_FIGURE.finditer(text):
        year = int(match.group(1))
        if year < 1900:
            continue
        # «أكتوبر/تشرين الأول 2018»، «فبراير (شباط) 2015»: a month told in two calendars
        words = text[max(0, match.start() - 32) : match.start()].translate(_PAIRED).split()
        if not words:
            continue
        month = 2 if " ".join(words[-2:]) in MONTHS else 1 if words[-1] in MONTHS else 0
        if month:
            if len(words) > month and words[-month - 1].isdigit():
                continue  # a full date («طرابلس 3 مارس 2017 /»: a dateline) is a date's
        elif words[-1] not in _YEAR_HEADS:
            continue
        yield year, match.start(), match.end()


# «وكان مستشفى مصراتة قد أعلن، الأسبوع الماضي، …»: a sentence that opens in the pluperfect and
# dates itself before the news tells an earlier event («وكان مدير الأمن قد أعلن أن الهجوم …»
# alone may tell this one).
_PLUPERFECT = re.compile(r"^\W*و?(?:كان|كانت|كانوا)\s+(?:\S+\s+){0,6}?قد\s")
_BEFORE_THE_NEWS = re.compile(r"الاسبوع الماضي|الاسابيع الماضيه|قبل (?:ايام|اسابيع|اشهر|شهر|اسبوع)")
# Words before a date that tie it to the announcement, not to the event (أعلن … الثلاثاء), and
# words that make it an earlier event's (سبق، منذ): data/lexicons/report.yaml.
_LEXICON = load("report")
_ANNOUNCED = _LEXICON.words("announced")
_EARLIER = _LEXICON.words("earlier")
_DEVELOPMENT = _LEXICON.ordered("development")
_NOWADAYS = _LEXICON.words("nowadays")
# read by the detector: the actor named in a denial or a likeness is not the actor
DENIAL = _LEXICON.words("denial")
NEW_STATEMENT = _LEXICON.words("new_statement")
NO_LINK = frozenset(_LEXICON.pairs("no_link"))
LIKENED = _LEXICON.words("likened")
RECEIVED = _LEXICON.words("received")
# (not _BACKGROUND above: that one is «يذكر أن», background told after the news)
_BACKGROUND_CLAUSE = re.compile(
    r"(?:^|\s)(?:" + "|".join(map(re.escape, _LEXICON.ordered("background"))) + r")\s"
)


def in_background_clause(text: str, sentence_start: int, start: int, news: int) -> bool:
    """The words at `start` sit in a clause of background that opens the sentence and ends, at a
    comma, before the news at `news`: «في وقت يحذر فيه خبراء …، هاجم …»."""
    return (
        start < news
        and _BACKGROUND_CLAUSE.search(text, sentence_start, start) is not None
        and any(comma in text[start:news] for comma in "،,")
    )


_CORRECTION = re.compile(
    r"(?:^|\s)(?:" + "|".join(map(re.escape, _LEXICON.ordered("correction"))) + r")\s"
)


def corrects(text: str, start: int, incidents: Sequence[int], end: int) -> bool:
    """After the denial at `start`, before `end` (its sentence's end), words that say what did
    happen («مؤكدا أن ما حدث هو …») come before one of the incident words at `incidents`."""
    found = _CORRECTION.search(text, start, end)
    return found is not None and any(found.end() <= at < end for at in incidents)


def says_nowadays(text: str, today_end: int) -> bool:
    """The «اليوم» that ends at `today_end` means "nowadays": «الجيش اليوم أقوى»."""
    following = text[today_end : today_end + 16].split(maxsplit=2)
    if not following or following[0] not in _NOWADAYS:
        return False
    # an elative compares only before «من»: «أخطر هجوم» is a superlative, an event's
    return following[0] in _BECOMING or (len(following) > 1 and following[1] == "من")


_BECOMING = frozenset(("بات", "باتت", "اصبح", "اصبحت"))


def corrected_after(text: str, start: int) -> bool:
    """Words that say what did happen come after `start` in its sentence («مؤكدة أن ما حدث هو
    هجوم …»، «وإنما هاجم …»): the denial before them corrects a rumour, it denies no actor."""
    ends = [at for at in (text.find(end, start) for end in ".!?\n") if at >= 0]
    return _CORRECTION.search(text, start, min(ends, default=len(text))) is not None


def opens_a_development(sentence: str) -> bool:
    """The sentence opens on a development of its own: «وفي سياق متصل، …»."""
    head = sentence.lstrip(" \n\t-–|")
    head = head[1:] if head.startswith("و") else head
    return head.startswith(_DEVELOPMENT)


def has_casualty_words(text: str) -> bool:
    return next(_CASUALTY_HINT.iter(text), None) is not None


def other_event_sentences(
    sentences: Sentences, today: date | None, earlier_only: bool = False
) -> set[int]:
    """Sentences about another event than the news; with `earlier_only`, only those that say it
    came before (سبق، مماثل، a past year), not «يذكر أن» background, which may be this event's."""
    others, earlier = other_and_earlier_event_sentences(sentences, today)
    return earlier if earlier_only else others


def other_and_earlier_event_sentences(
    sentences: Sentences, today: date | None, heads: Iterable[int] | None = None
) -> tuple[set[int], set[int]]:
    """`other_event_sentences` without and with `earlier_only`, from one pass over the text
    (`heads`: where OTHER_EVENT_HEADS open a word, when a matcher found them)."""
    # One pass over the whole text, not one per sentence: a match that spans a sentence end
    # is none, as it would be read sentence by sentence.
    text = sentences.text
    others: set[int] = set()
    earlier: set[int] = set()
    for match in _other_event_matches(text, heads):
        index = sentences.index(match.start())
        if (
            match.group(0) == "في وقت سابق"
            and set(words_before(text, match.start(), 3)) & _ANNOUNCED
        ):
            continue  # «صرح في وقت سابق»: said earlier, of this same event
        if match.group(0).startswith("قبل") and TODAY.search(sentences.sentence(index)):
            continue  # «الانتحاري الذي فجر نفسه أمس … التحق بالتنظيم قبل عامين»: the news's
        if index == sentences.index(match.end() - 1):
            others.add(index)
            if not _BACKGROUND.fullmatch(match.group(0)):
                earlier.add(index)
    for index in _sentences_holding(sentences, "كان"):  # every match holds «كان»
        sentence = sentences.sentence(index)
        if _PLUPERFECT.match(sentence) and _BEFORE_THE_NEWS.search(sentence):
            others.add(index)
            earlier.add(index)
    if today is not None:
        for year, start, end in named_years(text):
            index = sentences.index(start)
            if year < today.year and index == sentences.index(end - 1):
                if describes_a_place(text, sentences.spans[index][0], start):
                    continue
                others.add(index)
                earlier.add(index)
    return others, earlier


def _sentences_holding(sentences: Sentences, word: str) -> list[int]:
    """The sentences that hold `word`, in order: one scan of the text, not a slice of each."""
    text = sentences.text
    found: list[int] = []
    at = text.find(word)
    while at >= 0:
        index = sentences.index(at)
        start, end = sentences.spans[index]
        if start <= at and at + len(word) <= end and (not found or found[-1] != index):
            found.append(index)
        at = text.find(word, at + 1)
    return found


# «هاجموا اليوم دورية في أوباري، في البلدة التي شهدت هجمات بين عامي 2019 و2021»: a relative
# clause on a place tells the place's history, not when the news happened. Only a place: in
# «صورا لعناصر داعش، الذين فجروا … عام 2016» the clause is the old event itself.
_PLACE_RELATIVE = re.compile(
    r"(?<!\S)(?:ال)?(?:مدينه|بلده|منطقه|قريه|واحه|ضاحيه|حي|مدن|بلدات|مناطق)\s+(?:التي|الذي)(?!\S)"
)


def describes_a_place(text: str, sentence_start: int, year_at: int) -> bool:
    """The year at `year_at` sits in a relative clause on a place, after a comma, in a sentence
    that told an event «اليوم» or «أمس» before the clause: the place's past, not the news's
    date."""
    clause_start = max(text.rfind(comma, sentence_start, year_at) for comma in "،,")
    if clause_start < 0:
        return False
    if _PLACE_RELATIVE.search(text, clause_start, year_at) is None:
        return False
    head = text[sentence_start:clause_start]
    # the head tells today's event itself («زار الوزير اليوم سرت، المدينة التي …» tells none)
    return TODAY.search(head) is not None and (
        has_casualty_words(head) or _ATTACK_HINT.search(head) is not None
    )


_ATTACK_HINT = re.compile(r"هاجم|هجوم|استهدف|فجر|تفجير|خطف|كمين")


# Every branch of _OTHER_EVENT opens after (?<!\w): where a head has a letter or a digit before
# it, the pattern cannot match. The detector's matcher notes the heads that open a word in its
# own pass over the text (OTHER_EVENT_HEADS are its marks), sparing this module another pass.
OTHER_EVENT_HEADS = _OTHER_EVENT_HEADS
assert _OTHER_EVENT.pattern.startswith(r"(?<!\w)(?:") and _OTHER_EVENT.pattern.endswith(")")


def _other_event_matches(text: str, heads: Iterable[int] | None = None) -> list[re.Match[str]]:
    """`_OTHER_EVENT.finditer(text)`, the pattern tried only where one of its heads starts
    (`heads`: those starts, or at least those that open a word; found here when not given)."""
    if heads is None:
        heads = [end - length + 1 for end, length in _OTHER_EVENT_HEAD.iter(text)]
    starts = sorted(set(heads))
    found: list[re.Match[str]] = []
    taken_to = 0  # the matches of finditer do not overlap
    for start in starts:
        if start < taken_to:
            continue
        match = _OTHER_EVENT.match(text, start)
        if match is not None:
            found.append(match)
            taken_to = match.end()
    return found


def opens_as_earlier(sentence: str, today: date | None) -> bool:
    """The sentence is about an earlier event from its first clause on («وكانت خلايا لداعش قد
    نفذت هجمات مماثلة»), not in a clause added to the news («…، مضيفا أن التنظيم نفذ هجوما
    مماثلا قبل عامين»)."""
    if _PLUPERFECT.match(sentence):
        return True
    head = sentence.split(",", 1)[0]
    if any(not _BACKGROUND.fullmatch(m.group(0)) for m in _OTHER_EVENT.finditer(head)):
        return True
    return today is not None and any(year < today.year for year, _, _ in named_years(head))


def sentence_casualty_mentions(
    sentences: Sentences, index: int
) -> tuple[list[CasualtyMention], frozenset[str]]:
    """The casualty counts of one sentence, and the kinds it says there were none of."""
    text = sentences.sentence(index)
    tests: set[str] = set()  # one pass for has_casualty_words and the tests of the reading
    for _, met in _HINTS_AND_TESTS.iter(text):
        tests |= met
    if "casualty" not in tests:
        return [], frozenset()
    return sentence_casualties(text, index, tests)


# The casualty words and the words of the tests a sentence's reading makes (TESTS), in one
# pass over each sentence: word -> its tests, "casualty" among them for a casualty word.
_HINTS_AND_TESTS = ahocorasick.Automaton()
for _word in {*_CASUALTY_HINTS, *TESTS}:
    _tests = set(TESTS.get(_word, ()))
    if _word in _CASUALTY_HINTS:
        _tests.add("casualty")
    _HINTS_AND_TESTS.add_word(_word, frozenset(_tests))
_HINTS_AND_TESTS.make_automaton()


def casualty_facts(
    mentions: list[CasualtyMention],
    zero: Mapping[int, frozenset[str]],
    order: Sequence[int],
    title_sentences: int = 0,
) -> tuple[int | None, int | None, list[CasualtyCount], list[str]]:
    summary = summarise(mentions, zero, order, title_sentences)
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
