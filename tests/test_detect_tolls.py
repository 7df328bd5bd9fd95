"""Tolls (issue 13, class 5): one count per side, the official figure over a claim, a breakdown
not added to its total, «ارتفعت الحصيلة إلى» as the toll, martyr words. Our own sentences."""

from __future__ import annotations

import pytest

from crawler.detect import Document
from crawler.detect.facts.casualties import MILITANTS
from tests.support.incident_reports import detector
from tests.support.tolls import PUBLISHED, Count, Toll, check_toll

AT = "على بوابة أمنية في سبها فجر اليوم"
STRIKE = "في غارة جوية على مخبأ لهم جنوب أوباري فجر اليوم"

# (what it checks, title, text, killed, injured or ... when the case says nothing of it)
TOLLS: list[Toll] = [
    ("one shepherd executed, the noun in the accusative", None,
     "أعدم عناصر من تنظيم داعش راعيا رميا بالرصاص قرب بلدة الشويرف فجر اليوم.", 1, ...),
    ("one judge assassinated", None,
     "اغتال مسلحون من تنظيم داعش قاضيا أمام منزله في مدينة درنة صباح اليوم.", 1, ...),
    ("the toll rose to N after deaths", None,
     f"قتل خمسة جنود في هجوم شنه تنظيم داعش {AT}. وارتفعت حصيلة القتلى إلى سبعة بعد وفاة"
     " جنديين متأثرين بجراحهما.", 7, ...),
    ("the toll rose to N, under a headline with N", "ارتفاع حصيلة هجوم داعش في سبها إلى خمسة قتلى",
     f"ارتفعت حصيلة قتلى الهجوم الذي شنه تنظيم داعش {AT} إلى خمسة بعد وفاة اثنين من الجرحى.",
     5, ...),
    ("a medical source over a claim in one sentence", None,
     f"قال مصدر طبي إن ثلاثة جنود قتلوا في هجوم لتنظيم داعش {AT}، فيما زعم التنظيم في بيان أنه"
     " قتل 20 جنديا.", 3, ...),
    ("a claim first, the official toll in the next sentence", None,
     f"زعم تنظيم داعش في بيان أنه قتل 20 جنديا في هجوم {AT}. لكن مصدرا عسكريا قال إن ثلاثة"
     " جنود قتلوا وأصيب اثنان.", 3, 2),
    ("a claim's «killed or wounded» is no killed count", None,
     f"تبنى تنظيم داعش هجوما {AT}، وقال إنه أوقع 15 بين قتيل وجريح.", None, ...),
    ("a breakdown after a comma is not added", None,
     f"قتل تسعة أشخاص، خمسة جنود وأربعة مدنيين، في هجوم لتنظيم داعش {AT}.", 9, ...),
    ("a breakdown after a colon is not added", None,
     f"أسفر هجوم لتنظيم داعش {AT} عن 9 قتلى: 5 جنود و4 مدنيين.", 9, ...),
    ("parts that add up to the total", None,
     f"قتل 7 أشخاص بينهم 4 جنود و3 مدنيين في هجوم لتنظيم داعش {AT}.", 7, ...),
    ("two sides are summed when no total is given", None,
     f"قتل خمسة جنود وثلاثة مدنيين في هجوم لتنظيم داعش {AT}.", 8, ...),
    ("a martyr noun", None,
     f"أعلن الجيش استشهاد ثلاثة من عناصره في هجوم لتنظيم داعش {AT}.", 3, ...),
    ("a martyr dual", None,
     f"سقط شهيدان من الجيش في هجوم لتنظيم داعش {AT}.", 2, ...),
    ("a dual then a number word", None,
     f"أسفر هجوم لتنظيم داعش {AT} عن شهيدين وثلاثة جرحى.", 2, 3),
    ("crucifixion is killing", None,
     "أقدم تنظيم داعش على صلب ستة أشخاص في سرت فجر اليوم.", 6, ...),
    ("the conjunction of a compound number stays", None,
     f"قتل ثلاثة وعشرون شخصا في هجوم لتنظيم داعش {AT}.", 23, ...),
    ("a joined count takes the kind of its own noun", None,
     f"خلف هجوم لتنظيم داعش {AT} سبعة قتلى و15 جريحا من رجال الأمن.", 7, 15),
    ("one killed by its noun, then the injured", None,
     f"أسفر تفجير تبناه تنظيم داعش {AT} عن سقوط قتيل وخمسة جرحى.", 1, 5),
    ("a martyrdom verb before its count", None,
     f"استشهد أربعة من عناصر الحرس البلدي في هجوم لتنظيم داعش {AT}.", 4, ...),
    ("beheading is killing", None,
     "هاجم مسلحو تنظيم داعش مزرعة في وادي الحياة أمس، وقطع المهاجمون رؤوس 5 رعاة.", 5, ...),
    ("a man and his son are two", None,
     f"هاجم مسلحون من تنظيم داعش منزلا {AT} ما أدى إلى إصابة رجل وابنه.", None, 2),
    ("the victims after «لـ», past the actor and the place", None,
     "بث تنظيم داعش تسجيلا يظهر إعدام عناصره في بلدة هراوة شرق سرت لـ 3 أسرى اليوم.", 3, ...),
    ("«today» before a count is no date", None,
     "خلف التفجير الذي تبناه تنظيم داعش في سوق درنة مساء اليوم 9 قتلى.", 9, ...),
    ("a claim ends where another source speaks", None,
     f"ادعى تنظيم داعش عبر أعماق أن هجومه {AT} أوقع 30 قتيلا، في حين أكد مصدر أمني أن القتلى"
     " اثنان فقط.", 2, ...),
    ("a loss said with «فقد»", None,
     f"فقدت كتيبة شهداء الزاوية اثنين من أفرادها في هجوم لتنظيم داعش {AT}.", 2, ...),
    ("the day's fighting added to a toll is not the attack's", None,
     f"أسفر هجوم داعش {AT} عن مقتل ثلاثة جنود وإصابة أربعة، يضاف إليهم قتيل سقط في مواجهات"
     " لاحقة مع فلول المهاجمين.", 3, 4),
    ("an update's injured figure supersedes the earlier one", None,
     f"أعلن مستشفى سبها مقتل 6 وجرح 10 في هجوم داعش {AT}، ثم ارتفع عدد القتلى إلى 8 وجرح 14"
     " آخرين.", 8, 14),
    ("a dual, then the verb that says what befell them", None,
     f"قال مصدر عسكري إن شرطيين قتلا في هجوم لتنظيم داعش {AT}.", 2, ...),
    ("members who died, counted before their verb", None,
     f"نعى جهاز الحرس البلدي أربعة من منتسبيه قضوا في هجوم لتنظيم داعش {AT}.", 4, ...),
    ("shot dead is one killed", None,
     f"هاجم مسلحو داعش منزل مختار المحلة {AT} وأطلقوا النار عليه فأردوه قتيلا.", 1, ...),
    ("«without injuries being recorded» is zero", None,
     f"سقطت قذائف أطلقها تنظيم داعش {AT} دون أن تسجل إصابات.", 0, 0),
    ("the noun after a count past a trigger says its kind", None,
     f"قال مستشفى سبها إنه استقبل بعد هجوم داعش {AT} جثتين و9 مصابين.", 2, 9),
    ("who met his death is the one counted", None,
     f"لقي حارس مرمى الفريق المحلي حتفه في هجوم لتنظيم داعش {AT}.", 1, ...),
    ("a title names one person", None,
     f"أعلنت الكتيبة مقتل العقيد خالد الورفلي وجرح اثنين من حراسه في هجوم لتنظيم داعش {AT}.",
     1, 2),
    ("one and two of hers", None,
     f"قتل رجل وابناه في هجوم لتنظيم داعش {AT}.", 3, ...),
    ("«nobody was killed» is no killed", None,
     f"أصيب ثلاثة جنود في هجوم لتنظيم داعش {AT}، ولم يقتل أحد.", 0, 3),
    ("«قضى» before a count", None,
     f"قضى أربعة حراس في هجوم لتنظيم داعش {AT}.", 4, ...),
    ("the ordinal of the last to die is the toll", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}، ثم توفي مساء جندي ثالث متأثرا بجراحه.", 3, ...),
    ("the actor's own figure beside another source's", None,
     f"قالت مصادر طبية إن هجوم داعش {AT} أسفر عن مقتل ثلاثة مدنيين، فيما قال التنظيم إنه قتل"
     " 15 عنصرا.", 3, ...),
    ("«her members» are not the actor's", None,
     f"اقتحم مسلحو داعش مركز الشرطة {AT} وقتلوا ثلاثة من منتسبيها.", 3, ...),
    ("people of anywhere, then the verb", None,
     f"شيعت المدينة خمسة من شبابها قتلوا في هجوم لتنظيم داعش {AT}.", 5, ...),
    ("an event's toll «إلى» a figure and its noun is the toll", None,
     f"ارتفعت حصيلة الهجوم الذي شنه تنظيم داعش {AT} إلى خمسة قتلى بعد وفاة اثنين من الجرحى.",
     5, ...),
    ("no human harm is a count of zero", None,
     f"انفجرت عبوة زرعها تنظيم داعش {AT} ولم تسفر عن أية أضرار بشرية.", 0, 0),
    # Third round: tolls in long wire-style text.
    ("«nobody was harmed» is zero", None,
     f"قصف عناصر داعش بقذيفتين مخزنا فارغا {AT}، ولم يصب أحد بأذى.", 0, 0),
    ("damage to things only is zero", None,
     f"انفجرت عبوة زرعها عناصر داعش {AT} واقتصرت الأضرار على واجهات المحال.", 0, 0),
    ("no loss of life says nothing of the hurt", None,
     f"هاجم تنظيم داعش دورية {AT} دون خسائر في الأرواح، وأصيب جنديان بجروح طفيفة.", 0, 2),
    ("no deaths, and the hospital's cases of injury", None,
     f"لم يسفر تفجير تبناه داعش {AT} عن سقوط قتلى، وقال المستشفى إنه استقبل أربع حالات إصابة.",
     0, 4),
    ("an official zero wins over the actor's vague claim", None,
     f"هاجم تنظيم داعش نقطة {AT}. ونفى الجيش سقوط ضحايا. وزعم التنظيم أنه أوقع عشرات القتلى.",
     0, 0),
    ("a zero before another event's toll in the same text", None,
     f"استهدف داعش برج اتصالات {AT} دون وقوع إصابات. ومن جهة أخرى، قتل ثلاثة أشخاص في حادث سير"
     " جنوب المدينة.", 0, 0),
    ("a dual after «قضى»", None,
     f"قضى شرطيان وأصيب ثالث في هجوم شنه مسلحو داعش {AT}.", 2, 1),
    ("children among the dead are not added to the hurt", None,
     f"قتل خمسة أشخاص، بينهم طفلان، وأصيب سبعة آخرون في تفجير تبناه داعش {AT}.", 5, 7),
    ("an official and his deputy", None,
     f"قتل مدير مكتب الجوازات ونائبه في هجوم شنه مسلحو داعش {AT}.", 2, ...),
    ("a titled officer and his driver", None,
     f"استشهد العقيد خالد الورفلي وسائقه في كمين نصبه تنظيم داعش {AT}.", 2, ...),
    ("him and his son", None,
     f"اقتحم عناصر داعش منزل شيخ قبيلة {AT} فأعدموه ونجله أمام الأهالي.", 2, ...),
    ("«without the shelling causing injuries» is zero", None,
     f"قصف عناصر داعش بقذائف الهاون حيا سكنيا {AT} دون أن يسفر القصف عن أي إصابات.", 0, 0),
    ("a count and one more of another side", None,
     f"قتل ثلاثة شرطيين وطفل في هجوم شنه مسلحو داعش {AT}.", 4, ...),
    ("«others» and their verb, after another source's dead", None,
     f"زعم داعش أنه قتل عشرين جنديا {AT}، لكن الجيش قال إن جنديين قتلا، وإن أربعة آخرين أصيبوا.",
     2, 4),
    ("others arrested are not hurt", None,
     f"داهمت قوة أمنية وكرا لخلية من داعش {AT} واعتقلت ثلاثة من عناصرها واثنين آخرين، فيما"
     " أصيب جندي.", None, 1),
    ("the one named before the verb that befell him", None,
     f"قال مصدر إن نقيبا في الشرطة لقي مصرعه، وأصيب مساعدان له، في هجوم لداعش {AT}.", 1, 2),
    ("«but his guard was killed»", None,
     f"نجا آمر الكتيبة من هجوم لتنظيم داعش {AT} لكن حارسه قتل وأصيب سائقه.", 1, 1),
    ("names after «هم» are the count's parts", None,
     f"قتل أربعة أشخاص، هم شرطي وثلاثة عمال، في تفجير تبناه داعش {AT}.", 4, ...),
    ("an ordinal in the accusative is one", None,
     f"هاجم عناصر داعش دورية {AT} فقتلوا جنديين وجرحوا ثالثا.", 2, 1),
    ("«his companion» hurt is a victim, whoever is named after", None,
     f"قتل مزارع وأصيب مرافقه عندما أطلق مسلحو داعش النار على سيارتهما {AT}.", 1, 1),
    ("«went as its victims»", None,
     f"فجر انتحاري من داعش حزامه {AT} في هجوم راح ضحيته أربعة عشر شخصا.", 14, ...),
    ("«and their number is three», after the dead", None,
     f"شيعت سبها الشهداء الذين سقطوا في هجوم داعش {AT}، وعددهم ثلاثة.", 3, ...),
    ("another killing after «فيما» is another act", None,
     f"أعدم تنظيم داعش سبعة أسرى {AT}، فيما أقدم على صلب شابين في ساحة المدينة الأسبوع الماضي.",
     7, ...),
    ("«her driver» alone is no companion (the bomber)", None,
     f"انفجرت سيارة مفخخة تبناها داعش {AT}، وقال الجيش إن جنودا أطلقوا النار عليها فقتل"
     " سائقها.", None, ...),
    # Fourth round: a claim's pooled figure, a toll that rose with no noun, the actor speaking.
    ("a claim's «killed and wounded» figure is neither count", None,
     f"أعلن مصدر عسكري مقتل جندي في هجوم لتنظيم داعش {AT}، وزعم التنظيم أن الهجوم أسفر عن مقتل"
     " وإصابة أكثر من عشرين عنصرا.", 1, None),
    ("«killed and wounded» as two verbs pool one figure", None,
     f"قال تنظيم داعش إن مقاتليه قتلوا وأصابوا 12 جنديا في هجوم {AT}.", None, None),
    ("«dead or wounded» after a count is neither, beside the hurt counted", None,
     f"ادعى تنظيم داعش أن هجومه {AT} أوقع ثمانية عشر قتيلا أو جريحا، فيما قال مصدر أمني إن"
     " ثلاثة جنود أصيبوا.", None, 3),
    ("«dead and wounded» after a count is neither", None,
     f"أسفر هجوم تنظيم داعش {AT} عن عشرة قتلى وجرحى بحسب ناشطين.", None, None),
    ("one killed, then «وأصيب» opens its own clause", None,
     f"قال مصدر طبي إن شرطيا قتل وأصيب ثلاثة آخرون في هجوم لتنظيم داعش {AT}.", 1, 3),
    ("a pooled claim, and a hospital's count of the hurt", None,
     f"زعم تنظيم داعش أنه قتل وجرح العشرات في هجوم {AT}، لكن مستشفى سبها قال إنه استقبل أربعة"
     " جرحى.", None, 4),
    ("a hospital after «غير أن» ends the claim", None,
     f"زعم تنظيم داعش أنه قتل 14 شرطيا في هجوم {AT}، غير أن المستشفى الميداني أعلن وفاة اثنين.",
     2, ...),
    ("a total, a colon and its parts in words", None,
     f"خلف تفجير تبناه تنظيم داعش {AT} سبعة قتلى: خمسة من الجنود ومدنيان.", 7, ...),
    ("«لترتفع الحصيلة إلى» after the deaths that raised it", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}. وتوفي جندي آخر ومدني اليوم، لترتفع الحصيلة إلى"
     " أربعة قتلى.", 4, ...),
    ("the hurt that rose later, the dead from the first sentence", None,
     f"قتل جندي وأصيب ستة في هجوم لتنظيم داعش {AT}. وارتفع عدد الجرحى لاحقا إلى تسعة.", 1, 9),
    ("one count per side, then the hurt of two sides", None,
     f"قتل شرطي ومدنيان وأصيب ثلاثة عسكريين وطفل في هجوم لتنظيم داعش {AT}.", 3, 4),
    ("«there are no injuries»", None,
     f"سقطت قذيفة أطلقها عناصر تنظيم داعش {AT}، ولا توجد إصابات بحسب مصدر أمني.", 0, 0),
    ("«ارتقى» with a count of martyrs", None,
     f"ارتقى أربعة شهداء من الجيش في هجوم لتنظيم داعش {AT}.", 4, ...),
    ("«استشهاد» and a dual", None,
     f"أعلنت الكتيبة استشهاد جنديين من أفرادها في هجوم لتنظيم داعش {AT}.", 2, ...),
    ("the actor's statement, then «وزعم أنه قتل», then the official count", None,
     f"أعلن تنظيم داعش في بيان مسؤوليته عن هجوم {AT}، وزعم أنه قتل 11 عسكريا. وقال مصدر أمني إن"
     " ثلاثة عسكريين قتلوا.", 3, ...),
    ("the toll rose to a bare figure after two died of their wounds", None,
     f"قتل ثلاثة مدنيين في تفجير تبناه تنظيم داعش {AT}. وارتفعت الحصيلة إلى خمسة بعد وفاة اثنين"
     " متأثرين بجراحهما.", 5, ...),
    ("the actor speaking in its statement is a claim", None,
     f"قال تنظيم داعش في بيان إن مقاتليه قتلوا 12 جنديا في هجوم {AT}. وأكد مصدر عسكري مقتل"
     " جنديين.", 2, ...),
    ("a headline's rose-to figure and the body's deaths are one toll", "ارتفاع قتلى هجوم داعش في سبها إلى أربعة",
     f"توفي جندي ومدني متأثرين بجراحهما في الهجوم الذي شنه تنظيم داعش {AT}.", 4, ...),
    ("a breakdown in duals after a comma is not added", None,
     f"قتل أربعة أشخاص، جنديان ومدنيان، في هجوم لتنظيم داعش {AT}.", 4, ...),
    ("activists' figure gives way to a medical source's", None,
     f"قال ناشطون إن سبعة أشخاص قتلوا في هجوم لتنظيم داعش {AT}. وأكدت مصادر طبية مقتل أربعة.",
     4, ...),
    ("the figure before the toll it is", None,
     f"توفي جنديان متأثرين بجراحهما، ليرتفع إلى خمسة عدد قتلى هجوم تنظيم داعش {AT}.", 5, ...),
    ("the actor's statement «قال فيه» is a claim", None,
     f"تبنى تنظيم داعش الهجوم {AT} في بيان قال فيه إن مقاتليه قتلوا تسعة جنود. وقال مصدر عسكري"
     " إن جنديين قتلا.", 2, ...),
    ("the actor's figure of the hurt beside an official count of the dead only", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}. وقال التنظيم في بيان إن مقاتليه قتلوا 7 جنود وأصابوا"
     " 10 آخرين.", 2, None),
    ("«ارتقى» before a count of people", None,
     f"ارتقى ثلاثة من أبطال الكتيبة في هجوم لتنظيم داعش {AT}.", 3, ...),
    ("«no injuries occurred»", None,
     f"هاجم تنظيم داعش دورية {AT} ولم تقع إصابات.", 0, 0),
    ("«none of them was hurt»", None,
     f"هاجم مسلحو تنظيم داعش دورية {AT}، ولم يصب أي من أفرادها.", 0, 0),
    ("a dual of kin after the verb", None,
     f"قتلت امرأة وأصيب طفلاها في قصف لتنظيم داعش {AT}.", 1, 2),
    ("the figure a toll replaced, after «بعدما كانت … قد»", None,
     f"أعلنت وزارة الصحة أن حصيلة تفجير تبناه داعش {AT} بلغت سبعة قتلى و15 جريحا، بعدما كانت"
     " مصادر محلية قد تحدثت عن عشرة قتلى.", 7, 15),
    ("«one of its members» before the martyrdom verb", None,
     f"أعلنت الكتيبة أن أحد أفرادها استشهد وأصيب اثنان في هجوم لتنظيم داعش {AT}.", 1, 2),
    ("a wounded man who died is one killed", None,
     f"ارتفع عدد ضحايا الهجوم الذي نفذه تنظيم داعش {AT} إلى ستة، إثر وفاة جريح متأثرا بجراحه.",
     6, None),
    # set 23's classes, in sentences of their own
    ("«another» after a soldier is another victim", None,
     f"قتل جندي وأصيب آخر في هجوم لتنظيم داعش {AT}.", 1, 1),
    ("an attacker as the subject is no victim's count", None,
     "قتل مهاجم ينتمي لتنظيم داعش ثلاثة جنود وأصاب اثنين على بوابة أمنية في سبها فجر اليوم.",
     3, 2),
    ("the one named «or any of his companions» unharmed", None,
     "انفجرت عبوة ناسفة زرعها عناصر من تنظيم داعش قرب سيارة عميد بلدية سبها صباح اليوم، ولم"
     " يصب العميد أو أي من مرافقيه بأذى.", 0, 0),
    ("one named unharmed says nothing of the others", None,
     "تبنى تنظيم داعش تفجير عبوة استهدفت موكب وزير الداخلية في سبها صباح اليوم. ولم يصب الوزير"
     " بأذى. لكن اثنين من حراسه قتلا.", 2, ...),
    ("a singular casualty noun before a dual", None,
     f"أوقع هجوم شنه عناصر تنظيم داعش {AT} قتيلا وجريحين من حراس البوابة.", 1, 2),
    ("a singular casualty noun after a dual of the other kind", None,
     f"خلف تفجير تبناه تنظيم داعش {AT} جريحا وقتيلين.", 2, 1),
    ("a singular casualty noun far from its verb, before a count", None,
     f"أسفر هجوم شنه مسلحو تنظيم داعش {AT} بعد اشتباك دام ساعتين عن قتيل و4 جرحى.", 1, 4),
    ("a count's noun is not one more", None,
     f"خلف هجوم لتنظيم داعش {AT} 11 قتيلا و5 جرحى.", 11, 5),
    ("the hurt told beside the dead's earlier figure gives way to a later count",
     "ارتفاع حصيلة هجوم سبها إلى سبعة قتلى",
     f"ارتفعت حصيلة قتلى هجوم تنظيم داعش {AT} إلى سبعة. وكان مصدر طبي قد أعلن أمس مقتل خمسة"
     " جنود وإصابة تسعة آخرين. وقال المصدر اليوم إن ستة جرحى ما زالوا في المستشفى.", 7, 6),
    ("with no later count of the hurt, the earlier one stays", None,
     f"ارتفعت حصيلة قتلى هجوم تنظيم داعش {AT} إلى سبعة. وكان مصدر طبي قد أعلن أمس مقتل خمسة"
     " جنود وإصابة تسعة آخرين.", 7, 9),
    # the classes unseen news missed, probed past set 23 (no blind set measured these)
    ("«nobody came to harm»", None,
     f"هاجم عناصر من تنظيم داعش {AT}. ولم يتعرض أي من أفراد البوابة لأذى.", 0, 0),
    ("«no reports of injuries»", None,
     f"هاجم عناصر من تنظيم داعش {AT}، ولم ترد أنباء عن وقوع إصابات.", 0, 0),
    ("«no loss of life or injuries» is zero of both", None,
     f"هاجم عناصر من تنظيم داعش {AT}، وانتهى الهجوم دون خسائر في الأرواح أو إصابات.", 0, 0),
    ("«كما قتل» in the next sentence adds to the toll", None,
     f"قتل ثلاثة جنود في هجوم لتنظيم داعش {AT}. كما قتل مدنيان كانا يمران بالمكان.", 5, ...),
    ("«كما أصيب» adds to the hurt of the first sentence", None,
     f"قتل جنديان وأصيب ثلاثة في هجوم لتنظيم داعش {AT}. كما أصيب مدني كان يمر بالمكان.", 2, 4),
    ("«كما قتل» in another attack adds nothing", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}. كما قتل جندي في هجوم آخر على بوابة قرب أوباري.",
     2, ...),
    ("«كما» before the actor's claim adds nothing", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}. كما زعم التنظيم أنه قتل عشرة جنود.", 2, ...),
    ("a toll that rose is not added to", None,
     f"ارتفعت حصيلة قتلى هجوم تنظيم داعش {AT} إلى خمسة. كما قتل مدني.", 5, ...),
    ("a dual after «الحصيلة» is the count, the number after it the hurt", None,
     f"هاجم عناصر من تنظيم داعش {AT}، والحصيلة شهيدان وخمسة جرحى.", 2, 5),
    # set 25's classes: releases, bulletins, tables, words, corrections
    ("a teen after the hundreds in words", None,
     f"ارتفعت حصيلة قتلى التفجير الذي تبناه تنظيم داعش {AT} إلى مئة وأحد عشر قتيلا.", 111, ...),
    ("a table with colons and a slash", None,
     f"نشر المستشفى حصيلة هجوم تنظيم داعش {AT}: القتلى: 6 / الجرحى: 13.", 6, 13),
    ("a table with dashes, a line per side", None,
     f"حصيلة هجوم تنظيم داعش {AT} كالآتي: شهداء من الجيش – 3، شهداء من المدنيين – 2،"
     " جرحى – 5.", 5, 5),
    ("a bulletin's lines, cases of a kind", None,
     f"أصدر المستشفى نشرة عن ضحايا هجوم تنظيم داعش {AT}. الوفيات خمس حالات. الإصابات تسع"
     " حالات، نقلت اثنتان منها إلى طرابلس.", 5, 9),
    ("a total of the hurt after their parts", None,
     f"استقبل المستشفى قتيلين وستة جرحى إثر هجوم تنظيم داعش {AT}. ونقل الإسعاف ثلاثة"
     " جرحى إلى مستشفى آخر، ليصبح إجمالي المصابين تسعة.", 2, 9),
    ("what the toll came to", None,
     f"قتل سبعة في هجوم لتنظيم داعش {AT} وفق مصادر محلية. وقالت الوزارة إن عدد القتلى أصبح"
     " خمسة بعد التدقيق.", 5, ...),
    ("the ordinal of the last victim", None,
     f"توفي جندي متأثرا بجروحه في هجوم تنظيم داعش {AT}، ليصبح القتيل الرابع في الهجوم.", 4, ...),
    ("a nominative dual of a calling", None,
     f"قتل طبيبان في قصف لتنظيم داعش {AT}.", 2, ...),
    ("a dual in construct", None,
     f"قتل عناصر من تنظيم داعش جنديي الدورية {AT}.", 2, ...),
    ("a number after its noun, the verb later", None,
     f"هاجم تنظيم داعش محطة ضخ {AT}، وقالت الشركة إن مهندسين اثنين كانا في الموقع أصيبا.",
     ..., 2),
    ("a unit's number is no part of a breakdown", None,
     f"قتل اثنان من اللواء 155 وثلاثة من الشرطة في هجوم لتنظيم داعش {AT}.", 5, ...),
    ("people of countries joined by و are added", None,
     f"أسفر هجوم لتنظيم داعش {AT} عن مقتل ثلاثة مزارعين من مصر واثنين من تشاد وسائق ليبي.",
     6, ...),
    ("a roll of ranked names mourned", None,
     f"نعت مديرية الأمن كلا من النقيب سالم علي الورفلي، والملازم محمود عمر البرعصي، اللذين"
     f" ارتقيا في هجوم لتنظيم داعش {AT}.", 2, ...),
    ("a roll of ranked names after a trigger", None,
     f"أعلن الجيش استشهاد العقيد سالم الورفلي والرائد محمود البرعصي في هجوم لتنظيم داعش {AT}.",
     2, ...),
    ("a roll of ranked names hurt", None,
     f"هاجم تنظيم داعش {AT}، وقال الجيش إن الرقيب علي سالم والعريف خالد عمر والجندي فرج"
     " محمد أصيبوا بجروح.", ..., 3),
    ("«عسكريان», a nominative dual of the military", None,
     "قضى عسكريان وجرح أربعة آخرون في هجوم لتنظيم داعش على بوابة أمنية في بلدة تمسة فجر اليوم.",
     2, 4),
    ("the claimant after a count is not whose the count is", None,
     "قتل شرطيان وأصيب ثالث بانفجار عبوة ناسفة تبناها تنظيم داعش قرب بلدة هون صباح اليوم.",
     2, 1),
    # set 26's classes: a running update's dual, hostages beside the dead, a pronoun of the
    # event, «ما فيش إصابات», another country's dead in a round-up
    ("a toll that rose to a dual, the hurt beside it", None,
     f"هاجم تنظيم داعش {AT}. آخر تحديث: ارتفاع عدد القتلى إلى شرطيين، وخمسة جرحى في المستشفى.",
     2, 5),
    ("hostages taken beside the dead are not dead", None,
     f"هاجم مسلحو تنظيم داعش {AT}، وقتلوا سائقا وخطفوا مهندسين اثنين.", 1, ...),
    # (the guard in construct after the subject is left unread: no count, not the hostages')
    ("hostages after an unread object are not the dead", None,
     f"هاجم تنظيم داعش {AT}، وقتل المسلحون حارس المقر واختطفوا موظفين اثنين.", None, ...),
    ("a pronoun of the event between the verb and the one killed", None,
     f"شن تنظيم داعش هجوما {AT} قتلوا فيه حارس البوابة وخطفوا موظفين اثنين.", 1, ...),
    ("«ما فيش إصابات» in a local post", None,
     f"هاجم تنظيم داعش {AT}، والحمد لله ما فيش إصابات.", 0, 0),
    ("another country's dead in a round-up are not Libya's", None,
     "أوردت صحيفة النبأ حصيلة أسبوعية: قتل مقاتلو التنظيم تسعة جنود في هجوم بولاية بورنو في"
     " نيجيريا. وزعمت أن عناصر ولاية ليبيا فجروا عبوة على دورية قرب مدينة سبها وقتلوا جنديا.",
     1, ...),
    # set 27's classes: round-ups, running updates, additions
    ("a definite number after the named dead and hurt", None,
     f"هاجم عناصر من تنظيم داعش {AT}. وشيعت المدينة القتلى الأربعة عصر اليوم، فيما نقل الجرحى"
     " الستة إلى طرابلس.", 4, 6),
    ("«الأحد» after a named toll is a day", None,
     f"هاجم عناصر من تنظيم داعش {AT}، وشيعت البلدة القتلى الأحد.", None, ...),
    ("the hurt who remain after a rise, by a definite number", None,
     f"قتل جندي وأصيب خمسة في هجوم لتنظيم داعش {AT}. وارتفع عدد القتلى إلى ثلاثة بعد وفاة اثنين"
     " من المصابين. وقال المستشفى إن حالة الجرحى الثلاثة الباقين مستقرة.", 3, 3),
    ("a year's tally of attacks that rose, then the attack's toll", None,
     f"ارتفع عدد قتلى هجمات تنظيم داعش في فزان منذ بداية العام إلى 27، بعد هجوم {AT} قتل فيه"
     " جنديان.", 2, ...),
    ("a tally of the year's attacks in the headline", "30 قتيلا في هجمات داعش خلال العام الجاري",
     f"قتل ثلاثة مدنيين في هجوم لتنظيم داعش {AT}.", 3, ...),
    ("the worst attack since the year began keeps its toll", None,
     f"قتل خمسة جنود في هجوم لتنظيم داعش {AT}، في أعنف هجوم منذ مطلع العام.", 5, ...),
    ("«فضلا عن» one more, however far the count", None,
     f"قتل ثلاثة جنود فضلا عن راع كان يرعى أغنامه قرب الموقع، في هجوم لتنظيم داعش {AT}.", 4, ...),
    ("«بالإضافة إلى» a noun and its number", None,
     f"أسفر هجوم لتنظيم داعش {AT} عن مقتل خمسة شرطيين، بالإضافة إلى موظفين اثنين في محطة"
     " الوقود المجاورة.", 7, ...),
    ("«علاوة على» a count of the hurt keeps its kind", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}، علاوة على سبعة جرحى.", 2, 7),
    ("«فضلا عن» damage adds nobody", None,
     f"قتل جنديان في هجوم لتنظيم داعش {AT}، فضلا عن تدمير سيارتين.", 2, ...),
    ("two cases of death and of hurt, the dual of «حالة»", None,
     f"قال مستشفى سبها إنه استقبل حالتي وفاة وحالتي إصابة إثر هجوم لتنظيم داعش {AT}.", 2, 2),
    ("«two critical cases» among the hurt count nothing more", None,
     f"أصيب خمسة جنود في هجوم لتنظيم داعش {AT}، ونقلت منهم حالتان حرجتان إلى طرابلس.", ..., 5),
    ("no case of death recorded is zero killed", None,
     f"أصيب ستة مدنيين في هجوم لتنظيم داعش {AT}، ولم تسجل أي حالة وفاة.", 0, 6),
    ("a girl hurt, a feminine singular", None,
     f"قتل جنديان وأصيبت طفلة في هجوم لتنظيم داعش {AT}.", 2, 1),
    ("a nurse killed, a feminine calling", None,
     f"قتلت ممرضة في قصف لتنظيم داعش {AT}.", 1, ...),
    ("one hurt after a dual and its number", None,
     f"أسفر هجوم لتنظيم داعش {AT} عن سقوط قتيلين اثنين وجريح واحد.", 2, 1),
    ("a count of the hurt after a dual and its number", None,
     f"أسفر هجوم لتنظيم داعش {AT} عن شهيدين اثنين وأربعة جرحى.", 2, 4),
    ("a man and his sons, as many as the number says", None,
     f"قتل رجل وأبناؤه الأربعة حين سقطت قذيفة لتنظيم داعش على منزلهم {AT}.", 5, ...),
    ("a woman and her children, in the genitive", None,
     f"أسفر قصف لتنظيم داعش {AT} عن مقتل امرأة وأطفالها الثلاثة.", 4, ...),
    ("a man and his sons with no number is one", None,
     f"قتل رجل وأبناؤه في قصف لتنظيم داعش {AT}.", 1, ...),
    ("the ordinal of the soldier who died", None,
     f"توفي جندي متأثرا بجروحه في هجوم لتنظيم داعش {AT}، وهو الجندي الثالث الذي يلقى حتفه من"
     " أفراد البوابة.", 3, ...),
    ("two others still under treatment are the hurt", None,
     f"قتل ثلاثة حراس في هجوم لتنظيم داعش {AT}. وقال المستشفى إن حارسين آخرين ما زالا يتلقيان"
     " العلاج.", 3, 2),
    ("people in hospital beds are the hurt", None,
     f"هاجم عناصر من تنظيم داعش {AT}، وقال مدير المستشفى إن خمسة مدنيين يرقدون في قسم"
     " العناية.", ..., 5),
    ("no one hurt, said with «دون أن يصاب»", None,
     f"خطف مسلحون من تنظيم داعش مهندسين {AT} دون أن يصاب أحد بأذى.", 0, 0),
    # set 32: the toll among other numbers
    ("a toll that rose to its dead and «one wounded»", None,
     "ارتفعت حصيلة الهجوم الذي شنه عناصر من تنظيم داعش مساء أمس على دورية للشرطة في حي باب طبرق"
     " بمدينة درنة إلى ثلاثة قتلى وجريح واحد.", 3, 1),
    ("«ثلاثة قتلى وجرحى» is still one figure for both", None,
     f"أسفر هجوم لتنظيم داعش {AT} عن ثلاثة قتلى وجرحى.", None, ...),
    ("a woman and her little daughter", None,
     f"قتلت امرأة وطفلتها البالغة من العمر ست سنوات وأصيب ثمانية آخرون عندما قصف تنظيم داعش"
     f" منازل {AT}.", 2, 8),
    ("two travellers hurt, in the dual", None,
     f"قتل موظف وأصيب مسافران تونسيان في هجوم لتنظيم داعش {AT}.", 1, 2),
    # set 34: bodies, hostages, and the hurt named by their state
    ("«الجثث التسع»: a definite plural and its number", None,
     "أعلن الطب الشرعي في سرت اليوم أن الجثث التسع التي انتشلت أمس قرب أبو نجيم تعود إلى مسافرين"
     " خطفهم تنظيم داعش.", 9, ...),
    ("the body of the soldier", None,
     "عثرت دورية اليوم على جثة الجندي الذي خطفه تنظيم داعش قرب بلدة تراغن.", 1, ...),
    ("the body of a volunteer", None,
     "عثر صباح اليوم على جثة متطوع في الهلال الأحمر خطفه مسلحون من داعش قرب تازربو.", 1, ...),
    ("two bodies in the construct dual, the takers after them", None,
     "انتشلت الفرق اليوم جثتي راعيين خطفهما تنظيم داعش قرب أم الأرانب.", 2, ...),
    ("old remains beside the bodies are no count", None,
     "انتشلت الفرق اليوم جثتي راعيين خطفهما تنظيم داعش قرب أم الأرانب، وعثرت في الموقع نفسه على"
     " رفات 14 شخصا.", 2, ...),
    ("a seventh hostage killed, six freed", None,
     "حررت قوة من الجيش ستة رهائن كان تنظيم داعش يحتجزهم قرب سبها اليوم، فيما قتل رهينة سابع"
     " وأصيب جنديان.", 1, 2),
    ("«nobody was hurt» told subject first", None,
     "أفرج تنظيم داعش اليوم عن خمسة سائقين خطفهم قرب سبها، وأكد بيان للبلدية أن أحدا لم يصب"
     " بأذى.", 0, 0),
    ("the driver «who survived wounded»", None,
     "أعدم مسلحون من داعش ثمانية مهاجرين قرب جرمة أمس، بحسب سائق الشاحنة الذي نجا مصابا.", 8, 1),
    ("a freed hostage «arrived wounded with a fracture»", None,
     "أفرج تنظيم داعش أمس عن تاجر خطفه في براك الشاطئ، ووصل التاجر إلى البلدة مصابا بكسر في"
     " ذراعه.", ..., 1),
    ("one of the hurt «arrived wounded» is one of them", None,
     f"قتل جندي وأصيب ثلاثة في هجوم لتنظيم داعش {AT}، ووصل أحدهم إلى المستشفى مصابا بجروح"
     " خطيرة.", 1, 3),
    # set 36: the people, their number as an adjective, and what befell them
    ("«الجنود الخمسة الذين استشهدوا» and «للجرحى الثلاثة الذين نقلوا»", None,
     "تقدم المجلس الرئاسي بالتعازي إلى أسر الجنود الخمسة الذين استشهدوا فجر اليوم في هجوم شنه"
     " تنظيم داعش على بوابة هون. وتمنى البيان الشفاء للجرحى الثلاثة الذين نقلوا إلى المستشفى.",
     5, 3),
    ("«جثماني جنديين»: two bodies in the construct dual", None,
     f"استقبل المستشفى جثماني جنديين قتلا في هجوم لتنظيم داعش {AT}.", 2, ...),
    ("a half-year's tally «قتل فيها», then today's attack", None,
     "قال المتحدث اليوم إن الوزارة سجلت خمس هجمات لتنظيم داعش في الجنوب منذ مطلع العام، قتل فيها"
     " 11 شخصا وأصيب 16 آخرون. وأضاف أن آخرها وقع فجر اليوم حين هاجم مسلحون من التنظيم مركز"
     " شرطة القطرون، ما أدى إلى مقتل شرطي وإصابة اثنين آخرين.", 1, 2),
    ("«قتل الحراس الثلاثة»", None,
     f"قتل الحراس الثلاثة في هجوم لتنظيم داعش {AT}.", 3, ...),
    # round 9: an earlier event's toll in a clause after «قبل» and weeks or more, «فيها»
    ("the same gate's attack three weeks ago «وقتل فيها أربعة»", None,
     "قتل شرطي وأصيب اثنان فجر اليوم في هجوم لتنظيم داعش على بوابة مدخل هون الشرقي، وهي البوابة"
     " نفسها التي استهدفها التنظيم قبل ثلاثة أسابيع وقتل فيها أربعة جنود.", 1, 2),
    ("the camp attacked two months ago «قتل فيه تسعة»", None,
     "هاجم مسلحون من داعش اليوم معسكر تمنهنت وقتلوا جنديين، في ثاني هجوم على المعسكر الذي"
     " استهدفه التنظيم قبل شهرين وقتل فيه تسعة عسكريين.", 2, ...),
    ("«قبل عامين» and «خلالها» in the earlier ambush's clause", None,
     f"أصيب ثلاثة جنود في كمين لتنظيم داعش {AT}، في المنطقة التي شهدت قبل عامين معركة قتل خلالها"
     " عشرون من عناصر الجيش.", None, 3),
    ("days ago is the news itself, told on", None,
     "ما زال جريحان في العناية المركزة بعد الهجوم الذي شنه تنظيم داعش على بوابة الفقهاء قبل"
     " يومين وقتل فيه خمسة من حراسها.", 5, ...),
    ("a witness in Libyan dialect", None,
     f"انفجرت عبوة زرعها تنظيم داعش {AT}. وقال شاهد: \"ماتوا فيها اتنين وتعوروا تلاتة\".", 2, 3),
]  # fmt: skip


