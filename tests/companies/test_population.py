import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from companies.choices import SalesBracket
from companies.management.commands.generate_companies import plan_allocation
from companies.models import Company, Industry, Region, SalesBracketFigure
from companies.synthetic import ODD_COMPANY_BRACKET, PLAN_TOTAL, largest_remainder, synthetic_brn
from programs.identifiers import brn_error

from . import plan_document

pytestmark = pytest.mark.django_db


def test_plan_tables_are_loaded_as_printed():
    total = plan_document.industry_table().total.firms
    assert sum(Industry.objects.values_list("plan_firms", flat=True)) == total
    assert sum(Region.objects.values_list("plan_firms", flat=True)) == total
    # The plan's size table sums to one less than its '전 체' row: kept as printed.
    size_total, size_rows = plan_document.size_table()
    assert size_total.firms == total
    assert sum(SalesBracketFigure.objects.values_list("plan_firms", flat=True)) == sum(r.firms for r in size_rows)
    assert sum(r.firms for r in size_rows) == total - 1
    assert Region.objects.get(name="경남권").aliases == "동남권"


def test_population_counts_equal_the_plans_tables_at_64061():
    allocation = plan_allocation(PLAN_TOTAL)
    assert {i.name: n for i, n in allocation.industries.items()} == dict(
        Industry.objects.values_list("name", "plan_firms")
    )
    assert {r.name: n for r, n in allocation.regions.items()} == dict(Region.objects.values_list("name", "plan_firms"))
    plan = dict(SalesBracketFigure.objects.values_list("bracket", "plan_firms"))
    expected = {**plan, ODD_COMPANY_BRACKET: plan[ODD_COMPANY_BRACKET] + 1}
    assert dict(allocation.brackets) == expected
    assert ODD_COMPANY_BRACKET == SalesBracket.UNDER_5


def test_smaller_population_is_proportional():
    allocation = plan_allocation(1000)
    assert sum(allocation.industries.values()) == sum(allocation.brackets.values()) == 1000
    assert allocation.regions[Region.objects.get(name="수도권")] == 580  # 58.0%
    assert largest_remainder({"a": 1, "b": 1, "c": 1}, 10) == {"a": 4, "b": 3, "c": 3}


def test_generated_companies_in_the_database_follow_the_allocation():
    call_command("generate_companies", "--count", 300, stdout=open("/dev/null", "w"))
    generated = Company.objects.filter(name__startswith="가상뿌리기업")
    assert generated.count() == 300
    allocation = plan_allocation(300)
    for bracket, count in allocation.brackets.items():
        assert generated.filter(sales_bracket=bracket).count() == count
    assert all(brn_error(brn) is None for brn in generated.values_list("brn", flat=True))
    assert brn_error(synthetic_brn(64_061)) is None


def test_generating_again_adds_the_next_companies_and_an_overlap_is_refused_in_words():
    quiet = open("/dev/null", "w")
    call_command("generate_companies", "--count", 50, "--applications", 0, stdout=quiet)
    call_command("generate_companies", "--count", 30, "--applications", 0, stdout=quiet)
    generated = Company.objects.filter(name__startswith="가상뿌리기업")
    assert generated.count() == 80
    assert set(generated.values_list("brn", flat=True)) == {synthetic_brn(serial) for serial in range(1, 81)}
    with pytest.raises(CommandError, match="이미 있는 사업자등록번호가 있습니다"):
        call_command("generate_companies", "--count", 10, "--start", 75, stdout=quiet)
    assert generated.count() == 80
