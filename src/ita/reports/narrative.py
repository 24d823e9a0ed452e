"""The Thai wording of the documents: headings, column headers and drafted sentences.

Every function takes values already formatted (digits in the document's mode) and returns
Thai text; nothing here computes a figure or knows a weight, a band or an item code. What an
indicator measures and how to improve it comes from the knowledge base, not from here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# --- fixed words --------------------------------------------------------------------------

PREFACE = "คำนำ"
CONTENTS = "สารบัญ"
PAGE = "หน้า"
DISTRICT = "อำเภอ"
PROVINCE = "จังหวัด"
TOTAL = "รวม"
TOTAL_SCORE = "คะแนนรวม"
REACHED = "ถึงเกณฑ์"
BELOW = "ต่ำกว่าเกณฑ์"
NONE_MARK = "-ไม่มี-"
IMPROVE_LABEL = "การพัฒนาหรือแก้ไข"
LIMITATIONS = "ข้อจำกัดของหน่วยงานในการประเมินคุณธรรมและความโปร่งใส"
TABLE_FOLLOWS = "รายละเอียดปรากฏตามตาราง ดังนี้"

SUMMARY_HEADING = "การวิเคราะห์ผลการประเมินภาพรวม"
WEAKNESS_HEADING = "ข้อบกพร่องและการพัฒนาหรือแก้ไข"
RECOMMEND_HEADING = "ข้อเสนอแนะจากผลการประเมิน"

ESTIMATE_NOTE = (
    "หมายเหตุ คะแนนในรายงานฉบับนี้คำนวณจากแบบสำรวจที่หน่วยงานจัดเก็บเอง เป็นค่าประมาณเพื่อใช้วางแผน "
    "มิใช่ผลการประเมินอย่างเป็นทางการของสำนักงาน ป.ป.ช."
)

COL_TOOL = "เครื่องมือในการประเมิน"
COL_TOOL_SHORT = "แบบวัด"
COL_INDICATOR = "ตัวชี้วัด"
COL_WEIGHT = "น้ำหนัก"
COL_SCORE = "คะแนน"
COL_LEVEL = "ระดับ"
COL_RULE = "เงื่อนไข"
COL_RANK = "อันดับ"

COL_ISSUE = "ประเด็น"
COL_ANALYSIS_TO_PRACTICE = "การนำผลการวิเคราะห์ไปสู่การปฏิบัติ"
COL_ITA_QUESTIONS = "ข้อคำถาม ITA"
COL_FINDINGS = "ข้อค้นพบ"
COL_STEPS = "ขั้นตอน/วิธีการปฏิบัติ"
COL_PERIOD = "ระยะเวลาดำเนินการ"
COL_UNITS = "หน่วยงานผู้รับผิดชอบ"

COL_MEASURE = "มาตรการ"
COL_STEPS_SHORT = "ขั้นตอนหรือวิธีการ"
COL_RESPONSIBLE = "ผู้รับผิดชอบ"
COL_PERIOD_SIMPLE = "ระยะเวลาการดำเนินการ"
COL_FOLLOW_UP = "การติดตามผล"

COL_ACTIVITY = "มาตรการ/กิจกรรมที่ดำเนินการ"
COL_STEPS_RESULTS = "ขั้นตอนหรือวิธีการปฏิบัติ"
COL_STEPS_AND_PERIOD = "ขั้นตอนและระยะเวลาดำเนินการ"
COL_PERIOD_RESULTS = "ระยะเวลาในการดำเนินการ"
COL_UNITS_RESULTS = "หน่วยงานที่รับผิดชอบ"
COL_OUTPUT = "ผลการดำเนินการ (Output)"
COL_OUTCOME = "ผลลัพธ์หรือสัมฤทธิ์ในการดำเนินการ (Outcome/result)"
COL_RECOMMENDATIONS = "ข้อเสนอแนะ"
COL_EVIDENCE = "หลักฐาน"

EL_ACTIVITY = "มาตรการ/โครงการหรือกิจกรรมที่ดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"
EL_STEPS = "ขั้นตอนหรือวิธีการปฏิบัติ"
EL_STEPS_AND_PERIOD = "ขั้นตอนหรือวิธีการปฏิบัติ และช่วงระยะเวลาในการดำเนินการ"
EL_PERIOD = "ช่วงระยะเวลาในการดำเนินการ"
EL_UNITS = "ผู้รับผิดชอบ"
EL_OUTPUT = "ผลการดำเนินการ (Output)"
EL_OUTCOME = "ผลลัพธ์หรือสัมฤทธิ์ในการดำเนินการ (Outcome/result)"
EL_RECOMMENDATIONS = "ข้อเสนอแนะสำหรับการดำเนินการในปีต่อไป"
EL_EVIDENCE = "หลักฐานการดำเนินการ (ลิงก์ที่เผยแพร่บนเว็บไซต์ของหน่วยงาน)"

_ITA = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"
NBSP = "\u00a0"  # keeps a number with the word before it (พ.ศ. ๒๕๖๕, ตัวชี้วัดที่ ๒)
BE = f"พ.ศ.{NBSP}"

# Words that libthai's line breaking (WeasyPrint's) splits into their parts at a line end
# (ตัว|ชี้|วัด, ผู้|บริหาร), which reads as a broken word; the PDF keeps each on one line. Only
# words libthai does split belong here (a test checks), since every kept word costs layout time.
# Proper nouns (the agency's name, district and province) are added per document.
KEEP_TOGETHER = (
    "ตัวชี้วัด", "หน่วยงาน", "ช่องทาง", "ข้อบกพร่อง", "แบบวัด", "ข้อเสนอแนะ", "ข้อจำกัด",
    "ข้อค้นพบ", "ข้อคำถาม", "ผู้มีส่วนได้ส่วนเสีย", "ผู้รับบริการ", "ผู้ใช้บริการ", "ผู้มาติดต่อ",
    "ผู้บริหาร", "ผู้ตรวจประเมิน", "เว็บไซต์", "ระยะเวลา", "แบบฟอร์ม", "คณะทำงาน", "หอกระจายข่าว",
)  # fmt: skip
# Kinds of agency written before a proper name (องค์การบริหารส่วนตำบล|ศรีคำ).
AGENCY_KINDS = (
    "องค์การบริหารส่วนตำบล", "องค์การบริหารส่วนจังหวัด", "เทศบาลตำบล", "เทศบาลเมือง",
    "เทศบาลนคร", "อบต.", "อบจ.", "ทต.", "ทม.", "ทน.",
)  # fmt: skip


TIED_WORDS = ("พ.ศ.", "ตัวชี้วัดที่", "ร้อยละ", "ไตรมาส", "คะแนน")
_TIE = re.compile(f"({'|'.join(re.escape(w) for w in TIED_WORDS)}) (?=[0-9๐-๙])")


def tie(text: str) -> str:
    """Return ``text`` with a no-break space between such words and the number after them."""
    return _TIE.sub(lambda m: m.group(1) + NBSP, text)


class Numbering:
    """Section numbers ``๑.``, ``๒.`` and sub-numbers ``๒.๑`` in the document's digits."""

    def __init__(self, digits: Callable[[object], str]) -> None:
        self.digits = digits
        self.section = 0
        self.subsection = 0

    def next(self) -> str:
        self.section += 1
        self.subsection = 0
        return f"{self.digits(self.section)}."

    def sub(self) -> str:
        self.subsection += 1
        return f"{self.digits(self.section)}.{self.digits(self.subsection)}"


