"""The casualty reading's shortcuts give what the plain definitions give. Our own sentences."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from crawler.detect.facts.casualties import CasualtyMention
from crawler.detect.facts.numbers import Number


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
