"""The plan's company tables (참고: 업종, 직무, 권역, 규모; IV-1-2: 성장 메뉴판), read cell by cell from the document.

Each function returns a table as printed (counts as ints, one-decimal figures as Decimals), so
tests compare the database and the committee workbook with the document at the figure's place.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from tests.programs.plan_document import count, decimal, table_after, table_lines

INDUSTRY_CAPTION = "< 뿌리산업 14대 업종별 현황 >"
WORKFORCE_CAPTION = "< 직무별 종사자 수 >"
REGION_CAPTION = "< 권역별 뿌리기업 분포 >"
SIZE_CAPTION = "< 뿌리산업 규모별 현황 >"
STANDING_CAPTION = "< 뿌리산업의 위상 >"
GROWTH_CAPTION = "< 뿌리기업 성장단계별 경영목표 및 매칭 지원사업 >"
SIZE_UNITS = ("(개사)", "비중(%)", "(만명)", "비중(%)", "(조원)", "비중(%)", "(조원)", "비중(%)")


@dataclass(frozen=True)
class PopulationRow:
    name: str
    firms: int
    workers: int
    sales_trillion: Decimal
    exports_trillion: Decimal


@dataclass(frozen=True)
class IndustryTable:
    total: PopulationRow  # the 뿌리산업 row
    groups: list[tuple[PopulationRow, list[PopulationRow]]]  # each bold group row with its industries


def _population_row(cells: list[str]) -> PopulationRow:
    name, firms, workers, sales, exports = cells
    return PopulationRow(name, count(firms), count(workers), decimal(sales), decimal(exports))


def industry_table() -> IndustryTable:
    """「뿌리산업 14대 업종별 현황」: the 뿌리산업 row, then each group row (bold) followed by its industries."""
    header, *lines = table_after(INDUSTRY_CAPTION)
    assert header == ["구분", "사업체 (개사)", "종사자 (명)", "매출액 (조원)", "수출액 (조원)"]
    bold = {match.group(1) for line in table_lines(INDUSTRY_CAPTION) if (match := re.match(r"<b>([^<]+)</b>\t", line))}
    total, groups = None, []
    for cells in lines:
        row = _population_row(cells)
        if row.name == "뿌리산업":
            total = row
        elif row.name in bold:
            groups.append((row, []))
        else:
            groups[-1][1].append(row)
    assert total is not None
    return IndustryTable(total, groups)


def standing_table() -> dict[str, PopulationRow]:
    """「뿌리산업의 위상」: 제조업, 뿌리산업 (and the 비중 row, left out)."""
    header, *lines = table_after(STANDING_CAPTION)
    assert header[0] == "구분" and len(header) == 5
    return {cells[0]: _population_row(cells) for cells in lines if "비중" not in cells[0]}


@dataclass(frozen=True)
class WorkforceRow:
    total: int | Decimal  # 계 (A+B)
    by_job: dict[str, int | Decimal]  # 연구직 … 기타직, in the table's order
    domestic_subtotal: int | Decimal  # 소계(A)
    foreign: int | Decimal  # 외국인 (B)


def workforce_table() -> dict[str, WorkforceRow]:
    """「직무별 종사자 수」: rows 종사자(명), 부족인원(명), 부족률(%), each by 직무 with 소계(A) and 외국인(B)."""
    first, second, *lines = table_after(WORKFORCE_CAPTION)
    assert [first[1], first[2], first[-1]] == ["계 (A+B)", "내국인", "외국인 (B)"]
    jobs = [cell for cell in second[2:] if cell]
    assert jobs[-1] == "소계(A)"
    jobs = jobs[:-1]
    table = {}
    for cells in lines:
        label, figures = cells[0], cells[1:]
        assert len(figures) == len(jobs) + 3, cells
        read = decimal if label.endswith("(%)") else count
        values = [read(figure) for figure in figures]
        table[label] = WorkforceRow(values[0], dict(zip(jobs, values[1:-2], strict=True)), values[-2], values[-1])
    return table


@dataclass(frozen=True)
class RegionColumn:
    name: str
    firms: int
    share: Decimal


def region_table() -> list[RegionColumn]:
    """「권역별 뿌리기업 분포」: one column per 권역, rows 사업체수(개) and 비 중(%)."""
    header, firms, shares = table_after(REGION_CAPTION)
    assert (header[0], firms[0], shares[0]) == ("구 분", "사업체수(개)", "비 중(%)")
    return [
        RegionColumn(name, count(firm), decimal(share))
        for name, firm, share in zip(header[1:], firms[1:], shares[1:], strict=True)
    ]


@dataclass(frozen=True)
class SizeRow:
    label: str
    firms: int
    firm_share: Decimal
    workers_10k: Decimal  # 만명
    worker_share: Decimal
    sales_trillion: Decimal
    sales_share: Decimal
    exports_trillion: Decimal
    export_share: Decimal


def size_table() -> tuple[SizeRow, list[SizeRow]]:
    """「뿌리산업 규모별 현황」: the '전 체' row and the 매출액 규모 rows (label, then 8 figures)."""
    first, units, *lines = table_after(SIZE_CAPTION)
    assert [cell for cell in first if cell] == ["구 분", "사업체", "종사자", "매출액", "수출액"]
    assert tuple(cell for cell in units if cell) == SIZE_UNITS
    total, rows = None, []
    for cells in lines:
        cells = [cell for cell in cells if cell]
        label, figures = cells[-9], cells[-8:]
        row = SizeRow(label, count(figures[0]), *(decimal(figure) for figure in figures[1:]))
        if label == "전 체":
            total = row
        else:
            rows.append(row)
    assert total is not None
    return total, rows


@dataclass(frozen=True)
class GrowthStageColumn:
    name: str  # as printed, e.g. '돌음뿌리기업' (a slip for 돋움, see DOMAIN.md)
    sales_label: str
    firms_label: str
    share: Decimal
    note: str  # what follows the parenthesis: 'R&D 역량 보유'
    goal: str
    matches: list[str]  # '공정자동화(중기부)'


def growth_stage_table() -> list[GrowthStageColumn]:
    """The 성장 메뉴판 table of IV-1-2: one column per stage (the ⇨ columns are arrows)."""
    rows = {cells[0]: cells[1:] for cells in table_after(GROWTH_CAPTION)}
    names = rows["구 분"]
    columns = [index for index, name in enumerate(names) if name and name != "⇨"]
    stages = []
    for index in columns:
        sales = re.fullmatch(r"(.+?) \(([^,]+), ([\d.]+)%\)\s*(.*)", rows["매출액"][index])
        assert sales, rows["매출액"][index]
        matches = re.findall(r"<li>([^<]+)</li>", rows["매칭 지원사업"][index])
        stages.append(
            GrowthStageColumn(
                names[index],
                sales.group(1),
                sales.group(2),
                decimal(sales.group(3)),
                sales.group(4),
                rows["기업 목표"][index],
                [match.strip() for match in matches],
            )
        )
    return stages
