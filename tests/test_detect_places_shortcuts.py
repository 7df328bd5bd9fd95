"""The set tests that rule most place names out in `places` agree with the reading they spare:
at every word of our own sentences, the answer with the shortcut is the answer without it."""

from __future__ import annotations

import re

import pytest

from crawler.detect.facts import places
from crawler.detect.facts.gazetteer import Country
from crawler.detect.text.matcher import Hit, Term
from crawler.detect.text.normalise import normalise
from crawler.detect.text.sentences import words_before

TEXT = normalise(
    "وصلت شاحنة قادمة من الكفرة إلى معبر على الحدود مع ليبيا، وكانت متجهة نحو غات وأوباري."
    " ونقل الجرحى بسيارات الإسعاف إلى مستشفى سبها، فيما استقبل مستشفى مصراتة جثة سائق من بلدة"
    " ودان. وقال مصدر طبي في مستشفى زليتن إن شابا من سكان سرت قتل. وتسللوا عبر الأراضي الليبية"
    " للالتحاق بالتنظيم في درنة، ثم فروا صوب الجفرة. انفجرت عبوة على بعد 30 كيلومترا من"
    " بنغازي، في بلدة تبعد عن طرابلس 90 كم. وأعلن آمر منطقة سبها العسكرية أن كتيبة شهداء"
    " الزاوية انتشرت في غريان غرب العاصمة طرابلس، وعلى الطريق بين هون وودان جنوب شرق مصراتة."
    " وأقام في ليبيا عامين قبل أن يتجه إلى تونس؛ ثم عاد مع رفاقه. وعقد المتحدث مؤتمرا صحفيا"
    " في بنغازي، وقال إن المهاجمين تدربوا في معسكرات بمدينة درنة."
)
WATCHED = Country("LY", "ليبيا", ("ليبيا",), ("ليبي", "الليبية"))
_TERM = Term(role="place", label="مكان")


class _NeverDisjoint(frozenset[str]):
    """A word list that never rules a name out: the full reading runs every time."""

    def isdisjoint(self, other: object) -> bool:
        return False


def _word_hits() -> list[Hit]:
    return [
        Hit(_TERM, m.start(), m.end(), m.start(), m.end(), m.group())
        for m in re.finditer(r"\w+", TEXT)
    ]


def test_motion_needs_one_of_its_words() -> None:
    before = [words_before(TEXT, hit.start, 5) for hit in _word_hits()]
    fast = [places._is_motion(words) for words in before]
    with pytest.MonkeyPatch.context() as patch:
        # the words the full reading tested first: the towards and travel words, «من، الي، مع»
        # and the verbs of receiving
        patch.setattr(
            places,
            "_MOTION_WORDS",
            places._TOWARDS_FORMS | places._TRAVEL_FORMS | {"من", "الي", "مع"} | places._RECEIVED,
        )
        slow = [places._is_motion(words) for words in before]
    assert fast == slow
    assert 6 < sum(fast) < len(fast) // 2  # the sentences hold motion, and names without it


def test_a_role_needs_one_of_its_words() -> None:
    names = {normalise(n) for n in ("الكفرة", "ليبيا", "غات", "أوباري", "سبها", "مصراتة", "ودان")}
    names |= {normalise(n) for n in ("زليتن", "سرت", "درنة", "الجفرة", "بنغازي", "طرابلس")}
    names |= {normalise(n) for n in ("الزاوية", "غريان", "هون", "تونس")}
    hits = _word_hits()
    place_ends = {hit.end for hit in hits if hit.surface.removeprefix("و") in names}
    before = [words_before(TEXT, hit.start, 5) for hit in hits]

    def roles() -> list[str | None]:
        return [
            places._role_of_name(TEXT, hit, place_ends, words, WATCHED)
            for hit, words in zip(hits, before, strict=True)
        ]

    fast = roles()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(places, "_ROLE_WORDS", _NeverDisjoint())
        slow = roles()
    assert fast == slow
    # every role is read somewhere in the sentences
    assert {places._FAR_END, places._MEASURED, places._UNIT_NAME} < set(fast)
    assert "it locates the place named before it" in fast


def test_resolve_reads_every_name_as_it_would_without_the_shortcuts() -> None:
    """Over the table's sentences and ours, `resolve` judges each place as it does with every
    set test made to let each name through."""
    from crawler.detect import Detector
    from crawler.detect.text.sentences import Sentences
    from tests.detect_cases import CASES
    from tests.test_detect import WATCHLIST

    detector = Detector.from_files([WATCHLIST], None)
    watchlist = detector.watchlists[0]
    matcher = detector._group_of[watchlist.name].matcher
    texts = [TEXT, *(normalise(case.text) for case in CASES)]

    def judged() -> list[str]:
        return [
            repr(places.resolve(text, matcher.find(text), Sentences(text), watchlist.country))
            for text in texts
        ]

    fast = judged()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("_READ_WORDS", "_ROLE_WORDS", "_MOTION_WORDS"):
            patch.setattr(places, name, _NeverDisjoint())
        slow = judged()
    assert fast == slow
    assert sum(text.count("PlaceMention(") for text in fast) > 200


def test_mentions_are_built_as_the_dataclass_builds_them() -> None:
    """`_mention` takes PlaceMention's fields in order, with their defaults, and builds the same
    object: equal, with the same repr and hash, and as frozen."""
    import dataclasses
    import inspect

    from crawler.detect.facts.gazetteer import DEFAULT_GAZETTEER, Gazetteer

    parameters = list(inspect.signature(places._mention).parameters.values())
    assert [p.name for p in parameters] == [f.name for f in dataclasses.fields(places.PlaceMention)]
    assert [p.default for p in parameters[3:]] == [
        f.default for f in dataclasses.fields(places.PlaceMention)[3:]
    ]
    place = Gazetteer.load(DEFAULT_GAZETTEER).places[0]
    hit = _word_hits()[3]
    for arguments in [
        {},
        {"country": "TN", "reason": "a reason"},
        {"dateline": True, "motion": True},
        {"adjective": True, "unit": True, "far_end": True},
    ]:
        built = places._mention(hit, place, places.HOME, **arguments)
        made = places.PlaceMention(hit, place, places.HOME, **arguments)
        assert type(built) is places.PlaceMention
        assert built == made and repr(built) == repr(made) and hash(built) == hash(made)
        with pytest.raises(dataclasses.FrozenInstanceError):
            built.reason = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "surface", ["سبها", "جنوب ليبيا", "وادي الشاطئ الغربي", "", " سرت", "سرت "]
)
def test_the_first_word_of_a_name_is_the_split_one(surface: str) -> None:
    assert places._first_word(surface) == surface.split(" ", 1)[0]
