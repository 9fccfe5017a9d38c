"""The admin index dashboard: budget and execution by area, schedule slips, and the apps' panels."""

from django import template
from django.utils import timezone

from programs import registry, selectors
from programs.formats import execution_rate
from programs.forms import ReportRequestForm
from programs.models.schedule import SCHEDULE_STATUSES
from programs.years import current_year, plan_years

register = template.Library()


@register.inclusion_tag("admin/programs/dashboard.html", takes_context=True)
def plan_dashboard(context):
    request = context["request"]
    year = current_year(request)
    today = timezone.localdate()
    areas, total = selectors.budget_table(year=year)
    scale = max([max(row.subtotal.current, row.subtotal.previous) for row in areas] + [1])
    bars = [
        {
            "area": row.area,
            "totals": row.subtotal,
            "previous_width": round(row.subtotal.previous * 100 / scale, 1),
            "budget_width": round(row.subtotal.current * 100 / scale, 1),
            "executed_width": round(min(row.subtotal.executed, scale) * 100 / scale, 1),
        }
        for row in areas
    ]
    return {
        "program_rates": _program_rates(areas),
        "schedule": _schedule_bars(selectors.schedule_status_by_area(year=year, today=today)),
        "schedule_statuses": SCHEDULE_STATUSES,
        "year": year,
        "years": plan_years(),
        "today": today,
        "bars": bars,
        "total": total,
        "behind": selectors.programs_behind_schedule(year=year, today=today),
        "due": selectors.milestones_due(today=today),
        "panels": registry.panel_contexts(registry.dashboard_panels, request=request, year=year),
        "report_form": ReportRequestForm(initial={"year": year}, request=request),
        "csrf_token": context.get("csrf_token"),
    }


def _program_rates(areas) -> list[dict]:
    """집행률 of every program of the budget table, as bars (100% is the full width)."""
    rates = []
    for row in areas:
        for program in row.programs:
            rate = execution_rate(program.executed, program.budget_current)
            rates.append(
                {
                    "program": program,
                    "rate": rate,
                    "width": float(min(rate, 100)) if rate is not None else 0,
                    "over": program.executed > (program.budget_current or 0),
                }
            )
    return rates


STATUS_CLASSES = ["done", "progress", "planned", "delayed", "overdue"]


def _schedule_bars(rows) -> list[dict]:
    """Milestones by area and schedule status, as stacked bars scaled on the largest area."""
    scale = max([row.total for row in rows] + [1])
    return [
        {
            "area": row.area,
            "total": row.total,
            "segments": [
                {"label": label, "count": count, "width": round(count * 100 / scale, 1), "css": css}
                for (label, count), css in zip(row.counts.items(), STATUS_CLASSES, strict=True)
            ],
        }
        for row in rows
    ]
