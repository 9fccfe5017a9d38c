"""The 뿌리산업발전위원회 workbook: the plan's own tables, in its order and units, with live figures.

Sheets: 요약, 지원예산, 추진일정 (the core's), then the apps' (`registry.committee_sheets`:
신청·선정 현황, 뿌리기업 현황, 뿌리산업 현황, 지원기관), and 검증 last. Every sheet opens with the
chart a committee member looks at first and prints on A4 landscape with a header above every
table (programs.reports.layout). Every query is an aggregate: the number of queries does not
depend on the number of companies.
"""

import io
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, FilteredRelation, Q
from django.utils import timezone
from openpyxl import Workbook

from programs import checks, registry, selectors
from programs.choices import MilestoneStatus
from programs.formats import change_rate, execution_rate
from programs.models import Measure, Milestone, Ministry, Program, ProgramTerm
from programs.models.plan import ministry_text
from programs.models.schedule import OVERDUE_LABEL, SCHEDULE_STATUSES
from programs.reports.layout import (
    COUNT_FORMAT,
    Column,
    Figure,
    Merged,
    Row,
    SheetWriter,
    bar_chart,
    million_value,
    report_workbook,
)
from programs.years import current_year

STATUS_MARKS = {
    MilestoneStatus.DONE: "●",
    MilestoneStatus.IN_PROGRESS: "◐",
    MilestoneStatus.PLANNED: "○",
    MilestoneStatus.DELAYED: "▲",
}
YEAR_ROUND = "연중"


@dataclass
class CommitteeReport:
    year: int
    ministry: Ministry | None = None
    generated_at: datetime = field(default_factory=timezone.now)
    workbook: Workbook = field(default_factory=report_workbook)

    @property
    def scope_label(self) -> str:
        return self.ministry.name if self.ministry else "전체 부처"

    @property
    def today(self):
        return timezone.localtime(self.generated_at).date()

    def subtitle(self, unit: str | None = "백만원") -> str:
        generated = timezone.localtime(self.generated_at).strftime("%Y-%m-%d %H:%M")
        parts = [f"기준연도: {self.year}년", f"범위: {self.scope_label}"]
        if unit:
            parts.append(f"단위: {unit}")
        parts.append(f"생성 일시: {generated}")
        return " · ".join(parts)

    def new_sheet(self, name: str, title: str, grid: list[float], unit: str | None = "백만원") -> SheetWriter:
        sheet = self.workbook.create_sheet(title=name)
        return SheetWriter(sheet, title=title, subtitle=self.subtitle(unit), grid=grid)

    def application_filter(self) -> Q:
        scope = Q(year=self.year)
        if self.ministry:
            scope &= Q(program__ministry=self.ministry)
        return scope


def _rate_cell(rate):
    return float(rate) if rate is not None else "신규"


def _budget_columns(year: int) -> list[Column]:
    return [
        Column(f"'{(year - 1) % 100}년(A)", "million"),
        Column(f"'{year % 100}년(B)", "million"),
        Column("증감(B-A)", "million"),
        Column("%", "rate"),
        Column("집행액", "million"),
        Column("집행률(%)", "rate"),
    ]


def _budget_values(totals_or_program) -> list:
    if hasattr(totals_or_program, "budget_current"):
        previous, current = totals_or_program.budget_previous, totals_or_program.budget_current
    else:
        previous, current = totals_or_program.previous, totals_or_program.current
    executed = totals_or_program.executed
    rate = execution_rate(executed, current)
    return [
        million_value(previous) if previous is not None else "-",
        million_value(current),
        million_value((current or 0) - (previous or 0)),
        _rate_cell(change_rate(previous, current)) if current is not None else "-",
        million_value(executed),
        float(rate) if rate is not None else "-",
    ]


