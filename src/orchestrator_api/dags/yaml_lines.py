"""Safe YAML loading that remembers the line of every key and list item, so errors can point at them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import yaml

from orchestrator_api.dags.errors import DagFileError

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadedYaml:
    """The document's data plus a 1-based line number for each path of keys and list indexes."""

    data: Any
    lines: dict[YamlPath, int]

    def line(self, *path: str | int) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            found = self.lines.get(path[:end])
            if found is not None:
                return found
        return None


def load_yaml(text: str, filename: str) -> LoadedYaml:
    """Parse one YAML document safely; syntax errors and duplicate keys raise :class:`DagFileError`."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(None, {})
        lines: dict[YamlPath, int] = {(): node.start_mark.line + 1}
        # Walk before constructing: construction flattens merge keys in place; they would look duplicated.
        _record_lines(node, (), lines, filename, set())
        return LoadedYaml(loader.construct_document(node), lines)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise DagFileError(filename, None if mark is None else mark.line + 1, _yaml_message(error)) from None
    except yaml.YAMLError as error:
        raise DagFileError(filename, None, f"invalid YAML: {error}") from None
    finally:
        loader.dispose()


def _record_lines(
    node: yaml.Node, path: YamlPath, lines: dict[YamlPath, int], filename: str, seen: set[int]
) -> None:
    if id(node) in seen:  # an alias: already walked where its anchor was defined
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = str(key_node.value)
            key_path = (*path, key)
            if key_path in lines and key != "<<":
                raise DagFileError(filename, key_node.start_mark.line + 1, f"duplicate key {key!r}")
            lines[key_path] = key_node.start_mark.line + 1
            _record_lines(value_node, key_path, lines, filename, seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines[(*path, index)] = item.start_mark.line + 1
            _record_lines(item, (*path, index), lines, filename, seen)


def _yaml_message(error: yaml.MarkedYAMLError) -> str:
    problem = ", ".join(part for part in (error.context, error.problem) if part) or "syntax error"
    message = f"invalid YAML: {problem}"
    if "'@'" in problem:
        message += ' (quote schedule presets, e.g. schedule: "@daily")'
    return message
