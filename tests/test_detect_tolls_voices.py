"""Tolls told by voices and shapes set 37 covers (tolls10): a spokesman's own side in the first
person, shares that are no head counts, Libyan dialect, callings. Our own sentences, none from a
set."""

from __future__ import annotations

import pytest

from tests.support.tolls import Count, Toll, check_toll

AT = "على نقطة تفتيش قرب بلدة ودان فجر اليوم"

# (what it checks, title, text, killed, injured or ... when the case says nothing of it)
TOLLS: list[Toll] = [
    # a spokesman's own side, in the first person
    ("«خسرنا … من جنودنا» in a quote", None,
     f"هاجم عناصر من تنظيم داعش نقطة للجيش {AT}. وقال آمر النقطة: «خسرنا أربعة من جنودنا،"
     " وعندنا ستة جرحى».", 4, 6),
    ("«فقدنا … من زملائنا» after the actor was named", None,
     f"شن مسلحو داعش هجوما {AT}، وقال أحد الحراس إننا فقدنا اثنين من زملائنا.", 2, ...),
    # shares
    ("a share «في المئة» is no count of the hurt (the driver is one)", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}. وقال المستشفى إن سائقا أصيب بحروق تجاوزت 70 في"
     " المئة.", 2, 1),
    ("a share with the sign is no count", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}، وأصيب بحروق بلغت 60 % من جسده سائق شاحنة.", 2, None),
    # Libyan dialect
    ("«زوز» is two, «متعورين» the hurt", None,
     f"انفجرت سيارة مفخخة تبناها تنظيم داعش {AT}. وقال شاهد: «ماتوا فيها زوز عساكر وفيه خمسة"
     " متعورين».", 2, 5),
    ("«ما فيش حد مات» is no one killed, the hurt apart", None,
     f"استهدفت قذائف أطلقها عناصر داعش بيوتا {AT}. وقال أحد السكان: «الحمد لله ما فيش حد مات،"
     " بس تعوروا زوز».", 0, 2),
    # the next one, by its ordinal
    ("«قتيلين من المدنيين وثالث من الجيش» is three", None,
     f"أسفر قصف لتنظيم داعش {AT} عن قتيلين من المدنيين وثالث من الجيش.", 3, ...),
    ("«ثلاثة جنود ورابع من الشرطة» is four", None,
     f"قتل ثلاثة جنود ورابع من الشرطة في هجوم لتنظيم داعش {AT}.", 4, ...),
    ("an ordinal that is not the next one adds nobody", None,
     f"قتل جنديان وخامس المهاجمين في هجوم لتنظيم داعش {AT}.", 2, ...),
    # a clause of its own
    ("the dead before «، فيما أصيب» are not the hurt", None,
     f"قتل في الهجوم الذي شنه تنظيم داعش {AT} خمسة من أفراد النقطة، فيما أصيب ثلاثة آخرون.",
     ..., 3),
    # one ranked name
    ("«وأصيب الجندي …» is one hurt", None,
     f"استشهد العريف سالم علي والجندي مفتاح خليفة، وأصيب الجندي نوري سعد، في هجوم لتنظيم داعش"
     f" {AT}.", 2, 1),
    # the latest toll
    ("«الحصيلة النهائية» in the last sentence over the first toll", None,
     f"قتل جنديان وأصيب سبعة في هجوم لتنظيم داعش {AT}، في حصيلة غير نهائية. وقال مصدر طبي إن"
     " الحصيلة النهائية بلغت أربعة قتلى وخمسة جرحى، بعد وفاة اثنين من المصابين.", 4, 5),
    ("«في آخر حصيلة» over the lead's count", None,
     f"قتل ثلاثة مدنيين وأصيب تسعة في تفجير تبناه تنظيم داعش {AT}. وفي آخر حصيلة أعلنها"
     " المستشفى مساء، قتل خمسة وأصيب سبعة.", 5, 7),
    ("«الحصيلة غير النهائية» alone is the toll", None,
     f"قالت المديرية إن الحصيلة غير النهائية للهجوم الذي شنه تنظيم داعش {AT} بلغت قتيلين"
     " وأربعة جرحى.", 2, 4),
    # the hurt who died
    ("one of the hurt left life «متأثرا بإصابته», the others still treated", None,
     f"أصيب ثلاثة جنود في هجوم لتنظيم داعش {AT}. وفي المساء، قال المستشفى إن أحد الجنود الثلاثة"
     " فارق الحياة متأثرا بإصابته، فيما ما زال الاثنان الآخران يتلقيان العلاج.", 1, 2),
    ("«قبل أن يفارق اثنان منهم الحياة»: the hurt are the rest", None,
     f"أصيب خمسة عمال في هجوم لتنظيم داعش {AT}، قبل أن يفارق اثنان منهم الحياة في المستشفى.",
     2, 3),
    ("the hurt who died beside the dead of the blast", None,
     f"قتل جنديان وأصيب ستة في تفجير تبناه تنظيم داعش {AT}، توفي اثنان منهم لاحقا.", 4, 4),
    # «ضحايا»
    ("«خمسة ضحايا» split «منهم» into the dead and the hurt", None,
     f"خلف هجوم لتنظيم داعش {AT} ستة ضحايا من المسافرين، أربعة منهم فارقوا الحياة، والاثنان"
     " الآخران أصيبا بجروح.", 4, 2),
    ("«ضحايا» in a title gives way to the body's dead", "ستة ضحايا في هجوم لداعش قرب ودان",
     f"قتل أربعة مدنيين وأصيب اثنان في هجوم لتنظيم داعش {AT}.", 4, 2),
    ("«ضحايا» alone are the dead", None,
     f"أوقع تفجير تبناه تنظيم داعش {AT} سبعة ضحايا.", 7, ...),
    ("a part «منهم» of the same kind is not added", None,
     f"قتل خمسة أشخاص في هجوم لتنظيم داعش {AT}، ثلاثة منهم قتلوا ذبحا.", 5, ...),
    # names, no count
    ("«لقي كل من …، و…، و… حتفهم»: three names", None,
     f"لقي كل من الحاج مسعود علي الزوي، والشيخ عمر سالم الحضيري، والسائق ميلاد فرج، حتفهم في"
     f" كمين نصبه عناصر تنظيم داعش {AT}.", 3, ...),
    ("«أصيب في الهجوم المواطن …»: one, the event between", None,
     f"هاجم مسلحو تنظيم داعش مزرعة {AT}، وأصيب في الهجوم المواطن صالح عمران بجروح في يده.",
     ..., 1),
    ("the event between a verb and its dual", None,
     "قتل في الهجوم جنديان من حرس النقطة التي استهدفها تنظيم داعش قرب بلدة ودان فجر اليوم.",
     2, ...),
    # ages between a person and his kin
    ("«في الخمسين من عمره وشقيقه» is two", None,
     "قتل مسلحون من تنظيم داعش، فجر اليوم، مزارعا في الخمسين من عمره وشقيقه قرب بلدة ودان.",
     2, ...),
    ("«(45 عاما) وابنه» is two", None,
     "أعدم عناصر داعش رجلا (45 عاما) وابنه قرب بلدة ودان فجر اليوم.", 2, ...),
    ("«يبلغ 60 عاما وزوجته» is two", None,
     "قتل عناصر تنظيم داعش راعيا يبلغ 60 عاما وزوجته قرب بلدة ودان فجر اليوم.", 2, ...),
    # mourned by their number
    ("«تنعى الكتيبة أبطالها الأربعة»", None,
     f"تنعى الكتيبة أبطالها الأربعة الذين سقطوا في هجوم غادر لتنظيم داعش {AT}.", 4, ...),
    ("«ينعى مجلس أعيان البلدة أبناءه الثلاثة», a long subject", None,
     f"ينعى مجلس حكماء وأعيان ودان أبناءه الثلاثة الذين استشهدوا في هجوم لتنظيم داعش {AT}.",
     3, ...),
    ("«ثلاثة من الجنود الجرحى يتلقون العلاج» are the hurt", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}. ولا يزال ثلاثة من الجنود الجرحى يتلقون العلاج.",
     2, 3),
    # one with him
    ("«فقتلوه مع حارس المبنى» is two, «وأصابوا جارا» one", None,
     "اقتحم مسلحو تنظيم داعش منزل قاض قرب بلدة ودان فجر اليوم، فقتلوه مع حارس المبنى، وأصابوا"
     " جارا لهما.", 2, 1),
    # callings
    ("a photographer killed", None,
     f"قتل مصور يعمل لقناة محلية في هجوم لتنظيم داعش {AT}.", 1, ...),
]  # fmt: skip


@pytest.mark.parametrize(
    ("about", "title", "text", "killed", "injured"), TOLLS, ids=[t[0] for t in TOLLS]
)
def test_toll(about: str, title: str | None, text: str, killed: Count, injured: Count) -> None:
    check_toll(about, title, text, killed, injured)