# --- small pieces -------------------------------------------------------------------------


def with_prefix(name: str, prefix: str) -> str:
    """Return ``อำเภอแม่จัน`` from ``แม่จัน`` or ``อำเภอแม่จัน``."""
    name = name.strip()
    return name if name.startswith(prefix) else f"{prefix}{name}"


def joined(parts: Sequence[str]) -> str:
    """Return ``ก``, ``ก และ ข`` or ``ก ข และ ค``."""
    if len(parts) <= 1:
        return "".join(parts)
    # Thai writes และ against a Thai word; a Latin code (IIT, EIT) keeps its space.
    space = " " if parts[-1][:1].isascii() else ""
    return f"{' '.join(parts[:-1])} และ{space}{parts[-1]}"


def numbered(number: str, text: str) -> str:
    return f"{number}. {text}"


def dashed(text: str) -> str:
    return f"- {text}"


def percent(value: str) -> str:
    return f"ร้อยละ{NBSP}{value}"


def indicator_name(number: str, name: str) -> str:
    return f"ตัวชี้วัดที่{NBSP}{number} {name}"


def indicator_with_weight(name: str, weight: str) -> str:
    return f"{name} (ร้อยละ {weight})"


def indicator_count(count: str) -> str:
    return f"{count} ตัวชี้วัด"


def tool_full_name(name: str, code: str) -> str:
    return f"{name} ({code})"


