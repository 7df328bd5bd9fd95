"""Loads Raqib's YAML settings, applies the environment, and reports mistakes by file, line and key."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from config.safeyaml import YamlError, compose_yaml, load_yaml
from config.settings import Settings, Source

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
DEFAULT_CONFIG = PACKAGE_DIR / "raqib.yaml"
ENV_PREFIX = "RAQIB_"
TOP_LEVEL_ENV = ("RAQIB_DATA_DIR", "RAQIB_SHUTDOWN_GRACE_SECONDS", "RAQIB_SOURCES_FILE")

Loc = tuple[str | int, ...]


class ConfigError(Exception):
    """A configuration a user must fix; the message names the file, line and key."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


def _compose(text: str, path: Path) -> tuple[Any, dict[Loc, int]]:
    """Parse YAML keeping the line of every key, so errors can point at it."""
    try:
        root, data = compose_yaml(text, path)
    except YamlError as exc:
        raise ConfigError([str(exc)]) from exc
    lines: dict[Loc, int] = {}
    walked: set[int] = set()

    def walk(node: yaml.Node | None, loc: Loc) -> None:
        if node is None:
            return
        lines.setdefault(loc, node.start_mark.line + 1)
        # An alias is the node of its anchor again: its keys have their lines already, and
        # walking it once per use is what made an alias bomb take gigabytes.
        if id(node) in walked:
            return
        walked.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = (*loc, str(key_node.value))
                lines[key] = key_node.start_mark.line + 1
                walk(value_node, key)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    walk(root, ())
    return data, lines


def _line_of(lines: Mapping[Loc, int], loc: Loc) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _model_fields(model: type[BaseModel], loc: Loc) -> list[str]:
    """The field names allowed at `loc`, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        for arg in (*getattr(annotation, "__args__", ()), annotation):
            if isinstance(arg, type) and issubclass(arg, BaseModel):
                current = arg
                break
            for inner in getattr(arg, "__args__", ()):
                if isinstance(inner, type) and issubclass(inner, BaseModel):
                    current = inner
                    break
    return [info.alias or name for name, info in getattr(current, "model_fields", {}).items()]


def _problems(
    exc: ValidationError, path: Path, lines: Mapping[Loc, int], model: type[BaseModel], base: Loc
) -> list[str]:
    problems = []
    for error in exc.errors():
        loc: Loc = tuple(error["loc"])
        full = base + loc
        line = _line_of(lines, full)
        where = f"{path}:{line}" if line else str(path)
        key = ".".join(str(p) for p in full) or "(top level)"
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            allowed = _model_fields(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            message = f"unknown key{f' (did you mean {close[0]!r}?)' if close else ''}"
        problems.append(f"{where}: {key}: {message}")
    return problems


def _env_overrides(environ: Mapping[str, str], problems: list[str]) -> dict[str, Any]:
    """RAQIB_SMTP__HOST=mail → {"smtp": {"host": "mail"}}; REDIS_URL sets redis.url."""
    out: dict[str, Any] = {}
    for name, raw in environ.items():
        nested = name.startswith(ENV_PREFIX) and "__" in name
        if not (nested or name in TOP_LEVEL_ENV):
            continue
        parts = name[len(ENV_PREFIX) :].lower().split("__")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        try:
            node[parts[-1]] = load_yaml(raw, f"${name}") if raw else None
        except YamlError as exc:
            problems.append(str(exc))
    if environ.get("REDIS_URL"):
        out.setdefault("redis", {})["url"] = environ["REDIS_URL"]
    return out


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def resolve_path(value: Path, config_path: Path | None) -> Path:
    """A relative path is looked for beside the working directory, the config file, then Raqib."""
    if value.is_absolute():
        return value
    candidates = [Path.cwd() / value]
    if config_path is not None:
        candidates.append(config_path.parent / value)
    candidates.append(PROJECT_ROOT / value)
    for candidate in candidates:
        if candidate.exists():
            return candidate.resolve()
    return candidates[0]


@dataclass
class Catalogue:
    """A source catalogue as read: its sources, where each one is written, what is wrong in it."""

    path: Path
    sources: list[Source] = field(default_factory=list)
    lines: dict[str, str] = field(default_factory=dict)  # source name -> "file:line"
    problems: list[str] = field(default_factory=list)


def read_sources_file(path: Path) -> Catalogue:
    """Read a source catalogue (a YAML list of sources, or a mapping with a `sources` list),
    keeping every problem instead of stopping at the first."""
    catalogue = Catalogue(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        catalogue.problems.append(f"{path}: cannot read the source catalogue: {exc.strerror}")
        return catalogue
    try:
        data, lines = _compose(text, path)
    except ConfigError as exc:
        catalogue.problems += exc.problems
        return catalogue
    base: Loc = ()
    if isinstance(data, dict):
        data, base = data.get("sources"), ("sources",)
    if not isinstance(data, list):
        catalogue.problems.append(f"{path}:1: expected a list of sources (or a `sources:` list)")
        return catalogue
    for index, item in enumerate(data):
        try:
            source = Source.model_validate(item)
        except ValidationError as exc:
            catalogue.problems += _problems(exc, path, lines, Source, (*base, index))
            continue
        catalogue.sources.append(source)
        line = _line_of(lines, (*base, index, "name"))
        catalogue.lines.setdefault(source.name, f"{path}:{line}" if line else str(path))
    return catalogue


def load_sources_file(path: Path) -> list[Source]:
    """Read a source catalogue; any mistake in it raises ConfigError with all of them."""
    catalogue = read_sources_file(path)
    if catalogue.problems:
        raise ConfigError(catalogue.problems)
    return catalogue.sources


@dataclass
class ConfigReport:
    """A configuration read in one pass: the settings when they are valid, and every problem
    (each with file:line) and warning found on the way. `raqib check` prints it whole."""

    path: Path
    settings: Settings | None = None
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)  # the YAML with the environment on top
    lines: dict[Loc, int] = field(default_factory=dict)

    def where(self, *loc: str | int) -> str:
        """`file:line` of a key (or of the nearest enclosing one that is written down)."""
        line = _line_of(self.lines, loc)
        return f"{self.path}:{line}" if line else str(self.path)


def _repeated(values: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(name, where, where first) of every use of a name after its first."""
    first: dict[str, str] = {}
    out = []
    for name, where in values:
        if name not in first:
            first[name] = where
            continue
        earlier_file, _, earlier_line = first[name].rpartition(":")
        same_file = earlier_file == where.rpartition(":")[0]
        out.append((name, where, f"line {earlier_line}" if same_file else first[name]))
    return out


