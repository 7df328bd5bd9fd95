"""Builders for the RSS feeds and article pages the test HTTP server serves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_ARTICLE = ROOT / "seeds/articles/seed-article-000.txt"


@dataclass
class Item:
    title: str
    link: str
    summary: str = ""
    guid: str | None = None
    published: datetime | None = None


def rss(items: list[Item], title: str = "أخبار تجريبية", encoding: str = "utf-8") -> bytes:
    entries = []
    for item in items:
        date = format_datetime(item.published or datetime(2022, 1, 27, 9, 0, tzinfo=UTC))
        entries.append(
            f"<item><title>{escape(item.title)}</title><link>{escape(item.link)}</link>"
            f"<guid>{escape(item.guid or item.link)}</guid><pubDate>{date}</pubDate>"
            f"<description>{escape(item.summary)}</description></item>"
        )
    xml = (
        f'<?xml version="1.0" encoding="{encoding}"?>\n'
        f'<rss version="2.0"><channel><title>{escape(title)}</title><link>http://example.org/</link>'
        f"<description>test</description>{''.join(entries)}</channel></rss>"
    )
    return xml.encode(encoding)


def article_page(title: str, paragraphs: list[str], charset: str = "utf-8") -> bytes:
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    html = (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="{charset}">'
        f"<title>{escape(title)}</title></head><body>"
        f'<nav><a href="/">الرئيسية</a> | <a href="/sport">رياضة</a></nav>'
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        f"<footer>جميع الحقوق محفوظة</footer></body></html>"
    )
    return html.encode(charset)


def seed_article() -> tuple[str, list[str]]:
    """The seed article (Qatrun, January 2022): its title and paragraphs."""
    lines = [
        line.strip()
        for line in SEED_ARTICLE.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return lines[0], lines[1:]


# Our own sentences for the walking-skeleton feed: one Libyan sports item, one ISIS attack in Syria.
SPORT_TITLE = "الأهلي طرابلس يفوز على الاتحاد في ديربي العاصمة الليبية"
SPORT_TEXT = [
    "فاز فريق الأهلي طرابلس على غريمه الاتحاد بهدفين مقابل هدف في مباراة الديربي التي أقيمت مساء أمس على ملعب طرابلس الدولي.",
    "وسجل مهاجم الأهلي هدف الفوز في الدقائق الأخيرة وسط حضور جماهيري كبير، ليتصدر الفريق ترتيب الدوري الليبي الممتاز.",
    "وقال مدرب الفريق إن اللاعبين قدموا مباراة كبيرة وإن الهدف الآن هو التتويج باللقب في نهاية الموسم.",
]
SYRIA_TITLE = "هجوم لداعش على حاجز للجيش في ريف دير الزور"
SYRIA_TEXT = [
    "شن مسلحون من تنظيم داعش الإرهابي فجر اليوم هجوما على حاجز عسكري في بادية دير الزور شرقي سوريا، ما أدى إلى مقتل خمسة جنود.",
    "وقالت مصادر محلية إن المهاجمين استخدموا أسلحة رشاشة وقذائف قبل أن ينسحبوا باتجاه عمق البادية السورية.",
    "ويأتي الهجوم ضمن سلسلة هجمات يشنها التنظيم في المنطقة منذ بداية العام.",
]


# Our own reports of ISIS incidents in Libya, for the crawler's tests: (title, paragraphs).
INCIDENTS = {
    "sabha": (
        "مسلحون من داعش يهاجمون بوابة أمنية قرب سبها",
        [
            "قال مصدر أمني إن عناصر من تنظيم داعش هاجموا بوابة أمنية جنوب سبها فجر اليوم، ما أدى إلى مقتل اثنين من الحراس وإصابة ثالث.",
            "وأضاف المصدر أن المهاجمين وصلوا على متن سيارتين رباعيتي الدفع وانسحبوا نحو الصحراء بعد تبادل لإطلاق النار.",
        ],
    ),
    "ubari": (
        "داعش يتبنى تفجير عبوة ناسفة استهدفت دورية قرب أوباري",
        [
            "أعلن تنظيم داعش مسؤوليته عن تفجير عبوة ناسفة استهدفت دورية عسكرية قرب مدينة أوباري أمس، وأسفر الانفجار عن مقتل ثلاثة جنود.",
            "وقالت مصادر عسكرية إن الدورية كانت في مهمة لتأمين الطريق الصحراوي.",
        ],
    ),
    "baniwalid": (
        "القبض على خلية تابعة لداعش في بني وليد",
        [
            "أعلنت الأجهزة الأمنية القبض على خلية تابعة لتنظيم داعش في مدينة بني وليد كانت تخطط لتنفيذ هجمات في المنطقة.",
            "وضبطت القوات بحوزة أفراد الخلية أسلحة ومتفجرات ووثائق.",
        ],
    ),
    "jufra": (
        "هجوم لداعش على نقطة تفتيش في الجفرة",
        [
            "هاجم مسلحون ينتمون إلى تنظيم داعش نقطة تفتيش على الطريق الرابط بين هون وودان في الجفرة، وقتلوا جنديين قبل أن يفروا إلى الصحراء.",
            "وأعلنت القيادة العامة رفع حالة التأهب في المنطقة.",
        ],
    ),
}
MARKET_TITLE = "الأسواق تشهد حركة نشطة في طرابلس"
MARKET_TEXT = (
    "شهدت أسواق العاصمة طرابلس حركة نشطة مع اقتراب عيد الفطر وارتفاع الطلب على الملابس والحلويات."
)
