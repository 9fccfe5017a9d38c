"""The committee workbook's 신청·선정 현황, 뿌리기업 현황 and 뿌리산업 현황 sheets.

- 신청·선정 현황: applications by program and status, applicant and selected companies by 업종,
  권역, 매출 규모 and 성장단계;
- 뿌리기업 현황: registered companies beside the plan's tables (14대 업종별, 권역별, 규모별 현황 and
  the 성장 메뉴판), with workers, sales and exports where the plan gives them;
- 뿌리산업 현황: the plan's 참고 tables that are not about one 업종/권역/규모 (뿌리산업의 위상,
  직무별 종사자 수, the shares and trends of the text), with the registered companies' figures
  where there are any.

Every figure is a database aggregate (GROUP BY), so the number of queries does not depend on
the number of companies or applications. The registered companies' figures all come from one
GROUP BY (`CompanyCensus`), the applicant companies' from another (`applicant_companies`).
"""

from decimal import Decimal

from django.db.models import Count, Q
from openpyxl.chart import Reference
from openpyxl.chart.series import SeriesLabel
from openpyxl.utils import get_column_letter

from companies.choices import (
    SELECTED_STATUSES,
    WORKFORCE_JOBS,
    ApplicationStatus,
    GrowthStage,
    SalesBracket,
    StatedMeasure,
    WorkforceColumn,
)
from companies.models import (
    Application,
    Company,
    GrowthStageProfile,
    Industry,
    IndustryGroup,
    IndustryStanding,
    PopulationTable,
    PopulationTotal,
    Region,
    SalesBracketFigure,
    StatedShare,
    WorkforceFigure,
)
from companies.selectors import CompanyCensus, applications_by_program_and_status, plan_and_registered_shares
from programs.formats import round_half_up
from programs.reports.layout import COUNT_FORMAT, Column, Figure, Row, bar_chart, column_mm, line_chart

STATUSES = list(ApplicationStatus)
TRILLION = 10**12
EOK = 10**8
TEN_THOUSAND = 10**4
LARGE_BRACKETS = (SalesBracket.FROM_100_TO_300, SalesBracket.FROM_300_TO_1000, SalesBracket.OVER_1000)


def _share(part, whole):
    return float(round_half_up(Decimal(part) * 100 / whole, 1)) if whole else None


def _trillion(amount_won) -> Figure:
    return Figure(Decimal(amount_won) / TRILLION, 1)


def _eok(amount_won) -> int:
    return int(round_half_up(Decimal(amount_won or 0) / EOK))


# -- 신청·선정 현황 -----------------------------------------------------------------------------


def applications_by_program(report) -> list:
    rows, totals, previous_area = [], dict.fromkeys(STATUSES, 0), None
    for item in applications_by_program_and_status(year=report.year, ministry=report.ministry):
        program, area = item.program, item.program.placement.task.area.label
        for status in STATUSES:
            totals[status] += item.counts[status]
        rows.append(
            [
                area if area != previous_area else "",
                program.name,
                program.ministry_label,
                *[item.counts[status] for status in STATUSES],
                item.total,
            ]
        )
        previous_area = area
    rows.append(Row(["합계", "", "", *[totals[status] for status in STATUSES], sum(totals.values())], "total"))
    return rows


BREAKDOWN_FIELDS = ("industry", "province__region", "sales_bracket", "growth_stage")


def applicant_companies(report) -> tuple[dict[str, dict], int]:
    """Applicant and selected companies (distinct) by 업종, 권역, 매출 규모 and 성장단계, and all
    applicant companies: ({field: {value: (applicants, selected)}}, applicants).

    One GROUP BY over the four attributes of the companies with an application in scope (each
    company counted once; selected when one of its applications is), added up here per attribute:
    a company has one value of each, so the sums are the distinct counts."""
    applications = Application.objects.filter(report.application_filter())
    selected = applications.filter(status__in=SELECTED_STATUSES)
    rows = (
        Company.objects.filter(pk__in=applications.values("company"))
        .values_list(*BREAKDOWN_FIELDS)
        .annotate(applicants=Count("pk"), selected=Count("pk", filter=Q(pk__in=selected.values("company"))))
        .order_by()
    )
    breakdowns: dict[str, dict] = {field: {} for field in BREAKDOWN_FIELDS}
    total = 0
    for *keys, applicants, chosen in rows:
        total += applicants
        for field, key in zip(BREAKDOWN_FIELDS, keys, strict=True):
            before = breakdowns[field].get(key, (0, 0))
            breakdowns[field][key] = (before[0] + applicants, before[1] + chosen)
    return breakdowns, total