def chart_label(number: str, name: str) -> str:
    return f"{number}. {name}"


def pass_line(pass_mark: str) -> str:
    return f"เกณฑ์ผ่าน {pass_mark}"


def legend_reached(pass_mark: str) -> str:
    return f"ได้ {pass_mark} ขึ้นไป"


def legend_below(pass_mark: str) -> str:
    return f"ต่ำกว่า {pass_mark}"


def col_against_pass(pass_mark: str) -> str:
    return f"เทียบเกณฑ์ {pass_mark}"


def item_score(score: str) -> str:
    return f"คะแนน{NBSP}{score}"


def issue_label(number: str, title: str, parenthesised: bool) -> str:
    return f"({number}) {title}" if parenthesised else f"{number}. {title}"


def finding(group: str | None, percent_text: str | None, text: str) -> str:
    """Return a finding: ``ประชาชนผู้รับบริการ ร้อยละ 4.26 มีความเห็นว่า…``."""
    return " ".join(p for p in (group, percent_text, text.strip()) if p)


def output(text: str, quantity: str | None, unit: str | None, target: str | None) -> str:
    out = text.strip()
    if quantity is not None:
        out += f" จำนวน {quantity}" + (f" {unit}" if unit else "")
    if target:
        out += f" (เป้าหมาย: {target})"
    return out


def period_line(period: str) -> str:
    return f"ระยะเวลา: {period}"


def assessor_note(text: str) -> str:
    return f"ข้อเสนอแนะของผู้ตรวจประเมิน: {text.strip()}"


# --- analysis report ----------------------------------------------------------------------


def analysis_title(year: str) -> tuple[str, ...]:
    return (
        "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใส",
        "ในการดำเนินงานของหน่วยงานภาครัฐ",
        f"ประจำปีงบประมาณ {BE}{year}",
    )


def framework_heading(year: str) -> str:
    return f"กรอบการประเมิน ITA ประจำปีงบประมาณ {BE}{year}"


def framework_intro(year: str, indicators: str, tools: str) -> str:
    return (
        f"การประเมิน ITA ประจำปีงบประมาณ {BE}{year} ประกอบด้วย {indicators} ตัวชี้วัด "
        f"เก็บข้อมูลด้วยเครื่องมือ {tools} แบบวัด คะแนนรวมคำนวณจากคะแนนรายตัวชี้วัดถ่วงด้วยน้ำหนัก ดังนี้"
    )


def levels_heading(year: str) -> str:
    return f"เกณฑ์ระดับผลการประเมิน ประจำปีงบประมาณ {BE}{year}"


def levels_intro_bands(count: str) -> str:
    return (
        "สำนักงาน ป.ป.ช. รายงานผลการประเมินเป็นค่าคะแนนควบคู่กับระดับผลการประเมิน "
        f"โดยจำแนกออกเป็น {count} ระดับ ดังนี้"
    )


def levels_intro_rules(count: str, pass_mark: str) -> str:
    return (
        f"ผลการประเมินจำแนกออกเป็น {count} ระดับ โดยพิจารณาคะแนนรวมร่วมกับคะแนนของแต่ละแบบวัด "
        "ไล่จากระดับสูงสุดลงมา หน่วยงานได้ระดับแรกที่เข้าเงื่อนไข "
        f"และหน่วยงานที่ได้คะแนนรวมตั้งแต่ {pass_mark} คะแนนขึ้นไปถือว่าผ่านเกณฑ์ ดังนี้"
    )


def rule_total(minimum: str) -> str:
    return f"คะแนนรวมตั้งแต่ {minimum} ขึ้นไป"


def rule_each_tool(minimum: str) -> str:
    return f" และทุกแบบวัดได้คะแนนตั้งแต่ {minimum} ขึ้นไป"


def rule_some_tool_below(minimum: str) -> str:
    return f" แต่มีแบบวัดอย่างน้อยหนึ่งแบบวัดได้คะแนนต่ำกว่า {minimum}"


def rule_below(minimum: str) -> str:
    return f"คะแนนรวมต่ำกว่า {minimum}"


def results_heading(year: str) -> str:
    return f"ผลการประเมิน ITA ประจำปีงบประมาณ {BE}{year}"


def chart_caption(year: str, pass_mark: str) -> str:
    return f"คะแนนรายตัวชี้วัด ประจำปีงบประมาณ {BE}{year} เทียบกับเกณฑ์ผ่าน {pass_mark} คะแนน"


