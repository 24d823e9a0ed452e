"""Framework files: every year loads, the method adds up, and a broken file says where."""

from __future__ import annotations

from pathlib import Path

import pytest

from ita.catalog.loader import FrameworkError, framework_paths, load_all, load_framework_file
from ita.catalog.schema import confidence_summary

YEARS = [2563, 2564, 2565, 2566, 2567, 2568]
GOOD = Path(__file__).resolve().parents[1] / "frameworks" / "ita-2565.yaml"


def test_framework_files_exist_for_2563_to_2568() -> None:
    assert set(YEARS) <= set(framework_paths())


@pytest.mark.parametrize("year", YEARS)
def test_each_framework_file_loads_and_names_its_year(year: int) -> None:
    fw = load_all()[year].framework
    assert fw.fiscal_year == year
    assert [t.code for t in fw.tools] == ["IIT", "EIT", "OIT"]
    assert [n for _t, ind in fw.indicators() for n in [ind.number]] == list(range(1, 11))


@pytest.mark.parametrize("year", YEARS)
def test_tools_weigh_thirty_thirty_forty(year: int) -> None:
    fw = load_all()[year].framework
    assert {t.code: t.weight for t in fw.tools} == {"IIT": 30, "EIT": 30, "OIT": 40}
    weights = {ind.number: ind.weight for _t, ind in fw.indicators()}
    assert weights == {1: 6, 2: 6, 3: 6, 4: 6, 5: 6, 6: 10, 7: 10, 8: 10, 9: 20, 10: 20}


@pytest.mark.parametrize(
    ("year", "scheme", "names"),
    [
        (2563, "grade", ["AA", "A", "B", "C", "D", "E", "F"]),
        (2565, "grade", ["AA", "A", "B", "C", "D", "E", "F"]),
        (2566, "rating", ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ไม่ผ่าน"]),
        (2568, "rating", ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ไม่ผ่าน"]),
    ],
)
def test_grade_years_use_aa_to_f_and_later_years_use_rating_levels(
    year: int, scheme: str, names: list[str]
) -> None:
    levels = load_all()[year].framework.levels
    assert levels.scheme == scheme
    assert [r.name for r in levels.rules] == names
    assert levels.pass_mark == 85


def test_grade_band_e_starts_at_fifty_not_at_seed_001s_typo_of_forty() -> None:
    rules = {r.name: r.total_min for r in load_all()[2565].framework.levels.rules}
    assert rules["E"] == 50
    assert rules["F"] == 0


def test_2566_maps_issues_to_items_as_seed_000_does() -> None:
    issues = {i.number: i.items for i in load_all()[2566].framework.issues}
    assert issues == {
        1: ["E1", "E2", "E3", "E4"],
        2: ["E11", "E12", "E13", "E14"],
        3: ["E6", "E7", "E8", "E9", "E10"],
        4: ["I21"],
        5: ["I9"],
        6: ["I16", "I14"],
        7: ["E10", "E15"],
    }


def test_2566_i9_is_positive_while_2564_i9_is_reversed() -> None:
    def polarity(year: int) -> str | None:
        items = {item.code: item for _t, _i, item in load_all()[year].framework.iter_items()}
        return items["I9"].polarity

    assert polarity(2564) == "negative"
    assert polarity(2566) == "positive"


def test_uncertain_values_are_marked_in_the_files() -> None:
    frameworks = load_all()
    for year in YEARS:
        marks = confidence_summary(frameworks[year].framework)
        assert marks["unverified-configurable"] > 0, year
    oit_2566 = next(t for t in frameworks[2566].framework.tools if t.code == "OIT")
    assert oit_2566.confidence_of("weight") == "unverified-configurable"


def test_measures_and_results_documents_answer_o42_and_o43_in_2566() -> None:
    items = {item.code: item for _t, _i, item in load_all()[2566].framework.iter_items()}
    assert items["O42"].produced_by == "measures_document"
    assert items["O43"].produced_by == "results_report"


def _broken(tmp_path: Path, old: str, new: str, name: str = "ita-2565.yaml") -> Path:
    text = GOOD.read_text(encoding="utf-8")
    assert old in text, f"test set-up: {old!r} is not in the file"
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("scale: L4", "scale: L5", "tools[0].indicators[0].items[0].scale: unknown scale 'L5'"),
        ("weight: 40", "weight: 41", "tools: tool weights add up to 101, not 100"),
        ("kind: perception", "kind: survey", "tools[0].kind: Input should be 'perception'"),
        ("polarity: positive", "polarity: postive", "tools[0].indicators[0].items[0].polarity"),
        (
            "name_th: การปฏิบัติหน้าที่",
            "nme_th: การปฏิบัติหน้าที่",
            "tools[0].indicators[0].nme_th: unknown field",
        ),
        (
            "items: [E1, E2, E3, E4]",
            "items: [E1, E2, E3, E44]",
            "issues[0].items[3]: item 'E44' is not in this framework",
        ),
        (
            "unfavourable: [ไม่มี]",
            "unfavourable: [ไม่]",
            "scales[1].unfavourable[0]: 'ไม่' is not an option",
        ),
        (
            "{name: F, total_min: 0}",
            "{name: F, total_min: 10}",
            "levels.rules[6]: the last rule must take every score",
        ),
    ],
)
def test_a_broken_file_fails_with_the_path_of_the_fault(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    path = _broken(tmp_path, old, new)
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    message = str(caught.value)
    assert expected in message
    assert message.startswith(f"{path}:")  # the file, and the line where the fault is


def test_a_fault_is_reported_at_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "scale: L4", "scale: L5")
    line = next(
        n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "L5" in text
    )
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    assert f"{path}:{line}: tools[0]" in str(caught.value)


def test_a_key_written_twice_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "agency_group: lao", "agency_group: lao\nagency_group: lao")
    with pytest.raises(FrameworkError, match="written twice"):
        load_framework_file(path)


def test_invalid_yaml_is_refused_with_its_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "schema_version: 1", "schema_version: [1")
    with pytest.raises(FrameworkError, match="not valid YAML"):
        load_framework_file(path)


def test_a_file_named_for_another_year_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "fiscal_year: 2565", "fiscal_year: 2565", name="ita-2599.yaml")
    with pytest.raises(FrameworkError, match="named for 2599 but says 2565"):
        load_framework_file(path)


def test_a_confidence_mark_for_a_missing_field_is_refused(tmp_path: Path) -> None:
    path = _broken(tmp_path, "confidence: {weight: confirmed}", "confidence: {wieght: confirmed}")
    with pytest.raises(FrameworkError, match="confidence mark for unknown field"):
        load_framework_file(path)
