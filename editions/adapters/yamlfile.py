"""YAML loading that remembers where each value came from and refuses duplicate keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from editions.errors import EditionsError


class Located(dict):
    """A mapping that knows the line of each of its keys (1-based, in the file)."""

    line: int = 0
    key_lines: dict[str, int]


class LocatedList(list):
    """A sequence that knows the line of each of its items."""

    line: int = 0
    item_lines: list[int]


def _loader(path: Path, line_offset: int) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Located:
        result = Located()
        result.line = node.start_mark.line + 1 + line_offset
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1 + line_offset
            if key in result:
                raise EditionsError(
                    f"the field '{key}' is given twice (first on line "
                    f"{result.key_lines[key]}); keep one",
                    path,
                    line,
                    key_node.start_mark.column + 1,
                )
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[str(key)] = line
        return result

    def sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LocatedList:
        result = LocatedList(loader.construct_object(item, deep=True) for item in node.value)
        result.line = node.start_mark.line + 1 + line_offset
        result.item_lines = [item.start_mark.line + 1 + line_offset for item in node.value]
        return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    return Loader


def load_yaml(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML text, raising an EditionsError that points at the broken line."""
    try:
        return yaml.load(text, Loader=_loader(path, line_offset))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark and mark and mark.index >= len(text.rstrip()):
            mark = error.context_mark  # the end of the file says less than where it began
        problem = error.problem or error.context or "is not valid YAML"
        line = mark.line + 1 + line_offset if mark else None
        column = mark.column + 1 if mark else None
        raise EditionsError(
            f"broken YAML: {problem}; "
            "check the indentation and quote values that contain ':' or '#'",
            path,
            line,
            column,
        ) from error
    except yaml.YAMLError as error:
        raise EditionsError(f"broken YAML: {error}", path) from error
