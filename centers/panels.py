"""What the centers app adds to the admin dashboard (registered in CentersConfig.ready)."""

from decimal import Decimal

from centers import selectors
from centers.models import ServiceType
from programs.formats import round_half_up
from programs.registry import Panel


def _percent(value, whole) -> Decimal | None:
    if value is None or not whole:
        return None
    return round_half_up(Decimal(value) * 100 / whole, 1)


def targets_and_services(*, request, year: int) -> dict:
    """Training targets against last year's and this year's registered figures (목표 = 100%), and the
    regional centers' services by type."""
    actuals = selectors.target_actuals(year)
    targets = []
    for target in selectors.workforce_targets().filter(year=year):
        actual = actuals.get((target.subject, target.indicator))
        previous = _percent(target.baseline_value, target.value)
        current = _percent(actual, target.value)
        targets.append(
            {
                "target": target,
                "actual": actual,
                "previous_rate": previous,
                "current_rate": current,
                "previous_width": float(min(previous or 0, 150)) / 1.5,
                "current_width": float(min(current or 0, 150)) / 1.5,
            }
        )
    centers = selectors.services_by_regional_center(year)
    scale = max([sum(counts.values()) for _, counts in centers] + [1])
    types = list(ServiceType.objects.order_by("order"))
    return {
        "year": year,
        "targets": targets,
        "types": [(service_type.name, f"t{index}") for index, service_type in enumerate(types)],
        "centers": [
            {
                "center": center,
                "total": sum(counts.values()),
                "segments": [
                    {
                        "label": service_type.name,
                        "count": counts.get(service_type.pk, 0),
                        "width": round(counts.get(service_type.pk, 0) * 100 / scale, 1),
                        "css": f"t{index}",
                    }
                    for index, service_type in enumerate(types)
                ],
            }
            for center, counts in centers
        ],
    }


DASHBOARD_PANEL = Panel("centers/panels/targets.html", targets_and_services)
