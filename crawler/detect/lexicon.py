"""Detection's word lists as data: the lexicon files, read once and checked with file:line.

Each file in `data/lexicons/` is a mapping of list names to words (casualties.yaml: the triggers,
nouns and sides of a toll; numbers.yaml: number words; dates.yaml: months and weekdays;
report.yaml: the words that date a report). The fact readers load their file at import and
read each list as their grammar needs it (with the article, with a clitic, by stem); this
module only reads, checks and normalises. `raqib check` calls `problems()`; a file that does
not pass stops detection's import with the same list, so a broken word list never half-loads.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from config.safeyaml import YamlError, compose_yaml
from crawler.detect.text.normalise import normalise

LEXICONS = Path(__file__).resolve().parent / "data" / "lexicons"
# libyaml's parser when PyYAML has it: the lexicons are read at every start, and it is ten times
# faster than the pure-Python one (the same nodes, with the same lines).
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# Arabic letters (hamza to ya, alef wasla) and harakat, words apart by one space: anything else
# (a Latin letter, a digit, «،» for «,», a tatweel) is a typing mistake no text would match.
_WORD = re.compile(r"[\u0621-\u063a\u0641-\u0652\u0671]+(?: [\u0621-\u063a\u0641-\u0652\u0671]+)*")
_LETTER = re.compile(r"[\u0621-\u063a\u0641-\u064a\u0671]")


@dataclass(frozen=True)
class Shape:
    """What one list holds.

    `words`: a list of words; `pairs`: a list of two-word phrases; `values`: a mapping of words
    to whole numbers; `groups`: a mapping of the names in `keys` to lists of words. `filled`:
    a pattern is built from its words, so it (each of its groups) needs one at least."""

    kind: str
    keys: tuple[str, ...] = ()
    filled: bool = False


WORDS = Shape("words")
PAIRS = Shape("pairs")
VALUES = Shape("values")


def groups(*keys: str, filled: bool = False) -> Shape:
    return Shape("groups", keys, filled)


_KINDS = groups("killed", "injured")

# Every list a fact reader reads, by file: a name not here is a mistake (or a list no code reads).
SCHEMAS: dict[str, dict[str, Shape]] = {
    "casualties": {
        "killed_before": WORDS, "loss": WORDS, "injured_before": WORDS,
        "killed_phrases": PAIRS, "died": WORDS, "died_of": WORDS, "met_death": WORDS,
        "titles": WORDS, "civil_titles": WORDS, "kin_dual_stems": WORDS,
        "kin_plural_stems": WORDS, "shot_dead": WORDS,
        "named_toll": _KINDS, "killed_after": WORDS, "injured_after": WORDS,
        "killed_verbs": WORDS, "injured_verbs": WORDS, "dual_verbs": _KINDS, "one_verbs": _KINDS,
        "toll": WORDS,
        "latest": WORDS, "either": WORDS,
        "toll_total": WORDS, "became": WORDS, "ranks": WORDS, "roll_dead": WORDS,
        "roll_hurt": WORDS, "names_end": WORDS, "names_with_waw": WORDS, "names_waw_root": WORDS, "names_aside": WORDS,
        "names_killed_after": WORDS,
        "groups": groups("security", "civilians", "militants", "victims"),
        "security_orgs": WORDS, "militant_orgs": WORDS, "masculine_actor": WORDS,
        "people_of": WORDS, "fighters": WORDS, "possessed_stems": WORDS, "our_stems": WORDS,
        "duals": WORDS, "dual_nouns": _KINDS, "singulars": WORDS, "one": WORDS,
        "one_more": WORDS, "one_casualty": _KINDS, "kin_stems": WORDS, "companion_stems": WORDS,
        "of_age": WORDS, "age_years": WORDS, "self_stems": _KINDS,
        "from_them": WORDS, "others": WORDS, "among": WORDS, "subset": WORDS,
        "time": WORDS, "aside": WORDS, "other_acts": WORDS, "end_of_group": WORDS,
        "had_befallen": _KINDS, "time_aside": WORDS, "among_group": WORDS,
        "responsibility": WORDS,
        "skip_in_group": WORDS,
        "not_count_before": WORDS, "not_count_after": WORDS, "percent": PAIRS,
        "claim_words": WORDS, "unofficial": WORDS, "contrast": WORDS, "speakers": WORDS,
        "period": PAIRS, "plural_events": WORDS, "addition": PAIRS, "treated": PAIRS,
        "hurt_state": WORDS, "came_through": WORDS, "wounds": WORDS, "in_them": WORDS,
        "spans_ago": WORDS, "in_it": WORDS,
        "nobody_negators": WORDS, "nobody": WORDS, "nobody_hurt": WORDS, "nobody_killed": WORDS,
        "nobody_except": WORDS,
    },
    "numbers": {
        "units": VALUES, "tens": VALUES, "hundreds": VALUES, "thousands": VALUES,
        "vague": VALUES, "approximate": WORDS, "ordinals": Shape("values", filled=True),
    },
    "dates": {
        "months": groups(*(str(n) for n in range(1, 13)), filled=True),
        "ambiguous_months": WORDS,
        "weekdays": groups(
            "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
            filled=True,
        ),
        "part_of_month": Shape("values", filled=True),
    },
    "report": {"announced": WORDS, "earlier": WORDS, "background": WORDS, "development": WORDS,
               "correction": WORDS, "nowadays": WORDS, "denial": WORDS, "new_statement": WORDS,
               "no_link": PAIRS, "likened": WORDS, "received": WORDS},
}  # fmt: skip

# Lists whose words must be words of another list of the same file.
_WITHIN = {("dates", "ambiguous_months"): "months"}


class LexiconError(ValueError):
    """A lexicon file detection cannot read; the message lists every problem, one a line."""


@dataclass(frozen=True)
class _Word:
    text: str  # as written
    line: int


class Lexicon:
    """One file's lists, normalised as detection reads text, in the order they are written."""

    def __init__(
        self, name: str, lists: dict[str, dict[str, list[_Word]]], values: dict[str, dict[str, int]]
    ) -> None:
        self.name = name
        self._lists = lists  # list name -> group key ("" for a plain list) -> words
        self._values = values

    def ordered(self, name: str) -> tuple[str, ...]:
        """The words of a list, normalised, in the file's order."""
        return tuple(normalise(w.text) for w in self._lists[name][""])

    def words(self, name: str) -> frozenset[str]:
        """The words of a list, normalised, as a set."""
        return frozenset(self.ordered(name))

    def pairs(self, name: str) -> tuple[tuple[str, str], ...]:
        """A list of two-word phrases, each split in two, normalised."""
        split = (tuple(phrase.split(" ")) for phrase in self.ordered(name))
        return tuple((first, second) for first, second in split)

    def groups(self, name: str) -> dict[str, tuple[str, ...]]:
        """A list of groups: each group's words, normalised, in the file's order."""
        return {
            key: tuple(normalise(w.text) for w in words) for key, words in self._lists[name].items()
        }

    def values(self, name: str) -> dict[str, int]:
        """A mapping of words to numbers, the words normalised, in the file's order."""
        return {normalise(word): value for word, value in self._values[name].items()}


