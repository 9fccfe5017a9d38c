"""Choice sets of the companies app."""

from django.db import models

EOK = 100_000_000  # 1억원 in won


class SalesBracket(models.IntegerChoices):
    """매출 규모: the 7 brackets of the plan's table 「뿌리산업 규모별 현황」."""

    UNDER_5 = 1, "5억 미만"
    FROM_5_TO_10 = 2, "5-10억 미만"
    FROM_10_TO_50 = 3, "10-50억 미만"
    FROM_50_TO_100 = 4, "50-100억 미만"
    FROM_100_TO_300 = 5, "100-300억 미만"
    FROM_300_TO_1000 = 6, "300-1,000억 미만"
    OVER_1000 = 7, "1,000억 이상"


# Lower bound (inclusive, in won) of each bracket; the next bracket's bound is the upper one.
SALES_BRACKET_LOWER_BOUNDS = {
    SalesBracket.UNDER_5: 0,
    SalesBracket.FROM_5_TO_10: 5 * EOK,
    SalesBracket.FROM_10_TO_50: 10 * EOK,
    SalesBracket.FROM_50_TO_100: 50 * EOK,
    SalesBracket.FROM_100_TO_300: 100 * EOK,
    SalesBracket.FROM_300_TO_1000: 300 * EOK,
    SalesBracket.OVER_1000: 1000 * EOK,
}


class GrowthStage(models.TextChoices):
    """성장단계 of the 성장 메뉴판 (the plan writes 돌음, a slip for 돋움)."""

    DODUM = "dodum", "돋움"
    DOYAK = "doyak", "도약"
    HYEOKSIN = "hyeoksin", "혁신"


# Lower bound (inclusive, in won) of each growth stage: 돋움 < 10억 ≤ 도약 < 100억 ≤ 혁신.
GROWTH_STAGE_LOWER_BOUNDS = {
    GrowthStage.DODUM: 0,
    GrowthStage.DOYAK: 10 * EOK,
    GrowthStage.HYEOKSIN: 100 * EOK,
}


class ApplicationStatus(models.TextChoices):
    RECEIVED = "received", "접수"
    REVIEWING = "reviewing", "검토"
    SELECTED = "selected", "선정"
    REJECTED = "rejected", "탈락"
    AGREED = "agreed", "협약"
    COMPLETED = "completed", "완료"
    CANCELLED = "cancelled", "취소"


# Allowed status transitions: 접수 → 검토 → 선정 | 탈락, 선정 → 협약 → 완료, 취소 from any open state.
APPLICATION_TRANSITIONS = {
    ApplicationStatus.RECEIVED: {ApplicationStatus.REVIEWING, ApplicationStatus.CANCELLED},
    ApplicationStatus.REVIEWING: {
        ApplicationStatus.SELECTED,
        ApplicationStatus.REJECTED,
        ApplicationStatus.CANCELLED,
    },
    ApplicationStatus.SELECTED: {ApplicationStatus.AGREED, ApplicationStatus.CANCELLED},
    ApplicationStatus.AGREED: {ApplicationStatus.COMPLETED, ApplicationStatus.CANCELLED},
    ApplicationStatus.REJECTED: set(),
    ApplicationStatus.COMPLETED: set(),
    ApplicationStatus.CANCELLED: set(),
}


# Statuses in which a company counts as selected for a program (선정 and what follows it).
SELECTED_STATUSES = (ApplicationStatus.SELECTED, ApplicationStatus.AGREED, ApplicationStatus.COMPLETED)

# 뿌리기업 확인서: valid for 3 years from issue; flagged when it expires within 90 days.
CERTIFICATE_VALIDITY_YEARS = 3
CERTIFICATE_WARNING_DAYS = 90


class CertificateStatus(models.TextChoices):
    VALID = "valid", "유효"
    EXPIRING = "expiring", "만료 임박(90일 이내)"
    EXPIRED = "expired", "만료"
    NONE = "none", "없음"


class WorkforceColumn(models.TextChoices):
    """Columns of the plan's table 「직무별 종사자 수」: five jobs of 내국인, their 소계(A), 외국인(B), 계."""

    RESEARCH = "research", "연구직"
    TECHNICAL = "technical", "기술직"
    SKILLED = "skilled", "기능직"
    LABOR = "labor", "노무직"
    OTHER = "other", "기타직"
    DOMESTIC = "domestic", "소계(A)"
    FOREIGN = "foreign", "외국인(B)"
    TOTAL = "total", "계(A+B)"


WORKFORCE_JOBS = (
    WorkforceColumn.RESEARCH,
    WorkforceColumn.TECHNICAL,
    WorkforceColumn.SKILLED,
    WorkforceColumn.LABOR,
    WorkforceColumn.OTHER,
)


class StatedMeasure(models.TextChoices):
    """Shares and rates the plan's 참고 「뿌리산업 현황」 states in its text and footnotes (%)."""

    AGEING_SHARE = "ageing_share", "50대 이상 중장년층 비중"
    SHORTAGE_RATE = "shortage_rate", "종사자 부족률"
    FOREIGN_SHARE = "foreign_share", "외국인 종사자 비중"
    GROUP_FIRM_SHARE = "group_firm_share", "업종 그룹 사업체 비중"
    REGION_FIRM_SHARE = "region_firm_share", "권역 사업체 비중"
    SMALL_FIRM_SHARE = "small_firm_share", "매출 5억원 미만 기업 비중"
    LARGE_FIRM_SHARE = "large_firm_share", "매출 100억원 이상 기업 비중"
    LARGE_FIRM_SALES_SHARE = "large_firm_sales_share", "매출 100억원 이상 기업의 매출액 비중"
    LARGE_FIRM_EXPORT_SHARE = "large_firm_export_share", "매출 100억원 이상 기업의 수출액 비중"
