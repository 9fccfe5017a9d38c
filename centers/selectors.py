"""Reads of the support-institutions app used by the admin, exports and tests."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from centers.choices import CenterKind, CourseType, FigureIndicator, FigureSubject, InstitutionKind
from centers.models import (
    PlanTarget,
    ServiceRequest,
    ServiceType,
    SupportCenter,
    TrainingCourse,
    TrainingInstitution,
    TrainingOutcome,
)
from companies.models import Industry


def industries_label(obj) -> str:
    """지원 분야 as the plan writes it (6대 기반공정; 표면처리, 소성가공), else the 업종 as a list.

    Uses a prefetched `industries` when there is one."""
    printed = getattr(obj, "field_label", "")
    return printed or ", ".join(industry.name for industry in obj.industries.all())


def center_list_queryset(queryset: QuerySet | None = None) -> QuerySet:
    queryset = SupportCenter.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("province__region", "program")
        .prefetch_related(Prefetch("industries", queryset=Industry.objects.order_by("order")))
        .annotate(request_count=Count("service_requests", distinct=True))
    )


def regional_center_equipment_total() -> int:
    """구축장비수 of the 지역뿌리기술지원센터 (185종 in the plan's table)."""
    total = SupportCenter.objects.filter(kind=CenterKind.REGIONAL).aggregate(total=Sum("equipment_count"))
    return total["total"] or 0


def service_request_counts_by_type(*, center: SupportCenter) -> list[tuple[str, int]]:
    """Requests per service type: every type the center offers (0 included), then any other."""
    counts = dict(center.service_requests.values_list("service_type_id").annotate(count=Count("id")).order_by())
    offered = set(center.service_types.values_list("pk", flat=True))
    types = ServiceType.objects.filter(pk__in=offered | set(counts)).order_by("order")
    return [(service_type.name, counts.get(service_type.pk, 0)) for service_type in types]


def service_request_counts_by_industry(*, center: SupportCenter) -> list[tuple[str, int]]:
    """Requests per 업종 of the requesting companies, in the plan's 업종 order."""
    rows = (
        ServiceRequest.objects.filter(center=center)
        .values("company__industry__name", "company__industry__order")
        .annotate(count=Count("id"))
        .order_by("company__industry__order")
    )
    return [(row["company__industry__name"], row["count"]) for row in rows]


def center_offered_service_types(center_ids) -> dict[int, set[int]]:
    """{center id: {service type ids}} in one query, for imports checking many rows."""
    offered: dict[int, set[int]] = {center_id: set() for center_id in center_ids}
    through = SupportCenter.service_types.through
    for center_id, service_type_id in through.objects.filter(supportcenter_id__in=center_ids).values_list(
        "supportcenter_id", "servicetype_id"
    ):
        offered[center_id].add(service_type_id)
    return offered


def institution_list_queryset(queryset: QuerySet | None = None) -> QuerySet:
    queryset = TrainingInstitution.objects.all() if queryset is None else queryset
    return (
        queryset.select_related("province__region", "program")
        .prefetch_related(Prefetch("industries", queryset=Industry.objects.order_by("order")))
        .annotate(course_count=Count("courses", distinct=True))
    )


def institution_outcomes_by_year(*, institution: TrainingInstitution) -> QuerySet:
    return TrainingOutcome.objects.filter(institution=institution).order_by("year")


def workforce_targets() -> QuerySet:
    """'25 targets with the '24 actual they follow: 46 → 40개, 5,000 → 4,520명 ..."""
    return PlanTarget.objects.select_related("baseline", "baseline_start", "program").order_by("subject", "indicator")


def target_actuals(year: int) -> dict[tuple[str, str], int]:
    """This year's registered figures in the terms of each target (new designations, courses, trainees)."""
    courses = TrainingCourse.objects.filter(institution__kind=InstitutionKind.POLYTECH, year=year).aggregate(
        degree=Count("pk", filter=Q(course_type=CourseType.DEGREE)),
        non_degree=Count("pk", filter=Q(course_type=CourseType.NON_DEGREE)),
    )
    trainees = TrainingOutcome.objects.filter(institution__kind=InstitutionKind.POLYTECH, year=year).aggregate(
        total=Sum("trainees")
    )["total"]
    designated = TrainingInstitution.objects.filter(
        kind=InstitutionKind.FOREIGN_UNIVERSITY, designated_year=year
    ).count()
    return {
        (FigureSubject.FOREIGN_UNIVERSITY, FigureIndicator.NEW_DESIGNATIONS): designated,
        (FigureSubject.POLYTECH, FigureIndicator.DEGREE_COURSES): courses["degree"],
        (FigureSubject.POLYTECH, FigureIndicator.NON_DEGREE_COURSES): courses["non_degree"],
        (FigureSubject.POLYTECH, FigureIndicator.TRAINEES): trainees or 0,
    }


def services_by_regional_center(year: int) -> list[tuple[SupportCenter, dict[int, int]]]:
    """지역뿌리기술지원센터 in the plan's order with this year's requests per service type id."""
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for center_id, type_id, count in (
        ServiceRequest.objects.filter(requested_on__year=year, center__kind=CenterKind.REGIONAL)
        .values_list("center_id", "service_type_id")
        .annotate(count=Count("pk"))
        .order_by()
    ):
        counts[center_id][type_id] = count
    centers = SupportCenter.objects.filter(kind=CenterKind.REGIONAL).order_by("order", "name")
    return [(center, counts.get(center.pk, {})) for center in centers]