def load(name: str, directory: Path = LEXICONS) -> Lexicon:
    """The lexicon `name` (casualties, numbers, dates, report); the fact readers call this once,
    at import. LexiconError lists every problem of every lexicon file, not only this one's, so
    one run shows them all."""
    lexicon, found = _read(directory / f"{name}.yaml", name)
    if found or lexicon is None:
        raise LexiconError("\n".join(problems(directory)))
    return lexicon


def validate(path: Path) -> list[str]:
    """Every problem of one lexicon file, each as `file:line: message`."""
    return _read(path, path.stem)[1]


def problems(directory: Path = LEXICONS) -> list[str]:
    """Every problem of the lexicon files of `directory`: each file's own, a missing file, and
    a file that is no lexicon."""
    found: list[str] = []
    for name in SCHEMAS:
        path = directory / f"{name}.yaml"
        found += validate(path)
    for path in sorted(directory.glob("*.y*ml")):
        if path.stem not in SCHEMAS or path.suffix != ".yaml":
            found.append(
                f"{path}:1: no lexicon of this name (detection reads "
                f"{', '.join(f'{n}.yaml' for n in SCHEMAS)}); move it out of {directory}"
            )
    return found


def _read(path: Path, name: str) -> tuple[Lexicon | None, list[str]]:
    schema = SCHEMAS.get(name)
    if schema is None:
        known = ", ".join(f"{n}.yaml" for n in SCHEMAS)
        return None, [f"{path}:1: no lexicon of this name (detection reads {known})"]
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        return None, [f"{path}: cannot read lexicon: {exc.strerror or exc}"]
    except UnicodeDecodeError as exc:
        return None, [f"{path}: cannot read lexicon: not UTF-8 ({exc.reason})"]
    try:
        root, _ = compose_yaml(text, path, _LOADER)
    except YamlError as exc:
        return None, [str(exc)]
    return _Reader(path, name, schema).read(root)


