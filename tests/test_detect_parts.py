"""Detection's parts, each by a table: normalising, matching, numbers, dates, counts, gazetteer."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from crawler.detect.facts.casualties import (
    CIVILIANS,
    MILITANTS,
    SECURITY,
    VICTIMS,
    sentence_casualties,
)
from crawler.detect.facts.dates import dateline, find_dates
from crawler.detect.facts.gazetteer import DEFAULT_GAZETTEER, Gazetteer
from crawler.detect.facts.numbers import parse_number
from crawler.detect.text.matcher import Matcher, Term
from crawler.detect.text.normalise import normalise, normalise_with_offsets
from crawler.detect.watchlist import Watchlist, WatchlistError
from tests.detect_cases import CASES

ROOT = Path(__file__).resolve().parent.parent


# --- normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("دَاعِـــش", "داعش"),  # harakat, tatweel
        ("أإآٱا", "ااااا"),  # alef forms
        ("مستشفى", "مستشفي"),  # alef maqsura
        ("مصراتة", "مصراته"),  # ta marbuta
        ("مسؤول رئيس", "مسوول رييس"),  # hamza seats
        ("گ پ چ ژ ڤ ی ک", "ك ب ج ز ف ي ك"),  # Persian / Urdu letters
        ("٢٣ ۴", "23 4"),  # Arabic-Indic and Persian digits
        ("«داعش»", '"داعش"'),  # quotes
        ("أعلن، أمس؟", "اعلن, امس?"),  # Arabic punctuation
        ("سطر\nيكمل", "سطر يكمل"),  # a soft line break is a space
        ("فقرة\n\nثانية", "فقره\nثانيه"),  # a blank line ends a paragraph
        ("ISIS  Daesh", "isis daesh"),
    ],
)
def test_normalise(raw: str, folded: str) -> None:
    assert normalise(raw) == folded


def test_offsets_agree_with_normalise_on_every_case() -> None:
    tricky = ["  \n\n فقرة \r\n\r\n ثانية ", "دَاعِـــش\u200f «سرت»", "\n", "", "أ\n\n\nب"]
    for text in [c.text for c in CASES] + tricky:
        folded, offsets = normalise_with_offsets(text)
        assert folded == normalise(text)
        assert len(offsets) == len(folded)
        assert offsets == sorted(offsets)


# --- matching ---------------------------------------------------------------------------------

TERMS = [
    Term("actor", "داعش", inflect="nisba", forms=("داعش",)),
    Term("actor", "داعش", forms=("الدواعش",)),
    Term("actor", "تنظيم الدولة", forms=("الدولة الإسلامية",)),
    Term("incident", "هجوم", inflect="noun", forms=("هجوم",)),
    Term("incident", "قتل", inflect="verb", prefixes="verb", forms=("قتل",)),
    Term("place", "سرت", prefixes="name", forms=("سرت",), not_words=frozenset({"فسرت"})),
    Term("place", "القطرون", prefixes="name", forms=("القطرون",)),
    Term("place", "طرابلس", prefixes="name", forms=("طرابلس",)),
    Term("actor", "ولاية طرابلس", forms=("ولاية طرابلس",)),
]


@pytest.mark.parametrize(
    ("text", "label", "fires"),
    [
        ("هاجم داعش البلدة", "داعش", True),
        ("قتل عنصر داعشي", "داعش", True),  # nisba
        ("اعتقال ثلاثة داعشيين", "داعش", True),
        ("خلية داعشية", "داعش", True),
        ("قتل 3 دواعش", "داعش", False),  # the broken plural is its own form, with the article
        ("فر الدواعش", "داعش", True),
        ("وللدواعش خلايا", "داعش", True),  # و + لل
        ("عناصر الدولة الإسلامية", "تنظيم الدولة", True),
        ("للدولة الإسلامية", "تنظيم الدولة", True),
        ("دولة إسلامية حديثة", "تنظيم الدولة", False),  # no article: not the name
        ("شن هجوما عنيفا", "هجوم", True),
        ("الهجومين", "هجوم", True),
        ("بالهجوم", "هجوم", True),
        ("هجومية", "هجوم", False),  # another word
        ("قتلوا جنديين", "قتل", True),
        ("مقاتل", "قتل", False),  # not inside another word
        ("بسرت", "سرت", True),
        ("وسرت", "سرت", True),
        ("أسرته", "سرت", False),  # the classic trap
        ("كسرت الباب", "سرت", False),  # no ك on a name
        ("فسرت الحكومة", "سرت", False),  # not_words
        ("السرت", "سرت", False),  # a name takes no article
        ("بالقطرون", "القطرون", True),
        ("قطرون", "القطرون", False),
        ("ولاية طرابلس", "طرابلس", False),  # the longer term wins
        ("ولاية طرابلس", "ولاية طرابلس", True),
        ("الطرابلسي", "طرابلس", False),
    ],
)
def test_matcher(text: str, label: str, fires: bool) -> None:
    labels = {h.term.label for h in Matcher(TERMS).find(normalise(text))}
    assert (label in labels) is fires, labels


def test_hits_point_into_the_original_text() -> None:
    original = "قال مسؤول إن «دَاعِـش» هاجم بالقطرون."
    folded, offsets = normalise_with_offsets(original)
    hits = Matcher(TERMS).find(folded)
    surfaces = {original[offsets[h.start] : offsets[h.end - 1] + 1] for h in hits}
    assert surfaces == {"دَاعِـش", "بالقطرون"}


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("23", 23),
        ("4 آلاف", 4000),
        ("أربعة", 4),
        ("ثلاثة وعشرين", 23),
        ("أحد عشر", 11),
        ("اثنا عشر", 12),
        ("خمسة عشر", 15),
        ("مئة وخمسة وعشرين", 125),
        ("مئتين", 200),
        ("ثلاثة آلاف", 3000),
        ("ستين", 60),
        ("إحدى", 1),
        ("عشرات", None),
        ("بضعة", None),
    ],
)
def test_numbers(words: str, value: int | None) -> None:
    number = parse_number(normalise(words).split(), 0)
    assert number is not None and number.value == value


def test_not_a_number() -> None:
    assert parse_number(["جنود"], 0) is None


# --- casualty counts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("قتلت 4 من رجال الجيش", [("killed", 4, SECURITY)]),
        ("أسقطت 23 قتيلا من الإرهابيين", [("killed", 23, MILITANTS)]),
        ("مقتل 23 داعشيا، 8 منهم فجروا أنفسهم", [("killed", 23, MILITANTS)]),
        ("أدى إلى مقتل جندي وإصابة اثنين", [("killed", 1, SECURITY), ("injured", 2, VICTIMS)]),
        ("مقتل جنديين", [("killed", 2, SECURITY)]),
        ("قتل ثلاثة وعشرين مدنيا", [("killed", 23, CIVILIANS)]),
        ("أودى بحياة مدير الأمن و3 أشخاص آخرين", [("killed", 4, VICTIMS)]),
        ("قتل ستة جنود و24 مسلحا", [("killed", 6, SECURITY), ("killed", 24, MILITANTS)]),
        ("16 قتيلا و52 جريحا", [("killed", 16, VICTIMS), ("injured", 52, VICTIMS)]),
        ("18 شخصا على الأقل أصيبوا", [("injured", 18, VICTIMS)]),
        ("ارتفعت حصيلة القتلى إلى 12", [("killed", 12, VICTIMS)]),
        (
            "قتل 4 جنود وأصيب اثنان آخران في هجوم شنه مسلحون",
            [("killed", 4, SECURITY), ("injured", 2, SECURITY)],
        ),
        ("مقتل قائد اللواء 106", [("killed", 1, SECURITY)]),  # the brigade's number is no count
        ("قتل جنديان على بعد 40 كيلومترا", [("killed", 2, SECURITY)]),
        ("خطف 10 عمال", []),  # kidnapped are not casualties
    ],
)
def test_casualty_mentions(sentence: str, expected: list[tuple[str, int, str]]) -> None:
    found, _ = sentence_casualties(normalise(sentence))
    assert [(m.kind, m.count, m.who) for m in found if not m.subset] == expected


@pytest.mark.parametrize(
    ("sentence", "zero"),
    [
        ("لم يسفر الهجوم عن أي ضحايا", {"killed", "injured"}),
        ("لم يتسبب التفجير في سقوط أي ضحايا", {"killed", "injured"}),
        ("انفجرت العبوة دون وقوع إصابات", {"killed", "injured"}),
        ("ولم يصب أحد بأذى", {"killed", "injured"}),
        ("واقتصرت الأضرار على المباني المجاورة", {"killed", "injured"}),
        ("وكانت الأضرار مادية فقط", {"killed", "injured"}),
        ("وإن الخسائر مادية فقط", {"killed", "injured"}),
        # no deaths says nothing of the hurt
        ("لم يسفر الانفجار عن سقوط قتلى", {"killed"}),
        ("لم يسفر الانفجار عن قتلى أو جرحى", {"killed", "injured"}),
        ("لم يسفر الهجوم عن خسائر في الأرواح", {"killed"}),
        ("لا يزال عدد القتلى غير معروف", set()),
        ("قتل ثلاثة", set()),
    ],
)
def test_no_casualties(sentence: str, zero: set[str]) -> None:
    assert sentence_casualties(normalise(sentence))[1] == zero


def test_vague_and_approximate_counts() -> None:
    found, _ = sentence_casualties(normalise("سقوط عشرات القتلى"))
    assert found[0].count is None and found[0].vague == normalise("عشرات")
    found, _ = sentence_casualties(normalise("مقتل أكثر من 50 شخصا"))
    assert found[0].count == 50 and found[0].approximate


# --- dates ------------------------------------------------------------------------------------

TODAY = date(2022, 1, 27)  # a Thursday


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("اليوم", date(2022, 1, 27)),
        ("أمس", date(2022, 1, 26)),
        ("أول أمس", date(2022, 1, 25)),
        ("قبل ثلاثة أيام", date(2022, 1, 24)),
        ("البارحة", date(2022, 1, 26)),
        ("الليلة الماضية", date(2022, 1, 26)),
        ("ليلة أمس", date(2022, 1, 26)),
        ("أمس الأول", date(2022, 1, 25)),
        ("منذ يومين", date(2022, 1, 25)),
        ("قبل 4 أيام", date(2022, 1, 23)),
        ("شوهد في الأسبوع الفائت", date(2022, 1, 20)),
        ("قبل أسبوع", date(2022, 1, 20)),
        ("منذ أسبوعين", date(2022, 1, 13)),  # not «أسبوع» and a stray ending
        ("يوم الأحد", date(2022, 1, 23)),
        ("مساء الثلاثاء", date(2022, 1, 25)),
        ("يوم الخميس الماضي", date(2022, 1, 20)),  # told on a Thursday: a week before
        ("الخميس", date(2022, 1, 27)),  # without «الماضي»: today
        ("الأسبوع المنصرم", date(2022, 1, 20)),
        ("مساء أمس الأربعاء", date(2022, 1, 26)),  # the weekday and «أمس» agree
        ("مساء أمس الخميس", date(2022, 1, 27)),  # they disagree: the weekday, not the feed's date
        ("أمس الثلاثاء", date(2022, 1, 25)),
        ("18 يناير الجاري", date(2022, 1, 18)),
        ("في 3 من الشهر الجاري", date(2022, 1, 3)),
        ("15 كانون الثاني", date(2022, 1, 15)),  # Levantine
        ("15 جانفي", date(2022, 1, 15)),  # Maghrebi
        ("28 ديسمبر", date(2021, 12, 28)),  # after the publication day: last year
        ("نهاية أيار الماضي", date(2021, 5, 28)),
        ("9 يونيو 2015", date(2015, 6, 9)),
        ("07 يونيو 2021", date(2021, 6, 7)),
        ("08-4-2022", date(2022, 4, 8)),
        ("أيار/مايو 2015", date(2015, 5, 1)),
    ],
)
def test_dates(text: str, value: date) -> None:
    found = find_dates(normalise(text), TODAY)
    assert found and found[0].value == value, found


def test_the_weekday_that_is_also_a_number() -> None:
    assert find_dates(normalise("مقتل الاثنين"), TODAY) == []  # «the two», not Monday
    assert find_dates(normalise("يوم الاثنين"), TODAY)[0].value == date(2022, 1, 24)


def test_a_month_is_a_whole_word() -> None:
    # set 35: «13 من أبناء البلدة» holds «من أب…» but no 13 August («آب»)
    assert find_dates(normalise("لإعدام 13 من أبناء البلدة"), TODAY) == []
    assert find_dates(normalise("في 13 من آب"), TODAY)[0].value.month == 8


def test_dates_without_a_publication_date() -> None:
    assert find_dates(normalise("أمس"), None) == []
    assert find_dates(normalise("15 مارس 2016"), None)[0].value == date(2016, 3, 15)
    assert dateline(normalise("سبها 07 يونيو 2021 (وال) – أعلن")) == date(2021, 6, 7)


# --- gazetteer --------------------------------------------------------------------------------


def test_gazetteer_is_curated_and_sound() -> None:
    gazetteer = Gazetteer.load(DEFAULT_GAZETTEER)
    assert len(gazetteer) >= 300
    assert len({p.id for p in gazetteer.places}) == len(gazetteer)
    for place in gazetteer.places:
        assert 19.5 <= place.lat <= 33.5 and 9.0 <= place.lon <= 25.5, place.id
        assert place.region in ("طرابلس", "برقة", "فزان", ""), place.id
        assert place.sources, place.id
    kinds = {p.kind for p in gazetteer.places}
    assert {
        "city",
        "town",
        "village",
        "oasis",
        "oil_field",
        "port",
        "mountain",
        "district",
        "region",
    } <= kinds
    sources = (DEFAULT_GAZETTEER.parent / "SOURCES.md").read_text(encoding="utf-8")
    assert "GeoNames" in sources and "OpenStreetMap" in sources and "ODbL" in sources


@pytest.mark.parametrize(
    ("name", "place_id"),
    [
        ("مصراته", "misrata"),
        ("مصراتة", "misrata"),
        ("اجدابيا", "ajdabiya"),
        ("إجدابيا", "ajdabiya"),
        ("قطرون", "al-qatrun"),
        ("Sirte", "sirte"),
        ("جبال الهاروج", "haruj"),
        ("راس لانوف", "ras-lanuf"),
        ("ام الارانب", "umm-al-aranib"),
        ("جنوب ليبيا", "fezzan"),
    ],
)
def test_gazetteer_lookup(name: str, place_id: str) -> None:
    place = Gazetteer.load().lookup(name)
    assert place is not None and place.id == place_id


# --- watchlists as data -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", sorted((ROOT / "config/watchlists").rglob("*.yaml")), ids=lambda p: p.stem
)
def test_a_requirement_is_met_by_the_terms_whose_keys_hold_an_option(path: Path) -> None:
    """The detector finds a requirement's sentences through `term_keys`: it must say what
    `met_by` says, for every term and every requirement of the shipped watchlists."""
    from crawler.detect.watchlist import term_keys

    watchlist = Watchlist.load(path)
    requirements = {r.options: r for rule in watchlist.rules for r in rule.require}
    met = 0
    for term in watchlist.terms:
        keys = term_keys(term)
        for requirement in requirements.values():
            assert requirement.met_by(term) == (not keys.isdisjoint(requirement.options)), (
                f"{requirement} and {term.role}/{term.label}"
            )
            met += requirement.met_by(term)
    assert met > len(requirements)  # every requirement is met by some term, most by many


def test_a_user_watchlist_needs_no_code(tmp_path: Path) -> None:
    """A watchlist for another actor, written as YAML only, drives the same detector."""
    from crawler.detect import Detector, Document

    path = tmp_path / "ansar.yaml"
    path.write_text(
        """
