"""Sample alerts in every template, as pages a browser can show: for the page tests and screenshots.

The alerts are our own made-up incidents (tests/support/delivery.py). An e-mail's HTML part is a
page already; its plain text and a chat message are shown the way a bidi-aware reader shows them:
each line a paragraph whose direction comes from its first strong letter (`unicode-bidi:
plaintext`, as in Thunderbird, Gmail and the chat apps).
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from alerts.message import Alert, Casualty, Claim, Evidence, PlaceRef, SourceRef
from alerts.render import Rendered, render, render_digest
from tests.support.delivery import make_alert

EVIDENCE = (
    "وقال مصدر أمني إن انتحاريا فجّر سيارة مفخخة عند بوابة أمنية في مدخل سرت الغربي، "
    "ما أدى إلى مقتل 5 من عناصر الأمن وإصابة 3 مدنيين."
)
CLAIM = "وتبنى تنظيم داعش الهجوم في بيان نشرته وكالة أعماق."


def _marks(text: str, *words: str) -> list[tuple[int, int]]:
    return [(text.index(w), text.index(w) + len(w)) for w in words]


def severe_alert(revision: int = 1) -> Alert:
    """A suicide bombing at a checkpoint, claimed via Amaq: every block of the message filled."""
    detected = datetime(2026, 3, 14, 6, 40, tzinfo=UTC)
    return make_alert(
        "sirte-12",
        revision,
        which=1,
        incident_type="suicide_bombing",
        title="انتحاري يفجر سيارة مفخخة عند بوابة أمنية غرب سرت",
        places=[
            PlaceRef(
                name="سرت",
                lat=31.2060,
                lon=16.5836,
                region="طرابلس",
                name_en="Sirte",
                region_en="Tripolitania",
            )
        ],
        killed=5,
        injured=3,
        casualties=[
            Casualty(who="security forces", killed=5),
            Casualty(who="civilians", injured=3),
        ],
        claim=Claim(by="داعش", via="أعماق", sentence=CLAIM),
        target="checkpoint",
        confidence="high",
        evidence=[
            Evidence(text=EVIDENCE, marks=_marks(EVIDENCE, "انتحاريا", "سيارة مفخخة", "سرت")),
            Evidence(text=CLAIM, marks=_marks(CLAIM, "تنظيم داعش", "تبنى")),
        ],
        sources=[
            SourceRef(
                outlet="libya-observer",
                url="https://news.example.org/a/sirte-12-1",
                title="انتحاري يفجر سيارة مفخخة عند بوابة أمنية غرب سرت",
                outlet_title="Libya Observer",
            ),
            SourceRef(
                outlet="local-libya",
                url="https://news.example.org/a/sirte-12-2",
                title="خمسة قتلى في تفجير انتحاري بسرت",
                outlet_title="ليبيا المحلية",
            ),
        ],
        why=[
            "rule actor-incident-place (0.80) in sentence 2: incident «هجوم»",
            "+0.10 gives a casualty count",
        ],
        detected_at=detected,
        event_date="2026-03-14",
    )


def unattributed_alert() -> Alert:
    return make_alert(
        "derna-3", which=2, attribution="unattributed", confidence="possible", claim=None,
        places=[PlaceRef(name="درنة", lat=32.7594, lon=22.6383, region="برقة", name_en="Derna")],
    )  # fmt: skip


def samples(language: str) -> dict[str, Rendered]:
    """One message of each kind in `language`."""
    first = severe_alert()
    update = severe_alert(2).model_copy(
        update={"update_reasons": ["casualties", "claim"], "kind": "update"}
    )
    return {
        "new": render(first, language),
        "update": render(update, language),
        "digest": render_digest([first, unattributed_alert(), make_alert("q-1")], language),
        "test": render(first, language, test=True),
    }


def text_page(text: str, language: str, title: str = "") -> str:
    """Plain text or a chat message as a reader shows it: one paragraph a line, each taking
    its direction from its first strong letter."""
    lines = "\n".join(
        f'<div class="line" style="unicode-bidi:plaintext;white-space:pre-wrap">{escape(line) or "&nbsp;"}</div>'
        for line in text.split("\n")
    )
    return (
        f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8"><title>{escape(title)}'
        "</title></head><body style=\"font-family:'DejaVu Sans',sans-serif;max-width:40em;"
        f'margin:1em;text-align:start">{lines}</body></html>'
    )