def overall(agency: str, year: str, total: str, level: str, meaning: str | None) -> str:
    text = (
        f"ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{agency} ประจำปีงบประมาณ {BE}{year} "
        f"ในภาพรวมได้คะแนน {total} คะแนน จากคะแนนเต็ม 100 คะแนน จัดอยู่ในระดับ {level}"
    )
    return f"{text} หมายถึง {meaning}" if meaning else text


def extremes(high: Sequence[str], high_score: str, low: Sequence[str], low_score: str) -> str:
    if high_score == low_score:
        return f"ทุกตัวชี้วัดได้คะแนนเท่ากัน คือ {high_score} คะแนน"
    return (
        f"เมื่อพิจารณารายตัวชี้วัด ตัวชี้วัดที่ได้คะแนนสูงสุด คือ {joined(high)} ได้คะแนน {high_score} "
        f"ส่วนตัวชี้วัดที่ได้คะแนนต่ำสุด คือ {joined(low)} ได้คะแนน {low_score}"
    )


def tools_summary(tools: Sequence[tuple[str, str, bool]], pass_mark: str) -> str:
    parts = [f"แบบวัด {code} ได้ {score} คะแนน" for code, score, _ in tools]
    below = [code for code, _, is_below in tools if is_below]
    text = f"เมื่อพิจารณารายแบบวัด {joined(parts)}"
    if below:
        return f"{text} โดยแบบวัดที่ได้คะแนนต่ำกว่า {pass_mark} คะแนน ได้แก่ {joined(below)}"
    return f"{text} ทุกแบบวัดได้คะแนนตั้งแต่ {pass_mark} คะแนนขึ้นไป"


def pass_statement(
    passed: bool, total: str, pass_mark: str, gap: str, below: Sequence[str], count: str
) -> str:
    if passed:
        text = f"คะแนนรวม {total} คะแนน ผ่านเกณฑ์ {pass_mark} คะแนน"
    else:
        text = f"คะแนนรวม {total} คะแนน ยังต่ำกว่าเกณฑ์ {pass_mark} คะแนนอยู่ {gap} คะแนน"
    if not below:
        return f"{text} และทุกตัวชี้วัดได้คะแนนถึงเกณฑ์"
    link = "อย่างไรก็ตาม มี" if passed else "โดยมี"
    return (
        f"{text} {link}ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ {count} ตัวชี้วัด ได้แก่ {joined(below)} "
        "ซึ่งหน่วยงานควรพัฒนาเป็นลำดับแรก"
    )


def weakness_intro(pass_mark: str) -> str:
    return (
        f"หัวข้อนี้อธิบายตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ {pass_mark} คะแนน แยกตามแบบวัด "
        "ว่าตัวชี้วัดนั้นประเมินเรื่องใด และหน่วยงานควรพัฒนาหรือแก้ไขอย่างไร"
    )


def weakness_tool_heading(name: str, code: str) -> str:
    return f"ผลการประเมิน{name.removeprefix('แบบวัด')} ({code})"


def weak_title(name: str, score: str) -> str:
    return f"{name} ได้คะแนน {score}"


def no_weakness(tool_score: str, pass_mark: str, skipped: Sequence[str]) -> str:
    if skipped:
        return (
            f"แบบวัดนี้ได้ {tool_score} คะแนน ตัวชี้วัดที่ได้คะแนนต่ำกว่าเกณฑ์ ได้แก่ {joined(skipped)} "
            "ไม่ได้เลือกมาวิเคราะห์ในรายงานฉบับนี้"
        )
    return (
        f"แบบวัดนี้ได้ {tool_score} คะแนน และทุกตัวชี้วัดได้คะแนนตั้งแต่ {pass_mark} คะแนนขึ้นไป "
        "จึงไม่มีข้อบกพร่องที่ต้องแก้ไขเร่งด่วน หน่วยงานควรรักษามาตรฐานการดำเนินงานไว้"
    )


def recommend_summary(agency: str, total: str, passed: bool, pass_mark: str) -> str:
    verdict = "ผ่านเกณฑ์" if passed else "ยังไม่ผ่านเกณฑ์"
    return (
        f"{agency} ได้คะแนนรวม {total} คะแนน {verdict} {pass_mark} คะแนน "
        "เพื่อรักษาจุดแข็งและพัฒนาจุดที่ยังบกพร่อง จึงมีข้อเสนอแนะแยกตามแบบวัด ดังนี้"
    )


