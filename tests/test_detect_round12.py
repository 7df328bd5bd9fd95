"""Classes blind set 41 showed (issue 13, twelfth round): a UN mission condemning this morning's
attack, the victims' work («ترميم الطريق») that is no reopening, investigators pointing to a cell
(«وقوف خلية … وراء»), an era named after the actor, a group «no different from» it, the actor
in a dated past clause, what the actor «may» do, and a death today of a wound from a past year.
Our own sentences, none from a labelled set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.detect import Document
from tests.support.incident_reports import detector

PUBLISHED = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)

# (what it checks, is a new incident, title, text, dated: with a publication date)
PIECES = [
    ("a UN mission condemning this morning's attack carries it", True, None,
     "أدانت بعثة الأمم المتحدة للدعم في ليبيا الهجوم الانتحاري الذي استهدف صباح اليوم مركزا"
     " للشرطة في مدينة الجفرة وأودى بحياة ثلاثة عناصر. وأشارت البعثة إلى أن تنظيم داعش أعلن"
     " مسؤوليته عن الهجوم.", True),
    ("a UN warning of what the actor may do is no incident", False, None,
     "حذرت بعثة الأمم المتحدة من أن تنظيم داعش قد يعاود تنفيذ هجمات في الجنوب الليبي مستغلا"
     " الفراغ الأمني.", True),
    ("«قد يشن» in an official's words is no incident", False, None,
     "قال مسؤول أمني إن خلايا تنظيم داعش قد تشن هجوما على البوابات في محيط سبها.", True),
    ("workers taken while restoring a road: the road work is no reopening", True, None,
     "خطف مسلحون من تنظيم الدولة أمس ثلاثة عمال مصريين أثناء عملهم في ترميم مقطع من الطريق"
     " بين سبها وأوباري، واقتادوهم إلى جهة مجهولة.", True),
    ("a school reopened after its restoration is no incident", False, None,
     "استقبلت مدرسة في سرت تلاميذها اليوم لأول مرة بعد ترميمها من آثار المعارك مع تنظيم داعش"
     " التي دمرت جزءا كبيرا منها.", True),
    ("investigators point to a cell: the attack the lead told", True, None,
     "انفجرت عبوة ناسفة مساء أمس بسيارة دورية لمديرية أمن درنة في حي الساحل الشرقي، ما أدى"
     " إلى مقتل شرطي. وقالت المديرية إن التحريات تشير إلى وقوف خلية تابعة لتنظيم داعش وراء"
     " التفجير.", True),
    ("a killing that recalls «the days of» the actor is not its", False, None,
     "اغتال مسلحون مجهولون مساء أمس محاميا أمام مكتبه في مدينة سبها. وكتب أحد أقاربه أن طريقة"
     " القتل تذكرنا بأيام داعش، ولم تعلن أي جهة مسؤوليتها.", True),
    ("strikes on another group «no different from» the actor, who fought it years ago", False,
     None,
     "شن الطيران غارات اليوم على مواقع لمجلس شورى درنة في حي شيحا، ما أدى إلى مقتل امرأة."
     " ويضم المجلس فصائل مسلحة، وكان قد خاض مواجهات مع تنظيم داعش وطرده من درنة عام 2015،"
     " لكن القيادة تصنفه تنظيما لا يختلف عن داعش.", True),
    ("a claim told «وكان التنظيم قد تبنى» with no year is this attack's", True, None,
     "هاجم مسلحون بوابة للجيش في بلدة هون فجر اليوم وقتلوا جنديين. وكان تنظيم داعش قد تبنى"
     " الهجوم في بيان على أعماق.", True),
    ("a soldier dead today of a wound from a past year's battle, undated", False, None,
     "توفي صباح اليوم في مستشفى مصراتة الجندي سالم علي متأثرا بإصابته التي تعرض لها خلال معارك"
     " سرت مع تنظيم داعش عام 2016 حين أصابته شظايا قذيفة.", False),
    ("a soldier dead today of yesterday's bombing, undated", True, None,
     "توفي صباح اليوم الجندي سالم علي متأثرا بجروحه التي أصيب بها في تفجير عبوة ناسفة زرعها"
     " عناصر تنظيم داعش أمس على طريق دورية في سرت.", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("about", "incident", "title", "text", "dated"), PIECES, ids=[p[0] for p in PIECES]
)
def test_piece(about: str, incident: bool, title: str | None, text: str, dated: bool) -> None:
    document = Document(title=title, text=text, published=PUBLISHED if dated else None)
    found = detector().detect(document)
    assert found.is_incident is incident, f"{about}: {found.why}"


def test_the_gates_members_are_the_victims_not_the_attackers() -> None:
    """«استشهاد اثنين من أفراد البوابة وفرار المهاجمين»: the gate's men, not the attackers'."""
    found = detector().detect(
        Document(
            text="عاجل | هجوم لعناصر داعش على البوابة الجنوبية لمدينة سبها قبل قليل، ومعلومات"
            " أولية عن استشهاد اثنين من أفراد البوابة وفرار المهاجمين.",
            published=PUBLISHED,
        )
    )
    assert found.is_incident, found.why
    assert found.killed == 2, found.why
