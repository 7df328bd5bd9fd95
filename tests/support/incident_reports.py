"""Our own Arabic reports for the incident tests: one attack told by five outlets, copies, look-alikes.

All invented for these tests (places from the gazetteer, outlets and events fictional).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from crawler.detect import Detection, Detector, Document
from crawler.incidents import Article

ROOT = Path(__file__).resolve().parents[2]

HOSTS = {
    "وكالة الصحراء للأنباء": "sahara-news.example",
    "فزان اليوم": "fezzan-today.example",
    "الجنوب نيوز": "south-news.example",
    "ليبيا الآن": "libya-now.example",
    "المرصد الليبي": "observer.example",
    "الوسط الليبي": "wasat.example",
}
DAY = datetime(2024, 3, 12, tzinfo=UTC)  # the Traghen attack, at dawn


@dataclass(frozen=True)
class Dispatch:
    """One report as an outlet published it."""

    outlet: str
    slug: str
    title: str
    paragraphs: tuple[str, ...]
    published: datetime

    @property
    def url(self) -> str:
        return f"https://{HOSTS[self.outlet]}/news/{self.slug}"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def article(self) -> Article:
        return Article(
            source=self.outlet, url=self.url, title=self.title, text=self.text,
            published=self.published,
        )  # fmt: skip

    def line(self) -> dict[str, Any]:
        """As a `raqib scan --jsonl` line."""
        return {
            "id": self.slug, "title": self.title, "text": self.text, "url": self.url,
            "source": self.outlet, "published": self.published.isoformat(),
        }  # fmt: skip


def _at(hours: float, days: int = 0) -> datetime:
    return DAY + timedelta(days=days, hours=hours)


_WIRE_BODY = (
    "هاجم مسلحون ينتمون إلى تنظيم داعش فجر اليوم الثلاثاء بوابة أمنية عند المدخل الشمالي لبلدة "
    "تراغن جنوب ليبيا، ما أسفر عن مقتل 3 من عناصر الأمن وإصابة 2 آخرين.",
    "وقال مصدر أمني إن المهاجمين وصلوا على متن سيارتين رباعيتي الدفع وأطلقوا النار على أفراد "
    "البوابة قبل أن يلوذوا بالفرار باتجاه الصحراء.",
    "وأضاف المصدر أن تعزيزات عسكرية وصلت إلى المنطقة وبدأت عمليات تمشيط واسعة بحثا عن المهاجمين.",
)
_TOLL_BODY = (
    "ارتفعت حصيلة الهجوم الذي شنه تنظيم داعش على بوابة أمنية في بلدة تراغن إلى 5 قتلى و4 جرحى، "
    "بعد وفاة اثنين من المصابين متأثرين بجراحهما.",
    "وقال مسؤول في المجلس البلدي لتراغن إن الضحايا جميعهم من أبناء المنطقة، مطالبا الحكومة "
    "بتعزيز الأمن في الجنوب وتوفير الإمكانات اللازمة للأجهزة الأمنية.",
)

# The same attack from five outlets over one morning, in the order they appear.
WIRE = Dispatch(
    "وكالة الصحراء للأنباء", "traghen-attack",
    "هجوم لداعش على بوابة أمنية في تراغن جنوب ليبيا", _WIRE_BODY, _at(6),
)  # fmt: skip
WIRE_COPY = Dispatch(  # the wire story run word for word, under another headline
    "فزان اليوم", "2024/03/12/12345",
    "مقتل 3 من عناصر الأمن في هجوم على بوابة تراغن",
    ("تراغن (وكالة الصحراء للأنباء) -", *_WIRE_BODY, "تابعونا على صفحتنا لمزيد من الأخبار."),
    _at(6.7),
)  # fmt: skip
OWN_STORY = Dispatch(  # another outlet's own words, the same figures
    "الجنوب نيوز", "traghen-checkpoint",
    "مقتل 3 من رجال الأمن في هجوم إرهابي على بوابة تراغن",
    (
        "قتل 3 من رجال الأمن وأصيب 2 آخرون في هجوم شنه عناصر من تنظيم الدولة الإسلامية على "
        "بوابة تفتيش في بلدة تراغن بمنطقة فزان صباح اليوم.",
        "وأفاد شهود عيان بأن تبادلا لإطلاق النار استمر قرابة نصف ساعة، وأن المهاجمين أحرقوا آلية "
        "تابعة للبوابة قبل انسحابهم.",
        "ولم تعلن أي جهة مسؤوليتها عن الهجوم حتى الآن.",
    ),
    _at(7.5),
)  # fmt: skip
HIGHER_TOLL = Dispatch(
    "ليبيا الآن", "traghen-toll",
    "ارتفاع حصيلة هجوم داعش في تراغن إلى 5 قتلى", _TOLL_BODY, _at(9),
)  # fmt: skip
HIGHER_TOLL_COPY = Dispatch(
    "المرصد الليبي", "traghen-toll-5",
    "حصيلة هجوم تراغن ترتفع إلى 5 قتلى", _TOLL_BODY, _at(9.5),
)  # fmt: skip
CLAIM = Dispatch(  # the wire again, with the claim of responsibility
    "وكالة الصحراء للأنباء", "traghen-claim",
    "داعش يتبنى الهجوم على بوابة تراغن",
    (
        "أعلن تنظيم داعش الإرهابي، عبر وكالة أعماق التابعة له، مسؤوليته عن الهجوم الذي استهدف "
        "بوابة أمنية في بلدة تراغن جنوب ليبيا فجر اليوم.",
        "وزعم التنظيم في بيانه أن عناصره استولوا على أسلحة أفراد البوابة وآليتهم قبل انسحابهم.",
    ),
    _at(12),
)  # fmt: skip
FIVE_OUTLETS = (WIRE, WIRE_COPY, OWN_STORY, HIGHER_TOLL, HIGHER_TOLL_COPY, CLAIM)
# (kind, update reasons, revision) each of them must give
FIVE_OUTLETS_EXPECTED = (
    ("new", (), 1),
    ("duplicate", (), 1),
    ("update", ("new_source",), 2),
    ("update", ("new_source", "casualties"), 3),
    ("duplicate", (), 3),
    ("update", ("claim",), 4),
)

STALE_TOLL = Dispatch(  # later, an outlet still carrying the first, lower figure
    "الوسط الليبي", "traghen-stale",
    "هجوم داعشي على بوابة في تراغن",
    (
        "أسفر هجوم نفذه عناصر تنظيم داعش على بوابة أمنية في تراغن عن مقتل 3 من أفراد الأمن، "
        "وفق ما أفادت مصادر محلية.",
    ),
    _at(13),
)  # fmt: skip
CORRECTION = Dispatch(
    "الوسط الليبي", "traghen-correction",
    "الداخلية تصحح حصيلة هجوم تراغن: 4 قتلى",
    (
        "أعلنت وزارة الداخلية أن حصيلة الهجوم الذي شنه تنظيم داعش على بوابة أمنية في بلدة تراغن "
        "بلغت 4 قتلى و3 جرحى، خلافا لما تداولته بعض وسائل الإعلام.",
    ),
    _at(15),
)  # fmt: skip

# Look-alikes that are other incidents.
WEEK_LATER = Dispatch(  # the same town, a week later
    "الجنوب نيوز", "traghen-ied",
    "عبوة ناسفة تستهدف دورية عسكرية قرب تراغن",
    (
        "انفجرت عبوة ناسفة زرعها عناصر من تنظيم داعش على الطريق المؤدي إلى بلدة تراغن، "
        "مستهدفة دورية تابعة للجيش، ما أدى إلى إصابة 3 جنود بجروح متفاوتة.",
        "وقال مصدر عسكري إن الدورية كانت في مهمة روتينية لتأمين الطريق.",
    ),
    _at(8, days=7),
)  # fmt: skip
SABHA_SAME_DAY = Dispatch(
    "ليبيا الآن", "sabha-police",
    "هجوم لداعش على مركز شرطة في سبها",
    (
        "هاجم عناصر من تنظيم داعش مساء اليوم مركز شرطة في مدينة سبها، ما أدى إلى مقتل 2 من "
        "أفراد الشرطة وإصابة 1 آخر.",
        "وأغلقت الأجهزة الأمنية مداخل المدينة بحثا عن المهاجمين.",
    ),
    _at(18),
)  # fmt: skip
QATRUN_SAME_DAY = Dispatch(
    "فزان اليوم", "qatrun-gate",
    "هجوم داعشي على بوابة عسكرية في القطرون",
    (
        "شن مسلحون من تنظيم داعش هجوما على بوابة عسكرية في مدينة القطرون أقصى الجنوب الليبي "
        "مساء اليوم، ما أسفر عن مقتل 4 جنود.",
        "وقال آمر البوابة إن قواته اشتبكت مع المهاجمين لساعة قبل أن ينسحبوا.",
    ),
    _at(19),
)  # fmt: skip
ARREST_SAME_TOWN = Dispatch(  # the same town, the same day, another kind of event
    "الوسط الليبي", "traghen-cell",
    "القبض على خلية لداعش في تراغن",
    (
        "أعلنت الأجهزة الأمنية القبض على خلية تابعة لتنظيم داعش في بلدة تراغن، تضم 4 عناصر كانوا "
        "يخططون لتنفيذ عمليات في الجنوب.",
    ),
    _at(20),
)  # fmt: skip
VAGUE_SAME_DAY = Dispatch(  # no town named: "southern Libya" only
    "المرصد الليبي", "south-attack",
    "هجوم لداعش جنوب ليبيا",
    (
        "قالت مصادر محلية إن عناصر من تنظيم داعش هاجموا فجر اليوم بوابة أمنية في جنوب ليبيا، "
        "دون أن تحدد المصادر عدد الضحايا.",
    ),
    _at(10),
)  # fmt: skip

NOT_AN_INCIDENT = Dispatch(
    "الوسط الليبي", "football",
    "الأهلي بنغازي يفوز على النصر في الدوري الليبي",
    (
        "فاز فريق الأهلي بنغازي على ضيفه النصر بهدفين نظيفين في المباراة التي جمعتهما مساء أمس "
        "ضمن منافسات الدوري الليبي الممتاز.",
    ),
    _at(16),
)  # fmt: skip


@cache
def detector() -> Detector:
    """The shipped watchlist and gazetteer, compiled once for all the incident tests."""
    return Detector.from_files([ROOT / "config/watchlists/isis-libya.yaml"])


def detect(dispatch: Dispatch) -> Detection:
    article = dispatch.article()
    return detector().detect(
        Document(
            text=article.text, title=article.title, url=article.url, published=article.published
        )
    )
