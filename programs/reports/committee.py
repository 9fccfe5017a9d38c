"""The 뿌리산업발전위원회 workbook: the plan's own tables, in its order and units, with live figures.

Sheets: 요약, 지원예산, 추진일정, 신청·선정 현황, 뿌리기업 현황, 지원기관, 검증. The apps built on
the core add their sheets (`registry.committee_sheets`) and their columns of the 요약 sheet
(`registry.summary_figures`), so each app's queries stay in its own modules. Every query is an
aggregate: the number of queries does not depend on the number of companies.
"""

import io
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference

from programs import checks, registry, selectors
from programs.choices import MilestoneStatus
from programs.formats import change_rate, execution_rate
from programs.models import Milestone, Ministry, ProgramPlacement
from programs.reports.layout import Column, SheetWriter, million_value
from programs.years import current_year

STATUS_MARKS = {
    MilestoneStatus.PLANNED: "○",
    MilestoneStatus.IN_PROGRESS: "◐",
    MilestoneStatus.DONE: "●",
    MilestoneStatus.DELAYED: "▲",
}


@dataclass
class CommitteeReport:
    year: int
    ministry: Ministry | None = None
    generated_at: datetime = field(default_factory=timezone.now)
    workbook: Workbook = field(default_factory=Workbook)

    @property
    def scope_label(self) -> str:
        return self.ministry.name if self.ministry else "전체 부처"

    def subtitle(self, unit: str | None = "백만원") -> str:
        generated = timezone.localtime(self.generated_at).strftime("%Y-%m-%d %H:%M")
        parts = [f"기준연도: {self.year}년", f"범위: {self.scope_label}"]
        if unit:
            parts.append(f"단위: {unit}")
        parts.append(f"생성 일시: {generated}")
        return " · ".join(parts)

    def new_sheet(self, name: str, title: str, columns: list[Column], unit: str | None = "백만원") -> SheetWriter:
        sheet = self.workbook.create_sheet(title=name)
        return SheetWriter(sheet, title=title, subtitle=self.subtitle(unit), columns=columns)

    def application_filter(self) -> Q:
        scope = Q(year=self.year)
        if self.ministry:
            scope &= Q(program__ministry=self.ministry)
        return scope


def _rate_cell(rate):
    return float(rate) if rate is not None else "신규"


def _budget_columns(year: int) -> list[Column]:
    return [
        Column(f"'{(year - 1) % 100}년(A)", "million", 12),
        Column(f"'{year % 100}년(B)", "million", 12),
        Column("증감(B-A)", "million", 12),
        Column("%", "rate", 8),
        Column("집행액", "million", 12),
        Column("집행률(%)", "rate", 10),
    ]


def _budget_values(totals_or_program) -> list:
    if hasattr(totals_or_program, "budget_current"):
        previous, current = totals_or_program.budget_previous, totals_or_program.budget_current
        executed = totals_or_program.executed
    else:
        previous, current = totals_or_program.previous, totals_or_program.current
        executed = totals_or_program.executed
    rate = execution_rate(executed, current)
    return [
        million_value(previous) if previous is not None else "-",
        million_value(current),
        million_value((current or 0) - (previous or 0)),
        _rate_cell(change_rate(previous, current)),
        million_value(executed),
        float(rate) if rate is not None else None,
    ]