def _raw_list(data: Mapping[str, Any], key: str) -> list[Any]:
    value = data.get(key)
    return value if isinstance(value, list) else []


def inspect_config(
    path: Path | str | None = None, environ: Mapping[str, str] | None = None
) -> ConfigReport:
    """Read and check a configuration, collecting every problem rather than the first."""
    environ = os.environ if environ is None else environ
    if path is None:
        path = environ.get("RAQIB_CONFIG") or DEFAULT_CONFIG
    config_path = Path(path)
    report = ConfigReport(config_path)
    try:
        text = config_path.read_text(encoding="utf-8")
    except OSError as exc:
        report.problems.append(f"{config_path}: cannot read the configuration: {exc.strerror}")
        return report
    except UnicodeDecodeError as exc:
        report.problems.append(f"{config_path}: not UTF-8 text ({exc.reason} at byte {exc.start})")
        return report
    try:
        data, report.lines = _compose(text, config_path)
    except ConfigError as exc:
        report.problems += exc.problems
        return report
    if data is None:
        data = {}
    if not isinstance(data, dict):
        report.problems.append(f"{config_path}:1: expected a mapping of settings at the top level")
        return report
    data = _merge(data, _env_overrides(environ, report.problems))
    report.data = data
    problems = report.problems
    settings: Settings | None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        problems += _problems(exc, config_path, report.lines, Settings, ())
        settings = None

    # What the schema cannot see, checked on the YAML itself so that it is reported together
    # with the schema's own errors, each at its line.
    subscriptions = [
        (str(sub["name"]), report.where("subscriptions", index, "name"))
        for index, sub in enumerate(_raw_list(data, "subscriptions"))
        if isinstance(sub, dict) and isinstance(sub.get("name"), str)
    ]
    for name, where, first in _repeated(subscriptions):
        problems.append(f"{where}: subscriptions: the name {name!r} is used again (first at "
                        f"{first}); names are part of delivery ids and must be unique")  # fmt: skip

    inline = [
        (str(src["name"]), report.where("sources", index, "name"))
        for index, src in enumerate(_raw_list(data, "sources"))
        if isinstance(src, dict) and isinstance(src.get("name"), str)
    ]
    catalogue: Catalogue | None = None
    raw_file = data.get("sources_file")
    if isinstance(raw_file, str | Path) and str(raw_file):
        catalogue = read_sources_file(resolve_path(Path(raw_file), config_path))
        problems += catalogue.problems
    listed = inline + (list(catalogue.lines.items()) if catalogue else [])
    for name, where, first in _repeated(listed):
        problems.append(f"{where}: sources: the name {name!r} is used again (first at {first}); "
                        "names must be unique")  # fmt: skip

    watchlists: list[Path] = []
    raw_watchlists = data.get("watchlists", [str(p) for p in Settings().watchlists])
    if isinstance(raw_watchlists, list):
        if not raw_watchlists:
            problems.append(
                f"{report.where('watchlists')}: watchlists: empty, so nothing would ever be "
                "detected; list one or more files, or leave the key out for the shipped "
                "config/watchlists/isis-libya.yaml"
            )
        watchlists = [
            resolve_path(Path(p), config_path) for p in raw_watchlists if isinstance(p, str)
        ]
        for index, (raw, found) in enumerate(zip(raw_watchlists, watchlists, strict=False)):
            if not found.exists():
                problems.append(
                    f"{report.where('watchlists', index)}: watchlists: no such file: {raw}"
                )
    if settings is None or problems:
        return report

    sources = list(settings.sources) + (catalogue.sources if catalogue else [])
    if not any(s.enabled for s in sources):
        report.warnings.append(
            f"{report.where('sources_file') if 'sources_file' in data else report.where('sources')}"
            ": no enabled source: nothing will be crawled (add `sources:`, or a `sources_file:`)"
        )
    gazetteer = resolve_path(settings.gazetteer, config_path) if settings.gazetteer else None
    report.settings = settings.model_copy(
        update={
            "sources": sources,
            "sources_file": catalogue.path if catalogue else None,
            "watchlists": watchlists,
            "gazetteer": gazetteer,
            "config_path": config_path.resolve(),
            "data_dir": Path(settings.data_dir).expanduser(),
        }
    )
    return report


def load_settings(
    path: Path | str | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Load settings from `path`, $RAQIB_CONFIG or the shipped default, then the environment.

    Raises ConfigError with every problem found, each with its file and line.
    """
    report = inspect_config(path, environ)
    if report.problems or report.settings is None:
        raise ConfigError(report.problems)
    return report.settings
