"""A demonstration province: a few made-up agencies with three fiscal years of results.

Results are generated the way a real year comes about: simulated respondents answer every
IIT and EIT question (each agency has its own strengths, improving a little each year), the
engine turns the answers into item scores and findings, and OIT items pass or fail. What is
stored is what an agency would type in from its official result.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ita.agencies.models import (
    DEFAULT_UNITS,
    Agency,
    AgencyGroup,
    AgencyType,
    GroupKind,
    Membership,
    ResponsibleUnit,
    Role,
    Supervision,
)
from ita.assessments.models import Assessment, Source
from ita.assessments.services import ItemEntry, save_results, start_assessment
from ita.scoring.engine import count_answers, round2, scores_from_counts
from ita.scoring.spec import ItemSpec, ScoringSpec

DEMO_PASSWORD = "demo-ita"  # noqa: S105 - shown on the login page of a demo installation
DEMO_YEARS = (2566, 2567, 2568)
RESPONDENTS = (30, 120)  # not-domain: how many people answer each survey, at least and at most
LOWEST_QUALITY = 0.3  # not-domain: the least favourable answering of any one question
PROVINCE = "เชียงราย"


@dataclass(frozen=True)
class DemoAgency:
    name: str
    agency_type: str
    district: str
    quality: float  # how favourably people answer, 0–1
    oit: float  # share of OIT items published properly


AGENCIES = (
    DemoAgency("องค์การบริหารส่วนตำบลหนองสาธิต", AgencyType.SAO, "แม่สาธิต", 0.86, 0.93),
    DemoAgency("องค์การบริหารส่วนตำบลดอยตัวอย่าง", AgencyType.SAO, "แม่สาธิต", 0.74, 0.80),
    DemoAgency("เทศบาลตำบลบ้านทดลอง", AgencyType.SUBDISTRICT_MUNICIPALITY, "เมืองสาธิต", 0.91, 0.98),
    DemoAgency("เทศบาลเมืองสาธิต", AgencyType.TOWN_MUNICIPALITY, "เมืองสาธิต", 0.82, 0.88),
    DemoAgency("องค์การบริหารส่วนตำบลห้วยสาธิต", AgencyType.SAO, "เวียงทดลอง", 0.67, 0.70),
)

# (username, role, index of the agency in AGENCIES or None, is system admin, description)
ACCOUNTS = (
    ("demo-admin", Role.ADMIN, 0, "ผู้ดูแลหน่วยงาน / agency admin"),
    ("demo-editor", Role.EDITOR, 0, "ผู้บันทึกข้อมูล / editor"),
    ("demo-viewer", Role.VIEWER, 0, "ผู้อ่าน / viewer"),
)
SUPERVISOR = ("demo-supervisor", "ผู้กำกับดูแลระดับจังหวัด (อ่านอย่างเดียว) / supervisor")
SYSTEM_ADMIN = ("demo-system", "ผู้ดูแลระบบ / system administrator")
GROUP_NAME = "หน่วยงานตัวอย่าง จังหวัดเชียงราย"


def demo_accounts() -> list[tuple[str, str, str]]:
    """Return (username, password, description) of the demonstration accounts."""
    rows = [(username, DEMO_PASSWORD, description) for username, _r, _i, description in ACCOUNTS]
    rows.append((SUPERVISOR[0], DEMO_PASSWORD, SUPERVISOR[1]))
    rows.append((SYSTEM_ADMIN[0], DEMO_PASSWORD, SYSTEM_ADMIN[1]))
    return rows


def _answer(rng: random.Random, item: ItemSpec, quality: float) -> list[int]:
    """Return one respondent's option index per field: favourable with probability ``quality``."""
    answer = []
    for field in item.fields:
        best = max(range(len(field.values)), key=lambda o: field.values[o])
        favourable = [o for o in range(len(field.values)) if o not in field.unfavourable]
        if rng.random() < quality:
            # Among favourable answers, the very best one about two times in three.
            best_share = 0.6 + 0.3 * quality  # not-domain: a made-up answering habit
            option = best if rng.random() < best_share else rng.choice(favourable)
        else:
            option = rng.choice(sorted(field.unfavourable))
        answer.append(option)
    return answer


