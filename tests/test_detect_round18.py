"""Issue 13, eighteenth round: follow-up coverage and tolls in leads. A death among the hurt
told after the count («فارق أحد المصابين الحياة») moves one from the hurt to the dead; a toll
that rose past a long clause; the actor's figure after «زاعما» or «يدعي»; owning up to an act is
no claim of figures; a source seven words after «لكن»; «فلم يقتل أو يصب أحد»; «وإصابة الستة»;
«وكان سائقه قد أصيب»; «قتيل واحد»; «سبع جريحات»; «ضمن ستة رهائن» is no count; a title's toll
that sums the body's «كما قتل …». A condolence dated «مساء الجمعة» carries the news; an undated
death of an old wound told «في يناير 2016» is no new incident. Our own sentences, none from a
labelled set."""

from __future__ import annotations

import pytest

from crawler.detect import Document
from tests.support.incident_reports import detector
from tests.support.tolls import Toll, check_toll

LEAD = "هاجم عناصر من تنظيم داعش بوابة أمنية عند مدخل بلدة الفقهاء فجر اليوم."

TOLLS: list[Toll] = [
    # the hurt who died since
    ("«فارق أحد المصابين الحياة» after the count: one more dead, one fewer hurt", None,
     f"{LEAD} وقتل ثلاثة جنود وأصيب خمسة آخرون. وفي المساء فارق أحد المصابين الحياة.", 4, 4),
    ("«أحد الجرحى توفي متأثرا بجراحه»", None,
     f"{LEAD} وقتل ثلاثة جنود وأصيب خمسة آخرون. وأفاد المستشفى بأن أحد الجرحى توفي متأثرا"
     " بجراحه صباح اليوم التالي.", 4, 4),
    ("«توفي اثنان من الجرحى» adds two", None,
     f"{LEAD} وقتل جنديان وأصيب أربعة. ثم توفي اثنان من الجرحى متأثرين بجراحهما.", 4, 2),
    ("in the count's own sentence: «… قبل أن يتوفى اثنان من المصابين»", None,
     f"{LEAD} وقتل جندي وأصيب ثلاثة آخرون قبل أن يتوفى اثنان من المصابين في المستشفى.", 3, 1),
    ("hurt only, then one of them dies: one dead", None,
     f"{LEAD} وأصيب خمسة جنود بجروح. وتوفي أحد الجرحى لاحقا.", 1, 4),
    ("a total that says so holds him: «ارتفعت … إلى أربعة بعد وفاة أحد المصابين»", None,
     f"{LEAD} وقتل ثلاثة جنود وأصيب خمسة. وارتفعت حصيلة القتلى إلى أربعة بعد وفاة أحد"
     " المصابين.", 4, 4),
    ("a provisional count with the deaths beside it, after the final toll", None,
     f"{LEAD} وارتفعت حصيلة الهجوم إلى ثلاثة قتلى وجريح واحد. وكانت المديرية قد أعلنت في حصيلة"
     " أولية مقتل شرطي وإصابة ثلاثة، قبل أن يتوفى اثنان من المصابين.", 3, 1),
    ("a title that holds the deaths already is not raised again", "مقتل 4 جنود في هجوم بالفقهاء",
     f"{LEAD} وقتل ثلاثة جنود وأصيب خمسة آخرون. وفي المساء فارق أحد المصابين الحياة.", 4, ...),
    ("«نقل أحد المصابين» is no death", None,
     f"{LEAD} وقتل ثلاثة جنود وأصيب خمسة. ونقل أحد المصابين إلى مستشفى سبها.", 3, 5),
    ("«حالتي وفاة» beside «ثلاثة من المصابين غادروا» moves no one", None,
     f"{LEAD} وقال المستشفى إنه استقبل حالتي وفاة وخمس إصابات، وإن ثلاثة من المصابين غادروا"
     " بعد تلقي العلاج.", 2, 5),
    # a toll that rose, past a long clause of the event
    ("«ارتفعت حصيلة الهجوم الذي … على بوابة … لمدينة سبها إلى خمسة قتلى»", "مقتل 3 جنود في سبها",
     "ارتفعت حصيلة الهجوم الذي شنه عناصر من تنظيم داعش مساء الأحد على بوابة أمنية عند المدخل"
     " الشمالي لمدينة سبها إلى خمسة قتلى من أفراد البوابة، وفق مصدر في مركز سبها الطبي.", 5, ...),
    # the actor's figure told by «زاعما»، «مدعيا»
    ("«زاعما … أن مقاتليه قتلوا 20» gives way to the army's count", None,
     "تبنى تنظيم داعش الهجوم على بوابة بلدة الفقهاء فجر اليوم، زاعما في بيان أن مقاتليه قتلوا 20"
     " عنصرا. وقال مصدر عسكري إن الهجوم أسفر عن مقتل جنديين وإصابة ثلاثة.", 2, 3),
    ("«مدعيا أنه قتل» is a claim too", None,
     "تبنى تنظيم داعش تفجير سيارة مفخخة في بلدة الفقهاء أمس، مدعيا أنه قتل 30 عسكريا. وأكد المستشفى"
     " وصول جثتين وأربعة جرحى.", 2, ...),
    # owning up to an act is no claim of its figures
    ("«الذي أعلن تنظيم داعش مسؤوليته عنه» says no figure", None,
     "فارق أحد جرحى تفجير بلدة الفقهاء الحياة. وكان التفجير، الذي أعلن تنظيم داعش مسؤوليته عنه ليلا،"
     " قد أودى بحياة عنصرين من البوابة على الفور.", 3, ...),
    # nobody, by two verbs
    ("«فلم يقتل أو يصب أحد» is none of either", None,
     f"{LEAD} وقال شاهد إن المسلحين لم يطلقوا النار، فلم يقتل أو يصب أحد.", 0, 0),
    ("«ولم يقتل أحد» is no word on the hurt", None, f"{LEAD} ولم يقتل أحد.", 0, None),
    # the ones told of, by their number
    ("«ما أدى إلى مقتل اثنين وإصابة الستة.»", None,
     f"{LEAD} ونقل جرحى الهجوم إلى مستشفى سبها. وكان انتحاري قد فجر نفسه عند البوابة، ما أدى إلى"
     " مقتل اثنين من عناصرها وإصابة الستة.", 2, 6),
    # one person, named before the verb, to whom it had happened
    ("«وكان سائقه قد أصيب في الانفجار نفسه» is one hurt", None,
     "توفي صباح اليوم العقيد سالم المبروك متأثرا بجراحه، بعد انفجار عبوة لاصقة زرعها عناصر تنظيم"
     " داعش أسفل سيارته في حي الصابري ببنغازي. وكان سائقه قد أصيب في الانفجار نفسه.", 1, 1),
    ("«وكان الحارس قد استشهد»", None, f"{LEAD} وأصيب جنديان، وكان الحارس قد استشهد.", 1, 2),
    ("«وكان الجندي قد قتل مسلحا»: «قتل» may have killed", None,
     f"{LEAD} وأصيب جنديان، وكان الجندي قد قتل مسلحا أثناء الاشتباك.", ..., 2),
    # one, said so
    ("«الحصيلة هي قتيل واحد … لا ثلاثة كما ورد»", None,
     f"{LEAD} وأوضحت المديرية أن حصيلة الاشتباك هي قتيل واحد من رجال الأمن، لا ثلاثة كما ورد في"
     " بيانها الأول. وأصيب شرطيان.", 1, 2),
    ("«عن قتيل واحد وجريحين»", None, f"{LEAD} وأسفر الهجوم عن قتيل واحد وجريحين.", 1, 2),
    # the actor's word against a medical count
    ("«يدعي» alone opens a claim", "داعش يدعي قتل 20 جنديا في هجوم على بوابة الفقهاء",
     f"{LEAD} وقال مستشفى هون إنه استقبل جثث ستة جنود وتسعة جرحى.", 6, 9),
    ("«…، لكن مصدرا طبيا في مستشفى سبها قال إن …»: the source speaks seven words on", None,
     f"{LEAD} وادعى التنظيم أن الهجوم أوقع عشرين قتيلا، لكن مصدرا طبيا في مستشفى سبها المركزي قال"
     " إن المستشفى استقبل جثث ستة أشخاص.", 6, ...),
    # whose they are
    ("«ثلاثة رجال في هجوم لداعش» are not the actor's", None,
     "قتل ثلاثة رجال في هجوم لداعش على بلدة الفقهاء فجر اليوم.", 3, ...),
    ("«سبع جريحات»: hurt women", None,
     f"{LEAD} واستقبل المستشفى جثتي امرأتين وسبع جريحات.", 2, 7),
    ("«أعدم … كانا ضمن ستة رهائن»: the group they were among is no count", None,
     "قال مسؤول في شركة الكهرباء إن تنظيم داعش أعدم عاملين من موظفي الشركة كانا ضمن ستة رهائن"
     " يحتجزهم منذ أسبوعين في حي الدولار بمدينة سرت.", None, ...),
    # a title's toll sums the body's
    ("«مقتل 5» over «قتل ثلاثة … كما قتل مدنيان» is five", "مقتل 5 في هجوم على بوابة الفقهاء",
     f"{LEAD} وقتل ثلاثة جنود. كما قتل مدنيان كانا يمران بالمكان.", 5, ...),
    ("«مقتل شخص» in the title, «كما وصلت جثة شخص واحد» in the body: one",
     "مقتل شخص في تفجير ببلدة الفقهاء",
     f"{LEAD} وأصيب أربعة. كما وصلت إلى المستشفى جثة شخص واحد.", 1, 4),
    ("no title: «قتل جندي … كما قتل مدني» is two", None,
     f"{LEAD} وقتل جندي. كما قتل مدني كان يمر بالمكان.", 2, ...),
]  # fmt: skip


