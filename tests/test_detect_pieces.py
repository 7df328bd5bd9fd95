"""General pieces at news length (challenge set 22's classes): statements of responsibility in
general, past years, threats of what will come, habits told in the present, the actor's name
borrowed, investigations and comparisons; set 26's memorials, survivors, two years' tallies and
a season of a past year; set 28's bare past years, months of past years and years ago; set
30's confessions, amnesties, mine clearance, honours, recollections, rebuilding, periodic
reports, news called false and denials that say what did happen — and the incidents they must
not swallow. Our own sentences, none from
a labelled set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.detect import Document
from tests.support.incident_reports import detector

PUBLISHED = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)

PIECES = [
    # responsibility for attacks in the plural, and what its relative clause tells
    ("a minister blames the actor for the country's attacks", False, None,
     "حمّل وزير الداخلية الليبي اليوم تنظيم داعش مسؤولية الهجمات الإرهابية التي شهدتها البلاد،"
     " مؤكدا أن أجهزته تلاحق عناصره."),
    ("a spokesman: the actor is behind the bombings of a city", False, None,
     "قال المتحدث باسم قوة حماية سرت أمس إن داعش هو المسؤول عن التفجيرات التي استهدفت المدينة"
     " في الماضي."),
    ("a claim of one attack is news", True, None,
     "أعلن تنظيم داعش مسؤوليته عن هجوم على بوابة أمنية في الجفرة صباح اليوم قتل فيه جنديان."),
    ("one attack blamed on the actor is news", True, None,
     "حمّل الجيش تنظيم داعش مسؤولية الهجوم على بوابة أمنية في مرزق فجر اليوم، الذي قتل فيه"
     " ثلاثة جنود."),
    # past years: the dual, and a time already placed in the past
    # set 36: a reaction to an incident the text dates as new carries it, wherever it is named
    ("a condolence in the title and the lead for this morning's attack", True, None,
     "المجلس البلدي يعزي في ضحايا هجوم بوابة سبها. تقدم المجلس البلدي بالتعازي إلى أسر الجنود"
     " الثلاثة الذين قتلوا فجر اليوم في هجوم شنه عناصر تنظيم داعش على بوابة في سبها."),
    ("a travel advisory after this morning's attack", True, None,
     "حدثت الخارجية البريطانية نصائح السفر إلى ليبيا عقب الهجوم الذي نفذه تنظيم داعش صباح اليوم"
     " على مجمع نفطي في البريقة وقتل فيه حارسان."),
    ("compensation agreed yesterday for a bombing of a past year", False, None,
     "مجلس الوزراء يقر تعويضات لأسر قتلى تفجيرات القبة. أقر مجلس الوزراء أمس تعويضات لأسر قتلى"
     " تفجيرات القبة التي نفذها تنظيم داعش في فبراير 2015."),
    ("a condolence today for an attack of a past year", False, None,
     "المجلس البلدي يعزي في ضحايا هجوم بوابة سبها. تقدم المجلس البلدي اليوم بالتعازي إلى أسر"
     " الجنود الذين قتلوا في هجوم شنه تنظيم داعش على بوابة في سبها عام 2019."),
    # set 35: the actor in a likeness or in what a denial denies is not the actor
    ("a coach calls a referee's display «بأسلوب داعش»", False, None,
     "قال مدرب الأهلي بنغازي أمس إن ما جرى في المباراة مجزرة تحكيمية بأسلوب داعش، وإن الحكم ذبح"
     " الفريق."),
    ("a tribal clash, a rumour of the actor denied", False, None,
     "قال المجلس البلدي سبها اليوم إن ثلاثة شبان قتلوا أمس في اشتباك بين قبيلتين جنوب المدينة،"
     " نافيا ما روجته صفحات من أن عناصر من تنظيم داعش نفذوا هجوما على الحي."),
    ("«no link to the actor» in a title", False, None,
     "بلدية سبها: مقتل ثلاثة في نزاع قبلي ولا علاقة لداعش بالحادثة."),
    ("a denial, then a new statement that names the actor", True, None,
     "نفى الجيش اليوم أن تكون قواته انسحبت من البوابة، وقال إن عناصر من تنظيم داعش هاجموا فجر"
     " اليوم بوابة في سبها وقتلوا جنديين."),
    ("a rumour of the actor's dawn attack denied at length", False, None,
     "نفى المكتب الإعلامي للمنطقة العسكرية سبها، اليوم السبت، صحة ما تداولته صفحات على مواقع"
     " التواصل الاجتماعي عن هجوم شنه تنظيم داعش فجر اليوم على قاعدة براك الشاطئ الجوية."),
    ("a region «most exposed to» the actor's attacks", False, None,
     "أصدر مركز للدراسات اليوم مؤشرا صنف إقليم فزان المنطقة الأكثر عرضة لهجمات تنظيم داعش في"
     " ليبيا."),
    ("a coach's «هجوما حادا» on a referee", False, None,
     "شن مدرب الأهلي بنغازي هجوما حادا على الحكم أمس، وقال إن ما جرى مجزرة داعشية."),
    ("«هجوما عنيفا» by the actor is still an attack", True, None,
     "شن عناصر من داعش هجوما عنيفا على بوابة في سبها أمس وقتلوا جنديين."),
    ("a weekly security file on older attacks", False, None,
     "تستعرض الصحيفة في ملفها الأمني الأسبوعي، اليوم الجمعة، مستجدات التحقيق في الهجوم الذي شنه"
     " تنظيم داعش على بوابة تمسة وقتل فيه أربعة جنود."),
    # set 36: the perpetrators named sentences after the attack is told, with no claim
    ("a hospital's statement, the attackers named three sentences on", True, None,
     "استقبل مستشفى سرت اليوم جثماني جنديين وستة جرحى جراء الهجوم على بوابة الوشكة غرب سرت."
     " وأضاف المستشفى أن حالة اثنين من الجرحى حرجة. ودعا المستشفى المواطنين إلى التبرع بالدم."
     " وأكدت مصادر عسكرية أن المهاجمين من عناصر تنظيم داعش."),
    ("a bomb on a patrol, «زرعها عناصر» of the actor three sentences on", True, None,
     "أصيب أربعة جنود إثر انفجار عبوة ناسفة بدورية عسكرية في منطقة قنفودة غرب بنغازي. وأوضح"
     " المستشفى أن إصاباتهم متوسطة. ولم تسجل أي حالة وفاة. وقال مصدر إن العبوة زرعها عناصر من"
     " خلية نائمة لتنظيم داعش."),
    ("a court today on a past year's attack whose attackers were the actor's", False, None,
     "قضت محكمة في مصراتة اليوم بسجن خمسة متهمين في هجوم على بوابة سرت عام 2019، وقال القاضي إن"
     " المهاجمين من عناصر تنظيم داعش."),
    ("an attack in Niger whose attackers came from the Libyan south", False, None,
     "قتل ثلاثة جنود في هجوم على موقع عسكري في النيجر أمس. وقالت مصادر إن المهاجمين من عناصر"
     " تنظيم داعش قدموا من جنوب ليبيا."),
    # set 33: Libya as a fighter's name, home town, route or destination; the event abroad
    ("a bomber named «أبو طلحة الليبي» in Niger", False, None,
     "أعلن تنظيم داعش في الساحل أن أبو طلحة الليبي فجر نفسه أمس في معسكر للجيش في النيجر وقتل"
     " خمسة جنود."),
    ("a foreign fighter's name, killed in Libya", True, None,
     "قتل أبو مصعب التونسي، القيادي في داعش، في غارة على معسكر للتنظيم قرب أوباري أمس."),
    ("a cell that came «من منطقة امساعد الليبية», killed in Egypt", False, None,
     "قتلت قوات الأمن المصرية أمس ستة من عناصر داعش تسللوا قادمين من منطقة امساعد الليبية جنوب"
     " السلوم."),
    ("weapons smuggled from Libya, the claim before the route", False, None,
     "هاجم مسلحون من داعش كمينا للجيش المصري في الفرافرة أمس. وأعلن التنظيم مسؤوليته عن الهجوم."
     " وقالت مصادر إن الأسلحة هربت من الأراضي الليبية عبر دروب تمر قرب واحة الجغبوب."),
    ("a leader killed in Mali who came from Ubari", False, None,
     "نعى تنظيم داعش في صحيفة النبأ قياديا قتل في معارك قرب ميناكا في مالي الأسبوع الماضي، وقالت"
     " مصادر إنه ينحدر من مدينة أوباري جنوب ليبيا."),
    ("a cell recruiting in Sfax for the actor in Libya", False, None,
     "فككت وحدات الحرس الوطني التونسي اليوم خلية في صفاقس تستقطب الشباب للقتال مع داعش في"
     " ليبيا."),
    ("a claim after the attack, a hospital's town after the claim", True, None,
     "انفجرت سيارة مفخخة اليوم عند بوابة في سبها. وأعلن تنظيم داعش مسؤوليته عن التفجير. وقال مصدر"
     " في مستشفى سبها إن ثلاثة جنود قتلوا."),
    # set 31: the actor claims an attack abroad after a strike in Libya is told
    ("a strike on Derna, and the actor's claim of an attack in Egypt", False, None,
     "قصفت مقاتلات مصرية أمس ما وصفته بمعسكرات في محيط مدينة درنة الليبية بعد هجوم على حافلة"
     " أسفر عن مقتل 29 شخصا. وأعلن تنظيم داعش مسؤوليته عن هجوم المنيا في بيان."),
    ("a claim whose clause on the actor names Egypt", True, None,
     "انفجرت سيارة مفخخة أمس عند بوابة في مدينة سرت وقتل ثلاثة جنود. وتبنى تنظيم داعش، الذي"
     " ينشط أيضا في مصر، الهجوم."),
    ("a claim of the Libyan attack beside one in Sinai", True, None,
     "انفجرت سيارة مفخخة أمس عند بوابة في مدينة سرت وقتل ثلاثة جنود. وأعلن تنظيم داعش مسؤوليته"
     " عن تفجير سرت بعد يوم من هجوم تبناه في سيناء المصرية."),
    ("a spokesman's tally between two years", False, None,
     "قال المتحدث باسم الجيش اليوم إن تنظيم داعش نفذ عشرات التفجيرات في سرت بين عامي 2015"
     " و2016."),
    ("hundreds killed in those years", False, None,
     "أكد وزير الداخلية أن التنظيم كان وراء الإرهاب في درنة. وأضاف أن المئات قتلوا في تلك"
     " السنوات على يد عناصر داعش في درنة."),
    ("an official on soldiers killed over the years", False, None,
     "قال آمر المنطقة العسكرية سبها في مقابلة اليوم إن عناصر داعش قتلوا عشرات الجنود في سبها"
     " على مدى السنوات."),
    ("news with a past year in the next sentence", True, None,
     "قتل ثلاثة جنود في هجوم لتنظيم داعش على بوابة قرب سبها فجر اليوم. وكانت المدينة قد شهدت"
     " هجوما مماثلا عام 2022."),
    # a relative clause on the town tells the town's past, not the news's day
    ("news whose own sentence ends on a past year", True, None,
     "هاجم مسلحون من داعش اليوم دورية في أوباري وقتلوا جنديين، في البلدة التي شهدت هجمات"
     " للتنظيم بين عامي 2019 و2021."),
    ("yesterday's killing in a city the actor held in a past year", True, None,
     "قتل مسلحون من داعش أمس شرطيين في درنة، المدينة التي سيطر عليها التنظيم عام 2015."),
    ("a visit today to a city the actor bled in a past year", False, None,
     "زار وزير الداخلية اليوم مدينة سرت، المدينة التي قتل فيها تنظيم داعش المئات عام 2016."),
    ("photos today of the men behind a past year's bombing", False, None,
     "نشرت وزارة الداخلية اليوم صورا لعناصر داعش، الذين فجروا سيارة مفخخة في زليتن عام 2016"
     " وقتلوا العشرات."),
    # what will come
    ("the actor will strike, a clause between", False, None,
     "توعد تنظيم داعش، في بيان نشره على تلغرام، بأنه سيضرب البوابات الأمنية في الجنوب الليبي"
     " بهجمات جديدة."),
    ("a cell preparing bombings for the coming days", False, None,
     "أفاد مصدر أمني ليبي بأن خلايا داعش تحضر لتفجيرات في طرابلس خلال الأيام القادمة."),
    ("an attack today and a pledge for the coming days", True, None,
     "قتل جنديان في هجوم لداعش على بوابة في الشويرف صباح اليوم، وتعهد الجيش بملاحقة المهاجمين"
     " خلال الأيام المقبلة."),
    # a habit told in the present after the lead; a headline in the present is news
    ("the actor kidnaps whoever refuses to pay", False, None,
     "نشرت صحيفة ليبية اليوم شهادات لسائقين في الجنوب الليبي. ويقول السائقون إن عناصر داعش"
     " يختطفون كل من يرفض دفع الإتاوة قرب القطرون، ويقتلون أحيانا من يقاوم."),
    ("a headline in the present tells the news", True, "داعش يهاجم بوابة أمنية في تراغن ويقتل جنديا",
     "قال مصدر عسكري إن الهجوم وقع فجر اليوم وإن المهاجمين انسحبوا نحو الصحراء."),
    ("a lead in the present tense", True, None,
     "عناصر من داعش تهاجم مقرا للشرطة في مدينة الجفرة. وقال مصدر أمني إن مسلحين من التنظيم"
     " هاجموا المقر فجر اليوم وقتلوا شرطيا."),
    # the actor's name borrowed
    ("robbers who posed as the actor", False, None,
     "أوقفت مديرية أمن أوباري أمس ثلاثة لصوص ينتحلون صفة عناصر من داعش لسلب المسافرين على"
     " طريق أوباري."),
    ("kidnappers who said they were the actor", False, None,
     "قبضت الشرطة في غريان اليوم على مسلحين خطفوا طبيبا، مدعين أنهم من تنظيم داعش."),
    ("a real cell arrested", True, None,
     "ألقت قوة أمنية القبض على ثلاثة عناصر من تنظيم داعش في بني وليد اليوم، بحوزتهم أحزمة"
     " ناسفة."),
    # investigations, habits, comparisons
    ("an investigation into the actor's raids on smugglers", False, None,
     "كشف تحقيق استقصائي لقناة ليبية أن عناصر تنظيم داعش في مرزق هاجموا قوافل المهربين مرات"
     " عدة للحصول على المال."),
    ("attacks compared with last year", False, None,
     "أظهرت بيانات مرصد محلي أن هجمات داعش في فزان ارتفعت هذا العام مقارنة بالعام الماضي."),
    # set 26's classes: a memorial, a survivor's story, two years' tally, a season of a past year
    ("a vigil at a memorial", False, None,
     "نظم طلاب جامعة سبها صباح اليوم وقفة تأبينية أمام النصب التذكاري لضحايا تفجير سيارة مفخخة"
     " نفذه تنظيم داعش قرب بوابة الجامعة."),
    ("a town remembers the dead of an attack", False, "مصراتة تستذكر شهداء بوابة السدادة",
     "يستذكر أهالي مصراتة اليوم رفاقهم الذين سقطوا في الهجوم الذي شنه مسلحو داعش على بوابة"
     " السدادة، ويطالبون بتكريمهم."),
    ("an attack by a memorial today is news", True, None,
     "هاجم عناصر من تنظيم داعش فجر اليوم بوابة أمنية في مدخل مدينة سبها وقتلوا ثلاثة جنود قرب"
     " النصب التذكاري للشهداء."),
    ("a survivor's story", False, "ناجية من هجوم فندق كورنثيا تروي ما حدث",
     "تروي موظفة الاستقبال كيف اقتحم مسلحو داعش بهو الفندق في طرابلس وأطلقوا النار على"
     " النزلاء، وكيف اختبأت ساعات في غرفة الأمتعة."),
    ("a survivor of today's attack speaks", True, None,
     "قال أحد الناجين من الهجوم الذي شنه تنظيم داعش فجر اليوم على بوابة الفقهاء إن المهاجمين"
     " قتلوا أربعة جنود."),
    ("two years' tally of attacks", False, None,
     "قالت مديرية أمن مرزق إن عناصر داعش نفذوا 14 هجوما في المنطقة خلال العامين الماضيين."),
    ("a raid at the end of a past year", False, None,
     "يعمل اليوم في ورشة بمدينة الزاوية شاب قاتل مع داعش، اعتقل بعد الغارة التي استهدفت معسكر"
     " التنظيم في صبراتة أواخر 2016."),
    # set 28's classes: a bare past year, a month and a year, a year and more ago
    ("a hearing's tally of a bare past year", False, None,
     "قدم مدير الأمن إحاطة أمام المجلس البلدي اليوم. وقال إن قواته داهمت 19 وكرا لخلايا داعش"
     " في سبها واعتقلت 40 عنصرا في 2022."),
    ("financiers of attacks between two bare years", False, None,
     "أدرجت الحكومة أمس أربعة تجار على قائمة الممولين. وقالت إن أموالهم مولت هجمات داعش على"
     " بوابات مرزق وقتلت 12 جنديا بين 2019 و2021."),
    ("a company recalls an attack by its month and year", False, None,
     "أعلنت شركة نفطية اليوم استئناف الإنتاج في حقل المبروك. وذكرت الشركة أن تنظيم داعش هاجم"
     " الحقل في أبريل 2015 وقتل ثمانية من حراسه."),
    ("an attack two years ago, in an agreement's piece", False, None,
     "وقع وزيرا داخلية ليبيا والنيجر أمس مذكرة للتعاون الأمني. وتهدف المذكرة إلى منع تكرار"
     " الهجوم الذي شنه تنظيم داعش على معسكر في القطرون قبل عامين وقتل فيه خمسة جنود."),
    ("a dateline's full date is today's, not a past year's", True, None,
     "سبها 12 مارس 2024 - قتل جنديان في هجوم شنه مسلحون من تنظيم داعش على بوابة المدخل الشرقي"
     " فجر اليوم."),
    ("today's attack, then the same gate's attack in a bare past year", True, None,
     "قتل ثلاثة جنود اليوم في هجوم لداعش على بوابة في مرزق. وكان التنظيم قد هاجم البوابة نفسها"
     " في 2021."),
    ("yesterday's bomber who joined the actor three years ago", True, None,
     "قال مصدر أمني في مصراتة إن الانتحاري الذي فجر نفسه أمس عند البوابة الجنوبية للمدينة التحق"
     " بتنظيم داعش قبل ثلاث سنوات."),
    # set 30: a confession aired retells what the detainee did; aired after today's arrest it
    # carries that news
    ("a detainee's confession aired, no date", False, None,
     "بثت قناة محلية اعترافات مصورة لموقوف من تنظيم داعش قال فيها إنه فجر سيارة مفخخة عند بوابة"
     " في مدينة سبها."),
    ("a confession aired after this morning's arrest", True, None,
     "اعتقلت قوة أمنية فجر اليوم عنصرا من تنظيم داعش في مدينة سبها، وبثت الغرفة اعترافاته بالتخطيط"
     " لتفجير سيارة مفخخة."),
    pytest.param(
        "a confession aired yesterday about a past bombing and its toll", False, None,
        "عرضت قناة محلية مساء أمس اعترافات مصورة لموقوف من تنظيم داعش قال فيها إنه شارك في تفجير"
        " سيارة مفخخة عند بوابة في مدينة سبها قتل فيه ستة جنود.",
        id="a confession aired yesterday about a past bombing and its toll",
        marks=pytest.mark.xfail(
            strict=True,
            reason="the confession (0.35) carries the news of a sentence dated «أمس», and the"
            " toll's bonus: the airing's date is read as the bombing's; left",
        ),
    ),
    # set 31: the actor's punishments where it rules; its own «court» is no trial
    ("an amputation after the actor's own court", True, None,
     "أقدم عناصر الحسبة التابعة لتنظيم داعش في سرت اليوم على قطع يد شاب بعد أن أدانته محكمة"
     " التنظيم بالسرقة."),
    ("a flogging in a square", True, None,
     "جلدت الحسبة التابعة لداعش ثلاثة شبان في ساحة عامة بمدينة سرت أمس بتهمة التدخين."),
    ("an execution by the actor's sharia court", True, None,
     "قال شهود إن المحكمة الشرعية التابعة لتنظيم داعش في سرت أعدمت أمس شابين بتهمة التجسس."),
    ("a state court's verdict on a past amputation", False, None,
     "أصدرت محكمة مصراتة اليوم حكما بإعدام عنصر من داعش أدين بقطع يد شاب في سرت عام 2016."),
    ("a state court tries a judge of the actor's court", False, None,
     "حاكمت محكمة في طرابلس اليوم قاضيا سابقا في محكمة التنظيم بسرت متهما بإصدار أحكام بقطع"
     " أيدي السكان."),
    # an amnesty is a law's matter
    ("an amnesty law debated for the actor's detainees", False, None,
     "ناقش مجلس النواب اليوم شمول موقوفي تنظيم داعش بقانون العفو العام، وقال نائب إن بعضهم شارك"
     " في هجمات على بوابات الجفرة وقتل جنودا."),
    ("an attack the day after an amnesty law passed", True, None,
     "قتل جنديان في هجوم شنه تنظيم داعش فجر اليوم على بوابة في مدينة سبها، بعد يوم من إقرار قانون"
     " العفو العام."),
    # mine clearance tallies what the war left
    ("a mine-clearance tally of the actor's explosives", False, None,
     "أعلنت فرق الهندسة العسكرية أمس إزالة 120 جسما متفجرا بين ألغام وعبوات ناسفة زرعها تنظيم"
     " داعش في أحياء مدينة سرت."),
    ("the actor attacks a mine-clearance team today", True, None,
     "هاجم مسلحون من تنظيم داعش ظهر اليوم فريقا يعمل على إزالة الألغام جنوب مدينة سرت، وأصابوا"
     " اثنين من أفراده."),
    # honours for a past battle's fighters; for last night's defenders they carry the news
    ("medals for the fighters of a past battle", False, None,
     "منح رئيس الأركان اليوم أوسمة الشجاعة لمئة من المقاتلين في مدينة بنغازي. وقال إنهم خاضوا"
     " المعارك ضد تنظيم داعش في المدينة وقتل منهم العشرات."),
    ("honours for the guards who repelled last night's attack", True, None,
     "كرم آمر المنطقة العسكرية اليوم بشهادات تقدير حراس بوابة في مدينة أوباري تصدوا لهجوم شنه"
     " تنظيم داعش الليلة الماضية وقتلوا اثنين من المهاجمين."),
    # a visit that recalls the battles; the battles that drove the actor out
    ("a minister recalls the attacks on a visit", False, None,
     "زار وزير الداخلية اليوم مدينة درنة واستحضر أمام الضباط الهجمات التي شنها تنظيم داعش على"
     " مراكز الشرطة فيها."),
    ("an officer named for leading the battles of liberation", False, None,
     "كلفت وزارة الدفاع أمس ضابطا قاد معارك تحرير مدينة سرت من تنظيم داعش بإمرة المنطقة الوسطى."),
    # rebuilding
    ("rebuilding a mosque the actor blew up", False, None,
     "أطلقت بلدية درنة اليوم مشروع إعمار مسجد الصحابة، بعد أن فجره عناصر تنظيم داعش وأحرقوا"
     " مكتبته."),
    # a periodic report counts a period
    ("a ministry's half-yearly report on the actor's attacks", False, None,
     "كشفت وزارة الداخلية اليوم في تقريرها نصف السنوي أن تنظيم داعش نفذ أربع هجمات في الجنوب"
     " الليبي قتل فيها 11 شخصا في أوباري ومرزق."),
    ("an attack told before a weekly report's figures", True, None,
     "قتل ثلاثة جنود في هجوم لتنظيم داعش على بوابة في مدينة مرزق فجر اليوم، وفق ما أورده الجيش في"
     " تقريره الأسبوعي."),
    # news called false
    ("a municipality calls news of an attack false", False, None,
     "وصفت بلدية غات اليوم الأنباء عن هجوم شنه تنظيم داعش على مدخل المدينة وقتل فيه شرطيان بأنها"
     " كاذبة ومغرضة."),
    ("the attack is real, the actor's figure false", True, None,
     "هاجم عناصر من تنظيم داعش فجر اليوم بوابة في مدينة أوباري وقتلوا جنديا. ووصف الجيش ادعاء"
     " التنظيم بقتل عشرين جنديا بأنه كاذب."),
    # a denial that says what did happen
    ("a rumour denied, the attack that happened confirmed", True, None,
     "نفت بلدية غات اليوم ما تداولته صفحات عن سيطرة تنظيم داعش على المدينة، مؤكدة أن ما حدث هو"
     " هجوم شنه عناصره فجر اليوم على بوابة جنوب المدينة."),
    ("a rumour denied, «وإنما» the attack", True, None,
     "نفت بلدية غات اليوم الأنباء المتداولة عن سيطرة تنظيم داعش على المدينة، وإنما هاجم عناصره"
     " فجر اليوم بوابة جنوبها."),
    ("a rumour denied, nothing happened", False, None,
     "نفت بلدية غات اليوم ما تداولته صفحات عن هجوم شنه تنظيم داعش على بوابة جنوب المدينة أصيب"
     " فيه شرطي، مؤكدة أن الوضع مستقر."),
    # a frame word in a work's quoted name («بعنوان "…"») names the work, not what the text is
    ("an attack on a cinema showing a film titled «the trial»", True, None,
     "هاجم مسلحون من تنظيم داعش مساء اليوم قاعة سينما في سبها كانت تعرض فيلما بعنوان «المحاكمة»،"
     " ما أدى إلى مقتل ثلاثة من الحضور."),
    ("a film about a trial", False, None,
     "عرضت قاعة سينما في سبها اليوم فيلما عن محاكمة عناصر من تنظيم داعش قتلوا ثلاثة جنود في هجوم"
     " على بوابة المدينة."),
    ("a titled film about a trial: the title closed before the frame", False, None,
     "عرضت قاعة سينما في سبها اليوم فيلما بعنوان «البوابة» عن محاكمة عناصر من تنظيم داعش قتلوا"
     " ثلاثة جنود في هجوم على بوابة المدينة."),
    # tenth round (grouping set 14): the perpetrators named later, by a witness or by
    # themselves; and a link to the actor denied
    ("kidnappers a witness says belong to the actor", True, None,
     "خطف مسلحون فجر اليوم ثلاثة مهندسين أتراك من موقع محطة كهرباء قرب مدينة أوباري. وقالت"
     " مصادر محلية إن الخاطفين اقتادوهم إلى جهة مجهولة. وأكد شاهد أن الخاطفين ينتمون إلى تنظيم"
     " داعش."),
    ("kidnappers the police deny belong to the actor", False, None,
     "خطف مسلحون فجر اليوم ثلاثة مهندسين أتراك من موقع محطة كهرباء قرب مدينة أوباري. وقالت"
     " مصادر محلية إن الخاطفين اقتادوهم إلى جهة مجهولة. ونفت مديرية الأمن أن يكون الخاطفون"
     " ينتمون إلى تنظيم داعش، مرجحة أنهم عصابة تطلب فدية."),
    ("gunmen who named themselves as the actor's", True, None,
     "هاجم مسلحون مساء أمس نقطة تفتيش عند المدخل الجنوبي لمدينة سبها وقتلوا جنديين. وقال مصدر"
     " أمني إن المسلحين عرفوا أنفسهم بأنهم من تنظيم الدولة قبل أن يفروا."),
    ("gunmen with no link to the actor", False, None,
     "هاجم مسلحون مساء أمس نقطة تفتيش عند المدخل الجنوبي لمدينة سبها وقتلوا جنديين. وقال مصدر"
     " أمني إن المسلحين من عناصر عصابات التهريب وليس لهم صلة بتنظيم داعش."),
    # set 38: the perpetrators by an investigation or by what they did; no actor's fingerprints;
    # the actor in a city's past «قبل أكثر من عشر سنوات»; one reaction weighed once
    ("a hospital's toll and, two sentences on, an investigation that names a cell", True, None,
     "أعلن مركز سبها الطبي اليوم ارتفاع عدد قتلى انفجار سوق حي المنشية إلى خمسة. ودعا المركز"
     " المواطنين إلى التبرع بالدم. من جهتها، قالت مديرية الأمن إن التحريات تشير إلى تورط خلية"
     " تابعة لتنظيم داعش."),
    ("elders' condolences for a patrol, the actor named two sentences on", True, None,
     "يتقدم أعيان بلدية زلة بالتعازي إلى أسر الشهداء الثلاثة الذين ارتقوا عصر أمس في كمين على"
     " الطريق شمال زلة. كما يتمنون الشفاء العاجل للسائق الجريح. ويؤكد الأعيان أنهم لن يسمحوا"
     " لتنظيم داعش بالعودة، وأن ما ارتكبه التنظيم بحق أبنائهم لن يمر دون حساب."),
    ("a killing that carries no fingerprints of the actor", False, None,
     "قتل مسلحون مجهولون ضابطا في حي الماجوري ببنغازي مساء أمس. وقال مصدر أمني إن العملية لا"
     " تحمل بصمات خلايا تنظيم داعش، مرجحا أن تكون ثأرا قبليا."),
    ("an assassination that recalls the actor's years", False, None,
     "اغتال مسلحون مجهولون إمام مسجد في درنة فجر اليوم، ولم تتبن أي جهة العملية. وأعادت الحادثة"
     " إلى الأذهان موجة الاغتيالات التي شهدتها المدينة قبل أكثر من عشر سنوات حين كان تنظيم داعش"
     " يسيطر على أجزاء منها."),
]  # fmt: skip


def test_the_news_is_dated_by_its_own_sentence() -> None:
    """A window that opens on a sentence of context dates the incident by the incident's own
    sentence: yesterday's signing is not the day of today's raid."""
    found = detector().detect(
        Document(
            text="وقع وزيرا دفاع ليبيا وتشاد أمس الاثنين اتفاقا للتعاون على الحدود. وفي سياق متصل،"
            " أعلنت كتيبة في سبها فجر اليوم مداهمة وكر لتنظيم داعش واعتقال اثنين من عناصره.",
            published=PUBLISHED,
        )
    )
    assert found.is_incident, found.why
    assert found.event_date is not None and found.event_date.isoformat() == "2024-03-12"


@pytest.mark.parametrize(
    ("about", "incident", "title", "text"),
    PIECES,
    ids=[p[0] if isinstance(p, tuple) else None for p in PIECES],
)
def test_piece(about: str, incident: bool, title: str | None, text: str) -> None:
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert found.is_incident is incident, f"{about}: {found.why}"
