"""Issue 13, fourteenth round: tolls read by the shape of what is said rather than by one
phrasing — nobody hurt however it is said (a denial, a "nobody" and a verb of harm in one
clause), the next one of a cell counted before, bodies counted as «جثامين», one of the hurt
who died («و11 جريحا توفي أحدهم»), "them two", the bomber's own death further back, the actor's
members among a count; accounts «تابعة» to the actor; the country's name as who acts («ليبيا
تدين الهجوم») is no place. Our own sentences, none from a labelled set."""

from __future__ import annotations

import pytest

from crawler.detect import Document
from crawler.detect.facts.casualties import MILITANTS
from tests.support.incident_reports import detector
from tests.support.tolls import PUBLISHED, Toll, check_toll

AT = "على بوابة أمنية قرب بلدة هراوة فجر اليوم"
LEAD = f"هاجم عناصر من تنظيم داعش دورية {AT}."

TOLLS: list[Toll] = [
    # nobody hurt, in the order the news and the dialects put its words
    ("«لم يقتل أحد ولم يصب أحد»", None, f"{LEAD} والحمد لله لم يقتل أحد ولم يصب أحد من الحراس.",
     0, 0),
    ("the dialect's «ما حد تأذى»", None, f"{LEAD} وقال أحد الأهالي: الحمد لله ما حد تأذى.", 0, 0),
    ("«أحدا من … لم يصب بأذى»: nobody before the denial", None,
     f"{LEAD} وأكد آمر البوابة أن أحدا من الجنود أو العمال لم يصب بأذى.", 0, 0),
    ("«لم يتأذ أحد من أفراد الدورية»", None, f"{LEAD} ولم يتأذ أحد من أفراد الدورية.", 0, 0),
    ("«محدش اتصاب»", None, f"{LEAD} وقال جندي: محدش اتصاب والحمد لله.", 0, 0),
    ("«ما فيه حتى واحد تعور»", None, f"{LEAD} وقال شاهد: ما فيه حتى واحد تعور.", 0, 0),
    ("«دون أن يصاب أي منهم»", None, f"{LEAD} ونجا أفراد الدورية دون أن يصاب أي منهم.", 0, 0),
    ("«ما فيش حد مات» alone: none dead, the hurt untold", None,
     f"{LEAD} وقال شاهد: الحارس حي وما فيش حد مات.", 0, None),
    ("a verb of killing denied, the hurt counted", None,
     f"{LEAD} وأصيب ثلاثة جنود، ولم يقتل أحد.", 0, 3),
    # … and what is not "nobody"
    ("«لم يصب أحد سوى الحارس»: someone was", None,
     f"{LEAD} ولم يصب أحد سوى الحارس الذي نقل إلى المستشفى.", ..., None),
    ("«قتل أحد الحراس ولم يصب الآخرون»: «أحد» is one of them", None,
     f"{LEAD} وقتل أحد الحراس ولم يصب الآخرون بأذى.", 1, ...),
    ("«بعد ما قتل أحد الجنود»: «ما» is no denial there", None,
     f"{LEAD} وبعد ما قتل أحد الجنود انسحب المهاجمون.", 1, ...),
    ("«لا أحد يعرف كم قتل»: no verb of harm beside the denial", None,
     f"{LEAD} ولا أحد يعرف كم قتل في الهجوم.", None, None),
    ("«لم تصب القذائف أي هدف»: no person", None,
     f"{LEAD} وأطلق المهاجمون قذائف لم تصب أي هدف.", None, None),
    # the next one of those counted before
    ("«ثلاثة جنود وجرح رابع»: the fourth is a soldier", None,
     f"{LEAD} وقتل ثلاثة جنود وجرح رابع.", 3, 1),
    # one person named after «أن», then what befell him
    ("«أن جنديا أصيب بجروح»", None, f"{LEAD} وأضاف الناطق أن جنديا أصيب بجروح.", None, 1),
    ("«أن راعيا كان قرب الطريق أصيب»: words between", None,
     f"{LEAD} وقتل جنديان، وأن راعيا كان يرعى إبله قرب الطريق أصيب برصاصة في كتفه.", 2, 1),
    ("«إن شرطيا استشهد وأصيب ثلاثة»", None, f"{LEAD} وقال إن شرطيا استشهد وأصيب ثلاثة.", 1, 3),
    ("«أن جنديا قتل مدنيا» is no one's death but the civilian's", None,
     f"{LEAD} وقال إن مسلحا قتل جنديا.", 1, None),
    # "them two"
    ("«اقتادوا الراعيين وأعدموهما» is two", None,
     f"{LEAD} واقتاد المسلحون الراعيين من مرعاهما وأعدموهما رميا بالرصاص.", 2, ...),
    ("«ما أدى إلى مقتلهما» after a bomber is not his own death", None,
     f"{LEAD} وفجر انتحاري سيارته قرب جنديين ما أدى إلى مقتلهما.", 2, ...),
    ("«قتل جنديان بعدما خطفهما المسلحون وقتلوهما» is two, not four", None,
     f"{LEAD} وقتل جنديان بعدما خطفهما المسلحون وقتلوهما.", 2, ...),
    # the bomber's own death, further back in the sentence
    ("«فجر انتحاري … وسط تجمع … أمام مقر …، ما أدى إلى مقتله ومقتل أربعة»", None,
     "فجر انتحاري ينتمي إلى تنظيم داعش حزامه الناسف، ظهر اليوم، وسط تجمع لعناصر الأمن أمام"
     " مقر مديرية الأمن في مدينة سرت، ما أدى إلى مقتله ومقتل أربعة من رجال الأمن وجرح أحد عشر"
     " آخرين.", 4, 11),
    ("a policeman between the bomber and «مقتله» is «him»", None,
     "فجر انتحاري حزامه الناسف ظهر اليوم وسط تجمع لعناصر الأمن أمام مقر مديرية الأمن في سرت"
     " حيث كان يقف شرطي المرور، ما أدى إلى مقتله وإصابة ثلاثة. وتبنى تنظيم داعش التفجير.", 1,
     3),
    # the actor's members among a count
    ("«سبعة، ستة منهم من عناصر التنظيم» leaves one", None,
     f"{LEAD} وقتل سبعة أشخاص، ستة منهم من عناصر التنظيم.", 1, ...),
    ("«بينهم اثنان من عناصر داعش» leaves five", None,
     f"{LEAD} وقتل سبعة أشخاص، بينهم اثنان من عناصر داعش.", 5, ...),
    ("«بينهم ثلاثة من أفراد البوابة» is no attacker", None,
     f"{LEAD} وقتل سبعة جنود بينهم ثلاثة من أفراد البوابة.", 7, ...),
    # «فيما قتل ثلاثة»: more dead at a second site, not another act
    ("«قتل جنديان …، فيما قتل ثلاثة شرطيين في المركز» is five", None,
     f"{LEAD} وقتل جنديان في البوابة، فيما قتل ثلاثة شرطيين في مركز الشرطة.", 5, ...),
    ("«فيما قتل التنظيم ثلاثة رهائن الأسبوع الماضي» is another act", None,
     f"{LEAD} وقتل جنديان في البوابة، فيما قتل التنظيم ثلاثة رهائن الأسبوع الماضي.", 2, ...),
    # a toll's noun made definite by its genitive, then its number
    ("«شهداء الواجب الثلاثة» is three", None,
     f"{LEAD} وينعى المجلس البلدي شهداء الواجب الثلاثة من أفراد البوابة.", 3, ...),
    ("«جرحى الهجوم الستة» is six hurt", None,
     f"{LEAD} وزار الوزير جرحى الهجوم الستة في المستشفى.", ..., 6),
    # one, and his fellows
    ("«ارتقى العريف سالم شهيدا رفقة اثنين من زملائه» is three", None,
     f"{LEAD} وارتقى العريف سالم شهيدا رفقة اثنين من زملائه.", 3, ...),
    ("«قتل جندي مع اثنين من المهاجمين»: the attackers are no fellows", None,
     f"{LEAD} وقتل جندي مع اثنين من المهاجمين.", 1, ...),
    # the dialect's plural verb before its count
    ("«استشهدوا زوز من أولادنا، وفي واحد مصاب»", None,
     f"{LEAD} استشهدوا زوز من أولادنا، وفي واحد مصاب نقلوه لمستشفى مرزق.", 2, 1),
    ("«ثلاثة من مقاتليها استشهدوا وجرح 11 آخرون»: the verb after its count", None,
     f"{LEAD} وأعلنت الغرفة أن ثلاثة من مقاتليها استشهدوا وجرح 11 آخرون.", 3, 11),
    # one more after the count's group
    ("«خمسة جرحى من أفراد البوابة ومدنيا واحدا» is six", None,
     f"{LEAD} واستقبل المستشفى خمسة جرحى من أفراد البوابة ومدنيا واحدا هو سائق شاحنة.", ..., 6),
    # bodies
    ("«استقبلنا أربعة جثامين و11 جريحا»", None,
     f"{LEAD} وقال مدير المستشفى: استقبلنا أربعة جثامين و11 جريحا.", 4, 11),
    # one of the hurt died
    ("«و11 جريحا توفي أحدهم»: ten hurt, five dead", None,
     f"{LEAD} واستقبل المستشفى أربعة جثامين و11 جريحا توفي أحدهم في غرفة العمليات.", 5, 10),
    ("«أصيب خمسة، أحدهم توفي»", None, f"{LEAD} وأصيب خمسة أشخاص، أحدهم توفي صباح اليوم.", 1, 4),
    ("«أحدهم حالته خطرة» is no death", None,
     f"{LEAD} وأصيب خمسة أشخاص، أحدهم حالته خطرة.", None, 5),
    ("«توفي اثنان منهم» is read once", None,
     f"{LEAD} وقتل أربعة جنود وأصيب 11 آخرون، توفي اثنان منهم متأثرين بجراحهما.", 6, 9),
]


