"""What an alert quotes from its report: evidence sentences with marks, the claim, outlet titles."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from alerts.message import Alert, PlaceRef
from alerts.render import facts
from crawler.detect import Detector, Document
from crawler.detect.facts.gazetteer import Gazetteer
from crawler.detect.watchlist import Watchlist
from crawler.incidents.evidence import claim_of, confidence_of, evidence_of
from crawler.incidents.markers import target_of
from crawler.incidents.report import Article, Location

ROOT = Path(__file__).resolve().parent.parent
WATCHLIST = ROOT / "config/watchlists/isis-libya.yaml"

# Our own report, made up for this test.
TITLE = "هجوم انتحاري على بوابة أمنية في سرت"
BODY = (
    "قال مصدر أمني إن انتحاريا من تنظيم داعش فجّر سيارة مفخخة عند بوابة أمنية غرب مدينة سرت "
    "صباح اليوم، ما أدى إلى مقتل خمسة من عناصر الأمن.\n\n"
    "وتبنى تنظيم داعش الهجوم في بيان نشرته وكالة أعماق التابعة له.\n\n"
    "وشهدت المدينة هدوءا حذرا بعد الظهر."
)


@cache
def detector() -> Detector:
    return Detector.from_files([WATCHLIST], None)


def _read() -> tuple[Article, object]:
    article = Article(source="local", url="https://news.example.org/a/1", title=TITLE, text=BODY)
    detection = detector().detect(Document(text=BODY, title=TITLE))
    return article, detection


def test_evidence_quotes_the_sentences_that_carry_the_incident_with_marks() -> None:
    article, detection = _read()
    assert detection.is_incident  # type: ignore[attr-defined]
    evidence = evidence_of(article, detection)  # type: ignore[arg-type]
    assert 1 <= len(evidence) <= 2
    whole = TITLE + "\n\n" + BODY
    for sentence in evidence:
        assert sentence.text in whole, "the source's own words, unchanged"
        assert sentence.marks, "the matched words are marked"
        marked = [sentence.text[s:e] for s, e in sentence.marks]
        assert all(word and word in sentence.text for word in marked)
    assert "هدوءا حذرا" not in " ".join(e.text for e in evidence), "only sentences that count"
    words = {sentence.text[s:e] for sentence in evidence for s, e in sentence.marks}
    assert any("سرت" in w for w in words) and any("داعش" in w for w in words), words


def test_claim_names_who_and_the_channel() -> None:
    _, detection = _read()
    claim = claim_of(detection, claimed=False)  # type: ignore[arg-type]
    assert claim is not None and claim.via == "أعماق"
    assert claim.by is not None and "داعش" in claim.by


def test_no_claim_when_none_is_stated() -> None:
    body = "قتل ثلاثة جنود في هجوم لتنظيم داعش على دورية قرب سرت صباح اليوم."
    detection = detector().detect(Document(text=body, title=""))
    assert claim_of(detection, claimed=False) is None


def test_target_is_named_when_the_sentences_that_count_name_it() -> None:
    _, detection = _read()
    assert target_of(detection) == "gate"  # type: ignore[arg-type]
    body = "قتل ثلاثة جنود في هجوم لتنظيم داعش على حاجز أمني قرب سرت صباح اليوم."
    assert target_of(detector().detect(Document(text=body, title=""))) == "checkpoint"
    plain = "قتل ثلاثة جنود في هجوم لتنظيم داعش قرب سرت صباح اليوم."
    assert target_of(detector().detect(Document(text=plain, title=""))) is None


def test_confidence_in_words() -> None:
    table = [(0.95, "isis", "high"), (0.7, "isis", "medium"), (0.5, "isis", "possible"),
             (0.95, "unattributed", "medium")]  # fmt: skip
    for score, attribution, word in table:
        assert confidence_of(score, attribution) == word


def test_a_feed_names_itself() -> None:
    from crawler.feeds.parsing import read_feed
    from tests.support.feeds import Item, rss

    body = rss([Item("عنوان", "http://example.org/a/1", "نص")], title="الوسط <b>الليبية</b>")
    assert read_feed(body, "http://example.org/feed").title == "الوسط الليبية"
    atom = (
        b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        b"<title>Libya Observer</title><entry><title>x</title><id>1</id>"
        b'<link href="http://example.org/a/2"/></entry></feed>'
    )
    assert read_feed(atom, "http://example.org/atom").title == "Libya Observer"
    broken = body.replace(b"</channel></rss>", b"")  # cut off: read by the lenient parser
    document = read_feed(broken, "http://example.org/feed")
    assert not document.well_formed and document.title == "الوسط الليبية"


def test_an_english_alert_names_each_country_s_region_from_its_gazetteer() -> None:
    """The English edition takes a region's name from the gazetteer's region entry: Tunisia's
    regions as well as Libya's, with no list in the code."""
    root = Path(__file__).resolve().parent.parent / "config/watchlists"
    cases = (
        (root / "examples/isis-tunisia.yaml", "سوسة", "Centre East"),
        (root / "isis-libya.yaml", "سبها", "Fezzan"),
    )
    for path, town, region_en in cases:
        place = Gazetteer.load(Watchlist.load(path).gazetteer).lookup(town)
        assert place is not None and place.region_en == region_en
        stored = Location.from_json(Location.of(place).to_json())  # as kept with an incident
        ref = PlaceRef(
            name=stored.name, region=stored.region, name_en=stored.en, region_en=stored.region_en
        )
        alert = Alert(
            incident_id="i", revision=1, kind="new", score=0.9, places=[ref], title="t",
            url="https://example.org/a", source="test",
        )  # fmt: skip
        shown = facts(alert, "en")
        assert f"{place.en} ({region_en})" in str(shown), shown
