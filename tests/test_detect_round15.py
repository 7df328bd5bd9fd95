"""Issue 13, fifteenth round: tolls told by a list of names after «كل من» (and a list that the
words after it kill), feminine duals («قتيلتان»), a dual of the dead then a dual of the hurt
(«قتيلان وجريحان»); a town told as «بسرت» after a hospital's own name is the hospital's. Our
own sentences, none from a labelled set."""

from __future__ import annotations

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
    ("about", "title", "text", "killed", "injured"), TOLLS, ids=[t[0] for t in TOLLS]
)
def test_toll(about: str, title: str | None, text: str, killed: int, injured: int) -> None:
    check_toll(about, title, text, killed, injured)


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


@pytest.mark.parametrize(
    ("text", "town"),
    [
        # the hospital's own name between: the town told as «بسرت» is the hospital's
        ("انفجرت سيارة مفخخة عند المدخل الشرقي لبلدة هراوة ظهر اليوم، وتبنى تنظيم داعش التفجير."
         " وأفاد مصدر طبي في مستشفى ابن سينا بسرت بأن أربعة لقوا حتفهم.", "هراوة"),
        ("هاجم مسلحو داعش بوابة أمنية عند مدخل بلدة زلة فجر اليوم. ونقل الجرحى إلى مستشفى"
         " الجلاء ببنغازي.", "زلة"),
        # … and with no hospital before it, «بسرت» is where it happened
        ("تبنى تنظيم داعش تفجير سيارة مفخخة بسرت ظهر اليوم أودى بحياة أربعة.", "سرت"),
    ],
)
def test_the_hospital_names_its_own_town(text: str, town: str) -> None:
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.is_incident, found.why
    assert found.places[0].name == town, found.why