@pytest.mark.parametrize(
    ("about", "title", "text", "killed", "injured"), TOLLS, ids=[t[0] for t in TOLLS]
)
def test_toll(about: str, title: str | None, text: str, killed: Count, injured: Count) -> None:
    check_toll(about, title, text, killed, injured)


def test_militants_killed_where_no_civilian_died_is_no_victim() -> None:
    text = (
        "قتل ثمانية من عناصر تنظيم داعش في غارة جوية على مخبأ لهم جنوب سبها فجر اليوم، ولم يسقط"
        " أي ضحايا من المدنيين."
    )
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.is_incident, found.why
    assert found.killed == 0, found.why
    assert {c.who: c.killed for c in found.casualties}.get(MILITANTS) == 8, found.casualties


def test_no_civilian_hurt_where_the_strike_killed_members_of_the_actor() -> None:
    text = (
        "أعلنت قيادة عسكرية مقتل ستة أعضاء في تنظيم داعش بضربة جوية قرب أوباري أمس، مؤكدة عدم"
        " إصابة أي مدني في العملية."
    )
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.is_incident, found.why
    assert found.killed == 0, found.why
    assert {c.who: c.killed for c in found.casualties}.get(MILITANTS) == 6, found.casualties


# Members of the actor killed, and the text says no civilian was: no victim, zero.
NO_VICTIMS: list[tuple[str, str, int]] = [
    ("nobody of the civilians killed or hurt where members of the actor died",
     f"قتل خمسة من عناصر تنظيم داعش {STRIKE}، ولم يقتل أو يصب أي مدني.", 5),
    ("«there are no victims among the civilians» in the next sentence",
     f"قتل ستة من عناصر تنظيم داعش {STRIKE}. وقال مصدر عسكري إنه لا توجد أي إصابات بين المدنيين.",
     6),
    ("a leader of the actor and his companions, no civilian victims",
     f"قتل قيادي في تنظيم داعش وأربعة من مرافقيه {STRIKE}، دون سقوط ضحايا مدنيين.", 5),
    ("no losses recorded among the civilians",
     f"أسفرت غارات على مواقع لتنظيم داعش {STRIKE} عن مقتل 12 من عناصره، ولم تسجل خسائر في صفوف"
     " المدنيين.", 12),
    # set 31: the residents are civilians; a denial before «أي مدني» and its verb
    ("none of the quarter's residents killed or hurt",
     f"قتل عنصران من تنظيم داعش {STRIKE}، وقال عميد البلدية إنه لم يقتل أو يصب أي من سكان الحي.",
     2),
    ("«we do not believe any civilian was killed or hurt»",
     f"قتل سبعة من عناصر تنظيم داعش {STRIKE}، وقال البيان: لا نعتقد أن أي مدني قتل أو أصيب.", 7),
    ("none of the townspeople hurt",
     f"قتل ثلاثة من عناصر تنظيم داعش {STRIKE}، دون إصابة أي من الأهالي.", 3),
    ("the force «suffered no losses»",
     f"قتل عنصران من تنظيم داعش في اشتباك مع قوة من الجيش {STRIKE}، ولم تتكبد القوة أي خسائر.",
     2),
    # set 23's class: «another» after a count of the attackers is one of them, not a victim
    ("«another» after «one of the attackers»",
     f"هاجم عناصر من تنظيم داعش {AT}، ولم يسفر الهجوم عن إصابات بين الحراس، فيما قتل الحراس أحد"
     " المهاجمين وأصابوا آخر.", 1),
    ("an attacker in the accusative, then «another»",
     f"صد الحراس هجوما لتنظيم داعش {AT} دون تسجيل إصابات في صفوفهم، وقتلوا مهاجما وجرحوا آخر.",
     1),
]  # fmt: skip