@pytest.mark.parametrize(
    ("about", "title", "text", "killed", "injured"), TOLLS, ids=[t[0] for t in TOLLS]
)
def test_toll(about: str, title: str | None, text: str, killed: int, injured: int) -> None:
    check_toll(about, title, text, killed, injured)


# (title, text, a new incident?) — texts with no publication date
PIECES = [
    ("a condolence dated «مساء الجمعة» carries its attack", None,
     "تتقدم إدارة ميناء الزويتينة بخالص العزاء إلى أسرة الحارس سالم المنفي الذي استشهد أثناء"
     " تأدية واجبه في الهجوم الذي شنته عناصر تنظيم داعش على بوابة الميناء مساء الجمعة.", True),
    ("a Friday prayer is no date: the same condolence, «بعد صلاة الجمعة» a year ago", None,
     "تتقدم إدارة ميناء الزويتينة بخالص العزاء إلى أسرة الحارس سالم المنفي الذي استشهد في الهجوم"
     " الذي شنه تنظيم داعش على بوابة الميناء عام 2017، وذلك في الذكرى السنوية بعد صلاة الجمعة.",
     False),
    ("a survivor dying now of a wound from «يناير 2016», undated", None,
     "توفي مساء أمس الشرطي سالم الورفلي متأثرا بإصابته التي لازمته منذ التفجير الذي نفذه تنظيم"
     " داعش في مركز تدريب بزليتن في يناير 2016، بعد سنوات من العلاج في الخارج.", False),
    ("a month and year in a sentence of another event leave the news new", None,
     "خطف مسلحون من تنظيم داعش ثلاثة عمال من موقع مشروع مياه قرب بلدة تازربو ليلة الخميس. وأعاد"
     " الخطف إلى الأذهان ما شهدته البلدة في نوفمبر 2018 حين قتل مسلحو التنظيم تسعة أشخاص.", True),
]  # fmt: skip


@pytest.mark.parametrize(("about", "title", "text", "incident"), PIECES, ids=[p[0] for p in PIECES])
def test_piece(about: str, title: str | None, text: str, incident: bool) -> None:
    found = detector().detect(Document(text=text, title=title))
    assert found.is_incident is incident, f"{about}: {found.why}"
