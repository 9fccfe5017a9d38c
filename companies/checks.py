"""Every printed share and subtotal of the plan's 참고 「뿌리산업 현황」, recomputed from its own table.

The figures are kept exactly as printed (fixtures/companies/ → the plan-figure models); each check
below names its `Rule` and compares with the document's rounding (programs.checks). A new plan
document, once its tables are loaded, is checked by the same rules.
"""

from decimal import Decimal

from companies.choices import (
    GROWTH_STAGE_LOWER_BOUNDS,
    SALES_BRACKET_LOWER_BOUNDS,
    WORKFORCE_JOBS,
    SalesBracket,
    StatedMeasure,
    WorkforceColumn,
)
from companies.models import (
    GrowthStageProfile,
    IndustryGroup,
    IndustryStanding,
    PopulationTable,
    PopulationTotal,
    Region,
    SalesBracketFigure,
    StatedShare,
    WorkforceFigure,
)
from programs.checks import Finding, Printed, Rule, compare_same, compare_share, compare_sum

TRILLION = 10**12
TEN_THOUSAND = 10**4

STANDING = "참고 < 뿌리산업의 위상 >"
INDUSTRIES = "참고 < 뿌리산업 14대 업종별 현황 >"
WORKFORCE = "참고 < 직무별 종사자 수 >"
REGIONS = "참고 < 권역별 뿌리기업 분포 >"
SIZES = "참고 < 뿌리산업 규모별 현황 >"
PROSE = "참고 「뿌리산업 현황」 본문"
GROWTH_MENU = "IV-1-2 성장 메뉴판"

STANDING_SHARE = Rule(
    "위상 표 비중",
    STANDING,
    "제조업 내 비중(%) = 뿌리산업 ÷ 제조업 × 100을 소수 첫째 자리로 반올림(조원 값은 ±0.05조원의 반올림 폭 허용)",
)
STANDING_ROW = Rule(
    "위상 ↔ 업종별 표", f"{STANDING} ↔ 14대 업종별 현황", "위상 표의 뿌리산업 행 = 14대 업종별 현황의 뿌리산업 행"
)
GROUP_SUM = Rule(
    "업종별 표 소계",
    INDUSTRIES,
    "업종 그룹 행 = 소속 업종 행의 합, 뿌리산업 행 = 그룹 행의 합(사업체·종사자는 정확히, 조원 값은 행마다 ±0.05 허용)",
)
GROUP_PROSE = Rule(
    "업종 본문 비중",
    f"{PROSE} (업종)",
    "본문의 그룹 비중(%) = 그룹 사업체 수 ÷ 뿌리산업 사업체 수 × 100을 본문에 적힌 자릿수로 반올림",
)
WORKFORCE_SUM = Rule(
    "직무별 표 소계", WORKFORCE, "소계(A) = 직무 5개의 합, 계(A+B) = 소계(A) + 외국인(B) (종사자·부족인원 각각)"
)
WORKFORCE_RATE = Rule(
    "직무별 표 부족률", WORKFORCE, "부족률(%) = 부족인원 ÷ (종사자 + 부족인원) × 100을 소수 첫째 자리로 반올림(열마다)"
)
JOB_SHARE = Rule(
    "직무별 비중 각주",
    f"{PROSE} 각주 (직무별 비중)",
    "직무별 비중(%) = 직무 종사자 ÷ 계(A+B) 종사자 × 100을 소수 첫째 자리로 반올림",
)
FOREIGN_SHARE = Rule("외국인 비중 본문", f"{PROSE} (인력)", "외국인 비중(%) = 외국인(B) 종사자 ÷ 계(A+B) 종사자 × 100")
WORKFORCE_SAME = Rule(
    "직무별 표 ↔ 본문·업종별 표",
    f"{PROSE} ↔ 직무별 종사자 수",
    "본문의 '23년 부족률 = 표의 계(A+B) 부족률, 표의 계(A+B) 종사자 = 14대 업종별 현황의 종사자",
)
REGION_SUM = Rule("권역별 표 합계", REGIONS, "권역 사업체 수의 합 = 뿌리산업 사업체 수(14대 업종별 현황)")
REGION_SHARE = Rule(
    "권역 비중",
    REGIONS,
    "비중(%) = 권역 사업체 수 ÷ 뿌리산업 사업체 수 × 100을 표(소수 첫째 자리)·본문에 적힌 자릿수로 반올림",
)
SIZE_SUM = Rule(
    "규모별 표 합계", SIZES, "전 체 행 = 매출 규모 7개 구간의 합(사업체는 정확히, 만명·조원 값은 구간마다 ±0.05 허용)"
)
SIZE_SHARE = Rule(
    "규모별 표 비중", SIZES, "비중(%) = 구간 값 ÷ 전 체 값 × 100을 소수 첫째 자리로 반올림(만명·조원 값은 ±0.05 허용)"
)
SIZE_SAME = Rule(
    "규모별 ↔ 업종별 표",
    f"{SIZES} ↔ 14대 업종별 현황",
    "전 체 행 = 14대 업종별 현황의 뿌리산업 행(만명·조원 표기의 반올림 허용)",
)
SIZE_PROSE = Rule(
    "규모 본문 비중",
    f"{PROSE} (규모·추이)",
    "본문의 '23년 비중(%) = 해당 매출 구간의 합 ÷ 전 체 × 100(사업체는 개사, 매출액·수출액은 조원 값으로)",
)
GROWTH_SHARE = Rule(
    "성장 메뉴판 비중",
    f"{GROWTH_MENU} ↔ 규모별 현황",
    "단계 비중(%) = 단계의 매출 구간(돋움 10억 미만, 도약 10억~100억, 혁신 100억 이상) 사업체 수 ÷ 전 체 × 100",
)