def summary_sheet(report: CommitteeReport) -> None:
    areas, total = selectors.budget_table(year=report.year, ministry=report.ministry)
    figures = [(figure, figure.values(report)) for figure in registry.summary_figures]
    extra_headers = [header for figure, _ in figures for header in figure.headers]
    grid = [30, 12, 12, 12, 8, 12, 10, *(9 for _ in extra_headers)]
    writer = report.new_sheet("요약", f"{report.year}년 뿌리산업 진흥 실행계획 추진 요약", grid)
    anchor = writer.reserve(8.0)
    columns = [
        Column("추진분야"),
        *_budget_columns(report.year),
        *(Column(f"{header}(건)", "count") for header in extra_headers),
    ]
    rows = []
    for row in areas:
        extra = [v for figure, by_area in figures for v in by_area.get(row.area.pk, (0,) * len(figure.headers))]
        rows.append([f"{row.area.number}. {row.area.label}", *_budget_values(row.subtotal), *extra])
    extra_totals = [
        sum(values[index] for values in by_area.values())
        for figure, by_area in figures
        for index in range(len(figure.headers))
    ]
    rows.append(Row(["총계", *_budget_values(total), *extra_totals], "total"))
    table = writer.table(
        "추진분야별 지원예산·집행 (V장 지원예산 표의 소계)",
        columns,
        rows,
        note="예산은 V장 지원예산 표(백만원). 신청·선정은 등록된 사업 신청(선정: 선정·협약·완료 상태).",
    )
    if areas:
        chart = bar_chart(
            f"추진분야별 지원예산 '{(report.year - 1) % 100}년 대비 '{report.year % 100}년 (단위: 백만원)",
            y_title="예산(백만원)",
            width=writer.chart_width_cm,
            height=8.0,
            labels=True,
            number_format="#,##0",
        )
        for index in (1, 2):
            chart.series.append(table.series(index, rows=table.rows[: len(areas)]))
        writer.sheet.add_chart(chart, anchor)
    writer.finish()


def budget_sheet(report: CommitteeReport) -> None:
    areas, total = selectors.budget_table(year=report.year, ministry=report.ministry)
    grid = [26, 40, 11, 11, 11, 8, 11, 10, 15]
    writer = report.new_sheet("지원예산", f"{report.year}년 지원예산 (실행계획 V장)", grid)
    programs = [program for row in areas for program in row.programs]
    chart_height = writer.chart_height(0.42 * len(programs) + 2.5)
    anchor = writer.reserve(chart_height)
    columns = [Column("구분"), Column("사업명"), *_budget_columns(report.year), Column("소관부처", "center")]
    rows, program_rows = [], []
    for row in areas:
        for index, program in enumerate(row.programs):
            program_rows.append(len(rows))
            rows.append(
                [
                    row.area.label if index == 0 else "",
                    program.name,
                    *_budget_values(program),
                    program.ministry_label,
                ]
            )
        rows.append(Row([row.area.label, "소계", *_budget_values(row.subtotal), ""], "subtotal"))
    rows.append(Row(["총계", "", *_budget_values(total), ""], "total"))
    table = writer.table(
        "지원예산 (단위: 백만원)",
        columns,
        rows,
        note=(
            "증감률(%)은 소수 첫째 자리에서 반올림, 감소는 △, "
            f"'{(report.year - 1) % 100:02d}년 예산이 없는 사업은 신규. "
            "소관부처의 (추정)은 계획 문서가 소관부처를 적지 않아 주관부처로 둔 사업입니다."
        ),
    )
    if programs:
        _execution_chart(writer, report, table, program_rows, anchor, chart_height)
    _terms_table(writer, report)
    writer.finish()


def _execution_chart(writer, report, table, program_rows, anchor, height) -> None:
    """집행률 by program: the cells of the budget table's programs (subtotal rows left out)."""
    chart = bar_chart(
        f"사업별 '{report.year % 100}년 예산 집행률 (단위: %)",
        y_title="집행률(%)",
        horizontal=True,
        width=writer.chart_width_cm,
        height=height,
        labels=True,
        number_format="0.0",
    )
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = 100
    chart.legend = None
    rows = [table.rows[index] for index in program_rows]
    chart.series.append(table.series(7, name="집행률", rows=rows, categories=1))
    writer.sheet.add_chart(chart, anchor)


def _terms_table(writer: SheetWriter, report: CommitteeReport) -> None:
    terms = (
        ProgramTerm.objects.annotate(
            placement=FilteredRelation("program__placements", condition=Q(program__placements__plan_year=report.year))
        )
        .annotate(placement_ministry_stated=F("placement__ministry_stated"))
        .select_related("program__ministry")
        .order_by("placement__task__area__number", "placement__task__number", "program__name", "order")
    )
    if report.ministry:
        terms = terms.filter(program__ministry=report.ministry)
    rows = [
        [
            term.program.name,
            selectors.ministry_label(term),
            term.get_kind_display(),
            Figure(term.amount, 0) if term.amount is not None else Figure(term.value, _places(term.value)),
            term.unit,
            term.condition,
        ]
        for term in terms
    ]
    if not rows:
        return
    columns = [
        Column("사업명", span=2),
        Column("소관부처", "center"),
        Column("조건", span=2),
        Column("값", "figure"),
        Column("단위", "center"),
        Column("적용 대상·조건(IV장)", span=2),
    ]
    writer.table("사업별 지원 조건 (IV장 본문의 수치, 인하는 △)", columns, rows)


def _places(value) -> int:
    return 0 if value == value.to_integral_value() else 1


def _quarter_marks(milestones, quarter: int) -> str:
    marks = {STATUS_MARKS[m.status] for m in milestones if quarter in m.quarters}
    return "".join(mark for mark in STATUS_MARKS.values() if mark in marks)