def applicants_by(by_key: dict, total_applicants: int, labels: list[tuple]) -> list:
    """The rows of one breakdown: applicants, their share, selected and the selection rate."""
    result = []
    for key, label in labels:
        applicants, selected = by_key.get(key, (0, 0))
        result.append([label, applicants, _share(applicants, total_applicants), selected, _share(selected, applicants)])
    return result


def applications_sheet(report) -> None:
    grid = [26, 38, 15, *(7 for _ in STATUSES), 8]
    writer = report.new_sheet("신청·선정 현황", f"{report.year}년 사업별 신청·선정 현황", grid, unit="건·개사")
    rows = applications_by_program(report)
    chart_height = writer.chart_height(0.45 * (len(rows) - 1) + 3)
    anchor = writer.reserve(chart_height)
    table = writer.table(
        "사업별 신청·선정 현황 (단위: 건)",
        [
            Column("구분"),
            Column("사업명"),
            Column("소관부처", "center"),
            *[Column(status.label, "count") for status in STATUSES],
            Column("합계", "count"),
        ],
        rows,
        note=(
            "지원예산 표의 사업은 신청이 없어도, 그 밖의 사업은 신청이 있을 때만 보입니다. "
            "(추정): 계획에 소관부처가 없는 사업"
        ),
    )
    if len(rows) > 1:
        chart = bar_chart(
            "사업별 신청 상태 (단위: 건)",
            y_title="신청(건)",
            horizontal=True,
            stacked=True,
            width=writer.chart_width_cm,
            height=chart_height,
        )
        for index in range(3, 3 + len(STATUSES)):
            chart.series.append(table.series(index, rows=table.rows[:-1], categories=1))
        chart.y_axis.numFmt = COUNT_FORMAT
        writer.sheet.add_chart(chart, anchor)
    breakdown = [
        Column("항목", span=2),
        Column("신청 기업(개사)", "count", span=2),
        Column("비중(%)", "rate", span=2),
        Column("선정 기업(개사)", "count", span=2),
        Column("선정률(%)", "rate", span=3),
    ]
    industries = [
        (industry.pk, f"{industry.group.name} · {industry.name}")
        for industry in Industry.objects.select_related("group").order_by("order")
    ]
    breakdowns, total_applicants = applicant_companies(report)
    for caption, field, labels in (
        ("업종별 신청·선정 기업", "industry", industries),
        ("권역별 신청·선정 기업", "province__region", list(Region.objects.values_list("pk", "name"))),
        ("매출 규모별 신청·선정 기업", "sales_bracket", list(SalesBracket.choices)),
        ("성장단계별 신청·선정 기업", "growth_stage", list(GrowthStage.choices)),
    ):
        writer.table(f"{caption} (단위: 개사)", breakdown, applicants_by(breakdowns[field], total_applicants, labels))
    writer.note(
        f"선정 기업: {', '.join(ApplicationStatus(s).label for s in SELECTED_STATUSES)} 상태의 신청이 있는 기업. "
        "선정률 = 선정 기업 ÷ 신청 기업."
    )
    writer.finish()


# -- 뿌리기업 현황 ------------------------------------------------------------------------------


EMPTY = {"firms": 0, "workers": 0, "sales": 0, "exports": 0}


def _industry_row(label, plan, registered, style=None) -> Row:
    """업종 | 사업체 계획, 등록 | 종사자 계획, 등록 | 매출액 계획(조원), 등록(억원) | 수출액 ..."""
    return Row(
        [
            label,
            plan.plan_firms if hasattr(plan, "plan_firms") else plan.firms,
            registered["firms"],
            plan.plan_workers if hasattr(plan, "plan_workers") else plan.workers,
            registered["workers"] or 0,
            _trillion(plan.plan_sales if hasattr(plan, "plan_sales") else plan.sales),
            _eok(registered["sales"]),
            _trillion(plan.plan_exports if hasattr(plan, "plan_exports") else plan.exports),
            _eok(registered["exports"]),
        ],
        style,
    )


