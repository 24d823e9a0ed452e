"""``ita measures``: proposals from item scores, and reminders of overdue steps."""

from __future__ import annotations

from typing import IO

import click

from ita.catalog.loader import FrameworkError, get_framework
from ita.cli.common import fail, parse_year, print_json, setup_django
from ita.cli.score import load_spec, read_text
from ita.measures import knowledge
from ita.measures.proposals import Proposal, propose
from ita.scoring.engine import OfficialScores, ScoringInputError, score_official
from ita.scoring.inputs import TableError, read_item_findings_table, read_item_table


@click.group()
def measures() -> None:
    """Improvement measures / มาตรการส่งเสริมคุณธรรมและความโปร่งใส."""


@measures.command("propose")
@click.option("--year", "year_text", required=True, help="Fiscal year (BE) of the item scores.")
@click.option(
    "--items",
    type=click.File("rb"),
    required=True,
    help="CSV with header item,score[,finding] ('-' = stdin); finding in percent.",
)
@click.option(
    "--previous", type=click.File("rb"), help="Last year's item,score CSV (to see drops)."
)
@click.option(
    "--arabic-digits", is_flag=True, help="Write findings with Arabic digits (default Thai)."
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def propose_command(
    year_text: str, items: IO[bytes], previous: IO[bytes] | None, arabic_digits: bool, as_json: bool
) -> None:
    """Rank the issues and questions that need action and suggest measures.

    จัดลำดับประเด็นและข้อคำถามที่ควรปรับปรุง พร้อมมาตรการที่แนะนำ
    """
    year = parse_year(year_text)
    spec = load_spec(year)
    try:
        fw = get_framework(year)
        scores, findings = read_item_findings_table(read_text(items), spec)
        result = score_official(spec, OfficialScores(items=scores, findings=findings))
        last = None
        if previous is not None:
            prior_spec = load_spec(year - 1)
            last = score_official(
                prior_spec, OfficialScores(items=read_item_table(read_text(previous), prior_spec))
            )
        proposal = propose(
            fw, spec, result, findings=knowledge.findings(), knowledge=knowledge.measures(),
            previous=last, thai_digits=not arabic_digits,
        )  # fmt: skip
    except TableError as exc:
        fail(exc.one_line())
    except (ScoringInputError, FrameworkError) as exc:
        fail(str(exc))
    if as_json:
        print_json(proposal.to_json())
    else:
        click.echo(describe(proposal))


def describe(proposal: Proposal) -> str:
    lines = [f"ข้อเสนอมาตรการจากผลการประเมิน ITA ปีงบประมาณ {proposal.fiscal_year}", ""]
    for rank, issue in enumerate(proposal.issues, start=1):
        lines.append(f"{rank}. ประเด็น ({issue.number}) {issue.title}")
        for item in issue.items:
            flag = " *" if item.below_pass_mark else ""
            lines.append(f"     {item.code:>4} {item.score:6.2f}{flag}  {item.finding or ''}")
        for measure in issue.suggested:
            lines.append(f"     → {measure.title_th}")
        lines.append("")
    lines.append("* ต่ำกว่าเกณฑ์ผ่าน / below the pass mark")
    return "\n".join(lines)


@measures.command("remind")
@click.option("--agency", "agency_id", type=int, help="Only this agency (id); default: all.")
@click.option("--dry-run", is_flag=True, help="List the overdue steps without sending e-mail.")
def remind(agency_id: int | None, dry_run: bool) -> None:
    """E-mail the responsible units about overdue steps of the current plans."""
    setup_django()
    from django.utils import timezone

    from ita.measures.models import Plan
    from ita.measures.services import overdue_steps, send_reminders
    from ita.thai import fiscal_year_of

    today = timezone.localdate()
    plans = Plan.objects.filter(fiscal_year=fiscal_year_of(today)).select_related("agency")
    if agency_id is not None:
        plans = plans.filter(agency_id=agency_id)
    for plan in plans:
        steps = overdue_steps(plan, today)
        if not steps:
            continue
        if dry_run:
            click.echo(f"{plan.agency.name_th}: {len(steps)} ขั้นตอนเลยกำหนด / overdue steps")
        else:
            sent = send_reminders(plan, today)
            click.echo(f"{plan.agency.name_th}: {', '.join(sent) or '-'}")
