"""Which plan year a page, report or import is about.

`settings.PLAN_YEAR` is gone: the year is data (`PlanYear`). The current year is the one the
request picks — a `year` query parameter or the `<year>` of a `/plan/<year>/...` address — else
the newest confirmed plan year (else the newest plan year at all, for a system still drafting
its first plan).
"""

from django.http import Http404

from programs.models import PlanYear, PlanYearStatus


def held_years(request=None) -> list[tuple[int, str, str]]:
    """(year, status, label) of every plan year, newest first; read once per request."""
    cached = getattr(request, "_plan_years", None)
    if cached is not None:
        return cached
    years = [(p.year, p.status, str(p)) for p in PlanYear.objects.order_by("-year")]
    if request is not None:
        request._plan_years = years
    return years


def newest_year(request=None) -> int | None:
    years = held_years(request)
    confirmed = [year for year, status, _ in years if status != PlanYearStatus.DRAFT]
    return (confirmed or [year for year, _, _ in years] or [None])[0]


def requested_year(request) -> int | None:
    """The year the request names, if it names one the system holds.

    An address with a year in its path (`/plan/2027/`) for a year the system does not hold is
    404, not another year's page under that address; an unknown `?year=` is ignored (lists use
    `year` for their rows' own year too)."""
    if request is None:
        return None
    match = getattr(request, "resolver_match", None)
    path_year = match.kwargs.get("year") if match else None
    raw = request.GET.get("year") or path_year
    try:
        year = int(raw)
    except (TypeError, ValueError):
        return None
    if any(year == held for held, _, _ in held_years(request)):
        return year
    if path_year is not None and str(path_year) == str(raw):
        raise Http404(f"{year}년 실행계획이 없습니다.")
    return None


def current_year(request=None) -> int:
    """The year the request picks, else the newest confirmed plan year (read once per request)."""
    cached = getattr(request, "_plan_year", None)
    if cached is not None:
        return cached
    year = requested_year(request) or newest_year(request)
    if year is None:
        raise PlanYear.DoesNotExist("실행계획 연도가 없습니다. load_plan을 먼저 실행하세요.")
    if request is not None:
        request._plan_year = year
    return year


def plan_years(request=None) -> list[int]:
    """Every plan year the system holds, newest first."""
    return [year for year, _, _ in held_years(request)]


def year_choices(request=None) -> list[tuple[int, str]]:
    """(year, '2025년 실행계획(확정)') for every held plan year: the choices of every year selector."""
    return [(year, label) for year, _, label in held_years(request)]
