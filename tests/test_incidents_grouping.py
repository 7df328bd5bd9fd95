"""Grouping rules beyond place, type and day, on our own Arabic reports through the real detector.

Each case is a stream of reports and the events they tell: reports of one event must share one
incident, reports of different events must not. The rules are in docs/incidents.md.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from crawler.detect.text.normalise import normalise
from crawler.incidents.book import IncidentBook
from crawler.incidents.decision import Outcome
from crawler.incidents.incident import Incident
from crawler.incidents.markers import (
    TARGETS,
    actor_says,
    follows_up,
    names_of,
    other_sides,
    refers_back,
    roles_of,
    target_of,
    tells_another,
)
from crawler.incidents.minhash import COMMON_WORDS, similarity, term_signature
from crawler.incidents.pairs import count_pairs
from tests.conftest import ROOT, raqib
from tests.support import incident_reports as r
from tests.support.incident_reports import Dispatch

CHALLENGE = ROOT / "tests" / "data" / "grouping_challenge.jsonl"
CHALLENGE2 = ROOT / "tests" / "data" / "grouping_challenge2.jsonl"
CHALLENGE3 = ROOT / "tests" / "data" / "grouping_challenge3.jsonl"
CHALLENGE4 = ROOT / "tests" / "data" / "grouping_challenge4.jsonl"
CHALLENGE6 = ROOT / "tests" / "data" / "grouping_challenge6.jsonl"
CHALLENGE7 = ROOT / "tests" / "data" / "grouping_challenge7.jsonl"
CHALLENGE8 = ROOT / "tests" / "data" / "grouping_challenge8.jsonl"
CHALLENGE9 = ROOT / "tests" / "data" / "grouping_challenge9.jsonl"
CHALLENGE10 = ROOT / "tests" / "data" / "grouping_challenge10.jsonl"
CHALLENGE11 = ROOT / "tests" / "data" / "grouping_challenge11.jsonl"
CHALLENGE12 = ROOT / "tests" / "data" / "grouping_challenge12.jsonl"
CHALLENGE13 = ROOT / "tests" / "data" / "grouping_challenge13.jsonl"
CHALLENGE14 = ROOT / "tests" / "data" / "grouping_challenge14.jsonl"
MORNING = datetime(2025, 2, 17, 8, tzinfo=UTC)


def _at(hours: float = 0, days: int = 0) -> datetime:
    return MORNING + timedelta(days=days, hours=hours)


def _dispatch(outlet: str, slug: str, title: str, text: str, when: datetime) -> Dispatch:
    return Dispatch(outlet, slug, title, (text,), when)


# (name, [(dispatch, dated, event)]): reports in stream order, `event` the one each tells.
CASES: list[tuple[str, list[tuple[Dispatch, bool, str]]]] = [
    (
        "undated, one city, nothing but place and type in common: two events",
        [
            (_dispatch("فزان اليوم", "misrata-fuel", "انفجار عبوة قرب محطة وقود في مصراتة",
                       "انفجرت عبوة ناسفة زرعها عناصر من تنظيم داعش قرب محطة وقود في مدينة "
                       "مصراتة، وألحقت أضرارا بالسيارات المتوقفة في المكان.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "misrata-court", "تفجير سيارة مفخخة أمام النيابة بمصراتة",
                       "فجر عناصر من تنظيم داعش سيارة مفخخة أمام مقر النيابة العامة في مصراتة، "
                       "ما تسبب في انهيار جزء من واجهة المبنى.", _at()), False, "b"),
        ],
    ),
    (
        "undated, one city, the same dead: one event",
        [
            (_dispatch("فزان اليوم", "ajdabiya-camp", "هجوم لداعش على معسكر في أجدابيا",
                       "قتل أربعة جنود وأصيب سبعة آخرون في هجوم شنه تنظيم داعش على معسكر للجيش "
                       "في مدينة أجدابيا.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "ajdabiya-site", "مقتل 4 عسكريين في أجدابيا",
                       "هاجم مسلحو داعش موقعا عسكريا في أجدابيا بالأسلحة الرشاشة، وأسفر الهجوم "
                       "عن مقتل 4 عسكريين وجرح 7.", _at()), False, "a"),
        ],
    ),
    (
        "undated, one city, a toll that rose and the same words: one event; a lower toll: another",
        [
            (_dispatch("الجنوب نيوز", "gharyan-school", "هجوم انتحاري على مركز تدريب الشرطة في غريان",
                       "قتل ثلاثة من عناصر الأمن في هجوم انتحاري بحزام ناسف نفذه عنصر من تنظيم "
                       "داعش داخل مركز تدريب الشرطة في مدينة غريان.", _at()), False, "a"),
            (_dispatch("الوسط الليبي", "gharyan-school-2", "خمسة قتلى في هجوم مركز تدريب غريان",
                       "قتل خمسة من عناصر الأمن في الهجوم الانتحاري بالحزام الناسف الذي نفذه "
                       "عنصر من داعش داخل مركز تدريب الشرطة بغريان، وفق مصدر طبي.", _at()),
             False, "a"),
            (_dispatch("فزان اليوم", "gharyan-market", "تفجير انتحاري في سوق بغريان",
                       "قتل شخص واحد في تفجير انتحاري تبناه تنظيم داعش استهدف سوقا شعبية في "
                       "غريان.", _at()), False, "b"),
        ],
    ),
    (
        "a quarter read as a far oil field, the same dead and wounded, one day: one event",
        [
            (_dispatch("وكالة الصحراء للأنباء", "tripoli-blast", "تفجير سيارة مفخخة في طرابلس",
                       "قتل خمسة مدنيين وأصيب أحد عشر آخرون في انفجار سيارة مفخخة تبناه تنظيم "
                       "داعش قرب سوق شعبية وسط العاصمة طرابلس.", _at(1)), True, "a"),
            (_dispatch("المرصد الليبي", "dahra-blast", "خمسة قتلى بانفجار في الظهرة",
                       "انفجرت سيارة مفخخة في منطقة الظهرة ظهر اليوم، ما أدى إلى مقتل خمسة "
                       "مدنيين وإصابة أحد عشر، وتبنى تنظيم داعش التفجير.", _at(3)), True, "a"),
        ],
    ),
    (
        "a village 68 km from the city named, one district, the same toll: one event",
        [
            (_dispatch("الجنوب نيوز", "harawa-gate", "هجوم على بوابة في هراوة",
                       "قتل جنديان وأصيب ثلاثة في هجوم بسيارة مفخخة شنه تنظيم داعش على بوابة "
                       "أمنية في بلدة هراوة فجر اليوم.", _at()), True, "a"),
            (_dispatch("الوسط الليبي", "sirte-gate", "تفجير عند بوابة شرق سرت",
                       "أعلن الجيش مقتل جنديين وإصابة ثلاثة في تفجير سيارة مفخخة لتنظيم داعش "
                       "عند بوابة شرق مدينة سرت فجر اليوم.", _at(2)), True, "a"),
        ],
    ),
    (
        "two towns 12 km apart, one day, an ambush and a bombing: two events",
        [
            (_dispatch("فزان اليوم", "bayda-ambush", "كمين لداعش قرب البيضاء",
                       "قتل جنديان في كمين نصبه عناصر من تنظيم داعش لدورية عسكرية قرب مدينة "
                       "البيضاء صباح اليوم.", _at()), True, "a"),
            (_dispatch("ليبيا الآن", "shahhat-blast", "انفجار عبوة في شحات",
                       "أصيب خمسة أشخاص بانفجار عبوة ناسفة زرعتها خلية تابعة لتنظيم داعش أمام "
                       "مصرف في مدينة شحات.", _at(6)), True, "b"),
        ],
    ),
    (
        "a toll that rose, five days on: the same event; another attack there then: another",
        [
            (_dispatch("وكالة الصحراء للأنباء", "zawiya-blast", "تفجير سيارة مفخخة في الزاوية",
                       "قتل ثلاثة أشخاص وأصيب تسعة في انفجار سيارة مفخخة تبناه تنظيم داعش قرب "
                       "مديرية الأمن في مدينة الزاوية.", _at()), True, "a"),
            (_dispatch("المرصد الليبي", "zawiya-toll", "ارتفاع قتلى تفجير الزاوية إلى سبعة",
                       "ارتفع عدد قتلى تفجير السيارة المفخخة الذي تبناه تنظيم داعش قرب مديرية "
                       "الأمن في الزاوية إلى سبعة بعد وفاة أربعة من الجرحى.", _at(days=5)),
             True, "a"),
            (_dispatch("الوسط الليبي", "zawiya-ied", "انفجار عبوة ناسفة في الزاوية",
                       "أصيب شرطي بانفجار عبوة ناسفة زرعها عناصر من تنظيم داعش تحت سيارته في "
                       "مدينة الزاوية.", _at(days=5, hours=2)), True, "b"),
        ],
    ),
    (
        "undated, one town, an assassination and the clashes after it: one event",
        [
            (_dispatch("فزان اليوم", "marj-colonel", "اغتيال آمر سرية في المرج",
                       "اغتال عناصر من تنظيم داعش آمر سرية الاستطلاع العقيد مبروك الفاخري برصاص "
                       "أطلقوه عليه قرب منزله في مدينة المرج.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "marj-clashes", "اشتباكات عنيفة في المرج",
                       "تدور اشتباكات عنيفة منذ الفجر بين الجيش وعناصر من تنظيم داعش تحصنوا في "
                       "أحد أحياء المرج، بعد ساعات من مقتل آمر سرية برصاصهم.", _at()), False, "a"),
        ],
    ),
    (
        "undated, the victim named by both, one names no town: one event; another victim: another",
        [
            (_dispatch("الوسط الليبي", "benghazi-imam", "اغتيال إمام مسجد في بنغازي",
                       "قتل إمام وخطيب مسجد التوحيد الشيخ سالم بوزريبة برصاص مسلحين من تنظيم "
                       "داعش بعد خروجه من صلاة الفجر في بنغازي.", _at()), False, "a"),
            (_dispatch("المرصد الليبي", "imam-mourned", "داعش يتبنى قتل الشيخ بوزريبة",
                       "تبنى تنظيم داعش في ليبيا اغتيال الشيخ سالم بوزريبة، وقال في بيان إن عناصره "
                       "أطلقوا النار عليه لأنه حرض على قتالهم من فوق المنبر.", _at()),
             False, "a"),
            (_dispatch("فزان اليوم", "benghazi-officer", "اغتيال ضابط في بنغازي",
                       "اغتال مسلحون من تنظيم داعش الرائد عادل الشيخي أمام منزله في بنغازي "
                       "بإطلاق النار عليه من سيارة مسرعة.", _at()), False, "b"),
        ],
    ),
    (
        "undated, towns 65 km apart in one district, only the dead in common: two events",
        [
            (_dispatch("الجنوب نيوز", "sirte-blast", "تفجير سيارة مفخخة في سرت",
                       "قتل شخصان وأصيب ستة في انفجار سيارة مفخخة تبناه تنظيم داعش قرب تجمع "
                       "لقوات الجيش في مدينة سرت.", _at()), False, "a"),
            (_dispatch("الوسط الليبي", "harawa-execution", "داعش يعدم شابين في هراوة",
                       "أعدم عناصر تنظيم داعش شابين رميا بالرصاص في بلدة هراوة بعد أن نصبوا لهما "
                       "كمينا، وأصيب ثلاثة آخرون.", _at()), False, "b"),
        ],
    ),
    (
        "undated, one town, two reports of a bomb that hurt no one: one event",
        [
            (_dispatch("فزان اليوم", "murzuq-gate", "تفجير عند بوابة مرزق",
                       "انفجرت عبوة ناسفة زرعها تنظيم داعش عند البوابة الشمالية لمدينة مرزق، ولم "
                       "يسفر الانفجار عن قتلى أو جرحى.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "murzuq-vehicle", "لغم يستهدف عربة عسكرية في مرزق",
                       "قال الناطق باسم الكتيبة 177 مشاة إن لغما أرضيا زرعه عناصر داعش على طريق "
                       "دورية عسكرية في مرزق أعطب إحدى العربات صباحا، ولم يصب أحد بأذى ولم يقتل "
                       "أحد من أفرادها.", _at()), False, "a"),
        ],
    ),
    (
        "undated, by region and by no place, 22 and 24 executed: one event; 12 soldiers: another",
        [
            (_dispatch("فزان اليوم", "south-prisoners", "داعش يعدم 22 سجينا في جنوب ليبيا",
                       "بث تنظيم داعش صورا تظهر إعدام 22 سجينا من أبناء القبائل رميا بالرصاص في "
                       "منطقة صحراوية بجنوب ليبيا، قال إنهم قاتلوا في صفوف الجيش.", _at()),
             False, "a"),
            (_dispatch("الوسط الليبي", "prisoners-statement", "مجزرة جديدة لداعش: إعدام 24 رجلا",
                       "أعدم تنظيم داعش في ليبيا 24 رجلا أسرهم خلال الأسابيع الماضية، وفق ما "
                       "أعلن التنظيم في بيان.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "south-camp", "مقتل 12 جنديا في هجوم على معسكر جنوب ليبيا",
                       "قتل 12 جنديا في هجوم شنه تنظيم داعش على معسكر للجيش في جنوب ليبيا، وفق "
                       "مصدر عسكري.", _at()), False, "b"),
        ],
    ),
    (
        "a raid that ended in a firefight, told as a raid and as clashes: one event",
        [
            (_dispatch("وكالة الصحراء للأنباء", "gharyan-clash", "اشتباكات مع خلية لداعش في غريان",
                       "اندلعت اشتباكات بين قوة أمنية وخلية تابعة لتنظيم داعش في مزرعة جنوب غريان "
                       "فجر اليوم، أسفرت عن مقتل ثلاثة من عناصر القوة.", _at()), True, "a"),
            (_dispatch("المرصد الليبي", "gharyan-raid", "مداهمة وكر لداعش في غريان",
                       "داهمت قوة أمنية فجر اليوم مزرعة يتحصن فيها عناصر من تنظيم داعش جنوب "
                       "غريان، وانتهت المداهمة بمقتل ثلاثة من عناصر القوة.", _at(2)), True, "a"),
        ],
    ),
    (
        "a city and one of its quarters, the dead counted three, then four: one event",
        [
            (_dispatch("وكالة الصحراء للأنباء", "benghazi-gate-bomb", "تفجير سيارة مفخخة عند بوابة في بنغازي",
                       "قتل ثلاثة جنود وأصيب ستة في انفجار سيارة مفخخة عند بوابة عسكرية في مدينة "
                       "بنغازي صباح اليوم، وتبنى تنظيم داعش التفجير.", _at()), True, "a"),
            (_dispatch("المرصد الليبي", "sabri-gate-bomb", "أربعة قتلى في تفجير بوابة الصابري",
                       "ارتقى أربعة من أفراد الجيش وجرح ستة في تفجير سيارة مفخخة لتنظيم داعش عند "
                       "بوابة حي الصابري ظهر اليوم.", _at(4)), True, "a"),
        ],
    ),
    (
        "the attackers arrested five days on: the same event; another cell taken then: another",
        [
            (_dispatch("فزان اليوم", "misrata-gate-attack", "هجوم على بوابة أمنية في مصراتة",
                       "قتل شرطيان في هجوم شنه مسلحون من تنظيم داعش على بوابة أمنية عند المدخل "
                       "الجنوبي لمدينة مصراتة فجر اليوم.", _at()), True, "a"),
            (_dispatch("ليبيا الآن", "misrata-attackers-held", "القبض على منفذي هجوم بوابة مصراتة",
                       "أعلنت مديرية أمن مصراتة القبض على ثلاثة من عناصر تنظيم داعش نفذوا الهجوم "
                       "على البوابة الجنوبية للمدينة الذي قتل فيه شرطيان، وضبطت أسلحتهم.",
                       _at(days=5)), True, "a"),
            (_dispatch("الوسط الليبي", "misrata-cell", "تفكيك خلية لداعش في مصراتة",
                       "فككت الأجهزة الأمنية خلية نائمة لتنظيم داعش في مصراتة وضبطت بحوزة "
                       "عناصرها الأربعة متفجرات وأحزمة ناسفة كانوا يعدونها لهجمات.",
                       _at(days=5, hours=3)), True, "b"),
        ],
    ),
    (
        "a soldier who died of his wounds four days on, named: the same event",
        [
            (_dispatch("الجنوب نيوز", "ubari-patrol", "هجوم على دورية للجيش في أوباري",
                       "قتل جندي وأصيب اثنان في هجوم شنه عناصر من تنظيم داعش على دورية للجيش "
                       "قرب مدينة أوباري.", _at()), True, "a"),
            (_dispatch("فزان اليوم", "ubari-wounded-dies", "وفاة جندي أصيب في هجوم أوباري",
                       "توفي الجندي سالم الطارقي متأثرا بجراح أصيب بها في هجوم تنظيم داعش على "
                       "دورية الجيش في أوباري، ليرتفع عدد القتلى إلى اثنين.", _at(days=4)),
             True, "a"),
        ],
    ),
    (
        "the funeral two days on: the same event",
        [
            (_dispatch("الوسط الليبي", "zliten-mosque-blast", "تفجير قرب مسجد في زليتن",
                       "قتل ثلاثة مصلين وأصيب ثمانية في انفجار عبوة ناسفة زرعها عناصر من تنظيم "
                       "داعش قرب مسجد في مدينة زليتن.", _at()), True, "a"),
            (_dispatch("ليبيا الآن", "zliten-funeral", "زليتن تشيع ضحايا التفجير",
                       "شيع آلاف من أهالي زليتن جثامين المصلين الثلاثة الذين قتلوا في التفجير "
                       "الإرهابي قرب المسجد، وسط هتافات ضد تنظيم داعش.", _at(days=2)),
             True, "a"),
        ],
    ),
    (
        "the claim the next day, boasting of the weapons it seized: the same event",
        [
            (_dispatch("فزان اليوم", "jufra-gate", "هجوم على بوابة في الجفرة",
                       "قتل جنديان في هجوم شنه عناصر من تنظيم داعش على بوابة عسكرية عند مدخل مدينة "
                       "هون فجر اليوم.", _at()), True, "a"),
            (_dispatch("المرصد الليبي", "jufra-claim", "داعش يتبنى هجوما في هون",
                       "تبنى تنظيم داعش الهجوم على نقطة للجيش في هون، وقال إن مقاتليه قتلوا خمسة "
                       "جنود واستولوا على أسلحتهم وسيارتين.", _at(days=1)), True, "a"),
        ],
    ),
    (
        "a day misread from an earlier attack the report recalls, the same toll: one event",
        [
            (_dispatch("فزان اليوم", "gharyan-gate", "هجوم على بوابة غريان",
                       "قتل جنديان وأصيب ثلاثة في هجوم شنه عناصر من تنظيم داعش على بوابة أمنية "
                       "عند مدخل مدينة غريان صباح اليوم.", _at()), True, "a"),
            (_dispatch("الوسط الليبي", "gharyan-gate-again", "مقتل جنديين بهجوم على بوابة غريان",
                       "أعلن مصدر عسكري مقتل جنديين وإصابة ثلاثة بهجوم لعناصر داعش استهدف البوابة "
                       "الأمنية عند مدخل مدينة غريان، بعد هجوم مماثل على البوابة نفسها في 3 يناير "
                       "الماضي.", _at(3)), True, "a"),
        ],
    ),
    (
        "undated, one town, a gate and then «a new attack» on its power station: two events",
        [
            (_dispatch("فزان اليوم", "hun-gate", "هجوم على بوابة هون",
                       "قتل جنديان وأصيب آخر في هجوم شنه عناصر من تنظيم داعش على بوابة عسكرية عند "
                       "المدخل الشرقي لمدينة هون.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "hun-power", "هجوم جديد على هون يقتل ثلاثة حراس",
                       "قتل ثلاثة من حراس محطة الكهرباء في هون في هجوم شنه عناصر من تنظيم داعش، في "
                       "ثاني هجوم يستهدف المدينة خلال أيام.", _at()), False, "b"),
        ],
    ),
    (
        "undated, one town, a checkpoint and a gate, the count rising: one event",
        [
            (_dispatch("الجنوب نيوز", "murzuq-checkpoint", "هجوم على نقطة تفتيش في مرزق",
                       "قتل جنديان في هجوم شنه عناصر من تنظيم داعش على نقطة تفتيش عند مدخل مدينة "
                       "مرزق، ونقل جريح إلى مستشفى المدينة.", _at()), False, "a"),
            (_dispatch("المرصد الليبي", "murzuq-gate-three", "ثلاثة قتلى في هجوم بوابة مرزق",
                       "ارتقى ثلاثة جنود في هجوم لتنظيم داعش على البوابة الشمالية لمرزق، بعد وفاة "
                       "جريح في مستشفى المدينة.", _at()), False, "a"),
        ],
    ),
    (
        "undated, a city and its quarter, the same target: one event",
        [
            (_dispatch("وكالة الصحراء للأنباء", "sirte-station-car", "سيارة مفخخة قرب مركز شرطة في سرت",
                       "انفجرت سيارة مفخخة قرب مركز للشرطة في مدينة سرت، وتبنى تنظيم داعش "
                       "التفجير دون أن تعلن حصيلة.", _at()), False, "a"),
            (_dispatch("المرصد الليبي", "dollar-station-car", "تفجير أمام مركز شرطة حي الدولار",
                       "فجر انتحاري من تنظيم داعش سيارة مفخخة أمام مركز شرطة حي الدولار، وأضرت "
                       "بواجهة المبنى والسيارات المتوقفة.", _at()), False, "a"),
        ],
    ),
    (
        "undated, the actor's inflated figure, then a lower count: one event",
        [
            (_dispatch("وكالة الصحراء للأنباء", "khoms-gate-wire", "قتلى في هجوم على بوابة في الخمس",
                       "قتل ثلاثة من عناصر الأمن وأصيب أربعة في هجوم شنه مسلحون من تنظيم داعش "
                       "على بوابة أمنية عند مدخل مدينة الخمس.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "khoms-gate-claim", "داعش يتبنى الهجوم على حاجز الخمس",
                       "أعلن تنظيم داعش مسؤوليته عن الهجوم على حاجز للمرتدين عند مدخل مدينة الخمس، زاعما أن "
                       "مقاتليه قتلوا ثلاثين عنصرا.", _at(3)), False, "a"),
            (_dispatch("المرصد الليبي", "khoms-gate-next", "الخمس بعد الهجوم على البوابة",
                       "بعد يوم من هجوم داعش على بوابة مدخل الخمس الذي قتل فيه أربعة من عناصر "
                       "الأمن، عززت المدينة حراسة مداخلها.", _at(days=1)), False, "a"),
        ],
    ),
    (
        "undated, one city, a patrol and a checkpoint, alike in words: two attacks",
        [
            (_dispatch("وكالة الصحراء للأنباء", "tobruk-checkpoint", "هجوم على نقطة تفتيش في طبرق",
                       "قتل جنديان في هجوم لتنظيم داعش استهدف نقطة تفتيش للجيش عند المدخل "
                       "الغربي لمدينة طبرق.", _at()), False, "a"),
            (_dispatch("المرصد الليبي", "tobruk-patrol", "عبوة ناسفة تستهدف دورية في طبرق",
                       "أصيب جنديان في انفجار عبوة ناسفة لتنظيم داعش استهدفت دورية للجيش عند "
                       "المدخل الغربي لمدينة طبرق.", _at()), False, "b"),
        ],
    ),
    (
        "undated, one town, a gate on its south and one on its north: two attacks",
        [
            (_dispatch("وكالة الصحراء للأنباء", "ubari-south-gate", "هجوم على بوابة جنوب أوباري",
                       "قتل عنصران من الأمن في هجوم شنه تنظيم داعش على بوابة أمنية جنوب مدينة "
                       "أوباري.", _at()), False, "a"),
            (_dispatch("فزان اليوم", "ubari-north-gate", "ثلاثة قتلى في هجوم على بوابة أوباري",
                       "قتل ثلاثة من عناصر الأمن في هجوم شنه تنظيم داعش على البوابة الشمالية "
                       "لمدينة أوباري.", _at()), False, "b"),
        ],
    ),
    (
        "undated, two doctors' bodies and a clash that killed two fighters: two events",
        [
            (_dispatch("فزان اليوم", "derna-doctors", "خطف طبيبين قرب درنة",
                       "خطف مسلحون يعتقد أنهم من تنظيم داعش طبيبين على الطريق بين درنة والقبة.",
                       _at()), False, "a"),
            (_dispatch("ليبيا الآن", "derna-doctors-found", "العثور على جثتي الطبيبين",
                       "عثر الأهالي على جثتي الطبيبين المخطوفين شرق درنة، وحملت النقابة تنظيم داعش"
                       " مسؤولية قتلهما.", _at(hours=5)), False, "a"),
            (_dispatch("الوسط الليبي", "derna-clash", "اشتباكات في درنة",
                       "اندلعت اشتباكات بين مقاتلي مجلس شورى درنة وعناصر تنظيم داعش في حي شيحا"
                       " بدرنة أسفرت عن مقتل اثنين من مقاتلي المجلس.", _at(hours=9)), False, "b"),
        ],
    ),
    (
        "undated, a doctor killed, named by one report only: one event",
        [
            (_dispatch("وكالة الصحراء للأنباء", "sabha-doctor", "اغتيال طبيب في سبها",
                       "اغتال مسلحون من تنظيم داعش طبيبا أمام عيادته في مدينة سبها.", _at()),
             False, "a"),
            (_dispatch("فزان اليوم", "sabha-doctor-named", "داعش يتبنى قتل الطبيب في سبها",
                       "أعلن فرع داعش في الجنوب مسؤوليته عن قتل الطبيب فرج الزوي رميا بالرصاص، "
                       "قائلا إنه كان يعالج جنود الجيش في سبها.", _at(days=1)), False, "a"),
        ],
    ),
    (
        "undated: a report that gives the held toll among other figures is the same event",
        [
            (_dispatch("فزان اليوم", "derna-clashes", "اشتباكات في درنة",
                       "قتل تسعة من أبناء مدينة درنة في اشتباكات مع عناصر تنظيم داعش قرب حي "
                       "الساحل.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "derna-massacre", "مجازر داعش في درنة",
                       "ارتكب تنظيم داعش مجزرة في مدينة درنة راح ضحيتها أربعون شخصا، فيما أقدم "
                       "على صلب تسعة شبان في ساحة عامة.", _at(hours=5)), False, "a"),
            (_dispatch("الوسط الليبي", "derna-other", "داعش يفجر سيارة في درنة",
                       "قتل أربعة أشخاص في تفجير سيارة مفخخة تبناه تنظيم داعش قرب سوق في مدينة "
                       "درنة.", _at(hours=9)), False, "b"),
        ],
    ),
    (
        "undated: a town told with a side and a village in its district; a toll that rose",
        [
            (_dispatch("الوسط الليبي", "sirte-toll-rose", "ارتفاع قتلى كمين جنوب سرت",
                       "ارتفعت حصيلة قتلى الكمين الذي نصبه عناصر تنظيم داعش لدورية عسكرية جنوب "
                       "سرت إلى خمسة جنود، بعد وفاة اثنين من الجرحى في المستشفى.", _at()),
             False, "a"),
            (_dispatch("فزان اليوم", "gadahiya-ambush", "كمين لداعش قرب القداحية",
                       "قتل ثلاثة جنود في كمين نصبه عناصر من تنظيم داعش لدورية عسكرية قرب بلدة "
                       "القداحية جنوبي سرت، وفر المهاجمون نحو الصحراء.", _at(hours=2)),
             False, "a"),
            (_dispatch("ليبيا الآن", "sirte-mourning", "الكتيبة تنعى جنودها",
                       "نعت كتيبة عسكرية خمسة من جنودها قتلوا في كمين لتنظيم داعش استهدف "
                       "دوريتهم جنوب مدينة سرت.", _at(hours=5)), False, "a"),
        ],
    ),
    (
        "undated, one town, a patrol and a checkpoint, two dead each: two events",
        [
            (_dispatch("فزان اليوم", "walid-patrol", "هجوم على دورية في بني وليد",
                       "قتل جنديان وأصيب ثلاثة آخرون في هجوم شنه عناصر تنظيم داعش على دورية "
                       "عسكرية في مدينة بني وليد.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "walid-checkpoint", "هجوم على بوابة في بني وليد",
                       "قتل جنديان وأصيب سبعة في هجوم لتنظيم داعش على بوابة أمنية في مدينة "
                       "بني وليد.", _at(hours=3)), False, "b"),
        ],
    ),
    (
        "undated: a village east of a city and the city itself, two dead each: two events",
        [
            (_dispatch("فزان اليوم", "harawa-execution", "إعدام شابين في هراوة",
                       "أعدم عناصر تنظيم داعش شابين رميا بالرصاص في ساحة بلدة هراوة شرق سرت "
                       "بتهمة التعاون مع الجيش.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "sirte-car-bomb", "تفجير سيارة مفخخة في سرت",
                       "قتل جنديان وأصيب ستة في تفجير سيارة مفخخة تبناه تنظيم داعش قرب تجمع "
                       "للقوات الحكومية في مدينة سرت.", _at(hours=4)), False, "b"),
        ],
    ),
    (
        "undated: a massacre's report that also tells a crucifixion, then the crucifixion",
        [
            (_dispatch("الوسط الليبي", "sirte-massacre", "مجزرة لداعش في سرت",
                       "ارتكب تنظيم داعش مجزرة في مدينة سرت راح ضحيتها خمسون شخصا من أبناء "
                       "المدينة، كما أقدم على صلب سبعة منهم في دوار الزعفران.", _at()),
             False, "a"),
            (_dispatch("فزان اليوم", "sirte-crucified", "داعش يصلب سبعة في سرت",
                       "أقدم تنظيم داعش على صلب سبعة أشخاص في مدينة سرت بعد إعدامهم، وعلق "
                       "جثثهم في دوار وسط المدينة.", _at(hours=6)), False, "a"),
        ],
    ),
    (
        "undated: the actor's count first, then the news' far lower count of one attack",
        [
            (_dispatch("المرصد الليبي", "waddan-claim", "داعش يتبنى هجوم ودان",
                       "أعلن تنظيم داعش في بيان أن مقاتليه قتلوا خمسة عشر من عناصر الجيش في "
                       "هجوم على بوابة أمنية عند مدخل مدينة ودان.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "waddan-gate", "مقتل ثلاثة جنود في ودان",
                       "قتل ثلاثة جنود وأصيب اثنان في هجوم شنه عناصر من تنظيم داعش على بوابة "
                       "أمنية في مدينة ودان، بحسب مصدر عسكري.", _at(hours=3)), False, "a"),
        ],
    ),
    (
        "undated: the final count first, the early one read later, one camp: one event",
        [
            (_dispatch("الوسط الليبي", "zliten-camp-final", "تسعة قتلى في تفجير معسكر زليتن",
                       "ارتفع عدد قتلى التفجير الانتحاري الذي استهدف معسكرا لتدريب الشرطة في "
                       "زليتن إلى تسعة، وتبناه تنظيم داعش.", _at()), False, "a"),
            (_dispatch("فزان اليوم", "zliten-camp-early", "تفجير انتحاري في معسكر بزليتن",
                       "قتل أربعة أشخاص في تفجير انتحاري نفذه عنصر من داعش داخل معسكر لتدريب "
                       "الشرطة في مدينة زليتن.", _at(hours=1)), False, "a"),
            (_dispatch("ليبيا الآن", "zliten-market", "انفجار سيارة في سوق زليتن",
                       "قتل شخصان في انفجار سيارة مفخخة تبناه تنظيم داعش قرب سوق الخضار في "
                       "مدينة زليتن.", _at(hours=2)), False, "b"),
        ],
    ),
    (
        "undated: engineers taken at a field, the company's word, a report by region only",
        [
            (_dispatch("فزان اليوم", "field-engineers", "خطف مهندسين من حقل الفيل",
                       "خطف مسلحون من تنظيم داعش ثلاثة مهندسين أتراك يعملون في حقل الفيل "
                       "النفطي بعد أن هاجموا موقع الشركة.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "company-engineers", "الشركة تؤكد خطف مهندسيها",
                       "أكدت الشركة المشغلة لحقل الفيل أن عناصر من داعش اختطفوا ثلاثة من "
                       "مهندسيها الأتراك.", _at(hours=2)), False, "a"),
            (_dispatch("الوسط الليبي", "south-engineers", "خطف مهندسين أجانب في الجنوب",
                       "أفادت مصادر محلية بخطف ثلاثة مهندسين أتراك في الجنوب الليبي على أيدي "
                       "مسلحين من تنظيم داعش.", _at(hours=4)), False, "a"),
            (_dispatch("المرصد الليبي", "ubari-drivers", "خطف سائقين قرب أوباري",
                       "خطف عناصر من تنظيم داعش سائقي شاحنتين على الطريق قرب أوباري وطالبوا "
                       "بفدية.", _at(hours=5)), False, "b"),
        ],
    ),
    (
        "undated: the actor's count first, then «rose to» a count above the news' own",
        [
            (_dispatch("المرصد الليبي", "qatrun-claim", "داعش يزعم قتل عشرين",
                       "زعم تنظيم داعش في بيان أن مقاتليه قتلوا عشرين جنديا في هجوم على "
                       "مركز حدودي قرب القطرون واستولوا على أسلحتهم.", _at()), False, "a"),
            (_dispatch("الجنوب نيوز", "qatrun-post", "هجوم على مركز حدودي قرب القطرون",
                       "قتل ثلاثة جنود في هجوم شنه عناصر من تنظيم داعش على مركز حدودي قرب "
                       "القطرون.", _at(hours=1)), False, "a"),
            (_dispatch("فزان اليوم", "qatrun-rose", "ارتفاع حصيلة هجوم القطرون",
                       "ارتفعت حصيلة قتلى الهجوم الذي شنه تنظيم داعش على المركز الحدودي قرب "
                       "القطرون إلى أربعة بعد وفاة جندي متأثرا بجراحه.", _at(hours=3)),
             False, "a"),
        ],
    ),
    (
        "undated, placed only by the country: the victims' nationality tells the execution",
        [
            (_dispatch("فزان اليوم", "eritreans-video", "داعش يبث إعدام مهاجرين",
                       "بث تنظيم داعش تسجيلا مصورا يظهر إعدام عشرين مهاجرا إريتريا في ليبيا.",
                       _at()), False, "a"),
            (_dispatch("ليبيا الآن", "eritreans-south", "إعدام إريتريين في الجنوب",
                       "أعدم تنظيم داعش مهاجرين إريتريين في الجنوب الليبي ونشر صور العملية.",
                       _at(hours=2)), False, "a"),
            (_dispatch("الوسط الليبي", "egyptians-shot", "إعدام عمال مصريين",
                       "أعدم تنظيم داعش ثلاثة عمال مصريين رميا بالرصاص في ليبيا.", _at(hours=3)),
             False, "b"),
        ],
    ),
    (
        "undated, one town, two kidnappings: journalists, and Egyptian workers",
        [
            (_dispatch("فزان اليوم", "brak-journalists", "خطف صحفيين قرب براك",
                       "خطف عناصر من تنظيم داعش صحفيين اثنين أثناء عودتهما من تغطية ميدانية قرب "
                       "بلدة براك الشاطئ.", _at()), False, "a"),
            (_dispatch("ليبيا الآن", "brak-workers", "خطف عمال مصريين قرب براك",
                       "خطف عناصر من تنظيم داعش خمسة عمال مصريين من مزرعة قرب بلدة براك "
                       "الشاطئ.", _at(hours=2)), False, "b"),
        ],
    ),
    (
        "an oil field and the town 50 km off that one report names, one day: one event",
        [
            (_dispatch("وكالة الصحراء للأنباء", "sharara-gate", "هجوم على حقل الشرارة",
                       "هاجم عناصر من تنظيم داعش بوابة حقل الشرارة النفطي صباح اليوم، وقتلوا "
                       "ثلاثة من الحراس وأحرقوا سيارتين.", _at()), True, "a"),
            (_dispatch("الجنوب نيوز", "ubari-guards", "مقتل ثلاثة حراس قرب أوباري",
                       "قتل ثلاثة من حراس المنشآت النفطية في هجوم لتنظيم داعش على بوابة قرب "
                       "مدينة أوباري.", _at(4)), True, "a"),
        ],
    ),
    (
        "an oil field, and a raid on a house in the town near it the same day: two events",
        [
            (_dispatch("وكالة الصحراء للأنباء", "amal-field", "هجوم على حقل آمال",
                       "قتل خمسة من حراس حقل آمال النفطي في هجوم شنه مسلحون من تنظيم داعش فجر "
                       "اليوم.", _at()), True, "a"),
            (_dispatch("ليبيا الآن", "awjila-house", "مداهمة منزل في أوجلة",
                       "داهمت قوة أمنية أحد منازل مدينة أوجلة تحصن فيه عناصر من تنظيم داعش، "
                       "ودارت اشتباكات أصيب فيها شرطي.", _at(8)), True, "b"),
        ],
    ),
    (
        "one town two days apart, the later report calling itself a second attack: two events",
        [
            (_dispatch("فزان اليوم", "brega-port", "هجوم لداعش على ميناء البريقة",
                       "هاجم مسلحون من تنظيم داعش ميناء البريقة النفطي، وقتلوا حارسين في اشتباك "
                       "استمر ساعة.", _at()), True, "a"),
            (_dispatch("الوسط الليبي", "brega-blast", "تفجير في البريقة",
                       "قتل ثلاثة عمال في انفجار سيارة مفخخة تبناه تنظيم داعش قرب ميناء البريقة، "
                       "في ثاني هجوم على المدينة خلال يومين.", _at(days=2)), True, "b"),
        ],
    ),
    (
        "one town, an ambush, then a roadside bomb three days on, nothing shared: two events",
        [
            (_dispatch("الجنوب نيوز", "hun-ambush", "كمين لداعش قرب هون",
                       "قتل جنديان في كمين نصبه عناصر من تنظيم داعش لرتل عسكري قرب مدينة هون.",
                       _at()), True, "a"),
            (_dispatch("ليبيا الآن", "hun-ied", "انفجار عبوة ناسفة قرب هون",
                       "أصيب مدني بانفجار عبوة ناسفة زرعها تنظيم داعش على الطريق قرب مدينة هون.",
                       _at(days=3)), True, "b"),
        ],
    ),
    (
        "two oil ports 8 km apart, one day, one target, a toll that grew: one event",
        [
            (_dispatch("وكالة الصحراء للأنباء", "sidra-guards", "هجوم لداعش على ميناء السدرة",
                       "قتل حارسان في هجوم شنه مسلحون من تنظيم داعش على ميناء السدرة النفطي صباح "
                       "اليوم.", _at()), True, "a"),
            (_dispatch("الوسط الليبي", "lanuf-guards", "خمسة قتلى في هجوم على رأس لانوف",
                       "قتل خمسة من حرس المنشآت في هجوم لتنظيم داعش على ميناء رأس لانوف النفطي، "
                       "بحسب مصدر في المستشفى.", _at(6)), True, "a"),
        ],
    ),
    (
        "one town a week apart, the same dead retold: one event; another toll there: another",
        [
            (_dispatch("فزان اليوم", "tazirbu-gate", "هجوم على بوابة في تازربو",
                       "قتل أربعة من عناصر الأمن في هجوم شنه تنظيم داعش على بوابة أمنية عند "
                       "مدخل تازربو.", _at()), True, "a"),
            (_dispatch("ليبيا الآن", "tazirbu-recap", "تازربو تطالب بتأمين مداخلها",
                       "طالب أهالي تازربو بتعزيز الأمن بعد الهجوم الذي شنه تنظيم داعش على بوابة "
                       "المدينة وقتل فيه أربعة من عناصر الأمن.", _at(days=7)), True, "a"),
            (_dispatch("الجنوب نيوز", "tazirbu-police", "هجوم على مركز شرطة تازربو",
                       "قتل شرطي في هجوم شنه مسلحون من تنظيم داعش على مركز الشرطة في تازربو.",
                       _at(days=8)), True, "b"),
        ],
    ),
    (
        "one city, one day: a camp shelled, and an officer shot outside his home: two events",
        [
            (_dispatch("وكالة الصحراء للأنباء", "ghat-camp", "هجوم على معسكر في غات",
                       "قتل ثلاثة جنود في هجوم بقذائف الهاون شنه تنظيم داعش على معسكر للجيش في "
                       "مدينة غات.", _at()), True, "a"),
            (_dispatch("الجنوب نيوز", "ghat-officer", "اغتيال ضابط في غات",
                       "اغتال عناصر من تنظيم داعش ضابطا في الشرطة أمام منزله في مدينة غات.",
                       _at(9)), True, "b"),
        ],
    ),
    (
        "one town, a day apart: farmers taken, then soldiers killed at a gate: two events",
        [
            (_dispatch("فزان اليوم", "murzuq-farmers", "خطف مزارعين قرب مرزق",
                       "خطف عناصر من تنظيم داعش أربعة مزارعين سودانيين من مزرعة قرب مدينة مرزق.",
                       _at()), True, "a"),
            (_dispatch("ليبيا الآن", "murzuq-gate", "مقتل ثلاثة جنود في هجوم على بوابة مرزق",
                       "قتل ثلاثة جنود في هجوم شنه تنظيم داعش على بوابة أمنية عند مدخل مرزق.",
                       _at(days=1)), True, "b"),
        ],
    ),
    (
        "a toll that rose, read after a later bombing in the same quarter: two events",
        [
            (_dispatch("ليبيا الآن", "sabri-ied", "قتيلان بانفجار عبوة في الصابري",
                       "قتل شخصان في انفجار عبوة ناسفة زرعها عناصر من تنظيم داعش في حي الصابري "
                       "ببنغازي.", _at(days=5)), True, "b"),
            (_dispatch("فزان اليوم", "sabri-toll", "ارتفاع قتلى تفجير الصابري إلى ستة",
                       "ارتفع عدد قتلى تفجير السيارة المفخخة التي فجرها تنظيم داعش في حي الصابري "
                       "ببنغازي إلى ستة.", _at()), True, "a"),
        ],
    ),
    (
        "one town, two days apart, a named doctor taken and a named teacher taken: two events",
        [
            (_dispatch("فزان اليوم", "ghat-doctor", "خطف طبيب في غات",
                       "خطف عناصر من تنظيم داعش الطبيب عمر الهادي من عيادته في غات.", _at()),
             True, "a"),
            (_dispatch("ليبيا الآن", "ghat-teacher", "خطف معلم في غات",
                       "خطف عناصر من تنظيم داعش المعلم فرج السنوسي أثناء خروجه من مدرسة في غات.",
                       _at(days=2)), True, "b"),
        ],
    ),
    (
        "two quarters of a city two days apart, nothing shared: two events; the funeral: one",
        [
            (_dispatch("وكالة الصحراء للأنباء", "hawari-clash", "اشتباكات في الهواري",
                       "قتل جنديان في اشتباكات مع عناصر من تنظيم داعش تحصنوا في مبنى بمنطقة "
                       "الهواري في بنغازي.", _at()), True, "a"),
            (_dispatch("الوسط الليبي", "laithi-shot", "مقتل مدني برصاص في الليثي",
                       "قتل مدني برصاص مسلحين يعتقد أنهم من تنظيم داعش في منطقة الليثي ببنغازي.",
                       _at(days=2)), True, "b"),
            (_dispatch("فزان اليوم", "hawari-funeral", "تشييع جنديي الهواري",
                       "شيع أهالي بنغازي جثماني الجنديين اللذين قتلا في الاشتباكات مع تنظيم داعش "
                       "في الهواري.", _at(days=2, hours=3)), True, "a"),
        ],
    ),
]  # fmt: skip


def _observe(book: IncidentBook, dispatch: Dispatch, dated: bool) -> Outcome:
    detection = r.detect(dispatch)
    assert detection.reportable, f"{dispatch.slug}: detection must take it for an incident"
    article = dispatch.article()
    if not dated:
        article = replace(article, published=None)
        detection = replace(detection, event_date=None)
    return book.observe(article, detection, article.published)


@pytest.mark.parametrize(("name", "stream"), CASES, ids=[c[0] for c in CASES])
def test_reports_of_one_event_share_an_incident_and_no_other(
    name: str, stream: list[tuple[Dispatch, bool, str]]
) -> None:
    book = IncidentBook()
    got = [(_observe(book, d, dated).decision, event) for d, dated, event in stream]
    for (first, event_a), (second, event_b) in combinations(got, 2):
        together = first.incident_id == second.incident_id
        assert together == (event_a == event_b), (name, first.why, second.why)


def test_a_merged_incident_keeps_its_first_town_first_and_lists_the_other() -> None:
    _, stream = CASES[4]
    book = IncidentBook()
    outcomes = [_observe(book, d, dated) for d, dated, _ in stream]
    incident = outcomes[-1].incident
    assert "misread" in outcomes[-1].decision.why[0]
    assert [p.id for p in incident.pins] == ["harawa", "sirte"]
    assert incident.place is not None and incident.place.id == "harawa"


def test_a_toll_told_as_risen_is_kept_as_such_through_the_store() -> None:
    stream = next(s for name, s in CASES if "a town told with a side" in name)
    book = IncidentBook()
    outcomes = [_observe(book, d, dated) for d, dated, _ in stream]
    incident = outcomes[-1].incident
    assert [(t.killed, t.rose) for t in incident.tolls] == [(5, True), (3, False), (5, False)]
    assert Incident.from_json(incident.to_json()).tolls == incident.tolls


def test_a_quarter_named_like_an_oil_field_is_not_the_field() -> None:
    # حي الظهرة is a quarter of Tripoli; the Dahra field lies 600 km away in the desert
    quarter = _dispatch("المرصد الليبي", "dahra-office", "اقتحام مقر الجوازات في الظهرة",
                        "اقتحم عناصر من تنظيم داعش مقر مصلحة الجوازات في حي الظهرة بطرابلس، "
                        "وقتلوا ثلاثة موظفين.", _at())  # fmt: skip
    field = _dispatch("المرصد الليبي", "dahra-field", "هجوم على حقل الظهرة",
                      "هاجم عناصر من تنظيم داعش حقل الظهرة النفطي وقتلوا ثلاثة حراس.", _at())  # fmt: skip
    assert [p.id for p in r.detect(quarter).places][:2] == ["dahra-tripoli", "tripoli"]
    assert "dahra-oil-field" in [p.id for p in r.detect(field).places]


def test_the_hospital_the_wounded_were_taken_to_is_not_the_target() -> None:
    taken = _dispatch("فزان اليوم", "gate-wounded", "هجوم على بوابة",
                      "قتل جنديان في هجوم لتنظيم داعش على بوابة عسكرية في سبها، ونقل الجرحى إلى "
                      "مستشفى سبها الطبي.", _at())  # fmt: skip
    hit = _dispatch("فزان اليوم", "hospital-hit", "هجوم على مستشفى",
                    "قتل حارسان في هجوم لتنظيم داعش على مستشفى سبها الطبي.", _at())  # fmt: skip
    speaks = _dispatch("فزان اليوم", "hospital-speaks", "حصيلة هجوم",
                       "قال مستشفى الكفرة إن سبعة قتلوا في الهجوم الذي شنه تنظيم داعش على "
                       "بلدة تازربو.", _at())  # fmt: skip
    assert target_of(r.detect(taken)) == "gate"
    assert target_of(r.detect(hit)) == "hospital"
    assert target_of(r.detect(speaks)) is None  # the hospital that gives the toll


def test_an_undated_report_says_why_it_stays_apart() -> None:
    _, stream = CASES[0]
    book = IncidentBook()
    outcomes = [_observe(book, d, dated) for d, dated, _ in stream]
    assert outcomes[1].decision.kind == "new"
    assert "no day, nothing but place and type in common" in outcomes[1].decision.why[0]


FOLLOW_UPS = [
    ("ارتفعت حصيلة قتلى الهجوم إلى تسعة", True),
    ("وارتفع عدد الجرحى إلى عشرين", True),
    ("أعلنت الوزارة حصيلة جديدة للتفجير", True),
    ("ارتفعت أسعار الوقود في المدينة", False),
    ("قتل ثلاثة أشخاص في الهجوم", False),
]


@pytest.mark.parametrize(("text", "expected"), FOLLOW_UPS)
def test_a_toll_update_is_told_by_its_words(text: str, expected: bool) -> None:
    assert follows_up(normalise(text)) is expected


AFTERMATH = [
    ("توفي الجندي متأثرا بجراح أصيب بها في الهجوم", True),
    ("شيع أهالي المدينة جثامين الضحايا", True),
    ("أعلنت المديرية القبض على منفذي الهجوم على البوابة", True),
    ("اعتقلت قوة أمنية ثلاثة ممن نفذوا التفجير", True),
    ("قتل ثلاثة جنود في هجوم على بوابة", False),
    ("نفذ عناصر التنظيم هجوما على دورية", False),
    ("اشتباكات بين فصائل الشيعة في العراق", False),
]


ANOTHER = [
    ("قتل حارسان في ثاني هجوم يستهدف المدينة خلال أسبوع", True),
    ("هجوم جديد لداعش على بوابة ودان", True),
    ("وهو الهجوم الثاني على البوابة نفسها", True),
    ("قتل حارسان في هجوم على البوابة", False),
    ("في ثاني أيام عيد الفطر", False),
]


@pytest.mark.parametrize(("text", "expected"), ANOTHER)
def test_a_further_attack_is_told_by_its_words(text: str, expected: bool) -> None:
    assert tells_another(normalise(text)) is expected


@pytest.mark.parametrize(("text", "expected"), AFTERMATH)
def test_what_followed_an_event_is_told_by_its_words(text: str, expected: bool) -> None:
    assert refers_back(normalise(text)) is expected


def test_reworded_reports_share_their_words_unrelated_ones_do_not() -> None:
    one = term_signature(normalise(
        "قتل أربعة جنود في هجوم بسيارة مفخخة على بوابة الدعم المركزي عند مدخل راس لانوف النفطي"
    ))  # fmt: skip
    again = term_signature(normalise(
        "هجوم انتحاري بسيارة مفخخة يستهدف بوابة الدعم المركزي في راس لانوف ويقتل أربعة جنود"
    ))  # fmt: skip
    other = term_signature(normalise(
        "اعتقلت قوة أمنية ثلاثة مطلوبين في حي سكني غرب العاصمة وضبطت بحوزتهم ذخائر"
    ))  # fmt: skip
    assert similarity(one, again) >= 0.25
    assert similarity(one, other) < 0.1


NAMES = [
    ("قتل النقيب إبراهيم عبد النبي رئيس قسم البحث الجنائي", ["ابراهيم عبدالنبي"]),
    ("وأكد عبد السلام شنقله، وهو قائد عسكري محلي", []),  # a commander quoted, no victim
    ("أكد اللواء أحمد المسماري أن التفجير عمل انتقامي", []),
    ("اغتيال القاضي مروان الورفلي أمام منزله", ["مروان الورفلي"]),
    ("بعد مقتل ناصر العكر وسالم الحوتي في درنة", ["ناصر العكر", "سالم الحوتي"]),
    ("انفجرت سيارة عند بوابة بني وليد الشرقية", []),  # a town, not a man
    ("قتل ثلاثة جنود في هجوم على بوابة أمنية", []),
    # round 9: «لقي حتفه»، «أودت بحياة»، «استشهاد» make the name near them a victim's
    ("لقي الشيخ سالم المنفي حتفه في التفجير", ["سالم المنفي"]),
    ("الجريمة التي أودت بحياة العقيد فرج البرعصي", ["فرج البرعصي"]),
    ("أعلنت الكتيبة استشهاد الملازم خالد الفيتوري", ["خالد الفيتوري"]),
    ("زار الشيخ سالم المنفي الجرحى وتمنى لهم الشفاء", []),  # a visitor, no victim
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), NAMES)
def test_the_people_a_report_names(text: str, expected: list[str]) -> None:
    assert names_of(normalise(text), COMMON_WORDS) == tuple(sorted(expected))


def _lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_our_challenge_set_is_grouped_pair_for_pair() -> None:
    # tests/data/grouping_challenge.jsonl: 36 leads in 18 events (first run, before these rules:
    # pairwise precision 0.654, recall 0.708).
    done = raqib("scan", "--jsonl", "--cluster", str(CHALLENGE))
    assert done.returncode == 0, done.stderr
    clustered = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    counts = count_pairs(_lines(CHALLENGE), clustered, "clustered")
    assert (counts.precision, counts.recall) == (1.0, 1.0), counts.describe("clustered")


def test_our_second_challenge_set_groups_what_detection_takes() -> None:
    # tests/data/grouping_challenge2.jsonl: 44 leads in 17 events (first run, before the rules
    # on stages, names, raids and silent tolls: detected pairs precision 1.000, recall 0.933).
    # Detection passes seven leads over, so the clustered recall is lower; those are its to find.
    done = raqib("scan", "--jsonl", "--cluster", str(CHALLENGE2))
    assert done.returncode == 0, done.stderr
    clustered = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    labels = _lines(CHALLENGE2)
    detected = count_pairs(labels, clustered, "detected")
    assert (detected.precision, detected.recall) == (1.0, 1.0), detected.describe("detected")
    assert count_pairs(labels, clustered, "clustered").precision == 1.0


def test_our_third_challenge_set_groups_what_detection_takes() -> None:
    # tests/data/grouping_challenge3.jsonl: 40 leads in 16 events (first run, before the rules on
    # quarters, aftermaths and misread days: detected pairs precision 1.000, recall 0.625).
    # Eight first reports name no actor yet and detection passes them over.
    done = raqib("scan", "--jsonl", "--cluster", str(CHALLENGE3))
    assert done.returncode == 0, done.stderr
    clustered = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    labels = _lines(CHALLENGE3)
    detected = count_pairs(labels, clustered, "detected")
    assert (detected.precision, detected.recall) == (1.0, 1.0), detected.describe("detected")
    assert count_pairs(labels, clustered, "clustered").precision == 1.0


def test_our_fourth_challenge_set_groups_what_detection_takes() -> None:
    # tests/data/grouping_challenge4.jsonl: 49 leads, 46 with no publication date (first run,
    # before the rules on claims' figures, targets, sides and callings: clustered pairs precision
    # 0.907, recall 0.629). Detection passes two leads over; those are its to find.
    done = raqib("scan", "--jsonl", "--cluster", str(CHALLENGE4))
    assert done.returncode == 0, done.stderr
    clustered = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    labels = _lines(CHALLENGE4)
    detected = count_pairs(labels, clustered, "detected")
    assert (detected.precision, detected.recall) == (1.0, 1.0), detected.describe("detected")
    assert count_pairs(labels, clustered, "clustered").precision == 1.0


def test_our_sixth_challenge_set_groups_its_undated_coverage() -> None:
    # tests/data/grouping_challenge6.jsonl: 24 undated leads, five events told by wires, local
    # sites, hospitals, statements, condolences and claims (first run, before the rules on a
    # town's outskirts, a toll that rose, callings in the plural and a shared small toll:
    # clustered pairs precision 0.870, recall 0.800).
    done = raqib("scan", "--jsonl", "--cluster", str(CHALLENGE6))
    assert done.returncode == 0, done.stderr
    clustered = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    counts = count_pairs(_lines(CHALLENGE6), clustered, "clustered")
    assert (counts.precision, counts.recall) == (1.0, 1.0), counts.describe("clustered")


@pytest.mark.parametrize(
    ("path", "least_recall"),
    [
        # 20 undated leads (first run: clustered pairs precision 1.000, recall 0.320; 0.720 since)
        (CHALLENGE7, 0.7),
        # 16 undated leads (first run: precision 0.800, recall 0.333; 0.500 since)
        (CHALLENGE8, 0.5),
        # 16 leads (first run: precision 1.000, recall 0.400; 0.533 since)
        (CHALLENGE12, 0.5),
        # 26 leads, blind (first run: precision 0.750, recall 0.214; 1.000 and 0.286 since)
        (CHALLENGE13, 0.28),
        # 34 leads, blind (first run: precision 0.600, recall 0.075; 1.000 and 0.075 since)
        (CHALLENGE14, 0.07),
    ],
    ids=["set 7", "set 8", "set 12", "set 13", "set 14"],
)
def test_our_seventh_and_eighth_sets_merge_no_two_events(path: Path, least_recall: float) -> None:
    # Some reports name no actor, so detection passes them over: recall stays below 1.
    done = raqib("scan", "--jsonl", "--cluster", str(path))
    assert done.returncode == 0, done.stderr
    clustered = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    counts = count_pairs(_lines(path), clustered, "clustered")
    assert counts.precision == 1.0, counts.describe("clustered")
    assert counts.recall >= least_recall, counts.describe("clustered")


def test_our_ninth_set_joins_coverage_spread_over_places_and_days() -> None:
    # tests/data/grouping_challenge9.jsonl: 24 leads, eight events told at two oil ports, at a
    # field and its town, dated and undated, and a week later (first run: clustered precision
    # 0.750, recall 0.774). A clash in the town beside the field, the same day, still joins it.
    done = raqib("scan", "--jsonl", "--cluster", str(CHALLENGE9))
    assert done.returncode == 0, done.stderr
    clustered = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    counts = count_pairs(_lines(CHALLENGE9), clustered, "clustered")
    assert counts.recall == 1.0, counts.describe("clustered")
    assert counts.precision >= 0.9, counts.describe("clustered")


@pytest.mark.parametrize(
    "path",
    [
        # 22 dated leads, six events and five others in the same towns within days (first run:
        # clustered precision 0.731, recall 0.792)
        CHALLENGE10,
        # 21 leads, dated and undated, six events and five others (first run: 0.727, 0.889)
        CHALLENGE11,
    ],
    ids=["set 10", "set 11"],
)
def test_our_tenth_and_eleventh_sets_keep_a_towns_other_events_apart(path: Path) -> None:
    # A few leads tell no new act (a video of hostages, a mourning, an appeal): detection passes
    # them over, so the pairs are counted among the leads it takes.
    done = raqib("scan", "--jsonl", "--cluster", str(path))
    assert done.returncode == 0, done.stderr
    clustered = {line["id"]: line for line in map(json.loads, done.stdout.splitlines())}
    counts = count_pairs(_lines(path), clustered, "detected")
    assert (counts.precision, counts.recall) == (1.0, 1.0), counts.describe("detected")


ROLES = [
    ("اغتال مسلحون قاضيا أمام منزله", ["قاضي"]),
    ("مقتل العقيد سالم الفلاني في كمين", ["عقيد"]),
    ("خطف مسلحون طبيبا يعمل في المستشفى", ["طبيب"]),
    ("خطف مسلحون طبيبين على الطريق الساحلي", ["طبيب"]),  # the dual
    ("عثر على جثتي الطبيبين المخطوفين قرب المدينة", ["طبيب"]),  # bodies, «المخطوفين»
    ("اغتيال ثلاثة صحفيين في هجوم على مقر القناة", ["صحفي"]),  # «صحفيين»: صحفي + ين
    ("قتل التنظيم اثنين من القضاة وعددا من المحامين", ["قاضي", "محامي"]),
    ("أصيب معلمان في انفجار قرب المدرسة", []),  # wounded: no word of killing or taking
    ("أكدت الشركة اختطاف أربعة من مهندسيها", ["مهندس"]),  # «مهندسيها»: its engineers
    ("خطف مسلحون ثلاثة مهندسين أتراك من موقع الشركة", ["تركي", "مهندس"]),  # a nationality
    ("داعش يعدم 28 إثيوبيا في ليبيا", ["اثيوبي"]),
    ("قالت مصر إنها تتابع التحقيق", []),  # a country, no victim
    ("أسر مقاتلو التنظيم أربعة فلبينيين", ["فلبيني"]),  # «أسر»: took captive
    ("زار وفد تركي أسرة الفقيد في إسرائيل", []),  # «أسرة», «إسرائيل»: no one taken
    ("أظهر تسجيل مصور إعدام الأسرى", []),  # «مصور» filmed, not a photographer
    ("قال القاضي إن المحكمة ستنظر في القضية الشهر المقبل", []),  # no one killed or taken
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), ROLES)
def test_the_victims_ranks_and_callings(text: str, expected: list[str]) -> None:
    assert roles_of(normalise(text)) == tuple(expected)


ACTOR_SAYS = [
    ("وزعم التنظيم أن مقاتليه قتلوا عشرين جنديا", True),
    ("وقال تنظيم داعش في بيان إن عناصره اقتحموا السجن", True),
    ("وقال مصدر أمني إن ثلاثة جنود قتلوا في الهجوم", False),
    ("وقال في بيان نشرته أعماق إن مقاتليه قتلوا حارسين", True),  # the actor's reported speech
    ("وقال المتحدث إن عناصر الأمن قتلوا مهاجمين", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ارتفعت حصيلة التفجير إلى سبعة قتلى", True),
        ("قال المستشفى إن حصيلة الهجوم الذي شنه التنظيم على البلدة أمس ارتفعت إلى سبعة", True),
        ("والذي ارتفعت حصيلته إلى خمسة قتلى", True),
        ("قال المستشفى إن حصيلة الهجوم بلغت سبعة قتلى", False),
    ],
)
def test_a_risen_toll_is_read_in_either_order(text: str, expected: bool) -> None:
    assert follows_up(normalise(text)) is expected


@pytest.mark.parametrize(("text", "expected"), ACTOR_SAYS)
def test_the_actors_own_word_is_told(text: str, expected: bool) -> None:
    assert actor_says(normalise(text)) is expected


def test_opposite_sides_of_a_town_are_two_places() -> None:
    assert other_sides(("شمال",), ("جنوب",))
    assert other_sides(("شرق",), ("غرب", "جنوب"))
    assert not other_sides(("شمال",), ("شمال", "جنوب"))  # one side in common
    assert not other_sides(("شمال",), ("شرق",))  # not opposite
    assert not other_sides((), ("جنوب",))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("هاجم مسلحون حاجزا للجيش", "checkpoint"),
        ("استهدف التفجير مسجدا في المدينة", "mosque"),
        ("هاجموا مركزا حدوديا جنوب المدينة", "border_post"),
        ("قتل ثلاثة في هجوم على مركز لحرس الحدود", "border_post"),
        ("هاجموا مركز الشرطة وسط المدينة", "police_station"),
        # round 9: a security headquarters told as «مقر»
        ("انفجرت سيارة مفخخة قرب مقر أمني في المدينة", "police_station"),
        ("استهدف الهجوم مقر الأمن المركزي", "police_station"),
        ("عملية استهدفت مقرا لـ«الشرطة المرتدة» في المدينة", "police_station"),
        ("اقتحموا مقرا للشرطة جنوب المدينة", "police_station"),
        ("خطف مسلحون عمالا من حقل الشرارة النفطي", "oil_field"),
        ("انفجرت سيارة مفخخة أمام مجمع المحاكم", "court"),
        ("داهمت القوة أحد منازل المدينة", "house"),
        ("اغتال مسلحون ضابطا أمام منزله", "house"),
    ],
)
def test_a_target_in_the_indefinite_accusative_is_read(text: str, key: str) -> None:
    found = [k for k, pattern in TARGETS if pattern.search(normalise(text))]
    assert found[:1] == [key]