def _sum_registered(rows: list[dict]) -> dict:
    return {key: sum((row.get(key) or 0) for row in rows) for key in EMPTY}


def population_sheet(report, census: CompanyCensus) -> None:
    grid = [22, 10, 8, 10, 9, 10, 8, 10, 10, 8, 10, 10, 8, 10]
    writer = report.new_sheet(
        "뿌리기업 현황", "등록 뿌리기업 현황 (실행계획 참고 「뿌리산업 현황」 '23년 통계와 비교)", grid, unit=None
    )
    anchor = writer.reserve(8.5)
    total = census.total()
    by_industry = census.by("industry")
    industry_total = PopulationTotal.objects.filter(table=PopulationTable.INDUSTRY).first()
    rows = []
    if industry_total:
        rows.append(_industry_row("뿌리산업", industry_total, {k: total[k] or 0 for k in EMPTY}, "total"))
    for group in IndustryGroup.objects.prefetch_related("industries").order_by("order"):
        members = sorted(group.industries.all(), key=lambda industry: industry.order)
        registered = _sum_registered([by_industry.get(industry.pk, EMPTY) for industry in members])
        rows.append(_industry_row(group.name, group, registered, "subtotal"))
        for industry in members:
            rows.append(_industry_row(f"  {industry.name}", industry, by_industry.get(industry.pk, EMPTY)))
    writer.table(
        "14대 업종별 현황: 계획('23) 대 등록 기업",
        [
            Column("구분"),
            Column("계획(개사)", "count", span=2, group="사업체"),
            Column("등록(개사)", "count", span=2, group="사업체"),
            Column("계획(명)", "count", span=2, group="종사자"),
            Column("등록(명)", "count", group="종사자"),
            Column("계획(조원)", "figure", span=2, group="매출액"),
            Column("등록(억원)", "count", group="매출액"),
            Column("계획(조원)", "figure", span=2, group="수출액"),
            Column("등록(억원)", "count", group="수출액"),
        ],
        rows,
        note=(
            "계획 값은 참고 < 뿌리산업 14대 업종별 현황 > 그대로입니다(표의 수로 다시 계산해 어긋나는 값은 검증 시트). "
            "등록 값은 이 시스템의 뿌리기업입니다."
        ),
    )
    shares = plan_and_registered_shares(census)
    region_table = _region_table(writer, shares)
    size_table = _size_table(writer, total, census.by("sales_bracket"), shares)
    stage_table = _stage_table(writer, shares)
    _share_charts(writer, anchor, [region_table, size_table, stage_table])
    writer.finish()


def _region_table(writer, shares):
    rows = [
        [row.label, region.plan_firms, row.plan_share, row.registered, row.registered_share]
        for row, region in zip(shares["권역"], Region.objects.order_by("order"), strict=True)
    ]
    return writer.table(
        "권역별 뿌리기업 분포: 계획 대 등록",
        [
            Column("구분"),
            Column("계획(개)", "count", group="사업체"),
            Column("비중(%)", "rate", group="사업체"),
            Column("등록(개사)", "count", group="사업체"),
            Column("등록 비중(%)", "rate", group="사업체"),
        ],
        rows,
        note="계획 비중은 표에 인쇄된 값 그대로입니다(사업체 수로 다시 계산해 어긋나는 값은 검증 시트).",
    )


