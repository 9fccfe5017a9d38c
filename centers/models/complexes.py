"""뿌리산업 특화단지 and their 운영위원회 (operating committees) with meetings.

Until 2024 committees were run per 광역지자체 (10 committees, 12 meetings); from 2025 the plan moves
them to 권역 units. A committee therefore has a unit and either a 시·도 or a 권역, and a period.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from centers.choices import CommitteeUnit
from centers.validators import validate_plausible_year


class SpecializedComplex(models.Model):
    name = models.CharField("특화단지명", max_length=100, unique=True)
    locality = models.CharField("지역", max_length=30, blank=True)
    province = models.ForeignKey(
        "companies.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="specialized_complexes",
        verbose_name="시·도",
    )
    industries = models.ManyToManyField(
        "companies.Industry", blank=True, related_name="specialized_complexes", verbose_name="주력 업종"
    )
    designated_year = models.PositiveSmallIntegerField(
        "지정연도", null=True, blank=True, validators=[validate_plausible_year]
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="specialized_complexes",
        verbose_name="관련 사업",
    )
    description = models.TextField("내용", blank=True)

    class Meta:
        verbose_name = "특화단지"
        verbose_name_plural = "특화단지"
        ordering = ["name"]

    def __str__(self):
        return self.name


class OperatingCommittee(models.Model):
    name = models.CharField("운영위원회명", max_length=100, unique=True)
    unit = models.CharField("운영단위", max_length=20, choices=CommitteeUnit.choices)
    province = models.ForeignKey(
        "companies.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complex_committees",
        verbose_name="시·도(광역지자체 단위)",
    )
    region = models.ForeignKey(
        "companies.Region",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complex_committees",
        verbose_name="권역(권역 단위)",
    )
    start_year = models.PositiveSmallIntegerField("운영 시작연도", validators=[validate_plausible_year])
    end_year = models.PositiveSmallIntegerField("운영 종료연도", null=True, blank=True, help_text="비워 두면 운영 중")
    complexes = models.ManyToManyField(
        SpecializedComplex, blank=True, related_name="committees", verbose_name="참여 특화단지"
    )
    memo = models.TextField("메모", blank=True)

    class Meta:
        verbose_name = "특화단지 운영위원회"
        verbose_name_plural = "특화단지 운영위원회"
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(unit=CommitteeUnit.PROVINCE) & Q(province__isnull=False) & Q(region__isnull=True))
                | (Q(unit=CommitteeUnit.REGION) & Q(region__isnull=False) & Q(province__isnull=True)),
                name="committee_unit_matches_area",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="committee_period_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.unit == CommitteeUnit.PROVINCE and (self.province_id is None or self.region_id):
            raise ValidationError("광역지자체 단위 운영위원회는 시·도만 입력합니다(권역은 비워 둡니다).")
        if self.unit == CommitteeUnit.REGION and (self.region_id is None or self.province_id):
            raise ValidationError("권역 단위 운영위원회는 권역만 입력합니다(시·도는 비워 둡니다).")
        if self.end_year is not None and self.start_year and self.end_year < self.start_year:
            raise ValidationError({"end_year": "운영 종료연도는 시작연도보다 앞설 수 없습니다."})

    @property
    def area(self):
        """The 시·도 or 권역 the committee covers, whichever its unit uses."""
        return self.province if self.unit == CommitteeUnit.PROVINCE else self.region


class CommitteeMeeting(models.Model):
    committee = models.ForeignKey(
        OperatingCommittee, on_delete=models.CASCADE, related_name="meetings", verbose_name="운영위원회"
    )
    held_on = models.DateField("개최일")
    agenda = models.CharField("안건", max_length=300)
    attendees = models.PositiveSmallIntegerField("참석 인원(명)", null=True, blank=True)

    class Meta:
        verbose_name = "운영위원회 회의"
        verbose_name_plural = "운영위원회 회의"
        ordering = ["-held_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "held_on"],
                name="meeting_unique_committee_date",
                violation_error_message="이 운영위원회에는 같은 날짜의 회의가 이미 있습니다.",
            ),
        ]

    def __str__(self):
        return f"{self.committee} {self.held_on}"


class CommitteeDirection(models.Model):
    """A row of the plan's table < 뿌리산업 특화단지 운영위원회 추진 방향 >: 현행 against '25년~."""

    order = models.PositiveSmallIntegerField("순서", unique=True)
    aspect = models.CharField("구분", max_length=20, unique=True)
    current = models.CharField("현행", max_length=100)
    planned = models.CharField("'25년~", max_length=100)
    source = models.CharField("출처(계획 문서)", max_length=200)

    class Meta:
        verbose_name = "운영위원회 추진 방향(계획)"
        verbose_name_plural = "운영위원회 추진 방향(계획)"
        ordering = ["order"]

    def __str__(self):
        return self.aspect
