"""Where the plan's own company figures disagree with each other (for the 검증 sheet).

The figures are kept exactly as printed (fixtures/companies/ and the plan-figure models); these
checks only show the differences a committee member would find by adding the tables up.
"""

import json
from decimal import Decimal

from django.conf import settings
from django.db.models import Sum

from companies.choices import GROWTH_STAGE_LOWER_BOUNDS, SALES_BRACKET_LOWER_BOUNDS
from companies.models import GrowthStageProfile, Industry, IndustryGroup, Region, SalesBracketFigure
from programs.checks import PLAN, Finding
from programs.formats import round_half_up


def plan_fixture(name: str) -> dict:
    with open(settings.BASE_DIR / "fixtures" / "companies" / name, encoding="utf-8") as handle:
        return json.load(handle)


def workforce_table() -> dict:
    return plan_fixture("workforce.json")


def plan_totals() -> dict:
    """The 뿌리산업 row of 「14대 업종별 현황」: firms, workers, sales and exports ('23)."""
    return plan_fixture("industries.json")["total"]


PLAN_TOTAL_FIRMS = 64_061  # checked against fixtures/companies/industries.json by the tests


def _finding(subject, expected_label, expected, actual_label, actual, explanation):
    return Finding(PLAN, subject, expected_label, expected, actual_label, actual, explanation)


def size_table_findings() -> list[Finding]:
    total = SalesBracketFigure.objects.aggregate(total=Sum("plan_firms"))["total"] or 0
    if total == PLAN_TOTAL_FIRMS:
        return []
    return [
        _finding(
            "규모별 현황 사업체 수 합계",
            "전체(표의 '전 체' 행)",
            PLAN_TOTAL_FIRMS,
            "매출 규모 7개 구간의 합",
            total,
            "규모별 현황 표의 구간별 사업체 수를 더하면 '전 체'와 다릅니다(표 그대로 둠).",
        )
    ]


def industry_table_findings() -> list[Finding]:
    findings = []
    for group in IndustryGroup.objects.order_by("order"):
        sums = Industry.objects.filter(group=group).aggregate(
            firms=Sum("plan_firms"), workers=Sum("plan_workers"), sales=Sum("plan_sales"), exports=Sum("plan_exports")
        )
        for label, field, unit in (
            ("사업체 수", "firms", 1),
            ("종사자 수", "workers", 1),
            ("매출액(조원)", "sales", 10**12),
            ("수출액(조원)", "exports", 10**12),
        ):
            printed, summed = getattr(group, f"plan_{field}"), sums[field] or 0
            if printed != summed:
                findings.append(
                    _finding(
                        f"14대 업종별 현황 {group.name} {label}",
                        "그룹 행(표에 인쇄)",
                        Decimal(printed) / unit,
                        "소속 업종의 합",
                        Decimal(summed) / unit,
                        "업종별 값을 더하면 그룹 행과 다릅니다(반올림 또는 표의 불일치).",
                    )
                )
    return findings


def group_total_findings() -> list[Finding]:
    """The three groups' rows against the 뿌리산업 total row of the same table."""
    totals = plan_totals()
    sums = IndustryGroup.objects.aggregate(
        firms=Sum("plan_firms"), workers=Sum("plan_workers"), sales=Sum("plan_sales"), exports=Sum("plan_exports")
    )
    printed = {
        "firms": Decimal(totals["firms"]),
        "workers": Decimal(totals["workers"]),
        "sales": Decimal(totals["sales_trillion"]),
        "exports": Decimal(totals["exports_trillion"]),
    }
    labels = {
        "firms": ("사업체 수", 1),
        "workers": ("종사자 수", 1),
        "sales": ("매출액(조원)", 10**12),
        "exports": ("수출액(조원)", 10**12),
    }
    findings = []
    for field, (label, unit) in labels.items():
        summed = Decimal(sums[field] or 0) / unit
        if summed != printed[field]:
            findings.append(
                _finding(
                    f"14대 업종별 현황 뿌리산업 {label}",
                    "뿌리산업 행(표에 인쇄)",
                    printed[field],
                    "업종 그룹 3개의 합",
                    summed,
                    "업종 그룹의 합이 뿌리산업 전체 행과 다릅니다.",
                )
            )
    return findings


