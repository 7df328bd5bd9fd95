"""The detector's shortcuts agree with the readings they spare, on our own texts."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from pathlib import Path

from crawler.detect import Detector
from crawler.detect import detector as detecting
from crawler.detect.detector import document_text
from crawler.detect.parse import parse_published
from crawler.detect.text.normalise import normalise
from tests.support.our_leads import our_leads

ROOT = Path(__file__).resolve().parent.parent


def _our_texts() -> list[str]:
    texts = []
    for lead in our_leads():
        doc = detecting.Document(
            text=lead.get("text") or "", title=lead.get("title"),
            published=parse_published(lead.get("published")),
        )  # fmt: skip
        texts.append(normalise(document_text(doc)))
    return texts


def test_an_incident_word_with_no_hedge_just_before_it_is_not_hedged() -> None:
    """`_evidence` calls `_is_hedged` only when a hedge ends in the 120 letters before the
    incident word: without one, it says no."""
    detector = Detector.from_files([ROOT / "config/watchlists/isis-libya.yaml"])
    reach = detector.watchlists[0].scoring.hedge_words
    spared = hedged = 0
    for text in _our_texts():
        hits = detector.matcher.find(text)
        hedges = sorted((h for h in hits if h.role == "hedge"), key=lambda h: h.end)
        ends = [h.end for h in hedges]
        for hit in (h for h in hits if h.role == "incident"):
            found = detecting._is_hedged(text, hit, hedges, ends, reach)
            if bisect_left(ends, hit.start - 120) == bisect_right(ends, hit.start):
                assert not found, text[hit.start - 40 : hit.end]
                spared += hedges != []
            hedged += found
    assert spared > 100 and hedged > 20


def test_other_events_read_from_the_heads_the_matcher_noted() -> None:
    """The sentences about other and earlier events are the same whether the report finds the
    heads of its pattern itself or takes those the matcher noted (those that open a word)."""
    from datetime import date

    from crawler.detect.facts import report
    from crawler.detect.text.sentences import Sentences

    detector = Detector.from_files([ROOT / "config/watchlists/isis-libya.yaml"])
    found = 0
    for text in _our_texts():
        heads: list[int] = []
        detector.matcher.find(text, heads)
        sentences = Sentences(text)
        for today in (None, date(2024, 5, 1)):
            plain = report.other_and_earlier_event_sentences(sentences, today)
            assert report.other_and_earlier_event_sentences(sentences, today, heads) == plain
            found += len(plain[0])
    assert found > 300


def _always_told(*_: object) -> bool:
    """Every sentence tells a year: every sentence's dates are read."""
    return True


def test_an_undated_old_event_is_read_from_the_sentences_that_tell_a_year() -> None:
    """`_undated_old_event` reads the dates of the sentences that hold a year after «عام» or a
    month only, once a sentence: for every window of up to three sentences of our texts
    (undated), the same answer as reading every sentence's dates afresh for each window."""
    import pytest

    detector = Detector.from_files([ROOT / "config/watchlists/isis-libya.yaml"])
    texts = [*_our_texts(), normalise("قتل مسلحو داعش 21 مسيحيا في سرت في عام 2015. وقال مصدر."),
             normalise("قتل مسلحو داعش 21 مسيحيا في سرت في فبراير 2015. وقال مصدر.")]
    answers = []
    for text in texts:
        doc = detecting.Document(text=text)
        read = detecting._Text(doc, text, detector.matcher.find(text), detector.gazetteer)
        if read.written is not None:
            continue
        windows = [(f, f + n) for f in range(len(read.sentences)) for n in range(3)]
        windows = [(f, last) for f, last in windows if last < len(read.sentences)]
        fast = [detecting._undated_old_event(read, f, last) for f, last in windows]
        slow = []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(detecting, "_year_told", _always_told)
            for f, last in windows:
                read.old_years.clear()
                slow.append(detecting._undated_old_event(read, f, last))
        assert fast == slow, text[:80]
        answers += fast
    assert sum(a is not None for a in answers) > 20
