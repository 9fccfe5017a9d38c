"""신청: a company's application to one program in one year."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from companies.choices import SELECTED_STATUSES, ApplicationStatus
from programs.audit import audit_trail
from programs.models.plan import year_problem
from programs.money import MoneyField
from programs.versioning import Versioned


class Application(Versioned):
    # No index of their own: company leads the unique (company, program, year) index and
    # application_company_year_idx, program leads application_prog_year_idx; one more index each
    # would only slow every import's INSERT (200,000 applications).
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="뿌리기업",
        db_index=False,
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name="사업",
        db_index=False,
    )
    year = models.PositiveSmallIntegerField("연도")
    status = models.CharField(
        "상태", max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.RECEIVED
    )
    requested_amount = MoneyField("신청액(원)", null=True, blank=True, validators=[MinValueValidator(0)])
    granted_amount = MoneyField("지원액(원)", null=True, blank=True, validators=[MinValueValidator(0)])
    applied_on = models.DateField("신청일", null=True, blank=True)
    decided_on = models.DateField("선정·탈락 결정일", null=True, blank=True)
    memo = models.TextField("메모", blank=True)
    created_at = models.DateTimeField("등록 일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    history = audit_trail("사업 신청")

    class Meta:
        verbose_name = "사업 신청"
        verbose_name_plural = "사업 신청"
        ordering = ["-year", "program", "company"]
        constraints = [
            models.UniqueConstraint(
                fields=["company", "program", "year"],
                name="application_unique_company_program_year",
                violation_error_message="이 기업은 같은 연도에 이 사업을 이미 신청했습니다.",
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gte=0),
                name="application_requested_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True) | Q(granted_amount__gte=0),
                name="application_granted_non_negative",
            ),
            models.CheckConstraint(condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"),
        ]
        indexes = [
            models.Index(fields=["program", "year", "status"], name="application_prog_year_idx"),
            models.Index(fields=["year", "status", "company"], name="application_year_status_idx"),
            # 중복지원 ("selected for another program in the same year"): a seek per (company, year).
            models.Index(fields=["company", "year", "status", "program"], name="application_company_year_idx"),
            # The application list's default order, read in index order instead of sorting every row;
            # with the status, the counts of a year per program (committee report, dashboard) are read
            # from this index alone.
            models.Index(F("year").desc(), "program", "company", "status", name="application_year_prog_co_idx"),
            # 중복지원 filters group or join the selected applications only: read from this index alone
            # (a third of the rows, no sort), not from the table.
            models.Index(
                fields=["company", "year", "program"],
                condition=Q(status__in=SELECTED_STATUSES),
                name="application_selected_idx",
            ),
            # The dashboard's latest applications of a year: the first ten entries of this index.
            models.Index("year", F("created_at").desc(), F("id").desc(), name="application_recent_idx"),
        ]

    def __str__(self):
        return f"{self.company} — {self.program} ({self.year})"

    def clean(self):
        if problem := year_problem(self.program_id, self.year):
            raise ValidationError({"year": problem})