def region_table_findings() -> list[Finding]:
    shares = round_half_up(Region.objects.aggregate(total=Sum("plan_share"))["total"] or Decimal(0), 1)
    firms = Region.objects.aggregate(total=Sum("plan_firms"))["total"] or 0
    findings = []
    if firms != PLAN_TOTAL_FIRMS:
        findings.append(
            _finding(
                "권역별 분포 사업체 수 합계",
                "전체",
                PLAN_TOTAL_FIRMS,
                "권역의 합",
                firms,
                "권역별 사업체 수의 합이 전체와 다릅니다.",
            )
        )
    if shares != 100:
        findings.append(
            _finding(
                "권역별 분포 비중 합계",
                "100%",
                Decimal(100),
                "권역 비중(%)의 합",
                shares,
                "비중을 소수 첫째 자리로 반올림해 합이 100이 아닙니다.",
            )
        )
    return findings


def workforce_findings() -> list[Finding]:
    table = workforce_table()
    findings = []
    for key, label in (("workers", "종사자"), ("shortage", "부족인원")):
        row = table[key]
        summed = sum(row["domestic"])
        if summed != row["domestic_subtotal"]:
            findings.append(
                _finding(
                    f"직무별 종사자 수 — 내국인 {label} 소계",
                    "소계(A)(표에 인쇄)",
                    row["domestic_subtotal"],
                    "직무 5개(연구·기술·기능·노무·기타직)의 합",
                    summed,
                    "직무별 값을 더하면 소계(A)와 다릅니다(표 그대로 둠).",
                )
            )
        if row["domestic_subtotal"] + row["foreign"] != row["total"]:
            findings.append(
                _finding(
                    f"직무별 종사자 수 — {label} 계",
                    "계(A+B)",
                    row["total"],
                    "소계(A)+외국인(B)",
                    row["domestic_subtotal"] + row["foreign"],
                    "계(A+B)가 소계와 외국인의 합과 다릅니다.",
                )
            )
    return findings


def growth_stage_findings() -> list[Finding]:
    """The 성장 메뉴판's shares (63.6 / 28.8 / 7.6%) against the size table's brackets."""
    brackets = dict(SalesBracketFigure.objects.values_list("bracket", "plan_firms"))
    stage_bounds = sorted(GROWTH_STAGE_LOWER_BOUNDS.items(), key=lambda item: item[1])
    findings = []
    for index, (stage, lower) in enumerate(stage_bounds):
        upper = stage_bounds[index + 1][1] if index + 1 < len(stage_bounds) else None
        firms = sum(
            count
            for bracket, count in brackets.items()
            if SALES_BRACKET_LOWER_BOUNDS[bracket] >= lower
            and (upper is None or SALES_BRACKET_LOWER_BOUNDS[bracket] < upper)
        )
        share = round_half_up(Decimal(firms) * 100 / PLAN_TOTAL_FIRMS, 1)
        profile = GrowthStageProfile.objects.filter(stage=stage).first()
        if profile and profile.plan_share != share:
            findings.append(
                _finding(
                    f"성장 메뉴판 {profile.get_stage_display()} 비중",
                    f"성장 메뉴판 표기({profile.plan_firms_label})",
                    profile.plan_share,
                    f"규모별 현황으로 계산({firms:,}개사)",
                    share,
                    "성장 메뉴판의 단계별 비중이 규모별 현황 표로 계산한 비중과 다릅니다.",
                )
            )
    return findings


def findings(*, year: int, ministry=None) -> list[Finding]:
    if ministry is not None:
        return []  # the plan's population tables are not any one ministry's
    return [
        *size_table_findings(),
        *industry_table_findings(),
        *group_total_findings(),
        *region_table_findings(),
        *workforce_findings(),
        *growth_stage_findings(),
    ]
