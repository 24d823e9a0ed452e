"""Find, read and validate framework files; report faults with file, line and path."""

from __future__ import annotations

import functools
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from ita.catalog.schema import Framework, Loc, cross_check, format_loc

FILE_PATTERN = re.compile(r"^ita-(\d{4})\.yaml$")
_SOURCE_TREE_DIR = Path(__file__).resolve().parents[3] / "frameworks"


@dataclass(frozen=True)
class Problem:
    loc: Loc
    message: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{format_loc(self.loc)}: {self.message}"


class FrameworkError(Exception):
    """A framework file that cannot be used, with every fault found in it."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.path = Path(path)
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = []
        for p in self.problems:
            where = f"{self.path}:{p.line}" if p.line else f"{self.path}"
            lines.append(f"{where}: {p}")
        return "\n".join(lines)


@dataclass(frozen=True)
class LoadedFramework:
    path: Path
    sha256: str
    framework: Framework


def frameworks_dir() -> Path:
    """Return the folder of framework files: ``ITA_FRAMEWORKS_DIR`` or the checkout's own."""
    configured = os.environ.get("ITA_FRAMEWORKS_DIR")
    return Path(configured) if configured else _SOURCE_TREE_DIR


def year_files(directory: Path, what: str = "framework") -> dict[int, Path]:
    """Return the ``ita-YYYY.yaml`` files of a folder by fiscal year, oldest first."""
    if not directory.is_dir():
        raise FileNotFoundError(f"{what} folder not found: {directory}")
    found = {}
    for path in directory.iterdir():
        match = FILE_PATTERN.match(path.name)
        if match:
            found[int(match.group(1))] = path
    return dict(sorted(found.items()))


def framework_paths(directory: Path | None = None) -> dict[int, Path]:
    """Return the framework files of a folder by fiscal year, oldest first."""
    return year_files(directory or frameworks_dir())


# libyaml's parser when PyYAML was built with it (about 10× faster), else the Python one.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe YAML loader that refuses a key written twice in one mapping."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} is written twice", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def line_of(node: yaml.Node | None, loc: Loc) -> int | None:
    """Return the 1-based line of the deepest node of ``loc`` that exists in the tree."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child: yaml.Node | None = None
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            child = node.value[part] if 0 <= part < len(node.value) else None
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


class YamlSyntaxError(Exception):
    """Text that is not YAML (or writes a key twice); ``problem`` says where and why."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """Return the node tree and the data of YAML text, or raise :class:`YamlSyntaxError`."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise YamlSyntaxError(Problem((), f"not valid YAML: {exc.problem}", line)) from exc
    except yaml.YAMLError as exc:  # e.g. a control character, found before any parsing
        raise YamlSyntaxError(Problem((), f"not valid YAML: {exc}", None)) from exc
    finally:
        loader.dispose()
    return node, data


def _load_yaml(text: str, path: Path | str) -> tuple[yaml.Node | None, Any]:
    try:
        return parse_yaml(text)
    except YamlSyntaxError as exc:
        raise FrameworkError(path, [exc.problem]) from exc.__cause__


def validation_problems(exc: ValidationError, node: yaml.Node | None) -> list[Problem]:
    """Return pydantic's faults as problems, each with its line in the YAML tree."""
    return [
        Problem(tuple(e["loc"]), readable(e), line_of(node, tuple(e["loc"])))
        for e in exc.errors(include_url=False)
    ]


def parse_framework(text: str, path: Path | str = "<text>") -> Framework:
    """Parse and validate the text of a framework file, or raise :class:`FrameworkError`."""
    node, data = _load_yaml(text, path)
    return parse_framework_data(data, path, node)


M = TypeVar("M", bound=BaseModel)


def parse_yaml_model(path: Path, model: type[M]) -> M:
    """Read a YAML data file into a pydantic model; faults come with file, line and path."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(path, [Problem((), f"cannot read: {exc}")]) from None
    node, data = _load_yaml(text, path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(path, validation_problems(exc, node)) from None


def parse_framework_data(
    data: Any, path: Path | str = "<data>", node: yaml.Node | None = None
) -> Framework:
    """Validate parsed data (a dict) as a framework, or raise :class:`FrameworkError`.

    ``node`` is the YAML node tree the data came from, used to give each fault its line.
    """
    if not isinstance(data, dict):
        raise FrameworkError(path, [Problem((), "a framework file is a YAML mapping", 1)])
    try:
        fw = Framework.model_validate(data)
    except ValidationError as exc:
        raise FrameworkError(path, validation_problems(exc, node)) from None
    faults = cross_check(fw)
    if faults:
        raise FrameworkError(path, [Problem(loc, msg, line_of(node, loc)) for loc, msg in faults])
    return fw


def readable(error: Any) -> str:
    """Return a pydantic fault in plain words."""
    if error["type"] == "missing":
        return "required field is missing"
    if error["type"] == "extra_forbidden":
        return "unknown field (check the spelling)"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] in {"literal_error", "string_pattern_mismatch"}:
        return f"{message}; got {error['input']!r}"
    return message


def load_framework_file(path: Path) -> LoadedFramework:
    """Read one file, check that its name matches its fiscal year, and validate it."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkError(path, [Problem((), f"not UTF-8 text: {exc.reason}")]) from None
    fw = parse_framework(text, path)
    match = FILE_PATTERN.match(path.name)
    if match and int(match.group(1)) != fw.fiscal_year:
        loc: Loc = ("fiscal_year",)
        raise FrameworkError(
            path,
            [Problem(loc, f"file is named for {match.group(1)} but says {fw.fiscal_year}")],
        )
    return LoadedFramework(path, hashlib.sha256(raw).hexdigest(), fw)


def load_all(directory: Path | None = None) -> dict[int, LoadedFramework]:
    """Load every framework file of a folder; the first bad file raises."""
    return {year: load_framework_file(p) for year, p in framework_paths(directory).items()}


@functools.cache
def _cached(directory: Path, year: int, mtime_ns: int) -> Framework:
    return load_framework_file(framework_paths(directory)[year]).framework


def get_framework(year: int, directory: Path | None = None) -> Framework:
    """Return the framework of a fiscal year from the files (cached until the file changes)."""
    directory = directory or frameworks_dir()
    paths = framework_paths(directory)
    if year not in paths:
        known = ", ".join(str(y) for y in paths) or "none"
        raise LookupError(
            f"ไม่มีกรอบการประเมินของปีงบประมาณ {year} (มี: {known}) / "
            f"no framework for fiscal year {year} (available: {known})"
        )
    return _cached(directory, year, paths[year].stat().st_mtime_ns)
