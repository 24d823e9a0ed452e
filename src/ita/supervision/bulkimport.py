"""Bulk import of official results for many agencies from one CSV or XLSX file.

One row per agency and fiscal year::

    itas_code  name                         agency_type  province  district  fiscal_year
    indicator_1 … indicator_10  published_total  published_level

Agencies are matched by ITAS code, then by name and province; an agency that matches neither
is created. Every row is checked first and every fault reported with its row (line 1 is the
header); nothing is saved unless the whole file is valid, and then everything is saved in one
transaction through :func:`ita.assessments.services.save_results` (a snapshot and a change-log
entry per assessment). Only system administrators import (it creates agencies and writes
results for agencies they are not members of).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

from ita.agencies.models import DEFAULT_UNITS, Agency, AgencyType, ResponsibleUnit, provinces
from ita.assessments.forms import parse_score
from ita.assessments.models import Assessment, Source
from ita.assessments.services import framework_for_year, save_results, start_assessment
from ita.audit.models import record
from ita.catalog.models import Framework
from ita.scoring.engine import OfficialScores, ScoringInputError, score_official
from ita.scoring.inputs import RowError, TableError
from ita.scoring.spec import ScoringSpec
from ita.thai import to_arabic_digits

MAX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED = 200 * 1024 * 1024  # refuse XLSX files that unpack larger (zip bombs)
MAX_ROWS = 50_000  # five years of every agency in the country

FIELDS = ("itas_code", "name", "agency_type", "province", "district", "fiscal_year")
TAIL = ("published_total", "published_level")
HEADERS_TH = {
    "itas_code": "รหัสหน่วยงาน ITAS",
    "name": "ชื่อหน่วยงาน",
    "agency_type": "ประเภทหน่วยงาน",
    "province": "จังหวัด",
    "district": "อำเภอ",
    "fiscal_year": "ปีงบประมาณ",
    "published_total": "คะแนนรวมที่ประกาศ",
    "published_level": "ระดับที่ประกาศ",
}
_INDICATOR = re.compile(r"^(?:indicator[_ ]?|ตัวชี้วัดที่\s*|ตัวชี้วัด\s*)(\d+)")
_LABELLED = re.compile(r"\(([a-z_0-9]+)\)\s*$")
TYPE_ALIASES = {
    "องค์การบริหารส่วนตำบล": AgencyType.SAO,
    "องค์การบริหารส่วนจังหวัด": AgencyType.PAO,
    "ทต.": AgencyType.SUBDISTRICT_MUNICIPALITY,
    "ทม.": AgencyType.TOWN_MUNICIPALITY,
    "ทน.": AgencyType.CITY_MUNICIPALITY,
    "อื่นๆ": AgencyType.OTHER,
}
PROVINCE_ALIASES = {"กทม.": "กรุงเทพมหานคร", "กทม": "กรุงเทพมหานคร"}

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ImportRow:
    line: int
    itas_code: str
    name: str
    agency_type: str  # a type's value, or "" when not given
    province: str
    district: str
    fiscal_year: int
    indicators: dict[int, Decimal]
    published_total: Decimal | None
    published_level: str

    @property
    def key(self) -> tuple[str, str]:
        """Which agency the row is about, within the file: its code, or its name and province."""
        return ("code", self.itas_code) if self.itas_code else (self.province, self.name)


@dataclass
class AgencyPlan:
    """What the import does with one agency of the file."""

    existing: int | None  # the matched agency's id; None: to be created
    name: str
    agency_type: str
    province: str
    district: str
    itas_code: str
    set_code: bool = False  # matched by name and province: record the file's ITAS code


@dataclass
class ImportPlan:
    filename: str
    rows: list[ImportRow]
    agencies: dict[tuple[str, str], AgencyPlan]
    notes: list[str] = field(default_factory=list)

    @property
    def new_agencies(self) -> int:
        return sum(1 for a in self.agencies.values() if a.existing is None)

    @property
    def matched_agencies(self) -> int:
        return sum(1 for a in self.agencies.values() if a.existing is not None)


@dataclass(frozen=True)
class ImportSummary:
    agencies_created: int
    agencies_matched: int
    assessments_created: int
    results_saved: int
    unchanged: int

    def to_json(self) -> dict[str, int]:
        return dict(self.__dict__)


# --- reading the file ---------------------------------------------------------------------


def read_table(filename: str, data: bytes) -> list[list[Any]]:
    """Return the cells of a CSV or XLSX file, refusing what is too big or of another kind."""
    if len(data) > MAX_BYTES:
        raise TableError([RowError(None, "ไฟล์ใหญ่เกิน 20 MB", "the file is larger than 20 MB")])
    name = filename.lower()
    if name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp874"):  # Thai Excel saves "CSV" in Windows-874
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            try:
                return list(csv.reader(io.StringIO(text, newline="")))
            except csv.Error as exc:
                raise TableError(
                    [RowError(None, f"อ่านไฟล์ CSV ไม่ได้ ({exc})", f"cannot read the CSV ({exc})")]
                ) from None
        raise TableError(
            [RowError(None, "อ่านไฟล์ CSV ไม่ได้ (ต้องเป็น UTF-8)", "cannot read the CSV (use UTF-8)")]
        )
    if name.endswith(".xlsx"):
        return _read_xlsx(data)
    raise TableError([RowError(None, "รองรับเฉพาะไฟล์ .csv และ .xlsx", "only .csv and .xlsx files")])


def _read_xlsx(data: bytes) -> list[list[Any]]:
    damaged = TableError([RowError(None, "ไฟล์ XLSX เสียหาย", "the XLSX file is damaged")])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise damaged from None
    if unpacked > MAX_UNPACKED:
        raise TableError([RowError(None, "ไฟล์ XLSX ใหญ่เกินไป", "the XLSX file unpacks too large")])
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise damaged from None
    rows: list[list[Any]] = []
    for values in book.worksheets[0].iter_rows(values_only=True):
        rows.append(["" if v is None else v for v in values])
        if len(rows) > MAX_ROWS + 1:
            break
    book.close()
    return rows


def _text(value: Any) -> str:
    if isinstance(value, float):
        # Spreadsheet numbers arrive as floats; write them back the way they were typed.
        return f"{value:.10f}".rstrip("0").rstrip(".")
    return " ".join(str(value).split())


def _column(header: str) -> str | None:
    """Return the field a header names: its key, its Thai label, or ``ตัวชี้วัดที่ N``."""
    cell = to_arabic_digits(header).strip()
    labelled = _LABELLED.search(cell.lower())
    if labelled:
        cell = labelled.group(1)
    lowered = cell.lower()
    for key in (*FIELDS, *TAIL):
        if lowered in {key, HEADERS_TH[key].lower()}:
            return key
    number = _INDICATOR.match(lowered)
    return f"indicator_{int(number.group(1))}" if number else None


# --- checking rows ------------------------------------------------------------------------


def _agency_type(text: str) -> str | None:
    cleaned = text.strip()
    if cleaned in AgencyType.values:
        return cleaned
    for value, label in AgencyType.choices:
        if cleaned == label:
            return value
    alias = TYPE_ALIASES.get(cleaned.replace(" ", ""))
    return alias.value if alias else None


def _province(text: str) -> str:
    cleaned = text.strip()
    cleaned = PROVINCE_ALIASES.get(cleaned, cleaned)
    if cleaned not in provinces() and cleaned.startswith("จังหวัด"):
        cleaned = cleaned.removeprefix("จังหวัด")
    return cleaned


def parse_rows(
    cells: Sequence[Sequence[Any]], specs: Callable[[int], ScoringSpec | None]
) -> tuple[list[ImportRow], list[RowError]]:
    """Return the valid rows and the faults of the others (TableError: no table at all)."""
    numbered = [
        (line, row) for line, row in enumerate(cells, start=1) if any(_text(v) for v in row)
    ]
    if not numbered:
        raise TableError([RowError(None, "ไฟล์ว่างเปล่า", "the file is empty")])
    if len(numbered) > MAX_ROWS + 1:
        raise TableError([RowError(None, f"เกิน {MAX_ROWS:,} แถว", f"more than {MAX_ROWS:,} rows")])
    header_line, header = numbered[0]
    columns = [_column(_text(h)) for h in header]
    missing = [c for c in ("name", "province", "fiscal_year") if c not in columns]
    if missing:
        raise TableError(
            [
                RowError(
                    header_line,
                    f"ไม่มีคอลัมน์ {', '.join(missing)}",
                    f"missing column(s) {', '.join(missing)}",
                )
            ]
        )
    errors: list[RowError] = []
    rows: list[ImportRow] = []
    for line, cells_of_row in numbered[1:]:
        raw = {
            c: _text(cells_of_row[i]) if i < len(cells_of_row) else ""
            for i, c in enumerate(columns)
            if c
        }
        row = _parse_row(line, raw, specs, errors)
        if row is not None:
            rows.append(row)
    if not rows and not errors:
        raise TableError([RowError(None, "ไม่มีแถวข้อมูล", "no data rows")])
    return rows, errors


def _parse_row(
    line: int,
    raw: dict[str, str],
    specs: Callable[[int], ScoringSpec | None],
    errors: list[RowError],
) -> ImportRow | None:
    found: list[RowError] = []

    def fault(th: str, en: str) -> None:
        found.append(RowError(line, th, en))

    name = raw.get("name", "")
    if not name:
        fault("ไม่มีชื่อหน่วยงาน", "no agency name")
    province = _province(raw.get("province", ""))
    if province not in provinces():
        fault(
            f"จังหวัด {raw.get('province', '')!r} ไม่มีในประเทศไทย",
            f"province {raw.get('province', '')!r} is not a province of Thailand",
        )
    type_text = raw.get("agency_type", "")
    agency_type = _agency_type(type_text) if type_text else ""
    if agency_type is None:
        choices = ", ".join(label for _v, label in AgencyType.choices)
        fault(
            f"ประเภทหน่วยงาน {type_text!r} ไม่รู้จัก (ใช้ได้: {choices})",
            f"unknown agency type {type_text!r} (use: {choices})",
        )
    year_text = to_arabic_digits(raw.get("fiscal_year", "")).strip()
    spec = specs(int(year_text)) if year_text.isdecimal() else None
    if not year_text.isdecimal():
        fault(
            f"ปีงบประมาณ {raw.get('fiscal_year', '')!r} ไม่ใช่ตัวเลข",
            f"fiscal year {raw.get('fiscal_year', '')!r} is not a number",
        )
    elif spec is None:
        fault(
            f"ยังไม่มีกรอบการประเมินปี {year_text}", f"no framework loaded for fiscal year {year_text}"
        )
    indicators: dict[int, Decimal] = {}
    for key, text in raw.items():
        if not key.startswith("indicator_") or (not text and spec is None):
            continue
        number = int(key.removeprefix("indicator_"))
        if spec is not None and not spec.has_indicator(number):
            if text:
                fault(
                    f"ปี {spec.fiscal_year} ไม่มีตัวชี้วัดที่ {number}",
                    f"{spec.fiscal_year} has no indicator {number}",
                )
            continue
        if not text:
            fault(f"ไม่มีคะแนนตัวชี้วัดที่ {number}", f"no score for indicator {number}")
            continue
        try:
            indicators[number] = parse_score(text)
        except ValueError as exc:
            fault(f"ตัวชี้วัดที่ {number}: {exc}", f"indicator {number} {text!r}: {exc}")
    if spec is not None:
        absent = [str(i.number) for i in spec.indicators if f"indicator_{i.number}" not in raw]
        if absent:
            fault(
                f"ไม่มีคอลัมน์ตัวชี้วัดที่ {', '.join(absent)}",
                f"no column for indicator(s) {', '.join(absent)}",
            )
    total: Decimal | None = None
    if raw.get("published_total"):
        try:
            total = parse_score(raw["published_total"])
        except ValueError as exc:
            fault(f"คะแนนรวมที่ประกาศ: {exc}", f"published total {raw['published_total']!r}: {exc}")
    level = raw.get("published_level", "")
    names = [lv.name for lv in spec.levels] if spec is not None else []
    if spec is not None and level and level not in names:
        fault(
            f"ระดับ {level!r} ไม่มีในปี {spec.fiscal_year} (มี: {', '.join(names)})",
            f"level {level!r} does not exist in {spec.fiscal_year} (levels: {', '.join(names)})",
        )
    if spec is not None and not found:
        try:
            score_official(
                spec,
                OfficialScores(
                    indicators={n: float(v) for n, v in indicators.items()},
                    total=float(total) if total is not None else None,
                    level=level or None,
                ),
            )
        except ScoringInputError as exc:
            fault(exc.th, exc.en)
    errors.extend(found)
    if found or spec is None:
        return None
    return ImportRow(
        line=line,
        itas_code=raw.get("itas_code", ""),
        name=name,
        agency_type=agency_type or "",
        province=province,
        district=raw.get("district", ""),
        fiscal_year=spec.fiscal_year,
        indicators=indicators,
        published_total=total,
        published_level=level,
    )


# --- matching agencies --------------------------------------------------------------------


def plan_import(filename: str, rows: Sequence[ImportRow]) -> tuple[ImportPlan, list[RowError]]:
    """Match every row's agency (or plan to create it); return the plan and every fault."""
    by_code: dict[str, tuple[int, str, str, str]] = {}
    by_name: dict[tuple[str, str], tuple[int, str]] = {}
    for pk, code, name, province, agency_type in Agency.objects.values_list(
        "pk", "itas_code", "name_th", "province", "agency_type"
    ):
        if code:
            by_code[code] = (pk, name, province, agency_type)
        by_name[(province, " ".join(name.split()))] = (pk, code)
    errors: list[RowError] = []
    plans: dict[tuple[str, str], AgencyPlan] = {}
    first_line: dict[tuple[str, str], ImportRow] = {}
    seen_years: dict[tuple[tuple[str, str], int], int] = {}
    notes: list[str] = []
    for row in rows:
        key = row.key
        fault = _faults(errors, row.line)
        earlier = first_line.get(key)
        if earlier is not None and (earlier.name, earlier.province) != (row.name, row.province):
            fault(
                f"รหัส {row.itas_code} ในแถวที่ {earlier.line} เป็นของ {earlier.name} "
                f"จังหวัด{earlier.province}",
                f"code {row.itas_code} is {earlier.name} ({earlier.province}) "
                f"on line {earlier.line}",
            )
            continue
        year_key = (key, row.fiscal_year)
        if year_key in seen_years:
            fault(
                f"หน่วยงานนี้มีผลปี {row.fiscal_year} ซ้ำกับแถวที่ {seen_years[year_key]}",
                f"this agency's {row.fiscal_year} repeats line {seen_years[year_key]}",
            )
            continue
        seen_years[year_key] = row.line
        if key in plans:
            continue
        first_line[key] = row
        plan = _match(row, by_code, by_name, fault, notes)
        if plan is not None:
            plans[key] = plan
    # The same agency written once with its code and once without would be two agencies.
    identities: dict[tuple[Any, ...], int] = {}
    for key, plan in plans.items():
        identity = ("id", plan.existing) if plan.existing else ("new", plan.province, plan.name)
        line = first_line[key].line
        if identity in identities:
            errors.append(
                RowError(
                    line,
                    f"{plan.name} จังหวัด{plan.province} อยู่ในแถวที่ {identities[identity]} แล้ว "
                    "(ให้ใช้รหัส ITAS เดียวกันทุกแถว)",
                    f"{plan.name} ({plan.province}) is already on line {identities[identity]} "
                    "(give it the same ITAS code on every line)",
                )
            )
        identities.setdefault(identity, line)
    valid_rows = [row for row in rows if row.key in plans]
    return ImportPlan(filename, valid_rows, plans, notes), errors


