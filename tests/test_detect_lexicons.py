"""Detection's word lists as data: the shipped lexicons load, and each mistake is named at file:line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config.loader import DEFAULT_CONFIG
from crawler.detect.facts import casualties, dates, numbers
from crawler.detect.lexicon import LEXICONS, SCHEMAS, LexiconError, load, problems, validate
from crawler.detect.text.normalise import normalise

ROOT = Path(__file__).resolve().parent.parent


def write(directory: Path, name: str, body: str) -> Path:
    """A lexicon file `name` with `body` first, then every list the body leaves out, empty: the
    body's lines keep their numbers and no other list is missing."""
    lines = [body]
    for key, shape in SCHEMAS[name].items() if not body.startswith("-") else ():
        if not any(line.startswith(f"{key}:") for line in body.splitlines()):
            if shape.kind == "groups":
                lines.append(f"{key}:\n" + "".join(f"  {group}: []\n" for group in shape.keys))
            else:
                lines.append(f"{key}: {{}}" if shape.kind == "values" else f"{key}: []")
    path = directory / f"{name}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# (lexicon, the file's first lines, the line of the problem, what the message says)
MISTAKES = [
    ("report", "announced: [قال\nearlier: []", 2, "not valid YAML"),
    ("report", "- قال", 1, "a lexicon is a mapping of list names to lists of words"),
    ("report", "anounced: [قال]", 1, "anounced: no such list in report.yaml (did you mean announced?)"),
    ("report", "announced: []\nannounced: [قال]", 2, "announced: given twice (first at line 1)"),
    ("report", "announced: قال", 1, "announced: expected a list of words ([word, word, …]), found «قال»"),
    ("report", "announced:\n  - قال\n  - 12", 3, "announced: expected a word, found '12'"),
    ("report", "announced:\n  - قال\n  - [أكد]", 3, "announced: expected a word, found a list"),
    ("report", "announced: [قال, '']", 1, "announced: an empty word; remove it"),
    ("report", "announced: [قال, said]", 1, "announced: «said» is not an Arabic word ('s' (U+0073)"),
    ("report", "announced: [قال، أكد]", 1, "announced: «قال، أكد» is not an Arabic word («،» inside"),
    ("report", "announced: [قال, ' أكد']", 1, "announced: « أكد» is not an Arabic word (spaces"),
    ("report", "announced: [قال, 3]", 1, "announced: expected a word, found '3'"),
    ("report", "announced:\n  - قال\n  - أكد\n  - قال", 4, "announced: «قال» is listed twice (first at line 2)"),
    (
        "report", "announced:\n  - أكد\n  - اكد", 3,
        "announced: «اكد» is «أكد» (line 2) once normalised (both read «اكد»",
    ),
    ("dates", "months:\n  1: [يناير]\n  13: [ديسمبر]", 3, "months.13: no such group in dates.yaml"),
    ("dates", "months:\n  1: [يناير]", 1, "months.2: missing"),
    ("casualties", "groups:\n  security: [جندي]", 1, "groups.civilians: missing (write `civilians: []`"),
    ("dates", "weekdays: [الجمعة]", 1, "weekdays: expected a mapping of monday, tuesday"),
    (
        "dates", "weekdays:\n  friday: [الجمعة]\n  saturday: [السبت, الجمعة]", 3,
        "weekdays: «الجمعة» is listed twice (first at line 2)",
    ),
    ("dates", "ambiguous_months: [آب]", 1, "ambiguous_months: «آب» is not in months; add it there first"),
    ("numbers", "units: {واحد: one}", 1, "units: «واحد» needs a whole number, found «one»"),
    ("numbers", "units: [واحد]", 1, "units: expected a mapping of words to numbers"),
    ("numbers", "units: {اثنين: 2, إثنين: 2}", 1, "units: «إثنين» is «اثنين» (line 1) once normalised"),
    ("casualties", "killed_phrases: [أودى بحياة, أودى]", 1, "killed_phrases: «أودى» is not two words"),
    ("numbers", "ordinals: {}", 1, "ordinals: empty; a pattern is built from it"),
    ("dates", "months:\n  1: [يناير]\n  2: []", 3, "months.2: empty; a pattern is built from it"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "body", "line", "message"), MISTAKES)
def test_a_mistake_is_named_at_its_file_and_line(
    tmp_path: Path, name: str, body: str, line: int, message: str
) -> None:
    path = write(tmp_path, name, body)
    found = validate(path)
    assert any(p.startswith(f"{path}:{line}: {message}") for p in found), found
    with pytest.raises(LexiconError) as caught:
        load(name, tmp_path)
    assert f"{path}:{line}: {message}" in str(caught.value)


def test_a_missing_list_is_named() -> None:
    path = LEXICONS.parent / "never.yaml"
    assert validate(path) == [
        f"{path}:1: no lexicon of this name (detection reads casualties.yaml, numbers.yaml, "
        "dates.yaml, report.yaml)"
    ]