MEASURES = (  # label, field of the plan-figure models, unit (won per printed unit), printed decimals
    ("사업체 수", "firms", 1, None),
    ("종사자 수", "workers", 1, None),
    ("매출액(조원)", "sales", TRILLION, 1),
    ("수출액(조원)", "exports", TRILLION, 1),
)


def _printed(amount: int, unit: int, places: int | None) -> Printed:
    return Printed(Decimal(amount) / unit, places)


def _industry_total() -> PopulationTotal:
    return PopulationTotal.objects.get(table=PopulationTable.INDUSTRY)


def standing_findings() -> list[Finding]:
    findings = []
    industry_total = _industry_total()
    for standing in IndustryStanding.objects.order_by("year"):
        shares = (
            standing.firm_share,
            standing.worker_share,
            standing.sales_share,
            standing.export_share,
        )
        for (label, field, unit, places), share in zip(MEASURES, shares, strict=True):
            root = _printed(getattr(standing, f"root_{field}"), unit, places)
            manufacturing = _printed(getattr(standing, f"manufacturing_{field}"), unit, places)
            findings.append(
                compare_share(STANDING_SHARE, f"제조업 내 비중 — {label}", Printed(share, 1), root, manufacturing)
            )
            other = _printed(getattr(industry_total, field), unit, places)
            findings.append(
                compare_same(STANDING_ROW, f"뿌리산업 {label}", root, other, labels=("위상 표", "14대 업종별 현황"))
            )
    return findings


def industry_findings() -> list[Finding]:
    findings = []
    groups = list(IndustryGroup.objects.prefetch_related("industries").order_by("order"))
    for group in groups:
        members = sorted(group.industries.all(), key=lambda industry: industry.order)
        for label, field, unit, places in MEASURES:
            findings.append(
                compare_sum(
                    GROUP_SUM,
                    f"{group.name} {label}",
                    _printed(getattr(group, f"plan_{field}"), unit, places),
                    [_printed(getattr(industry, f"plan_{field}"), unit, places) for industry in members],
                    label="그룹 행",
                )
            )
    total = _industry_total()
    for label, field, unit, places in MEASURES:
        findings.append(
            compare_sum(
                GROUP_SUM,
                f"뿌리산업 {label}",
                _printed(getattr(total, field), unit, places),
                [_printed(getattr(group, f"plan_{field}"), unit, places) for group in groups],
                label="뿌리산업 행",
            )
        )
    stated = {share.subject: share for share in StatedShare.objects.filter(measure=StatedMeasure.GROUP_FIRM_SHARE)}
    for group in groups:
        share = stated.get(group.name)
        if share:
            findings.append(
                compare_share(
                    GROUP_PROSE,
                    f"{group.name} 사업체 비중(본문)",
                    Printed(share.value, share.places),
                    Printed.of(group.plan_firms),
                    Printed.of(total.firms),
                    label="본문(%)",
                )
            )
    return findings


