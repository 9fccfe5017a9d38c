"""The committee workbook's 신청·선정 현황 and 뿌리기업 현황 sheets.

Every figure is a database aggregate (GROUP BY), so the number of queries does not depend on
the number of companies or applications.
"""

from decimal import Decimal

from django.db.models import Count, Q

from companies.choices import SELECTED_STATUSES, ApplicationStatus, GrowthStage, SalesBracket
from companies.models import Application, Company, GrowthStageProfile, Industry, Region, SalesBracketFigure
from programs import selectors
from programs.formats import round_half_up
from programs.models import Program
from programs.reports.layout import Column

STATUSES = list(ApplicationStatus)


def _share(part: int, whole: int):
    return float(round_half_up(Decimal(part) * 100 / whole, 1)) if whole else None


def applications_by_program(report, writer) -> None:
    applications = Application.objects.filter(report.application_filter())
    counts: dict[int, dict[str, int]] = {}
    for program_id, status, count in (
        applications.values_list("program_id", "status").annotate(n=Count("pk")).order_by()
    ):
        counts.setdefault(program_id, {})[status] = count
    programs = selectors.placements(report.year, Program.objects.select_related("ministry"))
    if report.ministry:
        programs = programs.filter(ministry=report.ministry)
    totals = dict.fromkeys(STATUSES, 0)
    for program in programs:
        by_status = counts.get(program.pk)
        if not by_status and not program.placement.has_budget_line:
            continue  # programs without a budget line are listed only when they had applications
        by_status = by_status or {}
        for status in STATUSES:
            totals[status] += by_status.get(status, 0)
        writer.row(
            [
                program.placement.task.area.budget_label,
                program.name,
                program.ministry.short_name,
                *[by_status.get(status, 0) for status in STATUSES],
                sum(by_status.values()),
            ]
        )
    writer.row(["합계", "", "", *[totals[status] for status in STATUSES], sum(totals.values())], style="total")


def applicants_by(report, writer, title: str, group_field: str, labels: list[tuple], columns) -> None:
    """Applicant and selected companies (distinct) by one company attribute."""
    applications = Application.objects.filter(report.application_filter())
    rows = (
        applications.values(group_field)
        .annotate(
            applicants=Count("company", distinct=True),
            selected=Count("company", distinct=True, filter=Q(status__in=SELECTED_STATUSES)),
        )
        .order_by()
    )
    by_key = {row[group_field]: (row["applicants"], row["selected"]) for row in rows}
    total_applicants = applications.aggregate(n=Count("company", distinct=True))["n"]
    for key, label in labels:
        applicants, selected = by_key.get(key, (0, 0))
        writer.row([title, label, applicants, _share(applicants, total_applicants), selected], columns=columns)


def applications_sheet(report) -> None:
    columns = [
        Column("구분", "text", 20),
        Column("사업명", "text", 36),
        Column("소관부처", "text", 10),
        *[Column(status.label, "count", 7) for status in STATUSES],
        Column("합계", "count", 8),
    ]
    writer = report.new_sheet("신청·선정 현황", f"{report.year}년 사업별 신청·선정 현황", columns, unit="건")
    applications_by_program(report, writer)
    writer.blank()
    breakdown = [
        Column("기준", "text", 20),
        Column("항목", "text", 36),
        Column("신청 기업(개사)", "count", 12),
        Column("비중(%)", "rate", 8),
        Column("선정 기업(개사)", "count", 12),
    ]
    writer.header(breakdown)
    industries = [
        (industry.pk, f"{industry.group.name} · {industry.name}")
        for industry in Industry.objects.select_related("group").order_by("order")
    ]
    applicants_by(report, writer, "업종", "company__industry", industries, breakdown)
    regions = list(Region.objects.order_by("order").values_list("pk", "name"))
    applicants_by(report, writer, "권역", "company__province__region", regions, breakdown)
    applicants_by(report, writer, "매출 규모", "company__sales_bracket", list(SalesBracket.choices), breakdown)
    applicants_by(report, writer, "성장단계", "company__growth_stage", list(GrowthStage.choices), breakdown)
    writer.note(
        f"선정 기업: {', '.join(ApplicationStatus(s).label for s in SELECTED_STATUSES)} 상태의 신청이 있는 기업"
    )
    writer.finish()


def population_sheet(report) -> None:
    columns = [
        Column("구분", "text", 22),
        Column("항목", "text", 24),
        Column("등록 기업(개사)", "count", 12),
        Column("비중(%)", "rate", 8),
        Column("계획('23) 사업체(개사)", "count", 14),
        Column("비중(%)", "rate", 8),
    ]
    writer = report.new_sheet("뿌리기업 현황", "등록 뿌리기업 현황 (실행계획 '23년 통계와 비교)", columns, unit="개사")
    total = Company.objects.count()
    by_industry = dict(Company.objects.values_list("industry").annotate(n=Count("pk")).order_by())
    plan_total = sum(Industry.objects.values_list("plan_firms", flat=True))
    for industry_group in Industry.objects.values_list("group__name", flat=True).distinct().order_by("group__order"):
        members = list(Industry.objects.filter(group__name=industry_group).order_by("order"))
        registered = sum(by_industry.get(industry.pk, 0) for industry in members)
        planned = sum(industry.plan_firms for industry in members)
        writer.row(
            ["업종", industry_group, registered, _share(registered, total), planned, _share(planned, plan_total)],
            style="subtotal",
        )
        for industry in members:
            count = by_industry.get(industry.pk, 0)
            writer.row(
                [
                    "업종",
                    f"  {industry.name}",
                    count,
                    _share(count, total),
                    industry.plan_firms,
                    _share(industry.plan_firms, plan_total),
                ]
            )
    by_region = dict(Company.objects.values_list("province__region").annotate(n=Count("pk")).order_by())
    for region in Region.objects.order_by("order"):
        count = by_region.get(region.pk, 0)
        writer.row(["권역", region.name, count, _share(count, total), region.plan_firms, float(region.plan_share)])
    by_bracket = dict(Company.objects.values_list("sales_bracket").annotate(n=Count("pk")).order_by())
    figures = {figure.bracket: figure for figure in SalesBracketFigure.objects.all()}
    for bracket, label in SalesBracket.choices:
        count, figure = by_bracket.get(bracket, 0), figures.get(bracket)
        writer.row(
            [
                "매출 규모",
                label,
                count,
                _share(count, total),
                figure.plan_firms if figure else None,
                float(figure.plan_firm_share) if figure else None,
            ]
        )
    unknown = by_bracket.get(None, 0)
    if unknown:
        writer.row(["매출 규모", "매출액 미입력", unknown, _share(unknown, total), None, None])
    by_stage = dict(Company.objects.values_list("growth_stage").annotate(n=Count("pk")).order_by())
    profiles = {profile.stage: profile for profile in GrowthStageProfile.objects.all()}
    for stage, label in GrowthStage.choices:
        count, profile = by_stage.get(stage, 0), profiles.get(stage)
        writer.row(
            ["성장단계", label, count, _share(count, total), None, float(profile.plan_share) if profile else None]
        )
    writer.row(["합계", "", total, 100.0 if total else None, plan_total, 100.0], style="total")
    writer.note(
        "계획('23) 값은 실행계획 참고 표 그대로입니다. 성장단계의 계획 비중은 성장 메뉴판 표기(사업체 수는 표에 없음)."
    )
    writer.finish()


def committee_sheets(report) -> None:
    applications_sheet(report)
    population_sheet(report)
