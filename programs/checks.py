"""Consistency checks for the committee report's 검증 sheet.

Two kinds of findings:
- where the plan's own figures disagree with each other (kept as printed, never corrected): every
  printed share and subtotal is recomputed from its own table by a stated `Rule`, and only the
  figures that still disagree after the document's own rounding are listed;
- where live data breaks a rule (execution above budget, milestones past their month, not done).

Rounding rule. A figure printed with d decimals stands for any value that rounds (half up) to it,
i.e. the printed value ± half a unit of its last digit. A recomputed figure agrees with the printed
one when the two ranges meet: 52.25억원 printed as 52.3 agrees; 64,061 ÷ 586,532 = 10.9% printed
as 11.9% does not. Counts (사업체 수, 명) are exact; amounts printed in 조원 or 만명 carry their half
unit into every sum and share computed from them.

Every comparison is returned, agreeing or not (`Finding.agrees`), so that the sheet can say which
rules were applied and how many figures each one checked. Other apps add theirs via
`registry.checks`.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F
from django.utils import timezone

from programs import registry, selectors
from programs.formats import EOK, MILLION, format_million, format_number, round_half_up
from programs.models import Milestone, Program

PLAN = "계획 문서 내 불일치"
LIVE = "실데이터 점검"


@dataclass(frozen=True)
class Rule:
    name: str  # short, for the chart and the list of rules, e.g. "위상 표 비중"
    source: str  # the table or passage of the plan, e.g. "참고 < 뿌리산업의 위상 >"
    text: str  # how the figure is recomputed and compared


@dataclass(frozen=True)
class Finding:
    category: str  # PLAN | LIVE
    subject: str
    expected_label: str
    expected: Decimal | int | str | None
    actual_label: str
    actual: Decimal | int | str | None
    explanation: str
    rule: Rule | None = None
    places: int = 0  # decimals the figures are shown with
    agrees: bool = False  # a comparison that holds: counted for its rule, not listed

    @property
    def difference(self):
        if not isinstance(self.expected, int | Decimal) or not isinstance(self.actual, int | Decimal):
            return None
        return self.actual - self.expected


@dataclass(frozen=True)
class Printed:
    """A figure as the plan prints it: the value and its decimals (None for an exact count)."""

    value: Decimal
    places: int | None = None

    @classmethod
    def of(cls, value, places: int | None = None) -> "Printed":
        return cls(Decimal(value), places)

    @property
    def half_unit(self) -> Decimal:
        return Decimal(0) if self.places is None else Decimal(5).scaleb(-(self.places + 1))

    @property
    def low(self) -> Decimal:
        return self.value - self.half_unit

    @property
    def high(self) -> Decimal:
        return self.value + self.half_unit


def printed_places(value: Decimal) -> int:
    """Decimals a stored value was printed with (52.30 stored for a printed 52.3 → 1; 30.00 → 0)."""
    return max(0, -Decimal(value).normalize().as_tuple().exponent)


def _meets(low: Decimal, high: Decimal, printed: Printed) -> bool:
    return low <= printed.high and printed.low <= high


def compare_share(
    rule: Rule, subject: str, printed: Printed, part: Printed | list[Printed], whole: Printed, *, label: str = ""
) -> Finding:
    """A printed share (%) against part ÷ whole × 100 (part may be a sum of printed figures)."""
    parts = part if isinstance(part, list) else [part]
    value = sum(p.value for p in parts)
    part_low, part_high = sum(p.low for p in parts), sum(p.high for p in parts)
    low = part_low * 100 / whole.high
    high = part_high * 100 / whole.low if whole.low else part_high * 100
    exact = value * 100 / whole.value
    places = printed.places or 0
    computed = round_half_up(exact, places)
    part_text = " + ".join(_plain(p) for p in parts)
    if len(parts) > 1:
        part_text = f"({part_text})"
    return Finding(
        PLAN,
        subject,
        label or "표기(%)",
        printed.value,
        "계산(%)",
        computed,
        f"{part_text} ÷ {_plain(whole)} × 100 = {exact:.3f}",
        rule=rule,
        places=places,
        agrees=_meets(low, high, printed),
    )


def compare_sum(rule: Rule, subject: str, printed: Printed, parts: list[Printed], *, label: str = "") -> Finding:
    """A printed total against the sum of the printed figures it totals."""
    value = sum(p.value for p in parts)
    slack = sum(p.half_unit for p in parts)
    places = max([printed.places or 0, *(p.places or 0 for p in parts)])
    return Finding(
        PLAN,
        subject,
        label or "표기",
        printed.value,
        "합계 계산",
        value,
        " + ".join(_plain(p) for p in parts) + f" = {_plain(Printed(value, places))}",
        rule=rule,
        places=places,
        agrees=_meets(value - slack, value + slack, printed),
    )


def compare_same(rule: Rule, subject: str, printed: Printed, other: Printed, *, labels=("표기", "다른 표")) -> Finding:
    """The same figure printed in two places (possibly rounded differently)."""
    places = max(printed.places or 0, other.places or 0)
    return Finding(
        PLAN,
        subject,
        labels[0],
        printed.value,
        labels[1],
        other.value,
        "",
        rule=rule,
        places=places,
        agrees=_meets(other.low, other.high, printed),
    )


def _plain(figure: Printed) -> str:
    return format_number(figure.value, figure.places or 0)


STATED_AMOUNTS = Rule(
    "IV장 억원 표기",
    "IV장 본문 ↔ V장 지원예산 표",
    "본문의 억원 표기 = V장 표의 '25년 예산(백만원)을 억원으로 바꿔 본문에 적힌 소수 자릿수로 반올림한 값",
)


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
        places = printed_places(stated)
        table_eok = Decimal(program["budgets__amount"]) / EOK
        printed = Printed(stated.normalize(), places)
        findings.append(
            Finding(
                PLAN,
                f"{program['name']} '25년 예산",
                "IV장 본문(억원)",
                printed.value,
                "V장 표(억원 환산, 반올림)",
                round_half_up(table_eok, places),
                f"V장 표 {format_million(program['budgets__amount'])}백만원 = {table_eok.normalize():f}억원",
                rule=STATED_AMOUNTS,
                places=places,
                agrees=_meets(table_eok, table_eok, printed),
            )
        )
    return findings


OVER_BUDGET = Rule("집행 ≤ 예산", "예산 집행(입력 자료)", "사업별 집행 누계 ≤ 그해 예산")
OVERDUE = Rule("지난 일정 완료", "추진일정(입력 자료)", "종료 월이 지난 일정은 '완료'")


def over_budget_findings(*, year: int, ministry=None) -> list[Finding]:
    queryset = Program.objects.filter(ministry=ministry) if ministry else Program.objects.all()
    programs = selectors.programs_with_budget(queryset.in_year(year), year=year).filter(executed__gt=0)
    return [
        Finding(
            LIVE,
            f"{program.name} 집행 누계",
            f"{year}년 예산(백만원)",
            round_half_up(Decimal(program.budget_current or 0) / MILLION),
            "집행 누계(백만원)",
            round_half_up(Decimal(program.executed) / MILLION),
            "집행 누계가 예산을 넘었습니다. 집행 입력을 확인하세요.",
            rule=OVER_BUDGET,
            agrees=program.executed <= (program.budget_current or 0),
        )
        for program in programs.in_plan_order()
        if program.executed > (program.budget_current or 0)
    ]


def overdue_milestones(*, year: int, ministry=None, today=None):
    """Milestones whose last month has passed without being marked 완료."""
    milestones = Milestone.objects.overdue(today or timezone.localdate()).filter(year=year)
    if ministry:
        milestones = milestones.filter(program__ministry=ministry)
    return (
        milestones.select_related("program")
        .annotate(schedule_order=selectors.schedule_order("program", year))
        .order_by(F("schedule_order").asc(nulls_last=True), "order")
    )


def overdue_findings(*, year: int, ministry=None, today=None) -> list[Finding]:
    return [
        Finding(
            LIVE,
            f"{milestone.program.name} — {milestone.label}",
            "예정 시기",
            milestone.months_label,
            "현재 상태",
            milestone.get_status_display(),
            f"{milestone.months_label} 일정이 지났지만 '완료'가 아닙니다.",
            rule=OVERDUE,
        )
        for milestone in overdue_milestones(year=year, ministry=ministry, today=today)
    ]


def all_findings(*, year: int, ministry=None, today=None) -> list[Finding]:
    """Every comparison made, agreeing or not, plan checks first (the apps' in registry order).

    `today` decides which milestones are overdue (the report passes the day it is generated)."""
    findings = stated_amount_findings(ministry=ministry)
    for app_findings in registry.checks:
        findings += app_findings(year=year, ministry=ministry)
    findings += over_budget_findings(year=year, ministry=ministry)
    findings += overdue_findings(year=year, ministry=ministry, today=today)
    return findings


def disagreements(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if not finding.agrees]


@dataclass(frozen=True)
class RuleTally:
    rule: Rule
    compared: int
    disagreeing: int


def rule_tallies(findings: list[Finding]) -> list[RuleTally]:
    """Each rule applied, in the order first used, with how many figures it checked and failed."""
    tallies: dict[Rule, list[int]] = {}
    for finding in findings:
        if finding.rule is None:
            continue
        counts = tallies.setdefault(finding.rule, [0, 0])
        counts[0] += 1
        counts[1] += not finding.agrees
    return [RuleTally(rule, compared, failed) for rule, (compared, failed) in tallies.items()]