def workforce_findings() -> list[Finding]:
    columns = {figure.column: figure for figure in WorkforceFigure.objects.all()}
    if not columns:
        return []
    jobs = [columns[job] for job in WORKFORCE_JOBS]
    domestic, foreign, total = (
        columns[WorkforceColumn.DOMESTIC],
        columns[WorkforceColumn.FOREIGN],
        columns[WorkforceColumn.TOTAL],
    )
    findings = []
    for label, field in (("종사자", "workers"), ("부족인원", "shortage")):
        findings.append(
            compare_sum(
                WORKFORCE_SUM,
                f"내국인 {label} 소계(A)",
                Printed.of(getattr(domestic, field)),
                [Printed.of(getattr(job, field)) for job in jobs],
                label="소계(A)",
            )
        )
        findings.append(
            compare_sum(
                WORKFORCE_SUM,
                f"{label} 계(A+B)",
                Printed.of(getattr(total, field)),
                [Printed.of(getattr(domestic, field)), Printed.of(getattr(foreign, field))],
                label="계(A+B)",
            )
        )
    for column in [total, *jobs, domestic, foreign]:
        findings.append(
            compare_share(
                WORKFORCE_RATE,
                f"{column.get_column_display()} 부족률",
                Printed(column.shortage_rate, 1),
                Printed.of(column.shortage),
                Printed.of(column.workers + column.shortage),
            )
        )
    for job in jobs:
        if job.job_share is not None:
            findings.append(
                compare_share(
                    JOB_SHARE,
                    f"직무별 비중 — {job.get_column_display()}",
                    Printed(job.job_share, 1),
                    Printed.of(job.workers),
                    Printed.of(total.workers),
                    label="각주(%)",
                )
            )
    for share in StatedShare.objects.filter(measure=StatedMeasure.FOREIGN_SHARE).order_by("year"):
        findings.append(
            compare_share(
                FOREIGN_SHARE,
                f"외국인 종사자 비중('{share.year % 100:02d}, 본문)",
                Printed(share.value, share.places),
                Printed.of(foreign.workers),
                Printed.of(total.workers),
                label="본문(%)",
            )
        )
    for share in StatedShare.objects.filter(measure=StatedMeasure.SHORTAGE_RATE, year=2023):
        findings.append(
            compare_same(
                WORKFORCE_SAME,
                "'23년 종사자 부족률",
                Printed(share.value, share.places),
                Printed(total.shortage_rate, 1),
                labels=("본문(%)", "표 계(A+B)(%)"),
            )
        )
    findings.append(
        compare_same(
            WORKFORCE_SAME,
            "전체 종사자 수",
            Printed.of(total.workers),
            Printed.of(_industry_total().workers),
            labels=("직무별 표 계(A+B)", "14대 업종별 현황"),
        )
    )
    return findings


def region_findings() -> list[Finding]:
    regions = list(Region.objects.order_by("order"))
    total = Printed.of(_industry_total().firms)
    findings = [
        compare_sum(
            REGION_SUM,
            "권역 사업체 수 합계",
            total,
            [Printed.of(region.plan_firms) for region in regions],
            label="뿌리산업 사업체 수",
        )
    ]
    for region in regions:
        findings.append(
            compare_share(
                REGION_SHARE, f"{region.name} 비중", Printed(region.plan_share, 1), Printed.of(region.plan_firms), total
            )
        )
    stated = {share.subject: share for share in StatedShare.objects.filter(measure=StatedMeasure.REGION_FIRM_SHARE)}
    for region in regions:
        share = stated.get(region.name)
        if share:
            findings.append(
                compare_share(
                    REGION_SHARE,
                    f"{region.name} 비중(본문)",
                    Printed(share.value, share.places),
                    Printed.of(region.plan_firms),
                    total,
                    label="본문(%)",
                )
            )
    return findings


SIZE_MEASURES = (  # label, field suffix, won or persons per printed unit, printed decimals
    ("사업체", "firms", 1, None, "firm_share"),
    ("종사자(만명)", "workers", TEN_THOUSAND, 1, "worker_share"),
    ("매출액(조원)", "sales", TRILLION, 1, "sales_share"),
    ("수출액(조원)", "exports", TRILLION, 1, "export_share"),
)


