"""The committee workbook's 지원기관 sheet: centers and services delivered, 특화단지, training.

Called by programs.reports.committee; every block is one aggregate query (or a prefetch), so the
number of queries does not depend on the number of companies or requests.
"""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q, Sum

from centers.choices import CenterKind
from centers.models import (
    OperatingCommittee,
    PlanTarget,
    ServiceRequest,
    ServiceType,
    SpecializedComplex,
    SupportCenter,
    TrainingInstitution,
    TrainingOutcome,
)
from companies.models import Industry
from programs.reports.layout import Column

INDUSTRIES = Prefetch("industries", queryset=Industry.objects.order_by("order"))


def _industries(obj) -> str:
    return ", ".join(industry.name for industry in obj.industries.all()) or obj.field_note


def _requests_by_center_and_type(year: int) -> dict[int, dict[int, int]]:
    rows = (
        ServiceRequest.objects.filter(requested_on__year=year)
        .values_list("center_id", "service_type_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    for center_id, type_id, count in rows:
        counts[center_id][type_id] = count
    return counts


def center_columns(report, types) -> list[Column]:
    return [
        Column("종류", "text", 22),
        Column("센터명", "text", 30),
        Column("지역", "text", 8),
        Column("권역", "text", 8),
        Column("지원 분야", "text", 30),
        Column("구축장비수(종)", "count", 10),
        Column("센터 위치", "text", 18),
        Column("상태", "text", 8),
        *[Column(f"{service_type.name}(건)", "count", 10) for service_type in types],
        Column(f"{report.year}년 지원 합계(건)", "count", 12),
    ]


def centers_block(report, writer, types) -> None:
    """Rows under the sheet's first header: every center with services delivered by type."""
    columns = writer.columns
    counts = _requests_by_center_and_type(report.year)
    centers = SupportCenter.objects.select_related("province__region").prefetch_related(INDUSTRIES)
    if report.ministry:
        centers = centers.filter(program__ministry=report.ministry)
    regional_equipment = 0
    for center in centers.order_by("kind", "order", "name"):
        by_type = counts.get(center.pk, {})
        region = center.province.region.name if center.province else ""
        writer.row(
            [
                center.get_kind_display(),
                center.name,
                center.locality,
                region,
                _industries(center),
                center.equipment_count,
                center.site,
                center.get_status_display(),
                *[by_type.get(service_type.pk, 0) for service_type in types],
                sum(by_type.values()),
            ],
            columns=columns,
        )
        if center.kind == CenterKind.REGIONAL:
            regional_equipment += center.equipment_count or 0
    writer.row(
        [
            "지역뿌리기술지원센터 합계",
            "",
            "",
            "",
            "",
            regional_equipment,
            "",
            "",
            *[None for _ in types],
            None,
        ],
        style="subtotal",
        columns=columns,
    )


def complexes_block(report, writer) -> None:
    columns = [
        Column("특화단지", "text", 30),
        Column("지역", "text", 8),
        Column("권역", "text", 8),
        Column("주요 업종", "text", 30),
        Column("운영위원회", "count", 10),
        Column(f"{report.year}년 회의(회)", "count", 10),
    ]
    writer.blank()
    writer.header(columns)
    complexes = (
        SpecializedComplex.objects.select_related("province__region")
        .prefetch_related(INDUSTRIES)
        .annotate(
            committee_count=Count("committees", distinct=True),
            meeting_count=Count(
                "committees__meetings",
                filter=Q(committees__meetings__held_on__year=report.year),
                distinct=True,
            ),
        )
    )
    for complex_ in complexes.order_by("name"):
        region = complex_.province.region.name if complex_.province else ""
        writer.row(
            [
                complex_.name,
                complex_.locality,
                region,
                _industries(complex_),
                complex_.committee_count,
                complex_.meeting_count,
            ],
            columns=columns,
        )
    committees = OperatingCommittee.objects.values("unit").annotate(count=Count("pk")).order_by("unit")
    for row in committees:
        label = dict(OperatingCommittee._meta.get_field("unit").choices)[row["unit"]]
        writer.row([f"운영위원회({label})", "", "", "", row["count"], None], columns=columns)


def institutions_block(report, writer) -> None:
    columns = [
        Column("종류", "text", 22),
        Column("기관명", "text", 30),
        Column("지역", "text", 8),
        Column("상태", "text", 8),
        Column("과정 수", "count", 8),
        Column(f"{report.year}년 양성(명)", "count", 10),
        Column("졸업·수료(명)", "count", 10),
        Column("뿌리기업 취업(명)", "count", 10),
        Column("비자 전환(명)", "count", 10),
    ]
    writer.blank()
    writer.header(columns)
    outcomes = {
        row["institution_id"]: row
        for row in TrainingOutcome.objects.filter(year=report.year)
        .values("institution_id")
        .annotate(trainees=Sum("trainees"), graduates=Sum("graduates"), hired=Sum("hired"), visa=Sum("visa_changes"))
        .order_by()
    }
    institutions = TrainingInstitution.objects.annotate(
        course_count=Count("courses", filter=Q(courses__year=report.year))
    )
    if report.ministry:
        institutions = institutions.filter(program__ministry=report.ministry)
    for institution in institutions.order_by("kind", "name"):
        outcome = outcomes.get(institution.pk, {})
        writer.row(
            [
                institution.get_kind_display(),
                institution.name,
                institution.locality,
                institution.get_status_display(),
                institution.course_count,
                outcome.get("trainees"),
                outcome.get("graduates"),
                outcome.get("hired"),
                outcome.get("visa"),
            ],
            columns=columns,
        )


def targets_block(report, writer) -> None:
    columns = [
        Column("대상", "text", 22),
        Column("지표", "text", 20),
        Column("전년 실적", "count", 10),
        Column("목표", "count", 10),
        Column("단위", "text", 6),
        Column("비고", "text", 30),
    ]
    writer.blank()
    writer.header(columns)
    for target in PlanTarget.objects.select_related("baseline").order_by("subject", "indicator"):
        baseline = int(target.baseline.value) if target.baseline else None
        writer.row(
            [
                target.get_subject_display(),
                target.get_indicator_display(),
                baseline,
                target.value,
                target.unit,
                "이상" if target.is_lower_bound else "",
            ],
            columns=columns,
        )


def committee_sheets(report) -> None:
    types = list(ServiceType.objects.order_by("order"))
    writer = report.new_sheet(
        "지원기관", f"{report.year}년 지원기관 현황", center_columns(report, types), unit="건·명·종"
    )
    centers_block(report, writer, types)
    complexes_block(report, writer)
    institutions_block(report, writer)
    targets_block(report, writer)
    writer.finish()
