"""뿌리기업: applicant companies, with 매출 규모 and 성장단계 derived by the database."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from companies.choices import (
    CERTIFICATE_VALIDITY_YEARS,
    CERTIFICATE_WARNING_DAYS,
    GROWTH_STAGE_LOWER_BOUNDS,
    SALES_BRACKET_LOWER_BOUNDS,
    CertificateStatus,
    GrowthStage,
    SalesBracket,
)
from programs.audit import audit_trail
from programs.identifiers import format_brn, validate_brn, validate_corporate_number
from programs.money import MoneyField
from programs.versioning import Versioned, VersionedQuerySet

FOREIGN_WORKERS_ABOVE_EMPLOYEES = "외국인 종사자 수는 종사자 수보다 많을 수 없습니다."


def foreign_workers_exceed(employees: int | None, foreign_workers: int | None) -> bool:
    """The rule behind `company_foreign_workers_within_employees`, for forms and imports."""
    return employees is not None and foreign_workers is not None and foreign_workers > employees


class CompanyQuerySet(VersionedQuerySet):
    def with_application_count(self):
        """`application_count` per company, as a correlated subquery (no GROUP BY over all companies)."""
        from companies.models.applications import Application

        counts = (
            Application.objects.filter(company=OuterRef("pk"))
            .order_by()
            .values("company")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(application_count=Coalesce(Subquery(counts, output_field=IntegerField()), 0))


def _bracket_expression(bounds: dict, output_field):
    """CASE expression mapping sales_amount to the highest bracket whose lower bound it reaches."""
    whens = [
        When(sales_amount__gte=lower, then=Value(choice.value))
        for choice, lower in sorted(bounds.items(), key=lambda item: -item[1])
    ]
    return Case(*whens, default=None, output_field=output_field)


class Company(Versioned):
    brn = models.CharField(
        "사업자등록번호",
        max_length=10,
        unique=True,
        validators=[validate_brn],
        help_text="숫자 10자리, 123-45-67890 형식도 입력 가능",
    )
    corporate_number = models.CharField(
        "법인등록번호",
        max_length=13,
        blank=True,
        validators=[validate_corporate_number],
        help_text="법인만, 숫자 13자리",
    )
    # Indexed by company_name_idx (name, id) and company_industry_name_idx (industry, name): a
    # separate index on name (or on industry) would only slow every import's INSERT.
    name = models.CharField("업체명", max_length=100)
    representative = models.CharField("대표자", max_length=50, blank=True)
    address = models.CharField("주소", max_length=200, blank=True)
    province = models.ForeignKey(
        "companies.Province", on_delete=models.PROTECT, related_name="companies", verbose_name="시·도"
    )
    industry = models.ForeignKey(
        "companies.Industry", on_delete=models.PROTECT, related_name="companies", verbose_name="업종", db_index=False
    )
    founded_on = models.DateField("설립일", null=True, blank=True)
    employees = models.PositiveIntegerField("종사자 수", null=True, blank=True)
    foreign_workers = models.PositiveIntegerField("외국인 종사자 수", null=True, blank=True)
    sales_amount = MoneyField("매출액(원)", null=True, blank=True, validators=[MinValueValidator(0)])
    export_amount = MoneyField("수출액(원)", null=True, blank=True, validators=[MinValueValidator(0)])
    financial_year = models.PositiveSmallIntegerField("매출 기준연도", null=True, blank=True)
    has_rnd_capacity = models.BooleanField("R&D 역량 보유", default=False)
    is_myeongga = models.BooleanField("뿌리기업 명가", default=False)
    is_good_workplace = models.BooleanField("일하기 좋은 뿌리기업", default=False)
    is_tech_specialist = models.BooleanField("뿌리기술 전문기업", default=False)
    certificate_number = models.CharField("뿌리기업 확인서 번호", max_length=30, blank=True)
    certificate_issued_on = models.DateField("확인서 발급일", null=True, blank=True)
    contact_name = models.CharField("담당자", max_length=50, blank=True)
    contact_phone = models.CharField("연락처", max_length=30, blank=True)
    contact_email = models.EmailField("이메일", blank=True)
    memo = models.TextField("메모", blank=True)
    sales_bracket = models.GeneratedField(
        expression=_bracket_expression(SALES_BRACKET_LOWER_BOUNDS, models.PositiveSmallIntegerField()),
        output_field=models.PositiveSmallIntegerField(choices=SalesBracket.choices, null=True),
        db_persist=True,
        verbose_name="매출 규모",
    )
    growth_stage = models.GeneratedField(
        expression=_bracket_expression(GROWTH_STAGE_LOWER_BOUNDS, models.CharField(max_length=10)),
        output_field=models.CharField(max_length=10, choices=GrowthStage.choices, null=True),
        db_persist=True,
        verbose_name="성장단계",
    )
    created_at = models.DateTimeField("등록 일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    history = audit_trail("뿌리기업", excluded_fields=["sales_bracket", "growth_stage"])

    objects = CompanyQuerySet.as_manager()

    class Meta:
        verbose_name = "뿌리기업"
        verbose_name_plural = "뿌리기업"
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(brn__regex=r"^[0-9]{10}$"), name="company_brn_10_digits"),
            models.CheckConstraint(
                condition=Q(corporate_number="") | Q(corporate_number__regex=r"^[0-9]{13}$"),
                name="company_corporate_number_13_digits",
            ),
            models.CheckConstraint(
                condition=Q(sales_amount__isnull=True) | Q(sales_amount__gte=0),
                name="company_sales_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(export_amount__isnull=True) | Q(export_amount__gte=0),
                name="company_exports_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(employees__isnull=True)
                | Q(foreign_workers__isnull=True)
                | Q(foreign_workers__lte=F("employees")),
                name="company_foreign_workers_within_employees",
                violation_error_message=FOREIGN_WORKERS_ABOVE_EMPLOYEES,
            ),
        ]
        indexes = [
            models.Index(fields=["sales_bracket"], name="company_sales_bracket_idx"),
            models.Index(fields=["growth_stage"], name="company_growth_stage_idx"),
            models.Index(fields=["industry", "name"], name="company_industry_name_idx"),
            # The lists' order (업체명): a page is read in index order, and a filtered page (중복지원)
            # checks companies in that order until it has its rows instead of sorting every match.
            models.Index(fields=["name", "id"], name="company_name_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if foreign_workers_exceed(self.employees, self.foreign_workers):
            raise ValidationError({"foreign_workers": FOREIGN_WORKERS_ABOVE_EMPLOYEES})

    @property
    def brn_display(self) -> str:
        return format_brn(self.brn)

    @property
    def sales_bracket_label(self) -> str:
        # GeneratedField does not get get_FOO_display(); the labels come from the choices.
        return SalesBracket(self.sales_bracket).label if self.sales_bracket else ""

    @property
    def growth_stage_label(self) -> str:
        return GrowthStage(self.growth_stage).label if self.growth_stage else ""

    @property
    def certificate_expires_on(self) -> datetime.date | None:
        issued = self.certificate_issued_on
        if issued is None:
            return None
        try:
            expiry = issued.replace(year=issued.year + CERTIFICATE_VALIDITY_YEARS)
        except ValueError:  # issued on 29 February
            expiry = issued.replace(year=issued.year + CERTIFICATE_VALIDITY_YEARS, day=28)
        return expiry - datetime.timedelta(days=1)

    def certificate_status(self, today: datetime.date | None = None) -> CertificateStatus:
        expires = self.certificate_expires_on
        if expires is None:
            return CertificateStatus.NONE
        today = today or timezone.localdate()
        if expires < today:
            return CertificateStatus.EXPIRED
        if expires <= today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS):
            return CertificateStatus.EXPIRING
        return CertificateStatus.VALID