def _size_table(writer, total, by_bracket, shares):
    registered_shares = {row.label: row.registered_share for row in shares["매출 규모"]}
    figures = {figure.bracket: figure for figure in SalesBracketFigure.objects.all()}
    size_total = PopulationTotal.objects.filter(table=PopulationTable.SIZE).first()
    rows = []
    if size_total:
        rows.append(
            Row(
                [
                    "전 체",
                    size_total.firms,
                    100.0,
                    total["firms"],
                    100.0 if total["firms"] else None,
                    Figure(Decimal(size_total.workers) / TEN_THOUSAND, 1),
                    100.0,
                    total["workers"] or 0,
                    _trillion(size_total.sales),
                    100.0,
                    _eok(total["sales"]),
                    _trillion(size_total.exports),
                    100.0,
                    _eok(total["exports"]),
                ],
                "total",
            )
        )
    for bracket, label in SalesBracket.choices:
        figure, registered = figures.get(bracket), by_bracket.get(bracket, EMPTY)
        if figure is None:
            continue
        rows.append(
            [
                label,
                figure.plan_firms,
                float(figure.plan_firm_share),
                registered["firms"],
                registered_shares.get(label),
                Figure(Decimal(figure.plan_workers) / TEN_THOUSAND, 1),
                float(figure.plan_worker_share),
                registered["workers"] or 0,
                _trillion(figure.plan_sales),
                float(figure.plan_sales_share),
                _eok(registered["sales"]),
                _trillion(figure.plan_exports),
                float(figure.plan_export_share),
                _eok(registered["exports"]),
            ]
        )
    unknown = by_bracket.get(None)
    if unknown:
        rows.append(["매출액 미입력", None, None, unknown["firms"], None, None, None])
    return writer.table(
        "뿌리산업 규모별 현황: 계획 대 등록",
        [
            Column("구분"),
            Column("계획(개사)", "count", group="사업체"),
            Column("비중(%)", "rate", group="사업체"),
            Column("등록(개사)", "count", group="사업체"),
            Column("등록 비중(%)", "rate", group="사업체"),
            Column("계획(만명)", "figure", group="종사자"),
            Column("비중(%)", "rate", group="종사자"),
            Column("등록(명)", "count", group="종사자"),
            Column("계획(조원)", "figure", group="매출액"),
            Column("비중(%)", "rate", group="매출액"),
            Column("등록(억원)", "count", group="매출액"),
            Column("계획(조원)", "figure", group="수출액"),
            Column("비중(%)", "rate", group="수출액"),
            Column("등록(억원)", "count", group="수출액"),
        ],
        rows,
        note=(
            "계획 값은 참고 < 뿌리산업 규모별 현황 > 그대로입니다(합계·비중을 다시 계산해 어긋나는 값은 검증 시트). "
            "등록 비중은 매출액을 입력한 기업 가운데의 비중입니다."
        ),
    )


def _stage_table(writer, shares):
    profiles = {profile.get_stage_display(): profile for profile in GrowthStageProfile.objects.all()}
    rows = []
    for row in shares["성장단계"]:
        profile = profiles.get(row.label)
        rows.append(
            [
                row.label,
                profile.sales_label if profile else "",
                profile.plan_firms_label if profile else "",
                row.plan_share,
                row.registered,
                row.registered_share,
            ]
        )
    return writer.table(
        "성장단계별 기업 (IV-1-2 성장 메뉴판): 계획 대 등록",
        [
            Column("구분"),
            Column("매출액", "center", span=2, group="계획(성장 메뉴판)"),
            Column("기업 수", "center", span=2, group="계획(성장 메뉴판)"),
            Column("비중(%)", "rate", group="계획(성장 메뉴판)"),
            Column("등록(개사)", "count", span=2, group="등록"),
            Column("비중(%)", "rate", group="등록"),
        ],
        rows,
        note="성장단계는 매출액으로 정해집니다(돋움 10억 미만, 도약 10억~100억, 혁신 100억 이상).",
    )


def _share_charts(writer, anchor, tables) -> None:
    """Three charts side by side: plan share against registered share by 권역, 규모, 성장단계."""
    region, size, stage = tables
    specs = [  # title, table, plan share column, registered share column, rows to skip (전 체)
        ("권역별 비중 (%)", region, 2, 4, 0),
        ("매출 규모별 비중 (%)", size, 2, 4, 1),
        ("성장단계별 비중 (%)", stage, 3, 5, 0),
    ]
    width = round(writer.chart_width_cm / 3 - 0.2, 1)
    column = 1
    for title, table, plan_index, registered_index, skip in specs:
        chart = bar_chart(title, y_title="사업체 비중(%)", width=width, height=8.5, number_format="0")
        rows = table.rows[skip : skip + _plan_rows(table, skip)]
        for index, name in ((plan_index, "계획"), (registered_index, "등록")):
            chart.series.append(table.series(index, name=name, rows=rows))
        writer.sheet.add_chart(chart, f"{get_column_letter(column)}{anchor[1:]}")
        column = _column_after(writer, column, width)