def tool_recommendation(
    tool: str,
    score: str,
    best: Sequence[str],
    best_score: str,
    best_passes: bool,
    worst: Sequence[str],
    worst_score: str,
    worst_passes: bool,
    maintain: str,
    improve: str,
) -> str:
    head = f"ข้อเสนอแนะสำหรับ{tool} ซึ่งได้ {score} คะแนน"
    if worst_passes:
        return (
            f"{head} ทุกตัวชี้วัดได้คะแนนถึงเกณฑ์ โดย{joined(best)} ได้คะแนนสูงสุด {best_score} คะแนน "
            f"{maintain}"
        )
    if best_passes:
        return (
            f"{head} {joined(best)} ได้คะแนน {best_score} ถึงเกณฑ์แล้ว ควรรักษามาตรฐานไว้ "
            f"ส่วน{joined(worst)} ได้คะแนน {worst_score} ควรพัฒนาและปรับปรุงเป็นลำดับแรก {improve}"
        )
    return (
        f"{head} ทุกตัวชี้วัดยังได้คะแนนต่ำกว่าเกณฑ์ โดย{joined(worst)} ได้คะแนนต่ำสุด {worst_score} "
        f"ควรพัฒนาและปรับปรุงเป็นลำดับแรก {improve}"
    )


def guidelines_heading() -> str:
    return "แนวทางการนำผลการวิเคราะห์ไปสู่การปฏิบัติ"


def guidelines_intro(agency: str) -> str:
    return f"เพื่อให้ผลการวิเคราะห์นำไปสู่การปรับปรุงที่เป็นรูปธรรม {agency} กำหนดแนวทางการดำเนินงาน ดังนี้"


# --- measures document --------------------------------------------------------------------


def measures_title(agency: str, year: str) -> tuple[str, ...]:
    return (f"มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน {agency}", f"ปีงบประมาณ {BE}{year}")


def measures_intro(agency: str, analysed: str, year: str) -> str:
    return (
        f"คณะทำงานเพื่อสนับสนุนการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ{agency} "
        f"ได้วิเคราะห์ผล{_ITA} (ITA) ประจำปีงบประมาณ {BE}{analysed} "
        "และร่วมกันกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        "เพื่อปรับปรุงแก้ไขจุดอ่อนและข้อบกพร่องที่พบ ส่งเสริมคุณธรรมและความโปร่งใสในองค์กร "
        f"และติดตามความก้าวหน้าของการปรับปรุงได้อย่างเป็นระบบ ในปีงบประมาณ {BE}{year} ดังนี้"
    )


def simple_measures_title(agency: str, year: str) -> tuple[str, ...]:
    return (
        "การกำหนดมาตรการและการแก้ไขข้อบกพร่องเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        f"ของ{agency} ประจำปีงบประมาณ {BE}{year}",
    )


def simple_measures_intro(agency: str, analysed: str, year: str) -> str:
    return (
        f"จากการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ {BE}{analysed} {agency} "
        "ได้กำหนดมาตรการ ขั้นตอนหรือวิธีการ ผู้รับผิดชอบ ระยะเวลา และการติดตามผล "
        f"เพื่อแก้ไขข้อบกพร่องที่พบ ในปีงบประมาณ {BE}{year} ดังนี้"
    )


# --- results report -----------------------------------------------------------------------


def results_title(year: str, agency: str, location: str) -> tuple[str, ...]:
    lines = (
        "รายงานผลการดำเนินการเพื่อส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
        f"ประจำปีงบประมาณ {BE}{year}",
        f"{agency} {location}".strip(),
    )
    return lines


def results_intro(agency: str, by: str | None, analysed: str, year: str, count: str) -> str:
    who = f"{by}{agency}" if by else agency
    return (
        f"ตามที่{who} ได้จัดทำรายงานการวิเคราะห์ผล{_ITA} ประจำปีงบประมาณ {BE}{analysed} "
        "และได้กำหนดมาตรการเพื่อนำผลการวิเคราะห์ไปสู่การปฏิบัติ "
        "และขับเคลื่อนการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานอย่างเป็นรูปธรรม "
        f"ในปีงบประมาณ {BE}{year} จำนวน {count} ประเด็น ดังนี้"
    )


def results_elements_intro(agency: str, year: str) -> str:
    return (
        f"{agency} จึงได้จัดทำรายงานผลการดำเนินการตามมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน "
        f"ประจำปีงบประมาณ {BE}{year} โดยมีรายละเอียดประกอบด้วย"
    )
