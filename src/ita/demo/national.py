"""A synthetic nation: 8,317 agencies, five fiscal years of results, one year of raw answers.

Made for the supervision views and the benchmarks in ``bench/``; every agency is labelled
demonstration data. The same seed (and scale) gives the same nation, to the last digit.

* **Agencies** (DOMAIN.md §1): about 5,300 อบต., 2,470 เทศบาล of three kinds, 76 อบจ. (one
  per province but Bangkok), central and provincial government offices, and others
  (กรุงเทพมหานคร, เมืองพัทยา, public organisations). Local agencies are spread over the 77
  provinces of ``agencies/data/provinces.yaml`` by a random weight per province; each
  province gets districts in proportion. Names are made up from common place-name parts.
* **Results**: each agency has a latent standing (its type, its province, its own) and a
  yearly trend; each indicator score is drawn around it. Disclosure (OIT) indicators are
  shares of items passed, like the real ones. The year's framework decides totals and levels.
* **Raw answers** for the last year: 1.35 million respondents (ITA 2568) split between the
  perception tools as NACC's group 6 split its answers in 2564 (about 42 % staff, 58 %
  service users), each answering every field of the year's form. They are scored with the
  engine's batch path, and what NACC would publish is stored; the answers themselves are
  kept as compressed NumPy arrays under ``ITA_DATA_DIR/national/``, not in the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from ita.agencies.models import AgencyType, provinces
from ita.scoring.batch import score_answers_batch, score_indicators_batch
from ita.scoring.engine import round2
from ita.scoring.spec import ScoringSpec

NATION = 8317  # agencies assessed in ITA 2568 (DOMAIN.md §1)
RESPONDENTS = 1_350_000  # respondents in ITA 2568 ("more than 1.35 million")
YEARS = (2564, 2565, 2566, 2567, 2568)
CODE_PREFIX = "DEMO-"
# Agencies per type: DOMAIN.md §1 for local ones; the rest of the 8,317 are others.
TYPE_COUNTS = (
    (AgencyType.SAO, 5300),
    (AgencyType.SUBDISTRICT_MUNICIPALITY, 2247),
    (AgencyType.TOWN_MUNICIPALITY, 195),
    (AgencyType.CITY_MUNICIPALITY, 30),  # not-domain: a count of agencies
    (AgencyType.PAO, 76),
    (AgencyType.GOVERNMENT, 390),
    (AgencyType.OTHER, 79),
)
# Share of respondents per perception tool, in the framework's order (staff, then service
# users): NACC's group 6 in 2564 collected about 94 external answers per agency.
PERCEPTION_SHARES = (0.42, 0.58)
MIN_RESPONDENTS = 8  # per agency and tool
BANGKOK = "กรุงเทพมหานคร"
PATTAYA_PROVINCE = "ชลบุรี"

# The latent model (made-up numbers, chosen so that 2567 and 2568 come out near the published
# national averages of 93.05 and 93.82 with about 94 % of agencies passing).
BASE = 2.55  # not-domain: logit of a typical agency's first year
SPREAD = 0.75  # not-domain: spread of agencies' own standing
PROVINCE_SPREAD = 0.25  # not-domain: a made-up spread
TREND = (0.08, 0.06)  # not-domain: mean and spread of the yearly improvement (logit)
YEAR_NOISE = 0.3  # not-domain: a made-up spread
INDICATOR_NOISE = 0.45  # not-domain: a made-up spread
DISCLOSURE_SHIFT = 1.1  # not-domain: OIT items pass more often than perception answers please
TYPE_EFFECT: dict[str, float] = {
    AgencyType.SAO: -0.1,  # not-domain: made-up standing of the type
    AgencyType.SUBDISTRICT_MUNICIPALITY: 0.0,
    AgencyType.TOWN_MUNICIPALITY: 0.2,  # not-domain: made-up standing of the type
    AgencyType.CITY_MUNICIPALITY: 0.35,  # not-domain: made-up standing of the type
    AgencyType.PAO: 0.3,  # not-domain: made-up standing of the type
    AgencyType.GOVERNMENT: 0.45,  # not-domain: made-up standing of the type
    AgencyType.OTHER: 0.25,  # not-domain: made-up standing of the type
}
SIZE: dict[str, float] = {  # relative number of respondents
    AgencyType.SAO: 1.0,
    AgencyType.SUBDISTRICT_MUNICIPALITY: 1.1,
    AgencyType.TOWN_MUNICIPALITY: 2.0,
    AgencyType.CITY_MUNICIPALITY: 3.5,
    AgencyType.PAO: 2.5,
    AgencyType.GOVERNMENT: 2.2,
    AgencyType.OTHER: 2.0,
}
BEST_SHARE = 0.82  # not-domain: a pleased respondent picks the best answer this often
MILD_SHARE = 0.6  # not-domain: a displeased one picks the milder unfavourable answer
ANSWER_SHIFT = 3.75  # not-domain: logit of a typical agency's respondents being pleased
ANSWER_GAIN = 2.0  # not-domain: a respondent's mood follows the agency's standing this much
ANSWER_CHUNK = 1 << 16  # not-domain: respondents generated at a time

PLACE_START = (
    "หนอง", "ห้วย", "บ้าน", "นา", "ท่า", "วัง", "โนน", "ดอน", "โคก", "ทุ่ง", "บึง", "ป่า",
    "แม่", "เวียง", "ศรี", "ชัย", "โพธิ์", "สาม", "บาง", "ลาด", "คลอง", "เขา", "หัว", "ปาก",
)  # fmt: skip
PLACE_END = (
    "แก้ว", "ทอง", "งาม", "ใหญ่", "น้อย", "กลาง", "เหนือ", "ใต้", "สว่าง", "ยาง", "ไผ่",
    "ขาม", "เจริญ", "คำ", "บัว", "หลวง", "ทราย", "แดง", "ขาว", "เงิน", "สะแก", "มะขาม", "จันทร์",
    "สูง", "ยาว", "ขวาง", "ดี", "สุข", "พัฒนา", "สามัคคี", "ตะวัน", "สวรรค์", "ศิลา", "นคร",
)  # fmt: skip
PREFIX: dict[str, str] = {
    AgencyType.SAO: "องค์การบริหารส่วนตำบล",
    AgencyType.SUBDISTRICT_MUNICIPALITY: "เทศบาลตำบล",
    AgencyType.TOWN_MUNICIPALITY: "เทศบาลเมือง",
    AgencyType.CITY_MUNICIPALITY: "เทศบาลนคร",
    AgencyType.PAO: "องค์การบริหารส่วนจังหวัด",
}
PROVINCIAL_OFFICES = (
    "สำนักงานสาธารณสุขจังหวัด", "สำนักงานเกษตรจังหวัด", "สำนักงานพัฒนาชุมชนจังหวัด",
    "สำนักงานคลังจังหวัด", "สำนักงานที่ดินจังหวัด", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด",
    "สำนักงานแรงงานจังหวัด", "สำนักงานพาณิชย์จังหวัด", "สำนักงานวัฒนธรรมจังหวัด",
    "สำนักงานทรัพยากรธรรมชาติและสิ่งแวดล้อมจังหวัด", "สำนักงานการท่องเที่ยวและกีฬาจังหวัด",
)  # fmt: skip
MEASURE_TITLES = (
    "ประกาศเจตนารมณ์การต่อต้านการทุจริตของผู้บริหาร",
    "ปรับปรุงขั้นตอนและช่องทางการให้บริการออนไลน์",
    "เผยแพร่ข้อมูลการใช้จ่ายงบประมาณรายไตรมาส",
    "อบรมคุณธรรมจริยธรรมและการป้องกันผลประโยชน์ทับซ้อนแก่บุคลากร",
    "จัดทำคู่มือการให้บริการและแผนผังขั้นตอน",
    "ทบทวนแนวทางการใช้ทรัพย์สินของราชการ",
)
PLANS_SHARE = 0.75  # not-domain: agencies that have entered measures for the last year


@dataclass(frozen=True)
class NationAgency:
    code: str
    name: str
    agency_type: str
    province: str
    district: str
    standing: float  # logit of how well the agency does in the first year
    trend: float  # yearly change of the standing
    size: float  # relative number of respondents


@dataclass(frozen=True)
class YearResults:
    """One fiscal year of every agency, as NACC would publish it."""

    fiscal_year: int
    indicators: npt.NDArray[np.float64]  # agencies × indicators, unrounded
    items: npt.NDArray[np.float64] | None  # agencies × items (the answers year only)
    findings: npt.NDArray[np.float64] | None
    totals: npt.NDArray[np.float64]
    levels: list[str | None]


@dataclass
class Timings:
    phases: dict[str, float] = field(default_factory=dict)
    started: float = field(default_factory=time.perf_counter)

    def mark(self, name: str) -> None:
        now = time.perf_counter()
        self.phases[name] = round(now - self.started, 2)
        self.started = now


def _streams(seed: int) -> dict[str, np.random.Generator]:
    """Independent random streams, so that changing one part leaves the others as they were."""
    names = ("agencies", "results", "answers", "measures")
    children = np.random.SeedSequence(seed).spawn(len(names))
    return {n: np.random.default_rng(s) for n, s in zip(names, children, strict=True)}


def type_counts(scale: float) -> list[tuple[str, int]]:
    """Return how many agencies of each type a nation of this scale has (largest remainder)."""
    total = max(1, round(NATION * scale))
    exact = [(t, n * total / NATION) for t, n in TYPE_COUNTS]
    counts = {t: int(x) for t, x in exact}
    rest = sorted(exact, key=lambda tx: tx[1] - int(tx[1]), reverse=True)
    for t, _x in rest[: total - sum(counts.values())]:
        counts[t] += 1
    return [(t, counts[t]) for t, _n in TYPE_COUNTS]


def _places(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """Return ``count`` made-up place names not in ``taken`` (and add them to it)."""
    names: list[str] = []
    while len(names) < count:
        name = str(rng.choice(PLACE_START)) + str(rng.choice(PLACE_END))
        if name in taken:
            name += str(rng.choice(PLACE_END))
        if name not in taken:
            taken.add(name)
            names.append(name)
    return names


def plan_agencies(seed: int, scale: float = 1.0) -> list[NationAgency]:
    """Return the agencies of the nation: types, places, names, codes and latent standing."""
    rng = _streams(seed)["agencies"]
    names_of = sorted(provinces())
    weight = rng.lognormal(0.0, 0.45, size=len(names_of))
    local_weight = np.where(np.array(names_of) == BANGKOK, 0.0, weight)
    province_effect = dict(
        zip(names_of, rng.normal(0.0, PROVINCE_SPREAD, len(names_of)), strict=True)
    )
    districts: dict[str, list[str]] = {}
    district_names: set[str] = set()
    for name, w in zip(names_of, weight, strict=True):
        n = int(np.clip(round(w / weight.mean() * 11), 3, 30))  # not-domain: districts
        districts[name] = [f"เมือง{name}", *_places(rng, n - 1, district_names)]
    planned: list[tuple[str, str, str, str]] = []  # type, province, district, name
    used: dict[tuple[str, str], set[str]] = {}
    others = 0
    for agency_type, count in type_counts(scale):
        if agency_type == AgencyType.PAO:
            chosen = rng.choice(
                [p for p in names_of if p != BANGKOK], size=count, replace=False
            ).tolist()
        elif agency_type == AgencyType.CITY_MUNICIPALITY:
            p = local_weight**2 / (local_weight**2).sum()
            chosen = rng.choice(names_of, size=count, p=p).tolist()
        elif agency_type in (AgencyType.GOVERNMENT, AgencyType.OTHER):
            central = rng.random(count) < 0.4  # not-domain: share of offices in Bangkok
            spread = rng.choice(names_of, size=count, p=weight / weight.sum()).tolist()
            chosen = [BANGKOK if c else s for c, s in zip(central, spread, strict=True)]
        else:
            chosen = rng.choice(names_of, size=count, p=local_weight / local_weight.sum()).tolist()
        for index, province in enumerate(chosen):
            district = str(rng.choice(districts[province]))
            if agency_type == AgencyType.PAO:
                name, district = PREFIX[agency_type] + province, f"เมือง{province}"
            elif agency_type == AgencyType.GOVERNMENT:
                if province == BANGKOK:
                    name, district = f"กรมสาธิต {index + 1}", ""
                else:
                    office = str(rng.choice(PROVINCIAL_OFFICES))
                    name, district = office + province, f"เมือง{province}"
            elif agency_type == AgencyType.OTHER:
                others += 1
                if others == 1 and BANGKOK in names_of:
                    name, province, district = BANGKOK, BANGKOK, ""
                elif others == 2:  # the second special local agency
                    name, province, district = "เมืองพัทยา", PATTAYA_PROVINCE, "บางละมุง"
                else:
                    name, district = f"องค์การมหาชนสาธิต {others}", ""
            else:
                taken = used.setdefault((agency_type, province), set())
                name = PREFIX[agency_type] + _places(rng, 1, taken)[0]
            planned.append((agency_type, province, district, name))
    # Unique names within a province (a bulk import matches on name and province).
    seen: dict[tuple[str, str], int] = {}
    unique = []
    for agency_type, province, district, name in planned:
        n = seen.get((province, name), 0) + 1
        seen[(province, name)] = n
        unique.append((agency_type, province, district, name if n == 1 else f"{name} {n}"))
    unique.sort(key=lambda row: (row[1], row[0], row[3]))
    standing = rng.normal(0.0, SPREAD, len(unique))
    trend = rng.normal(TREND[0], TREND[1], len(unique))
    size = rng.lognormal(0.0, 0.35, len(unique))
    return [
        NationAgency(
            code=f"{CODE_PREFIX}{i + 1:05d}",
            name=name,
            agency_type=agency_type,
            province=province,
            district=district,
            standing=BASE + s + TYPE_EFFECT[agency_type] + province_effect[province],
            trend=t,
            size=z * SIZE[agency_type],
        )
        for i, ((agency_type, province, district, name), s, t, z) in enumerate(
            zip(unique, standing, trend, size, strict=True)
        )
    ]


def _sigmoid(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    result: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-x))
    return result


def _logits(
    agencies: Sequence[NationAgency], step: int, rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    standing = np.array([a.standing for a in agencies])
    trend = np.array([a.trend for a in agencies])
    result: npt.NDArray[np.float64] = (
        standing + trend * step + rng.normal(0.0, YEAR_NOISE, len(agencies))
    )
    return result


def _disclosure_items(
    spec: ScoringSpec, logits: npt.NDArray[np.float64], rng: np.random.Generator
) -> npt.NDArray[np.float64]:
    """Return OIT item scores (all or nothing, as assessors score them): agencies × items."""
    n = len(logits)
    items = np.full((n, len(spec.items)), np.nan)
    for k, item in enumerate(spec.items):
        if spec.tool(item.tool).kind == "disclosure":
            ease = rng.normal(0.0, 0.6)  # not-domain: some items are harder to publish
            noise = rng.normal(0.0, 0.3, n)  # not-domain: noise
            p = _sigmoid(logits + DISCLOSURE_SHIFT + ease + noise)
            items[:, k] = np.where(rng.random(n) < p, 100.0, 0.0)  # not-domain: pass or fail
    return items


def indicator_year(
    spec: ScoringSpec, agencies: Sequence[NationAgency], step: int, rng: np.random.Generator
) -> YearResults:
    """Return a year of indicator scores drawn around each agency's standing."""
    logits = _logits(agencies, step, rng)
    n = len(agencies)
    indicators = np.empty((n, len(spec.indicators)))
    for k, ind in enumerate(spec.indicators):
        if spec.tool(ind.tool).kind == "disclosure":
            items = len(ind.items) or 1
            p = _sigmoid(logits + DISCLOSURE_SHIFT + rng.normal(0.0, INDICATOR_NOISE, n))
            indicators[:, k] = rng.binomial(items, p) / items * 100.0
        else:
            difficulty = rng.normal(0.0, 0.15)  # not-domain: a made-up spread
            noisy = logits + difficulty + rng.normal(0.0, INDICATOR_NOISE, n)
            indicators[:, k] = 100.0 * _sigmoid(noisy)
    batch = score_indicators_batch(spec, indicators)
    return YearResults(
        spec.fiscal_year, indicators, None, None, batch.totals, batch.level_names(spec)
    )


