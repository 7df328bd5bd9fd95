"""The casualty reading's shortcuts give what the plain definitions give. Our own sentences."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from crawler.detect.facts import casualties
from crawler.detect.facts.casualties import CasualtyMention
from crawler.detect.facts.numbers import Number
from crawler.detect.text.normalise import normalise


def _generated(cls: type) -> type:
    """The class the dataclass decorator builds from `cls`'s fields, with its own __init__."""
    return dataclasses.make_dataclass(
        f"Generated{cls.__name__}",
        [(f.name, f.type, f) for f in dataclasses.fields(cls)],
        frozen=True,
        slots=True,
    )


@pytest.mark.parametrize(
    ("cls", "arguments"),
    [
        (CasualtyMention, [(0, "killed", 3, "victims"), (2, "injured", None, "civilians")]),
        (Number, [(4, 0, 1), (None, 2, 3)]),
    ],
)
def test_init_is_the_generated_one(cls: type, arguments: list[tuple[Any, ...]]) -> None:
    """The hand-written __init__ takes the fields in order, with their defaults, and builds the
    object the generated one builds: the same fields, repr and hash, and as frozen."""
    generated = _generated(cls)
    ours = list(inspect.signature(cls.__init__).parameters.values())[1:]
    theirs = list(inspect.signature(generated.__init__).parameters.values())[1:]
    assert [(p.name, p.default, p.kind) for p in ours] == [
        (p.name, p.default, p.kind) for p in theirs
    ]
    optional = [f for f in dataclasses.fields(cls) if f.default is not dataclasses.MISSING]
    for positional in arguments:
        keywords: list[dict[str, Any]] = [{}]
        # each optional field set alone, then all of them at once
        for field in optional:
            keywords.append({field.name: "a vague word" if field.type == "str | None" else True})
        keywords.append({k: v for each in keywords for k, v in each.items()})
        for named in keywords:
            built = cls(*positional, **named)
            made = generated(*positional, **named)
            assert dataclasses.astuple(built) == dataclasses.astuple(made)
            assert repr(built) == repr(made).replace(f"Generated{cls.__name__}", cls.__name__)
            assert hash(built) == hash(dataclasses.astuple(made))
            assert built == dataclasses.replace(built) and built == cls(*dataclasses.astuple(made))
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(built, dataclasses.fields(cls)[0].name, 9)


def _split_as_before(raw: list[str]) -> list[str]:
    """The conjunctions split as sentence_casualties split them token by token."""
    tokens: list[str] = []
    for at, token in enumerate(raw):
        if token[0] != "و":
            tokens.append(token)
        elif token[1:].isdigit() or (
            token not in casualties.UNITS
            and casualties._is_number(token[1:])
            and at + 1 < len(raw)
            and (raw[at + 1] in casualties.KILLED_AFTER or raw[at + 1] in casualties.INJURED_AFTER)
            and not (
                tokens
                and casualties._is_number(tokens[-1])
                and tokens[-1] not in casualties._AFTER_ITS_NOUN
            )
        ):
            tokens += ["و", token[1:]]
        else:
            tokens.append(token)
    return tokens


SENTENCES = [
    "قتل 3 جنود و24 مسلحا في هجوم على بوابة أمنية جنوب سبها.",
    "أسفر الهجوم عن مقتل قتيلين وثلاثة جرحى، و12 آخرين.",
    "وقتل خمسة وعشرون شخصا وأصيب و3 و٤ وثلاثة جرحى و٢٥ و² وو7 جرحى.",
    "قتيلين اثنين وثلاثة جرحى وسبعة قتلى وسبعة جرحى",
    "و5 قتلى، ثلاثة وعشرين جريحا (و6) - وسبعة مصابين",
    "ولقي سبعة حتفهم واصيب وأربعة جرحى",
    "نقل الجرحى إلى مستشفى المدينة صباح اليوم",
    "و",
]


@pytest.mark.parametrize("sentence", SENTENCES)
def test_conjunctions_split_as_token_by_token(sentence: str) -> None:
    text = normalise(sentence)
    raw = casualties._tokens(text)
    line = casualties._line(raw)
    assert casualties._opening_with_and(line) == [
        at for at, token in enumerate(raw) if token.startswith("و")
    ]
    assert casualties._split_conjunctions(raw, casualties._opening_with_and(line)) == (
        _split_as_before(raw)
    )


def test_claim_forms_are_the_words_the_look_ups_find() -> None:
    """A token is in _CLAIM_FORMS exactly where `_bare_in_claim_words` or `_bare_in_unofficial`
    finds a stem (a stem is never empty, so the look-up's answer is true)."""
    words = set(casualties._CLAIM_FORMS)
    for sentence in [
        *SENTENCES,
        "زعم تنظيم داعش في بيان أنه قتل 20 جنديا، وادعى ناشطون على مواقع التواصل مقتل ثلاثة.",
        "قال مدونون ونشطاء إن الحصيلة بلغت سبعة قتلى، فيما ادعت وكالة أعماق مقتل عشرة.",
    ]:
        words.update(casualties._tokens(normalise(sentence)))
    for word in words:
        found = casualties._bare_in_claim_words(word) or casualties._bare_in_unofficial(word)
        assert bool(found) == (word in casualties._CLAIM_FORMS), word
