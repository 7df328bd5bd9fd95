"""Watchlists as data: terms grouped by role, with weights, and rules that combine roles."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields
from functools import cached_property
from pathlib import Path
from typing import Any

from config.safeyaml import LINE, LineLoader, YamlError, load_yaml
from crawler.detect.facts.gazetteer import DATA_DIR, DEFAULT_GAZETTEER, Country
from crawler.detect.text.matcher import PREFIXES, SUFFIXES, Term
from crawler.detect.text.normalise import normalise

# Roles the detector gives a meaning to; a watchlist may add others and name them in rules.
ROLES = {
    "actor": "names of the watched actor (scope: global | local | foreign)",
    "anaphor": "words that refer back to the actor (التنظيم): count only after a named actor",
    "incident": "what happened (type: attack, bombing …; signature: a tactic typical of the actor)",
    "exclude": "frames that are not a new event (kind: court, anniversary …; weight: the penalty)",
    "hedge": "words just before an incident word that make it unreal (planned, feared, denied)",
    "fresh": "words that date the event as new (اليوم، أمس، فجر)",
    "foreign": "places of other countries, besides the gazetteer's (country: ISO code)",
    "rival": "other armed groups: a `shared` actor name does not count beside one, and an"
    " anaphor after one refers to it",
    "place": "reserved: the places of the watchlist's gazetteer, in its country",
}
INCIDENT_TYPES = (
    "suicide_bombing", "bombing", "execution", "assassination", "kidnapping", "ambush",
    "shelling", "airstrike", "takeover", "attack", "clash", "arrest", "claim",
)  # fmt: skip

_TOP_KEYS = {
    "name", "title", "description", "country", "gazetteer", "threshold", "roles", "rules",
    "scoring",
}  # fmt: skip
_COUNTRY_KEYS = {"code", "names", "adjectives"}
# Where an actor's name places the event: anywhere (global), in the watchlist's country
# (local: a province of the actor there), or in the country its entry names (foreign).
SCOPES = ("global", "local", "foreign")
_ROLE_KEYS = {"weight", "inflect", "prefixes", "entries", "description"}
_ENTRY_KEYS = {
    "label", "forms", "inflect", "prefixes", "weight", "type", "scope", "country", "place",
    "kind", "signature", "not_words", "generic", "reach", "applies_to", "carries_news",
    "dates_news", "dates_clause", "in_full", "claim", "general", "present", "plural_only",
    "shared", "corrected", "perpetrators",
}  # fmt: skip
_RULE_KEYS = {"name", "require", "window", "score", "description", "attribution", "from_lead"}
# The tier a rule's incident belongs to: the watched actor's, or a lower tier of events with
# its tactics that the text does not tie to it (a subscription opts into those).
ATTRIBUTIONS = ("isis", "unattributed")
_LINE = LINE


class WatchlistError(ValueError):
    pass


@dataclass(frozen=True)
class Requirement:
    """One role a rule needs, or several that can stand for each other (actor | anaphor).

    `role:qualifier` narrows a role to its terms whose `scope` is the qualifier or whose
    qualifier flag is true: `actor:local`, `incident:signature`.
    """

    options: tuple[tuple[str, str | None], ...]

    def met_by(self, term: Term) -> bool:
        for role, qualifier in self.options:
            if term.role != role:
                continue
            if (
                qualifier is None
                or term.data.get("scope") == qualifier
                or term.data.get(qualifier) is True
            ):
                return True
        return False

    def __str__(self) -> str:
        return "|".join(r if q is None else f"{r}:{q}" for r, q in self.options)


def term_keys(term: Term) -> frozenset[tuple[str, str | None]]:
    """Every (role, qualifier) a term meets: the bare role, its scope, its true flags
    (`requirement.met_by(t)` ⇔ one of its options is among `term_keys(t)`)."""
    keys: set[tuple[str, str | None]] = {(term.role, None)}
    scope = term.data.get("scope")
    if isinstance(scope, str):
        keys.add((term.role, scope))
    keys.update((term.role, str(k)) for k, v in term.data.items() if v is True)
    return frozenset(keys)


@dataclass(frozen=True)
class Rule:
    """Fire when every requirement is met within one window of sentences."""

    name: str
    require: tuple[Requirement, ...]
    window: int = 1  # sentences: 1 = the same sentence, 2 = a sentence and the next …
    score: float = 1.0
    attribution: str = "isis"  # one of ATTRIBUTIONS: "unattributed" is the lower tier
    from_lead: bool = False  # its windows start in the lead (a claim of what the lead reports)

    @property
    def unattributed(self) -> bool:
        return self.attribution == "unattributed"

    @cached_property
    def needs_incident(self) -> bool:
        """A requirement asks for an incident word (the window's strongest one weighs the score)."""
        return any(role == "incident" for r in self.require for role, _ in r.options)


@dataclass(frozen=True)
class Scoring:
    """How a fired rule's score moves with what else the text says."""

    fresh_bonus: float = 0.1  # a word that dates the event as new, in the window or the lead
    casualty_bonus: float = 0.1  # the window gives a casualty count
    question_penalty: float = 0.2  # the window's sentence is a question (هل أعاد داعش …؟)
    lead_body_sentences: int = 1  # the title and this many sentences frame the whole text
    old_event_days: int = 60  # an event dated this long before publication is not new
    old_event_penalty: float = 0.5
    hedge_words: int = 3  # how many words before an incident word a hedge reaches
    # frames of general pieces (`general: true`: a threat, a trend, a report …) weigh this much
    # more where only the country's name places the text
    country_only_frames: float = 2.0
    # an incident verb in the present tense (`present: true`) after the lead tells a habit, not
    # the news (من يرفض الدفع يقتل): it weighs at most this much there
    present_tense_weight: float = 1.0


@dataclass
class Watchlist:
    name: str
    title: str
    country: Country  # the watched country: an incident must be placed in it
    terms: list[Term]
    rules: list[Rule]
    # The gazetteer of the country's places (the `place` role); None: the watchlist uses none.
    gazetteer: Path | None = DEFAULT_GAZETTEER
    threshold: float = 0.5
    scoring: Scoring = field(default_factory=Scoring)
    path: Path | None = None

    @property
    def use_gazetteer(self) -> bool:
        return self.gazetteer is not None

    @classmethod
    def load(cls, path: Path) -> Watchlist:
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"), path, loader=LineLoader)
        except OSError as exc:
            raise WatchlistError(f"{path}: cannot read watchlist: {exc.strerror}") from exc
        except YamlError as exc:
            raise WatchlistError(str(exc)) from exc  # file:line: not valid YAML: …
        return cls.from_mapping(raw, path)

    @classmethod
    def from_mapping(cls, raw: Any, path: Path) -> Watchlist:
        if not isinstance(raw, dict) or "roles" not in raw or "rules" not in raw:
            raise WatchlistError(f"{path}: a watchlist needs `name`, `roles` and `rules`")
        _check_keys(path, raw, _TOP_KEYS, "watchlist")
        terms: list[Term] = []
        for role, spec in raw["roles"].items():
            if role == _LINE:
                continue
            where = f"{path}:{_line(spec)}: roles.{role}"
            if role == "place":
                raise WatchlistError(
                    f"{where}: `place` comes from the gazetteer; set `gazetteer: true`"
                )
            if not isinstance(spec, dict):
                raise WatchlistError(f"{where}: expected a mapping with `entries`")
            _check_keys(path, spec, _ROLE_KEYS, f"roles.{role}")
            for entry in spec.get("entries") or []:
                terms.append(_term(path, role, spec, entry))
        rules = [_rule(path, r) for r in raw["rules"] or []]
        if not rules:
            raise WatchlistError(f"{path}: a watchlist needs at least one rule")
        known = {t.role for t in terms} | {"place"}
        for rule in rules:
            for requirement in rule.require:
                for role, _ in requirement.options:
                    if role not in known:
                        raise WatchlistError(
                            f"{path}: rule {rule.name}: role `{role}` has no entries"
                            f" (roles: {', '.join(sorted(known))})"
                        )
        scoring_raw = {k: v for k, v in (raw.get("scoring") or {}).items() if k != _LINE}
        allowed = {f.name for f in fields(Scoring)}
        _check_keys(path, raw.get("scoring") or {}, allowed, "scoring")
        return cls(
            name=str(raw.get("name", path.stem)),
            title=str(raw.get("title", path.stem)),
            country=_country(path, raw),
            terms=terms,
            rules=rules,
            gazetteer=_gazetteer(path, raw),
            threshold=float(raw.get("threshold", 0.5)),
            scoring=Scoring(**scoring_raw),
            path=path,
        )


def _line(value: Any) -> str:
    return str(value.get(_LINE, "?")) if isinstance(value, dict) else "?"


def _check_keys(path: Path, mapping: dict[str, Any], allowed: set[str], what: str) -> None:
    for key in mapping:
        if key == _LINE or key in allowed:
            continue
        close = difflib.get_close_matches(str(key), sorted(allowed), n=1)
        hint = (
            f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(sorted(allowed))})"
        )
        raise WatchlistError(f"{path}:{_line(mapping)}: {what}: unknown key '{key}'{hint}")


