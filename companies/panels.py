"""What the companies app adds to the core's pages and reports (registered in CompaniesConfig.ready)."""

from django.core.paginator import Paginator
from django.db.models import Count, Q

from companies.choices import SELECTED_STATUSES
from companies.models import Application
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


DASHBOARD_PANEL = Panel("companies/panels/latest_applications.html", latest_applications)
PROGRAM_PANEL = Panel("companies/panels/program_applications.html", program_applications)
SUMMARY_FIGURE = AreaFigure(("신청", "선정"), applications_by_area)