def _respondents(
    agencies: Sequence[NationAgency], total: int, rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    size = np.array([a.size for a in agencies])
    spare = max(0, total - MIN_RESPONDENTS * len(agencies))
    counts: npt.NDArray[np.int64] = rng.multinomial(spare, size / size.sum()) + MIN_RESPONDENTS
    return counts


def generate_answers(
    spec: ScoringSpec,
    agencies: Sequence[NationAgency],
    logits: npt.NDArray[np.float64],
    respondents: int,
    rng: np.random.Generator,
) -> dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]]:
    """Return every perception tool's answers: (agency index per respondent, answer matrix).

    Respondents come grouped by agency, as ITAS exports them. A respondent pleased with an
    item (more likely in a better agency) picks a favourable answer, the best one most of
    the time; a displeased one an unfavourable answer, the milder one more often.
    """
    answers = {}
    for tool, share in zip(spec.perception_tools(), PERCEPTION_SHARES, strict=False):
        fields = spec.fields(tool.code)
        items = list(tool.items)
        item_of = np.array([items.index(f.item) for f in fields])
        # Per field: the best and second-best favourable options, the milder and the worst
        # unfavourable one (polarity is already applied to the values).
        choice = np.empty((4, len(fields)), dtype=np.uint8)
        for j, f in enumerate(fields):
            values = f.values
            order = sorted(range(len(values)), key=values.__getitem__, reverse=True)
            good = [o for o in order if o not in f.unfavourable] or order[:1]
            bad = [o for o in order if o in f.unfavourable] or order[-1:]
            choice[:, j] = (good[0], good[min(1, len(good) - 1)], bad[0], bad[-1])
        ease = rng.normal(0.0, 0.5, len(items))  # not-domain: some questions please less
        pleased = _sigmoid(
            (ANSWER_SHIFT + ANSWER_GAIN * (logits - BASE))[:, None]
            + ease[None, :]
            + rng.normal(0.0, INDICATOR_NOISE, (len(agencies), len(items)))
        ).astype(np.float32)[:, item_of]
        counts = _respondents(agencies, round(respondents * share), rng)
        who = np.repeat(np.arange(len(agencies), dtype=np.int32), counts)
        matrix = np.empty((len(who), len(fields)), dtype=np.uint8)
        for start in range(0, len(who), ANSWER_CHUNK):
            rows = who[start : start + ANSWER_CHUNK]
            shape = (len(rows), len(fields))
            happy = rng.random(shape, dtype=np.float32) < pleased[rows]
            second = rng.random(shape, dtype=np.float32)
            favourable = np.where(second < BEST_SHARE, choice[0], choice[1])
            unfavourable = np.where(second < MILD_SHARE, choice[2], choice[3])
            matrix[start : start + len(rows)] = np.where(happy, favourable, unfavourable)
        answers[tool.code] = (who, matrix)
    return answers


