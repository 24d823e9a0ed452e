"""Rules of the codebase: a pure engine, and the ITA method kept in data, not in code."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from ita.catalog.loader import load_all

SRC = Path(__file__).resolve().parents[1] / "src" / "ita"
# A line may opt out of the literal scan with this marker and a reason.
OPT_OUT = "# not-domain:"


def test_the_scoring_engine_imports_no_django() -> None:
    code = (
        "import sys; import ita.scoring.engine, ita.scoring.batch, ita.scoring.inputs, "
        "ita.scoring.spec, ita.catalog.loader; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def _domain_values() -> tuple[set[str], set[float]]:
    words: set[str] = set()
    numbers: set[float] = set()
    for loaded in load_all().values():
        fw = loaded.framework
        for tool in fw.tools:
            words.add(tool.code)
            numbers.add(tool.weight)
            for ind in tool.indicators:
                numbers.add(ind.weight)
                words.update(item.code for item in ind.items)
        for rule in fw.levels.rules:
            if len(rule.name) > 1:  # one-letter grades are indistinguishable from other text
                words.add(rule.name)
            numbers.add(rule.total_min)
            if rule.each_tool_min is not None:
                numbers.add(rule.each_tool_min)
        numbers.add(fw.levels.pass_mark)
        # Weights are also written as fractions of the total (0.06·I1 + … + 0.20·I10).
        numbers.update(t.weight / 100 for t in fw.tools)
        numbers.update(ind.weight / 100 for _t, ind in fw.indicators())
    # 0, 1 and 100 are the ends of every scale and of counting, not choices of the method.
    return words, numbers - {0.0, 1.0, 100.0}


def _exempt(tree: ast.AST) -> set[int]:
    """Return constants that cannot be method values: keyword-argument values (a field's
    ``max_length=40``, ``attrs={"rows": 6}``) and arithmetic on constants alone (sizes such as
    ``50 * 1024 * 1024``)."""
    ids: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword):
            ids.update(id(n) for n in ast.walk(node.value) if isinstance(n, ast.Constant))
        elif isinstance(node, ast.BinOp) and all(
            isinstance(n, ast.Constant | ast.BinOp | ast.operator) for n in ast.walk(node)
        ):
            ids.update(id(n) for n in ast.walk(node) if isinstance(n, ast.Constant))
    return ids


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def scan(root: Path) -> list[str]:
    """Return every literal under ``root`` that is a value of the framework files."""
    words, numbers = _domain_values()
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        skip = _docstrings(tree) | _exempt(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Constant) or id(node) in skip:
                continue
            if OPT_OUT in lines[node.lineno - 1]:
                continue
            value = node.value
            hit = (isinstance(value, str) and value.strip() in words) or (
                isinstance(value, int | float)
                and not isinstance(value, bool)
                and float(value) in numbers
            )
            if hit:
                found.append(f"{path.relative_to(root)}:{node.lineno}: {value!r}")
    return found


def test_no_python_module_hard_codes_an_item_code_weight_or_band() -> None:
    found = scan(SRC)
    assert found == [], "domain values belong in frameworks/*.yaml:\n" + "\n".join(found)


def test_the_scan_finds_planted_codes_weights_and_bands(tmp_path: Path) -> None:
    (tmp_path / "planted.py").write_text(
        '"""A docstring may say I21 and 85."""\n'
        "WEIGHT = 0.06 * indicator\n"
        "IIT_WEIGHT = 30\n"
        "PASS = score >= 85.0\n"
        'WEAK = ["I21", "E10"]\n'
        'LEVEL = "ผ่านดี"\n'
        "WIDTH = 40  # not-domain: a column width\n"
        "NAME = models.CharField(max_length=40)\n"
        "SIZE = 6 * 1024 * 1024\n",
        encoding="utf-8",
    )
    assert sorted(scan(tmp_path)) == [
        "planted.py:2: 0.06",
        "planted.py:3: 30",
        "planted.py:4: 85.0",
        "planted.py:5: 'E10'",
        "planted.py:5: 'I21'",
        "planted.py:6: 'ผ่านดี'",
    ]
