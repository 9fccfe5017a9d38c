"""What the companies app adds to the core's pages and reports (registered in CompaniesConfig.ready)."""

from django.core.paginator import Paginator
from django.db.models import Count, Q

from companies.choices import SELECTED_STATUSES, ApplicationStatus
from companies.models import Application
from companies.selectors import applications_by_program_and_status, plan_and_registered_shares
from programs.registry import AreaFigure, Panel


def latest_applications(*, request, year: int, limit: int = 10) -> dict:
    applications = (
        Application.objects.filter(year=year).select_related("company", "program").order_by("-created_at", "-id")
    )
    return {"year": year, "applications": list(applications[:limit])}


def program_applications(*, request, program) -> dict:
    applications = Application.objects.filter(program=program).select_related("company__industry")
    applications = applications.order_by("-year", "company__name")
    return {"program": program, "applications": Paginator(applications, 50).get_page(request.GET.get("page"))}


def applications_by_area(report) -> dict[int, tuple[int, int]]:
    """신청 and 선정 (선정·협약·완료) per 추진분야, in the report's year and scope."""
    rows = (
        Application.objects.filter(report.application_filter(), program__placements__plan_year=report.year)
        .values("program__placements__task__area")
        .annotate(applied=Count("pk"), selected=Count("pk", filter=Q(status__in=SELECTED_STATUSES)))
        .order_by()
    )
    return {row["program__placements__task__area"]: (row["applied"], row["selected"]) for row in rows}


def application_and_population_charts(*, request, year: int) -> dict:
    """The dashboard's charts of the companies app: applications by program and status, and the
    registered companies' shares by 권역, 매출 규모 and 성장단계 beside the plan's."""
    programs = [item for item in applications_by_program_and_status(year=year) if item.total]
    scale = max([item.total for item in programs] + [1])
    applications = [
        {
            "program": item.program,
            "total": item.total,
            "selected": item.selected,
            "segments": [
                {"label": status.label, "count": count, "width": round(count * 100 / scale, 1), "css": f"s-{status}"}
                for status, count in item.counts.items()
                if count
            ],
        }
        for item in programs
    ]
    shares = []
    for dimension, rows in plan_and_registered_shares().items():
        top = max([float(row.plan_share or 0) for row in rows] + [float(row.registered_share or 0) for row in rows])
        shares.append(
            {
                "dimension": dimension,
                "rows": [
                    {
                        "row": row,
                        "plan_width": round(float(row.plan_share or 0) * 100 / (top or 1), 1),
                        "registered_width": round(float(row.registered_share or 0) * 100 / (top or 1), 1),
                    }
                    for row in rows
                ],
            }
        )
    return {
        "year": year,
        "applications": applications,
        "statuses": [(status.label, f"s-{status}") for status in ApplicationStatus],
        "shares": shares,
    }


CHARTS_PANEL = Panel("companies/panels/charts.html", application_and_population_charts)
DASHBOARD_PANEL = Panel("companies/panels/latest_applications.html", latest_applications)
PROGRAM_PANEL = Panel("companies/panels/program_applications.html", program_applications)
SUMMARY_FIGURE = AreaFigure(("신청", "선정"), applications_by_area)