def _plan_rows(table, skip: int) -> int:
    """Rows of the plan's categories (the size table may end with 매출액 미입력, which has no plan share)."""
    rows = len(table.rows) - skip
    if table.caption.startswith("뿌리산업 규모별") and rows > len(SalesBracket.choices):
        rows = len(SalesBracket.choices)
    return rows


def _column_after(writer, column: int, width_cm: float) -> int:
    """The grid column where the next side-by-side chart starts."""
    used, position = 0.0, column
    while position <= len(writer.grid) and used < width_cm * 10 + 2:
        used += column_mm(writer.grid[position - 1])
        position += 1
    return position


# -- 뿌리산업 현황 ------------------------------------------------------------------------------


def industry_status_sheet(report, census: CompanyCensus) -> None:
    grid = [34, 10, 10, 10, 11, 10, 10, 11, 11]
    writer = report.new_sheet(
        "뿌리산업 현황", "뿌리산업 현황 (실행계획 참고, '23년 기준)과 등록 뿌리기업", grid, unit=None
    )
    anchor = writer.reserve(7.0)
    trend = _trend_table(writer, census)
    _standing_table(writer, census.total())
    _workforce_table(writer, census.total())
    if trend is not None:
        chart = line_chart(
            "뿌리산업 추이 (계획 본문, 단위: %)", y_title="비중(%)", width=writer.chart_width_cm, height=7.0
        )
        chart.y_axis.numFmt = "0"
        for row in trend.rows[: len(TREND_MEASURES)]:
            chart.add_data(
                Reference(writer.sheet, min_col=trend.col(1), max_col=trend.col(3), min_row=row),
                from_rows=True,
                titles_from_data=False,
            )
            chart.series[-1].tx = SeriesLabel(v=writer.sheet.cell(row=row, column=1).value)
        chart.set_categories(
            Reference(writer.sheet, min_col=trend.col(1), max_col=trend.col(3), min_row=trend.header_row)
        )
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 100
        writer.sheet.add_chart(chart, anchor)
    writer.finish()


TREND_MEASURES = (
    StatedMeasure.AGEING_SHARE,
    StatedMeasure.SHORTAGE_RATE,
    StatedMeasure.LARGE_FIRM_SALES_SHARE,
    StatedMeasure.LARGE_FIRM_EXPORT_SHARE,
)
LEVEL_MEASURES = (
    StatedMeasure.FOREIGN_SHARE,
    StatedMeasure.SMALL_FIRM_SHARE,
    StatedMeasure.LARGE_FIRM_SHARE,
)


def _registered_shares(census: CompanyCensus) -> dict:
    """What the registered companies say about the same shares (where the data allows)."""
    totals = census.total()
    large = census.total(lambda group: group["sales_bracket"] in LARGE_BRACKETS)
    known = census.total(lambda group: group["sales_bracket"] is not None)["firms"]
    small = census.total(lambda group: group["sales_bracket"] == SalesBracket.UNDER_5)["firms"]
    return {
        StatedMeasure.FOREIGN_SHARE: _share(totals["foreign"] or 0, totals["foreign_employees"] or 0),
        StatedMeasure.SMALL_FIRM_SHARE: _share(small, known),
        StatedMeasure.LARGE_FIRM_SHARE: _share(large["firms"], known),
        StatedMeasure.LARGE_FIRM_SALES_SHARE: _share(large["sales"] or 0, totals["sales"] or 0),
        StatedMeasure.LARGE_FIRM_EXPORT_SHARE: _share(large["exports"] or 0, totals["exports"] or 0),
    }