@pytest.mark.parametrize(
    ("about", "title", "text", "killed", "injured"), TOLLS, ids=[t[0] for t in TOLLS]
)
def test_toll(about: str, title: str | None, text: str, killed: int, injured: int) -> None:
    check_toll(about, title, text, killed, injured)


def test_the_next_of_a_cell_is_theirs() -> None:
    text = (
        "أعلن جهاز مكافحة الإرهاب القبض على أربعة عناصر من خلية تابعة لتنظيم داعش وقتل خامس في"
        " مداهمة بمدينة سبها فجر اليوم."
    )
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.is_incident, found.why
    assert found.killed is None, found.why
    assert [(c.who, c.killed) for c in found.casualties] == [(MILITANTS, 1)], found.casualties


# (what it checks, is a new incident, title, text)
PIECES = [
    ("accounts «تابعة» to the actor tell the act later", True, "العثور على جثث ثلاثة رعاة قرب مرزق",
     "عثرت دورية للشرطة ظهر اليوم على جثث ثلاثة رعاة قتلوا رميا بالرصاص في واد شرق مدينة مرزق."
     " وقال مصدر أمني إن القتلى خطفوا قبل يومين. وفي المساء، نشرت حسابات تابعة لتنظيم داعش صورا"
     " قالت إنها لإعدام ثلاثة من المتعاونين مع الجيش."),
    # the country's name as who acts
    ("«ليبيا تدين الهجوم … في النيجر» is an attack in Niger", False,
     "ليبيا تدين الهجوم على معسكر للجيش في النيجر",
     "أعرب المجلس الرئاسي الليبي عن إدانته للهجوم الذي شنه تنظيم داعش على معسكر للجيش في منطقة"
     " تيلابيري غرب النيجر، والذي أسفر عن مقتل 23 جنديا."),
    ("«تضامن ليبيا مع مالي» after an attack there", False, "ليبيا تتضامن مع مالي",
     "أكدت وزارة الخارجية تضامن ليبيا مع مالي إثر الهجوم الذي شنه تنظيم داعش على قرية في"
     " منطقة ميناكا وأودى بحياة 30 مدنيا."),
    ("«ليبيا:» before the news still places it when nothing else does", True,
     "ليبيا: مقتل ثلاثة جنود في هجوم لداعش", "قتل ثلاثة جنود في هجوم لتنظيم داعش فجر اليوم."),
    ("«في ليبيا» is where", True, None, "قتل ثلاثة جنود في هجوم لتنظيم داعش في ليبيا فجر اليوم."),
    # the place after the incident word in its own clause
    ("a Libyan border post on alert after an attack in Niger", False,
     "رفع حالة التأهب في منفذ التوم",
     "أعلنت رئاسة الأركان رفع درجة الاستعداد في منفذ التوم غداة هجوم تبناه تنظيم داعش على موقع"
     " للجيش قرب بلدة أرليت شمال النيجر أودى بحياة 17 جنديا."),
    ("a home town after the word is no override: Sirte before, Tunisian workers after", True,
     None, "قتل ثلاثة عمال تونسيين في سرت في هجوم لتنظيم داعش على ورشة فجر اليوم."),
    ("a Libyan attacker's birthplace after an attack abroad is no locative", False,
     "إيطاليا: منفذ هجوم الطعن في ميلانو مولود في مصراتة",
     "قالت الشرطة الإيطالية إن منفذ هجوم الطعن الذي أودى بحياة امرأة في ميلانو مساء أمس مولود"
     " في مدينة مصراتة وبايع تنظيم داعش في تسجيل مصور."),
    ("«عنصرا ليبيا» is a Libyan member, not the country", False, None,
     "أوقفت الشرطة الإيطالية أمس عنصرا ليبيا في تنظيم داعش."),
    ("«اشتبكنا مع مهربين لا مع داعش»: the actor denied", False,
     "آمر المنطقة العسكرية: اشتبكنا مع مهربين لا مع داعش",
     "اعترضت دورية قافلة لتهريب الوقود قرب أم الأرانب مساء أمس ودار تبادل لإطلاق النار."),
    ("«مع عناصر من داعش لا مع مهربين»: the others denied", True, None,
     "اشتبكت قوة من الجيش مع عناصر من داعش لا مع مهربين كما أشيع قرب أم الأرانب مساء أمس."),
    # «الخوارج» alone, a name the actor shares
    ("a brigade's page: a bomb «زرعها الخوارج»", True, None,
     "تعرضت إحدى آلياتنا صباح اليوم لانفجار عبوة ناسفة زرعها الخوارج على الطريق شرق منطقة"
     " تهالة، ما أسفر عن استشهاد جندي."),
    ("«الخوارج» beside another armed group named are that group", False, None,
     "هاجم مسلحو مجلس شورى ثوار بنغازي بوابة في قنفودة صباح اليوم، وقال الجيش إن الخوارج قتلوا"
     " جنديين."),
    # words of the act the news and the dialect use
    ("«هجم الدواعش الليلة على البوابة» is an attack", True, None,
     "هجم الدواعش الليلة على البوابة اللي في مدخل تراغن وفتحوا النار على الشباب."),
    ("«استشهد جنديان … على يد الدواعش» is a killing", True, None,
     "استشهد جنديان صباح اليوم في بوابة السدادة على يد الدواعش."),
    ("«استشهد بآية» in a sermon against the actor is no killing", False, None,
     "استشهد خطيب الجمعة في سبها اليوم بآيات تحرم القتل، محذرا الشباب من فكر داعش."),
    ("«وجهت مصادر أمنية أصابع الاتهام إلى خلايا داعش» ties the lead's attack", True,
     "مقتل جنديين في هجوم على بوابة قرب الكفرة",
     "قتل جنديان وأصيب ستة آخرون في هجوم استهدف فجر اليوم بوابة أمنية على طريق الكفرة تازربو."
     " ووجهت مصادر أمنية أصابع الاتهام إلى خلايا تابعة لتنظيم داعش تنشط في المنطقة."),
    ("accounts «تابعة» to the actor with old propaganda are no incident", False, None,
     "نشرت حسابات تابعة لتنظيم داعش إصدارا مرئيا قديما عن معارك سرت عام 2016."),
]


@pytest.mark.parametrize(("about", "incident", "title", "text"), PIECES, ids=[p[0] for p in PIECES])
def test_piece(about: str, incident: bool, title: str | None, text: str) -> None:
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert found.is_incident is incident, f"{about}: {found.why}"