@pytest.mark.parametrize(("about", "text", "militants"), NO_VICTIMS, ids=[t[0] for t in NO_VICTIMS])
def test_no_victims_where_members_of_the_actor_died(about: str, text: str, militants: int) -> None:
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.is_incident, f"{about}: {found.why}"
    assert (found.killed, found.injured) == (0, 0), f"{about}: {found.why}"
    assert {c.who: c.killed for c in found.casualties}.get(MILITANTS) == militants


# (about, title, text): one victim killed and two hurt beside four of the actor's members
MEMBERS_APART = [
    # set 32: «خلية» normalised ends like «his»; the four are the cell's, not his companions
    ("a security man and four of the cell he raided",
     "مقتل عنصر أمن وأربعة من خلية لداعش في صبراتة",
     "قتل عنصر من جهاز مكافحة الإرهاب وأصيب اثنان من زملائه فجر اليوم خلال مداهمة"
     " لوكر خلية تابعة لتنظيم داعش جنوب مدينة صبراتة."),
    # set 34: «وإن أربعة من عناصر التنظيم قتلوا»: the actor's members, not victims
    ("members of the actor counted before their verb",
     None,
     "حررت قوة من الجيش ستة رهائن كان تنظيم داعش يحتجزهم في الهروج فجر اليوم، فيما"
     " قتل رهينة سابع وأصيب جنديان. وقال المكتب إن أربعة من عناصر التنظيم قتلوا."),
]  # fmt: skip


