"""Outlets' styles (challenge set 24's classes): an obituary with its condolences, a town's
loss, a headline's present tense, a speech, remnants «قبل سنوات», displaced families going
home, attackers abroad who slipped out of the Libyan south, the army named by its adjective
before a town, a military region's name, and the town a local source speaks from; set 26's
flashes in the present, «غرب البلاد» of another country, a press conference's town and a quarter
named like a far village. Our own sentences, none from a labelled set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.detect import Document
from tests.support.incident_reports import detector

PUBLISHED = datetime(2025, 2, 9, 9, 0, tzinfo=UTC)

PIECES = [
    # an obituary and its condolences are one act of mourning
    ("a council mourns two guards and offers condolences", True, None,
     "ينعى المجلس البلدي اثنين من حراس البوابة الذين قتلوا فجر اليوم في هجوم لتنظيم داعش على"
     " مدخل بلدة تمسة، ويتقدم بأحر التعازي لذويهم."),
    ("a condolence years on is no news", False, None,
     "تنعى الكتيبة في ذكرى استشهادهم رفاقها الذين قتلهم تنظيم داعش في سرت، وتجدد التعازي"
     " لأسرهم."),
    # a headline's present tense: «تخطف»
    ("a headline: the actor kidnaps workers", True, None,
     "عاجل | مسلحون من داعش تخطف ثلاثة مهندسين قرب حقل الشرارة النفطي."),
    # a speech looks back
    ("a minister's speech on the actor's past", False, None,
     "قال وزير الدفاع في كلمة أمام خريجي الكلية العسكرية إن داعش سيطر على سرت وذبح الأبرياء،"
     " مؤكدا أن الجيش أصبح أقوى من أي وقت مضى."),
    pytest.param(
        "a speech on the past with «اليوم» and a vague toll", False, None,
        "قال وزير الدفاع في كلمة أمام خريجي الكلية العسكرية إن داعش سيطر على سرت وقتل المئات"
        " من أبنائها، وإن الجيش اليوم أقوى من أي وقت مضى.",
        id="a speech on the past with «اليوم» and a vague toll",
        marks=pytest.mark.xfail(
            strict=True,
            reason="«اليوم أقوى من» no longer dates it, but the vague «المئات» still takes the"
            " count's bonus: 0.8 + 0.1 - 0.4 meets the threshold of 0.5"),
    ),
    # «اليوم» before a comparison is "nowadays"; before a count or a superlative it is today
    ("a speech on the past with «الجيش اليوم أقوى من»", False, None,
     "قال وزير الدفاع في كلمة أمام خريجي الكلية العسكرية إن داعش سيطر على سرت، وإن الجيش اليوم"
     " أقوى من أي وقت مضى."),
    ("an attack today on «أكثر من بوابة»", True, None,
     "هاجم تنظيم داعش اليوم أكثر من بوابة في الجفرة وقتل جنديين."),
    ("«اليوم أخطر هجوم»: a superlative is today's event", True, None,
     "شن تنظيم داعش اليوم أخطر هجوم على سبها منذ أشهر وقتل جنديين."),
    ("a speech that reports today's attack is still news", True, None,
     "قال وزير الداخلية في كلمة اليوم إن عناصر من تنظيم داعش هاجموا فجر اليوم بوابة أمنية في"
     " سبها وقتلوا ثلاثة من أفرادها."),
    # remnants of years ago, displaced families going home
    ("mines the actor left years ago", False, None,
     "بدأت فرق الهندسة نزع الألغام والعبوات التي زرعها عناصر داعش في منطقة السبعة بسرت قبل"
     " سنوات."),
    ("displaced families go home to a quarter", False, None,
     "عادت ستون عائلة نازحة إلى حي الجيزة البحرية في سرت بعد تطهيره من مخلفات تنظيم داعش."),
    ("a bomb the actor planted, today", True, None,
     "انفجرت عبوة ناسفة زرعها عناصر تنظيم داعش صباح اليوم في منطقة السبعة بسرت ما أدى إلى"
     " مقتل جنديين."),
    # abroad: attackers who slipped out of the Libyan south
    ("an attack in Chad's Tibesti by men from the Libyan south", False, None,
     "قالت السلطات التشادية إن مسلحين من داعش تسللوا من الجنوب الليبي وهاجموا موقعا للجيش"
     " التشادي في تيبستي فجر اليوم، ما أدى إلى مقتل أربعة جنود."),
    ("an attack in the Libyan south itself", True, None,
     "هاجم مسلحون من داعش فجر اليوم بوابة للجيش في الجنوب الليبي قرب القطرون وقتلوا جنديين."),
    # set 26's classes: a radio's flash in the present, «غرب البلاد» of another country
    ("a flash: the actor's men storm and burn", True, None,
     "عاجل | عناصر من داعش تقتحم مركز شرطة بلدة غدوة وتحرق سيارتين تابعتين له."),
    ("the west of another country, Libya only its border", False, None,
     "قالت وزارة الدفاع النيجرية إن مسلحين من داعش قتلوا خمسة جنود في هجوم غرب البلاد اليوم،"
     " فيما تنشط شبكات التهريب عبر الحدود مع ليبيا."),
    ("a headline's «غرب البلاد» over a text abroad", False, "مقتل خمسة جنود في هجوم لداعش غرب البلاد",
     "قال الجيش في النيجر إن مسلحين من داعش هاجموا موقعا له اليوم. ويتسلل المسلحون عبر الحدود"
     " مع ليبيا."),
    ("the south of the country in a text about it", True, None,
     "قال الجيش الليبي إن عناصر داعش هاجموا فجر اليوم دورية جنوب البلاد وقتلوا جنديين."),
    # set 38: «في مالي» is the country (a bare «مالي» may be «financial»: «دعم مالي»)
    ("a Libyan driver killed in Mali", False, "الخارجية تدين قتل سائق ليبي على يد داعش في مالي",
     "أدانت وزارة الخارجية أمس مقتل مواطن ليبي يعمل سائقا، وقالت إنها تتابع نقل جثمانه."),
    # set 40: «مواطنا ليبيا» is the adjective; «تسللت عبر الحدود من ليبيا» is where they came from
    ("a Libyan citizen mourned, «مواطنا ليبيا»", False,
     "الخارجية تنعى مواطنا ليبيا قضى في هجوم لداعش",
     "أعلنت وزارة الخارجية أنها تتابع نقل جثمان المواطن إلى مسقط رأسه."),
    ("a clash abroad with men who crossed the border from Libya", False, None,
     "قتل جندي تونسي أمس في اشتباك مع مجموعة من تنظيم داعش تسللت عبر الحدود من ليبيا."),
    ("an attack in Libya itself, named by its towns", True, None,
     "هاجم عناصر من تنظيم داعش فجر اليوم بوابة أمنية على الطريق بين سبها وأوباري في ليبيا"
     " وقتلوا جنديا."),
    ("a Libyan attack and a donor's financial aid", True, None,
     "هاجم عناصر من داعش فجر اليوم بوابة أمنية في سبها وقتلوا جنديين، وأعلنت بلدية المدينة تقديم"
     " دعم مالي لأسر الضحايا."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("about", "incident", "title", "text"),
    PIECES,
    ids=[p[0] if isinstance(p, tuple) else None for p in PIECES],
)
def test_piece(about: str, incident: bool, title: str | None, text: str) -> None:
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert found.is_incident is incident, f"{about}: {found.why}"


TOLLS = [
    ("an obituary names the dead", "الكتيبة 128 تنعى أربعة من أفرادها",
     "هاجم عناصر من تنظيم داعش فجر اليوم تمركزا للكتيبة 128 قرب أم الأرانب.", 4),
    ("a town lost five of its sons", None,
     "تعيش بلدة هراوة حزنا اليوم بعد ليلة فقدت فيها ستة من أبنائها في هجوم شنه تنظيم داعش على"
     " أطراف البلدة.", 6),
    ("a man's sons killed", None,
     "قتل عناصر من تنظيم داعش مساء أمس ثلاثة من أبنائه في مزرعتهم قرب بلدة الفقهاء.", 3),
]  # fmt: skip


@pytest.mark.parametrize(("about", "title", "text", "killed"), TOLLS, ids=[t[0] for t in TOLLS])
def test_toll(about: str, title: str | None, text: str, killed: int) -> None:
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert found.is_incident, f"{about}: {found.why}"
    assert found.killed == killed, f"{about}: {found.why}"


PLACES = [
    ("the army by its adjective, then a town", None,
     "زعمت وكالة أعماق أن مقاتلي داعش فجروا عبوة بدورية للجيش الليبي قرب بلدة تراغن صباح اليوم.",
     "تراغن"),
    ("a military region's name, then the place", None,
     "أعلن آمر منطقة سبها العسكرية اليوم أن الطيران قصف تجمعا لعناصر داعش في جبال الهروج.",
     "الهروج"),
    ("a local source's town does not narrow a district", None,
     "أعدم عناصر داعش أمس راعيين خطفوهما من منطقة وادي الشاطئ. وقال مصدر محلي في براك إن"
     " الضحيتين من أبناء المنطقة.", "وادي الشاطئ"),
    ("a local source's town still places what nothing else places", None,
     "قالت مصادر محلية في العجيلات إن قوة أمنية اعتقلت اليوم ثلاثة من عناصر تنظيم داعش.",
     "العجيلات"),
    ("a later sentence retelling the event names the town inside the lead's region", None,
     "سبها - أعلنت وزارة الداخلية اليوم القبض على مسؤول مالي لتنظيم داعش جنوب غربي البلاد."
     " وقال الوزير إن العملية ثمرة أشهر من الرصد والمتابعة. وأوضحت الوزارة أن القوة داهمت"
     " منزلا وقبضت على عنصر داعش داخل مدينة أوباري، التي تبعد عن سبها نحو 200 كيلومتر.",
     "أوباري"),
    ("a town an earlier event's sentence names does not narrow the region", None,
     "أعلن الجيش اليوم القبض على خلية لتنظيم داعش جنوب البلاد. وكان التنظيم قد هاجم في عام"
     " 2019 بلدة الفقهاء وقتل عددا من سكانها.", "فزان"),
    # set 26's classes: where a press conference was held, a quarter named like a far village
    ("a press conference's town is not the strike's", None,
     "قال الناطق باسم الجيش في مؤتمر صحفي عقده اليوم في بنغازي إن الطيران قصف مواقع لداعش قرب"
     " بلدة غدوة.", "غدوة"),
    ("a press conference's town still places what nothing else places", None,
     "عقد مدير أمن سبها مؤتمرا صحفيا اليوم في سبها أعلن فيه القبض على خلية لتنظيم داعش.", "سبها"),
    ("a city's quarter named like a far village", None,
     "خطف مسلحون من داعش مساء أمس طبيبا من أمام عيادته في حي القرضة بمدينة سبها.", "سبها"),
    # set 29's classes: another group's name holding a town, a destination in the dual
    # a town inside another group's name places nothing of the news
    ("a town in «سرايا الدفاع عن …» is the group's, not the attack's", None,
     "اتهم الجيش سرايا الدفاع عن بنغازي بالتحالف مع داعش، بعد هجوم شنه عناصر التنظيم اليوم على"
     " بوابة في منطقة زلة.", "زلة"),
    # where two lorries were heading is not where they were stopped
    ("a destination in the dual", None,
     "خطف مسلحون من داعش أمس سائقي شاحنتين كانتا متجهتين إلى سبها، عند حاجز أقاموه قرب بلدة"
     " الشويرف.", "الشويرف"),
    # set 34: where a driver is from, and the hospital the wounded were flown to, place nothing
    ("a driver «from the town of Waddan» taken at a checkpoint near Jufra", None,
     "قتل مسلحون من داعش أمس سائقا من بلدة ودان عند حاجز قرب الجفرة.", "الجفرة"),
    ("hostages freed in a cave, the wounded flown to Hun", None,
     "حررت قوة من الجيش فجر اليوم ستة رهائن كان تنظيم داعش يحتجزهم في مغارة بمنطقة الهروج، وقتل"
     " رهينة سابع. ونقل الجنديان المصابان بطائرة مروحية إلى مستشفى هون.", "الهروج"),
    ("«three of the sons of Waddan» taken on its outskirts", None,
     "اختطف مسلحون من تنظيم داعش ثلاثة من أبناء مدينة ودان من مزرعة على أطراف المدينة أمس.",
     "ودان"),
    # the hospital that received the dead is where they were brought
    ("the hospital that received the dead, the gate west of the city", None,
     "استقبل مستشفى سرت اليوم جثماني جنديين وستة جرحى جراء هجوم شنه تنظيم داعش على بوابة الوشكة"
     " غرب سرت.", "الوشكة"),
    # set 33: a crossing on «the Libyan side», told from Tunisia
    ("a border crossing on the Libyan side, told from Tunisia", None,
     "هاجم مسلحون من داعش أمس منفذ وازن من الجانب الليبي وقتلوا موظفا، بحسب معتمد الذهيبة"
     " التونسية.", "وازن"),
    # «تتبنى»: a claim after the bombing, then a hospital's town
    ("a running file: the claim, then the hospital's town", None,
     "08:05 | انفجار سيارة مفخخة عند بوابة في بلدة النوفلية.\n09:25 | وكالة أعماق التابعة لتنظيم"
     " داعش تنشر خبرا تتبنى فيه التفجير.\n11:50 | مستشفى في سرت يستقبل ستة جرحى.", "النوفلية"),
    # a city the text measures from is a reference where a direction names it too, when the
    # text places the event at a town; alone, «شرق طرابلس» still places it
    ("a direction from a city the text measures a village from", None,
     "قتل خمسة جنود في انفجار سيارة مفخخة في منطقة تشهد اشتباكات مع تنظيم داعش شرق طرابلس."
     " ووقع التفجير قرب بويرات الحسون، القرية الواقعة على بعد 60 كيلومترا غربي مدينة سرت، شرقي"
     " طرابلس بنحو 450 كيلومترا.", "بويرات الحسون"),
    ("a direction from a city, measured from and nothing else named", None,
     "هاجم عناصر من داعش بوابة أمنية شرق طرابلس اليوم وقتلوا جنديين، وتبعد البوابة عن طرابلس 20"
     " كيلومترا.", "طرابلس"),
]  # fmt: skip


@pytest.mark.parametrize(("about", "title", "text", "place"), PLACES, ids=[p[0] for p in PLACES])
def test_place(about: str, title: str | None, text: str, place: str) -> None:
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert found.is_incident, f"{about}: {found.why}"
    assert found.places and found.places[0].name == place, f"{about}: {found.why}"
