"""A made-up incident, in our own Arabic words, for `raqib test-alert` and for trying templates."""

from __future__ import annotations

from datetime import UTC, datetime

from alerts.message import Alert, Casualty, Claim, Evidence, PlaceRef, SourceRef

SAMPLE_TITLE = "رسالة تجريبية: هجوم مسلح على بوابة أمنية قرب سبها"
SAMPLE_SUMMARY = (
    "هذا نص تجريبي كتبه فريق رقيب لاختبار قنوات التنبيه، ولا يصف حادثة حقيقية. "
    "يقول النص إن مسلحين هاجموا بوابة أمنية جنوب مدينة سبها فجر اليوم، "
    "وإن الهجوم أسفر عن مقتل عنصرين وإصابة ثلاثة آخرين."
)
SAMPLE_EVIDENCE = "يقول النص إن مسلحين هاجموا بوابة أمنية جنوب مدينة سبها فجر اليوم."


def _marks(text: str, *words: str) -> list[tuple[int, int]]:
    return [(text.index(w), text.index(w) + len(w)) for w in words]


def sample_alert(incident_id: str = "test-sample", now: datetime | None = None) -> Alert:
    now = now or datetime.now(UTC)
    return Alert(
        incident_id=incident_id,
        revision=1,
        kind="new",
        score=0.91,
        title=SAMPLE_TITLE,
        summary=SAMPLE_SUMMARY,
        url="https://example.org/raqib/test-alert",
        source="raqib",
        published=now,
        detected_at=now,
        event_date=now.date().isoformat(),
        places=[
            PlaceRef(
                name="سبها",
                lat=27.0365,
                lon=14.4290,
                region="فزان",
                name_en="Sabha",
                region_en="Fezzan",
            )
        ],
        incident_type="attack",
        killed=2,
        injured=3,
        casualties=[Casualty(who="security forces", killed=2, injured=3)],
        actors=["داعش"],
        sources=[
            SourceRef(
                outlet="raqib",
                url="https://example.org/raqib/test-alert",
                title=SAMPLE_TITLE,
                published=now,
                outlet_title="رقيب",
            )
        ],
        matched=["هاجموا", "بوابة أمنية", "سبها"],
        why=["a test message from Raqib"],
        confidence="high",
        target="gate",
        evidence=[Evidence(text=SAMPLE_EVIDENCE, marks=_marks(SAMPLE_EVIDENCE, "هاجموا", "سبها"))],
        claim=None,
    )


def sample_claim() -> Claim:
    """A claim as detection reports one, for trying the templates."""
    return Claim(by="داعش", via="أعماق", sentence="وتبنى تنظيم داعش الهجوم عبر وكالة أعماق.")
