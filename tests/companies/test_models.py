import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from companies.choices import EOK, ApplicationStatus, CertificateStatus, GrowthStage, SalesBracket
from companies.models import Company
from companies.services import (
    application_bulk_set_status,
    application_set_status,
    application_status_reachable,
)
from tests.companies.helpers import make_application, make_company, some_programs

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sales", "bracket", "stage"),
    [
        (0, SalesBracket.UNDER_5, GrowthStage.DODUM),
        (5 * EOK - 1, SalesBracket.UNDER_5, GrowthStage.DODUM),
        (5 * EOK, SalesBracket.FROM_5_TO_10, GrowthStage.DODUM),
        (10 * EOK - 1, SalesBracket.FROM_5_TO_10, GrowthStage.DODUM),
        (10 * EOK, SalesBracket.FROM_10_TO_50, GrowthStage.DOYAK),
        (50 * EOK, SalesBracket.FROM_50_TO_100, GrowthStage.DOYAK),
        (100 * EOK - 1, SalesBracket.FROM_50_TO_100, GrowthStage.DOYAK),
        (100 * EOK, SalesBracket.FROM_100_TO_300, GrowthStage.HYEOKSIN),
        (300 * EOK, SalesBracket.FROM_300_TO_1000, GrowthStage.HYEOKSIN),
        (1000 * EOK - 1, SalesBracket.FROM_300_TO_1000, GrowthStage.HYEOKSIN),
        (1000 * EOK, SalesBracket.OVER_1000, GrowthStage.HYEOKSIN),
    ],
)
def test_bracket_and_stage_boundaries_are_computed_by_the_database(sales, bracket, stage):
    company = make_company(sales_amount=sales)
    assert (company.sales_bracket, company.growth_stage) == (bracket, stage)
    assert Company.objects.filter(sales_bracket=bracket, growth_stage=stage, pk=company.pk).exists()


def test_company_without_sales_has_no_bracket_or_stage():
    company = make_company(sales_amount=None)
    assert company.sales_bracket is None and company.growth_stage is None


def test_database_refuses_unnormalised_brn_and_negative_sales():
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_company(brn="12345-6789")  # 10 characters, not 10 digits
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_company(sales_amount=-1)


def test_certificate_is_valid_three_years_and_warns_90_days_before():
    company = make_company(certificate_issued_on=datetime.date(2022, 6, 1))
    assert company.certificate_expires_on == datetime.date(2025, 5, 31)
    assert company.certificate_status(datetime.date(2025, 3, 1)) == CertificateStatus.VALID
    assert company.certificate_status(datetime.date(2025, 3, 2)) == CertificateStatus.EXPIRING
    assert company.certificate_status(datetime.date(2025, 5, 31)) == CertificateStatus.EXPIRING
    assert company.certificate_status(datetime.date(2025, 6, 1)) == CertificateStatus.EXPIRED
    assert make_company().certificate_status() == CertificateStatus.NONE


ALLOWED = [
    ("received", "reviewing"),
    ("reviewing", "selected"),
    ("reviewing", "rejected"),
    ("selected", "agreed"),
    ("agreed", "completed"),
    ("received", "cancelled"),
    ("agreed", "cancelled"),
]
REFUSED = [
    ("received", "selected"),
    ("rejected", "selected"),
    ("completed", "cancelled"),
    ("cancelled", "received"),
    ("selected", "reviewing"),
    ("reviewing", "completed"),
]


@pytest.mark.parametrize(("current", "new"), ALLOWED)
def test_allowed_status_transitions(current, new):
    application = make_application(make_company(), some_programs(1)[0], status=current)
    application_set_status(application=application, status=new)
    application.refresh_from_db()
    assert application.status == new


@pytest.mark.parametrize(("current", "new"), REFUSED)
def test_refused_status_transitions_change_nothing(current, new):
    application = make_application(make_company(), some_programs(1)[0], status=current)
    with pytest.raises(ValidationError):
        application_set_status(application=application, status=new)
    application.refresh_from_db()
    assert application.status == current


def test_selection_records_the_decision_date():
    application = make_application(make_company(), some_programs(1)[0], status="reviewing")
    application_set_status(application=application, status=ApplicationStatus.SELECTED)
    assert application.decided_on is not None


def test_bulk_status_change_applies_allowed_and_reports_refused():
    first, second = some_programs(2)
    company = make_company()
    ok = make_application(company, first, status="reviewing")
    refused = make_application(company, second, status="received")
    changed, refusals = application_bulk_set_status(
        applications=type(ok).objects.filter(pk__in=[ok.pk, refused.pk]), status="selected"
    )
    ok.refresh_from_db()
    refused.refresh_from_db()
    assert (changed, ok.status, refused.status) == (1, "selected", "received")
    assert [application.pk for application, _ in refusals] == [refused.pk]


def test_reachability_used_by_imports_only_goes_forward():
    assert application_status_reachable("received", "completed")
    assert not application_status_reachable("completed", "received")
    assert not application_status_reachable("rejected", "selected")
