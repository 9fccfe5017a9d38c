"""인력양성기관: universities and institutions training the workforce, their courses and outcomes."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from centers.choices import CourseType, InstitutionKind, InstitutionStatus
from centers.validators import validate_plausible_year
from programs.audit import audit_trail
from programs.versioning import Versioned


class TrainingInstitution(Versioned):
    kind = models.CharField("종류", max_length=30, choices=InstitutionKind.choices)
    name = models.CharField("기관명", max_length=100, unique=True)
    locality = models.CharField("지역", max_length=30, blank=True)
    province = models.ForeignKey(
        "companies.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_institutions",
        verbose_name="시·도",
    )
    designated_year = models.PositiveSmallIntegerField(
        "지정연도", null=True, blank=True, validators=[validate_plausible_year]
    )
    status = models.CharField(
        "상태", max_length=20, choices=InstitutionStatus.choices, default=InstitutionStatus.DESIGNATED
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_institutions",
        verbose_name="관련 사업",
    )
    industries = models.ManyToManyField(
        "companies.Industry", blank=True, related_name="training_institutions", verbose_name="분야"
    )
    field_note = models.CharField("분야 비고", max_length=200, blank=True)
    description = models.TextField("내용", blank=True)
    created_at = models.DateTimeField("등록 일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    history = audit_trail("인력양성기관")

    class Meta:
        verbose_name = "인력양성기관"
        verbose_name_plural = "인력양성기관"
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=InstitutionKind.values), name="institution_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=InstitutionStatus.values), name="institution_status_valid"),
            models.CheckConstraint(
                condition=Q(designated_year__isnull=True)
                | (Q(designated_year__gte=1990) & Q(designated_year__lte=2100)),
                name="institution_designated_year_plausible",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def trains_foreign_students(self) -> bool:
        return self.kind == InstitutionKind.FOREIGN_UNIVERSITY


class TrainingCourse(Versioned):
    institution = models.ForeignKey(
        TrainingInstitution, on_delete=models.CASCADE, related_name="courses", verbose_name="기관"
    )
    year = models.PositiveSmallIntegerField("연도", validators=[validate_plausible_year])
    name = models.CharField("과정명", max_length=150)
    course_type = models.CharField("과정 구분", max_length=20, choices=CourseType.choices)
    industry = models.ForeignKey(
        "companies.Industry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="training_courses",
        verbose_name="분야",
    )
    capacity = models.PositiveIntegerField("정원(명)", null=True, blank=True)

    history = audit_trail("교육과정")

    class Meta:
        verbose_name = "교육과정"
        verbose_name_plural = "교육과정"
        ordering = ["institution", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year", "name"],
                name="course_unique_name_in_year",
                violation_error_message="이 기관에는 같은 연도에 같은 이름의 교육과정이 이미 있습니다.",
            ),
            models.CheckConstraint(condition=Q(course_type__in=CourseType.values), name="course_type_valid"),
            models.CheckConstraint(condition=Q(year__gte=1990) & Q(year__lte=2100), name="course_year_plausible"),
        ]

    def __str__(self):
        return f"{self.institution} {self.year} {self.name}"


class TrainingOutcome(Versioned):
    """연도별 양성 실적 of one institution."""

    institution = models.ForeignKey(
        TrainingInstitution, on_delete=models.CASCADE, related_name="outcomes", verbose_name="기관"
    )
    year = models.PositiveSmallIntegerField("연도", validators=[validate_plausible_year])
    trainees = models.PositiveIntegerField("양성 인원(명)", null=True, blank=True)
    graduates = models.PositiveIntegerField("졸업·수료(명)", null=True, blank=True)
    hired = models.PositiveIntegerField("뿌리기업 취업(명)", null=True, blank=True)
    visa_changes = models.PositiveIntegerField(
        "비자 전환 D-2→E-7-4(명)",
        null=True,
        blank=True,
        help_text="외국인 기술인력 양성대학만: 유학(D-2)에서 숙련기능(E-7-4)으로 전환한 졸업생",
    )

    history = audit_trail("연도별 양성 실적")

    class Meta:
        verbose_name = "연도별 양성 실적"
        verbose_name_plural = "연도별 양성 실적"
        ordering = ["institution", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution", "year"],
                name="outcome_unique_year",
                violation_error_message="이 기관의 같은 연도 양성 실적이 이미 있습니다.",
            ),
            models.CheckConstraint(condition=Q(year__gte=1990) & Q(year__lte=2100), name="outcome_year_plausible"),
            models.CheckConstraint(
                condition=Q(hired__isnull=True) | Q(graduates__isnull=True) | Q(hired__lte=F("graduates")),
                name="outcome_hired_within_graduates",
            ),
            models.CheckConstraint(
                condition=Q(visa_changes__isnull=True) | Q(hired__isnull=True) | Q(visa_changes__lte=F("hired")),
                name="outcome_visa_changes_within_hired",
            ),
        ]

    def __str__(self):
        return f"{self.institution} {self.year}년"

    def clean(self):
        errors = {}
        if self.hired is not None and self.graduates is not None and self.hired > self.graduates:
            errors["hired"] = "뿌리기업 취업 인원은 졸업·수료 인원보다 많을 수 없습니다."
        if self.visa_changes is not None:
            if self.institution_id and not self.institution.trains_foreign_students:
                errors["visa_changes"] = "비자 전환 인원은 외국인 기술인력 양성대학만 입력합니다."
            elif self.hired is not None and self.visa_changes > self.hired:
                errors["visa_changes"] = "비자 전환 인원은 뿌리기업 취업 인원보다 많을 수 없습니다."
        if errors:
            raise ValidationError(errors)
