"""What the settings schema cannot judge alone: chat URLs Apprise must read, places the gazetteer must know,
the watchlists and their gazetteers.

`config/` may not import Apprise or detection, so these checks run here, on the YAML as read,
and report at the same `file:line` as the schema's own errors, in the same pass.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from config.loader import ConfigReport
from config.settings import Settings

if TYPE_CHECKING:
    from crawler.detect.facts.gazetteer import Gazetteer
    from crawler.detect.watchlist import Watchlist


def _subscriptions(report: ConfigReport) -> Iterator[tuple[int, dict[str, Any]]]:
    raw = report.data.get("subscriptions")
    for index, sub in enumerate(raw if isinstance(raw, list) else []):
        if isinstance(sub, dict):
            yield index, sub


def _listed(value: Any) -> list[Any]:
    if isinstance(value, str | dict):
        return [value]
    return value if isinstance(value, list) else []


def chat_problems(report: ConfigReport) -> list[str]:
    """Each chat URL that Apprise (or Raqib's webhook channel) cannot use, at its line."""
    from alerts.subscriptions import chat_channel

    settings = report.settings or Settings()
    problems = []
    # Apprise logs its own complaint (with the URL in it) before we report ours: ours is enough.
    apprise_log = logging.getLogger("apprise")
    level = apprise_log.level
    apprise_log.setLevel(logging.CRITICAL)
    try:
        for index, sub in _subscriptions(report):
            for position, target in enumerate(_listed(sub.get("chat"))):
                url = target.get("url") if isinstance(target, dict) else target
                if not isinstance(url, str):
                    continue  # the schema says what is wrong with it
                try:
                    chat_channel(settings, url)
                except ValueError as exc:
                    where = report.where("subscriptions", index, "chat", position)
                    problems.append(f"{where}: subscriptions.{index}.chat.{position}: {exc}")
    finally:
        apprise_log.setLevel(level)
    return problems


def _watchlists(report: ConfigReport) -> list[Watchlist]:
    """The configured watchlists that load (`watchlist_problems` says what is wrong with the
    others)."""
    from crawler.detect.watchlist import Watchlist, WatchlistError

    loaded = []
    for path in report.settings.watchlists if report.settings else []:
        try:
            loaded.append(Watchlist.load(path))
        except (WatchlistError, OSError):
            continue
    return loaded


def _gazetteers(report: ConfigReport) -> list[Gazetteer]:
    """The gazetteers detection would use: each configured watchlist's, or the setting's."""
    from crawler.detect.detector import load_gazetteers

    override = report.settings.gazetteer if report.settings else None
    found = load_gazetteers(_watchlists(report), override)
    return list({id(g): g for g in found.values()}.values())


def settings_gazetteers(settings: Settings) -> list[Gazetteer]:
    """The gazetteers of the configured watchlists (Libya's first when it is watched): where a
    place a person types (a subscription's, a correction's) is looked up."""
    from crawler.detect.detector import load_gazetteers
    from crawler.detect.facts.gazetteer import Gazetteer
    from crawler.detect.watchlist import Watchlist

    watchlists = [Watchlist.load(path) for path in settings.watchlists]
    found = list(
        {id(g): g for g in load_gazetteers(watchlists, settings.gazetteer).values()}.values()
    )
    return found or [Gazetteer.load(settings.gazetteer)]


def watchlist_problems(report: ConfigReport) -> list[str]:
    """Each watchlist and gazetteer that would not load, or loads with a mistake, at its
    `file:line`: bad YAML, unknown keys, a missing country, coordinates out of range, names
    given twice."""
    from crawler.detect.facts import gazetteer
    from crawler.detect.watchlist import Watchlist, WatchlistError

    settings = report.settings
    if settings is None:
        return []
    problems = []
    loaded: dict[str, int] = {}
    gazetteers: dict[Path, str] = {}
    countries: set[str] = set()
    for index, path in enumerate(settings.watchlists):
        try:
            watchlist = Watchlist.load(path)
        except (WatchlistError, OSError) as exc:
            problems.append(str(exc))
            continue
        countries.add(watchlist.country.code)
        if watchlist.name in loaded:
            problems.append(
                f"{report.where('watchlists', index)}: watchlists.{index}: {path} is named "
                f"{watchlist.name!r} like watchlists.{loaded[watchlist.name]}: give each "
                "watchlist its own `name` (alerts and `raqib scan` tell them apart by it)"
            )
        loaded.setdefault(watchlist.name, index)
        if watchlist.gazetteer is not None and settings.gazetteer is None:
            gazetteers.setdefault(watchlist.gazetteer, watchlist.name)
    if settings.gazetteer is not None:
        gazetteers[settings.gazetteer] = "the `gazetteer` setting"
        if len(countries) > 1:
            problems.append(
                f"{report.where('gazetteer')}: gazetteer: one gazetteer replaces the own of "
                f"watchlists of {len(countries)} countries ({', '.join(sorted(countries))}): "
                "remove the setting and let each watchlist name its country's gazetteer"
            )
    for path in gazetteers:
        problems += gazetteer.check(Path(path))
    return problems


def place_problems(report: ConfigReport) -> list[str]:
    """Place and region names in subscription filters that no alert could ever carry."""
    from alerts.subscriptions import fold
    from crawler.detect.facts.gazetteer import GazetteerError

    try:
        gazetteers = _gazetteers(report)
    except GazetteerError:
        return []  # watchlist_problems says what is wrong with it
    every = [place for g in gazetteers for place in g.places]
    names = sorted({place.name for place in every})
    regions = {fold(p.region) for p in every if p.region}
    regions |= {fold(p.district) for p in every if p.district}
    regions |= {fold(p.name) for p in every if p.kind in ("region", "district")}

    def lookup(name: str) -> Any:
        return next((p for g in gazetteers if (p := g.lookup(name)) is not None), None)

    problems = []
    for index, sub in _subscriptions(report):
        for position, name in enumerate(_listed(sub.get("places"))):
            if not isinstance(name, str):
                continue
            where = report.where("subscriptions", index, "places", position)
            key = f"subscriptions.{index}.places.{position}"
            place = lookup(name)
            if place is None:
                close = difflib.get_close_matches(name, names, n=3)
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                problems.append(f"{where}: {key}: the gazetteer knows no place {name!r}{hint}")
            elif fold(name) != fold(place.name):
                problems.append(
                    f"{where}: {key}: alerts name this place {place.name!r}; write that (the "
                    f"filter compares names as alerts carry them, and {name!r} would never match)"
                )
        for position, name in enumerate(_listed(sub.get("regions"))):
            if isinstance(name, str) and fold(name) not in regions:
                where = report.where("subscriptions", index, "regions", position)
                problems.append(
                    f"{where}: subscriptions.{index}.regions.{position}: no region or district "
                    f"named {name!r} (regions: طرابلس, برقة, فزان or Tripolitania, Cyrenaica, "
                    "Fezzan; or a district of the gazetteer)"
                )
    return problems


def subscription_places(gazetteer: Any, places: Iterable[str], regions: Iterable[str]) -> list[str]:
    """A new subscription's places as alerts name them (an English or variant name becomes the
    gazetteer's own); ValueError for a place or region no alert could ever carry."""
    from alerts.subscriptions import fold

    named = []
    for name in places:
        place = gazetteer.lookup(name)
        if place is None:
            raise ValueError(f"--place: the gazetteer knows no place {name!r}")
        named.append(place.name)
    known = {fold(p.region) for p in gazetteer.places if p.region}
    known |= {fold(p.district) for p in gazetteer.places if p.district}
    known |= {fold(p.name) for p in gazetteer.places if p.kind in ("region", "district")}
    for name in regions:
        if fold(name) not in known:
            raise ValueError(
                f"--region: no region or district named {name!r} (طرابلس, برقة, فزان or "
                "Tripolitania, Cyrenaica, Fezzan; or a district)"
            )
    return named


def unsubscribe_problems(report: ConfigReport) -> list[str]:
    """An unsubscribe address without the secret that signs its links."""
    from alerts import unsubscribe

    settings = report.settings
    if settings is None or not settings.alerts.public_url or unsubscribe.secret() is not None:
        return []
    where = report.where("alerts", "public_url")
    return [
        f"{where}: alerts.public_url is set but ${unsubscribe.SECRET_ENV} is not (at least 16 "
        "characters): e-mails would carry no unsubscribe link; set the variable, or remove "
        "alerts.public_url"
    ]


def lexicon_problems() -> list[str]:
    """Mistakes in detection's word lists (crawler/detect/data/lexicons), each at its file:line."""
    try:
        from crawler.detect.lexicon import problems
    except ValueError as exc:  # a list detection cannot read stops its import, naming every one
        if type(exc).__name__ != "LexiconError":
            raise
        return str(exc).splitlines()
    return problems()


def delivery_problems(report: ConfigReport) -> list[str]:
    """Every problem of the subscriptions that only Apprise, the gazetteer and the environment
    can see, and of detection's word lists (without which the gazetteer cannot load)."""
    lexicons = lexicon_problems()
    places = [] if lexicons else place_problems(report)
    return chat_problems(report) + places + unsubscribe_problems(report) + lexicons


def detection_problems(report: ConfigReport) -> list[str]:
    """Every problem `raqib check` finds beyond the schema: delivery's and detection's."""
    lexicons = lexicon_problems()
    watchlists = [] if lexicons else watchlist_problems(report)
    return watchlists + delivery_problems(report)
