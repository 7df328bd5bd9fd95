"""Loads Raqib's YAML settings, applies the environment, and reports mistakes by file, line and key."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

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
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{where}: not valid YAML: {problem}"]) from exc
    lines: dict[Loc, int] = {}

    def walk(node: yaml.Node | None, loc: Loc) -> None:
        if node is None:
            return
        lines.setdefault(loc, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = (*loc, str(key_node.value))
                lines[key] = key_node.start_mark.line + 1
                walk(value_node, key)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*loc, index))

    walk(root, ())
    data = yaml.safe_load(text) if root is not None else None
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
        message = error["msg"]
        if error["type"] == "extra_forbidden":
            allowed = _model_fields(model, loc[:-1])
            close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
            message = f"unknown key{f' (did you mean {close[0]!r}?)' if close else ''}"
        problems.append(f"{where}: {key}: {message}")
    return problems


def _env_overrides(environ: Mapping[str, str]) -> dict[str, Any]:
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
        node[parts[-1]] = yaml.safe_load(raw) if raw else None
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


def load_sources_file(path: Path) -> list[Source]:
    """Read a source catalogue: a YAML list of sources, or a mapping with a `sources` list."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read the source catalogue: {exc.strerror}"]) from exc
    data, lines = _compose(text, path)
    base: Loc = ()
    if isinstance(data, dict):
        data, base = data.get("sources"), ("sources",)
    if not isinstance(data, list):
        raise ConfigError([f"{path}:1: expected a list of sources (or a `sources:` list)"])
    sources, problems = [], []
    for index, item in enumerate(data):
        try:
            sources.append(Source.model_validate(item))
        except ValidationError as exc:
            problems += _problems(exc, path, lines, Source, (*base, index))
    if problems:
        raise ConfigError(problems)
    return sources


def load_settings(
    path: Path | str | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Load settings from `path`, $RAQIB_CONFIG or the shipped default, then the environment."""
    environ = os.environ if environ is None else environ
    if path is None:
        path = environ.get("RAQIB_CONFIG") or DEFAULT_CONFIG
    config_path = Path(path)
    try:
        text = config_path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            [f"{config_path}: cannot read the configuration: {exc.strerror}"]
        ) from exc
    data, lines = _compose(text, config_path)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([f"{config_path}:1: expected a mapping of settings at the top level"])
    data = _merge(data, _env_overrides(environ))
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_problems(exc, config_path, lines, Settings, ())) from exc

    sources = list(settings.sources)
    sources_file = None
    if settings.sources_file is not None:
        sources_file = resolve_path(settings.sources_file, config_path)
        sources += load_sources_file(sources_file)
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(
            [f"{config_path}: sources: names must be unique; repeated: {', '.join(duplicates)}"]
        )
    if not settings.watchlists:
        line = _line_of(lines, ("watchlists",))
        raise ConfigError([
            f"{config_path}:{line}: watchlists: empty, so nothing would ever be detected; list "
            "one or more files, or leave the key out for the shipped "
            "config/watchlists/isis-libya.yaml"
        ])  # fmt: skip
    watchlists = [resolve_path(p, config_path) for p in settings.watchlists]
    missing = [str(p) for p in watchlists if not p.exists()]
    if missing:
        line = _line_of(lines, ("watchlists",))
        raise ConfigError([f"{config_path}:{line}: watchlists: no such file: {', '.join(missing)}"])
    gazetteer = resolve_path(settings.gazetteer, config_path) if settings.gazetteer else None
    return settings.model_copy(
        update={
            "sources": sources,
            "sources_file": sources_file,
            "watchlists": watchlists,
            "gazetteer": gazetteer,
            "config_path": config_path.resolve(),
            "data_dir": Path(settings.data_dir).expanduser(),
        }
    )
