"""The clustering decision on our own Arabic reports, through the real detector: new, update, duplicate."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import date

import pytest

from crawler.incidents.book import IncidentBook
from crawler.incidents.decision import (
    DEFAULT_RULES,
    Outcome,
    place_relation,
    type_relation,
)
from crawler.incidents.markers import claims_responsibility, corrects, revises_toll
from crawler.incidents.report import Location
from tests.support import incident_reports as r
from tests.support.incident_reports import Dispatch


def observe(book: IncidentBook, dispatch: Dispatch, dated: bool = True) -> Outcome:
    detection = r.detect(dispatch)
    assert detection.is_incident, f"{dispatch.slug}: detection must take it for an incident"
    article = dispatch.article()
    if not dated:
        article = replace(article, published=None)
        detection = replace(detection, event_date=None)
    return book.observe(article, detection, article.published)


def test_five_outlets_one_new_then_updates_only_where_something_changed() -> None:
    book = IncidentBook()
    outcomes = [observe(book, d) for d in r.FIVE_OUTLETS]
    got = [(o.decision.kind, o.decision.reasons, o.incident.revision) for o in outcomes]
    assert got == list(r.FIVE_OUTLETS_EXPECTED)
    assert len({o.decision.incident_id for o in outcomes}) == 1
    assert outcomes[3].event.changes == (
        f"new source: {r.HIGHER_TOLL.outlet}",
        "killed 3 → 5, injured 2 → 4",
    )
    assert outcomes[5].event.changes == ("claim of responsibility",)
    (incident,) = book.incidents.values()
    assert (incident.killed, incident.injured, incident.claimed) == (5, 4, True)
    assert incident.place is not None and incident.place.name == "تراغن"
    # Outlet copies of one story count as one source: 4 distinct stories, 2 copies, 5 outlets.
    assert [s.outlet for s in incident.stories] == [
        r.WIRE.outlet,
        r.OWN_STORY.outlet,
        r.HIGHER_TOLL.outlet,
        r.CLAIM.outlet,
    ]
    copies = {c.outlet: s.url for s in incident.stories for c in s.copies}
    assert copies == {r.WIRE_COPY.outlet: r.WIRE.url, r.HIGHER_TOLL_COPY.outlet: r.HIGHER_TOLL.url}
    assert len(incident.outlets) == 5


def test_wire_story_copied_word_for_word_is_a_duplicate() -> None:
    book = IncidentBook()
    first = observe(book, r.WIRE)
    copy = observe(book, r.WIRE_COPY)
    assert copy.decision.kind == "duplicate"
    assert copy.decision.incident_id == first.decision.incident_id
    assert copy.decision.copy_of == r.WIRE.url
    assert copy.incident.revision == 1
    assert "similarity" in copy.decision.why[0]


def test_a_copy_with_a_higher_toll_is_an_update_but_not_a_new_source() -> None:
    book = IncidentBook()
    observe(book, r.WIRE)
    rerun = Dispatch(
        "فزان اليوم", "wire-rerun", "هجوم على بوابة أمنية في تراغن",
        tuple(p.replace("مقتل 3", "مقتل 5").replace("إصابة 2", "إصابة 4") for p in r.WIRE.paragraphs),
        r.WIRE.published,
    )  # fmt: skip
    outcome = observe(book, rerun)
    assert outcome.decision.copy_of == r.WIRE.url
    assert (outcome.decision.kind, outcome.decision.reasons) == ("update", ("casualties",))
    assert (outcome.incident.killed, outcome.incident.injured) == (5, 4)
    assert len(outcome.incident.stories) == 1


def test_two_attacks_in_one_town_a_week_apart_are_two_incidents() -> None:
    book = IncidentBook()
    first = observe(book, r.WIRE)
    later = observe(book, r.WEEK_LATER)
    assert later.decision.kind == "new"
    assert later.decision.incident_id != first.decision.incident_id
    assert "window" in later.decision.why[0]


def test_two_attacks_the_same_day_in_different_cities_are_two_incidents() -> None:
    book = IncidentBook()
    outcomes = [observe(book, d) for d in (r.SABHA_SAME_DAY, r.QATRUN_SAME_DAY, r.WIRE)]
    assert [o.decision.kind for o in outcomes] == ["new", "new", "new"]
    assert len({o.decision.incident_id for o in outcomes}) == 3
    assert "place conflict" in outcomes[1].decision.why[0]


def test_an_arrest_in_the_same_town_the_same_day_is_another_incident() -> None:
    book = IncidentBook()
    observe(book, r.WIRE)
    assert observe(book, r.ARREST_SAME_TOWN).decision.kind == "new"


def test_a_report_naming_only_southern_libya_joins_the_same_days_attack() -> None:
    book = IncidentBook()
    first = observe(book, r.WIRE)
    vague = observe(book, r.VAGUE_SAME_DAY)
    assert vague.decision.incident_id == first.decision.incident_id
    assert (vague.decision.kind, vague.decision.reasons) == ("update", ("new_source",))
    # …but does not join an attack a week away.
    book = IncidentBook()
    observe(book, r.WEEK_LATER)
    assert observe(book, r.VAGUE_SAME_DAY).decision.kind == "new"


def test_a_lower_toll_is_kept_in_history_unless_it_is_a_correction() -> None:
    book = IncidentBook()
    for dispatch in r.FIVE_OUTLETS:
        observe(book, dispatch)
    stale = observe(book, r.STALE_TOLL)
    assert (stale.decision.kind, stale.decision.reasons) == ("update", ("new_source",))
    assert stale.incident.killed == 5
    assert stale.incident.tolls[-1].killed == 3
    assert stale.incident.tolls[-1].verdict == "not adopted"
    corrected = observe(book, r.CORRECTION)
    assert (corrected.decision.kind, corrected.decision.reasons) == ("update", ("correction",))
    assert (corrected.incident.killed, corrected.incident.injured) == (4, 3)
    assert corrected.event.changes == ("correction: killed 5 → 4, injured 4 → 3",)
    assert corrected.incident.tolls[-1].adopted


def test_a_toll_announced_as_revised_may_be_lower() -> None:
    book = IncidentBook()
    for dispatch in r.FIVE_OUTLETS:
        observe(book, dispatch)
    revised = Dispatch(
        "الوسط الليبي", "traghen-official-toll", "الحصيلة الرسمية لهجوم تراغن",
        ("وفق حصيلة رسمية أعلنها المجلس البلدي، أسفر هجوم تنظيم داعش على بوابة تراغن عن 4 قتلى "
         "و4 جرحى.",),
        r.CORRECTION.published,
    )  # fmt: skip
    outcome = observe(book, revised)
    assert outcome.decision.reasons == ("new_source", "casualties")
    assert (outcome.incident.killed, outcome.incident.injured) == (4, 4)


def test_the_same_article_read_again_changes_nothing() -> None:
    book = IncidentBook()
    observe(book, r.WIRE)
    again = observe(book, r.WIRE)
    assert again.decision.kind == "duplicate" and not again.changed
    assert "same address" in again.decision.why[0]


def test_undated_reports_join_on_place_and_type_but_not_on_a_vague_place() -> None:
    # Offline (scan --cluster) a line may have no date: time then neither holds for nor against.
    book = IncidentBook()
    first = observe(book, r.WIRE, dated=False)
    own = observe(book, r.OWN_STORY, dated=False)
    assert own.decision.incident_id == first.decision.incident_id
    assert "time unknown" in own.decision.why[0]
    assert observe(book, r.VAGUE_SAME_DAY, dated=False).decision.kind == "new"


def test_the_decision_modules_import_neither_redis_nor_scrapy() -> None:
    code = (
        "import sys, crawler.incidents.book, crawler.incidents.decision; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'redis', 'scrapy', 'twisted'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- the relations, table-driven ------------------------------------------------------------------


def _place(id: str, lat: float, lon: float, specificity: int = 4, region: str = "فزان",
           district: str | None = None, name: str | None = None) -> Location:  # fmt: skip
    return Location(id, name or id, lat, lon, specificity, region, district)


SABHA = _place("sabha", 27.0365, 14.4290)
QATRUN = _place("qatrun", 24.8895, 14.5315, district="مرزق")
TRAGHEN = _place("traghen", 25.9371, 14.4309, district="مرزق")
NEAR_TRAGHEN = _place("near-traghen", 26.05, 14.50)  # ~14 km away
MURZUQ_DISTRICT = _place("murzuq-district", 25.9, 13.9, 3, name="مرزق")
FEZZAN = _place("fezzan", 26.0, 14.0, 2, name="فزان")
CYRENAICA = _place("cyrenaica", 31.0, 21.0, 2, region="برقة", name="برقة")
JUFRA_DISTRICT = _place("jufra", 29.1, 15.9, 3, name="الجفرة")
SOMEWHERE_SOUTH = _place("south", 26.0, 15.0, 2, region="", name="الجنوب")

PLACES = [
    ((TRAGHEN,), (TRAGHEN,), "same"),
    ((NEAR_TRAGHEN,), (TRAGHEN,), "nearby"),
    ((SABHA,), (QATRUN,), "conflict"),
    ((MURZUQ_DISTRICT,), (QATRUN,), "within"),
    ((QATRUN,), (MURZUQ_DISTRICT,), "within"),
    ((FEZZAN,), (QATRUN,), "within"),
    ((CYRENAICA,), (QATRUN,), "conflict"),
    ((), (QATRUN,), "vague"),
    ((QATRUN,), (), "vague"),
    ((FEZZAN,), (MURZUQ_DISTRICT,), "within"),
    ((MURZUQ_DISTRICT,), (JUFRA_DISTRICT,), "conflict"),
    ((JUFRA_DISTRICT,), (QATRUN,), "conflict"),
    # the gazetteer gives Sabha no district: a district of its region cannot rule it in or out
    ((MURZUQ_DISTRICT,), (SABHA,), "vague"),
    ((CYRENAICA,), (SABHA,), "conflict"),
    # an area detection could not place in a region says nothing either way
    ((SOMEWHERE_SOUTH,), (QATRUN,), "vague"),
    # only the report's most specific place says where: Sabha named in passing does not count
    ((QATRUN, SABHA), (SABHA,), "conflict"),
]


@pytest.mark.parametrize(("report", "incident", "expected"), PLACES)
def test_place_relation(report: tuple[Location, ...], incident: tuple[Location, ...],
                        expected: str) -> None:  # fmt: skip
    assert place_relation(report, incident, DEFAULT_RULES) == expected


TYPES = [
    ("bombing", "bombing", "same"),
    ("bombing", "attack", "family"),
    ("bombing_checkpoint_claimed", "suicide_bombing", "family"),
    ("arrest", "bombing", "conflict"),
    ("arrest_cell", "dismantle_cells", "family"),
    ("takeover", "attack", "conflict"),
    (None, "attack", "unknown"),
]


@pytest.mark.parametrize(("report", "incident", "expected"), TYPES)
def test_type_relation(report: str | None, incident: str | None, expected: str) -> None:
    assert type_relation(report, incident) == expected


# Normalised text, as detection hands it over (أ→ا, ى→ي, ة→ه).
MARKERS = [
    ("اعلن تنظيم داعش مسؤوليته عن الهجوم", True, False, False),
    ("داعش يتبني الهجوم علي بوابه تراغن", True, False, False),
    ("ولم تعلن اي جهه مسؤوليتها عن الهجوم حتي الان", False, False, False),
    ("نفي التنظيم تبنيه للهجوم", False, True, False),
    ("بلغت 4 قتلي خلافا لما تداولته بعض وسائل الاعلام", False, True, False),
    ("وفق حصيله جديده بلغ عدد القتلي 4", False, False, True),
    ("ارتفعت حصيله الهجوم الي 5 قتلي", False, False, False),  # higher figures need no marker
    ("حصيله اوليه 3 قتلي", False, False, False),
    ("هاجم مسلحون بوابه امنيه في تراغن", False, False, False),
]


@pytest.mark.parametrize(("text", "claim", "correction", "revised"), MARKERS)
def test_markers(text: str, claim: bool, correction: bool, revised: bool) -> None:
    assert (claims_responsibility(text), corrects(text), revises_toll(text)) == (
        claim, correction, revised
    )  # fmt: skip


def test_incident_days_span_and_window() -> None:
    book = IncidentBook()
    first = observe(book, r.WIRE)
    assert first.incident.first_day == first.incident.last_day == date(2024, 3, 12)


def test_near_towns_the_same_day_with_other_tolls_are_two_incidents() -> None:
    # Sabratha and Surman are ~15 km apart: "nearby" joins reports of one event whose places
    # differ, but not when each gives its own, different toll.
    from crawler.detect import Document
    from crawler.incidents.report import Article

    book = IncidentBook()
    day = r.DAY
    texts = [
        ("s1", "قتل ثلاثة جنود في هجوم شنه تنظيم داعش على بوابة أمنية في صبراتة فجر اليوم."),
        ("s2", "قتل سبعة مدنيين في هجوم شنه تنظيم داعش على سوق في مدينة صرمان فجر اليوم."),
        ("s3", "قتل ثلاثة جنود في هجوم لتنظيم داعش على بوابة أمنية عند مدخل صبراتة فجر اليوم."),
    ]
    ids = []
    for slug, text in texts:
        article = Article(source=slug, url=f"https://news.example.org/{slug}", title="",
                          text=text, published=day)  # fmt: skip
        detection = r.detector().detect(Document(text=text, published=day))
        assert detection.is_incident, detection.why
        ids.append(book.observe(article, detection, day).decision.incident_id)
    assert ids[0] != ids[1]
    assert ids[2] == ids[0]
