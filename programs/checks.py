"""Consistency checks for the committee report's 검증 sheet and the dashboard.

Two kinds of findings: where the plan's own figures disagree with each other (kept as printed,
never silently corrected), and where live data breaks a rule (execution above budget,
milestones past their month and not done). Other apps add theirs to `registry.checks`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from programs import registry, selectors
from programs.formats import EOK, MILLION, format_million
from programs.models import Milestone, Program


@dataclass(frozen=True)
class Finding:
    category: str  # 계획 문서 내 불일치 | 실데이터 점검
    subject: str
    expected_label: str
    expected: Decimal | int | None
    actual_label: str
    actual: Decimal | int | None
    explanation: str

    @property
    def difference(self):
        if self.expected is None or self.actual is None:
            return None
        return self.actual - self.expected


PLAN = "계획 문서 내 불일치"
LIVE = "실데이터 점검"


def stated_amount_findings(*, ministry=None) -> list[Finding]:
    """Section IV writes several 2025 budgets in 억원, rounded; section V has them in 백만원."""
    programs = Program.objects.filter(stated_amount_eok__isnull=False, budgets__year=2025)
    if ministry:
        programs = programs.filter(ministry=ministry)
    findings = []
    programs = programs.annotate(budget_order=selectors.placement_order("pk", 2025)).order_by("budget_order")
    for program in programs.values("name", "stated_amount_eok", "budgets__amount"):
        table_eok = Decimal(program["budgets__amount"]) / EOK
        stated = program["stated_amount_eok"]
        if table_eok == stated:
            continue
        findings.append(
            Finding(
                PLAN,
                f"{program['name']} '25년 예산",
                "IV장 본문(억원)",
                stated,
                "V장 지원예산 표(억원 환산)",
                table_eok,
                f"본문은 억원 단위로 반올림해 적었습니다(표: {format_million(program['budgets__amount'])}백만원).",
            )
        )
    return findings


def over_budget_findings(*, year: int, ministry=None) -> list[Finding]:
    queryset = Program.objects.filter(ministry=ministry) if ministry else Program.objects.all()
    programs = selectors.programs_with_budget(queryset.in_year(year), year=year).filter(executed__gt=0)
    return [
        Finding(
            LIVE,
            f"{program.name} 집행 초과",
            f"{year}년 예산(백만원)",
            Decimal(program.budget_current or 0) / MILLION,
            "집행 누계(백만원)",
            Decimal(program.executed) / MILLION,
            "집행 누계가 예산을 넘었습니다. 집행 입력을 확인하세요.",
        )
        for program in programs.in_plan_order()
        if program.executed > (program.budget_current or 0)
    ]


def overdue_milestones(*, year: int, ministry=None, today=None):
    """Milestones whose last month has passed without being marked 완료."""
    milestones = Milestone.objects.overdue(today or timezone.localdate()).filter(year=year)
    if ministry:
        milestones = milestones.filter(program__ministry=ministry)
    milestones = milestones.annotate(budget_order=selectors.placement_order("program", "year"))
    return milestones.select_related("program").order_by(F("budget_order").asc(nulls_last=True), "order")


def overdue_findings(*, year: int, ministry=None) -> list[Finding]:
    return [
        Finding(
            LIVE,
            f"{milestone.program.name} — {milestone.label}",
            "예정 종료 월",
            milestone.end_month,
            "현재 상태",
            None,
            f"{milestone.months_label} 일정이 지났지만 상태가 '{milestone.get_status_display()}'입니다.",
        )
        for milestone in overdue_milestones(year=year, ministry=ministry)
    ]


def all_findings(*, year: int, ministry=None) -> list[Finding]:
    findings = stated_amount_findings(ministry=ministry)
    for app_findings in registry.checks:
        findings += app_findings(year=year, ministry=ministry)
    findings += over_budget_findings(year=year, ministry=ministry)
    findings += overdue_findings(year=year, ministry=ministry)
    return findings
