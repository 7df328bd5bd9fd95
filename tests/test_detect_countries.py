"""Watchlists of two countries: an event belongs to the country whose places it happened in.

The table runs each sentence through the shipped isis-libya watchlist, through the example
isis-tunisia watchlist, and through both at once (the verdict then names its watchlist).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from crawler.detect import Detector, Document
from crawler.detect.facts.gazetteer import Gazetteer
from crawler.detect.watchlist import Watchlist

ROOT = Path(__file__).resolve().parent.parent
LIBYA = ROOT / "config/watchlists/isis-libya.yaml"
TUNISIA = ROOT / "config/watchlists/examples/isis-tunisia.yaml"


@cache
def detector(*paths: Path) -> Detector:
    return Detector.from_files(list(paths))


# (text, Libya's verdict, Tunisia's verdict, Tunisia's top place or None): a verdict is the
# tier ("isis", "unattributed") or None for no incident.
CASES = [
    # a Sousse hotel attack claimed by داعش: Tunisia's
    ("أعلن تنظيم داعش مسؤوليته عن الهجوم المسلح الذي استهدف فندقا في مدينة سوسة التونسية صباح اليوم "
     "وأسفر عن مقتل 38 سائحا.", None, "isis", "سوسة"),
    # a dateline says Tunisia
    ("تونس - أعلن تنظيم داعش مسؤوليته عن الهجوم الذي استهدف فندقا في سوسة صباح اليوم وأسفر عن مقتل 38 "
     "سائحا.", None, "isis", "سوسة"),
    # a Sabha attack: Libya's
    ("هاجم مسلحون من تنظيم داعش بوابة أمنية في مدينة سبها جنوب ليبيا فجر اليوم، ما أدى إلى مقتل ثلاثة من "
     "عناصر الأمن.", "isis", None, None),
    # a Tunisian attacker who trained in Libya, attacking in Sousse: Tunisia's, not Libya's
    ("قالت السلطات التونسية إن المهاجم الذي قتل 38 سائحا في سوسة اليوم تلقى تدريبه في ليبيا قبل أن يعود "
     "ويبايع داعش.", None, "isis", "سوسة"),
    # Ben Guerdane, by the Libyan border: the border places nothing in Libya
    ("شن عشرات المسلحين من داعش هجوما متزامنا على ثكنة عسكرية ومركزي الأمن والحرس في مدينة بن قردان قرب "
     "الحدود الليبية فجر اليوم.", None, "isis", "بن قردان"),
    # Mount Chaambi, by the group's Tunisian name
    ("قتل أربعة جنود تونسيين في انفجار لغم زرعه عناصر جند الخلافة الموالون لداعش في جبل الشعانبي بولاية "
     "القصرين أمس.", None, "isis", "جبل الشعانبي"),
    # the Bardo museum in the capital
    ("اقتحم مسلحان متحف باردو في العاصمة التونسية وأطلقا النار على السياح، وتبنى تنظيم الدولة الهجوم الذي "
     "أودى بحياة 22 شخصا.", None, "isis", "باردو"),
    # a car bomb in Sirte: Libya's
    ("استهدف تنظيم داعش بسيارة مفخخة نقطة تفتيش في مدينة سرت الليبية اليوم.", "isis", None, None),
    # a Libyan province of the actor: in Libya for Libya, abroad for Tunisia
    ("تبنت ولاية طرابلس التابعة لداعش هجوما على دورية أمنية أمس.", "isis", None, None),
    # a verdict is news of neither
    ("قضت المحكمة الابتدائية في تونس بالسجن المؤبد على متهمين في هجوم سوسة الذي تبناه داعش.", None, None,
     None),
    # an execution in Derna: Libya's
    ("أعدم عناصر داعش ثلاثة شبان في مدينة درنة الليبية أمس.", "isis", None, None),
    # an ambush with no actor and no signature tactic: nobody's
    ("نصب مسلحون كمينا لدورية عسكرية قرب جبل سمامة بالقصرين اليوم.", None, None, None),
    # a cell arrested in Sfax
    ("أعلنت وزارة الداخلية التونسية القبض على خلية تابعة لداعش في صفاقس كانت تخطط لهجمات.", None, "isis",
     "صفاقس"),
    # a suicide bomber in the capital, no actor named: Tunisia's lower tier
    ("فجرت انتحارية نفسها قرب دورية أمنية في شارع الحبيب بورقيبة وسط العاصمة تونس اليوم.", None,
     "unattributed", "تونس العاصمة"),
    # Tunisians of the actor killed in Sabratha: Libya's (a nationality is no place)
    ("قتل خمسة تونسيين من عناصر داعش في غارة جوية على معسكر للتنظيم في صبراتة الليبية فجر اليوم.", "isis",
     None, None),
    # Libya's Susa, said so: Libya's
    ("هاجم مسلحون موالون لداعش مركزا للحرس الوطني في مدينة سوسة الليبية شرق البلاد أمس.", "isis", None,
     None),
    # a beheading in the western mountains
    ("ذبح عناصر من داعش راعيا في جبل المغيلة فجر اليوم، وفق ما أفاد مصدر أمني تونسي.", None, "isis",
     "جبل المغيلة"),
    # an anniversary is news of neither
    ("تحيي تونس اليوم الذكرى السنوية لهجوم متحف باردو الذي تبناه داعش وقتل فيه 22 شخصا.", None, None, None),
    # the seventh round's not-new frames, shared with the example: a memorial, a fatwa
    ("نظم أهالي سوسة اليوم وقفة تأبينية أمام النصب التذكاري لضحايا هجوم داعش على فندق بالمدينة"
     " وقتل فيه 38 سائحا.", None, None, None),
    ("أصدرت لجنة الإفتاء اليوم فتوى تحرم الانضمام إلى داعش وتعد قتل رجال الأمن في القصرين من"
     " الكبائر.", None, None, None),
]  # fmt: skip


@pytest.mark.parametrize(("text", "libya", "tunisia", "place"), CASES)
def test_each_country_takes_its_own_events(
    text: str, libya: str | None, tunisia: str | None, place: str | None
) -> None:
    doc = Document(text=text)
    in_libya = detector(LIBYA).detect(doc)
    in_tunisia = detector(TUNISIA).detect(doc)
    assert in_libya.attribution == libya, in_libya.why
    assert in_tunisia.attribution == tunisia, in_tunisia.why
    if place is not None:
        assert in_tunisia.places and in_tunisia.places[0].name == place, in_tunisia.why
    # Both at once: the verdict is the country's that has one, and says which watchlist.
    both = detector(LIBYA, TUNISIA).detect(doc)
    assert both.attribution == (libya or tunisia), both.why
    if libya or tunisia:
        assert both.watchlist == ("isis-libya" if libya else "isis-tunisia")


def test_two_watchlists_give_each_the_verdict_it_gives_alone() -> None:
    """Two gazetteers, two matchers: the Libyan watchlist reads a text as it does alone."""
    both = detector(LIBYA, TUNISIA)
    alone = detector(LIBYA)
    assert len(both.matchers) == 2 and len(both.gazetteers) == 2
    for text, *_ in CASES:
        doc = Document(text=text)
        libya_alone = alone.detect(doc)
        found = both.detect(doc)
        if found.watchlist == "isis-libya":
            assert (found.score, found.why) == (libya_alone.score, libya_alone.why)


def test_the_example_watchlist_names_its_country_and_gazetteer() -> None:
    watchlist = Watchlist.load(TUNISIA)
    assert watchlist.country.code == "TN" and watchlist.country.name == "تونس"
    assert watchlist.gazetteer is not None and watchlist.gazetteer.name == "gazetteer-tunisia.yaml"
    libya = Watchlist.load(LIBYA)
    assert libya.country.code == "LY" and libya.gazetteer is not None
    assert libya.gazetteer.name == "gazetteer.yaml"


def test_the_tunisian_gazetteer_is_sound() -> None:
    gazetteer = Gazetteer.load(Watchlist.load(TUNISIA).gazetteer)
    assert len({p.id for p in gazetteer.places}) == len(gazetteer) >= 100
    regions = {p.region for p in gazetteer.places if p.kind == "region"}
    for place in gazetteer.places:
        # Tunisia, within its borders (30.2–37.6 N, 7.5–11.6 E)
        assert 30.2 <= place.lat <= 37.6 and 7.5 <= place.lon <= 11.6, place.id
        assert place.region in regions or place.kind == "country", place.id
        assert place.sources, place.id
    for name, place_id in [
        ("سوسة", "sousse"), ("Sousse", "sousse"), ("بنقردان", "ben-guerdane"),
        ("القصرين", "kasserine"), ("الشعانبي", "jebel-chaambi"), ("تونس العاصمة", "tunis"),
        ("صفاقس", "sfax"), ("بنزرت", "bizerte"), ("قفصة", "gafsa"), ("القيروان", "kairouan"),
        ("المنستير", "monastir"), ("جزيرة جربة", "djerba"), ("مدنين", "medenine"),
        ("تطاوين", "tataouine"), ("سيدي بوزيد", "sidi-bouzid"), ("جندوبة", "jendouba"),
        ("الكاف", "le-kef"), ("Le Kef", "le-kef"),
    ]:  # fmt: skip
        found = gazetteer.lookup(name)
        assert found is not None and found.id == place_id, name
    # No Libyan place leaks in: Libya is a country of markers here.
    assert gazetteer.lookup("سبها") is None and "LY" in gazetteer.countries
    path = Watchlist.load(TUNISIA).gazetteer
    assert path is not None
    sources = (path.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert "gazetteer-tunisia.yaml" in sources and "GeoNames" in sources and "ODbL" in sources
