"""Dates in normalised Arabic news text, resolved against the publication date."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from crawler.detect.lexicon import load

# Month and weekday names: data/lexicons/dates.yaml.
_LEXICON = load("dates")
# Month names, normalised, by number: the Egyptian, Levantine and Maghrebi forms.
MONTHS = {
    name: int(number) for number, names in _LEXICON.groups("months").items() for name in names
}
# «آب» and «ماي» are words too: they count only after a day number.
_SHORT = _LEXICON.words("ambiguous_months")
_MONTH = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_LONG_MONTH = "|".join(
    sorted((re.escape(m) for m in MONTHS if m not in _SHORT), key=len, reverse=True)
)

_WEEKDAY_NAMES = _LEXICON.groups("weekdays")  # Monday first, as date.weekday() counts
WEEKDAYS = {name: number for number, names in enumerate(_WEEKDAY_NAMES.values()) for name in names}

# A part of a month (مطلع، منتصف، أواخر …) and the day it stands for.
_PART_DAY = _LEXICON.values("part_of_month")

_YEAR = r"(?:\s*(?:من\s+)?(?:عام|سنه|العام)?\s*(\d{4})\s*م?)?"
# The patterns that open with a figure say so first, (?=\d): the engine then skips the letters
# instead of trying a lookbehind at each.
_DAY_MONTH = re.compile(
    # (a whole word: «13 من أبناء البلدة» is no 13 August, «آب»)
    rf"(?=\d)(?<!\d)(\d{{1,2}})\s*(?:من\s+)?(?:شهر\s+)?({_MONTH})(?!\w)(?:\s*/\s*(?:{_MONTH}))?{_YEAR}"
    rf"(?:\s+(الجاري|الحالي|الماضي|المنصرم|المقبل))?"
)
_NUMERIC = re.compile(
    r"(?=\d)(?:(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)|(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d))"
)
_PART_MONTH = re.compile(
    rf"({'|'.join(_PART_DAY)})\s+(?:شهر\s+)?({_LONG_MONTH})(?:\s*/\s*(?:{_MONTH}))?{_YEAR}"
    rf"(?:\s+(الجاري|الحالي|الماضي|المنصرم|المقبل))?"
)
_MONTH_YEAR = re.compile(
    rf"(?:شهر\s+)?({_LONG_MONTH})(?:\s*/\s*(?:{_MONTH}))?\s+(?:من\s+)?(?:عام\s+)?(\d{{4}})"
)
_DAY_OF_THIS_MONTH = re.compile(r"(?=\d)(?<!\d)(\d{1,2})\s+(?:من\s+)?(?:الشهر\s+)?(الجاري|الحالي)")
_RELATIVE = re.compile(
    r"اول\s+(?:من\s+)?امس|امس\s+الاول|البارحه|ليله\s+امس|الليله\s+الماضيه|الامس|امس"
    r"|(?:قبل|منذ)\s+(يومين|ثلاثه\s+ايام|اربعه\s+ايام|خمسه\s+ايام|اسبوعين|اسبوع(?!\w)|(\d{1,2})\s+ايام)"
    r"|الاسبوع\s+(?:الماضي|المنصرم|الفايت)|(?<!\w)اليوم(?!\w)"
)
_WEEKDAY = re.compile(
    r"(?:(يوم|فجر|صباح|مساء|ظهر|ليل|ليله|الامس|امس|اليوم)\s+)?"
    rf"({'|'.join(WEEKDAYS)})(?!\w)(?:\s+(الماضي|المنصرم|الفايت))?"
)
# «أمس الأحد»: the weekday dates it, though the day of publication says otherwise (a feed's
# date is often the next morning's, or the day before, by time zone)
_WEEKDAY_NEXT = re.compile(rf"\s+(?:{'|'.join(WEEKDAYS)})(?!\w)")
_YEAR_ONLY = re.compile(r"(?:عام|العام|سنه)\s+(\d{4})")
_DIGIT = re.compile(r"\d")  # the same digits as the patterns' \d, every script's
_FOUR_DIGITS = re.compile(r"\d{4}")  # what the patterns with a year need
# A word every match of _RELATIVE holds, and every weekday's name: a sentence holding none
# is spared those scans (most sentences of a long article)
_RELATIVE_WORDS = ("امس", "البارحه", "الليله", "قبل", "منذ", "الاسبوع", "اليوم")
_WEEKDAY_NAME = re.compile("|".join(WEEKDAYS))

_RELATIVE_DAYS = {
    "يومين": 2,
    "ثلاثه ايام": 3,
    "اربعه ايام": 4,
    "خمسه ايام": 5,
    "اسبوع": 7,
    "اسبوعين": 14,
}


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    value: date
    precision: str  # day | month | year
    explicit_year: bool  # the text gave the year: no publication date was needed
    text: str


def _safe_date(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or year < 1900 or year > 2100:
        return None
    day = min(max(day, 1), calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _with_year(
    month: int, day: int, year: str | None, tense: str | None, today: date | None
) -> tuple[date | None, bool]:
    if year:
        return _safe_date(int(year), month, day), True
    if today is None:
        return None, False
    if tense in ("الماضي", "المنصرم"):
        value = _safe_date(today.year if month < today.month else today.year - 1, month, day)
        return value, False
    value = _safe_date(today.year, month, day)
    # A day-month later than the publication is last year's (a report in January about 28 December)
    if value is not None and tense not in ("المقبل",) and value > today + timedelta(days=1):
        value = _safe_date(today.year - 1, month, day)
    return value, False


def find_dates(text: str, today: date | None) -> list[DateMention]:
    """Every date expression in normalised `text`, resolved against `today` where one is needed."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, value: date | None, precision: str, explicit: bool) -> None:
        if value is None or any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        found.append(DateMention(start, end, value, precision, explicit, text[start:end]))

    # Most patterns need a figure (\d): a text without one is spared their scans.
    figures = _DIGIT.search(text) is not None
    years = figures and _FOUR_DIGITS.search(text) is not None
    for m in _NUMERIC.finditer(text) if years else ():
        if m.group(1):
            add(
                m.start(),
                m.end(),
                _safe_date(int(m.group(3)), int(m.group(2)), int(m.group(1))),
                "day",
                True,
            )
        else:
            add(
                m.start(),
                m.end(),
                _safe_date(int(m.group(4)), int(m.group(5)), int(m.group(6))),
                "day",
                True,
            )
    for m in _DAY_MONTH.finditer(text) if figures else ():
        value, explicit = _with_year(
            MONTHS[m.group(2)], int(m.group(1)), m.group(3), m.group(4), today
        )
        add(m.start(), m.end(), value, "day", explicit)
    for m in _PART_MONTH.finditer(text):
        value, explicit = _with_year(
            MONTHS[m.group(2)], _PART_DAY[m.group(1)], m.group(3), m.group(4), today
        )
        add(m.start(), m.end(), value, "day", explicit)
    for m in _MONTH_YEAR.finditer(text) if years else ():
        add(m.start(), m.end(), _safe_date(int(m.group(2)), MONTHS[m.group(1)], 1), "month", True)
    if today is not None:
        for m in _DAY_OF_THIS_MONTH.finditer(text) if figures else ():
            value = _safe_date(today.year, today.month, int(m.group(1)))
            add(m.start(), m.end(), value, "day", False)
        relative = any(word in text for word in _RELATIVE_WORDS)
        for m in _RELATIVE.finditer(text) if relative else ():
            phrase = m.group()
            if phrase == "اليوم":
                days = 0
            elif m.group(2):
                days = int(m.group(2))
            elif m.group(1):
                days = _RELATIVE_DAYS.get(re.sub(r"\s+", " ", m.group(1)), 1)
            elif phrase.startswith("اول") or phrase.endswith("الاول"):
                days = 2
            elif "الاسبوع" in phrase:
                days = 7
            elif phrase in ("امس", "الامس") and _WEEKDAY_NEXT.match(text, m.end()):
                continue
            else:
                days = 1
            add(m.start(), m.end(), today - timedelta(days=days), "day", False)
        for m in _WEEKDAY.finditer(text) if _WEEKDAY_NAME.search(text) else ():
            name = m.group(2)
            # «الاثنين» is also "the two": a weekday only after يوم/فجر/… or between commas
            if (
                name == "الاثنين"
                and not m.group(1)
                and not (
                    m.start() >= 2
                    and text[m.start() - 2 : m.start()].strip() == ","
                    and text[m.end() : m.end() + 1] == ","
                )
            ):
                continue
            back = (today.weekday() - WEEKDAYS[name]) % 7
            if back == 0 and m.group(3):
                back = 7  # «الأحد الماضي» told on a Sunday is a week before
            start = m.start(2) if m.group(1) in ("الامس", "امس", "اليوم") else m.start()
            add(start, m.end(), today - timedelta(days=back), "day", False)
    for m in _YEAR_ONLY.finditer(text) if years else ():
        add(m.start(), m.end(), _safe_date(int(m.group(1)), 1, 1), "year", True)
    found.sort(key=lambda d: d.start)
    return found


def dateline(text: str) -> date | None:
    """A full date in a text's opening (سبها 07 يونيو 2021 (وال) –): the day it was written."""
    head = text[:120]
    for mention in find_dates(head, None):
        if mention.explicit_year and mention.precision == "day":
            return mention.value
    return None
