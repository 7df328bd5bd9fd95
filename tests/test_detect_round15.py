"""Issue 13, fifteenth round: tolls told by a list of names after «كل من» (and a list that the
words after it kill), feminine duals («قتيلتان»), a dual of the dead then a dual of the hurt
(«قتيلان وجريحان»); a town told as «بسرت» after a hospital's own name is the hospital's; «دون …
أو وقوع إصابات». An earlier event beside the news (a month told in two calendars, «أعاد إلى
الأذهان»، «لم تنس») places, counts and dates nothing; a threat the victim received is no frame;
the sentence after the lead dates the operation; an exhibition of the war. Our own sentences,
none from a labelled set."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from crawler.detect import Document
from crawler.detect.facts.casualties import MILITANTS
from tests.support.incident_reports import detector
from tests.support.tolls import PUBLISHED, Toll, check_toll

LEAD = "هاجم عناصر من تنظيم داعش بوابة أمنية عند مدخل بلدة الفقهاء فجر اليوم."

TOLLS: list[Toll] = [
    # a list of names, one person each
    ("«قتل كل من …، و…، و…» is three", None,
     f"{LEAD} وقتل في الهجوم كل من سالم المهدي، ومفتاح الزروق، وإبراهيم الفيتوري.", 3, ...),
    ("«أعدموا كلا من … و… و…»: the accusative", None,
     f"{LEAD} وأعدم المسلحون كلا من سالم المهدي ومفتاح الزروق وإبراهيم الفيتوري رميا بالرصاص.",
     3, ...),
    ("«أصيب كل من … و…» is two hurt", None,
     f"{LEAD} وأصيب كل من سالم المبروك ومفتاح الزروق بجروح طفيفة.", ..., 2),
    ("«لقي كل من … و… حتفهما»", None,
     f"{LEAD} ولقي كل من سالم المبروك ومفتاح الزروق حتفهما على الفور.", 2, ...),
    ("a comma-only name, then one with «و»: «أ، ب، وج»", None,
     f"{LEAD} وقتل كل من سالم المبروك، علي الفيتوري، ومفتاح الزروق.", 3, ...),
    ("the clause after the list is no name: «…، حتفهم»", None,
     f"{LEAD} ولقي كل من الحاج سالم الورفلي، والشيخ علي أبوراس، والسائق فرج القماطي، حتفهم.",
     3, ...),
    ("a name «علي» is no «على»", None,
     f"{LEAD} واستشهد كل من محمد علي الزروق وعلي سالم المبروك.", 2, ...),
    ("what a man is, between commas, is the same man", None,
     f"{LEAD} وقتل كل من سالم المبروك، أحد أفراد البوابة، وعلي الفيتوري.", 2, ...),
    ("his age between commas is no name either", None,
     f"{LEAD} وقتل كل من سالم المبروك، البالغ من العمر 40 عاما، وعلي الفيتوري.", 2, ...),
    ("ranks count the men: «كل من الجندي …، من مواليد سبها، والجندي …»", None,
     f"{LEAD} وقتل كل من الجندي سالم المبروك، من مواليد سبها، والجندي علي الفيتوري.", 2, ...),
    ("«ووكيل وزارة الداخلية»: «وزارة» opens no name", None,
     f"{LEAD} وقتل كل من مدير الأمن ووكيل وزارة الداخلية.", 2, ...),
    ("«وطفلاه» is two more", None, f"{LEAD} وقتل كل من سالم المبروك وطفلاه.", 3, ...),
    ("«… وآخرون» is no exact figure", None,
     f"{LEAD} وأصيب كل من سالم المبروك وعلي الفيتوري وآخرون.", ..., None),
    ("«… وأبناؤه» is no exact figure", None, f"{LEAD} وقتل كل من سالم المبروك وأبناؤه.", None, ...),
    ("«قتل كل من حاول الفرار» names no one", None,
     f"{LEAD} وقتل المهاجمون كل من حاول الفرار من البوابة.", None, ...),
    ("named ones among a count already given add nothing", None,
     f"{LEAD} وقتل أربعة جنود، وقتل كل من سالم المبروك وعلي الفيتوري على الفور بينما توفي"
     " الآخران في المستشفى.", 4, ...),
    # a list the words after it kill
    ("«اقتادوا كلا من …، و…، و… ثم قتلوهم» is three", None,
     f"{LEAD} واقتاد المسلحون من منازلهم كلا من آمر الحرس البلدي سالم المهدي، والموظف مفتاح"
     " علي الزروق، والمعلم إبراهيم الفيتوري، ثم قتلوهم أمام مقر المجلس.", 3, ...),
    ("«اقتادوا كلا من … و…» and nothing after: hostages, no dead", None,
     f"{LEAD} واقتاد المسلحون كلا من سالم المهدي ومفتاح الزروق إلى جهة مجهولة.", None, ...),
    # feminine duals, and a dual of the hurt after a dual of the dead
    ("«قتيلتان وثلاثة جرحى»", None, f"{LEAD} وأسفر الهجوم عن قتيلتين وثلاثة جرحى.", 2, 3),
    ("«شهيدتين وجريحتين»", None, f"{LEAD} وأسفر الهجوم عن شهيدتين وجريحتين من أسرة واحدة.",
     2, 2),
    ("«قتيلان وجريحان»: two more, not the two whose bodies", None,
     f"{LEAD} وسقط في الهجوم قتيلان وجريحان.", 2, 2),
    ("«جثتي راعيين» is still two", None,
     f"{LEAD} وعثر الأهالي على جثتي راعيين قرب البوابة.", 2, ...),
]


@pytest.mark.parametrize(
    "text",
    [
        "وأسفرت المداهمة عن مقتل كل من الإرهابي سالم المبروك والإرهابي علي الفيتوري.",
        "وقتل كل من أبو حفص الليبي وأبو عمر المصري وهما من قيادات داعش.",
    ],
)
def test_a_list_of_the_actors_men_is_theirs(text: str) -> None:
    lead = "داهمت قوة من جهاز مكافحة الإرهاب وكرا لخلية تابعة لتنظيم داعش في سبها فجر اليوم."
    found = detector().detect(Document(text=f"{lead} {text}", published=PUBLISHED))
    assert found.is_incident, found.why
    assert found.killed is None, found.why
    assert [(c.who, c.killed) for c in found.casualties] == [(MILITANTS, 2)], found.casualties


# (text, the incident's first place): the places a hospital, mourners or a man's home name
FIRST_PLACES = [
    # the hospital's own name between: the town told as «بسرت» is the hospital's
    ("انفجرت سيارة مفخخة قرب بوابة عند المدخل الشرقي لبلدة هراوة شرق سرت ظهر اليوم. وأفاد"
     " مصدر طبي في مستشفى ابن سينا بسرت بأن أربعة لقوا حتفهم. وتبنى تنظيم داعش التفجير.",
     "هراوة"),
    ("هاجم مسلحو داعش بوابة أمنية عند مدخل بلدة زلة فجر اليوم. ونقل الجرحى إلى مستشفى"
     " الجلاء ببنغازي.", "زلة"),
    # … and with no hospital before it, «بسرت» is where it happened
    ("تبنى تنظيم داعش تفجير سيارة مفخخة بسرت ظهر اليوم أودى بحياة أربعة.", "سرت"),
    # the mourners' town is the victim's home
    ("شيع المئات من أهالي مدينة براك الشاطئ عصر اليوم جثمان راع عثر عليه مقتولا رميا بالرصاص"
     " في منطقة جبل الحساونة بعد يومين من اختطافه، ونشر تنظيم داعش صورا لعملية إعدامه.",
     "جبل الحساونة"),
    # a calling of two words says where a man is from
    ("أعلنت كتيبة تابعة للجيش تحرير سائق شاحنة من مدينة مصراتة كان عناصر من تنظيم داعش قد"
     " اختطفوه قبل شهرين. وقال آمر الكتيبة إن وحدة خاصة داهمت مساء الإثنين موقعا يتحصن فيه"
     " الخاطفون في منطقة جبلية شمال وادي الحياة.", "وادي الحياة"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "town"), FIRST_PLACES)
def test_the_first_place(text: str, town: str) -> None:
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.is_incident, found.why
    assert found.places[0].name == town, found.why


ZEROS: list[Toll] = [
    ("«دون إطلاق نار أو وقوع إصابات» is none", None,
     "داهمت قوة أمنية وكرا لخلية تابعة لتنظيم داعش في سبها فجر اليوم، وجرت العملية دون إطلاق"
     " نار أو وقوع إصابات.", 0, 0),
    ("«دون مقاومة أو إصابات» is none", None,
     "اعتقلت قوة أمنية ثلاثة عناصر من تنظيم داعش في سبها فجر اليوم دون مقاومة أو إصابات.", 0, 0),
    ("«دون ذكر عدد القتلى أو الإصابات» is what a source left unsaid", None,
     "هاجم عناصر من تنظيم داعش بوابة أمنية في سبها فجر اليوم، وأكد مصدر أمني الهجوم دون ذكر"
     " عدد القتلى أو الإصابات.", None, None),
]


# An earlier event told beside the news: its month in two calendars, recalled to memory
BESIDE = [
    ("«أعاد الهجوم إلى الأذهان … في أكتوبر/تشرين الأول 2018», claimed after it", "2024-03-12",
     "هاجم مسلحون بوابة أمنية عند مدخل بلدة زلة فجر الأحد، ما أسفر عن مقتل شرطيين. وأعاد"
     " الهجوم إلى الأذهان ما شهدته بلدة الفقهاء القريبة في أكتوبر/تشرين الأول 2018، حين قتل"
     " مسلحون خمسة أشخاص. وفي المساء، نشرت حسابات مرتبطة بتنظيم داعش صورا قالت إنها للهجوم.",
     "زلة", 2),
    ("«لم تنس البلدة بعد الهجوم الذي … عام 2018», undated", None,
     "أكد عميد بلدية تازربو أن عناصر من داعش خطفوا عاملين من موقع مشروع مياه قرب البلدة ليلة"
     " الخميس، دون أن تسجل أي إصابات. وقال إن البلدة لم تنس بعد الهجوم الذي شنه التنظيم على"
     " الكفرة، وأسفر عن مقتل تسعة أشخاص.", "تازربو", 0),
    ("«فبراير (شباط) 2015» in the words before a year", "2024-03-12",
     "قتل جندي في هجوم شنه عناصر من تنظيم داعش على بوابة في بلدة هراوة فجر اليوم. وشهدت"
     " مدينة القبة في فبراير (شباط) 2015 تفجيرات أودت بحياة أكثر من أربعين شخصا.", "هراوة", 1),
]


@pytest.mark.parametrize(("about", "published", "text", "town", "killed"), BESIDE,
                         ids=[b[0] for b in BESIDE])  # fmt: skip
def test_an_earlier_event_beside_the_news(
    about: str, published: str | None, text: str, town: str, killed: int
) -> None:
    when = None if published is None else datetime.fromisoformat(f"{published}T09:00:00+00:00")
    found = detector().detect(Document(text=text, published=when))
    assert found.is_incident, f"{about}: {found.why}"
    assert found.places[0].name == town, f"{about}: {found.why}"
    assert found.killed == killed, f"{about}: {found.why}"


ASSASSINATION = (
    "اغتيل إمام مسجد في حي شيحا بمدينة درنة برصاص مسلحين أطلقوا النار عليه أثناء خروجه من صلاة"
    " الفجر. ونقل إلى المستشفى حيث فارق الحياة. وقال أحد أقاربه إن الراحل كان معروفا بخطبه"
    " المناهضة للتطرف، وإنه تلقى تهديدات خلال الأشهر الماضية. وشهدت مدينة القبة القريبة في"
    " فبراير/شباط 2015 تفجيرات أودت بحياة أكثر من أربعين شخصا. وبعد يومين، نشرت منصات مرتبطة"
    " بتنظيم داعش بيانا تبنى فيه ما يسمى «ولاية ليبيا» عملية الاغتيال."
)


def test_a_claim_two_days_later_of_a_threatened_imams_killing() -> None:
    """A threat the victim received is his story, not a piece warning of the actor; accounts
    «مرتبطة» to the actor claim; the 2015 sentence between dates and counts nothing."""
    published = datetime(2024, 9, 21, 16, 0, tzinfo=UTC)
    found = detector().detect(Document(text=ASSASSINATION, published=published))
    assert found.is_incident, found.why
    assert found.killed == 1, found.why
    assert found.event_date is None or found.event_date.year == 2024, found.why
    assert not any("threat: «تهديدات" in w or "period" in w for w in found.why), found.why


def test_a_threat_published_is_still_a_frame() -> None:
    text = (
        "حذر خبراء في تقرير نشر اليوم من تهديدات تنظيم داعش خلال الأشهر الماضية في جنوب ليبيا،"
        " مشيرين إلى هجمات على بوابات في سبها وأوباري."
    )
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert not found.is_incident, found.why


def test_the_sentence_after_the_lead_dates_the_operation() -> None:
    text = (
        "أعلن جهاز المخابرات القبض على خمسة أشخاص قال إنهم أعضاء في خلية تابعة لتنظيم داعش في"
        " مصراتة. وأوضح الجهاز أن العملية جرت يوم 3 مارس في منطقة زريق."
    )
    found = detector().detect(Document(title="القبض على خلية لداعش", text=text,
                                       published=datetime(2024, 3, 6, 9, 0, tzinfo=UTC)))  # fmt: skip
    assert found.is_incident, found.why
    assert found.event_date == date(2024, 3, 3), found.why


def test_an_exhibition_of_the_war_is_culture() -> None:
    title = "معرض في سرت يوثق الحرب على داعش"
    text = (
        "افتتح في مجمع واغادوغو بمدينة سرت مساء الأحد معرض للصور والوثائق يوثق عملية البنيان"
        " المرصوص التي انتهت بطرد تنظيم داعش من المدينة أواخر 2016. ويضم المعرض مقتنيات تركها"
        " التنظيم في مقاره. وقال أحد المنظمين إن الهدف تعريف الجيل الجديد بالثمن الذي دفعه"
        " الليبيون، مشيرا إلى أن المعركة كلفت مئات القتلى وآلاف الجرحى."
    )
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert not found.is_incident, found.why
    assert any(w.startswith("-0.60 culture: «المعرض") for w in found.why), found.why


MORE: list[Toll] = [
    ("«دون أن يطلقوا النار أو يصاب أحد بأذى» is none", None,
     "اقتحم مسلحون من تنظيم داعش معسكرا للعمال قرب بلدة تازربو ليلة الخميس واقتادوا ثلاثة منهم"
     " إلى جهة مجهولة، دون أن يطلقوا النار أو يصاب أحد بأذى.", 0, 0),
    ("«وأصيب زميلاه» is two", None,
     f"{LEAD} وقتل موظف بقطاع الكهرباء وأصيب زميلاه بجروح متوسطة.", 1, 2),
    ("«وأصيب مرافقاه» is two", None, f"{LEAD} وقتل سائق وأصيب مرافقاه.", 1, 2),
]


# (what it checks, is a new incident, title, text)
PIECES = [
    ("an attacker abroad who trained with the actor in Libya", False,
     "الادعاء الألماني: منفذ هجوم الطعن تدرب في معسكر لداعش في ليبيا",
     "قال الادعاء الألماني إن الشاب الذي نفذ هجوم الطعن في محطة قطارات بمدينة هامبورغ الأسبوع"
     " الماضي أمضى أشهرا في ليبيا. وعثر المحققون في هاتفه على مراسلات مع شخص يعتقد أنه موجود في"
     " ليبيا ويبايع زعيم التنظيم. وكان الهجوم قد أسفر عن مقتل شخص وإصابة أربعة."),
    ("a man arrested who trained with the actor is still an arrest", True, None,
     "ألقت قوة الردع القبض على عنصر في تنظيم داعش تدرب في معسكرات التنظيم بصبراتة، وذلك في"
     " مداهمة بمدينة الزاوية فجر اليوم."),
]


ONE_AND_OTHERS: list[Toll] = [
    ("«مقتل جندي واحد وإصابة اثنين آخرين»: «واحد» is no «و + أحد»", None,
     f"{LEAD} وأدى الهجوم إلى مقتل جندي واحد وإصابة اثنين آخرين بجروح متوسطة.", 1, 2),
    ("«قتل جندي واحد وأصيب اثنان آخران»", None,
     f"{LEAD} وقتل جندي واحد وأصيب اثنان آخران.", 1, 2),
    ("«أودى بحياة رئيس القسم و3 أشخاص آخرين» is still four", None,
     f"{LEAD} وأودى الهجوم بحياة رئيس القسم و3 أشخاص آخرين.", 4, ...),
]


NEAR_MISSES = [
    ("a cell in Chad's Tibesti that smuggles arms from southern Libya", False,
     "الجيش التشادي يعلن تفكيك خلية لداعش في تيبستي تهرب السلاح من جنوب ليبيا",
     "أعلن الجيش التشادي اليوم تفكيك خلية تابعة لتنظيم داعش في منطقة تيبستي واعتقال ستة من"
     " عناصرها."),
    ("a takeover with no word given up before it is still one", True, None,
     "سيطر عناصر من تنظيم داعش على بوابة أمنية عند مدخل بلدة الفقهاء فجر اليوم بعد اشتباك مع"
     " حراسها."),
]


def test_where_attackers_slipped_in_from_places_nothing() -> None:
    title = "المتحدث العسكري المصري: مقتل ثلاثة جنود في هجوم لعناصر تكفيرية قرب السلوم"
    text = (
        "أعلن المتحدث العسكري المصري مقتل ثلاثة من حرس الحدود وإصابة اثنين في هجوم على نقطة"
        " حدودية جنوب السلوم. وأوضح البيان أن القوات قضت على أربعة من المهاجمين وأن التحريات أكدت"
        " انتماءهم إلى تنظيم داعش وتسللهم من الأراضي الليبية. ونعت القوات المسلحة الشهداء."
    )
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert not found.is_incident, found.why
    assert not found.places, found.why


def test_a_hold_given_up_is_no_takeover() -> None:
    title = "دراسة: داعش في ليبيا يتحول إلى شبكة تهريب"
    text = (
        "نشر مركز أبحاث أوروبي دراسة تتتبع مسار تنظيم داعش في ليبيا منذ خسارته سرت عام 2016."
        " وتخلص الدراسة إلى أن التنظيم تخلى عن السيطرة على الأرض لصالح الخلايا المتنقلة في جنوب"
        " البلاد، حيث يفرض الإتاوات على المهربين."
    )
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert not found.is_incident, found.why
    assert found.incident_type != "takeover", found.why


# set 58's shapes (the seventeenth round)
REST: list[Toll] = [
    ("«فيما أصيب السبعة الآخرون»: the rest, by their number", None,
     f"{LEAD} وقتل اثنان من أفراد البوابة على الفور، فيما أصيب السبعة الآخرون بطلقات نارية.",
     2, 7),
    ("«نجا سائق السيارة بإصابات طفيفة» is one hurt", None,
     f"{LEAD} وقتل ثلاثة من أفراد البوابة، فيما نجا سائق السيارة بإصابات طفيفة.", 3, 1),
    ("«لم تسجل أي إصابات في صفوف المدنيين» is no zero of the soldiers", None,
     f"{LEAD} وقال الناطق إنه لم تسجل أي إصابات في صفوف المدنيين، غير أن جنديين لقيا حتفهما.",
     2, ...),
]

# every toll case of the round, one test
ALL_TOLLS = [*TOLLS, *ZEROS, *MORE, *ONE_AND_OTHERS, *REST]


@pytest.mark.parametrize(
    ("about", "title", "text", "killed", "injured"), ALL_TOLLS, ids=[t[0] for t in ALL_TOLLS]
)
def test_toll(about: str, title: str | None, text: str, killed: int, injured: int) -> None:
    check_toll(about, title, text, killed, injured)


# every piece of the round (a new incident or not), one test
ALL_PIECES = [*PIECES, *NEAR_MISSES]


@pytest.mark.parametrize(
    ("about", "incident", "title", "text"), ALL_PIECES, ids=[p[0] for p in ALL_PIECES]
)
def test_piece(about: str, incident: bool, title: str | None, text: str) -> None:
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert found.is_incident is incident, f"{about}: {found.why}"
