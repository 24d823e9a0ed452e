"""Read a YAML data file into a pydantic model; report every fault with file, line and path.

The knowledge base and the measures/results input file are read the way framework files are
(:mod:`ita.catalog.loader`): the same duplicate-key-refusing YAML loader, the same
``path.to[3].field: message`` fault format, with the line of each fault in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ita.catalog.loader import (
    Problem,
    YamlSyntaxError,
    parse_yaml,
    validation_problems,
)

M = TypeVar("M", bound=BaseModel)


class DataFileError(Exception):
    """A data file that cannot be used, with every fault found in it."""

    def __init__(
        self, path: Path | str, problems: list[Problem], paths: list[Path] | None = None
    ) -> None:
        self.path = Path(path)
        self.problems = problems
        # The file of each problem, when a fault lies in another file than ``path`` (a file
        # the knowledge of a year reuses).
        self.paths = paths or [self.path] * len(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(
            f"{path}:{p.line}: {p}" if p.line else f"{path}: {p}"
            for path, p in zip(self.paths, self.problems, strict=True)
        )

    def one_line(self) -> str:
        """Return the first fault, and how many more there are, on one line."""
        first = str(self).splitlines()[0]
        more = len(self.problems) - 1
        return f"{first} (และอีก {more} ข้อผิดพลาด / and {more} more)" if more else first


def read_yaml(text: str, path: Path | str) -> tuple[Any, yaml.Node | None]:
    """Return the data and the node tree of a YAML text, or raise :class:`DataFileError`."""
    try:
        node, data = parse_yaml(text)
    except YamlSyntaxError as exc:
        raise DataFileError(path, [exc.problem]) from exc.__cause__
    return data, node


def read_text(path: Path) -> str:
    """Return a file's text (UTF-8, with or without BOM), or raise :class:`DataFileError`."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataFileError(path, [Problem((), "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise DataFileError(path, [Problem((), f"not UTF-8 text: {exc.reason}")]) from None


def validate(model: type[M], data: Any, node: yaml.Node | None, path: Path | str) -> M:
    """Return ``data`` validated as ``model``, or raise :class:`DataFileError` with every fault."""
    if not isinstance(data, dict):
        raise DataFileError(path, [Problem((), "the file must be a YAML mapping", 1)])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(path, validation_problems(exc, node)) from None
