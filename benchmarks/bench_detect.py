"""Detection throughput (MB/s of Arabic text, articles/s, one core) against a bare normalise-and-scan."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from crawler.detect import Detector, Document
from crawler.detect.text.normalise import normalise

ROOT = Path(__file__).resolve().parent.parent
WATCHLIST = ROOT / "config/watchlists/isis-libya.yaml"
SEED = ROOT / "seeds/articles/seed-article-000.txt"
CHALLENGE_SETS = ROOT / "tests/data"
TARGET_MB = 6.0
SHARE_ABOUT_VIOLENCE = 0.15  # of articles in the realistic mix; the rest is everyday news

# Everyday news, written for this benchmark: what most of a feed is.
EVERYDAY = [
    "أعلن المصرف المركزي الليبي عن تعديل سعر صرف الدينار مقابل العملات الأجنبية اعتبارا من الشهر المقبل.",
    "افتتح وزير التعليم مدرسة جديدة في حي الأندلس بطرابلس تتسع لألف تلميذ.",
    "ارتفعت أسعار الخضروات في أسواق بنغازي بسبب موجة البرد التي ضربت المنطقة الشرقية.",
    "قالت المؤسسة الوطنية للنفط إن صادرات الخام ارتفعت خلال الربع الأول من العام.",
    "فاز فريق الاتحاد على الأهلي بهدفين مقابل هدف في مباراة مثيرة على ملعب طرابلس الدولي.",
    "بحث رئيس المجلس الرئاسي مع السفير الإيطالي سبل تعزيز التعاون الاقتصادي بين البلدين.",
    "أعلنت شركة الكهرباء عن برنامج لطرح الأحمال في عدد من مدن الجنوب خلال فصل الصيف.",
    "شهدت مدينة مصراتة افتتاح معرض دولي للصناعات الغذائية بمشاركة شركات من عشرين دولة.",
    "وافق مجلس النواب على مشروع قانون الميزانية العامة بعد نقاشات استمرت ثلاثة أيام.",
    "حذرت الأرصاد الجوية من رياح قوية وأمطار غزيرة على السواحل الشمالية.",
    "أطلقت وزارة الصحة حملة تطعيم ضد شلل الأطفال تستهدف مليون طفل في مختلف المدن.",
    "تخرجت دفعة جديدة من طلبة كلية الطب في جامعة سبها بحضور عميد الكلية.",
    "وقعت الحكومة اتفاقية مع شركة تركية لإنشاء محطة لتحلية مياه البحر في زوارة.",
    "ناقش مؤتمر علمي في جامعة عمر المختار سبل الحفاظ على الغطاء النباتي في الجبل الأخضر.",
    "أكد وزير المواصلات أن أعمال صيانة الطريق الساحلي ستنتهي قبل نهاية العام.",
    "سجلت أسعار الذهب في السوق المحلية ارتفاعا جديدا مع تراجع قيمة الدولار.",
    "احتفلت مدينة غدامس بمهرجانها السياحي السنوي وسط حضور لافت للزوار الأجانب.",
    "أعلن الاتحاد الليبي لكرة القدم عن موعد انطلاق الموسم الجديد للدوري الممتاز.",
    "استقبل ميناء طرابلس شحنة من القمح تكفي احتياجات السوق لثلاثة أشهر.",
    "دعت منظمات المجتمع المدني إلى تسريع إجراء الانتخابات البلدية في المدن المتأخرة.",
    "بدأت شركة الاتصالات بتركيب أبراج الجيل الخامس في العاصمة ومدن الساحل.",
    "قررت وزارة الاقتصاد تخفيض الرسوم الجمركية على المواد الغذائية الأساسية.",
    "نظمت جمعية الهلال الأحمر قافلة طبية إلى القرى النائية في وادي الشاطئ.",
    "أشاد البنك الدولي بالإصلاحات المالية التي نفذتها الحكومة خلال العامين الماضيين.",
    "أعلنت هيئة السياحة عن خطة لترميم المواقع الأثرية في لبدة وصبراتة وشحات.",
    "تعرضت شبكة المياه في مدينة الزاوية لأعطال أدت إلى انقطاع الإمدادات عن عدة أحياء.",
    "حصل منتخب ليبيا لكرة السلة على الميدالية الفضية في البطولة العربية.",
    "أكدت وزارة الزراعة أن موسم حصاد القمح في الكفرة يبشر بإنتاج وفير هذا العام.",
    "عقدت لجنة الطاقة اجتماعا لمناقشة مشروعات الطاقة الشمسية في الجنوب.",
    "افتتحت أول مكتبة عامة رقمية في مدينة درنة بعد إعادة تأهيل مبناها.",
]


def our_sentences() -> list[str]:
    """The sentences of our own challenge sets (tests/data, all written for Raqib): violence,
    verdicts, anniversaries, ISIS abroad, everyday Libya. Read as data: benchmarks import no test."""
    sentences: list[str] = []
    for path in sorted(CHALLENGE_SETS.glob("challenge*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lead = json.loads(line)
                text = f"{lead.get('title') or ''}. {lead.get('text') or ''}"
                sentences += [s.strip() + "." for s in text.split(".") if len(s.strip()) > 20]
    return sentences


def corpus(share_about_violence: float, target_mb: float = TARGET_MB) -> list[Document]:
    """Articles of 6 to 30 sentences, drawn (seeded) from two pools of our own sentences.

    An article about violence takes its sentences from our challenge sets and the seed article
    (ISIS, attacks, clashes, verdicts, anniversaries …), mixed with everyday ones; the others
    are everyday news only. share_about_violence=1.0 is the dense, pessimistic load.
    """
    seed = SEED.read_text(encoding="utf-8")
    violent = [*our_sentences(), *(s.strip() + "." for s in seed.split(".") if s.strip())]
    rng = random.Random(20220127)
    documents: list[Document] = []
    size = 0
    while size < target_mb * 1_000_000:
        about_violence = rng.random() < share_about_violence
        pool = violent + EVERYDAY if about_violence else EVERYDAY
        body = " ".join(rng.choice(pool) for _ in range(rng.randint(6, 30)))
        title = rng.choice(violent if about_violence else EVERYDAY)[:90]
        documents.append(Document(text=body, title=title, id=str(len(documents))))
        size += len(body.encode("utf-8")) + len(title.encode("utf-8"))
    return documents


# Real labelled leads beside the project (../shared/eval), when they are there: read at run
# time, never copied into the repository.
REAL_LEADS = ROOT.parent / "shared" / "eval"


def real_leads(repeat: int = 20) -> list[Document]:
    """dev and tune's real leads (news briefs, most about violence), `repeat` times over; none
    when the files are not beside the project."""
    documents: list[Document] = []
    for name in ("dev.jsonl", "tune.jsonl"):
        path = REAL_LEADS / name
        if not path.exists():
            return []
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                lead = json.loads(line)
                documents.append(
                    Document(text=lead.get("text") or "", title=lead.get("title"), id=lead["id"])
                )
    return documents * repeat


def _timed(run: Callable[[Document], object], documents: list[Document]) -> float:
    started = time.perf_counter()
    for doc in documents:
        run(doc)
    return time.perf_counter() - started


def measure(detector: Detector, documents: list[Document], label: str) -> float:
    megabytes = (
        sum(len(d.text.encode("utf-8")) + len((d.title or "").encode("utf-8")) for d in documents)
        / 1e6
    )
    matcher = detector.matcher

    def baseline(doc: Document) -> object:
        return matcher.find(normalise(f"{doc.title}\n\n{doc.text}"))

    def prefilter(doc: Document) -> object:
        return detector.prefilter(doc.title or "")

    _timed(detector.detect, documents[:50])  # warm up
    rows = [
        ("baseline: normalise + Aho-Corasick scan", _timed(baseline, documents)),
        ("detect: end to end (Detector.detect)", _timed(detector.detect, documents)),
        ("prefilter on titles", _timed(prefilter, documents)),
    ]
    sample = documents[:500]
    incidents = sum(detector.detect(d).is_incident for d in sample) / len(sample)
    print(
        f"\n{label}: {len(documents)} articles, {megabytes:.1f} MB of UTF-8 Arabic, {incidents:.0%} read as incidents"
    )
    base = rows[0][1]
    for name, seconds in rows:
        print(
            f"  {name:42s} {seconds:6.2f} s  {megabytes / seconds:7.2f} MB/s  {len(documents) / seconds:8.0f} articles/s"
            f"  ({seconds / base:4.1f}× the baseline's time)"
        )
    return megabytes / rows[1][1]


def main() -> None:
    detector = Detector.from_files([WATCHLIST], None)
    print("one process, one core; corpus built from our own sentences (see corpus())")
    realistic = measure(
        detector,
        corpus(SHARE_ABOUT_VIOLENCE),
        f"feed-like mix ({SHARE_ABOUT_VIOLENCE:.0%} of articles about violence)",
    )
    dense = measure(
        detector, corpus(1.0, target_mb=3.0), "dense (every article about violence: the worst case)"
    )
    leads = real_leads()
    if leads:
        measure(detector, leads, "real leads (dev and tune, 20 times over: short, dense news)")
    else:
        print(f"\n(real leads: {REAL_LEADS} is not there; skipped)")
    print(
        f"\ntarget ≥ 3 MB/s end to end on the feed-like mix: {'met' if realistic >= 3 else 'NOT met'} ({realistic:.2f} MB/s)"
    )
    print(
        f"target ≥ 2.5 MB/s end to end on dense text: {'met' if dense >= 2.5 else 'NOT met'} ({dense:.2f} MB/s)"
    )