def answers_year(
    spec: ScoringSpec,
    agencies: Sequence[NationAgency],
    step: int,
    respondents: int,
    rng: np.random.Generator,
) -> tuple[YearResults, dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]]]:
    """Return a year scored from raw answers (perception) and OIT items, and the answers."""
    logits = _logits(agencies, step, rng)
    answers = generate_answers(spec, agencies, logits, respondents, rng)
    oit = _disclosure_items(spec, logits, rng)
    batch = score_answers_batch(spec, answers, len(agencies), official_items=oit)
    results = YearResults(
        spec.fiscal_year,
        batch.indicators,
        batch.items,
        batch.findings,
        batch.totals,
        batch.level_names(spec),
    )
    return results, answers


def save_answers(
    path: Path,
    seed: int,
    year: int,
    agencies: Sequence[NationAgency],
    answers: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]],
    official_items: npt.NDArray[np.float64] | None = None,
) -> None:
    """Write the answers as one compressed NumPy archive (``np.load`` reads it back).

    ``official_items`` (agencies × the year's items, NaN where the answers give the score)
    keeps the OIT items the year was scored with, so that the year can be scored again.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, Any] = {
        "seed": np.array(seed),
        "fiscal_year": np.array(year),
        "agency_codes": np.array([a.code for a in agencies]),
        "tools": np.array(list(answers)),
    }
    for tool, (who, matrix) in answers.items():
        arrays[f"{tool}_agency"] = who
        arrays[f"{tool}_answers"] = matrix
    if official_items is not None:
        arrays["official_items"] = official_items
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, **arrays)
    tmp.replace(path)


def load_answers(
    path: Path,
) -> tuple[int, list[str], dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]]]:
    """Return (fiscal year, agency codes, answers per tool) from :func:`save_answers`' file."""
    with np.load(path) as data:
        year = int(data["fiscal_year"])
        codes = [str(c) for c in data["agency_codes"]]
        answers = {
            str(tool): (data[f"{tool}_agency"], data[f"{tool}_answers"]) for tool in data["tools"]
        }
    return year, codes, answers


