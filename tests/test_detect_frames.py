"""Not-new frames and background (issue 13, class 3), and the near misses they must not swallow.
Our own sentences."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.detect import Document
from tests.support.incident_reports import detector

PUBLISHED = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)

FRAMES = [
    ("a warning of what the actor will try", False,
     "حذر مسؤول أمني من أن تنظيم داعش سيحاول شن هجمات جديدة في سبها خلال الأشهر المقبلة."),
    ("a warning that it will wake sleeper cells", False,
     "قال خبير إن تنظيم داعش يسعى إلى تفعيل خلاياه النائمة في الجنوب الليبي لشن هجمات على"
     " مدن مثل سبها وأوباري."),
    ("families return where it once ruled", False,
     "بدأت عودة العائلات اليوم إلى أحياء سرت التي كان يسيطر عليها تنظيم داعش."),
    ("a death sentence is no execution", False,
     "أصدرت محكمة في مصراتة حكما بالإعدام على خمسة من عناصر تنظيم داعش أدينوا بذبح مدنيين في"
     " سرت."),
    ("a denial that the actor is there", False,
     "نفت مديرية الأمن في غات وجود أي عناصر لتنظيم داعش في المدينة، وقالت إن الحديث عن"
     " استيلاء مسلحين على شاحنة وقود لا أساس له."),
    ("an old attack recalled as background", False,
     "استأنف مستشفى الجلاء في بنغازي استقبال المرضى اليوم بعد أعمال صيانة. يذكر أن تنظيم داعش"
     " هاجم المستشفى بسيارة مفخخة وقتل ثلاثة من العاملين فيه."),
    ("Libya as where an attacker trained", False,
     "أكدت الشرطة المغربية أن منفذ تفجير الدار البيضاء تدرب على صنع المتفجرات في معسكرات"
     " تنظيم داعش في ليبيا قبل عامين."),
    ("Libya as what a cell recruited for", False,
     "اعتقلت السلطات السودانية في الخرطوم شبكة تابعة لتنظيم داعش تجند طلابا للقتال في ليبيا."),
    ("a shared name abroad beside Libya's border", False,
     "قتل خمسة من حرس الحدود المصريين في هجوم تبناه تنظيم داعش في الواحات، وقالت مصادر إن"
     " المهاجمين جاؤوا عبر الحدود الليبية."),
    ("Libya only in a fighter's nom de guerre, the event in Syria", False,
     "سوريا - قتل أربعة مقاتلين في هجوم على حاجز قرب مدينة دير الزور. وقال ناشطون إن التنظيم"
     " نفذ اليوم هجوما انتحاريا نفذه أبو الزبير الليبي."),
    ("a condolence that carries today's news", True,
     "بعث رئيس الحكومة برقية تعزية في ضحايا الهجوم الذي نفذه تنظيم داعش صباح اليوم على مركز"
     " شرطة في هون وقتل فيه شرطيان."),
    ("the arrest of a sleeper cell is news", True,
     "اعتقلت قوة أمنية في سبها اليوم ثلاثة عناصر من خلية نائمة تابعة لتنظيم داعش."),
    ("an attack reported, with the actor's rule as background", True,
     "هاجم مسلحون من تنظيم داعش بوابة أمنية جنوب سرت فجر اليوم وقتلوا جنديين، في المدينة التي"
     " كان التنظيم يسيطر عليها حتى 2016."),
    # The incident's own place follows its word: Libya before it is where the news arrived.
    ("Libyans killed abroad, mourned at home", False,
     "شيعت مدينة مصراتة اليوم ثلاثة سائقين ليبيين قتلوا في هجوم لتنظيم داعش على قافلة شاحنات"
     " شمال مالي."),
    ("a Libyan town, then an attack in it", True,
     "في مدينة هون، أصيب جنديان في هجوم شنه عناصر من داعش على بوابة شمال المدينة فجر اليوم."),
    # Placed only by the country's name, a frame weighs double: such pieces are about the
    # country in general.
    ("a minister's tally of a period, placed only by the country", False,
     "قال وزير الدفاع الليبي اليوم إن خلايا داعش قتلت تسعة جنود في هجمات متفرقة منذ مطلع العام،"
     " مؤكدا أن الجيش يلاحق فلولها."),
    ("a possibility, placed only by the country", False,
     "رجح مصدر استخباراتي ليبي أمس أن التنظيم قد يستهدف منشآت نفطية خلال الشتاء، بعد أن رصد"
     " تحركات لعناصر داعش."),
    ("a strategy, placed only by the country", False,
     "يعتمد داعش في ليبيا استراتيجية الكمائن الليلية ضد الدوريات، بحسب دراسة لمعهد أوروبي."),
    ("an attack placed only by the country, with an expert quoted", True,
     "قتل جنديان ليبيان في هجوم شنه تنظيم داعش على دورية عسكرية فجر اليوم، وقال خبير أمني إن"
     " الهجوم يحمل بصمات التنظيم."),
    ("an arrest placed only by the country, sent to court: the court frame is not doubled", True,
     "أحال جهاز الأمن الداخلي الليبي إلى النيابة العامة اليوم ثلاثة عناصر من خلية لتنظيم داعش"
     " بعد القبض عليهم في عملية أمنية."),
    ("the families of victims years on, placed only by the country", False,
     "طالب أهالي ضحايا هجوم لتنظيم داعش على معسكر ليبي بالكشف عن مصير التعويضات، وقالت أسر"
     " الضحايا إنها تنتظر منذ سنوات."),
    ("a warning placed by the country, a town only in an earlier event's sentence", False,
     "حذر مسؤول ليبي اليوم من هجمات جديدة لداعش. وكانت خلايا التنظيم قد هاجمت بوابة في سبها"
     " الشهر الماضي."),
    ("«they took captive» is a kidnapping", True,
     "أسروا أربعة عمال أجانب من محطة كهرباء في بلدة ودان فجر اليوم، بحسب بيان لتنظيم داعش."),
    ("«his family» is no kidnapping", False,
     "قالت أسرته إن تنظيم داعش ينشط في سرت منذ سنوات وإنها تخشى على أبنائها."),
    ("a strike near the border with a neighbour is in Libya", True,
     "قصف الطيران الليبي أمس موقعا لعناصر داعش قرب الحدود مع تشاد، وقتل أربعة منهم."),
    # Set 17: ISIS and Libya in a text's background.
    ("an actor named only in an earlier event's sentence", False,
     "أصيب حارس في انفجار قنبلة ألقيت على مقر البلدية في غريان فجر اليوم. وكان عناصر من داعش قد"
     " هاجموا مقرات حكومية مماثلة في السنوات الماضية."),
    ("an earlier attack added to the news is still the news's actor", True,
     "قتل شرطي في هجوم على مركز قرب هون اليوم. وقال مسؤول إن المهاجمين من خلية لتنظيم داعش،"
     " مضيفا أن التنظيم نفذ هجوما مماثلا في المدينة قبل عام."),
    ("attackers who trained in a Libyan town attacked abroad", False,
     "قتل خمسة جنود مصريين في هجوم تبناه داعش في شمال سيناء، وقالت القاهرة إن المهاجمين تلقوا"
     " تدريبهم في معسكرات قرب مدينة سرت."),
    ("a crossing named from across the border", False,
     "اشتبكت قوات تونسية مع مسلحين من داعش في ولاية تطاوين جنوب البلاد قرب معبر الذهيبة الحدودي"
     " مع ليبيا، وقتلت ثلاثة منهم."),
    ("families commemorate an attack", False,
     "أحيت أسر الجنود الذين قتلهم تنظيم داعش في هجوم على بوابة قرب سبها ذكرى الهجوم اليوم."),
    ("an attack in Libya by men who came from abroad", True,
     "قتل حارسان في هجوم لتنظيم داعش على حقل نفطي قرب أوباري نفذه مسلحون قدموا من النيجر."),
    # Set 20: general pieces placed only by the country.
    ("every attack on the country's forces is no attack", False,
     "قال تنظيم داعش في بيان إنه يقف وراء كل الهجمات التي تستهدف الجيش الليبي، متوعدا"
     " بعمليات أخرى."),
    ("ready for any attack", False,
     "أكد آمر منطقة عسكرية ليبية أن وحداته في حالة تأهب لأي هجوم محتمل من خلايا داعش."),
    ("a tally since the actor appeared", False,
     "أظهرت أرقام رسمية ليبية أن هجمات داعش أودت بحياة مئات الليبيين منذ ظهور التنظيم قبل"
     " عقد."),
    ("every victim of one attack named: still the attack", True,
     "قتل جميع ركاب السيارة الثلاثة في انفجار عبوة زرعها تنظيم داعش على طريق سبها فجر اليوم."),
    # Set 21: general pieces and incidents at article length.
    ("a warning in a background clause before the news", True,
     "في ظل تحذيرات محللين من عودة تنظيم داعش، فجر انتحاري من التنظيم سيارة مفخخة عند بوابة"
     " الدافنية غرب مصراتة اليوم، ما أدى إلى مقتل أربعة جنود."),
    ("most attacks over years", False,
     "قال آمر المنطقة العسكرية في سبها إن خلايا داعش نفذت أغلب الهجمات التي تعرضت لها"
     " البوابات في المدينة، داعيا إلى دعم قواته."),
    ("a town's fear of the actor's return", False,
     "عبر أعيان بلدة تراغن عن الخوف من عودة تنظيم داعش الذي هاجم البلدة في السنوات الماضية، وطالبوا"
     " الحكومة بنشر قوات إضافية."),
    ("the worst attack in years is an attack", True,
     "قتل ستة جنود في أسوأ هجوم يشنه تنظيم داعش منذ سنوات على بوابة في ودان فجر اليوم."),
    ("an unclaimed attack likened to the actor's", False,
     "قال خبير أمني إن تفجير أمس في سوق بنغازي، الذي لم تتبنه أي جهة، يشبه أسلوب تنظيم داعش"
     " في المدينة قبل سنوات."),
    # set 26: a development of its own after a trial's lead, dated in its own sentence
    ("an arrest «في سياق متصل» after a trial's lead", True,
     "أرجأت محكمة جنايات طرابلس اليوم النظر في قضية متهمين بالانتماء إلى تنظيم داعش إلى الشهر"
     " المقبل. وفي سياق متصل، أعلنت قوة الردع أنها ألقت القبض مساء أمس على عنصر من التنظيم في"
     " منطقة تاجوراء."),
    ("the trial's own past «في سياق متصل» is no development", False,
     "أرجأت محكمة جنايات طرابلس اليوم النظر في قضية متهمين بالانتماء إلى تنظيم داعش. وفي سياق"
     " متصل، قالت النيابة إن المتهمين ألقي القبض عليهم في منطقة تاجوراء قبل عامين."),
    # set 28's classes: pieces beside the actor that report nothing new, and the news they
    # must not swallow
    ("a joint exercise storms a mock hideout", False,
     "اختتمت اليوم في قاعدة براك الشاطئ فعاليات التدريب العسكري المشترك بين الجيش الليبي وقوة"
     " جزائرية، وشملت اقتحام مخبأ لعناصر من تنظيم داعش وتفجير عبوات."),
    ("the actor's footage never shown before", False,
     "بثت حسابات موالية لتنظيم داعش أمس مشاهد غير منشورة لهجوم عناصره على بوابة الثلاثين في"
     " سرت."),
    ("a school reopened where the actor ruled", False,
     "شهدت مدرسة في مدينة درنة اليوم أول يوم دراسي بعد ترميمها، وكان تنظيم داعش قد نفذ في"
     " ساحتها عمليات إعدام."),
    # (decided «أمس» in the bombing's own sentence, the compensation carries news: left alone)
    ("compensation for the dead of an old bombing", False,
     "أقرت الحكومة صرف تعويضات لأسر قتلى تفجير شاحنة مفخخة نفذه تنظيم داعش في زليتن وقتل فيه"
     " عشرات المتدربين."),
    ("compensation promised beside today's attack", True,
     "تعهد رئيس الحكومة بصرف تعويضات لأسر ثلاثة جنود قتلوا في هجوم شنه تنظيم داعش فجر اليوم على"
     " بوابة في أوباري."),
    ("a fatwa against the actor's killings", False,
     "أصدرت دار الإفتاء أمس فتوى تحرم الانضمام إلى تنظيم داعش وتعد قتل الجنود في سبها وغيرها من"
     " الكبائر."),
    ("a travel advisory names the actor's attacks", False,
     "أبقت وزارة الخارجية الكندية اليوم على نصيحتها بعدم السفر إلى الجنوب الليبي، وقالت إن"
     " عناصر داعش هاجموا نقاطا عسكرية في مرزق وخطفوا أجانب."),
    ("a travel advisory raised after yesterday's bombing", True,
     "شددت دولة أوروبية تحذيرها من السفر إلى جنوب ليبيا بعد تفجير انتحاري تبناه تنظيم داعش أمس"
     " عند بوابة مدينة سبها وقتل فيه أربعة جنود."),
    ("a fact-check: the footage is old", False,
     "«مقطع هجوم داعش على بوابة أوباري» قديم: تداولت صفحات أمس فيديو قالت إنه لهجوم شنه التنظيم"
     " اليوم على البوابة وقتل فيه خمسة جنود."),
    ("a fact-check confirms today's attack", True,
     "أكدت منصة للتحقق أن مقطع الهجوم الذي شنه تنظيم داعش فجر اليوم على بوابة في أوباري صور"
     " فعلا هناك، وقال الجيش إن ثلاثة جنود قتلوا فيه."),
]  # fmt: skip


@pytest.mark.parametrize(("about", "incident", "text"), FRAMES, ids=[f[0] for f in FRAMES])
def test_frame(about: str, incident: bool, text: str) -> None:
    found = detector().detect(Document(text=text, published=PUBLISHED))
    assert found.is_incident is incident, f"{about}: {found.why}"
    if not incident:
        assert not found.reportable, f"{about}: {found.why}"
