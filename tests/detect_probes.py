"""Probe sentences for the rules added after the challenge set: each rule, and what it must leave alone.

Same shape as `detect_cases.CASES` (run by the same helper); kept apart so the benchmark corpus,
built from that table, stays comparable across versions. Every sentence was written for Raqib.
"""

from __future__ import annotations

from tests.detect_cases import Case

PLACES = [
    Case(
        "هاجم عناصر من تنظيم داعش نقطة عسكرية على بعد 30 كيلومترا شمال أوباري فجر اليوم.",
        True,
        "distance: with no place named before, the town measured from is the nearest place",
        place="أوباري",
    ),
    Case(
        "هاجم تنظيم داعش بلدة الفقهاء فجر اليوم. وتقع البلدة على بعد 120 كيلومترا من هون.",
        True,
        "distance: a place named before is where it happened, not the town measured from",
        place="الفقهاء",
    ),
    Case(
        "سرت - قتل حارسان في هجوم لتنظيم داعش على بوابة بلدة زلة التي تبعد عن سرت نحو 300 كيلومتر فجر اليوم.",
        True,
        "distance: «التي تبعد عن سرت»: the town measured from, though the dateline names it too",
        place="زلة",
    ),
    Case(
        "أعدم تنظيم داعش ثلاثة رعاة في وادي الحياة، البعيد عن سبها نحو 150 كيلومترا، صباح اليوم.",
        True,
        "distance: «البعيد عن سبها»: the valley is where it happened",
        place="وادي الحياة",
    ),
    Case(
        "قتل ثلاثة جنود في هجوم لتنظيم داعش على نقطة عسكرية في غدوة جنوب سبها فجر اليوم.",
        True,
        "a name that is also a word is a place when another place locates it («غدوة جنوب سبها»)",
        place="غدوة",
    ),
    Case(
        "أصيب خمسة جنود في هجوم لتنظيم داعش على بوابة تازربو، ونقلوا إلى مستشفى الكفرة.",
        True,
        "motion: the hospital's town, where the wounded were taken, is not the place",
        place="تازربو",
    ),
    Case(
        "دمر الجيش الجزائري سيارتين قادمتين من ليبيا على متنهما عناصر من تنظيم داعش، وقتل من كانوا فيهما قرب عين أمناس.",
        False,
        "motion: the vehicles came from Libya, the strike was in Algeria",
    ),
    Case(
        "أوقفت السلطات المغربية ثلاثة شبان موالين لداعش كانوا يعتزمون السفر للالتحاق بالتنظيم في ليبيا.",
        False,
        "motion: Libya as a destination of travel",
    ),
    Case(
        "وقتلت القوات المصرية عناصر داعش داخل الأراضي المصرية بعد تسللهم عبر الحدود مع ليبيا.",
        False,
        "territory: «داخل الأراضي المصرية» places the event",
    ),
    Case(
        "هاجم مسلحو داعش رتلا عسكريا متجها إلى سبها وقتلوا ثلاثة جنود.",
        True,
        "motion: the only place is where the column was going, still Libya",
        place="سبها",
        killed=3,
    ),
    Case(
        "انطلقت قوة من سبها باتجاه أوباري ومرزق، واشتبكت مع عناصر داعش في محيط القطرون.",
        True,
        "motion: the clash place ranks before places of departure and arrival",
        place="القطرون",
    ),
    Case(
        "اعتقلت الشرطة الإيطالية شابا ليبي الجنسية للاشتباه في انتمائه لتنظيم داعش وتخطيطه لهجوم.",
        False,
        "nationality: «ليبي الجنسية» is not a place",
    ),
    Case(
        "أوقفت الشرطة في بلجيكا رجلا يحمل الجنسية الليبية بتهمة تجنيد مقاتلين لداعش.",
        False,
        "nationality: «الجنسية الليبية» is not a place",
    ),
    Case(
        "هاجم مسلح موال لداعش فندقا في سوسة التونسية، وقال مسؤولون إنه تدرب في معسكرات بليبيا.",
        False,
        "a shared name settled by the adjective right after it",
    ),
    Case(
        "اقتحم مسلحون من داعش مقرا حكوميا في منطقة الظهرة بطرابلس وقتلوا حارسين.",
        True,
        "a quarter named like a far oil field belongs to the city after it",
        place="طرابلس",
        killed=2,
    ),
    Case(
        "اقتحم مسلحون من داعش حقل الظهرة النفطي وقتلوا حارسين.",
        True,
        "the oil field itself",
        place="حقل الظهرة",
    ),
    Case(
        "أعلن جهاز الأمن القبض على خلية لداعش في بلدة تراغن.",
        True,
        "the wide place of the title gives way to a town inside it",
        title="القبض على خلية لداعش في الجنوب الليبي",
        place="تراغن",
        type="arrest",
    ),
    Case(
        "هاجم عناصر داعش محطة ضخ في منطقة جبل الحساونة وقطعوا المياه عن مدن الشمال.",
        True,
        "a wellfield of the gazetteer",
        place="جبل الحساونة",
    ),
]

