"""What the companies app adds to the core's pages and reports (registered in CompaniesConfig.ready)."""

from django.core.paginator import Paginator

from companies.choices import SELECTED_STATUSES, ApplicationStatus
from companies.models import Application
from companies.selectors import (
    application_counts_by_program,
    applications_by_program_and_status,
    plan_and_registered_shares,
)
from programs.models import ProgramPlacement
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
    """신청 and 선정 (선정·협약·완료) per 추진분야, in the report's year and scope: the applications
    counted per program (from an index alone), added up by the area of the program's placement in
    the year (a program has at most one per year; programs without one are not counted)."""
    counts = application_counts_by_program(year=report.year, ministry=report.ministry)
    areas: dict[int, tuple[int, int]] = {}
    placements = ProgramPlacement.objects.filter(plan_year=report.year, program__in=list(counts))
    for program_id, area_id in placements.values_list("program_id", "task__area_id").order_by():
        applied, selected = areas.get(area_id, (0, 0))
        by_status = counts[program_id]
        areas[area_id] = (
            applied + sum(by_status.values()),
            selected + sum(by_status[status] for status in SELECTED_STATUSES),
        )
    return areas


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