class _Reader:
    """Walks one file's YAML nodes (which know their lines), checking as it collects."""

    def __init__(self, path: Path, name: str, schema: dict[str, Shape]) -> None:
        self.path, self.name, self.schema = path, name, schema
        self.problems: list[str] = []

    def problem(self, node: yaml.Node | int, message: str) -> None:
        line = node if isinstance(node, int) else node.start_mark.line + 1
        self.problems.append(f"{self.path}:{line}: {message}")

    def read(self, root: yaml.Node | None) -> tuple[Lexicon | None, list[str]]:
        lists: dict[str, dict[str, list[_Word]]] = {}
        values: dict[str, dict[str, int]] = {}
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                root or 1, "a lexicon is a mapping of list names to lists of words (name: [...])"
            )
            return None, self.problems
        seen: dict[str, int] = {}
        for key_node, value_node in root.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str) or key not in self.schema:
                self._unknown(key_node, key, self.schema, "list")
                continue
            if key in seen:
                self.problem(
                    key_node, f"{key}: given twice (first at line {seen[key]}); merge them"
                )
                continue
            seen[key] = key_node.start_mark.line + 1
            shape = self.schema[key]
            if shape.kind == "values":
                values[key] = self._values(key, value_node, shape.filled)
            elif shape.kind == "groups":
                lists[key] = self._groups(key, key_node, value_node, shape)
            else:
                lists[key] = {"": self._words(key, value_node, pairs=shape.kind == "pairs")}
                self._duplicates(key, lists[key])
        for key, shape in self.schema.items():
            if key not in seen and shape.filled:
                self.problem(1, f"{key}: missing; detection reads this list")
            elif key not in seen:
                empty = {"values": "{}", "groups": "{" + ": [], ".join(shape.keys) + ": []}"}
                self.problem(
                    1,
                    f"{key}: missing; detection reads this list (write "
                    f"`{key}: {empty.get(shape.kind, '[]')}` to leave it empty)",
                )
        for (file, key), outer in _WITHIN.items():
            if file == self.name and key in lists and outer in lists:
                known = {normalise(w.text) for ws in lists[outer].values() for w in ws}
                for word in lists[key][""]:
                    if normalise(word.text) not in known:
                        self.problem(
                            word.line, f"{key}: «{word.text}» is not in {outer}; add it there first"
                        )
        if self.problems:
            return None, self.problems
        return Lexicon(self.name, lists, values), []

    def _unknown(
        self, node: yaml.Node, key: object, allowed: dict[str, Shape] | tuple[str, ...], what: str
    ) -> None:
        names = sorted(allowed)
        close = difflib.get_close_matches(str(key), names, n=1)
        hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(names)}"
        self.problem(node, f"{key}: no such {what} in {self.name}.yaml ({hint})")

    def _items(self, key: str, node: yaml.Node, expected: str) -> Iterator[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.problem(node, f"{key}: expected {expected}, found {_what(node)}")
            return
        yield from node.value

    def _word(self, key: str, node: yaml.Node) -> _Word | None:
        if not isinstance(node, yaml.ScalarNode) or node.tag != "tag:yaml.org,2002:str":
            self.problem(node, f"{key}: expected a word, found {_what(node)}")
            return None
        text = node.value
        if not text.strip():
            self.problem(node, f"{key}: an empty word; remove it")
            return None
        if not _WORD.fullmatch(text):
            self.problem(node, f"{key}: «{text}» is not an Arabic word ({_junk(text)})")
            return None
        return _Word(text, node.start_mark.line + 1)

    def _words(
        self, key: str, node: yaml.Node, pairs: bool = False, filled: bool = False
    ) -> list[_Word]:
        expected = "a list of two-word phrases" if pairs else "a list of words ([word, word, …])"
        found = []
        if filled and isinstance(node, yaml.SequenceNode) and not node.value:
            self._unfilled(key, node)
        for item in self._items(key, node, expected):
            word = self._word(key, item)
            if word is None:
                continue
            if pairs and len(word.text.split(" ")) != 2:
                self.problem(item, f"{key}: «{word.text}» is not two words (a verb and its object)")
                continue
            found.append(word)
        return found

    def _groups(
        self, key: str, key_node: yaml.Node, node: yaml.Node, shape: Shape
    ) -> dict[str, list[_Word]]:
        keys = shape.keys
        found: dict[str, list[_Word]] = {}
        if not isinstance(node, yaml.MappingNode):
            expected = f"a mapping of {', '.join(keys)} to lists of words"
            self.problem(node, f"{key}: expected {expected}, found {_what(node)}")
            return found
        for group_node, words_node in node.value:
            group = group_node.value if isinstance(group_node, yaml.ScalarNode) else None
            if group not in keys:
                self._unknown(
                    group_node, f"{key}.{group}", tuple(f"{key}.{k}" for k in keys), "group"
                )
                continue
            if group in found:
                self.problem(group_node, f"{key}.{group}: given twice; merge them")
                continue
            found[group] = self._words(f"{key}.{group}", words_node, filled=shape.filled)
        seen = {g.value for g, _ in node.value if isinstance(g, yaml.ScalarNode)}
        for group in keys:
            if group not in seen:
                hint = "" if shape.filled else f" (write `{group}: []` to leave it empty)"
                self.problem(key_node, f"{key}.{group}: missing{hint}")
        self._duplicates(key, found)
        return found

    def _values(self, key: str, node: yaml.Node, filled: bool = False) -> dict[str, int]:
        found: dict[str, int] = {}
        firsts: dict[str, _Word] = {}
        if not isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                f"{key}: expected a mapping of words to numbers ({{word: 3, …}}), found {_what(node)}",
            )
            return found
        if filled and not node.value:
            self._unfilled(key, node)
        for word_node, value_node in node.value:
            word = self._word(key, word_node)
            if word is None:
                continue
            if (
                not isinstance(value_node, yaml.ScalarNode)
                or value_node.tag != "tag:yaml.org,2002:int"
                or not value_node.value.isdigit()
            ):
                self.problem(
                    value_node,
                    f"{key}: «{word.text}» needs a whole number, found {_what(value_node)}",
                )
                continue
            folded = normalise(word.text)
            if folded in firsts:
                self._twice(key, word, firsts[folded])
                continue
            firsts[folded] = word
            found[word.text] = int(value_node.value)
        return found

    def _duplicates(self, key: str, groups: dict[str, list[_Word]]) -> None:
        firsts: dict[str, _Word] = {}
        for words in groups.values():
            kept = []
            for word in words:
                folded = normalise(word.text)
                if folded in firsts:
                    self._twice(key, word, firsts[folded])
                    continue
                firsts[folded] = word
                kept.append(word)
            words[:] = kept

    def _unfilled(self, key: str, node: yaml.Node) -> None:
        self.problem(
            node, f"{key}: empty; a pattern is built from it, so it needs one word at least"
        )

    def _twice(self, key: str, word: _Word, first: _Word) -> None:
        if word.text == first.text:
            self.problem(
                word.line,
                f"{key}: «{word.text}» is listed twice (first at line {first.line}); remove one",
            )
        else:
            self.problem(
                word.line,
                f"{key}: «{word.text}» is «{first.text}» (line {first.line}) once normalised "
                f"(both read «{normalise(word.text)}»: hamza, ة/ه and ى/ي do not matter); keep one",
            )


def _what(node: yaml.Node | None) -> str:
    if node is None:
        return "nothing"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == "tag:yaml.org,2002:null":
        return "nothing"
    if node.tag == "tag:yaml.org,2002:str":
        return f"«{node.value}»"
    return f"{node.value!r}"


def _junk(text: str) -> str:
    if text != text.strip() or "  " in text:
        return "spaces around it or two in a row; one space between words"
    for char in text:
        if char == "،":
            return "«،» inside: list words with «,», not the Arabic comma"
        if char != " " and not _LETTER.match(char) and not "\u064b" <= char <= "\u0652":
            return f"{char!r} (U+{ord(char):04X}) is not an Arabic letter; write words in Arabic letters"
    return "write words in Arabic letters, one space between words"