FRAMES = [
    Case(
        "خلصت دراسة جديدة إلى أن داعش فشل في ليبيا رغم سيطرته على سرت أكثر من عام.",
        False,
        "hedge: a concession (رغم) is background",
    ),
    Case(
        "قال قائد عسكري إن داعش لم يعد يسيطر على أي منطقة في ليبيا.",
        False,
        "hedge: «لم يعد» is a change of state",
    ),
    Case(
        "قال مسؤول أمني إن داعش ما زال يسيطر على جيوب صغيرة في صحراء فزان.",
        False,
        "hedge: «ما زال يسيطر» is a state",
    ),
    Case(
        "حذر مسؤول من أن داعش ما زال قادرا على تنفيذ هجمات في الجنوب الليبي.",
        False,
        "hedge: «قادرا على» is an ability",
    ),
    Case(
        "قال المحلل في مقابلة تلفزيونية إن هجمات داعش في الجنوب الليبي تراجعت.",
        False,
        "frame: an analyst's interview",
    ),
    Case("صدر حديثا كتاب يروي هجوم داعش على بلدة الفقهاء.", False, "frame: a book"),
    Case("نفذت القوات مناورة تحاكي هجوما لداعش على ميناء البريقة.", False, "frame: a drill"),
    Case(
        "نفت المؤسسة الوطنية للنفط الأنباء المتداولة على مواقع التواصل الاجتماعي بشأن هجوم لداعش على حقل الفيل.",
        False,
        "denial: its reach and the rumour",
    ),
    Case(
        "شن عناصر داعش هجوما على بوابة أمنية في بلدة زلة، رغم التعزيزات الأمنية في المنطقة، وقتلوا جنديين.",
        True,
        "a concession elsewhere in the sentence leaves the attack",
        place="زلة",
        killed=2,
    ),
]

