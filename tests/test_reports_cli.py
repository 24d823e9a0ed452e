"""``ita report``: files in, documents out; bad input exits with code 2 and one line."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from ita.cli import cli
from tests.conftest import S1_INDICATORS
from tests.reports_support import PLAN_EXAMPLE, docx_text, flat

S1_CSV = "indicator,score\n" + "".join(f"{n},{v:.2f}\n" for n, v in S1_INDICATORS.items())
AGENCY = ["--agency-name", "องค์การบริหารส่วนตำบลศรีคำ", "--district", "แม่จัน",
          "--province", "เชียงราย", "--date", "2023-03-13"]  # fmt: skip


def run(*args: str, stdin: str | None = None) -> tuple[int, bytes, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout_bytes, result.stderr


def test_the_analysis_report_is_written_in_the_format_of_the_output_name(tmp_path: Path) -> None:
    out = tmp_path / "s1.docx"
    code, _, err = run("report", "analysis", "--year", "2565", "--indicators", "-", *AGENCY,
                       "-o", str(out), stdin=S1_CSV)  # fmt: skip
    assert code == 0, err
    text = flat(docx_text(out.read_bytes()))
    assert flat("๘๗.๘๖") in text
    assert flat("๑๓ มีนาคม ๒๕๖๖") in text


def test_arabic_digits_on_request_and_html_to_standard_output() -> None:
    args = ["--arabic-digits", "--format", "html", "-o", "-"]
    code, out, err = run(
        "report", "analysis", "--year", "2565", "--indicators", "-", *AGENCY, *args, stdin=S1_CSV
    )
    assert code == 0, err
    html = out.decode("utf-8")
    assert "87.86" in html
    assert "๘๗.๘๖" not in html


def test_weak_indicators_can_be_chosen_by_number(tmp_path: Path) -> None:
    out = tmp_path / "s1.docx"
    code, _, err = run("report", "analysis", "--year", "2565", "--indicators", "-", *AGENCY,
                       "--weak", "2,๔", "-o", str(out), stdin=S1_CSV)  # fmt: skip
    assert code == 0, err
    text = docx_text(out.read_bytes()).replace("\u00a0", " ")
    assert "ตัวชี้วัดที่ ๔ การใช้ทรัพย์สินของราชการ ได้คะแนน ๗๘.๐๘" in text
    assert "ตัวชี้วัดที่ ๓ การใช้อำนาจ ได้คะแนน ๘๒.๑๖" not in text


def test_the_analysis_report_can_append_the_simple_measures_table(tmp_path: Path) -> None:
    out = tmp_path / "s1.docx"
    code, _, err = run("report", "analysis", "--year", "2565", "--indicators", "-", *AGENCY,
                       "--measures", str(PLAN_EXAMPLE), "-o", str(out), stdin=S1_CSV)  # fmt: skip
    assert code == 0, err
    document = docx.Document(io.BytesIO(out.read_bytes()))
    last = document.sections[-1]
    assert (last.page_width or 0) > (last.page_height or 0)  # the appendix is landscape
    assert flat("การติดตามผล") in flat(docx_text(out.read_bytes()))


@pytest.mark.parametrize(
    ("command", "option", "phrase"),
    [
        ("measures", ["--form", "detailed"], "ข้อคำถาม ITA"),
        ("measures", ["--form", "simple"], "การติดตามผล"),
        ("results", ["--columns", "6"], "ผลการดำเนินการ (Output)"),
        ("results", ["--columns", "7"], "หลักฐาน"),
    ],
)
def test_measures_and_results_are_written_from_the_plan_file(
    tmp_path: Path, command: str, option: list[str], phrase: str
) -> None:
    out = tmp_path / f"{command}.docx"
    code, _, err = run("report", command, "--input", str(PLAN_EXAMPLE), *option, "-o", str(out))
    assert code == 0, err
    assert flat(phrase) in flat(docx_text(out.read_bytes()))


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["analysis", "--year", "2565", "--indicators", "-", *AGENCY, "-o", "x.txt"], S1_CSV,
         "give --format docx|pdf|html"),
        (["analysis", "--year", "2565", "--indicators", "-", *AGENCY[:6], "--date", "13/3/2566",
          "-o", "x.pdf"], S1_CSV, "must be an ISO date"),
        (["analysis", "--year", "2565", "--indicators", "-", *AGENCY, "-o", "x.pdf"],
         "indicator,score\n1,88.81\n", "missing indicator(s) 2, 3"),
        (["analysis", "--year", "2565", "--indicators", "-", *AGENCY, "--weak", "11",
          "-o", "x.pdf"], S1_CSV, "unknown indicator '11'"),
        (["analysis", "--year", "2599", "--indicators", "-", *AGENCY, "-o", "x.pdf"], S1_CSV,
         "no framework for fiscal year 2599"),
        (["measures", "--input", "no-such-plan.yaml", "-o", "x.pdf"], None, "file not found"),
    ],
)  # fmt: skip
def test_bad_input_exits_with_code_2_and_one_line(
    args: list[str],
    stdin: str | None,
    message: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("report", *args, stdin=stdin)
    assert code == 2
    assert out == b""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())


def test_a_bad_plan_file_names_the_line_of_the_fault(tmp_path: Path) -> None:
    bad = tmp_path / "plan.yaml"
    bad.write_text(PLAN_EXAMPLE.read_text(encoding="utf-8").replace("number: 3", "number: 9"))
    code, _, err = run("report", "results", "--input", str(bad), "-o", str(tmp_path / "r.pdf"))
    assert code == 2
    assert "issues[2].number: issue 9 is not in the 2566 framework" in err