def test_a_list_left_out_is_named(tmp_path: Path) -> None:
    path = tmp_path / "report.yaml"
    path.write_text(
        "announced: [قال]\nbackground: []\ndevelopment: []\ncorrection: []\nnowadays: []\n"
        "denial: []\nnew_statement: []\nno_link: []\nlikened: []\nreceived: []\n",
        encoding="utf-8",
    )
    assert validate(path) == [
        f"{path}:1: earlier: missing; detection reads this list (write `earlier: []` to leave it "
        "empty)"
    ]
    path = tmp_path / "numbers.yaml"
    path.write_text("units: {واحد: 1}\n", encoding="utf-8")
    assert f"{path}:1: tens: missing; detection reads this list (write `tens: {{}}`" in (
        "\n".join(validate(path))
    )


def test_every_file_is_checked_and_a_stray_one_is_named(tmp_path: Path) -> None:
    for name in SCHEMAS:
        shutil.copy(LEXICONS / f"{name}.yaml", tmp_path)
    write(tmp_path, "report", "announced: [said]")
    (tmp_path / "places.yaml").write_text("towns: [سرت]\n", encoding="utf-8")
    found = problems(tmp_path)
    assert [p.split(": ")[0] for p in found] == [
        f"{tmp_path / 'report.yaml'}:1",
        f"{tmp_path / 'places.yaml'}:1",
    ], found
    assert "no lexicon of this name" in found[1]
    # loading any one file names the others' mistakes too: one run shows them all
    with pytest.raises(LexiconError) as caught:
        load("report", tmp_path)
    assert str(caught.value).splitlines() == found


def test_the_shipped_lexicons_have_no_mistakes() -> None:
    assert problems() == []


def test_the_readers_hold_the_words_of_the_files() -> None:
    # a word added to a file is a word detection reads, normalised and with its grammar
    assert normalise("أعدموا") in casualties.KILLED_BEFORE
    assert "الاعدام" in casualties.KILLED_BEFORE  # the article, added in code
    assert casualties.GROUP_OF["المسلحين"] == casualties.MILITANTS
    assert casualties.KILLED_PHRASES[0] == ("اودي", "بحياه")
    assert numbers.UNITS["ثلاثه"] == 3 and numbers.ORDINALS["رابع"] == 4
    assert dates.MONTHS["اذار"] == 3 and dates.WEEKDAYS["الجمعه"] == 4


def test_raqib_check_names_a_broken_lexicon_at_its_line(tmp_path: Path) -> None:
    # A copy of the package with two broken word lists: detection cannot even be imported, and
    # `raqib check` still names every mistake at its line, in its usual list.
    shutil.copytree(ROOT / "crawler", tmp_path / "crawler")
    lexicons = tmp_path / "crawler" / "detect" / "data" / "lexicons"
    numbers_file = lexicons / "numbers.yaml"
    text = numbers_file.read_text(encoding="utf-8")
    numbers_file.write_text(text.replace("ثلاثة: 3", "ثلاثة: three"), encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "ثلاثة: 3" in t)
    report_file = lexicons / "report.yaml"
    report_file.write_text(
        report_file.read_text(encoding="utf-8").replace("announced: [", "announced: [\n  said,"),
        encoding="utf-8",
    )
    report_line = next(
        n for n, t in enumerate(report_file.read_text(encoding="utf-8").splitlines(), 1)
        if "said" in t
    )  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "crawler", "--config", str(DEFAULT_CONFIG), "check"],
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert f"{numbers_file}:{line}: units: «ثلاثة» needs a whole number, found «three»" in (
        result.stderr
    )
    assert f"{report_file}:{report_line}: announced: «said» is not an Arabic word" in result.stderr
    assert "Traceback" not in result.stderr


def test_every_word_that_starts_a_count_passes_the_cheap_test_before_it() -> None:
    """A sentence's counts are read only when a cheap pattern finds a casualty word in it: every
    word of the lists that start or name a count must pass it (ضحيته once did not)."""
    from crawler.detect.facts.report import has_casualty_words

    lexicon = load("casualties")
    # (duals and «عدد» count only beside one of these)
    plain = (
        "killed_before",
        "injured_before",
        "killed_phrases",
        "died",
        "met_death",
        "killed_after",
        "injured_after",
        "killed_verbs",
        "injured_verbs",
        "shot_dead",
        "loss",
    )  # fmt: skip
    words = [w for name in plain for w in lexicon.ordered(name)]
    for name in ("dual_nouns", "one_casualty", "named_toll", "self_stems"):
        words += [w for group in lexicon.groups(name).values() for w in group]
    missed = [w for w in words if not has_casualty_words(w + "ه")]
    assert not missed, f"add these to report._CASUALTY_HINTS: {missed}"


def test_patterns_over_normalised_text_are_written_normalised() -> None:
    """Detection's regular expressions read normalised text: a letter normalising folds away
    (ئ، أ، ة، ى …) can never match («خسائر بشرية» once never did)."""
    import re

    from crawler.detect import detector
    from crawler.detect.facts import places, report
    from crawler.detect.text import sentences

    folded = "أإآٱةىئؤـ"
    bad = [
        f"{module.__name__}.{name}: {sorted(set(value.pattern) & set(folded))}"
        for module in (casualties, report, places, dates, numbers, sentences, detector)
        for name, value in vars(module).items()
        if isinstance(value, re.Pattern) and set(str(value.pattern)) & set(folded)
    ]
    assert not bad, bad
