"""The admin index dashboard: budget and execution by area, schedule slips, and the apps' panels."""

from django import template
from django.utils import timezone

from programs import registry, selectors
from programs.forms import ReportRequestForm
from programs.years import current_year, plan_years

register = template.Library()


@register.inclusion_tag("admin/programs/dashboard.html", takes_context=True)
def plan_dashboard(context):
    request = context["request"]
    year = current_year(request)
    today = timezone.localdate()
    areas, total = selectors.budget_table(year=year)
    scale = max([row.subtotal.current for row in areas] + [1])
    bars = [
        {
            "area": row.area,
            "totals": row.subtotal,
            "budget_width": round(row.subtotal.current * 100 / scale, 1),
            "executed_width": round(min(row.subtotal.executed, scale) * 100 / scale, 1),
        }
        for row in areas
    ]
    return {
        "year": year,
        "years": plan_years(),
        "today": today,
        "bars": bars,
        "total": total,
        "behind": selectors.programs_behind_schedule(year=year, today=today),
        "due": selectors.milestones_due(today=today),
        "panels": registry.panel_contexts(registry.dashboard_panels, request=request, year=year),
        "report_form": ReportRequestForm(initial={"year": year}),
        "csrf_token": context.get("csrf_token"),
    }
