"""Tolls told by the people they name and by running updates (issue 13, twelfth round): two
named before «اللذين توفيا»، a calling before a name, the passive of a killing, «لقي … حتفه»,
ways to say none, a first toll that a later one replaced, and the later of two tolls that rose.
Our own sentences, none from a set."""

from __future__ import annotations

import pytest

from tests.support.tolls import Count, Toll, check_toll

AT = "في هجوم لتنظيم داعش على محطة كهرباء قرب بلدة هون فجر اليوم"

# (what it checks, title, text, killed, injured or ... when the case says nothing of it)
TOLLS: list[Toll] = [
    # two named before a dual relative clause
    ("«المهندسين … اللذين توفيا» is two dead", None,
     f"قتل عاملان {AT}. وتنعى الشركة المهندسين سالم الفيتوري ونوري عمر اللذين توفيا جراء"
     " الانفجار.", 2, ...),
    ("«الحارستين اللتين أصيبتا» is two hurt", None,
     f"انفجرت عبوة {AT}، وتتمنى الإدارة الشفاء للموظفتين فاطمة وعائشة اللتين أصيبتا بشظايا.",
     ..., 2),
    ("a dual counted already is not counted again", None,
     f"أسفر الهجوم عن مقتل الحارسين علي وسالم اللذين قتلا عند البوابة {AT}.", 2, ...),
    ("«اللذين كانا» is no toll of its own", None,
     f"قتل ثلاثة جنود {AT}، بينما نجا الحارسان اللذان كانا في البرج.", 3, ...),
    ("«الذي اغتيل» after «مقتل الشيخ» is the same one", None,
     f"أسفر الهجوم عن مقتل الشيخ علي الصادق الذي اغتيل أمام بيته {AT}.", 1, ...),
    ("«بجروحه التي أصيب بها» is the dead man's wound", None,
     f"توفي الحارس سالم علي متأثرا بجروحه التي أصيب بها {AT}. وكان الهجوم قد أسفر عن مقتل"
     " حارسين وإصابة خمسة آخرين.", ..., ...),
    # a calling before a name
    ("«وأصيب الفني …» is one hurt", None,
     f"قتل حارس {AT}، وأصيب الفني مصطفى علي بحروق نقل على إثرها إلى مستشفى هون.", 1, 1),
    ("«اغتيال المهندس …» is one dead", None,
     f"أدى الهجوم إلى اغتيال المهندس خالد المبروك {AT}.", 1, ...),
    ("«مقتل خفير» is one dead", None, f"أسفر الهجوم عن مقتل خفير {AT}.", 1, ...),
    # the passive
    ("«اغتيل الشيخ …» is one dead", None,
     "اغتيل الشيخ إدريس المهدي إمام مسجد النور في بلدة هون مساء أمس برصاص مسلحين تبنى تنظيم"
     " داعش الهجوم عليه، كما أصيب نجله.", 1, 1),
    # a first toll replaced by a later one in the same sentence
    ("«بعدما تحدثت الحصيلة الأولى عن …» is the earlier figure", None,
     f"ارتفعت حصيلة التفجير {AT} إلى أربعة قتلى وتسعة جرحى، بعدما تحدثت الحصيلة الأولى صباحا"
     " عن قتيلين وخمسة مصابين.", 4, 9),
    ("«بعد أن أشارت الحصيلة الأولية إلى …» too", None,
     f"قتل ستة أشخاص {AT}، بعد أن أشارت الحصيلة الأولية إلى ثلاثة قتلى.", 6, ...),
    # the one «لقي … حتفه» names, however many words name him
    ("«لقي صاحب محل لبيع الهواتف حتفه» is one dead", None,
     f"لقي صاحب محل لبيع الهواتف حتفه {AT}.", 1, ...),
    ("«لقي صاحب المحل مصرعه» is one, not two", None,
     f"لقي صاحب المحل مصرعه {AT}.", 1, ...),
    # none, said in other ways
    ("«لم يخلف أي شهيد» is none dead", None,
     f"قصف عناصر داعش نقطة للجيش {AT}. وقال الناطق: «القصف لم يخلف أي شهيد، وأصيب ثلاثة من"
     " أفراد النقطة بشظايا».", 0, 3),
    ("«نفى وقوع أي قتيل» is none dead", None,
     f"تعرض مركز للشرطة لهجوم {AT}. ونفى مدير الأمن وقوع أي قتيل، مؤكدا إصابة خمسة.", 0, 5),
    ("«الأضرار اقتصرت على الماديات» is nobody", None,
     f"انفجرت عبوة ناسفة زرعها عناصر داعش {AT}، وأكدت الشركة أن الأضرار اقتصرت على الماديات.",
     0, 0),
    ("a mayor's «لا ميت لا مجروح» is nobody", None,
     f"أحرق عناصر داعش مقر البلدية {AT}. وقال العميد: «الحمد لله، لا ميت لا مجروح».", 0, 0),
    # counts in other words
    ("«اثنتا عشرة سيدة» is twelve", None,
     f"قتلت امرأة وأصيبت اثنتا عشرة سيدة وفتاة {AT}.", 1, 12),
    ("«أربعة موتى وستة مجروحين» in a paramedic's words", None,
     f"انفجرت عبوة ناسفة تبناها داعش {AT}. وقال مسعف: «وصلنا أربعة موتى وستة مجروحين».", 4, 6),
    # a roll of the fallen, and the only one
    ("a roll «وهم: الشهيد العريف …، والشهيد الجندي …» after those who fell", None,
     f"ينعى المجلس البلدي شهداء الواجب الذين سقطوا {AT}، وهم: الشهيد العريف عمر محمد، والشهيد"
     " الجندي موسى علي، والشهيد المتطوع يوسف آدم.", 3, ...),
    ("«الشهيد …، والشهيد …» mourned is two", None,
     f"قتل جنديان {AT}. وينعى المجلس الشهيد عمر محمد والشهيد موسى علي.", 2, ...),
    ("«جريح الهجوم الوحيد» is one hurt", None,
     f"قتل جنديان {AT}، ويتمنى المجلس الشفاء العاجل لجريح الهجوم الوحيد الجندي عبد الله صالح.",
     2, 1),
    ("«الضحية الوحيدة» is one dead", None,
     f"أطلق قناص من تنظيم داعش النار على سائق شاحنة {AT}، وكان السائق الضحية الوحيدة للهجوم.",
     1, ...),
    # two men in construct, one who came through hurt, what hit them
    ("«استشهد رجلا أمن» is two, «نجا ثالثهما بجروح» one hurt", None,
     f"استشهد رجلا أمن {AT}، فيما نجا ثالثهما بجروح في الرأس.", 2, 1),
    ("«مقتل رجلي الشرطة» is two", None, f"أسفر الهجوم عن مقتل رجلي الشرطة {AT}.", 2, ...),
    ("«ونجا أحدهم بجروح» is one of the hurt already counted", None,
     f"أصيب ثلاثة جنود {AT}، ونجا أحدهم بجروح طفيفة.", ..., 3),
    ("«وأصيب آخر برصاص قناص تابع لتنظيم داعش» is a victim, not a militant", None,
     "قتل جندي وأصيب آخر برصاص قناص تابع لتنظيم داعش استهدف نقطة مراقبة قرب بلدة هون صباح"
     " اليوم.", 1, 1),
    # the attackers among a count
    ("«مقتل خمسة بينهم الانتحاري» is four victims", None,
     f"أسفر التفجير {AT} عن مقتل خمسة أشخاص بينهم الانتحاري.", 4, ...),
    ("«ست جثث، إحداها لمنفذ الهجوم» is five", None,
     f"استقبل المستشفى ست جثث، إحداها لمنفذ الهجوم، و22 مصابا جراء التفجير {AT}.", 5, 22),
    ("«11 إصابة، بينها إصابتان لعنصرين من المهاجمين» is nine hurt", None,
     f"سجل المركز الطبي 4 وفيات و11 إصابة جراء الهجوم {AT}، بينها إصابتان لعنصرين من"
     " المهاجمين.", 4, 9),
    ("«بينهم حارسان عندما فجر انتحاري نفسه»: the bomber is not among them", None,
     f"قتل خمسة أشخاص بينهم حارسان عندما فجر انتحاري نفسه {AT}.", 5, ...),
    # running updates
    ("«وبلغ عدد القتلى سبعة» is what the toll came to", None,
     f"قتل شخصان {AT}. وبلغ عدد القتلى سبعة بعد انتشال جثث من تحت الأنقاض.", 7, ...),
    ("of two tolls that rose, the later one", None,
     f"قتل شخصان {AT}. وبعد ساعتين قفزت الحصيلة إلى ستة قتلى. وفي آخر تحديث مساء اليوم، أعلن"
     " المستشفى أن عدد القتلى بلغ سبعة بعد وفاة أحد المصابين.", 7, ...),
    ("«وفاة ثلاثة من الجرحى، ليرتفع عدد القتلى إلى سبعة» is seven", None,
     f"قتل أربعة أشخاص وأصيب 15 {AT}. وفي آخر حصيلة، أعلن المستشفى وفاة ثلاثة من الجرحى، ليرتفع"
     " عدد القتلى إلى سبعة.", 7, ...),
]  # fmt: skip


@pytest.mark.parametrize(
    ("about", "title", "text", "killed", "injured"), TOLLS, ids=[t[0] for t in TOLLS]
)
def test_toll(about: str, title: str | None, text: str, killed: Count, injured: Count) -> None:
    check_toll(about, title, text, killed, injured)