def summary_sheet(report: CommitteeReport) -> None:
    areas, total = selectors.budget_table(year=report.year, ministry=report.ministry)
    figures = [(figure, figure.values(report)) for figure in registry.summary_figures]
    columns = [
        Column("추진분야", "text", 28),
        *_budget_columns(report.year),
        *(Column(header, "count", 8) for figure, _ in figures for header in figure.headers),
    ]
    writer = report.new_sheet("요약", f"{report.year}년 뿌리산업 진흥 실행계획 추진 요약", columns)
    first = writer.header_row + 1
    for row in areas:
        extra = [v for figure, by_area in figures for v in by_area.get(row.area.pk, (0,) * len(figure.headers))]
        writer.row([f"{row.area.number}. {row.area.budget_label}", *_budget_values(row.subtotal), *extra])
    last = writer.sheet.max_row
    extra_totals = [
        sum(values[index] for values in by_area.values())
        for figure, by_area in figures
        for index in range(len(figure.headers))
    ]
    writer.row(["총계", *_budget_values(total), *extra_totals], style="total")
    writer.finish()
    if areas:
        chart = BarChart()
        chart.title = "추진분야별 예산·집행(백만원)"
        chart.y_axis.title = "백만원"
        data = Reference(writer.sheet, min_col=3, max_col=3, min_row=writer.header_row, max_row=last)
        executed = Reference(writer.sheet, min_col=6, max_col=6, min_row=writer.header_row, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.add_data(executed, titles_from_data=True)
        chart.set_categories(Reference(writer.sheet, min_col=1, min_row=first, max_row=last))
        chart.width, chart.height = 18, 8
        writer.sheet.add_chart(chart, f"A{last + 3}")


def budget_sheet(report: CommitteeReport) -> None:
    areas, total = selectors.budget_table(year=report.year, ministry=report.ministry)
    columns = [Column("구분", "text", 24), Column("사업명", "text", 40), *_budget_columns(report.year)]
    writer = report.new_sheet("지원예산", f"{report.year}년 지원예산 (실행계획 V장)", columns)
    for row in areas:
        for index, program in enumerate(row.programs):
            writer.row([row.area.budget_label if index == 0 else "", program.name, *_budget_values(program)])
        writer.row([row.area.budget_label, "소계", *_budget_values(row.subtotal)], style="subtotal")
    writer.row(["총계", "", *_budget_values(total)], style="total")
    writer.note("증감률(%)은 소수 첫째 자리에서 반올림, 감소는 △, '24년 예산이 없는 사업은 신규로 표시합니다.")
    writer.finish()


def schedule_sheet(report: CommitteeReport) -> None:
    months = [Column(f"{month}월", "text", 5) for month in range(1, 13)]
    columns = [
        Column("구분", "text", 20),
        Column("사업명", "text", 30),
        Column("일정 항목", "text", 36),
        Column("시기", "text", 9),
        Column("상태", "text", 6),
        *months,
    ]
    writer = report.new_sheet("추진일정", f"{report.year}년 추진일정", columns, unit=None)
    placements = {
        placement.program_id: placement
        for placement in ProgramPlacement.objects.filter(plan_year=report.year).select_related("task__area")
    }
    milestones = Milestone.objects.filter(year=report.year, program__in=list(placements)).select_related("program")
    if report.ministry:
        milestones = milestones.filter(program__ministry=report.ministry)
    milestones = milestones.annotate(budget_order=selectors.placement_order("program", "year"))
    milestones = sorted(
        milestones,
        key=lambda m: (
            placements[m.program_id].task.area.number,
            m.budget_order is None,
            m.budget_order or 0,
            m.program.name,
            m.order,
        ),
    )
    for milestone in milestones:
        mark = STATUS_MARKS[milestone.status]
        covered = set(range(milestone.start_month, milestone.end_month + 1)) if milestone.start_month else set()
        grid = [mark if month in covered else "" for month in range(1, 13)]
        style = "warning" if milestone.status == MilestoneStatus.DELAYED else None
        writer.row(
            [
                placements[milestone.program_id].task.area.budget_label,
                milestone.program.name,
                milestone.label,
                milestone.months_label,
                milestone.get_status_display(),
                *grid,
            ],
            style=style,
        )
    writer.note("표시: ○ 예정, ◐ 진행, ● 완료, ▲ 지연. 월이 정해지지 않은 일정은 '연중'입니다.")
    writer.finish()


def validation_sheet(report: CommitteeReport) -> None:
    columns = [
        Column("구분", "text", 18),
        Column("항목", "text", 40),
        Column("기준", "text", 22),
        Column("기준값", "decimal", 12),
        Column("비교", "text", 22),
        Column("비교값", "decimal", 12),
        Column("차이", "decimal", 10),
        Column("설명", "text", 60),
    ]
    writer = report.new_sheet("검증", "계획 수치 정합성 및 실데이터 점검", columns, unit=None)
    findings = checks.all_findings(year=report.year, ministry=report.ministry)
    for finding in findings:
        difference = finding.difference
        writer.row(
            [
                finding.category,
                finding.subject,
                finding.expected_label,
                _number(finding.expected),
                finding.actual_label,
                _number(finding.actual),
                _number(difference),
                finding.explanation,
            ],
            style="warning" if finding.category == checks.LIVE else None,
        )
    if not findings:
        writer.row(["", "발견된 문제가 없습니다.", "", None, "", None, None, ""])
    writer.finish()


def _number(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


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
