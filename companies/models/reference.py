"""Reference data from the plan: 업종 groups and industries, 권역 and 시·도, with 2023 figures."""

from django.db import models

from programs.money import MoneyField


class IndustryGroup(models.Model):
    order = models.PositiveSmallIntegerField("순서", unique=True)
    name = models.CharField("업종 그룹", max_length=30, unique=True)
    plan_firms = models.PositiveIntegerField("사업체 수(2023, 개사)")
    plan_workers = models.PositiveIntegerField("종사자 수(2023, 명)")
    plan_sales = MoneyField("매출액(2023, 원)", input_unit="million")
    plan_exports = MoneyField("수출액(2023, 원)", input_unit="million")

    class Meta:
        verbose_name = "업종 그룹"
        verbose_name_plural = "업종 그룹"
        ordering = ["order"]

    def __str__(self):
        return self.name


class Industry(models.Model):
    group = models.ForeignKey(
        IndustryGroup, on_delete=models.PROTECT, related_name="industries", verbose_name="업종 그룹"
    )
    order = models.PositiveSmallIntegerField("순서", unique=True)
    name = models.CharField("업종", max_length=30, unique=True)
    aliases = models.CharField(
        "다른 표기", max_length=100, blank=True, help_text="쉼표로 구분, 가져오기에서 인정하는 표기"
    )
    plan_firms = models.PositiveIntegerField("사업체 수(2023, 개사)")
    plan_workers = models.PositiveIntegerField("종사자 수(2023, 명)")
    plan_sales = MoneyField("매출액(2023, 원)", input_unit="million")
    plan_exports = MoneyField("수출액(2023, 원)", input_unit="million")

    class Meta:
        verbose_name = "업종"
        verbose_name_plural = "업종"
        ordering = ["order"]

    def __str__(self):
        return self.name


class Region(models.Model):
    order = models.PositiveSmallIntegerField("순서", unique=True)
    name = models.CharField("권역", max_length=20, unique=True)
    aliases = models.CharField("다른 표기", max_length=100, blank=True, help_text="쉼표로 구분, 예: 동남권(경남권)")
    plan_firms = models.PositiveIntegerField("사업체 수(개)")
    plan_share = models.DecimalField("비중(%)", max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = "권역"
        verbose_name_plural = "권역"
        ordering = ["order"]

    def __str__(self):
        return self.name


class Province(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces", verbose_name="권역")
    order = models.PositiveSmallIntegerField("순서", unique=True)
    name = models.CharField("시·도", max_length=20, unique=True)
    short_name = models.CharField("약칭", max_length=10, unique=True)
    aliases = models.CharField("다른 표기", max_length=100, blank=True)

    class Meta:
        verbose_name = "시·도"
        verbose_name_plural = "시·도"
        ordering = ["order"]

    def __str__(self):
        return self.name
