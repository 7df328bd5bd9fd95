"""Classes blind set 41 showed (issue 13, twelfth round): a UN mission condemning this morning's
attack, the victims' work («ترميم الطريق») that is no reopening, investigators pointing to a cell
(«وقوف خلية … وراء»), an era named after the actor, a group «no different from» it, the actor
in a dated past clause, what the actor «may» do, and a death today of a wound from a past year;
set 44's: a wire's background sentence, a reaction after the news, a border between two
countries, a prison's held, the actor's accounts. Our own sentences, none from a labelled
set."""

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
    ("«كان قد نجا من هجوم عام 2016» inside the news's clause keeps its actor", True, None,
     "قتل شرطي كان قد نجا من هجوم عام 2016 في هجوم تبناه داعش اليوم في سرت.", False),
    ("«، وكانت خلية لداعش قد هاجمت … عام 2019» is the past's actor", False, None,
     "قتل جنديان اليوم في هجوم على بوابة في سرت، وكانت خلية لداعش قد هاجمت البوابة نفسها عام"
     " 2019.", True),
    ("a claim told «وكان التنظيم قد تبنى» with no year is this attack's", True, None,
     "هاجم مسلحون بوابة للجيش في بلدة هون فجر اليوم وقتلوا جنديين. وكان تنظيم داعش قد تبنى"
     " الهجوم في بيان على أعماق.", True),
    ("a soldier dead today of a wound from a past year's battle, undated", False, None,
     "توفي صباح اليوم في مستشفى مصراتة الجندي سالم علي متأثرا بإصابته التي تعرض لها خلال معارك"
     " سرت مع تنظيم داعش عام 2016 حين أصابته شظايا قذيفة.", False),
    ("a soldier dead today of yesterday's bombing, undated", True, None,
     "توفي صباح اليوم الجندي سالم علي متأثرا بجروحه التي أصيب بها في تفجير عبوة ناسفة زرعها"
     " عناصر تنظيم داعش أمس على طريق دورية في سرت.", False),
    # set 44's classes
    ("a wire's background sentence on the place: its frame weighs half", True, None,
     "زلة (أ ف ب) - قتل جنديان مساء الأحد في هجوم على نقطة تفتيش عند مدخل بلدة زلة، وفق مصدر"
     " عسكري. وتقع زلة قرب حقول نفطية، وتشهد المنطقة منذ سنوات هجمات متفرقة. وتبنى تنظيم الدولة"
     " الإسلامية الهجوم في بيان.", True),
    ("the actor in a wire's dated background sentence on the place is the past's", False, None,
     "قتل عنصر من جهاز الهجرة اليوم في اشتباك مع مهربين جنوب الكفرة. وتعد هذه الطرق، التي"
     " استخدمها عناصر تنظيم داعش للتنقل بعد طردهم من سرت عام 2016، من أنشط مسارات التهريب.",
     True),
    ("«ويعد هذا الهجوم الأول الذي يتبناه تنظيم داعش …» names the news's actor", True, None,
     "انفجرت سيارة مفخخة عند بوابة في سرت اليوم، ما أدى إلى مقتل ثلاثة جنود. ويعد هذا الهجوم"
     " الأول الذي يتبناه تنظيم داعش في المدينة منذ عامين.", True),
    ("a condemnation with condolences to the families weighs once", True,
     "الرئاسي يدين الهجوم على بوابة سبها",
     "أدان المجلس الرئاسي الهجوم الإرهابي الذي استهدف فجر اليوم البوابة الجنوبية لمدينة سبها،"
     " معربا عن تعازيه لأسر الضحايا. وكان مسلحون قد هاجموا البوابة فقتلوا أربعة من عناصرها."
     " وأعلن تنظيم داعش لاحقا مسؤوليته عن الهجوم.", True),
    ("an attack at a post «على الحدود الليبية الجزائرية» is in Libya", True, None,
     "أعلنت إدارة منفذ بري على الحدود الليبية الجزائرية تعليق العبور، بعد هجوم شنته عناصر"
     " موالية لداعش ليل الأربعاء على نقطة لحرس الحدود قرب غات.", True),
    ("Egypt's border guards «عبر الحدود الغربية مع ليبيا» are Egypt's", False, None,
     "أعلن المتحدث العسكري المصري اليوم أن قوات حرس الحدود أحبطت محاولة تهريب أسلحة عبر"
     " الحدود الغربية مع ليبيا كانت في طريقها إلى خلية تابعة لتنظيم داعش، وقتلت أربعة مسلحين.",
     True),
    ("a prison's held «بينهم عناصر من تنظيم داعش» are no actor", False, None,
     "اندلعت اشتباكات اليوم بين مجموعتين مسلحتين في محيط مطار معيتيقة، ما أدى إلى مقتل أربعة"
     " أشخاص. وعبر سكان عن مخاوفهم من تمدد القتال نحو سجن معيتيقة الذي يضم مئات الموقوفين،"
     " بينهم عناصر من تنظيم داعش.", True),
    ("an arrest of men «بينهم عناصر من تنظيم داعش» is an incident", True, None,
     "اعتقلت قوة أمنية اليوم خمسة أشخاص في سبها، بينهم عناصر من تنظيم داعش.", True),
    ("«توقيف شاب ليبي» abroad: a person's nationality places nothing", False, None,
     "أعلنت الشرطة الإيطالية السبت توقيف شاب ليبي في مدينة باري للاشتباه في نشره دعاية لتنظيم"
     " الدولة الإسلامية.", True),
    ("a Libyan soldier killed near Sirte is still placed by the town", True, None,
     "قتل جندي ليبي اليوم في هجوم لداعش على بوابة قرب سرت.", True),
    ("«لا توجد أي مؤشرات على تورط … داعش» denies the link", False, None,
     "قتلت ناشطة حقوقية بالرصاص داخل سيارتها في وسط بنغازي مساء الأحد. وقال مسؤول في الشرطة"
     " إنه لا توجد أي مؤشرات على تورط جماعات متطرفة مثل داعش في الجريمة.", True),
    ("a car bomb with the actor only as one hypothesis is the lower tier", False, None,
     "انفجرت سيارة مفخخة عند البوابة الغربية لمدينة أجدابيا اليوم، ما أسفر عن مقتل ثلاثة."
     " ولم تعلن أي جهة مسؤوليتها، وقال مصدر أمني: لا نستبعد أي فرضية بما فيها خلايا داعش.",
     True),
    ("a Q&A's short questions open the body without telling it", True,
     "أسئلة وأجوبة: ما الذي نعرفه عن تفجير سوق هون؟",
     "ماذا حدث؟ انفجرت عبوة ناسفة داخل سوق الخضار في بلدة هون مساء أمس. كم عدد الضحايا؟ قتل"
     " شخصان وأصيب تسعة. من يقف وراء التفجير؟ تبنى تنظيم داعش العملية في بيان نشرته وكالة"
     " أعماق.", True),
    ("the actor's accounts tell the act later", True, "مقتل شرطي بعبوة لاصقة في تاجوراء",
     "قتل شرطي إثر انفجار عبوة لاصقة وضعت أسفل سيارته قرب سوق في منطقة تاجوراء ظهر اليوم."
     " وقال الناطق باسم الداخلية إن الجهات المختصة تحصر أعداد الجرحى. وبعد ساعات، نشرت حسابات"
     " مقربة من تنظيم داعش صورة للشرطي وقالت إن جنود التنظيم استهدفوه.", True),
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


# (what it checks, text, the top place)
PLACES = [
    ("«مركز شرطة القريات»: a police station named by its town", "هاجم مسلحون فجر اليوم مركز"
     " شرطة القريات وقتلوا شرطيين، ونقل جريح إلى مستشفى مزدة. وتبنى تنظيم داعش الهجوم.",
     "القريات"),
]  # fmt: skip


@pytest.mark.parametrize(("about", "text", "place"), PLACES, ids=[p[0] for p in PLACES])
def test_place(about: str, text: str, place: str) -> None:
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.is_incident, f"{about}: {found.why}"
    assert found.places and found.places[0].name == place, f"{about}: {found.why}"