def _country(path: Path, raw: dict[str, Any]) -> Country:
    """`country: {code: TN, names: [تونس], adjectives: [التونسي, التونسية]}`."""
    spec = raw.get("country")
    example = "country: {code: TN, names: [تونس], adjectives: [التونسي, التونسية]}"
    if spec is None:
        raise WatchlistError(
            f"{path}:{_line(raw)}: a watchlist needs `country`, the country it watches"
            f" (its ISO code and Arabic names), e.g. {example}"
        )
    where = f"{path}:{_line(spec)}: country"
    if not isinstance(spec, dict):
        raise WatchlistError(f"{where}: expected a mapping, e.g. {example}")
    _check_keys(path, spec, _COUNTRY_KEYS, "country")
    code = spec.get("code")
    if not isinstance(code, str) or len(code) != 2 or not code.isascii() or not code.isupper():
        raise WatchlistError(f"{where}: code must be an ISO 3166-1 code of two capitals (TN)")
    names = spec.get("names")
    adjectives = spec.get("adjectives") or []
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise WatchlistError(f"{where}: names must list the country's Arabic names ([تونس])")
    if not isinstance(adjectives, list) or not all(isinstance(a, str) for a in adjectives):
        raise WatchlistError(f"{where}: adjectives must be a list of words ([التونسي, التونسية])")
    return Country(code=code, name=names[0], markers=tuple(names), adjectives=tuple(adjectives))


