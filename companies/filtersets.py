"""Filters of the companies app: admin list filters and the django-filter FilterSets behind them.

The application criteria (사업, 상태, 연도) filter companies through ONE subquery so that
"selected for program X in 2025" means one application matching all three, not three different ones.
"""

import datetime

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from companies.choices import (
    CERTIFICATE_VALIDITY_YEARS,
    CERTIFICATE_WARNING_DAYS,
    SELECTED_STATUSES,
    ApplicationStatus,
    CertificateStatus,
)
from companies.models import Application
from companies.selectors import duplicate_selection_company_ids, duplicate_selection_exists
from companies.validators import brn_search_digits
from programs.models import Program

APPLICATION_PARAMETERS = ("app_program", "app_status", "app_year")


def company_search_q(term: str, prefix: str = "") -> Q:
    """업체명 contains the term, or 사업자등록번호 contains its digits (typed with or without dashes)."""
    condition = Q(**{f"{prefix}name__icontains": term})
    digits = brn_search_digits(term)
    if digits:
        condition |= Q(**{f"{prefix}brn__contains": digits})
    return condition


class ApplicationCriterionFilter(admin.SimpleListFilter):
    """Base of the three application filters on the company list; the first one present applies all."""

    def queryset(self, request, queryset):
        present = [name for name in APPLICATION_PARAMETERS if request.GET.get(name)]
        if not present or present[0] != self.parameter_name:
            return queryset
        criteria = {}
        if request.GET.get("app_program", "").isdigit():
            criteria["program_id"] = int(request.GET["app_program"])
        if request.GET.get("app_status") in ApplicationStatus.values:
            criteria["status"] = request.GET["app_status"]
        if request.GET.get("app_year", "").isdigit():
            criteria["year"] = int(request.GET["app_year"])
        return queryset.filter(pk__in=Application.objects.filter(**criteria).values("company_id"))


class AppliedProgramFilter(ApplicationCriterionFilter):
    title = "신청 사업"
    parameter_name = "app_program"

    def lookups(self, request, model_admin):
        return [(str(pk), name) for pk, name in Program.objects.in_plan_order().values_list("pk", "name")]


class ApplicationStatusFilter(ApplicationCriterionFilter):
    title = "신청 상태"
    parameter_name = "app_status"

    def lookups(self, request, model_admin):
        return ApplicationStatus.choices


class ApplicationYearFilter(ApplicationCriterionFilter):
    title = "신청 연도"
    parameter_name = "app_year"

    def lookups(self, request, model_admin):
        years = Application.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), f"{year}년") for year in years]


class CompanyDuplicateSelectionFilter(admin.SimpleListFilter):
    title = "중복지원"
    parameter_name = "duplicate"

    def lookups(self, request, model_admin):
        return [("yes", "같은 해 2개 이상 사업 선정")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(pk__in=duplicate_selection_company_ids())
        return queryset


class ApplicationDuplicateSelectionFilter(CompanyDuplicateSelectionFilter):
    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(Q(status__in=SELECTED_STATUSES) & duplicate_selection_exists())
        return queryset


def certificate_bounds(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Issue dates: issued on/before the first has expired; after the second is still valid long."""

    def years_back(date, years):
        try:
            return date.replace(year=date.year - years)
        except ValueError:
            return date.replace(year=date.year - years, day=28)

    expired_if_issued_before = years_back(today, CERTIFICATE_VALIDITY_YEARS) + datetime.timedelta(days=1)
    warning_day = today + datetime.timedelta(days=CERTIFICATE_WARNING_DAYS)
    valid_if_issued_after = years_back(warning_day, CERTIFICATE_VALIDITY_YEARS) + datetime.timedelta(days=1)
    return expired_if_issued_before, valid_if_issued_after


class CertificateStatusFilter(admin.SimpleListFilter):
    title = "뿌리기업 확인서"
    parameter_name = "certificate"

    def lookups(self, request, model_admin):
        return CertificateStatus.choices

    def queryset(self, request, queryset):
        expired_before, valid_after = certificate_bounds(timezone.localdate())
        value = self.value()
        if value == CertificateStatus.NONE:
            return queryset.filter(certificate_issued_on__isnull=True)
        if value == CertificateStatus.EXPIRED:
            return queryset.filter(certificate_issued_on__lt=expired_before)
        if value == CertificateStatus.EXPIRING:
            return queryset.filter(certificate_issued_on__gte=expired_before, certificate_issued_on__lt=valid_after)
        if value == CertificateStatus.VALID:
            return queryset.filter(certificate_issued_on__gte=valid_after)
        return queryset