def _faults(errors: list[RowError], line: int) -> Callable[[str, str], None]:
    def fault(th: str, en: str) -> None:
        errors.append(RowError(line, th, en))

    return fault


def _match(
    row: ImportRow,
    by_code: dict[str, tuple[int, str, str, str]],
    by_name: dict[tuple[str, str], tuple[int, str]],
    fault: Callable[[str, str], None],
    notes: list[str],
) -> AgencyPlan | None:
    known = by_code.get(row.itas_code) if row.itas_code else None
    if known is not None:
        pk, name, province, agency_type = known
        if province != row.province:
            fault(
                f"รหัส {row.itas_code} เป็นของ {name} จังหวัด{province} ไม่ใช่จังหวัด{row.province}",
                f"code {row.itas_code} belongs to {name} in {province}, not {row.province}",
            )
            return None
        if name != row.name:
            notes.append(
                f"แถวที่ {row.line}: {row.itas_code} บันทึกไว้ชื่อ {name} (ในไฟล์: {row.name}) ใช้ชื่อเดิม"
            )
        return AgencyPlan(pk, name, agency_type, province, row.district, row.itas_code)
    named = by_name.get((row.province, row.name))
    if named is not None:
        pk, code = named
        if row.itas_code and code and code != row.itas_code:
            fault(
                f"{row.name} จังหวัด{row.province} มีรหัส {code} อยู่แล้ว ไม่ใช่ {row.itas_code}",
                f"{row.name} ({row.province}) already has code {code}, not {row.itas_code}",
            )
            return None
        return AgencyPlan(
            pk,
            row.name,
            row.agency_type,
            row.province,
            row.district,
            row.itas_code or code,
            set_code=bool(row.itas_code and not code),
        )
    if not row.agency_type:
        fault("หน่วยงานใหม่ต้องระบุประเภทหน่วยงาน", "a new agency needs its type")
        return None
    return AgencyPlan(None, row.name, row.agency_type, row.province, row.district, row.itas_code)


