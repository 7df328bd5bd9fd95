"""Tiers: the actor's tactics in a Libyan place that the text does not tie to it are a lower tier
("unattributed") that travels from detection to the incident, the alert and the subscriptions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alerts.subscriptions import wants
from config.settings import Subscription
from crawler.detect import Document
from crawler.detect.detector import detection_record
from crawler.detect.explain import explain
from crawler.incidents.book import IncidentBook
from crawler.incidents.incident import Incident
from crawler.incidents.report import Article
from crawler.incidents.store import build_alert
from tests.support.delivery import make_alert
from tests.support.incident_reports import detector

PUBLISHED = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)  # a Tuesday

# Sentences of our own: (text, attribution, is_incident).
TIERS = [
    (
        "انفجرت سيارة مفخخة قرب بوابة أمنية عند مدخل مدينة مصراتة صباح اليوم، ما أدى إلى مقتل"
        " ثلاثة من عناصر الأمن، ولم تعلن أي جهة مسؤوليتها عن التفجير.",
        "unattributed",
        False,
    ),
    (
        "فجر انتحاري يرتدي حزاما ناسفا نفسه داخل فندق في وسط طرابلس مساء أمس، وقال مصدر"
        " أمني إن خمسة أشخاص قتلوا.",
        "unattributed",
        False,
    ),
    (
        "انفجرت سيارة مفخخة قرب بوابة أمنية عند مدخل مدينة مصراتة صباح اليوم، ما أدى إلى مقتل"
        " ثلاثة من عناصر الأمن. وتبنى تنظيم داعش التفجير في بيان نشرته وكالة أعماق.",
        "isis",
        True,
    ),
    (
        "أعلن تنظيم الدولة الإسلامية مسؤوليته عن تفجير انتحاري استهدف مقرا أمنيا في سرت فجر"
        " اليوم أسفر عن مقتل جنديين.",
        "isis",
        True,
    ),
    (
        "اندلعت اشتباكات بين مجموعتين مسلحتين في حي سكني بطرابلس مساء أمس دون أن تسفر عن ضحايا.",
        None,
        False,
    ),
]


@pytest.mark.parametrize(("text", "attribution", "incident"), TIERS)
def test_the_tier_of_a_text(text: str, attribution: str | None, incident: bool) -> None:
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.attribution == attribution, found.why
    assert found.is_incident is incident, found.why
    assert found.reportable is (attribution is not None)
    record = detection_record(found, "x")
    assert record["attribution"] == attribution
    assert record["watchlist"] == "isis-libya"
    if attribution == "unattributed":
        assert any("tier: unattributed" in w for w in found.why)
        assert "LOWER TIER (unattributed" in explain(Document(text=text), found)


def _article(slug: str, text: str, hours: float) -> Article:
    return Article(
        source="مصدر المثال", url=f"https://news.example.org/{slug}", title="",
        text=text, published=PUBLISHED.replace(hour=9 + int(hours)),
    )  # fmt: skip


def test_an_unattributed_incident_becomes_the_actors_when_a_report_ties_it() -> None:
    book = IncidentBook()
    first = _article(
        "a", "انفجرت سيارة مفخخة قرب بوابة أمنية عند مدخل مدينة مصراتة صباح اليوم، ما أدى إلى"
        " مقتل ثلاثة من عناصر الأمن.", 0,
    )  # fmt: skip
    detection = detector().detect(Document(text=first.text, published=first.published))
    assert detection.attribution == "unattributed"
    opened = book.observe(first, detection, first.published)
    assert opened.decision.kind == "new"
    assert opened.decision.attribution == "unattributed"
    assert opened.incident.attribution == "unattributed"
    assert Incident.from_json(opened.incident.to_json()).attribution == "unattributed"
    alert = build_alert(first, detection, opened)
    assert (alert.attribution, alert.watchlist) == ("unattributed", "isis-libya")

    claim = _article(
        "b", "تبنى تنظيم داعش تفجير السيارة المفخخة الذي استهدف بوابة أمنية في مصراتة صباح"
        " اليوم وأدى إلى مقتل ثلاثة من عناصر الأمن.", 2,
    )  # fmt: skip
    detection = detector().detect(Document(text=claim.text, published=claim.published))
    assert detection.attribution == "isis", detection.why
    joined = book.observe(claim, detection, claim.published)
    assert joined.decision.incident_id == opened.decision.incident_id
    assert joined.decision.attribution == "isis"
    assert joined.incident.attribution == "isis"
    assert build_alert(claim, detection, joined).attribution == "isis"


def test_an_incident_stored_before_tiers_reads_back_as_the_actors() -> None:
    book = IncidentBook()
    text = (
        "أعلن تنظيم الدولة الإسلامية مسؤوليته عن تفجير انتحاري استهدف مقرا أمنيا في سرت فجر"
        " اليوم أسفر عن مقتل جنديين."
    )
    article = _article("c", text, 0)
    outcome = book.observe(
        article, detector().detect(Document(text=text, published=PUBLISHED)), PUBLISHED
    )
    stored = outcome.incident.to_json()
    del stored["attribution"]
    assert Incident.from_json(stored).attribution == "isis"


@pytest.mark.parametrize(
    ("subscription", "attribution", "expected"),
    [
        ({}, "isis", True),
        ({}, "unattributed", False),  # off by default
        ({"attribution": ["isis", "unattributed"]}, "unattributed", True),
        ({"attribution": ["unattributed"]}, "isis", False),
    ],
)
def test_a_subscription_opts_into_the_lower_tier(
    subscription: dict[str, list[str]], attribution: str, expected: bool
) -> None:
    sub = Subscription(name="s", **subscription)  # type: ignore[arg-type]
    assert wants(sub, make_alert("x", attribution=attribution)) is expected


def test_a_subscription_refuses_an_unknown_tier() -> None:
    with pytest.raises(ValueError, match="attribution"):
        Subscription(name="s", attribution=["somebody"])  # type: ignore[list-item]


def test_the_lead_is_the_title_and_the_first_sentence_of_the_body() -> None:
    # A frame in the body's first sentence frames the whole text, even under a title with no
    # full stop: the anniversary of a battle retold, not a new one.
    body = (
        "يحيي أهالي مدينة درنة اليوم الذكرى الخامسة لمعركة طويلة في المدينة.\n"
        "وكانت المدينة قد شهدت معارك عنيفة مع تنظيم داعش.\n"
        "وخاضت قوات محلية معركة في حي شيحا بدرنة ضد التنظيم استمرت أياما."
    )
    titled = detector().detect(Document(text=body, title="درنة تستذكر أبناءها"))
    assert not titled.reportable, titled.why
    assert any("anniversary" in w for w in titled.why), titled.why


def test_eval_reads_a_labelled_place_with_its_adjective() -> None:
    from crawler.detect.evaluation import gold_place_ids

    gazetteer = detector().gazetteer
    adjectives = detector().watchlists[0].country.adjectives  # the watched country's: الليبية
    assert gold_place_ids(["حقل الغاني النفطي"], gazetteer) == {"ghani-oil-field"}
    assert gold_place_ids(["سرت الليبية"], gazetteer, adjectives) == gold_place_ids(
        ["سرت"], gazetteer
    )
    assert not gold_place_ids(["سرت الليبية"], gazetteer)  # read as the country's adjective
    assert gold_place_ids(["بويرات الحسون"], gazetteer) == {"buwayrat-al-hasun"}
