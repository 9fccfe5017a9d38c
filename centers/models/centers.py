"""지원센터: regional root-technology support centers, DX and simulation centers, platforms."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from centers.choices import CenterKind, CenterStatus
from programs.audit import audit_trail
from programs.versioning import Versioned


class ServiceType(models.Model):
    """A service a center gives companies (시험분석, 기술지도, 시제품제작, 기술자문 ...)."""

    code = models.SlugField("코드", max_length=30, unique=True)
    name = models.CharField("서비스 유형", max_length=30, unique=True)
    order = models.PositiveSmallIntegerField("순서", unique=True)

    class Meta:
        verbose_name = "기술지원 서비스 유형"
        verbose_name_plural = "기술지원 서비스 유형"
        ordering = ["order"]

    def __str__(self):
        return self.name


class SupportCenter(Versioned):
    kind = models.CharField("종류", max_length=20, choices=CenterKind.choices)
    name = models.CharField("센터명", max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(
        "표시 순서", default=0, help_text="계획 문서의 표 순서(지역뿌리기술지원센터 구축현황)"
    )
    locality = models.CharField("지역", max_length=30, blank=True, help_text="예: 시흥, 원주, 구미")
    province = models.ForeignKey(
        "companies.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_centers",
        verbose_name="시·도",
    )
    site = models.CharField("센터 위치", max_length=100, blank=True, help_text="예: 시화반월공단")
    industries = models.ManyToManyField(
        "companies.Industry", blank=True, related_name="support_centers", verbose_name="지원 분야"
    )
    field_label = models.CharField(
        "지원 분야(계획 표기)",
        max_length=100,
        blank=True,
        help_text="계획 문서의 표에 적힌 그대로(예: 6대 기반공정, 표면처리, 소성가공). 화면·보고서의 표기",
    )
    field_note = models.CharField(
        "지원 분야 비고", max_length=200, blank=True, help_text="업종으로 나타낼 수 없는 공정(예: 절삭)"
    )
    equipment_count = models.PositiveSmallIntegerField("구축장비수(종)", null=True, blank=True)
    service_types = models.ManyToManyField(ServiceType, blank=True, related_name="centers", verbose_name="제공 서비스")
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="support_centers",
        verbose_name="관련 사업",
    )
    status = models.CharField("상태", max_length=20, choices=CenterStatus.choices, default=CenterStatus.OPERATING)
    opened_on = models.DateField("개소일", null=True, blank=True)
    description = models.TextField("내용", blank=True)
    created_at = models.DateTimeField("등록 일시", auto_now_add=True)
    updated_at = models.DateTimeField("수정 일시", auto_now=True)

    history = audit_trail("지원센터")

    class Meta:
        verbose_name = "지원센터"
        verbose_name_plural = "지원센터"
        ordering = ["kind", "order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=CenterKind.values), name="center_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=CenterStatus.values), name="center_status_valid"),
            models.CheckConstraint(
                condition=~Q(kind=CenterKind.REGIONAL) | Q(province__isnull=False),
                name="center_regional_has_province",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.kind == CenterKind.REGIONAL and self.province_id is None:
            raise ValidationError({"province": "지역뿌리기술지원센터는 시·도를 입력해야 합니다."})


class CenterEquipment(models.Model):
    """One item of equipment (장비) built at a center; optional detail behind 구축장비수."""

    center = models.ForeignKey(SupportCenter, on_delete=models.CASCADE, related_name="equipment", verbose_name="센터")
    name = models.CharField("장비명", max_length=100)
    quantity = models.PositiveSmallIntegerField("수량(대)", default=1)
    acquired_year = models.PositiveSmallIntegerField("구축연도", null=True, blank=True)
    memo = models.CharField("메모", max_length=200, blank=True)

    class Meta:
        verbose_name = "구축 장비"
        verbose_name_plural = "구축 장비"
        ordering = ["center", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["center", "name"],
                name="equipment_unique_name_in_center",
                violation_error_message="이 센터에는 같은 이름의 장비가 이미 있습니다.",
            ),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="equipment_quantity_positive"),
        ]

    def __str__(self):
        return f"{self.center} — {self.name}"
