"""What load_plan put in the companies app equals the plan's company tables, cell by cell.

Every expected figure is read from the document at its place (tests/companies/plan_document.py):
the row of its 업종, the column of its 권역, the row of its 매출 규모, the cell of its 직무.
"""

from decimal import Decimal

import pytest

from companies.choices import SalesBracket, WorkforceColumn
from companies.models import (
    GrowthStageProfile,
    Industry,
    IndustryGroup,
    PopulationTotal,
    Region,
    SalesBracketFigure,
    WorkforceFigure,
)
from companies.models.industry_status import PopulationTable
from companies.synthetic import PLAN_TOTAL

from . import plan_document

pytestmark = pytest.mark.django_db

TRILLION = 10**12
TEN_THOUSAND = 10**4


def as_printed(row) -> tuple:
    """A loaded 업종 or group row back in the table's units (개사, 명, 조원, 조원)."""
    return (
        row.name,
        row.plan_firms,
        row.plan_workers,
        Decimal(row.plan_sales) / TRILLION,
        Decimal(row.plan_exports) / TRILLION,
    )


def printed(row: plan_document.PopulationRow) -> tuple:
    return (row.name, row.firms, row.workers, row.sales_trillion, row.exports_trillion)


def test_industry_groups_and_industries_equal_the_14_industry_table_row_by_row():
    table = plan_document.industry_table()
    groups = list(IndustryGroup.objects.order_by("order"))
    assert [group.name for group in groups] == [row.name for row, _ in table.groups]
    for group, (group_row, industry_rows) in zip(groups, table.groups, strict=True):
        assert as_printed(group) == printed(group_row)
        industries = list(Industry.objects.filter(group=group).order_by("order"))
        assert [as_printed(industry) for industry in industries] == [printed(row) for row in industry_rows]
    assert Industry.objects.count() == sum(len(rows) for _, rows in table.groups) == 14


def test_the_total_row_equals_what_the_checks_and_the_generator_use():
    total = plan_document.industry_table().total
    assert plan_document.standing_table()["뿌리산업"] == total  # the 위상 table prints the same row
    loaded = PopulationTotal.objects.get(table=PopulationTable.INDUSTRY)
    assert (
        loaded.firms,
        loaded.workers,
        Decimal(loaded.sales) / TRILLION,
        Decimal(loaded.exports) / TRILLION,
    ) == (total.firms, total.workers, total.sales_trillion, total.exports_trillion)
    assert PLAN_TOTAL == total.firms


def test_regions_equal_the_region_table_column_by_column():
    table = plan_document.region_table()
    loaded = [(region.name, region.plan_firms, region.plan_share) for region in Region.objects.order_by("order")]
    assert loaded == [(column.name, column.firms, column.share) for column in table]


def test_size_brackets_equal_the_size_table_row_by_row():
    total, rows = plan_document.size_table()
    assert [row.label for row in rows] == SalesBracket.labels
    figures = {figure.bracket: figure for figure in SalesBracketFigure.objects.all()}
    assert len(figures) == len(rows)
    for (bracket, label), row in zip(SalesBracket.choices, rows, strict=True):
        figure = figures[bracket]
        assert (
            figure.plan_firms,
            figure.plan_firm_share,
            Decimal(figure.plan_workers) / TEN_THOUSAND,
            figure.plan_worker_share,
            Decimal(figure.plan_sales) / TRILLION,
            figure.plan_sales_share,
            Decimal(figure.plan_exports) / TRILLION,
            figure.plan_export_share,
        ) == (
            row.firms,
            row.firm_share,
            row.workers_10k,
            row.worker_share,
            row.sales_trillion,
            row.sales_share,
            row.exports_trillion,
            row.export_share,
        ), label
    assert total.firms == PopulationTotal.objects.get(table=PopulationTable.SIZE).firms


def test_growth_stages_equal_the_growth_menu_table_column_by_column():
    table = plan_document.growth_stage_table()
    profiles = list(GrowthStageProfile.objects.order_by("order").prefetch_related("matches"))
    assert len(profiles) == len(table) == 3
    for profile, column in zip(profiles, table, strict=True):
        # The plan prints 돌음, a slip for 돋움 (DOMAIN.md).
        assert f"{profile.get_stage_display()}뿌리기업" == column.name.replace("돌음", "돋움")
        assert (profile.sales_label, profile.plan_firms_label, profile.plan_share, profile.goal) == (
            column.sales_label,
            column.firms_label,
            column.share,
            column.goal,
        )
        assert profile.requires_rnd == ("R&D 역량 보유" in column.note)
        matches = [f"{m.label}({m.agency})" if m.agency else m.label for m in profile.matches.order_by("order")]
        assert matches == column.matches


def test_workforce_figures_behind_the_validation_sheet_equal_the_job_table():
    """The loaded 직무별 종사자 수 (behind the 검증 sheet) against the table's cells, column by column."""
    table = plan_document.workforce_table()
    loaded = {figure.column: figure for figure in WorkforceFigure.objects.filter(year=2023)}
    jobs = [WorkforceColumn(value) for value in ("research", "technical", "skilled", "labor", "other")]
    for key, label in (("workers", "종사자(명)"), ("shortage", "부족인원(명)"), ("shortage_rate", "부족률(%)")):
        row = table[label]
        assert [job.label for job in jobs] == list(row.by_job), label
        assert getattr(loaded[WorkforceColumn.TOTAL], key) == row.total, label
        assert [getattr(loaded[job], key) for job in jobs] == list(row.by_job.values()), label
        assert getattr(loaded[WorkforceColumn.DOMESTIC], key) == row.domestic_subtotal, label
        assert getattr(loaded[WorkforceColumn.FOREIGN], key) == row.foreign, label
