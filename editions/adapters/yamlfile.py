"""YAML loading that remembers where each value came from and refuses duplicate keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from editions.adapters.sourcefile import CONTROL
from editions.errors import EditionsError
from editions.model.limits import MAX_YAML_DEPTH, MAX_YAML_NODES


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
        """Composes at most MAX_YAML_DEPTH levels and MAX_YAML_NODES values, an alias
        counting as every value it repeats: a deep or aliased file cannot exhaust the stack
        or the memory of anything that walks the data."""

        depth = 0
        nodes = 0
        sizes: dict[int, int]

        def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
            mark = self.peek_event().start_mark
            if self.check_event(yaml.AliasEvent):
                node = super().compose_node(parent, index)
                self._spend(self.sizes.get(id(node), 1), mark)
                return node
            self.depth += 1
            if self.depth > MAX_YAML_DEPTH:
                raise EditionsError(
                    f"values nested more than {MAX_YAML_DEPTH} levels deep; flatten them",
                    path,
                    mark.line + 1 + line_offset,
                )
            before = self.nodes
            self._spend(1, mark)
            node = super().compose_node(parent, index)
            self.sizes[id(node)] = self.nodes - before
            self.depth -= 1
            return node

        def _spend(self, count: int, mark: yaml.Mark) -> None:
            self.nodes += count
            if self.nodes > MAX_YAML_NODES:
                raise EditionsError(
                    f"more than {MAX_YAML_NODES:,} values (aliases counted as what they "
                    "repeat); write the values out or shorten the file",
                    path,
                    mark.line + 1 + line_offset,
                )

    def scalar_line(node: yaml.Node) -> int:
        return node.start_mark.line + 1 + line_offset

    def string(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> str:
        value = loader.construct_yaml_str(node)
        found = CONTROL.search(value)
        if found:  # written as an escape such as "\x01": the text itself was checked
            raise EditionsError(
                f"a value holds the control character U+{ord(found.group()):04X}, which no "
                "edition can show; delete it",
                path,
                scalar_line(node),
            )
        return value

    def timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
        try:
            return loader.construct_yaml_timestamp(node)
        except ValueError as error:
            raise EditionsError(
                f"'{node.value}' is not a date of the calendar ({error}); write it as YYYY-MM-DD",
                path,
                scalar_line(node),
                node.start_mark.column + 1,
            ) from error

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

    Loader.add_constructor("tag:yaml.org,2002:str", string)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", timestamp)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, sequence)
    return Loader


def load_yaml(text: str, path: Path, line_offset: int = 0) -> Any:
    """Parse YAML text, raising an EditionsError that points at the broken line."""
    loader = _loader(path, line_offset)(text)
    loader.sizes = {}
    try:
        return loader.get_single_data()
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
    finally:
        loader.dispose()