COUNTS = [
    Case(
        "ارتفع عدد قتلى هجوم داعش على بوابة الفقهاء، الذي وقع أمس، إلى 6 بعد وفاة جندي متأثرا بجراحه.",
        True,
        "a toll «إلى N» holds the later death",
        killed=6,
    ),
    Case(
        "عثر على جثث أربعة رعاة ذبحهم عناصر داعش قرب هون أمس.",
        True,
        "bodies found a day after: counted",
        killed=4,
    ),
    Case(
        "خسرت الكتيبة ثلاثة من عناصرها في هجوم لداعش على موقعها قرب تراغن.",
        True,
        "a side's own losses",
        killed=3,
    ),
    Case(
        "هاجم عناصر داعش حافلة تقل عمالا قرب زلة وقتلوا أربعة منهم.",
        True,
        "«منهم»: the workers",
        killed=4,
    ),
    Case(
        "داهمت القوات وكرا لعناصر من داعش في سبها وقتلت ثلاثة منهم.",
        True,
        "«منهم»: the militants",
        killed=None,
        militants=3,
    ),
    Case(
        "قتلت قوة أمنية عنصرين من تنظيم داعش في اشتباك بصبراتة دون وقوع إصابات في صفوفها.",
        True,
        "a dual's side from the words after it",
        killed=0,
        militants=2,
    ),
    Case(
        "أعدم عناصر داعش، صباح اليوم، أربعة شبان في سرت.",
        True,
        "a time between commas",
        killed=4,
        type="execution",
    ),
    Case(
        "قتل شرطي وأصيب ثان في هجوم لداعش على مركز شرطة في ودان.",
        True,
        "an ordinal is one more",
        killed=1,
        injured=1,
    ),
    Case(
        "أسفر هجوم داعش على بوابة في هون عن مقتل عسكري واحد وإصابة اثنين.",
        True,
        "«واحد» after a singular, then a new phrase",
        killed=1,
        injured=2,
    ),
    Case(
        "قال مسؤول إن ثلاثة أشخاص قتلوا وأصيب خمسة آخرون في هجوم لداعش على سوكنة.",
        True,
        "a count before its verb, then another trigger",
        killed=3,
        injured=5,
    ),
    Case(
        "أودى هجوم انتحاري لداعش على مركز تدريب في زليتن بحياة خمسة عشر مجندا.",
        True,
        "«بحياة» far from «أودى»",
        killed=15,
        type="suicide_bombing",
    ),
    Case(
        "هاجم عناصر داعش بوابة الشويرف وقتلوا آمر البوابة واثنين من مرافقيه.",
        True,
        "one named and two of his",
        killed=3,
    ),
    Case(
        "هاجم عناصر داعش منزلا في بلدة غدوة وقتلوا نجله وأصابوا شقيقه.",
        True,
        "relatives count one each",
        killed=1,
        injured=1,
    ),
    Case(
        "اغتال عناصر من داعش قاضيا في درنة أمس.",
        True,
        "an assassination without a count: one",
        killed=1,
        type="assassination",
    ),
    Case(
        "نجا مسؤول محلي من محاولة اغتيال نفذها عناصر من داعش في سبها.",
        True,
        "an attempt: nobody counted",
        killed=None,
    ),
    Case(
        "تبنى داعش سلسلة اغتيالات في درنة خلال الأسبوع الجاري.",
        True,
        "a series: no count",
        killed=None,
    ),
]

