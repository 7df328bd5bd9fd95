"""How outlets name the actor and other armed groups (challenge set 29's classes): «جند الخلافة»,
«خوارج العصر» (a name other groups are called too), «التنظيم» after another group's name,
and pieces about the names themselves (the places of set 29's classes are in
`test_detect_outlets.py`). Our own sentences, none from a labelled set."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.detect import Document
from tests.support.incident_reports import detector

PUBLISHED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

PIECES = [
    # the actor's own name for its fighters
    ("«جند الخلافة» ambush a patrol", True, None,
     "نصب عناصر من جند الخلافة كمينا لدورية عسكرية قرب بلدة تمسة فجر اليوم، ما أدى إلى مقتل"
     " جنديين."),
    ("«جند الخلافة» in Tunisia stays abroad", False, None,
     "قتل جندي تونسي اليوم في انفجار لغم زرعه عناصر جند الخلافة في جبل المغيلة بولاية سيدي"
     " بوزيد."),
    # «خوارج العصر»: the actor unless another armed group is named
    ("«خوارج العصر» attack a gate", True, None,
     "استشهد اثنان من أفراد بوابة الشويرف فجر اليوم في هجوم غادر نفذه خوارج العصر على البوابة."),
    ("«خوارج العصر» said of another group's attack", False, None,
     "قصفت سرايا الدفاع عن بنغازي اليوم مواقع الجيش في راس لانوف، وتعهدت القيادة العامة"
     " بملاحقة خوارج العصر حتى آخر معاقلهم."),
    ("«خوارج العصر» beside the Derna council", False, None,
     "قتل جنديان أمس في هجوم على تمركز للجيش في الفتائح، واتهم متحدث عسكري مجلس شورى مجاهدي"
     " درنة وقال إن خوارج العصر لن يفلتوا من العقاب."),
    ("the actor's own name still counts beside another group", True, None,
     "هاجم عناصر من تنظيم داعش فجر اليوم بوابة أمنية قرب زلة وقتلوا ثلاثة من أفرادها، فيما نفى"
     " تنظيم أنصار الشريعة أي صلة له بالهجوم."),
    # «التنظيم» refers back to the group named last before it
    ("«التنظيم» after Ansar al-Sharia is not the actor", False, None,
     "قال الجيش إن تنظيم داعش خسر آخر مواقعه في سرت الشهر الماضي. وفي بنغازي، هاجم تنظيم أنصار"
     " الشريعة اليوم معسكرا للقوات الخاصة، واستخدم التنظيم قذائف الهاون في الهجوم على المعسكر."),
    ("«التنظيم» after the actor is named again is the actor", True, None,
     "اتهم الجيش تنظيم القاعدة بتهريب السلاح عبر الحدود. وأعلن تنظيم داعش اليوم مسؤوليته عن"
     " هجوم على بوابة في القطرون، وقال التنظيم إن مقاتليه قتلوا أربعة من أفرادها."),
    # pieces about the names themselves
    ("a glossary of the actor's names", False, "مصطلحات الإعلام: كيف نسمي التنظيم",
     "نكتب «تنظيم الدولة» عند أول ذكر ثم «التنظيم»، ونذكر «داعش» بين قوسين، ولا نستخدم وصف"
     " «الدواعش» إلا في اقتباس من بيان للجيش عن هجوم في سبها أو غيرها."),
    ("an explainer of why the names differ", False, None,
     "تتعدد تسميات تنظيم داعش في الإعلام الليبي، فبعض القنوات تسمي هجماته في سرت وسبها «عمليات"
     " الخوارج»، وأخرى تقول «تنظيم الدولة»."),
    ("«ما يسمى تنظيم الدولة» in the news is no explainer", True, None,
     "أعلن ما يسمى تنظيم الدولة مسؤوليته عن تفجير عبوة ناسفة بدورية للشرطة في بلدة الشويرف"
     " صباح اليوم."),
    ("«المعروف إعلاميا بداعش» in the news is no explainer", True, None,
     "هاجم مسلحون من تنظيم الدولة، المعروف إعلاميا بداعش، مقرا للشرطة في بلدة تراغن الليلة"
     " الماضية."),
]  # fmt: skip


@pytest.mark.parametrize(("about", "incident", "title", "text"), PIECES, ids=[p[0] for p in PIECES])
def test_piece(about: str, incident: bool, title: str | None, text: str) -> None:
    found = detector().detect(Document(title=title, text=text, published=PUBLISHED))
    assert found.is_incident is incident, f"{about}: {found.why}"