def size_findings() -> list[Finding]:
    brackets = list(SalesBracketFigure.objects.order_by("bracket"))
    if not brackets:
        return []
    size_total = PopulationTotal.objects.get(table=PopulationTable.SIZE)
    industry_total = _industry_total()
    findings = []
    for label, field, unit, places, share_field in SIZE_MEASURES:
        whole = _printed(getattr(size_total, field), unit, places)
        findings.append(
            compare_sum(
                SIZE_SUM,
                f"전 체 {label}",
                whole,
                [_printed(getattr(bracket, f"plan_{field}"), unit, places) for bracket in brackets],
                label="전 체 행",
            )
        )
        for bracket in brackets:
            findings.append(
                compare_share(
                    SIZE_SHARE,
                    f"{bracket.get_bracket_display()} {label} 비중",
                    Printed(getattr(bracket, f"plan_{share_field}"), 1),
                    _printed(getattr(bracket, f"plan_{field}"), unit, places),
                    whole,
                )
            )
        findings.append(
            compare_same(
                SIZE_SAME,
                f"뿌리산업 {label}",
                whole,
                _printed(getattr(industry_total, field), unit, 1 if field in ("sales", "exports") else None),
                labels=("규모별 전 체", "14대 업종별 현황"),
            )
        )
    findings += size_prose_findings(brackets, size_total)
    return findings


LARGE = (SalesBracket.FROM_100_TO_300, SalesBracket.FROM_300_TO_1000, SalesBracket.OVER_1000)
SIZE_STATEMENTS = (  # measure stated in the text, brackets it covers, field it shares
    (StatedMeasure.SMALL_FIRM_SHARE, (SalesBracket.UNDER_5,), "firms", None),
    (StatedMeasure.LARGE_FIRM_SHARE, LARGE, "firms", None),
    (StatedMeasure.LARGE_FIRM_SALES_SHARE, LARGE, "sales", 1),
    (StatedMeasure.LARGE_FIRM_EXPORT_SHARE, LARGE, "exports", 1),
)


def size_prose_findings(brackets, size_total) -> list[Finding]:
    by_bracket = {figure.bracket: figure for figure in brackets}
    year = 2023  # the tables' year; earlier years of the series have no table to compare with
    findings = []
    for measure, covered, field, places in SIZE_STATEMENTS:
        unit = 1 if places is None else TRILLION
        for share in StatedShare.objects.filter(measure=measure, year=year):
            parts = [_printed(getattr(by_bracket[b], f"plan_{field}"), unit, places) for b in covered]
            findings.append(
                compare_share(
                    SIZE_PROSE,
                    f"{share.get_measure_display()}('{year % 100})",
                    Printed(share.value, share.places),
                    parts,
                    _printed(getattr(size_total, field), unit, places),
                    label="본문(%)",
                )
            )
    return findings


def growth_stage_findings() -> list[Finding]:
    """The 성장 메뉴판's shares (63.6 / 28.8 / 7.6%) against the size table's brackets."""
    brackets = dict(SalesBracketFigure.objects.values_list("bracket", "plan_firms"))
    if not brackets:
        return []
    whole = Printed.of(PopulationTotal.objects.get(table=PopulationTable.SIZE).firms)
    stage_bounds = sorted(GROWTH_STAGE_LOWER_BOUNDS.items(), key=lambda item: item[1])
    profiles = {profile.stage: profile for profile in GrowthStageProfile.objects.all()}
    findings = []
    for index, (stage, lower) in enumerate(stage_bounds):
        upper = stage_bounds[index + 1][1] if index + 1 < len(stage_bounds) else None
        parts = [
            Printed.of(count)
            for bracket, count in sorted(brackets.items())
            if SALES_BRACKET_LOWER_BOUNDS[bracket] >= lower
            and (upper is None or SALES_BRACKET_LOWER_BOUNDS[bracket] < upper)
        ]
        profile = profiles.get(stage)
        if profile:
            findings.append(
                compare_share(
                    GROWTH_SHARE,
                    f"성장 메뉴판 {profile.get_stage_display()} 비중",
                    Printed(profile.plan_share, 1),
                    parts,
                    whole,
                    label=f"메뉴판({profile.plan_firms_label})",
                )
            )
    return findings


def findings(*, year: int, ministry=None) -> list[Finding]:
    if ministry is not None:
        return []  # the plan's population tables are not any one ministry's
    return [
        *standing_findings(),
        *industry_findings(),
        *workforce_findings(),
        *region_findings(),
        *size_findings(),
        *growth_stage_findings(),
    ]