@pytest.mark.parametrize(
    ("about", "title", "text"), MEMBERS_APART, ids=[t[0] for t in MEMBERS_APART]
)
def test_four_of_the_actors_members_counted_apart(about: str, title: str | None, text: str) -> None:
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert found.is_incident, f"{about}: {found.why}"
    assert (found.killed, found.injured) == (1, 2), f"{about}: {found.why}"
    assert {c.who: c.killed for c in found.casualties}.get(MILITANTS) == 4, found.casualties


def test_one_soldier_after_a_count_of_the_actors_members() -> None:
    found = detector().detect(
        Document(text=f"قتل أربعة عناصر من داعش وجندي في اشتباكات {AT}.", published=PUBLISHED)
    )
    assert found.is_incident, found.why
    assert found.killed == 1, found.why
    assert {c.who: c.killed for c in found.casualties}.get(MILITANTS) == 4, found.casualties


def test_a_count_whose_parts_name_the_attackers() -> None:
    # set 25's class: the victims are the other parts, in the body and under the headline
    found = detector().detect(
        Document(
            title="مقتل خمسة في هجوم لداعش على بوابة في سبها",
            text=f"قتل خمسة أشخاص، هم اثنان من المهاجمين وثلاثة مدنيين، في هجوم لتنظيم داعش {AT}.",
            published=PUBLISHED,
        )
    )
    assert found.is_incident, found.why
    assert found.killed == 3, found.why
    assert {c.who: c.killed for c in found.casualties}.get(MILITANTS) == 2, found.casualties
