"""`raqib scan --jsonl --cluster` on a stream of our reports, and `raqib incidents [show ID]` on Redis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from alerts.spine.keyspace import Keyspace
from crawler.incidents.store import IncidentStore
from tests.conftest import raqib
from tests.support import incident_reports as r
from tests.support.redis_mode import client_for


def _scan_cluster(tmp_path: Path, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
    path = tmp_path / "reports.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8")
    done = raqib("scan", "--jsonl", "--cluster", str(path))
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_scan_cluster_adds_incident_and_kind_to_each_line_in_order(tmp_path: Path) -> None:
    stream = [*r.FIVE_OUTLETS, r.NOT_AN_INCIDENT, r.WEEK_LATER, r.SABHA_SAME_DAY]
    out = _scan_cluster(tmp_path, [d.line() for d in stream])
    assert [o["id"] for o in out] == [d.slug for d in stream]
    five, football, week, sabha = out[:6], out[6], out[7], out[8]
    assert [(o["kind"], tuple(o["update_reasons"])) for o in five] == [
        (kind, reasons) for kind, reasons, _ in r.FIVE_OUTLETS_EXPECTED
    ]
    assert len({o["incident_id"] for o in five}) == 1
    assert (football["incident_id"], football["kind"]) == (None, None)
    assert week["kind"] == sabha["kind"] == "new"
    assert len({five[0]["incident_id"], week["incident_id"], sabha["incident_id"]}) == 3
    # the detection fields stay as `scan --jsonl` gives them
    assert five[0]["is_incident"] is True and five[0]["killed"] == 3


def test_scan_cluster_without_dates_uses_place_and_type(tmp_path: Path) -> None:
    lines = [{k: v for k, v in d.line().items() if k != "published"} for d in
             (r.WIRE, r.OWN_STORY, r.ARREST_SAME_TOWN)]  # fmt: skip
    out = _scan_cluster(tmp_path, lines)
    assert [o["kind"] for o in out] == ["new", "update", "new"]
    assert out[0]["incident_id"] == out[1]["incident_id"] != out[2]["incident_id"]


def test_scan_cluster_needs_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_text(r.WIRE.text, encoding="utf-8")
    done = raqib("scan", "--cluster", str(path))
    assert done.returncode == 2
    assert "--jsonl" in done.stderr


def test_incidents_lists_and_shows_with_history(
    redis_url: str, prefix: str, make_config: Any
) -> None:
    client = client_for(redis_url)
    try:
        store = IncidentStore(client, Keyspace(prefix))
        for dispatch in (*r.FIVE_OUTLETS, r.SABHA_SAME_DAY):
            store.record(dispatch.article(), r.detect(dispatch), dispatch.published)
    finally:
        client.close()
    config = make_config(redis={"url": redis_url})

    listing = raqib("--config", str(config), "incidents")
    assert listing.returncode == 0, listing.stderr
    header, *rows = listing.stdout.splitlines()
    assert header.split()[:3] == ["id", "place", "type"]
    assert len(rows) == 2
    sabha, traghen = rows  # the latest first
    assert "سبها" in sabha and "2 killed, 1 injured" in sabha
    assert "تراغن" in traghen and "attack" in traghen and "2024-03-12 06:00" in traghen
    assert "4 (+2 copies)" in traghen and "5 killed, 4 injured" in traghen
    traghen_id = traghen.split()[0]

    shown = raqib("--config", str(config), "incidents", "show", traghen_id)
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert f"incident {traghen_id}  (revision 4)" in text
    assert "claimed:    yes" in text
    assert f"copy: {r.WIRE_COPY.outlet} {r.WIRE_COPY.url}" in text
    assert "3 killed, 2 injured (adopted)" in text and "5 killed, 4 injured (adopted)" in text
    assert f"{r.OWN_STORY.outlet}: 3 killed, 2 injured (confirms)" in text
    assert "r3 update [new_source, casualties]" in text
    assert "r1 duplicate" in text and "r4 update [claim]" in text

    as_json = raqib("--config", str(config), "incidents", "show", traghen_id, "--json")
    data = json.loads(as_json.stdout)
    assert [e["kind"] for e in data["history"]] == [e[0] for e in r.FIVE_OUTLETS_EXPECTED]
    assert "signature" not in data["stories"][0]

    missing = raqib("--config", str(config), "incidents", "show", "no-such-incident")
    assert missing.returncode == 1
    assert "no incident 'no-such-incident'" in missing.stderr
