"""`raqib scan` and `raqib eval`: the command-line contract other tools depend on."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from crawler.app.cli import main

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config/raqib.yaml"
KEYS = {
    "id",
    "is_incident",
    "attribution",
    "watchlist",
    "score",
    "places",
    "incident_type",
    "killed",
    "injured",
    "casualties",
    "event_date",
    "why",
}

LINES = [
    {
        "id": "a",
        "title": "هجوم لداعش في سبها",
        "text": "قتل ثلاثة جنود في هجوم شنه داعش على بوابة في سبها أمس.",
        "url": "https://example.org/a",
        "published": "2024-03-12T08:00:00Z",
    },
    {
        "id": None,
        "title": None,
        "text": "فاز الأهلي على الاتحاد في طرابلس.",
        "url": None,
        "published": None,
    },
    {"id": "c", "text": "أصدرت محكمة حكما بإعدام عناصر من داعش أدينوا بهجمات في سرت."},
]


def run(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--config", str(CONFIG), *args], input=input)
    return result.exit_code, result.output


def test_scan_jsonl_writes_one_line_per_input_in_order(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(json.dumps(line, ensure_ascii=False) for line in LINES) + "\n", encoding="utf-8"
    )
    code, output = run("scan", "--jsonl", str(path))
    assert code == 0, output
    records = [json.loads(line) for line in output.splitlines()]
    assert [r["id"] for r in records] == ["a", None, "c"]
    assert all(set(r) == KEYS for r in records)
    first = records[0]
    assert (
        first["is_incident"] is True
        and first["killed"] == 3
        and first["event_date"] == "2024-03-11"
    )
    assert first["places"][0] == {"name": "سبها", "lat": 27.0365, "lon": 14.429}
    assert first["casualties"] == [{"who": "security forces", "killed": 3, "injured": None}]
    assert isinstance(first["score"], float) and first["why"]
    assert records[1]["is_incident"] is False and records[2]["is_incident"] is False


def test_scan_reads_stdin() -> None:
    code, output = run(
        "scan", "--jsonl", "-", input=json.dumps(LINES[0], ensure_ascii=False) + "\n"
    )
    assert code == 0 and json.loads(output)["is_incident"] is True


def test_scan_plain_text() -> None:
    code, output = run("scan", "-", input="قتل ثلاثة جنود في هجوم شنه داعش على بوابة في سبها.")
    assert code == 0 and json.loads(output)["is_incident"] is True


def test_scan_explain_highlights_the_words(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(LINES[0], ensure_ascii=False) + "\n", encoding="utf-8")
    code, output = run("scan", "--explain", str(path))
    assert code == 0, output
    assert "INCIDENT" in output and "⟦داعش⟧" in output and "⟦سبها⟧" in output
    assert "rule actor-incident-place" in output


def test_scan_rejects_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text('{"id": 1}\n', encoding="utf-8")
    code, output = run("scan", "--jsonl", str(path))
    assert code == 2 and ":1: expected an object with a string `text`" in output


def test_eval_prints_figures_and_misses(tmp_path: Path) -> None:
    labelled = [
        {**LINES[0], "is_incident": True, "class": "A", "killed": 3, "locations": ["سبها"]},
        {**LINES[1], "id": "b", "is_incident": False, "class": "D"},
        {**LINES[2], "is_incident": True, "class": "A"},  # labelled wrongly on purpose: a miss
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in labelled), encoding="utf-8"
    )
    code, output = run("eval", str(path))
    assert code == 0, output
    assert "precision 1.000   recall 0.500" in output
    assert (
        "A: n=2" in output
        and "killed/injured exact (positives that state them): 1/1 (100%)" in output
    )
    assert "c [false negative]" in output
    code, output = run("eval", "--json", str(path))
    figures = json.loads(output)
    assert (
        figures["tp"] == 1 and figures["fn"] == 1 and figures["places"] == {"right": 1, "total": 1}
    )
    code, _ = run("eval", "--min-f1", "0.9", str(path))
    assert code == 1


def test_scan_says_when_the_input_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "cp1256.txt"
    path.write_bytes("هجوم لداعش على بوابة أمنية في سبها".encode("cp1256"))
    code, output = run("scan", str(path))
    assert code == 2
    assert "not UTF-8 text" in output and "iconv -f windows-1256" in output


TUNISIA = ROOT / "config/watchlists/examples/isis-tunisia.yaml"
LIBYA = ROOT / "config/watchlists/isis-libya.yaml"
SOUSSE = {
    "id": "sousse",
    "text": "أعلن تنظيم داعش مسؤوليته عن الهجوم الذي استهدف فندقا في مدينة سوسة التونسية صباح اليوم.",
    "is_incident": True,
    "locations": ["سوسة"],
}


def test_scan_and_eval_take_watchlist_files_and_name_them(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    lines = [SOUSSE, {**LINES[0], "is_incident": True, "locations": ["سبها"]}]
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    # The configuration watches Libya alone: the Sousse attack is not its incident.
    code, output = run("scan", "--jsonl", str(path))
    records = [json.loads(line) for line in output.splitlines()]
    assert code == 0 and [r["watchlist"] for r in records] == ["isis-libya", "isis-libya"]
    assert [r["is_incident"] for r in records] == [False, True]
    # --watchlist replaces the configured ones; every line names the one whose verdict it is.
    code, output = run("scan", "--jsonl", "--watchlist", str(TUNISIA), str(path))
    records = [json.loads(line) for line in output.splitlines()]
    assert code == 0 and [r["watchlist"] for r in records] == ["isis-tunisia", "isis-tunisia"]
    assert [r["is_incident"] for r in records] == [True, False]
    assert records[0]["places"][0]["name"] == "سوسة"
    both = ("--watchlist", str(LIBYA), "--watchlist", str(TUNISIA))
    code, output = run("scan", "--jsonl", *both, str(path))
    records = [json.loads(line) for line in output.splitlines()]
    assert [(r["watchlist"], r["is_incident"]) for r in records] == [
        ("isis-tunisia", True),
        ("isis-libya", True),
    ]
    # eval: the figures, places by each watchlist's own gazetteer, and whose each result is
    code, output = run("eval", *both, str(path))
    assert code == 0 and "precision 1.000   recall 1.000" in output, output
    assert "places (top place among the labelled ones, found positives): 2/2" in output
    assert "incidents by watchlist (either tier): isis-libya 1, isis-tunisia 1" in output
    code, output = run("eval", "--json", str(path))
    figures = json.loads(output)
    assert figures["watchlists"] == {"isis-libya": 1}
    assert figures["misses"] == [
        {
            "id": "sousse",
            "what": "false negative",
            "detail": "score 0.00: no rule fired (actor: yes, incident: yes, place: no)",
            "watchlist": "isis-libya",
        }
    ]


def test_scan_refuses_a_missing_watchlist_file(tmp_path: Path) -> None:
    code, output = run("scan", "--watchlist", str(tmp_path / "nowhere.yaml"), "-", input="نص")
    assert code == 2 and "nowhere.yaml" in output