def _results(
    rng: random.Random, spec: ScoringSpec, agency: DemoAgency, step: int
) -> dict[str, ItemEntry]:
    entries: dict[str, ItemEntry] = {}
    for tool in spec.tools:
        if tool.kind == "perception":
            quality = min(0.99, agency.quality + 0.03 * step + rng.uniform(-0.04, 0.04))
            people = rng.randint(*RESPONDENTS)
            item_quality = {
                code: min(0.99, max(LOWEST_QUALITY, quality + rng.uniform(-0.12, 0.08)))
                for code in tool.items
            }
            responses = [
                {code: _answer(rng, spec.item(code), item_quality[code]) for code in tool.items}
                for _ in range(people)
            ]
            scores, findings = scores_from_counts(spec, count_answers(spec, tool.code, responses))
            for code in tool.items:
                entries[code] = ItemEntry(
                    score=Decimal(f"{round2(scores[code]):.2f}"),
                    finding=Decimal(f"{round2(findings[code]):.2f}"),
                )
        else:
            share = min(1.0, agency.oit + 0.03 * step)
            for code in tool.items:
                passed = rng.random() < share
                entries[code] = ItemEntry(
                    score=Decimal(100 if passed else 0),
                    present=passed or rng.random() < 0.5,
                    remark="" if passed else "ข้อมูลไม่ครบถ้วนตามองค์ประกอบ หรือไม่เป็นปัจจุบัน",
                )
    return entries


def demo_user(username: str, superuser: bool = False) -> Any:
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        create = User.objects.create_superuser if superuser else User.objects.create_user
        user = create(username=username, password=DEMO_PASSWORD, email="")
    return user


def load_demo(seed: int = 2568) -> list[Agency]:
    """Create (or refresh) the demonstration province; returns its agencies."""
    rng = random.Random(seed)  # noqa: S311 - made-up data, reproducible from the seed
    agencies: list[Agency] = []
    with transaction.atomic():
        system = demo_user(SYSTEM_ADMIN[0], superuser=True)
        for demo in AGENCIES:
            agency, _created = Agency.objects.get_or_create(
                name_th=demo.name,
                is_demo=True,
                defaults={
                    "agency_type": demo.agency_type,
                    "province": PROVINCE,
                    "district": demo.district,
                    "website": "",
                },
            )
            for position, name in enumerate((*DEFAULT_UNITS, "กองการศึกษา ศาสนาและวัฒนธรรม")):
                ResponsibleUnit.objects.get_or_create(
                    agency=agency, name=name, defaults={"position": position}
                )
            agencies.append(agency)
        for username, role, index, _description in ACCOUNTS:
            Membership.objects.update_or_create(
                user=demo_user(username), agency=agencies[index], defaults={"role": role}
            )
        Membership.objects.update_or_create(
            user=demo_user("demo-editor"), agency=agencies[1], defaults={"role": Role.EDITOR}
        )
        group, _created = AgencyGroup.objects.get_or_create(name=GROUP_NAME, kind=GroupKind.CUSTOM)
        group.members.set(agencies)
        Supervision.objects.get_or_create(user=demo_user(SUPERVISOR[0]), group=group)
        for agency, demo in zip(agencies, AGENCIES, strict=True):
            for step, year in enumerate(DEMO_YEARS):
                if Assessment.objects.filter(agency=agency, fiscal_year=year).exists():
                    continue
                assessment = start_assessment(agency, year, system)
                spec = assessment.framework.spec
                save_results(
                    assessment, system, source=Source.DEMO, items=_results(rng, spec, demo, step),
                    what="demonstration data",
                )  # fmt: skip
                if year == DEMO_YEARS[-1]:
                    # As NACC would publish it; the totals NACC prints may differ by 0.01.
                    assessment.refresh_from_db()
                    if assessment.total is not None and assessment.level:
                        save_results(
                            assessment, system, source=Source.DEMO,
                            published=(assessment.total, assessment.level), what="published result",
                        )  # fmt: skip
    return agencies
