"""Watchlists as data: terms grouped by role, with weights, and rules that combine roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crawler.detect.matcher import SUFFIXES, Term


class WatchlistError(ValueError):
    pass


@dataclass(frozen=True)
class Rule:
    """Fire when every role in `require` is present within one window of sentences."""

    name: str
    require: tuple[str, ...]
    window: int = 1  # sentences: 1 = the same sentence, 2 = a sentence and the next …
    score: float = 1.0


@dataclass
class Watchlist:
    name: str
    title: str
    terms: list[Term]
    rules: list[Rule]
    use_gazetteer: bool = True
    threshold: float = 0.5
    settings: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Watchlist:
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            raise WatchlistError(f"{path}: cannot read watchlist: {exc}") from exc
        if not isinstance(raw, dict) or "roles" not in raw:
            raise WatchlistError(f"{path}: a watchlist needs `name`, `roles` and `rules`")
        terms: list[Term] = []
        for role, spec in raw["roles"].items():
            weight = float(spec.get("weight", 1.0))
            inflect = spec.get("inflect", "none")
            for entry in spec.get("entries", []):
                if isinstance(entry, str):
                    entry = {"label": entry}
                label = entry["label"]
                forms = tuple(entry.get("forms") or (label,))
                term_inflect = entry.get("inflect", inflect)
                if term_inflect not in SUFFIXES:
                    raise WatchlistError(
                        f"{path}: {role}/{label}: inflect must be one of {sorted(SUFFIXES)}"
                    )
                data = {k: v for k, v in entry.items() if k not in ("label", "forms", "inflect")}
                terms.append(
                    Term(
                        role=role,
                        label=label,
                        weight=float(entry.get("weight", weight)),
                        inflect=term_inflect,
                        data=data,
                        forms=forms,
                    )
                )
        rules = [
            Rule(
                name=r["name"],
                require=tuple(r["require"]),
                window=int(r.get("window", 1)),
                score=float(r.get("score", 1.0)),
            )
            for r in raw.get("rules", [])
        ]
        if not rules:
            raise WatchlistError(f"{path}: a watchlist needs at least one rule")
        return cls(
            name=raw.get("name", path.stem),
            title=raw.get("title", path.stem),
            terms=terms,
            rules=rules,
            use_gazetteer=bool(raw.get("gazetteer", True)),
            threshold=float(raw.get("threshold", 0.5)),
            settings=raw.get("settings", {}),
        )