def _trend_table(writer, census: CompanyCensus):
    shares: dict[str, dict[int, StatedShare]] = {}
    for share in StatedShare.objects.filter(subject=""):
        shares.setdefault(share.measure, {})[share.year] = share
    if not shares:
        return None
    registered = _registered_shares(census)
    rows = []
    for measure in (*TREND_MEASURES, *LEVEL_MEASURES):
        by_year = shares.get(measure, {})
        values = [by_year.get(year) for year in (2021, 2022, 2023)]
        rows.append(
            [
                StatedMeasure(measure).label,
                *[Figure(share.value, share.places) if share else None for share in values],
                registered.get(measure),
                next((share.source for share in reversed(values) if share), ""),
            ]
        )
    return writer.table(
        "본문·각주의 비중과 추이 (단위: %)",
        [
            Column("지표"),
            Column("'21년", "figure"),
            Column("'22년", "figure"),
            Column("'23년", "figure"),
            Column("등록 기업(%)", "rate"),
            Column("계획 문서의 문장", span=4),
        ],
        rows,
        note="등록 기업: 이 시스템의 뿌리기업으로 같은 비중을 계산한 값(외국인 비중은 외국인 수를 입력한 기업만).",
    )


def _standing_table(writer, total: dict) -> None:
    standing = IndustryStanding.objects.order_by("-year").first()
    if standing is None:
        return
    rows = [
        [
            "제조업",
            standing.manufacturing_firms,
            standing.manufacturing_workers,
            _trillion(standing.manufacturing_sales),
            _trillion(standing.manufacturing_exports),
        ],
        [
            "뿌리산업",
            standing.root_firms,
            standing.root_workers,
            _trillion(standing.root_sales),
            _trillion(standing.root_exports),
        ],
        Row(
            [
                "제조업 내 비중(%)",
                Figure(standing.firm_share, 1),
                Figure(standing.worker_share, 1),
                Figure(standing.sales_share, 1),
                Figure(standing.export_share, 1),
            ],
            "subtotal",
        ),
        [
            "등록 뿌리기업(이 시스템)",
            total["firms"],
            total["workers"] or 0,
            Figure(Decimal(total["sales"] or 0) / TRILLION, 1),
            Figure(Decimal(total["exports"] or 0) / TRILLION, 1),
        ],
    ]
    writer.table(
        f"뿌리산업의 위상 ('{standing.year % 100}년)",
        [
            Column("구분"),
            Column("사업체 수(개사)", "count", span=2),
            Column("종사자 수(명)", "count", span=2),
            Column("매출액(조원)", "figure", span=2),
            Column("수출액(조원)", "figure", span=2),
        ],
        rows,
        note="제조업 내 비중은 표에 인쇄된 값 그대로입니다(표의 수로 다시 계산해 어긋나는 값은 검증 시트).",
    )


def _workforce_table(writer, registered: dict) -> None:
    figures = {figure.column: figure for figure in WorkforceFigure.objects.all()}
    if not figures:
        return
    order = [WorkforceColumn.TOTAL, *WORKFORCE_JOBS, WorkforceColumn.DOMESTIC, WorkforceColumn.FOREIGN]
    columns_present = [figures[column] for column in order if column in figures]
    registered_row = ["등록 뿌리기업 종사자(명)"]
    for figure in columns_present:
        if figure.column == WorkforceColumn.TOTAL:
            registered_row.append(registered["workers"] or 0)
        elif figure.column == WorkforceColumn.FOREIGN:
            registered_row.append(registered["foreign"] or 0)
        else:
            registered_row.append("-")
    rows = [
        ["종사자(명)", *[figure.workers for figure in columns_present]],
        ["부족인원(명)", *[figure.shortage for figure in columns_present]],
        ["부족률(%)", *[Figure(figure.shortage_rate, 1) for figure in columns_present]],
        [
            "직무별 비중(%, 각주)",
            *[Figure(f.job_share, 1) if f.job_share is not None else "" for f in columns_present],
        ],
        registered_row,
    ]
    writer.table(
        f"직무별 종사자 수 ('{columns_present[0].year % 100}년)",
        [
            Column("구 분"),
            *[
                Column(figure.get_column_display(), "count")
                if figure.column != WorkforceColumn.TOTAL
                else Column("계(A+B)", "count")
                for figure in columns_present
            ],
        ],
        rows,
        note=(
            "연구직~기타직과 소계(A)는 내국인. 부족률 = 부족인원 ÷ (종사자 + 부족인원). 직무별 비중은 표 위 각주의 "
            "값 그대로입니다(표의 수로 다시 계산해 어긋나는 값은 검증 시트)."
        ),
    )


def committee_sheets(report) -> None:
    applications_sheet(report)
    census = CompanyCensus()
    population_sheet(report, census)
    industry_status_sheet(report, census)
