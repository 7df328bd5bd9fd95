"""YAML read safely: safe tags only, aliases within a budget, and every mistake with file:line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

# A settings file, a watchlist or the source catalogue is a few thousand nodes at most. Aliases
# may share a block (`<<: *defaults`), but what they expand to is bounded: ten levels of nine
# aliases in 1 KB (a "billion laughs") would otherwise be walked and validated 9^10 times over.
MAX_EXPANDED_NODES = 200_000


class YamlError(ValueError):
    """A YAML text that cannot be read, with `file:line: what` as its message."""


def _where(path: Path | str, mark: Any) -> str:
    return f"{path}:{mark.line + 1}" if mark is not None else str(path)


def expanded_size(root: yaml.Node, path: Path | str, budget: int = MAX_EXPANDED_NODES) -> int:
    """How many nodes the document holds once every alias is expanded, counted without
    expanding them (each distinct node once); more than `budget`, or an alias inside its own
    anchor, is refused."""
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if key in open_nodes:
            raise YamlError(f"{_where(path, node.start_mark)}: an alias refers to its own anchor")
        open_nodes.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                total += size(key_node) + size(value_node)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                total += size(item)
        open_nodes.discard(key)
        if total > budget:
            raise YamlError(
                f"{_where(path, node.start_mark)}: aliases here expand to more than {budget:,} "
                "values; write the values out, or share fewer of them"
            )
        sizes[key] = total
        return total

    # Iterative depth first would be kinder to the stack; YAML nesting deep enough to matter is
    # refused by the parser long before (and the budget bounds the rest).
    return size(root)


def compose_yaml(text: str, path: Path | str, loader: type[yaml.SafeLoader] = yaml.SafeLoader
                 ) -> tuple[yaml.Node | None, Any]:  # fmt: skip
    """The node tree (for line numbers) and the data of one YAML document, read safely.

    Only the safe loader's tags are known: `!!python/object` and its kind are refused with
    their line, as is a document whose aliases expand past `MAX_EXPANDED_NODES`.
    """
    reader = loader(text)
    try:
        root = reader.get_single_node()
        if root is None:
            return None, None
        expanded_size(root, path)
        data = reader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or str(exc)
        raise YamlError(f"{_where(path, mark)}: not valid YAML: {problem}") from exc
    except yaml.YAMLError as exc:
        raise YamlError(f"{path}: not valid YAML: {exc}") from exc
    except RecursionError as exc:
        raise YamlError(f"{path}: not valid YAML: nested too deeply") from exc
    finally:
        reader.dispose()
    return root, data


def load_yaml(text: str, path: Path | str, loader: type[yaml.SafeLoader] = yaml.SafeLoader) -> Any:
    """The data of one YAML document, read as `compose_yaml` does."""
    return compose_yaml(text, path, loader)[1]


# The key under which `LineLoader` records each mapping's line
LINE = "__line__"


class LineLoader(yaml.SafeLoader):
    """A safe loader that records the line of every mapping (under `LINE`), for errors that
    say `file:line`, and refuses a key written twice in one mapping (YAML would keep the last
    silently)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            line = key_node.start_mark.line + 1
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"the key {key_node.value!r} is written twice in one mapping (first on "
                    f"line {seen[key_node.value]})",
                    key_node.start_mark,
                )  # fmt: skip
            seen[key_node.value] = line
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
