"""The measures knowledge base: finding statements and suggested measures, complete and our own."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from ita.catalog.loader import FrameworkError, load_all
from ita.catalog.schema import Framework, Item
from ita.measures.knowledge import KNOWLEDGE_DIR, findings, measures
from ita.thai import to_arabic_digits

FRAMEWORKS = {year: loaded.framework for year, loaded in load_all().items()}

# The three agency documents (DOMAIN.md, "Sample documents"); tests/import_data holds copies.
SEED_DIRS = [
    Path(__file__).resolve().parents[2] / "shared" / "seeds",
    Path(__file__).parent / "import_data",
]
COPY_LENGTH = 25  # characters shared with a seed that count as copying


def perception_items(fw: Framework) -> Iterator[Item]:
    for tool in fw.tools:
        if tool.kind == "perception":
            for indicator in tool.indicators:
                yield from indicator.items


def wording(item: Item) -> tuple[Any, ...]:
    subs = tuple((s.text_th, s.polarity) for s in item.subquestions)
    return (item.text_th, item.scale, item.polarity, subs)


def texts(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from texts(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from texts(value)


def normalise(text: str) -> str:
    """Without markup and whitespace (seeds break lines inside words), Thai digits as Arabic."""
    return re.sub(r"\s+", "", to_arabic_digits(re.sub(r"<[^>]+>", "", text)))


def test_both_knowledge_files_load_from_the_default_folder() -> None:
    assert (KNOWLEDGE_DIR / "findings.yaml").is_file()
    assert (KNOWLEDGE_DIR / "measures.yaml").is_file()
    assert findings().families
    assert measures().issues


@pytest.mark.parametrize("year", sorted(FRAMEWORKS))
def test_every_iit_and_eit_question_of_the_year_has_a_statement(year: int) -> None:
    codes = [item.code for item in perception_items(FRAMEWORKS[year])]
    assert len(codes) == 45
    missing = [code for code in codes if findings().statement(year, code) is None]
    assert missing == []


def test_every_year_of_a_family_has_a_framework_and_belongs_to_one_family() -> None:
    years = [year for family in findings().families for year in family.years]
    assert set(years) <= set(FRAMEWORKS)
    assert [y for y, n in Counter(years).items() if n > 1] == []


def test_every_family_has_a_statement_only_for_questions_its_years_ask() -> None:
    for family in findings().families:
        asked = {item.code for y in family.years for item in perception_items(FRAMEWORKS[y])}
        assert set(family.statements) <= asked, family.name


def test_the_years_of_a_family_share_their_question_wording() -> None:
    for family in findings().families:
        first, *others = family.years
        expected = {i.code: wording(i) for i in perception_items(FRAMEWORKS[first])}
        for year in others:
            assert {i.code: wording(i) for i in perception_items(FRAMEWORKS[year])} == expected


def test_a_question_reworded_between_families_gets_its_own_statement() -> None:
    reworded: set[str] = set()
    for a, b in pairwise(findings().families):
        old = {i.code: wording(i) for i in perception_items(FRAMEWORKS[a.years[0]])}
        new = {i.code: wording(i) for i in perception_items(FRAMEWORKS[b.years[0]])}
        changed = [code for code in old if code in new and old[code] != new[code]]
        assert [code for code in changed if a.statements[code] == b.statements[code]] == []
        reworded.update(changed)
    assert {"I9", "E13"} <= reworded  # I9 turned positive, E13 became มี/ไม่มี in 2566


def test_statements_are_trimmed_and_end_without_a_full_stop() -> None:
    for family in findings().families:
        for code, statement in family.statements.items():
            for text in (statement.unfavourable, statement.favourable):
                assert text == text.strip(), (family.name, code)
                assert not text.endswith((".", "。")), (family.name, code)
                assert not text.startswith(("มีความเห็นว่า", "ให้ความเห็นว่า")), (family.name, code)


def test_the_seven_issues_of_the_frameworks_each_have_advice() -> None:
    for fw in FRAMEWORKS.values():
        assert {issue.number for issue in fw.issues} == {a.number for a in measures().issues}
    assert sorted(a.number for a in measures().issues) == list(range(1, 8))


@pytest.mark.parametrize("number", range(1, 8))
def test_each_issue_has_at_least_three_measures_of_at_least_three_steps(number: int) -> None:
    advice = measures().advice(number)
    assert advice is not None
    assert advice.why_th
    assert 3 <= len(advice.measures) <= 5
    for measure in advice.measures:
        assert 3 <= len(measure.steps) <= 6, measure.title_th
        first, last = measure.period_quarters
        assert 1 <= first <= last <= 4, measure.title_th


def test_no_step_is_repeated_under_another_measure() -> None:
    steps = Counter(
        normalise(step)
        for advice in measures().issues
        for measure in advice.measures
        for step in measure.steps
    )
    assert [step for step, n in steps.items() if n > 1] == []


def test_no_text_shares_25_characters_with_a_seed() -> None:
    folder = next((d for d in SEED_DIRS if d.is_dir() and any(d.glob("*.txt"))), None)
    if folder is None:
        pytest.skip("the seed documents are not available")
    windows: set[str] = set()
    for path in sorted(folder.glob("*.txt")):
        seed = normalise(path.read_text(encoding="utf-8"))
        windows.update(seed[i : i + COPY_LENGTH] for i in range(len(seed) - COPY_LENGTH + 1))
    ours = [*texts(findings().model_dump()), *texts(measures().model_dump())]
    copied = []
    for text in ours:
        flat = normalise(text)
        shared = [
            flat[i : i + COPY_LENGTH]
            for i in range(len(flat) - COPY_LENGTH + 1)
            if flat[i : i + COPY_LENGTH] in windows
        ]
        if shared:
            copied.append((text, shared[0]))
    assert copied == []


@pytest.mark.parametrize(
    ("name", "key", "typo"),
    [
        ("findings.yaml", "unfavourable:", "unfavorable:"),
        ("measures.yaml", "follow_up_th:", "followup_th:"),
    ],
)
def test_a_misspelt_key_names_the_file_and_its_line(
    tmp_path: Path, name: str, key: str, typo: str
) -> None:
    lines = (KNOWLEDGE_DIR / name).read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(n for n, line in enumerate(lines) if line.lstrip().startswith(key))
    lines[index] = lines[index].replace(key, typo, 1)
    broken = tmp_path / name
    broken.write_text("".join(lines), encoding="utf-8")
    load = findings if name == "findings.yaml" else measures
    with pytest.raises(FrameworkError) as error:
        load(tmp_path)
    assert f"{broken}:{index + 1}: " in str(error.value)
    assert typo.rstrip(":") in str(error.value)