name: ansar-al-sharia
country: {code: LY, names: [ليبيا], adjectives: [الليبي, الليبية]}
gazetteer: gazetteer.yaml
roles:
  actor:
    entries: [{label: أنصار الشريعة, forms: [أنصار الشريعة, تنظيم أنصار الشريعة]}]
  incident:
    inflect: noun
    entries: [{label: هجوم, type: attack, forms: [هجوم, هجمات]}]
rules:
  - {name: actor-incident-place, require: [actor, incident, place], window: 1, score: 0.8}
""",
        encoding="utf-8",
    )
    detector = Detector.from_files([path], None)
    found = detector.detect(Document(text="شن أنصار الشريعة هجوما على معسكر في بنغازي."))
    assert (
        found.is_incident
        and found.watchlist == "ansar-al-sharia"
        and found.places[0].name == "بنغازي"
    )
    assert not detector.detect(Document(text="شن داعش هجوما على معسكر في بنغازي.")).is_incident


@pytest.mark.parametrize(
    ("yaml_text", "message"),
    [
        (
            "name: x\nroles: {actor: {entries: [a]}}\nrulez: []\n",
            "needs `name`, `roles` and `rules`",
        ),
        (
            "name: x\nroles: {actor: {entries: [a]}}\nrules: []\ncolour: red\n",
            "unknown key 'colour'",
        ),
        (
            "name: x\nroles:\n  actor:\n    entries:\n      - {label: a, inflect: nouns}\nrules: [{name: r, require: [actor]}]\n",
            ":5: actor/a: inflect must be one of",
        ),
        (
            "name: x\nroles: {incident: {entries: [{label: a, type: riot}]}}\nrules: [{name: r, require: [incident]}]\n",
            "type must be one of",
        ),
        (
            "name: x\nroles: {actor: {entries: [a]}}\nrules: [{name: r, require: [actor, ghost]}]\n",
            "role `ghost` has no entries",
        ),
        (
            "name: x\nroles: {actor: {entries: [{label: a, wieght: 2}]}}\nrules: [{name: r, require: [actor]}]\n",
            "did you mean 'weight'?",
        ),
    ],
)
def test_watchlist_errors_say_where(tmp_path: Path, yaml_text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    with pytest.raises(WatchlistError, match=str(path).replace(".", r"\.")) as raised:
        Watchlist.load(path)
    assert message in str(raised.value)


def test_shipped_watchlist_loads() -> None:
    watchlist = Watchlist.load(ROOT / "config/watchlists/isis-libya.yaml")
    roles = {t.role for t in watchlist.terms}
    assert {"actor", "anaphor", "incident", "exclude", "hedge", "fresh"} <= roles
    assert {r.name for r in watchlist.rules} >= {
        "actor-incident-place",
        "libyan-province",
        "signature-in-libya",
    }


@pytest.mark.parametrize(
    "text",
    [
        "قتل ثلاثة جنود، وأصيب اثنان (بحسب مصدر طبي): الحصيلة 5/7",
        "هجوم على 'البوابة' - جنوب سبها 100% مؤكد",
        "قتل جنديان؛ وأصيب ثالث",  # «؛» is no plain mark: the patterns read it
        "",
    ],
)
def test_splitting_plain_text_finds_what_the_word_patterns_find(text: str) -> None:
    import re

    from crawler.detect.text.normalise import normalise
    from crawler.detect.text.sentences import split_plain

    plain = normalise(text)
    kept, dropped = split_plain(plain, keep_marks=True), split_plain(plain)
    assert kept in (None, re.findall(r"\w+|[^\w\s]", plain))
    assert dropped in (None, re.findall(r"\w+", plain))
    assert (kept is None) == ("؛" in text or not text)  # plain text is split without a pattern


def test_background_told_after_the_news_is_another_event_but_not_an_earlier_one() -> None:
    from crawler.detect.facts.report import other_and_earlier_event_sentences
    from crawler.detect.text.normalise import normalise
    from crawler.detect.text.sentences import Sentences

    text = normalise(
        "هاجم مسلحون بوابة في سبها اليوم. يذكر أن المدينة شهدت هجمات عدة."
        " وكان التنظيم قد هاجم البوابة نفسها العام الماضي."
    )
    others, earlier = other_and_earlier_event_sentences(Sentences(text), None)
    assert 1 in others and 1 not in earlier  # «يذكر أن»: background, perhaps of this event
    assert 2 in others and 2 in earlier  # «العام الماضي»: an earlier event


def test_the_words_around_an_offset_are_what_the_word_pattern_finds() -> None:
    """`words_before`/`words_after` take the pieces between blanks when those are whole words;
    at every offset of our sentences, and every count, they read what `\\w+` reads."""
    import re

    from crawler.detect.text.normalise import normalise
    from crawler.detect.text.sentences import words_after, words_before

    text = normalise(
        "طرابلس - قال مصدر أمني، اليوم، إن (3) عناصر من «داعش» هاجموا بوابة 27 غرب المدينة؛"
        " وقتل جنديان وأصيب ثالث. وأكد مسؤول محلي في بلدة الفقهاء، على بعد 40 كم من سبها،"
        " أن القوة_الخاصة طاردت المهاجمين نحو الجنوب!\nونقل المصابون إلى مستشفى هون."
    )
    ends = re.compile(r"[.!?;\n]")
    # words of every length about the letters `words_before` reads, line breaks among them
    others = [
        "في يوم\nقتل رجل في سرت اليوم\n قرب هون \n",
        normalise("فروا... نحو بني وليد!\n\nو\nسرت؟ نعم؛ سرت الكبرى  \n  أجدابيا،،، ثم")
        + " طويلة" * 30,
        *(" ".join(["ك" * length] * 8) for length in range(1, 32)),
        *(" \n".join(["م" * length] * 8) for length in (1, 5, 19, 23)),
    ]

    def before_in(text: str, offset: int, count: int) -> list[str]:
        start = max(0, offset - 24 * count)
        window = text[start:offset]
        last_end = max(window.rfind(e) for e in ".!?;\n")
        cut = start > 0 and last_end < 0
        window = window[last_end + 1 :]
        found = re.findall(r"\w+", window)
        if cut and window[:1].isalnum():
            found = found[1:]  # a word the slice cut
        return found[::-1][:count]

    def after(offset: int, count: int) -> list[str]:
        window = text[offset : offset + 24 * count]
        end = ends.search(window)
        window = window[: end.start()] if end else window
        found = re.findall(r"\w+", window)
        if end is None and offset + 24 * count < len(text) and window[-1:].isalnum():
            found = found[:-1]  # a word the slice cut
        return found[:count]

    def before(offset: int, count: int) -> list[str]:
        return before_in(text, offset, count)

    checked = 0
    for offset in range(len(text) + 1):
        for count in (1, 2, 3, 5):
            assert words_before(text, offset, count) == before(offset, count), (offset, count)
            assert words_after(text, offset, count) == after(offset, count), (offset, count)
            checked += 1
    assert checked == 4 * (len(text) + 1)
    for other in others:
        for offset in range(len(other) + 1):
            found = words_before(other, offset, 5)
            assert found == before_in(other, offset, 5), (other, offset)
    at = text.index("الفقهاء")
    assert words_before(text, at, 3) == ["بلده", "في", "محلي"]
    assert words_after(text, at, 2) == ["الفقهاء", "علي"]


@pytest.mark.parametrize(
    "text",
    [
        "قتل 3 جنود. وأصيب 1.5 مليار... ثم انفجرت سيارة!؟ هل هذا صحيح؟ نعم; لا\n\nفقرة",
        "بلغت الخسائر 5..6 ملايين. ثم 7.", "..", "...", ".9 و9.", "أ..ب.", "؟!;\n\n",
        "سبها 07.06.2021 - قتل جنديان", "", "   ", "بلا نهاية",
        "منذ سقوط النظام عام 2011. وتبنى التنظيم الهجوم", "ارتفع العدد إلى 5.", "قتل 3.5. ثم",
    ],
)  # fmt: skip
def test_sentence_ends_are_where_the_pattern_finds_them(text: str) -> None:
    from crawler.detect.text.normalise import normalise
    from crawler.detect.text.sentences import SENTENCE_END, sentence_spans

    plain = normalise(text)
    expected: list[tuple[int, int]] = []
    start = 0
    for match in SENTENCE_END.finditer(plain):
        if plain[start : match.start()].strip():
            expected.append((start, match.start()))
        start = match.end()
    if plain[start:].strip():
        expected.append((start, len(plain)))
    assert sentence_spans(plain) == expected


def test_a_dot_after_a_number_ends_its_sentence() -> None:
    # «… عام 2011. وتبنى …»: a wire's background ends at its year, and the claim after it is a
    # sentence of its own; a dot between digits (1.5، 07.06.2021) ends nothing
    from crawler.detect.text.sentences import Sentences

    text = "تشهد البلاد فوضى منذ عام 2011. وتبنى التنظيم الهجوم في 07.06.2021 وخسر 1.5 مليون."
    assert [text[a:b].strip() for a, b in Sentences(text).spans] == [
        "تشهد البلاد فوضى منذ عام 2011",
        "وتبنى التنظيم الهجوم في 07.06.2021 وخسر 1.5 مليون",
    ]


@pytest.mark.parametrize(
    ("text", "word", "inside"),
    [
        ("عرضت القناة فيلما بعنوان «المحاكمة» عن الحرب", "المحاكمة", True),
        ("نشر التنظيم إصدارا مرئيا بعنوان «حصاد الصحراء» يظهر إعدام ثلاثة", "حصاد", True),
        # the title closed before the word, however short
        ("عرضت القناة فيلما بعنوان «حصاد» عن محاكمة عناصر التنظيم", "محاكمة", False),
        ("فيلم بعنوان «ا» عن محاكمة", "محاكمة", False),
        # a quote that no word for a title opens
        ("قال المتحدث «إن المحاكمة تأجلت»", "المحاكمة", False),
    ],
)  # fmt: skip
def test_a_word_in_a_works_quoted_name(text: str, word: str, inside: bool) -> None:
    from crawler.detect.detector import _in_a_title
    from crawler.detect.text.normalise import normalise

    plain = normalise(text)
    assert _in_a_title(plain, plain.rfind(normalise(word))) is inside