def load_official_items(path: Path) -> npt.NDArray[np.float64] | None:
    """Return the official (OIT) item scores kept with the answers, if any."""
    with np.load(path) as data:
        found: npt.NDArray[np.float64] | None = data.get("official_items")
        return found


def disclosure_only(spec: ScoringSpec, items: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """Return a copy of item scores with only the disclosure (OIT) items kept."""
    kept = items.copy()
    for k, item in enumerate(spec.items):
        if spec.tool(item.tool).kind != "disclosure":
            kept[:, k] = np.nan
    return kept


def answers_path(data_dir: Path, year: int) -> Path:
    return data_dir / "national" / f"answers-{year}.npz"


def two(value: float) -> Decimal:
    """Return a score as NACC prints it (two decimals)."""
    return Decimal(f"{round2(value):.2f}")


def nation_results(
    seed: int,
    scale: float,
    years: Sequence[int],
    specs: Callable[[int], ScoringSpec],
    timings: Timings | None = None,
) -> tuple[
    list[NationAgency],
    list[YearResults],
    dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]],
]:
    """Return the nation's agencies, every year's results, and the last year's raw answers."""
    timings = timings or Timings()
    agencies = plan_agencies(seed, scale)
    timings.mark("agencies")
    rng = _streams(seed)["results"]
    answer_rng = _streams(seed)["answers"]
    first, last = min(years), max(years)
    results = []
    answers: dict[str, tuple[npt.NDArray[np.int32], npt.NDArray[np.uint8]]] = {}
    for year in sorted(years):
        if year == last:
            year_results, answers = answers_year(
                specs(year), agencies, year - first, round(RESPONDENTS * scale), answer_rng
            )
            results.append(year_results)
            timings.mark("answers")
        else:
            results.append(indicator_year(specs(year), agencies, year - first, rng))
    timings.mark("results")
    return agencies, results, answers


def measure_plans(seed: int, count: int, issues: Sequence[int]) -> list[list[tuple[int, str]]]:
    """Return, per agency, the measures it entered (issue, title); empty for no plan."""
    rng = _streams(seed)["measures"]
    plans: list[list[tuple[int, str]]] = []
    for _ in range(count):
        if rng.random() >= PLANS_SHARE or not issues:
            plans.append([])
            continue
        n = int(rng.integers(1, 4))
        plans.append(
            [(int(rng.choice(issues)), str(rng.choice(MEASURE_TITLES))) for _m in range(n)]
        )
    return plans
