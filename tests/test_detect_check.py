"""`raqib check` judges the watchlists and their gazetteers: every mistake at its file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from crawler.app.cli import main

ROOT = Path(__file__).resolve().parent.parent

WATCHLIST = """\
name: {name}
country: {{code: TN, names: [تونس], adjectives: [التونسي, التونسية]}}
gazetteer: places.yaml
roles:
  actor:
    entries: [{{label: داعش, forms: [داعش], inflect: nisba}}]
  incident:
    entries: [{{label: هجوم, type: attack, forms: [هجوم]}}]
rules:
  - {{name: actor-incident-place, require: [actor, incident, place], window: 1, score: 0.8}}
"""
GAZETTEER = """\
countries:
  LY: {name: ليبيا, markers: [ليبيا]}
places:
  - {id: tunisia, name: تونس, lat: 34.0, lon: 9.0, kind: country, region: '', sources: [raqib]}
  - {id: sousse, name: سوسة, lat: 35.8254, lon: 10.637, kind: city, region: الساحل, sources: [geonames]}
  - {id: sfax, name: صفاقس, lat: 34.7406, lon: 10.7603, kind: city, region: الساحل, sources: [geonames]}
"""


def check(tmp_path: Path, watchlist: str = WATCHLIST.format(name="w"), gazetteer: str = GAZETTEER,
          config: str = "watchlists: [w.yaml]\n") -> tuple[int, str]:  # fmt: skip
    (tmp_path / "w.yaml").write_text(watchlist, encoding="utf-8")
    (tmp_path / "places.yaml").write_text(gazetteer, encoding="utf-8")
    path = tmp_path / "raqib.yaml"
    path.write_text(f"data_dir: {tmp_path / 'var'}\nsources_file: null\n{config}", "utf-8")
    result = CliRunner().invoke(main, ["--config", str(path), "check"])
    return result.exit_code, result.output


def test_a_sound_watchlist_and_gazetteer_pass(tmp_path: Path) -> None:
    code, output = check(tmp_path)
    assert code == 0, output
    assert "watchlists: w (" in output and "3 places" in output


@pytest.mark.parametrize(
    ("part", "old", "new", "where", "message"),
    [
        # bad YAML
        ("watchlist", "  incident:\n", "  incident: {a: 1}}\n", "w.yaml:7", "not valid YAML"),
        ("gazetteer", "  - {id: sfax,", "  - {id: sfax, [", "places.yaml:6", "not valid YAML"),
        # unknown keys, with their line
        ("watchlist", "rules:\n", "colour: red\nrules:\n", "w.yaml:1", "unknown key 'colour'"),
        ("gazetteer", "lon: 10.637,", "lon: 10.637, population: 1,", "places.yaml:5",
         "place sousse: unknown key 'population'"),
        ("gazetteer", "  LY: {name: ليبيا,", "  LY: {nom: ليبيا, name: ليبيا,", "places.yaml:2",
         "countries.LY: unknown key 'nom'"),
        # a watchlist without its country, or with a bad one
        ("watchlist", "country: {code: TN, names: [تونس], adjectives: [التونسي, التونسية]}\n", "",
         "w.yaml:1", "a watchlist needs `country`"),
        ("watchlist", "code: TN", "code: Tunisia", "w.yaml:2", "ISO 3166-1 code"),
        ("watchlist", "names: [تونس], ", "", "w.yaml:2", "names must list the country's"),
        # a gazetteer that is not there
        ("watchlist", "gazetteer: places.yaml", "gazetteer: nowhere.yaml", "w.yaml:1",
         "gazetteer: no such file: nowhere.yaml"),
        # coordinates out of range, or not numbers
        ("gazetteer", "lat: 35.8254", "lat: 135.8254", "places.yaml:5",
         "place sousse: lat 135.8254 is out of range (-90 to 90)"),
        ("gazetteer", "lon: 10.7603", "lon: -190", "places.yaml:6",
         "place sfax: lon -190 is out of range (-180 to 180)"),
        ("gazetteer", "lat: 34.7406", "lat: north", "places.yaml:6", "lat must be a number"),
        # names given twice: a place id, a key, a country code
        ("gazetteer", "id: sfax", "id: sousse", "places.yaml:6",
         "place sousse: the id is also that of the place at"),
        ("gazetteer", "lat: 34.7406,", "lat: 34.7406, lat: 34.8,", "places.yaml:6",
         "the key 'lat' is written twice in one mapping"),
        ("gazetteer", "places:\n", "  LY: {name: ليبيا}\nplaces:\n", "places.yaml:3",
         "the key 'LY' is written twice"),
        # other mistakes of a gazetteer
        ("gazetteer", "kind: city, region: الساحل, sources: [geonames]}\n  - {id: sfax",
         "kind: metropolis, region: الساحل, sources: [geonames]}\n  - {id: sfax", "places.yaml:5",
         "kind must be one of"),
        ("gazetteer", "kind: country,", "kind: country, shared_with: [DZ],", "places.yaml:4",
         "shared_with names DZ, which `countries` does not define"),
        ("gazetteer", "  - {id: sfax, name: صفاقس, lat: 34.7406, lon: 10.7603,",
         "  - {id: sfax, name: صفاقس, lat: 34.7406,", "places.yaml:6", "place sfax: needs lon"),
    ],
)  # fmt: skip
def test_each_mistake_is_reported_at_its_line(
    tmp_path: Path, part: str, old: str, new: str, where: str, message: str
) -> None:
    watchlist, gazetteer = WATCHLIST.format(name="w"), GAZETTEER
    if part == "watchlist":
        assert old in watchlist
        watchlist = watchlist.replace(old, new)
    else:
        assert old in gazetteer
        gazetteer = gazetteer.replace(old, new)
    code, output = check(tmp_path, watchlist, gazetteer)
    assert code == 2, output
    assert f"{tmp_path / where}:" in output and message in output, output
    line = next(x for x in output.splitlines() if message in x)
    assert line.strip().startswith(f"{tmp_path / where}:"), line


def test_two_watchlists_of_one_name_are_refused_at_the_settings_line(tmp_path: Path) -> None:
    (tmp_path / "v.yaml").write_text(WATCHLIST.format(name="w"), encoding="utf-8")
    code, output = check(tmp_path, config="watchlists:\n  - w.yaml\n  - v.yaml\n")
    assert code == 2, output
    assert f"{tmp_path / 'raqib.yaml'}:5: watchlists.1:" in output
    assert "named 'w' like watchlists.0" in output


def test_every_problem_comes_out_in_one_pass(tmp_path: Path) -> None:
    gazetteer = GAZETTEER.replace("lat: 35.8254", "lat: 135.8254").replace(
        "id: sfax", "id: x, id: y"
    )
    code, output = check(tmp_path, gazetteer=gazetteer)
    assert code == 2 and "lat 135.8254 is out of range" not in output  # the YAML error is first
    gazetteer = GAZETTEER.replace("lat: 35.8254", "lat: 135.8254").replace(
        "lon: 10.7603", "lon: 190"
    )
    code, output = check(tmp_path, gazetteer=gazetteer)
    assert code == 2 and "lat 135.8254" in output and "lon 190" in output, output


def test_one_place_written_twice_is_refused_and_namesakes_far_apart_are_not(
    tmp_path: Path,
) -> None:
    twice = GAZETTEER + (
        "  - {id: sousse-city, name: مدينة سوسة, variants: [سوسة], lat: 35.83, lon: 10.64,"
        " sources: [osm]}\n"
    )
    code, output = check(tmp_path, gazetteer=twice)
    assert code == 2, output
    assert f"{tmp_path / 'places.yaml'}:7: place sousse-city: «سوسه» also names sousse" in output
    assert "1 km away: one place written twice?" in output
    namesake = GAZETTEER + (
        "  - {id: susa, name: سوسة, lat: 32.8976, lon: 21.9651, sources: [geonames]}\n"
    )
    code, output = check(tmp_path, gazetteer=namesake)
    assert code == 0, output


def test_one_gazetteer_setting_for_two_countries_is_refused(tmp_path: Path) -> None:
    libya = ROOT / "config/watchlists/isis-libya.yaml"
    code, output = check(
        tmp_path, config=f"gazetteer: places.yaml\nwatchlists:\n  - w.yaml\n  - {libya}\n"
    )
    assert code == 2, output
    assert f"{tmp_path / 'raqib.yaml'}:3: gazetteer: one gazetteer replaces the own" in output


def test_the_shipped_watchlists_pass(tmp_path: Path) -> None:
    tunisia = ROOT / "config/watchlists/examples/isis-tunisia.yaml"
    libya = ROOT / "config/watchlists/isis-libya.yaml"
    code, output = check(tmp_path, config=f"watchlists:\n  - {libya}\n  - {tunisia}\n")
    assert code == 0, output
    assert "watchlists: isis-libya, isis-tunisia" in output and "487 places" in output