def validate(filename: str, data: bytes) -> ImportPlan:
    """Read and check a whole file; raise TableError listing every fault. Saves nothing."""
    specs: dict[int, ScoringSpec | None] = {}

    def spec_of(year: int) -> ScoringSpec | None:
        if year not in specs:
            try:
                specs[year] = framework_for_year(year).spec
            except LookupError:
                specs[year] = None
        return specs[year]

    rows, faults = parse_rows(read_table(filename, data), spec_of)
    plan, unmatched = plan_import(filename, rows)
    faults += unmatched
    if faults:
        raise TableError(sorted(faults, key=lambda e: e.line or 0))
    return plan


# --- saving -------------------------------------------------------------------------------


def apply(plan: ImportPlan, user: Any, progress: Progress | None = None) -> ImportSummary:
    """Create the agencies and save every row's results, all in one transaction."""
    what = f"นำเข้าผลหลายหน่วยงาน / bulk import: {plan.filename}"
    created = assessments_created = saved = unchanged = 0
    if progress is not None:
        # Progress written inside the transaction would not show before it commits.
        progress(0, len(plan.rows), "กำลังบันทึก / saving")
    with transaction.atomic():
        agencies: dict[tuple[str, str], Agency] = {}
        existing = Agency.objects.in_bulk(
            [p.existing for p in plan.agencies.values() if p.existing]
        )
        for key, agency_plan in plan.agencies.items():
            if agency_plan.existing is not None:
                agency = existing[agency_plan.existing]
                if agency_plan.set_code:
                    agency.itas_code = agency_plan.itas_code
                    agency.save(update_fields=["itas_code"])
                    record(
                        user,
                        agency,
                        "agency.updated",
                        obj=agency,
                        summary=what,
                        changes={"itas_code": ["", agency.itas_code]},
                    )
            else:
                agency = Agency.objects.create(
                    name_th=agency_plan.name,
                    agency_type=agency_plan.agency_type,
                    province=agency_plan.province,
                    district=agency_plan.district,
                    itas_code=agency_plan.itas_code,
                )
                ResponsibleUnit.objects.bulk_create(
                    [
                        ResponsibleUnit(agency=agency, name=n, position=i)
                        for i, n in enumerate(DEFAULT_UNITS)
                    ]
                )
                record(user, agency, "agency.created", obj=agency, summary=what)
                created += 1
            agencies[key] = agency
        started = set(
            Assessment.objects.filter(agency__in=list(agencies.values())).values_list(
                "agency_id", "fiscal_year"
            )
        )
        for row in plan.rows:
            agency = agencies[row.key]
            if (agency.pk, row.fiscal_year) not in started:
                assessments_created += 1
            assessment = start_assessment(agency, row.fiscal_year, user)
            published = None
            if row.published_total is not None or row.published_level:
                published = (row.published_total, row.published_level)
            snapshot = save_results(
                assessment,
                user,
                source=Source.UPLOAD,
                indicators=dict(row.indicators),
                published=published,
                what=what,
            )
            if snapshot is None:
                unchanged += 1
            else:
                saved += 1
    return ImportSummary(created, plan.matched_agencies, assessments_created, saved, unchanged)