def _gazetteer(path: Path, raw: dict[str, Any]) -> Path | None:
    """`gazetteer:` a file beside the watchlist or among the shipped ones; `false` for none."""
    value = raw.get("gazetteer", True)
    if value is True:
        return DEFAULT_GAZETTEER
    if value is False or value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise WatchlistError(
            f"{path}:{_line(raw)}: gazetteer must be a file name or false, not {value!r}"
        )
    given = Path(value).expanduser()
    for candidate in (given,) if given.is_absolute() else (path.parent / given, DATA_DIR / given):
        if candidate.is_file():
            return candidate.resolve()
    raise WatchlistError(
        f"{path}:{_line(raw)}: gazetteer: no such file: {value} (looked beside the watchlist"
        f" and in {DATA_DIR})"
    )


def _term(path: Path, role: str, spec: dict[str, Any], entry: Any) -> Term:
    if isinstance(entry, str):
        entry = {"label": entry}
    where = f"{path}:{_line(entry)}: {role}/{entry.get('label', '?')}"
    if "label" not in entry:
        raise WatchlistError(f"{where}: an entry needs a `label`")
    _check_keys(path, entry, _ENTRY_KEYS, f"{role}/{entry['label']}")
    label = str(entry["label"])
    forms = tuple(str(f) for f in entry.get("forms") or (label,))
    inflect = entry.get("inflect", spec.get("inflect", "none"))
    prefixes = entry.get("prefixes", spec.get("prefixes", "noun"))
    if inflect not in SUFFIXES:
        raise WatchlistError(f"{where}: inflect must be one of {', '.join(sorted(SUFFIXES))}")
    if prefixes not in PREFIXES:
        raise WatchlistError(f"{where}: prefixes must be one of {', '.join(sorted(PREFIXES))}")
    if role == "incident" and entry.get("type") not in INCIDENT_TYPES:
        raise WatchlistError(f"{where}: type must be one of {', '.join(INCIDENT_TYPES)}")
    if role == "actor" and entry.get("scope", "global") not in SCOPES:
        raise WatchlistError(
            f"{where}: scope must be one of {', '.join(SCOPES)} (local: the name places the"
            " event in the watchlist's country)"
        )
    data = {
        k: v
        for k, v in entry.items()
        if k not in ("label", "forms", "inflect", "prefixes", "weight", "not_words", _LINE)
    }
    not_words = frozenset(normalise(str(w)) for w in entry.get("not_words") or ())
    return Term(
        role=role,
        label=label,
        weight=float(entry.get("weight", spec.get("weight", 1.0))),
        inflect=inflect,
        data=data,
        forms=forms,
        prefixes=prefixes,
        not_words=not_words,
    )


def _rule(path: Path, raw: Any) -> Rule:
    if not isinstance(raw, dict) or "name" not in raw or "require" not in raw:
        raise WatchlistError(f"{path}:{_line(raw)}: a rule needs `name` and `require`")
    _check_keys(path, raw, _RULE_KEYS, f"rule {raw['name']}")
    require = []
    for item in raw["require"]:
        options = item if isinstance(item, list) else [item]
        parsed = []
        for option in options:
            role, _, qualifier = str(option).partition(":")
            parsed.append((role, qualifier or None))
        require.append(Requirement(tuple(parsed)))
    window = int(raw.get("window", 1))
    if window < 1:
        raise WatchlistError(f"{path}:{_line(raw)}: rule {raw['name']}: window must be 1 or more")
    attribution = str(raw.get("attribution", "isis"))
    if attribution not in ATTRIBUTIONS:
        raise WatchlistError(
            f"{path}:{_line(raw)}: rule {raw['name']}: attribution must be one of "
            + ", ".join(ATTRIBUTIONS)
        )
    return Rule(
        name=str(raw["name"]),
        require=tuple(require),
        window=window,
        score=float(raw.get("score", 1.0)),
        attribution=attribution,
        from_lead=bool(raw.get("from_lead", False)),
    )