# Rules added after the second round (tests/data/challenge2.jsonl), with what they must leave alone.
SECOND_ROUND = [
    Case(
        "نعى اللواء التاسع ثلاثة من منتسبيه قتلوا أمس في هجوم لداعش على موقعه قرب تراغن.",
        True,
        "a unit mourning its dead reports the attack",
        killed=3,
    ),
    Case(
        "أعلنت وزارة الخارجية تعازيها لأسر ضحايا هجوم داعش على بوابة سوكنة.",
        False,
        "condolences from outside stay a frame",
    ),
    Case(
        "استقبل الرئيس أسر العمال الذين قتلهم تنظيم داعش في سرت.",
        False,
        "a relative clause describes people by a past event",
    ),
    Case(
        "ارتفع عدد الجنود الذين قتلوا في هجوم داعش على بوابة سوكنة أمس إلى أربعة.",
        True,
        "a relative clause beside the news leaves it",
        killed=4,
    ),
    Case(
        "نشر التنظيم إحصائية لعملياته خلال الشهر لم تتضمن أي هجوم في ليبيا.",
        False,
        "«أي هجوم» after a negation",
    ),
    Case(
        "قال جهاز المخابرات إنه فكك شبكة لتنظيم داعش في مصراتة وأوقف خمسة من أفرادها.",
        True,
        "arrest verbs «فكك» and «أوقف»",
        type="arrest",
        place="مصراتة",
    ),
    Case(
        "أعدم تنظيم داعش شابا في ساحة عامة بمدينة سرت.",
        True,
        "an accusative object after the subject is one victim",
        killed=1,
        type="execution",
    ),
    Case(
        "قال مسؤول في سرت إن جنديا من الجيش أصيب حين هاجم داعش دوريته، وإن مسلحين قتلوا جنديا آخر.",
        True,
        "an accusative object after its verb and subject",
        killed=1,
    ),
    Case(
        "أطلق عناصر داعش النار على منزل أحد الأعيان في بلدة الفقهاء ما أدى إلى مقتله وإصابة زوجته.",
        True,
        "«مقتله»: one, and a wife",
        killed=1,
        injured=1,
    ),
    Case(
        "تبنى داعش الهجومين على حقلي الباهي والمبروك النفطيين.",
        True,
        "two fields named after «حقلي»",
        place="حقل الباهي",
    ),
    Case(
        "قصف الطيران مخابئ لداعش في منطقة وادي بي الكبير، جنوب غرب سرت.",
        True,
        "a compound direction locates the place before it",
        place="وادي بي",
    ),
    Case(
        "اشتبكت قوة حماية وتأمين سرت مع عناصر داعش في منطقة أبو هادي.",
        True,
        "a unit's name of three words",
        place="قصر أبو هادي",
    ),
    Case(
        "أعلنت كتيبة شهداء أوباري أن مسلحين من داعش هاجموا إحدى نقاطها فجر اليوم وقتلوا جنديا.",
        True,
        "a unit's name places an event nothing else places",
        place="أوباري",
    ),
    Case(
        "قالت كتيبة شهداء أبو سليم إن عناصر داعش هاجموا نقطة لها في درنة أمس.",
        True,
        "a unit's name ranks after the place of the event",
        place="درنة",
    ),
    Case(
        "نصب عناصر من داعش كمينا لقافلة على الطريق بين مرزق والقطرون اليوم وخطفوا سائقين.",
        True,
        "a stretch between two towns is named by its first end",
        place="مرزق",
    ),
    Case(
        "بنغازي - قتل شرطيان في هجوم على مركز في مدينة المرج شرق مدينة بنغازي اليوم."
        " وأعلن مصدر أمني أن البحث جار عن المهاجمين. وفي وقت لاحق، تبنى تنظيم داعش الهجوم.",
        True,
        "a later claim of «the attack» ties the actor; a capital after a direction locates",
        place="المرج",
    ),
    Case(
        "قتل جندي في هجوم لداعش على بوابة قرب هون اليوم. وكان مستشفى مصراتة قد استقبل الأسبوع"
        " الماضي جثث جنود قتلوا في كمين.",
        True,
        "an earlier event's sentence places nothing of the news",
        place="هون",
        killed=1,
    ),
    Case(
        "هاجم داعش مقر كتيبة في سبها وقتل جنديين.",
        True,
        "a preposition ends a unit's name",
        place="سبها",
        killed=2,
    ),
    Case(
        "هاجم داعش موقعا للجيش في واحة ربيانة بالكفرة.",
        True,
        "a village in its district is not a namesake",
        place="ربيانة",
    ),
    Case(
        "أعلنت السلطات التونسية تفكيك خلية لداعش في ولاية مدنين كانت على تواصل مع قيادات التنظيم في ليبيا.",
        False,
        "Tunisia's governorates place the event",
    ),
]

# Rules from the third round (tests/data/challenge3.jsonl).
THIRD_ROUND = [
    Case(
        "قتل مسلحو داعش ستة رعاة في هجوم على قرية حدودية يعبرها مهربو سلاح قادم من ليبيا.",
        False,
        "motion: goods crossing Libya's border place nothing in Libya",
    ),
    Case(
        "هاجم مسلحو داعش رتلا عسكريا قادما من سبها قرب أم الأرانب وقتلوا جنديين.",
        True,
        "motion: a town of departure is still in Libya, unlike the country itself",
        killed=2,
    ),
    Case(
        "توعد تنظيم داعش في كلمة صوتية بثتها منصاته أمس على لسان متحدثه الجديد بشن هجمات في سرت.",
        False,
        "a threat governs a long clause; an audio message is propaganda",
    ),
    Case(
        "قتل 31 شخصا وأصيب العشرات في تفجير انتحاري تبناه داعش استهدف سوقا في بنغازي.",
        True,
        "an exact count, with a vague one beside it",
        title="عشرات القتلى والجرحى في تفجير انتحاري ببنغازي",
        place="بنغازي",
        killed=31,
    ),
]

PROBES = PLACES + FRAMES + COUNTS + SECOND_ROUND + THIRD_ROUND
