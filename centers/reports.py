"""The committee workbook's 지원기관 sheet: centers and services, 특화단지·운영위원회, training.

Tables, each with its own caption and header (printed on its own page when it does not fit):
1. 지역뿌리기술지원센터 — the plan's 참고 table in its order and wording, with the services given
   this year by type;
2. the other centers of section IV (DX, 시뮬레이션, 실증 플랫폼);
3. 특화단지, the 운영위원회 추진 방향 table of IV-3 (현행 → '25년~) and the committees registered
   against the 2024 실적 of section II;
4. 인력양성기관 and the 2025 targets beside last year's 실적 and this year's registered figures,
   each in the target's own terms (new designations against new designations).

Every block is one aggregate query (or a prefetch), so the number of queries does not depend on
the number of companies or requests.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, Sum

from centers import selectors
from centers.choices import CenterKind, CommitteeUnit
from centers.models import (
    CommitteeDirection,
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
from programs.formats import round_half_up
from programs.models import Achievement
from programs.reports.layout import COUNT_FORMAT, Column, Row, bar_chart

INDUSTRIES = Prefetch("industries", queryset=Industry.objects.order_by("order"))


def _fields(obj) -> str:
    """지원 분야 as the plan writes it; centers entered by staff fall back to their 업종."""
    return getattr(obj, "field_label", "") or ", ".join(i.name for i in obj.industries.all()) or obj.field_note


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


def _centers(report):
    centers = SupportCenter.objects.select_related("province__region").prefetch_related(INDUSTRIES)
    if report.ministry:
        centers = centers.filter(program__ministry=report.ministry)
    return centers


def regional_centers_table(report, writer, types, counts):
    centers = list(_centers(report).filter(kind=CenterKind.REGIONAL).order_by("order", "name"))
    if not centers:
        return None
    rows = []
    for center in centers:
        by_type = counts.get(center.pk, {})
        rows.append(
            [
                center.locality,
                _fields(center),
                center.equipment_count,
                center.site,
                *[by_type.get(service_type.pk, 0) for service_type in types],
                sum(by_type.values()),
            ]
        )
    totals = [sum(row[index] or 0 for row in rows) for index in range(4, 5 + len(types))]
    rows.append(
        Row(
            [f"계 {len(centers)}곳", "", sum(c.equipment_count or 0 for c in centers), "", *totals],
            "total",
        )
    )
    return writer.table(
        f"지역뿌리기술지원센터 구축현황과 {report.year}년 기술지원 (지원 건수)",
        [
            Column("지역", "center"),
            Column("지원 분야"),
            Column("구축장비수(종)", "count"),
            Column("센터 위치"),
            *[Column(f"{service_type.name}(건)", "count") for service_type in types],
            Column("합계(건)", "count"),
        ],
        rows,
        note=(
            "지역·지원 분야·구축장비수·센터 위치는 실행계획 참고 표 그대로, "
            "지원 건수는 등록된 기술지원 신청(신청일 기준)."
        ),
    )


def other_centers_table(report, writer, types, counts) -> None:
    centers = list(_centers(report).exclude(kind=CenterKind.REGIONAL).order_by("kind", "order", "name"))
    if not centers:
        return
    rows = []
    for center in centers:
        by_type = counts.get(center.pk, {})
        name = f"{center.name} ({center.get_status_display()})"
        rows.append(
            [
                name,
                center.equipment_count,
                _fields(center),
                *[by_type.get(service_type.pk, 0) for service_type in types],
                sum(by_type.values()),
            ]
        )
    writer.table(
        "IV장의 그 밖의 지원센터·플랫폼",
        [
            Column("센터(상태)", span=2),
            Column("구축장비수(종)", "count"),
            Column("지원 분야"),
            *[Column(f"{service_type.name}(건)", "count") for service_type in types],
            Column("합계(건)", "count"),
        ],
        rows,
    )


def complexes_table(report, writer) -> None:
    complexes = (
        SpecializedComplex.objects.select_related("province__region")
        .prefetch_related(INDUSTRIES)
        .annotate(
            committee_count=Count("committees", distinct=True),
            meeting_count=Count(
                "committees__meetings", filter=Q(committees__meetings__held_on__year=report.year), distinct=True
            ),
        )
        .order_by("name")
    )
    rows = [
        [
            complex_.name,
            complex_.locality,
            complex_.province.region.name if complex_.province else "",
            _fields(complex_),
            complex_.committee_count,
            complex_.meeting_count,
        ]
        for complex_ in complexes
    ]
    if rows:
        writer.table(
            "뿌리산업 특화단지 (계획 문서가 이름을 적은 단지와 등록된 단지)",
            [
                Column("특화단지", span=2),
                Column("지역", "center"),
                Column("권역", "center"),
                Column("주요 업종", span=3),
                Column("운영위원회", "count"),
                Column(f"{report.year}년 회의(회)", "count"),
            ],
            rows,
        )


def committee_tables(report, writer) -> None:
    directions = list(CommitteeDirection.objects.order_by("order"))
    if directions:
        writer.table(
            "뿌리산업 특화단지 운영위원회 추진 방향 (IV-3 표)",
            [Column("구분", "center"), Column("현행", span=3), Column("'25년~", span=5)],
            [[direction.aspect, direction.current, direction.planned] for direction in directions],
        )
    previous = report.year - 1
    actual = {
        achievement.indicator: achievement
        for achievement in Achievement.objects.filter(year=previous, indicator__startswith="특화단지운영위원회")
    }
    registered = {
        row["unit"]: row
        for row in OperatingCommittee.objects.values("unit")
        .annotate(
            committees=Count("pk", distinct=True),
            meetings_previous=Count("meetings", filter=Q(meetings__held_on__year=previous), distinct=True),
            meetings_current=Count("meetings", filter=Q(meetings__held_on__year=report.year), distinct=True),
        )
        .order_by()
    }
    rows = []
    for unit, label in CommitteeUnit.choices:
        row = registered.get(unit, {})
        is_province = unit == CommitteeUnit.PROVINCE
        planned_committees = actual.get("특화단지운영위원회 구성") if is_province else None
        planned_meetings = actual.get("특화단지운영위원회 운영") if is_province else None
        rows.append(
            [
                label,
                int(planned_committees.value) if planned_committees else None,
                int(planned_meetings.value) if planned_meetings else None,
                row.get("committees", 0),
                row.get("meetings_previous", 0),
                row.get("meetings_current", 0),
                "II장 실적(광역지자체 중심)" if is_province else "IV-3: '25년~ 권역 단위",
            ]
        )
    writer.table(
        f"특화단지 운영위원회: '{previous % 100}년 실적(II장) 대 등록",
        [
            Column("운영단위", span=2),
            Column(f"'{previous % 100}년 실적 위원회(개)", "count"),
            Column(f"'{previous % 100}년 실적 회의(회)", "count"),
            Column("등록 위원회(개)", "count"),
            Column(f"등록 '{previous % 100}년 회의(회)", "count"),
            Column(f"등록 '{report.year % 100}년 회의(회)", "count"),
            Column("비고", span=2),
        ],
        rows,
    )


def institutions_table(report, writer) -> None:
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
    rows = []
    for institution in institutions.order_by("kind", "name"):
        outcome = outcomes.get(institution.pk, {})
        rows.append(
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
            ]
        )
    if rows:
        writer.table(
            f"인력양성기관과 {report.year}년 양성 실적 (계획 문서가 이름을 적은 기관과 등록된 기관)",
            [
                Column("종류"),
                Column("기관명"),
                Column("지역", "center"),
                Column("상태", "center"),
                Column("과정 수", "count"),
                Column("양성(명)", "count"),
                Column("졸업·수료(명)", "count"),
                Column("뿌리기업 취업(명)", "count"),
                Column("비자 전환(명)", "count"),
            ],
            rows,
        )


def targets_table(report, writer):
    targets = list(
        PlanTarget.objects.filter(year=report.year)
        .select_related("baseline", "baseline_start")
        .order_by("subject", "indicator")
    )
    if not targets:
        return None
    actuals = selectors.target_actuals(report.year)
    rows = []
    for target in targets:
        actual = actuals.get((target.subject, target.indicator))
        rows.append(
            [
                target.get_subject_display(),
                target.get_indicator_display(),
                target.baseline_value,
                _baseline_note(target),
                target.value,
                actual,
                _percent(target.baseline_value, target.value),
                _percent(actual, target.value),
                target.unit + (" 이상" if target.is_lower_bound else ""),
            ]
        )
    return writer.table(
        f"인력양성 목표 ('{report.year % 100}년)와 실적: 같은 지표끼리",
        [
            Column("대상"),
            Column("지표"),
            Column(f"'{(report.year - 1) % 100}년 실적", "count"),
            Column("전년 실적의 근거"),
            Column(f"'{report.year % 100}년 목표", "count"),
            Column("등록 실적", "count"),
            Column("전년/목표(%)", "rate"),
            Column("등록/목표(%)", "rate"),
            Column("단위", "center"),
        ],
        rows,
        note=(
            "신규 지정 목표는 전년의 신규 지정 수와 비교합니다(누적 지정 수가 아님). 등록 실적: 올해 지정된 "
            "외국인 기술인력 양성대학 수, 폴리텍 캠퍼스의 올해 학위·비학위 과정 수와 양성 인원."
        ),
    )


def _percent(value, whole):
    if value is None or not whole:
        return None
    return float(round_half_up(Decimal(value) * 100 / whole, 1))


def _baseline_note(target: PlanTarget) -> str:
    if target.baseline_start is None:
        return ""
    start, end = target.baseline_start, target.baseline
    return f"'{start.year % 100}년 {int(start.value)}{start.unit}→'{end.year % 100}년 {int(end.value)}{end.unit}"


def _charts(writer, report, anchor, centers, targets, types) -> None:
    half = round(writer.chart_width_cm / 2 - 0.2, 1)
    if centers is not None:
        chart = bar_chart(
            "지역뿌리기술지원센터별 기술지원 (단위: 건)",
            y_title="지원(건)",
            stacked=True,
            width=half if targets is not None else writer.chart_width_cm,
            height=8.0,
        )
        for index in range(4, 4 + len(types)):
            chart.series.append(centers.series(index, rows=centers.rows[:-1]))  # without the 계 row
        chart.y_axis.numFmt = COUNT_FORMAT
        writer.sheet.add_chart(chart, anchor)
    if targets is not None:
        chart = bar_chart(
            "인력양성 목표 대비 실적 (목표 = 100%)",
            y_title="목표 대비(%)",
            width=half if centers is not None else writer.chart_width_cm,
            height=8.0,
            labels=True,
            number_format="0.0",
        )
        for index, name in ((6, f"'{(report.year - 1) % 100}년 실적"), (7, f"'{report.year % 100}년 등록 실적")):
            chart.series.append(targets.series(index, name=name, categories=1))
        column = "F" if centers is not None else "A"
        writer.sheet.add_chart(chart, f"{column}{anchor[1:]}")


def committee_sheets(report) -> None:
    types = list(ServiceType.objects.order_by("order"))
    # 지역, 지원 분야, 구축장비수, 센터 위치, one column per service type, 합계; at least 9 for the other tables
    grid = [16, 26, 11, 18, *(10 for _ in types), 10]
    grid += [10] * max(0, 9 - len(grid))
    writer = report.new_sheet("지원기관", f"{report.year}년 지원기관 현황", grid, unit="건·명·개")
    anchor = writer.reserve(8.0)
    counts = _requests_by_center_and_type(report.year)
    centers = regional_centers_table(report, writer, types, counts)
    other_centers_table(report, writer, types, counts)
    complexes_table(report, writer)
    committee_tables(report, writer)
    institutions_table(report, writer)
    targets = targets_table(report, writer)
    _charts(writer, report, anchor, centers, targets, types)
    writer.finish()