def _schedule_lines(report: CommitteeReport) -> list[list[Milestone]]:
    """The 추진일정 table's rows in the document's order: one row per 추진내용 line."""
    lines: dict[tuple, list] = {}
    for milestone in selectors.milestones_in_schedule_order(year=report.year, ministry=report.ministry):
        lines.setdefault((milestone.program_id, milestone.plan_text), []).append(milestone)
    return list(lines.values())


def schedule_sheet(report: CommitteeReport) -> None:
    today = report.today
    grid = [20, 30, 40, 7, 7, 7, 7, 14, 16, 15]
    writer = report.new_sheet("추진일정", f"{report.year}년 추진일정 (실행계획 V장)", grid, unit=None)
    anchor = writer.reserve(7.0)
    by_area = selectors.schedule_status_by_area(year=report.year, today=today, ministry=report.ministry)
    rows = [[str(row.area), *row.counts.values(), row.total] for row in by_area]
    totals = [sum(row[index] for row in rows) for index in range(1, len(SCHEDULE_STATUSES) + 2)]
    summary = writer.table(
        f"추진분야별 일정 상태 ({today:%Y-%m-%d} 기준, 건)",
        [
            Column("추진분야", span=3),
            *(Column(label, "count") for label in SCHEDULE_STATUSES),
            Column("합계", "count"),
        ],
        [*rows, Row(["합계", *totals], "total")],
    )
    if rows:
        chart = bar_chart(
            "추진분야별 일정 상태 (단위: 건)",
            y_title="일정 항목(건)",
            horizontal=True,
            stacked=True,
            width=writer.chart_width_cm,
            height=7.0,
        )
        for index in range(1, len(SCHEDULE_STATUSES) + 1):
            chart.series.append(summary.series(index, rows=summary.rows[: len(rows)]))
        chart.y_axis.numFmt = COUNT_FORMAT
        writer.sheet.add_chart(chart, anchor)
    writer.table(
        "추진일정 (V장 표와 같은 순서)",
        [
            Column("구분"),
            Column("사업명"),
            Column("추진내용"),
            *(Column(f"{quarter}Q", "center") for quarter in range(1, 5)),
            Column("시기", "center"),
            Column("상태", "center"),
            Column("소관부처", "center"),
        ],
        _schedule_rows(_schedule_lines(report), today),
        note=(
            "분기 표시: ● 완료, ◐ 진행, ○ 예정, ▲ 지연. '연중'은 계획에 월이 없는 일정으로, 분기에 나누어 세지 "
            "않습니다. 주황색 행은 지연되었거나 종료 월이 지났는데 완료되지 않은 일정입니다."
        ),
    )
    _measures_table(writer, report)
    writer.finish()


def _schedule_rows(lines, today) -> list[Row]:
    rows, previous_area, previous_program = [], None, None
    for line in lines:
        program = line[0].program
        area = line[0].placement.task.area.label
        if all(milestone.is_year_round for milestone in line):
            quarters = [Merged(YEAR_ROUND, 4), None, None, None]
        else:
            quarters = [_quarter_marks(line, quarter) for quarter in range(1, 5)]
        shown = [milestone.schedule_status(today) for milestone in line]
        if len(set(shown)) == 1:
            status = shown[0]
        else:
            status = ", ".join(f"{m.label} {s}" for m, s in zip(line, shown, strict=True))
        late = any(s in (OVERDUE_LABEL, MilestoneStatus.DELAYED.label) for s in shown)
        new_program = program.pk != previous_program
        rows.append(
            Row(
                [
                    area if area != previous_area else "",
                    program.name if new_program else "",
                    f"▶ {line[0].plan_text}",
                    *quarters,
                    "·".join(dict.fromkeys(milestone.months_label for milestone in line)),
                    status,
                    ministry_text(program.ministry, line[0].placement.ministry_stated) if new_program else "",
                ],
                "warning" if late else None,
            )
        )
        previous_area, previous_program = area, program.pk
    return rows


def _measures_table(writer: SheetWriter, report: CommitteeReport) -> None:
    if report.ministry:
        return  # the plan names no ministry for these measures
    measures = Measure.objects.select_related("task__area", "program").order_by(
        "task__area__number", "task__number", "order"
    )
    rows = [
        [
            f"{measure.task.code} {measure.task.name}",
            f"({measure.heading}) {measure.name}",
            measure.description,
            measure.participants,
            measure.program.name if measure.program else "",
        ]
        for measure in measures
    ]
    if rows:
        columns = [
            Column("추진과제"),
            Column("추진 내용"),
            Column("내용(IV장)"),
            Column("대상·구성", span=5),
            Column("관련 사업", span=2),
        ]
        writer.table("일정표에 없는 IV장 추진 내용 (예산 사업이 아닌 추진 과제)", columns, rows)