# --- the template -------------------------------------------------------------------------


def template_columns(framework: Framework) -> list[str]:
    """Return the template's header: Thai label and key of every column."""
    labels = [f"{HEADERS_TH[k]} ({k})" for k in FIELDS]
    labels += [
        f"ตัวชี้วัดที่ {i.number} (indicator_{i.number})" for _t, i in framework.schema.indicators()
    ]
    labels += [f"{HEADERS_TH[k]} ({k})" for k in TAIL]
    return labels


def template_csv(framework: Framework) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(template_columns(framework))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(framework: Framework) -> bytes:
    """Return the template as XLSX: the header, and a second sheet that explains each column."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = "ผลการประเมิน"
    sheet.append(template_columns(framework))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "C2"
    spec = framework.spec
    notes = book.create_sheet("คำอธิบาย")
    notes.append(["คอลัมน์ (column)", "คำอธิบาย"])
    notes.append(["itas_code", "รหัสหน่วยงานในระบบ ITAS ใช้จับคู่กับหน่วยงานที่มีอยู่ (ถ้าไม่มี จับคู่จากชื่อและจังหวัด)"])
    notes.append(["name", "ชื่อเต็มของหน่วยงาน"])
    notes.append(["agency_type", "ประเภท: " + ", ".join(label for _v, label in AgencyType.choices)])
    notes.append(["province", "ชื่อจังหวัด (ไม่ต้องมีคำว่า จังหวัด)"])
    notes.append(["district", "อำเภอ (ไม่บังคับ)"])
    notes.append(["fiscal_year", "ปีงบประมาณ พ.ศ. เช่น 2568"])
    notes.append(["indicator_N", "คะแนนตัวชี้วัด 0–100 ทศนิยมไม่เกิน 2 ตำแหน่ง ต้องมีครบทุกตัวชี้วัดของปี"])
    notes.append(["published_total", "คะแนนรวมที่ ป.ป.ช. ประกาศ (ไม่บังคับ)"])
    notes.append(
        [
            "published_level",
            f"ระดับที่ประกาศ (ไม่บังคับ) ปี {spec.fiscal_year}: "
            + ", ".join(lv.name for lv in spec.levels),
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