def _finding_cells(finding) -> list:
    """구분(출처) · 항목 · 기준 · 기준값 · 비교 · 비교값 · 차이 · 설명, as the 검증 tables show a finding."""
    return [
        finding.rule.source if finding.rule else "",
        finding.subject,
        finding.expected_label,
        _figure(finding.expected, finding.places),
        finding.actual_label,
        _figure(finding.actual, finding.places),
        _figure(finding.difference, finding.places),
        finding.explanation,
    ]


def validation_sheet(report: CommitteeReport) -> None:
    findings = checks.all_findings(year=report.year, ministry=report.ministry, today=report.today)
    tallies = checks.rule_tallies(findings)
    grid = [20, 26, 11, 10, 11, 10, 9, 34, 46]
    writer = report.new_sheet("검증", "계획 수치 정합성 및 실데이터 점검", grid, unit=None)
    chart_height = writer.chart_height(0.45 * len(tallies) + 3)
    anchor = writer.reserve(chart_height)
    plan_columns = [
        Column("출처(표)"),
        Column("항목"),
        Column("기준", "center"),
        Column("기준값", "figure"),
        Column("비교", "center"),
        Column("비교값", "figure"),
        Column("차이", "figure"),
        Column("계산 근거"),
        Column("적용 규칙"),
    ]
    plan_rows = [
        [*_finding_cells(finding), finding.rule.text if finding.rule else ""]
        for finding in checks.disagreements(findings)
        if finding.category == checks.PLAN
    ] or [["", "반올림 규칙을 적용한 뒤에도 어긋나는 수치가 없습니다.", "", None, "", None, None, "", ""]]
    writer.table(
        "계획 문서 내 불일치 (표의 수로 다시 계산해도 어긋나는 수치만)",
        plan_columns,
        plan_rows,
        note=(
            "반올림 규칙: 계획이 소수 d자리로 적은 수치는 그 값 ±반 단위(예: 52.3 → 52.25~52.35) 안의 어떤 값도 "
            "뜻합니다. 다시 계산한 값이 그 범위와 겹치면 일치로 보고 이 표에 넣지 않습니다. 개사·명 단위의 수는 "
            "정확한 값으로 계산합니다."
        ),
    )
    live_rows = [
        Row(_finding_cells(finding), "warning")
        for finding in checks.disagreements(findings)
        if finding.category == checks.LIVE
    ] or [["", "점검에 걸린 입력 자료가 없습니다.", "", None, "", None, None, ""]]
    writer.table(
        "실데이터 점검 (집행·추진일정 입력)",
        [*plan_columns[:7], Column("설명", span=2)],
        live_rows,
    )
    rules = writer.table(
        "적용한 규칙과 비교한 수치",
        [
            Column("규칙"),
            Column("출처(표)"),
            Column("비교(건)", "count"),
            Column("일치(건)", "count"),
            Column("불일치(건)", "count"),
            Column("규칙 내용", span=4),
        ],
        [
            [
                tally.rule.name,
                tally.rule.source,
                tally.compared,
                tally.compared - tally.disagreeing,
                tally.disagreeing,
                tally.rule.text,
            ]
            for tally in tallies
        ],
    )
    if tallies:
        chart = bar_chart(
            "규칙별 점검 결과 (단위: 건)",
            y_title="비교한 수치(건)",
            horizontal=True,
            stacked=True,
            width=writer.chart_width_cm,
            height=chart_height,
        )
        for index in (3, 4):
            chart.series.append(rules.series(index))
        chart.y_axis.numFmt = COUNT_FORMAT
        writer.sheet.add_chart(chart, anchor)
    writer.finish()


def _figure(value, places: int):
    """Numbers as numbers with their decimals; text (months, statuses) as text."""
    if value is None or isinstance(value, str):
        return value
    return Figure(value, places)


def build_committee_report(
    *, year: int | None = None, ministry: Ministry | None = None, generated_at: datetime | None = None
) -> Workbook:
    report = CommitteeReport(year=year or current_year(), ministry=ministry)
    if generated_at:
        report.generated_at = generated_at
    report.workbook.remove(report.workbook.active)
    summary_sheet(report)
    budget_sheet(report)
    schedule_sheet(report)
    for add_sheets in registry.committee_sheets:
        add_sheets(report)
    validation_sheet(report)
    return report.workbook


def committee_report_bytes(**kwargs) -> bytes:
    stream = io.BytesIO()
    build_committee_report(**kwargs).save(stream)
    return stream.getvalue()


__all__ = ["CommitteeReport", "Program", "build_committee_report", "committee_report_bytes"]
